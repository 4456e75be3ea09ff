// Calling the user's hooks: each call runs on the operation's HookPool, so
// that a hook which never returns cannot hold the operation past its
// deadline, and a failing hook's dm_error_set() message becomes the
// service's failure reason. The sentence that says a hook failed is built
// here, once.
#ifndef DM_ORCHESTRATOR_HOOKS_H
#define DM_ORCHESTRATOR_HOOKS_H

#include <chrono>
#include <string>

#include "common/error.h"
#include "model/service.h"
#include "orchestrator/hook_pool.h"

namespace dm::orchestrator {

using Clock = std::chrono::steady_clock;

// "pre_start failed: <what the hook said>", or "...: it returned <rc>" when it
// said nothing; DM_EHOOK.
Error hook_failed(const std::string& hook, int rc, const std::string& reason);

// The hooks of one operation's services.
class HookRunner {
 public:
  HookRunner(HookPool& pool, const model::GroupDef& group) : pool_(pool), group_(group) {}

  // Runs `service`'s prepare hook, if it has one, on a working copy of its
  // definition, and returns the definition with the environment the hook
  // set. Throws DM_EHOOK when it fails or sets an invalid name, DM_ETIMEOUT
  // past `deadline`.
  model::ServiceDef prepare(const model::ServiceDef& service, Clock::time_point deadline);
  // Throw DM_EHOOK when the hook fails, DM_ETIMEOUT past `deadline`. A
  // cancel waits for them: they run to their end.
  void pre_start(const model::ServiceDef& service, Clock::time_point deadline);
  void post_start_init(const model::ServiceDef& service, const std::string& container_id,
                       const std::string& container_name, Clock::time_point deadline);
  // Whether the service answers ready. `*last_word`: what a not-ready ping
  // said. Throws DM_EHOOK when it fails, DM_ETIMEOUT past `deadline`, and
  // DM_ECANCELLED at once on a cancel (the call is abandoned).
  bool ping(const model::ServiceDef& service, const std::string& container_id,
            const std::string& container_name, Clock::time_point deadline, std::string* last_word);

 private:
  HookPool& pool_;
  const model::GroupDef& group_;
};

}  // namespace dm::orchestrator

#endif
