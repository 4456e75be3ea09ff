// Progress events of one operation: stamps them and hands them to the sink one
// at a time, whichever worker thread they come from.
#ifndef DM_ORCHESTRATOR_EVENTS_H
#define DM_ORCHESTRATOR_EVENTS_H

#include <mutex>
#include <string>

#include "orchestrator/operation.h"

namespace dm::orchestrator {

// Seconds since the Unix epoch, with sub-second precision.
double now_seconds();

class Events {
 public:
  explicit Events(EventSink sink) : sink_(std::move(sink)) {}

  // `service` "" for the group itself. A sink that throws is ignored: a
  // progress display must not break the operation.
  void emit(const std::string& service, Phase phase, const std::string& message = "");

 private:
  std::mutex mutex_;
  EventSink sink_;
};

}  // namespace dm::orchestrator

#endif
