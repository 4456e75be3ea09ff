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
#include "engine/build_context.h"
#include "engine/client.h"
#include "model/service.h"
#include "model/watch.h"
#include "orchestrator/one_off.h"
#include "orchestrator/operation.h"

namespace dm::orchestrator {

Result start(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
             const CancelToken& cancel);

Result stop(engine::Client& engine, const model::GroupDef& group, const StopOptions& options,
            const CancelToken& cancel);

Result reload(engine::Client& engine, const model::GroupDef& group, const ReloadOptions& options,
              const CancelToken& cancel);

// On TargetKind::Swarm: swarm_status() (swarm_target.h), after require_swarm().
std::vector<ServiceState> status(engine::Client& engine, const model::GroupDef& group,
                                 TargetKind target = TargetKind::Local);

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

// Copies `files` into the running container of `service` and deletes
// `removed` there (sync.h), under the group lock: the lines of the host
// files skipped. Code::NotFound / Code::Conflict as running_container()
// (exec.h) says; Code::Cancelled when cancelled while waiting for the lock.
std::vector<std::string> copy_files(engine::Client& engine, const model::GroupDef& group,
                                    const std::string& service,
                                    const std::vector<engine::CopiedFile>& files,
                                    const std::vector<std::string>& removed,
                                    const CancelToken& cancel);

// Stops the container of `service` (its grace period: stop_grace_seconds()
// with options.stop_timeout), starts it again and waits for it to be ready
// as start does (health check, ping), without pre_start or post_start_init;
// its dependants keep running. The result has the one service: Restarted, or
// Failed with the reason (its container is kept). Code::NotFound for an
// undefined service or one without a container.
Result restart_service(engine::Client& engine, const model::GroupDef& group,
                       const std::string& service, const WatchOptions& options,
                       const CancelToken& cancel);

// Carries out one entry of a watch batch under one hold of the group lock:
// sync (outcome Synced, the skipped files in its reason), sync then restart,
// or reload (rebuild). Throws as copy_files() does.
Result watch_apply(engine::Client& engine, const model::GroupDef& group,
                   const model::WatchEntry& entry, const WatchOptions& options,
                   const CancelToken& cancel);

}  // namespace dm::orchestrator

#endif
