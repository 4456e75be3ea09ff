// What the orchestrator's operations take and give back: options, progress
// events and per-service outcomes. The C boundary (src/capi) converts these to
// and from the public structs; nothing here knows about C.
#ifndef DM_ORCHESTRATOR_OPERATION_H
#define DM_ORCHESTRATOR_OPERATION_H

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "engine/client.h"
#include "orchestrator/defaults.h"

namespace dm::orchestrator {

// Where a service is in an operation, as progress events report it.
enum class Phase {
  Building,      // building the service's image
  Pulling,       // pulling the service's image
  PreStart,      // running the pre_start hook
  Creating,      // creating the container
  Starting,      // starting the container
  Pinging,       // waiting for the ping hook
  Initialising,  // running the post_start_init hook
  Running,       // ready: dependants may start
  Stopping,
  Stopped,
  Removed,
  Failed,   // message: the reason
  Skipped,  // not attempted: a dependency failed, or cancelled
  Detail,   // engine-level detail: a build or pull output line
  Waiting,  // created, waiting for dependencies to be ready
};

struct Event {
  std::string service;  // "" for the group itself
  Phase phase;
  std::string message;
  double timestamp;  // seconds since the Unix epoch
};

// Called with every event. The orchestrator never calls it twice at once.
using EventSink = std::function<void(const Event&)>;

struct Outcome {
  // What happened to the service.
  enum class Kind {
    Started,         // a new container was created and is ready
    AlreadyRunning,  // its container was running: untouched
    Restarted,       // an exited container was started again
    Reloaded,        // rebuilt and recreated by reload
    Failed,          // see `reason`
    Skipped,         // not attempted: a dependency failed
    Excluded,        // left out by the options
    Cancelled,       // not attempted: the operation was cancelled
    Stopped,         // its container was stopped
    Removed,         // its container was stopped and removed
    NotRunning,      // nothing to stop
    Completed,       // a job that completed with 0 before, unchanged: not run again
    Synced,          // files copied into its running container by a watch rule
  };

  std::string service;
  Kind outcome = Kind::Skipped;
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

// Where the group's services run: the engine's own containers, or the swarm
// the engine manages (swarm_target.h).
enum class TargetKind { Local, Swarm };

struct StartOptions {
  TargetKind target = TargetKind::Local;
  std::vector<std::string> exclude;
  double timeout = defaults::kReadySeconds;  // per service (a service may override)
  bool run_new_containers = false;
  bool build = false;                             // rebuild images that have a build context
  unsigned parallelism = defaults::kParallelism;  // 0: no limit
  EventSink on_event;
  double stop_timeout = defaults::kStopGraceSeconds;  // grace of an outdated container replaced
  // The group is removed when this process (and watch_pid, when not 0) has
  // exited without a stop that removed it (removal_on_exit.h).
  bool remove_on_exit = false;
  long watch_pid = 0;
  // The services to start with their dependencies (empty: all), and the
  // profiles enabled (model/selection.h).
  std::vector<std::string> only;
  std::vector<std::string> profiles;
  // Swarm only: where built images are pushed for the nodes
  // (registry_push.h); "": nowhere.
  std::string registry;
};

struct StopOptions {
  TargetKind target = TargetKind::Local;
  std::vector<std::string> exclude;
  double timeout = defaults::kStopGraceSeconds;  // grace seconds
  bool remove = false;
  EventSink on_event;
};

struct ReloadOptions {
  TargetKind target = TargetKind::Local;
  std::string service;
  double timeout = defaults::kReadySeconds;
  bool remove = false;
  EventSink on_event;
  double stop_timeout = defaults::kStopGraceSeconds;  // grace of the containers it stops
  bool run_new_containers = false;  // the dependants it restarts get new containers too
  bool keep_dependants = false;     // the dependants are left as they are
  std::string registry;             // as StartOptions::registry
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
  // The same as the engine lists them, one entry per host address a port is
  // bound on, by container port (IPv4 before IPv6); empty unless running.
  std::vector<engine::PortBinding> published;
  bool outdated = false;
};

struct LogsOptions {
  TargetKind target = TargetKind::Local;
  std::vector<std::string> services;  // empty: all
  bool follow = false;
  int tail = defaults::kLogTail;  // negative: all
};

// One line of output; return false to stop.
using LogLineFn =
    std::function<bool(const std::string& service, int stream, const std::string& line)>;

// The watch actions: a restart of one service, a sync, a rebuild.
struct WatchOptions {
  double timeout = defaults::kReadySeconds;  // of the service restarted or rebuilt
  double stop_timeout = defaults::kStopGraceSeconds;
  EventSink on_event;
};

}  // namespace dm::orchestrator

#endif
