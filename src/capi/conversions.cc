#include "capi/conversions.h"

namespace dm::capi {

dm_status to_status(Error::Code code) {
  switch (code) {
    case Error::Code::Invalid: return DM_EINVALID;
    case Error::Code::NotFound: return DM_ENOTFOUND;
    case Error::Code::Conflict: return DM_ECONFLICT;
    case Error::Code::Unreachable: return DM_EUNREACHABLE;
    case Error::Code::Engine: return DM_EENGINE;
    case Error::Code::Timeout: return DM_ETIMEOUT;
    case Error::Code::Hook: return DM_EHOOK;
    case Error::Code::Cancelled: return DM_ECANCELLED;
    case Error::Code::Failed: return DM_EFAILED;
    case Error::Code::NoMemory: return DM_ENOMEM;
    case Error::Code::Internal: return DM_EINTERNAL;
  }
  return DM_EINTERNAL;
}

dm_status to_status(const orchestrator::Result& result) {
  if (result.cancelled) return DM_ECANCELLED;
  return result.failures() > 0 ? DM_EFAILED : DM_OK;
}

}  // namespace dm::capi
