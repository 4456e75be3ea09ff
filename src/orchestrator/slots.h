// A counting semaphore for the parallelism cap of an operation: how many
// services may be worked on (building, creating, starting, pinging) at once.
// Services waiting for their dependencies hold no slot, so a cap can never
// deadlock the graph.
#ifndef DM_ORCHESTRATOR_SLOTS_H
#define DM_ORCHESTRATOR_SLOTS_H

#include <condition_variable>
#include <mutex>

namespace dm::orchestrator {

class Slots {
 public:
  explicit Slots(unsigned count) : free_(count), unlimited_(count == 0) {}
  void acquire() {
    if (unlimited_) return;
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return free_ > 0; });
    free_--;
  }
  void release() {
    if (unlimited_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    free_++;
    cv_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  unsigned free_;
  bool unlimited_;
};

class SlotHold {
 public:
  explicit SlotHold(Slots& slots) : slots_(slots) { slots_.acquire(); }
  ~SlotHold() { slots_.release(); }
  SlotHold(const SlotHold&) = delete;
  SlotHold& operator=(const SlotHold&) = delete;

 private:
  Slots& slots_;
};

}  // namespace dm::orchestrator

#endif
