// Watches a container while it is being pinged, so that one which exits fails
// its service at once instead of at the timeout. It awaits the engine's
// answer to POST /containers/{id}/wait on a thread of its own: no polling.
#ifndef DM_ORCHESTRATOR_EXIT_WATCH_H
#define DM_ORCHESTRATOR_EXIT_WATCH_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/cancel.h"
#include "engine/client.h"

namespace dm::orchestrator {

class ExitWatch {
 public:
  ExitWatch(engine::Client& engine, const std::string& id);
  ExitWatch(const ExitWatch&) = delete;
  ExitWatch& operator=(const ExitWatch&) = delete;

  // The exit code once the container has stopped running.
  std::optional<int64_t> exit_code();
  // Sleeps for `d`, or less when the container exits.
  void wait_for(std::chrono::milliseconds d);
  // Stops watching; the thread ends at once (join()).
  void stop() { stop_.cancel(); }
  void join();

 private:
  CancelToken stop_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::optional<int64_t> exit_code_;
  std::thread thread_;
};

// The watches of one operation, joined together at its end, so that a
// service that became ready does not wait for its watch to wind down.
class ExitWatches {
 public:
  ExitWatch& watch(engine::Client& engine, const std::string& id);
  void join_all();
  ~ExitWatches() { join_all(); }

 private:
  std::mutex mutex_;
  std::list<ExitWatch> watches_;
};

}  // namespace dm::orchestrator

#endif
