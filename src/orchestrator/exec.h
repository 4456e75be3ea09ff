// Commands run in a service's running container: from a hook (the Exec of
// model/hooks.h, through the Target) and from outside, by service name.
// Both end in exec_in(), which turns a command that did not run to its end
// into the error that says so, naming the service.
#ifndef DM_ORCHESTRATOR_EXEC_H
#define DM_ORCHESTRATOR_EXEC_H

#include <string>
#include <vector>

#include "common/cancel.h"
#include "engine/client.h"
#include "model/hooks.h"
#include "model/service.h"

namespace dm::orchestrator {

// Runs `request` in `container`, `service`'s, to its end: its exit code
// (whatever it is) and its output. Code::Invalid for an empty command,
// Code::Timeout when request.timeout passed, Code::Cancelled when any of
// `cancel` was cancelled (each saying that the command may still run in
// the container); the engine's failures, Code::Conflict for a container
// that is not running.
model::ExecResult exec_in(engine::Client& engine, const std::string& service,
                          const std::string& container, const model::ExecRequest& request,
                          const std::vector<const CancelToken*>& cancel);

// The running container of `service` of `group` (never a one-off).
// Code::NotFound when no such service is defined (naming those that are) or
// it has no container; Code::Conflict when its container is not running
// (its state named); both say to start it.
std::string running_container(engine::Client& engine, const model::GroupDef& group,
                              const std::string& service);

// The same, by service name: running_container() then exec_in().
model::ExecResult exec(engine::Client& engine, const model::GroupDef& group,
                       const std::string& service, const model::ExecRequest& request,
                       const CancelToken& cancel);

}  // namespace dm::orchestrator

#endif
