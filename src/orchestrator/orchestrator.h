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
#include "orchestrator/operation.h"

namespace dm::orchestrator {

Result start(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
             const CancelToken& cancel);

Result stop(engine::Client& engine, const model::GroupDef& group, const StopOptions& options,
            const CancelToken& cancel);

Result reload(engine::Client& engine, const model::GroupDef& group, const ReloadOptions& options,
              const CancelToken& cancel);

std::vector<ServiceState> status(engine::Client& engine, const model::GroupDef& group);

// Returns false when cancelled.
bool logs(engine::Client& engine, const model::GroupDef& group, const LogsOptions& options,
          const LogLineFn& fn, const CancelToken& cancel);

}  // namespace dm::orchestrator

#endif
