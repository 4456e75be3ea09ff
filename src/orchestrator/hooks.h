// Calling the user's hooks (model/hooks.h: C++ callables, whoever provides
// them): each call runs on the operation's HookPool, so that a hook which
// never returns cannot hold the operation past its deadline, and a failing
// hook's reason becomes the service's failure reason. The sentence that says
// a hook failed is built here, once.
#ifndef DM_ORCHESTRATOR_HOOKS_H
#define DM_ORCHESTRATOR_HOOKS_H

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "common/error.h"
#include "model/hooks.h"
#include "model/service.h"
#include "orchestrator/hook_pool.h"
#include "orchestrator/target.h"

namespace dm::orchestrator {

using Clock = std::chrono::steady_clock;

// "pre_start failed: <what the hook said>", or "...: it returned <rc>" when it
// said nothing; Code::Hook.
Error hook_failed(const std::string& hook, int rc, const std::string& reason);

// Lets the commands hooks run in containers (HookContext::exec) end with
// the operation: a hook abandoned past its deadline may still call exec
// after the operation returned, when the target and the cancel token it
// would use are gone. Each exec enters the gate; closing it refuses new
// ones, stops those under way and waits for them to leave.
class ExecGate {
 public:
  bool enter();
  void leave();
  void close();
  const CancelToken& stop() const { return stop_; }

 private:
  std::mutex mutex_;
  std::condition_variable left_;
  size_t inside_ = 0;
  bool closed_ = false;
  CancelToken stop_;
};

// The hooks of one operation's services.
class HookRunner {
 public:
  // `target` and `cancel` (the operation's): what the hooks' exec uses; without
  // a target, hooks have no exec.
  HookRunner(HookPool& pool, const model::GroupDef& group, Target* target = nullptr,
             const CancelToken* cancel = nullptr)
      : pool_(pool), group_(group), target_(target), cancel_(cancel) {}
  // Closes the gate: the hooks' execs end with the runner.
  ~HookRunner() { gate_->close(); }
  HookRunner(const HookRunner&) = delete;
  HookRunner& operator=(const HookRunner&) = delete;

  // Runs `service`'s prepare hook, if it has one, on a working copy of its
  // definition, and returns the definition with the environment the hook
  // set. Throws Code::Hook when it fails or sets an invalid name,
  // Code::Timeout past `deadline`. An abandoned call changes only its copy.
  model::ServiceDef prepare(const model::ServiceDef& service, Clock::time_point deadline);
  // Throw Code::Hook when the hook fails, Code::Timeout past `deadline`. A
  // cancel waits for them: they run to their end. No hook: nothing to do.
  void pre_start(const model::ServiceDef& service, Clock::time_point deadline);
  void post_start_init(const model::ServiceDef& service, const std::string& container_id,
                       const std::string& container_name, Clock::time_point deadline);
  // Runs `service`'s pre_stop, if it has one, before its running container
  // is stopped. Its failure does not hold the stop up: returns what went
  // wrong ("pre_stop failed: ...", or that it ran past `deadline`), "" when
  // it succeeded or there is none. A cancel waits for it.
  std::string pre_stop(const model::ServiceDef& service, const std::string& container_id,
                       const std::string& container_name, Clock::time_point deadline);
  // Whether the service answers ready. `*last_word`: what a not-ready ping
  // said. Throws Code::Hook when it fails, Code::Timeout past `deadline`, and
  // Code::Cancelled at once on a cancel (the call is abandoned).
  bool ping(const model::ServiceDef& service, const std::string& container_id,
            const std::string& container_name, Clock::time_point deadline, std::string* last_word);

 private:
  // The exec of the hooks that run for `container_id`; empty before the
  // container exists.
  model::Exec exec_for(const std::string& service, const std::string& container_id) const;

  HookPool& pool_;
  const model::GroupDef& group_;
  Target* target_;
  const CancelToken* cancel_;
  std::shared_ptr<ExecGate> gate_ = std::make_shared<ExecGate>();
};

}  // namespace dm::orchestrator

#endif
