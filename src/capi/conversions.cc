#include "capi/conversions.h"

#include "common/version.h"

namespace dm::capi {

namespace {

constexpr bool same_text(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

}  // namespace

// Values the public headers spell as macros, which C needs, and the layers
// below as C++ constants, which they need without the headers: one value.
static_assert(same_text(DM_VERSION_STRING, kVersion),
              "include/drillmaster/common.h and CMake's project() disagree on the version");

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
