// The Target of a Docker Swarm (engine::Client's swarm calls): an instance is
// a swarm service named "<group>_<service>" (as `docker stack deploy` names
// them), labelled for its group and service as containers are; "set up" is
// its label io.drillmaster.set-up ("true" once its ping and init finished),
// not a name. Created with 0 replicas, it is started by scaling it to the
// service's replicas (1 unless set), and is ready when a task runs in each
// slot; stopped by scaling it to 0 (the service and its labels stay for
// reuse). A changed replicas count changes the definition hash (fields.h's
// deploy part), so the service is updated in place like any other change.
//
// The mapping (swarm_target.cc): env, command, entrypoint, user, working
// dir, hostname, stop signal and grace, health check, mounts (named volumes
// on the node that runs the task; a bind mount is a path on that node) go to
// the task's ContainerSpec; restart condition "none", so a failing task fails
// the service with its exit code and error instead of looping; the group's
// network is an attachable overlay network on which the service name is the
// DNS name. A port is published through the routing mesh (ingress) unless it
// says mode=host (then on the node that runs the task); a service with an
// ingress port has a virtual IP (endpoint mode vip, which the mesh needs),
// any other endpoint mode dnsrr (the name resolves to the tasks' addresses:
// no IPVS, which the engines' iptables would have to serve).
// Replicas that publish a host port in mode=host need a node each (a
// second task on the same node waits for a free one, and the start times
// out saying so). Where one address is wanted (a host port, a hook's
// self.address), the first running task's is used.
//
// A changed definition updates the swarm service in place during a start or
// reload (update_in_place below).
//
// A health check is awaited by the swarm itself: a task with one reads
// "starting" until it is healthy, and fails ("unhealthy container") when it
// turns unhealthy, so start's wait for a running task covers it. A node that
// drops out while a task of it starts fails the service, naming the node.
//
// A hook's exec runs in the container of the service's first running task
// when that task is on the node whose engine drillmaster talks to (always so
// on a single node); a task on another node gets Code::Invalid, saying so.
#ifndef DM_ORCHESTRATOR_SWARM_TARGET_H
#define DM_ORCHESTRATOR_SWARM_TARGET_H

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/events.h"
#include "orchestrator/images.h"
#include "orchestrator/operation.h"
#include "orchestrator/registry_push.h"
#include "orchestrator/target.h"

namespace dm::orchestrator {

inline constexpr const char* kSetUpLabel = "io.drillmaster.set-up";
inline constexpr const char* kImageIdLabel = "io.drillmaster.image-id";

// "<group>_<service>": the swarm service's name.
std::string swarm_service_name(const model::GroupDef& group, const model::ServiceDef& service);

// Throws Code::Unreachable (a message saying how to start one) unless the
// engine is a manager of an active swarm.
void require_swarm(engine::Client& engine);

// Throws Code::Invalid, naming each service and field, when a service sets
// a field that a swarm service does not carry (swarm_service_spec maps the
// others) or a port it cannot publish (a host address, a host port range for
// one container port): refused before anything is made rather than dropped
// unseen.
void require_carried_fields(const model::GroupDef& group);

// The ServiceSpec for `service` with `replicas` and `labels` (exposed for tests).
Json swarm_service_spec(const model::GroupDef& group, const model::ServiceDef& service,
                        const engine::Labels& labels, int64_t replicas);

// Each service's row as status shows it, from one look at the swarm (its
// published ports as found, in no order: status.cc orders and writes them);
// `outdated` compares its swarm service's hash with `current_hash` (status
// gives the hash start would make, prepare hook included, as it does for
// containers).
std::vector<ServiceState> swarm_status(
    engine::Client& engine, const model::GroupDef& group,
    const std::function<std::string(const model::ServiceDef&)>& current_hash);

class SwarmTarget final : public Target {
 public:
  // `update_in_place` (start and reload): an outdated service that the
  // operation removes to make the service anew is kept, scaled to 0, and
  // the create that follows updates it (POST /services/{id}/update) instead.
  // `registry` (not ""): built images are pushed there and the tasks run
  // the pushed reference (registry_push.h).
  SwarmTarget(engine::Client& engine, const model::GroupDef& group, Events& events,
              std::set<std::string> rebuild = {}, const CancelToken* cancel = nullptr,
              bool update_in_place = false, std::string registry = "");

  Instances inventory() override;
  void ensure_network() override;
  void remove_network() override;
  std::string ensure_image(const model::ServiceDef& service) override;
  void remove_replaced_images() override;
  std::string create(const model::ServiceDef& service, bool with_setup) override;
  std::string instance_name(const model::ServiceDef& service) const override;
  void start(const model::ServiceDef& service, const std::string& id) override;
  Status inspect(const std::string& id) override;
  void follow_health(const std::string& id, const std::string& since,
                     const std::function<bool(const std::string& health)>& fn,
                     const CancelToken& stop) override;
  std::optional<int64_t> wait_exit(const std::string& id, const CancelToken& stop) override;
  void mark_set_up(const std::string& id, const model::ServiceDef& service) override;
  void stop(const std::string& id, int grace_seconds) override;
  void remove(const std::string& id) override;
  std::string logs_tail(const std::string& id, int lines) override;
  model::ExecResult exec(const std::string& service, const std::string& id,
                         const model::ExecRequest& request,
                         const std::vector<const CancelToken*>& cancel) override;

 private:
  // The service's current tasks: the newest of each slot, leaving out those
  // that existed before this operation started it.
  std::vector<engine::TaskInfo> current_tasks(const std::string& id);
  // Throws Code::Failed for `task` of `id`, which ended before it ran.
  [[noreturn]] void fail_ended(const model::ServiceDef& service, const std::string& id,
                               const engine::TaskInfo& task);
  // Why a node of `tasks` cannot run them (engine::NodeInfo), or "".
  std::string dropped_node(const std::vector<engine::TaskInfo>& tasks);
  // Polls every 0.1 s until `done` or the thread's engine deadline; false then.
  bool poll(const std::function<bool()>& done);
  // Its tasks' last `lines` lines of output (GET /services/{id}/logs).
  std::string output_tail(const std::string& id, int lines);
  bool retire(const std::string& id);
  void scale(const std::string& id, int64_t replicas, std::optional<int> grace_seconds);
  // Reads the swarm service, applies `change` to its spec and sends it back,
  // again when the swarm answers "update out of sequence".
  void update(const std::string& id, const std::function<void(Json& spec)>& change);

  engine::Client& engine_;
  const model::GroupDef& group_;
  Events& events_;
  Images images_;
  RegistryPushes pushes_;
  const CancelToken* cancel_;
  std::mutex mutex_;
  std::map<std::string, std::set<std::string>> tasks_before_start_;  // service id -> task ids
  bool update_in_place_;
  std::map<std::string, std::string> retired_;  // service name -> outdated swarm service id
};

}  // namespace dm::orchestrator

#endif
