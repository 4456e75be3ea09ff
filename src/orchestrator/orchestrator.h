// The operations on a group of services. Each takes a validated group (see
// model/validate.h), holds the group's cross-process lock while it works, and
// returns per-service outcomes; engine failures that stop it before any
// service was attempted are thrown as dm::Error. `cancel` may become true at
// any time (dm_group_cancel): no new work starts, work under way finishes or
// times out, and the result says what was cancelled.
#ifndef DM_ORCHESTRATOR_ORCHESTRATOR_H
#define DM_ORCHESTRATOR_ORCHESTRATOR_H

#include <atomic>
#include <vector>

#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/operation.h"

namespace dm::orchestrator {

Result start(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
             const std::atomic<bool>& cancel);

Result stop(engine::Client& engine, const model::GroupDef& group, const StopOptions& options,
            const std::atomic<bool>& cancel);

Result reload(engine::Client& engine, const model::GroupDef& group, const ReloadOptions& options,
              const std::atomic<bool>& cancel);

std::vector<ServiceState> status(engine::Client& engine, const model::GroupDef& group);

// Returns false when cancelled.
bool logs(engine::Client& engine, const model::GroupDef& group, const LogsOptions& options,
          const LogLineFn& fn, const std::atomic<bool>& cancel);

}  // namespace dm::orchestrator

#endif
