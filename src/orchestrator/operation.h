// What the orchestrator's operations take and give back: options, progress
// events and per-service outcomes. The C boundary (src/capi) converts these to
// and from the public structs; nothing here knows about C.
#ifndef DM_ORCHESTRATOR_OPERATION_H
#define DM_ORCHESTRATOR_OPERATION_H

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "drillmaster/group.h"

namespace dm::orchestrator {

struct Event {
  std::string service;  // "" for the group itself
  dm_phase phase;
  std::string message;
  double timestamp;  // seconds since the Unix epoch
};

// Called with every event. The orchestrator never calls it twice at once.
using EventSink = std::function<void(const Event&)>;

struct Outcome {
  std::string service;
  dm_outcome outcome = DM_OUTCOME_SKIPPED;
  std::string reason;
  std::string container_id;
  double seconds = 0;
};

struct Result {
  std::vector<Outcome> services;  // one per service of the group, in order
  bool cancelled = false;

  // How many services failed or were skipped.
  size_t failures() const;
};

struct StartOptions {
  std::vector<std::string> exclude;
  double timeout = 300;        // readiness seconds per service (a service may override)
  bool run_new_containers = false;
  bool build = false;          // rebuild images that have a build context
  unsigned parallelism = 0;    // 0: no limit
  EventSink on_event;
};

struct StopOptions {
  std::vector<std::string> exclude;
  double timeout = 10;  // grace seconds
  bool remove = false;
  EventSink on_event;
};

struct ReloadOptions {
  std::string service;
  double timeout = 300;
  bool remove = false;
  EventSink on_event;
};

// Where a service's container is, as status reports it.
struct ServiceState {
  std::string service;
  std::string state = "missing";
  std::string status_text;
  std::string health;
  std::string container_id;
  std::string container_name;
  std::string image;
  std::string ports;
  bool outdated = false;
};

struct LogsOptions {
  std::vector<std::string> services;  // empty: all
  bool follow = false;
  int tail = -1;
};

// One line of output; return false to stop.
using LogLineFn = std::function<bool(const std::string& service, int stream, const std::string& line)>;

}  // namespace dm::orchestrator

#endif
