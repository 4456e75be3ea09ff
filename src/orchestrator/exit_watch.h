// Watches an instance while it is being pinged, so that one which exits fails
// its service at once instead of at the timeout. It awaits the target's
// answer (a POST /containers/{id}/wait on an engine) on a thread of its own:
// no polling. Ending the watch cancels that wait at once.
#ifndef DM_ORCHESTRATOR_EXIT_WATCH_H
#define DM_ORCHESTRATOR_EXIT_WATCH_H

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/cancel.h"
#include "orchestrator/target.h"

namespace dm::orchestrator {

class ExitWatch {
 public:
  // `on_exit` is called on the watch's thread once the exit code is known;
  // whoever waits for exit_code() is woken by it.
  ExitWatch(Target& target, const std::string& id, std::function<void()> on_exit);
  // Stops watching and joins the thread.
  ~ExitWatch();
  ExitWatch(const ExitWatch&) = delete;
  ExitWatch& operator=(const ExitWatch&) = delete;

  // The exit code once the instance has stopped running.
  std::optional<int64_t> exit_code() const;

 private:
  CancelToken stop_;
  mutable std::mutex mutex_;
  std::optional<int64_t> exit_code_;
  std::thread thread_;
};

}  // namespace dm::orchestrator

#endif
