// Where the library's own C++ types meet the public C ones: each conversion
// between a C++ enum and its C counterpart is written here, once.
#ifndef DM_CAPI_CONVERSIONS_H
#define DM_CAPI_CONVERSIONS_H

#include "common/error.h"
#include "drillmaster/common.h"
#include "drillmaster/group.h"
#include "orchestrator/operation.h"

namespace dm::capi {

// The dm_status of the same name: Code::Invalid -> DM_EINVALID, ...
dm_status to_status(Error::Code code);

// What an operation that ran returns: DM_ECANCELLED when it was cancelled,
// DM_EFAILED when a service failed or was skipped, DM_OK otherwise.
dm_status to_status(const orchestrator::Result& result);

// The dm_outcome of the same name: Kind::AlreadyRunning ->
// DM_OUTCOME_ALREADY_RUNNING, ...
dm_outcome to_outcome(orchestrator::Outcome::Kind kind);

// The dm_phase of the same name: Phase::PreStart -> DM_PHASE_PRE_START, ...
dm_phase to_phase(orchestrator::Phase phase);
// The names dm_outcome_name() and dm_phase_name() give; "unknown" for a value
// that is none of the constants.
const char* outcome_name(int outcome);
const char* phase_name(int phase);

}  // namespace dm::capi

#endif
