// The operations on a group of services. Each takes a validated group (see
// model/validate.h), holds the group's cross-process lock while it works, and
// returns per-service outcomes; engine failures that stop it before any
// service was attempted are thrown as dm::Error. `cancel` may be cancelled at
// any time (dm_group_cancel, possibly from a signal handler): no new work
// starts, work under way finishes or times out, every wait ends at once, and
// the result says what was cancelled.
#ifndef DM_ORCHESTRATOR_ORCHESTRATOR_H
#define DM_ORCHESTRATOR_ORCHESTRATOR_H

#include <vector>

#include "common/cancel.h"
#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/one_off.h"
#include "orchestrator/operation.h"

namespace dm::orchestrator {

Result start(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
             const CancelToken& cancel);

Result stop(engine::Client& engine, const model::GroupDef& group, const StopOptions& options,
            const CancelToken& cancel);

Result reload(engine::Client& engine, const model::GroupDef& group, const ReloadOptions& options,
              const CancelToken& cancel);

std::vector<ServiceState> status(engine::Client& engine, const model::GroupDef& group);

// `run`: starts `service`'s dependencies as start does (under the group
// lock), makes sure of the network and the service's image, then runs a
// one-off container of it (one_off.h) without the lock. When a dependency
// failed, or the start was cancelled, nothing runs (`ran` false). Code::NotFound
// for a service that is not defined.
RunResult run(engine::Client& engine, const model::GroupDef& group, const std::string& service,
              const RunOptions& options, const CancelToken& cancel);

// Returns false when cancelled.
bool logs(engine::Client& engine, const model::GroupDef& group, const LogsOptions& options,
          const LogLineFn& fn, const CancelToken& cancel);

}  // namespace dm::orchestrator

#endif
