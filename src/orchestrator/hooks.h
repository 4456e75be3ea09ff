// Calling the user's hooks: each call runs on a thread of its own so that a
// hook which never returns cannot hold the operation past its deadline, and a
// failing hook's reason becomes the service's failure reason.
#ifndef DM_ORCHESTRATOR_HOOKS_H
#define DM_ORCHESTRATOR_HOOKS_H

#include <atomic>
#include <chrono>
#include <string>

#include "model/hooks.h"
#include "model/service.h"

namespace dm::orchestrator {

using Clock = std::chrono::steady_clock;

// Runs `service`'s prepare hook, if it has one, on a working copy of its
// definition, and returns the definition with the environment the hook set.
// Throws Code::Hook when it fails or sets an invalid name, Code::Timeout past
// `deadline`. An abandoned call changes only its own working copy.
model::ServiceDef prepare(const model::GroupDef& group, const model::ServiceDef& service,
                          Clock::time_point deadline);

// Calls `hook` with `context` and returns the code it answered. Throws
// Code::Timeout when it has not returned by `deadline` (the call is then
// abandoned: it goes on on its own thread, its answer ignored),
// Code::Cancelled when `cancel` (may be NULL: the call is waited for) becomes
// true first. `*reason` is the reason it gave ("" when none), whatever it
// answered: the caller knows which codes mean failure.
int call_hook(const char* hook_name, const model::Hook& hook, const model::HookContext& context,
              Clock::time_point deadline, const std::atomic<bool>* cancel, std::string* reason);

}  // namespace dm::orchestrator

#endif
