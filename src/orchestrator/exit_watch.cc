#include "orchestrator/exit_watch.h"

#include "common/error.h"

namespace dm::orchestrator {

ExitWatch::ExitWatch(engine::Client& engine, const std::string& id) {
  thread_ = std::thread([this, &engine, id] {
    std::optional<int64_t> code;
    try {
      code = engine.container_wait(id, &stop_);
    } catch (...) {
      // The engine could not say (removed meanwhile?): the ping loop's
      // timeout still bounds the wait. Nothing may leave this thread.
    }
    std::lock_guard<std::mutex> lock(mutex_);
    exit_code_ = code;
    cv_.notify_all();
  });
}

std::optional<int64_t> ExitWatch::exit_code() {
  std::lock_guard<std::mutex> lock(mutex_);
  return exit_code_;
}

void ExitWatch::wait_for(std::chrono::milliseconds d) {
  std::unique_lock<std::mutex> lock(mutex_);
  cv_.wait_for(lock, d, [this] { return exit_code_.has_value(); });
}

void ExitWatch::join() {
  stop_.cancel();
  if (thread_.joinable()) thread_.join();
}

ExitWatch& ExitWatches::watch(engine::Client& engine, const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  return watches_.emplace_back(engine, id);
}

void ExitWatches::join_all() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& w : watches_) w.join();
  watches_.clear();
}

}  // namespace dm::orchestrator
