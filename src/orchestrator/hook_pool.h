// The threads the user's hooks run on. A hook is the user's code: it may run
// long, or never return. Each call runs on a worker of the pool while its
// caller waits, bounded by the call's deadline and, for a call that may be
// cut short (a ping), by the operation's cancel. A call that runs past its
// deadline or is cancelled is abandoned: the caller gets Error::Code::Timeout or
// Error::Code::Cancelled at once, the worker stays with the hook until it returns (its
// answer is then dropped) and leaves the pool, and a new worker takes its
// place, so an abandoned hook never delays another service's.
//
// Workers are made when a call finds none idle, up to the pool's size, and
// then kept for the operation's next calls (a ping every 0.1 s reuses one).
// Size the pool to the calls that may run at once: every service makes one
// call at a time, so one worker per service (or per slot of the parallelism
// cap, when every hook runs under a slot) means no call ever waits for one.
#ifndef DM_ORCHESTRATOR_HOOK_POOL_H
#define DM_ORCHESTRATOR_HOOK_POOL_H

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/cancel.h"

namespace dm::orchestrator {

class HookPool {
 public:
  using Clock = std::chrono::steady_clock;

  // `size`: how many calls may run at once before one waits for a worker
  // (at least 1). `watcher` wakes callers on cancel and outlives the pool;
  // nullptr: nothing cancels the calls.
  HookPool(size_t size, CancelWatcher* watcher);
  // Joins the workers; abandoned ones finish on their own.
  ~HookPool();
  HookPool(const HookPool&) = delete;
  HookPool& operator=(const HookPool&) = delete;

  enum class OnCancel { Wait, Abandon };

  // Runs `task` on a worker and returns when it has returned, rethrowing
  // what it threw. Throws Error::Code::Timeout naming `hook` when `deadline` passes
  // first, Error::Code::Cancelled when the operation is cancelled first and `on_cancel`
  // is Abandon. `task` is destroyed on the worker: anything it refers to
  // that an abandoned call could outlive must be owned by it.
  void run(const std::string& hook, std::function<void()> task, Clock::time_point deadline,
           OnCancel on_cancel);

  // Workers alive now, abandoned ones not counted (for tests).
  size_t workers() const;

 private:
  struct Call;
  struct Shared;

  // A worker's life: take calls until the pool closes, or until the call it
  // ran was abandoned (it has left the pool then, its thread detached).
  static void work(std::shared_ptr<Shared> shared, size_t number);
  void spawn_if_needed();                           // with shared_->mutex held
  void abandon(const std::shared_ptr<Call>& call);  // with shared_->mutex held

  size_t size_;
  CancelWatcher* watcher_;
  // Shared with the workers: an abandoned worker may outlive the pool.
  std::shared_ptr<Shared> shared_;
  std::map<size_t, std::thread> threads_;  // by worker number; guarded by shared_->mutex
  size_t next_worker_ = 0;
  CancelWatcher::Subscription wake_on_cancel_;
};

}  // namespace dm::orchestrator

#endif
