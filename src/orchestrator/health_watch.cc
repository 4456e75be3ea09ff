#include "orchestrator/health_watch.h"

#include "common/error.h"

namespace dm::orchestrator {

HealthWatch::HealthWatch(Target& target, const std::string& id, const std::string& since,
                         std::function<void()> on_change) {
  thread_ = std::thread([this, &target, id, since, on_change = std::move(on_change)] {
    try {
      target.follow_health(
          id, since,
          [&](const std::string& health) {
            report([&](State& s) { s.health = health; }, on_change);
            return health == "starting";  // healthy and unhealthy end the wait
          },
          stop_);
    } catch (const Error& e) {
      std::string why = e.what();
      report([&](State& s) { s.error = why; }, on_change);
    } catch (...) {
      // Out of memory at worst: nothing may leave this thread. The wait's
      // deadline still bounds it.
    }
  });
}

HealthWatch::~HealthWatch() {
  stop_.cancel();
  thread_.join();
}

HealthWatch::State HealthWatch::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_;
}

void HealthWatch::report(const std::function<void(State&)>& change,
                         const std::function<void()>& on_change) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    change(state_);
    state_.changes++;
  }
  try {
    on_change();
  } catch (...) {
  }
}

}  // namespace dm::orchestrator
