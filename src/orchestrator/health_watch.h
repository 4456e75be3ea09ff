// Follows an instance's health while its service waits to be ready: the
// target's reports (the engine's health_status events) arrive on a thread of
// its own, so the wait sees each status as soon as the engine decides it,
// without polling and without checking more often than the health check
// runs. Ending the watch ends the stream at once.
#ifndef DM_ORCHESTRATOR_HEALTH_WATCH_H
#define DM_ORCHESTRATOR_HEALTH_WATCH_H

#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/cancel.h"
#include "orchestrator/target.h"

namespace dm::orchestrator {

class HealthWatch {
 public:
  // Reports from `since` (the instance's Status::started_at) on, so none
  // made before the watch began is missed. `on_change` is called on the
  // watch's thread after each report and when the reports end with an
  // error; whoever waits on status() is woken by it.
  HealthWatch(Target& target, const std::string& id, const std::string& since,
              std::function<void()> on_change);
  // Stops following and joins the thread.
  ~HealthWatch();
  HealthWatch(const HealthWatch&) = delete;
  HealthWatch& operator=(const HealthWatch&) = delete;

  struct State {
    std::string health;  // the last status reported; "" before any
    std::string error;   // why the reports ended, when they could not go on
    unsigned changes = 0;
  };
  State state() const;

 private:
  void report(const std::function<void(State&)>& change, const std::function<void()>& on_change);

  CancelToken stop_;
  mutable std::mutex mutex_;
  State state_;
  std::thread thread_;
};

}  // namespace dm::orchestrator

#endif
