// Where a group's services run, as the executor's steps see it: the narrow
// set of calls start, stop and reload make (ninja's CommandRunner). A local
// Docker engine is one implementation (local_target.h); a Swarm is meant to
// be another, where an instance is a task and "set up" a label instead of a
// name; the unit tests drive the local one over an in-process fake engine.
//
// Every call may throw dm::Error. Calls that talk to the engine are bounded
// by the calling thread's engine deadline (engine/deadline.h), which the
// steps set; none retries.
#ifndef DM_ORCHESTRATOR_TARGET_H
#define DM_ORCHESTRATOR_TARGET_H

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "model/hooks.h"
#include "model/service.h"

namespace dm::orchestrator {

// One container of a service (a task, on Swarm) as the target has it.
struct Instance {
  std::string id;
  std::string name;     // as people know it, for messages
  std::string service;  // the service it was made for ("" when unknown)
  std::string state;    // "running", "exited", "created", "restarting", ...
  std::string health;   // "" without a health check; "starting", "healthy", "unhealthy"
  // Its setup (start, ping, init) finished: only such an instance is ever
  // reused. One whose setup a kill interrupted is not.
  bool set_up = false;
  std::string definition_hash;  // of the definition it was made from; "" unknown
  std::string image_id;
  std::optional<int64_t> exit_code;  // once exited, when the target says
  // A swarm service's: its running tasks, and the replicas it is scaled to.
  int64_t tasks_running = 0;
  int64_t replicas = 0;

  bool running() const { return state == "running"; }
  // A job's instance that ran to its end with 0.
  bool completed() const { return state == "exited" && exit_code == 0; }
};

// What the target has of a group, from one look.
struct Instances {
  // Each defined service's instances, running ones first.
  std::map<std::string, std::vector<Instance>> by_service;
  // Instances labelled for the group whose service is no longer defined.
  std::vector<Instance> orphans;

  const std::vector<Instance>& of(const std::string& service) const;
};

class Target {
 public:
  virtual ~Target() = default;

  // One look at everything of the group (one list call on an engine).
  virtual Instances inventory() = 0;
  // The network the group's services share, made when missing.
  virtual void ensure_network() = 0;
  // Removes the group's networks, the one of its name and any other
  // labelled for the group (made under another name), each when drillmaster
  // made it for the group and nothing uses it any more; says so (an event)
  // when one stays.
  virtual void remove_network() = 0;

  // The id of `service`'s image, built or pulled first when needed; each
  // image once per operation, however many services use it. Thread-safe.
  virtual std::string ensure_image(const model::ServiceDef& service) = 0;
  // Removes the images a build of this operation replaced, unless in use.
  virtual void remove_replaced_images() = 0;

  // Makes a new instance of `service`; returns its id. `with_setup`: it has
  // setup steps after its start (a ping, an init), so it is made marked as
  // not set up until mark_set_up().
  virtual std::string create(const model::ServiceDef& service, bool with_setup) = 0;
  // The name `service`'s set-up instance goes by, as hooks and events show it.
  virtual std::string instance_name(const model::ServiceDef& service) const = 0;
  virtual void start(const model::ServiceDef& service, const std::string& id) = 0;
  // Whether it is running now, and its exit code when not; its health.
  struct Status {
    bool running = false;
    int64_t exit_code = 0;
    // "" without a health check, else "starting", "healthy" or "unhealthy".
    std::string health;
    // The last health check's exit code and output, for messages; "" before the first.
    std::string last_check;
    // When it started, in the target's own time (for follow_health).
    std::string started_at;
  };
  virtual Status inspect(const std::string& id) = 0;
  // Passes each health status the target reports for the instance from
  // `since` (a Status::started_at) on to `fn`, until `fn` returns false or
  // `stop` is cancelled. Awaits the reports: no polling.
  virtual void follow_health(const std::string& id, const std::string& since,
                             const std::function<bool(const std::string& health)>& fn,
                             const CancelToken& stop) = 0;
  // Blocks until the instance stops running and returns its exit code;
  // nullopt when `stop` is cancelled first or the target cannot say.
  virtual std::optional<int64_t> wait_exit(const std::string& id, const CancelToken& stop) = 0;
  // The instance's setup finished: from now on it may be reused.
  virtual void mark_set_up(const std::string& id, const model::ServiceDef& service) = 0;
  // Stops it, killing it after `grace_seconds`.
  virtual void stop(const std::string& id, int grace_seconds) = 0;
  // Removes it, running or not.
  virtual void remove(const std::string& id) = 0;
  // Its last `lines` lines of output, for a failure's message.
  virtual std::string logs_tail(const std::string& id, int lines) = 0;
  // Runs a command in the running instance `id` of `service` (for a hook's
  // exec) until it ends, `request.timeout` passes or any of `cancel` is
  // cancelled (orchestrator/exec.h says which errors). A target that cannot
  // throws Code::Invalid.
  virtual model::ExecResult exec(const std::string& service, const std::string& id,
                                 const model::ExecRequest& request,
                                 const std::vector<const CancelToken*>& cancel);
};

}  // namespace dm::orchestrator

#endif
