// Calling the user's hooks: each call runs on a thread of its own so that a
// hook which never returns cannot hold the operation past its deadline, and a
// failing hook's dm_error_set() message becomes the service's failure reason.
#ifndef DM_ORCHESTRATOR_HOOKS_H
#define DM_ORCHESTRATOR_HOOKS_H

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "drillmaster/service.h"
#include "model/service.h"

namespace dm::orchestrator {

using Clock = std::chrono::steady_clock;

// What a hook sees (the strings of dm_hook_info).
struct HookTarget {
  std::string group;
  std::string service;
  std::string network;
  std::string container_id;  // "" before the container exists
  std::string container_name;
  // prepare only: the working copy the hook may change. Shared, so that an
  // abandoned call never writes to freed memory.
  std::shared_ptr<dm_service> definition;
};

// Runs `service`'s prepare hook, if it has one, on a working copy of its
// definition, and returns the definition with the environment the hook set.
// Throws Error::Code::Hook when it fails or sets an invalid name, Error::Code::Timeout past
// `deadline`.
model::ServiceDef prepare(const model::GroupDef& group, const model::ServiceDef& service,
                          Clock::time_point deadline);

// Calls `fn(info, user_data)` (a dm_hook_fn or dm_ping_fn) and returns what it
// returned. Throws Error::Code::Timeout when it has not returned by `deadline` (the
// call is then abandoned: it goes on on its own thread, its answer ignored),
// Error::Code::Cancelled when `cancel` (may be NULL: the call is waited for) becomes
// true first. `*reason` is the message it set with dm_error_set() ("" when
// none), whatever it returned: the caller knows which values mean failure.
int call_hook(const char* hook_name, int (*fn)(const dm_hook_info*, void*), void* user_data,
              const HookTarget& target, Clock::time_point deadline, const std::atomic<bool>* cancel,
              std::string* reason);

}  // namespace dm::orchestrator

#endif
