#include "orchestrator/events.h"

#include <chrono>

namespace dm::orchestrator {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

void Events::emit(const std::string& service, Phase phase, const std::string& message) {
  if (!sink_) return;
  Event event{service, phase, message, now_seconds()};
  std::lock_guard<std::mutex> lock(mutex_);
  try {
    sink_(event);
  } catch (...) {
  }
}

}  // namespace dm::orchestrator
