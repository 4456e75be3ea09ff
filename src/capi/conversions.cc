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
    case Error::Code::Invalid:
      return DM_EINVALID;
    case Error::Code::NotFound:
      return DM_ENOTFOUND;
    case Error::Code::Conflict:
      return DM_ECONFLICT;
    case Error::Code::Unreachable:
      return DM_EUNREACHABLE;
    case Error::Code::Engine:
      return DM_EENGINE;
    case Error::Code::Timeout:
      return DM_ETIMEOUT;
    case Error::Code::Hook:
      return DM_EHOOK;
    case Error::Code::Cancelled:
      return DM_ECANCELLED;
    case Error::Code::Failed:
      return DM_EFAILED;
    case Error::Code::NoMemory:
      return DM_ENOMEM;
    case Error::Code::Internal:
      return DM_EINTERNAL;
  }
  return DM_EINTERNAL;
}

dm_status to_status(const orchestrator::Result& result) {
  if (result.cancelled) return DM_ECANCELLED;
  return result.failures() > 0 ? DM_EFAILED : DM_OK;
}

namespace {

// Each outcome and phase once: the layers' value, the C value and its name.
template <typename Inner, typename C>
struct Row {
  Inner inner;
  C c;
  const char* name;
};

using Kind = orchestrator::Outcome::Kind;
constexpr Row<Kind, dm_outcome> kOutcomes[] = {
    {Kind::Started, DM_OUTCOME_STARTED, "started"},
    {Kind::AlreadyRunning, DM_OUTCOME_ALREADY_RUNNING, "already running"},
    {Kind::Restarted, DM_OUTCOME_RESTARTED, "restarted"},
    {Kind::Reloaded, DM_OUTCOME_RELOADED, "reloaded"},
    {Kind::Failed, DM_OUTCOME_FAILED, "failed"},
    {Kind::Skipped, DM_OUTCOME_SKIPPED, "skipped"},
    {Kind::Excluded, DM_OUTCOME_EXCLUDED, "excluded"},
    {Kind::Cancelled, DM_OUTCOME_CANCELLED, "cancelled"},
    {Kind::Stopped, DM_OUTCOME_STOPPED, "stopped"},
    {Kind::Removed, DM_OUTCOME_REMOVED, "removed"},
    {Kind::NotRunning, DM_OUTCOME_NOT_RUNNING, "not running"},
    {Kind::Completed, DM_OUTCOME_COMPLETED, "completed"},
    {Kind::Synced, DM_OUTCOME_SYNCED, "synced"},
};

using Phase = orchestrator::Phase;
constexpr Row<Phase, dm_phase> kPhases[] = {
    {Phase::Building, DM_PHASE_BUILDING, "building"},
    {Phase::Pulling, DM_PHASE_PULLING, "pulling"},
    {Phase::PreStart, DM_PHASE_PRE_START, "pre-start"},
    {Phase::Creating, DM_PHASE_CREATING, "creating"},
    {Phase::Starting, DM_PHASE_STARTING, "starting"},
    {Phase::Pinging, DM_PHASE_PINGING, "pinging"},
    {Phase::Initialising, DM_PHASE_INITIALISING, "initialising"},
    {Phase::Running, DM_PHASE_RUNNING, "running"},
    {Phase::Stopping, DM_PHASE_STOPPING, "stopping"},
    {Phase::Stopped, DM_PHASE_STOPPED, "stopped"},
    {Phase::Removed, DM_PHASE_REMOVED, "removed"},
    {Phase::Failed, DM_PHASE_FAILED, "failed"},
    {Phase::Skipped, DM_PHASE_SKIPPED, "skipped"},
    {Phase::Detail, DM_PHASE_DETAIL, "detail"},
    {Phase::Waiting, DM_PHASE_WAITING, "waiting"},
};

template <typename Inner, typename C, size_t N>
C to_c(const Row<Inner, C> (&rows)[N], Inner inner, C fallback) {
  for (const auto& row : rows)
    if (row.inner == inner) return row.c;
  return fallback;
}

template <typename Inner, typename C, size_t N>
const char* name_of(const Row<Inner, C> (&rows)[N], int c) {
  for (const auto& row : rows)
    if (row.c == c) return row.name;
  return "unknown";
}

}  // namespace

dm_outcome to_outcome(Kind kind) { return to_c(kOutcomes, kind, DM_OUTCOME_FAILED); }
dm_phase to_phase(Phase phase) { return to_c(kPhases, phase, DM_PHASE_DETAIL); }
const char* outcome_name(int outcome) { return name_of(kOutcomes, outcome); }
const char* phase_name(int phase) { return name_of(kPhases, phase); }

}  // namespace dm::capi
