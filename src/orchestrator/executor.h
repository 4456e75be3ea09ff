// Doing what the plan (plan.h) decides: one job per service, each on a
// thread of its own (its steps mostly wait for the engine), asking the plan,
// under one mutex, before each gated step and telling it what the step
// achieved. Every wait is a condition-variable wait woken by what it waits
// for or by the operation's cancel (common/cancel.h); nothing polls.
//
// A job is a sequence of steps that throw on failure; attempt() turns
// whatever a job threw into how it ended, so no exception leaves its thread.
#ifndef DM_ORCHESTRATOR_EXECUTOR_H
#define DM_ORCHESTRATOR_EXECUTOR_H

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "orchestrator/plan.h"

namespace dm::orchestrator {

// Thrown by Executor::await when the plan will never allow the step: a
// prerequisite failed (`by`), or the operation was cancelled
// (Plan::kCancelled). Not a dm::Error: it is no failure of this service.
struct Refused {
  size_t by;
};

// How a job that did not finish its steps ended.
struct JobEnd {
  enum class Kind { Failed, Skipped, Cancelled };
  Kind kind;
  std::string reason;            // the error's message; "" when refused
  size_t by = Plan::kCancelled;  // Skipped: the prerequisite that failed
};

// Runs `body`; nullopt when it returned, else how it ended: Refused is
// Skipped or Cancelled, a Error::Code::Cancelled error Cancelled, any other exception
// Failed with a reason a person can read. Never throws.
std::optional<JobEnd> attempt(const std::function<void()>& body) noexcept;

class Executor {
 public:
  using Clock = std::chrono::steady_clock;

  // Both outlive the executor. The watcher's cancel cancels the plan.
  Executor(Plan& plan, CancelWatcher& watcher);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Runs `job(i)` for every service the plan includes, each on a thread of
  // its own, and returns once all have returned. A job must not throw.
  void run(const std::function<void(size_t)>& job);

  // A slot of the parallelism cap, given back when it is destroyed.
  class Slot {
   public:
    Slot() = default;
    Slot(Slot&& other) noexcept : owner_(other.owner_) { other.owner_ = nullptr; }
    Slot& operator=(Slot&& other) noexcept;
    ~Slot() { release(); }
    void release();

   private:
    friend class Executor;
    explicit Slot(Executor* owner) : owner_(owner) {}
    Executor* owner_ = nullptr;
  };

  // Blocks until the plan opens `step` for service `i` (and, with
  // `take_slot`, a slot is free: the returned Slot holds it). Throws Refused
  // when the plan never will. When the wait lasts, `waiting(prerequisite)`
  // is called once, without the lock (for a "waiting for X" event).
  Slot await(size_t i, Plan::Step step, bool take_slot,
             const std::function<void(size_t)>& waiting = nullptr);

  // What a step achieved, told to the plan; each wakes the waiting jobs.
  void reach(size_t i, Plan::Stage stage);
  bool finish(size_t i);
  void fail(size_t i);
  void cancelled(size_t i);

  // Waits until `ready()` (read under the executor's lock), `deadline`, or
  // the operation's cancel; returns ready(). Whatever `ready()` reads must
  // call notify() when it changes.
  bool wait_until(Clock::time_point deadline, const std::function<bool()>& ready);
  void notify();

  bool cancelled() const { return watcher_.token().cancelled(); }
  const CancelToken& token() const { return watcher_.token(); }

 private:
  void give_slot();

  Plan& plan_;
  CancelWatcher& watcher_;
  std::mutex mutex_;  // guards plan_
  std::condition_variable changed_;
  CancelWatcher::Subscription on_cancel_;
};

}  // namespace dm::orchestrator

#endif
