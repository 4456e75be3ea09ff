#include "capi/conversions.h"

#include "common/version.h"
#include "model/names.h"

namespace dm::capi {

namespace {

constexpr bool same_text(const char* a, const char* b) {
  while (*a != '\0' && *a == *b) ++a, ++b;
  return *a == *b;
}

}  // namespace

// Values the public headers spell as macros, which C needs, and the layers
// below as C++ constants, which they need without the headers: one value.
// (The options' defaults and DM_STOP_LOCK_WAIT_SECONDS are held to
// orchestrator/defaults.h in options.cc.)
static_assert(same_text(DM_VERSION_STRING, kVersion),
              "include/drillmaster/common.h and CMake's project() disagree on the version");
static_assert(DM_GROUP_NAME_MAX == model::kMaxGroupName);

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

dm_outcome to_outcome(orchestrator::Outcome::Kind kind) {
  using Kind = orchestrator::Outcome::Kind;
  switch (kind) {
    case Kind::Started: return DM_OUTCOME_STARTED;
    case Kind::AlreadyRunning: return DM_OUTCOME_ALREADY_RUNNING;
    case Kind::Restarted: return DM_OUTCOME_RESTARTED;
    case Kind::Reloaded: return DM_OUTCOME_RELOADED;
    case Kind::Failed: return DM_OUTCOME_FAILED;
    case Kind::Skipped: return DM_OUTCOME_SKIPPED;
    case Kind::Excluded: return DM_OUTCOME_EXCLUDED;
    case Kind::Cancelled: return DM_OUTCOME_CANCELLED;
    case Kind::Stopped: return DM_OUTCOME_STOPPED;
    case Kind::Removed: return DM_OUTCOME_REMOVED;
    case Kind::NotRunning: return DM_OUTCOME_NOT_RUNNING;
  }
  return DM_OUTCOME_FAILED;
}

dm_phase to_phase(orchestrator::Phase phase) {
  using Phase = orchestrator::Phase;
  switch (phase) {
    case Phase::Building: return DM_PHASE_BUILDING;
    case Phase::Pulling: return DM_PHASE_PULLING;
    case Phase::PreStart: return DM_PHASE_PRE_START;
    case Phase::Creating: return DM_PHASE_CREATING;
    case Phase::Starting: return DM_PHASE_STARTING;
    case Phase::Pinging: return DM_PHASE_PINGING;
    case Phase::Initialising: return DM_PHASE_INITIALISING;
    case Phase::Running: return DM_PHASE_RUNNING;
    case Phase::Stopping: return DM_PHASE_STOPPING;
    case Phase::Stopped: return DM_PHASE_STOPPED;
    case Phase::Removed: return DM_PHASE_REMOVED;
    case Phase::Failed: return DM_PHASE_FAILED;
    case Phase::Skipped: return DM_PHASE_SKIPPED;
    case Phase::Detail: return DM_PHASE_DETAIL;
    case Phase::Waiting: return DM_PHASE_WAITING;
  }
  return DM_PHASE_DETAIL;
}

}  // namespace dm::capi
