#include "orchestrator/exit_watch.h"

namespace dm::orchestrator {

ExitWatch::ExitWatch(Target& target, const std::string& id, std::function<void()> on_exit) {
  thread_ = std::thread([this, &target, id, on_exit = std::move(on_exit)] {
    std::optional<int64_t> code;
    try {
      code = target.wait_exit(id, stop_);
    } catch (...) {
      // The target could not say (removed meanwhile?): the ping loop's
      // timeout still bounds the wait. Nothing may leave this thread.
    }
    if (!code) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      exit_code_ = code;
    }
    try {
      on_exit();
    } catch (...) {
    }
  });
}

ExitWatch::~ExitWatch() {
  stop_.cancel();
  thread_.join();
}

std::optional<int64_t> ExitWatch::exit_code() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return exit_code_;
}

}  // namespace dm::orchestrator
