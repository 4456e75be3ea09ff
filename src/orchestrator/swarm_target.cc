#include "orchestrator/swarm_target.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include <poll.h>

#include "common/error.h"
#include "common/text.h"
#include "engine/deadline.h"
#include "engine/published.h"
#include "model/ports.h"
#include "model/request.h"
#include "orchestrator/exec.h"
#include "orchestrator/identity.h"
#include "orchestrator/runs.h"

namespace dm::orchestrator {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr int64_t kNanosPerSecond = 1000000000;
constexpr int kFailureLogLines = 20;
constexpr int kNodeCheckPolls = 10;  // of kPollInterval: a second

std::string label(const engine::Labels& labels, const char* key) {
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

// "source:target[:ro]" of HostConfig.Binds as a swarm Mount: a volume when
// the source is a name, a bind mount (a path on the task's node) otherwise.
Json bind_mount(const std::string& bind) {
  Json mount = Json::object();
  size_t colon = bind.find(':');
  std::string source = bind.substr(0, colon);
  std::string rest = colon == std::string::npos ? "" : bind.substr(colon + 1);
  size_t second = rest.find(':');
  std::string target = rest.substr(0, second);
  std::string mode = second == std::string::npos ? "" : rest.substr(second + 1);
  mount.set("Type", !source.empty() && source[0] == '/' ? "bind" : "volume");
  mount.set("Source", source);
  mount.set("Target", target);
  if (mode.find("ro") != std::string::npos) mount.set("ReadOnly", true);
  return mount;
}

// The service's ports as EndpointSpec.Ports: in mode=host when the port
// says so, through the routing mesh (ingress) otherwise. 0 (no host port):
// the swarm picks one.
Json swarm_ports(const model::ServiceDef& service) {
  Json ports = Json::array();
  for (const model::PortSpec& spec : service.ports) {
    model::PortParts parts = *model::port_parts(spec);
    for (int k = 0; k <= parts.container_last - parts.container_first; k++) {
      Json port = Json::object();
      port.set("Protocol", parts.protocol);
      port.set("TargetPort", static_cast<int64_t>(parts.container_first + k));
      if (parts.host_first > 0)
        port.set("PublishedPort", static_cast<int64_t>(parts.host_first + k));
      port.set("PublishMode", parts.mode == "host" ? "host" : "ingress");
      ports.push(std::move(port));
    }
  }
  return ports;
}

bool any_ingress(JsonView ports) {
  for (const JsonView& port : ports.items())
    if (port["PublishMode"].str() == "ingress") return true;
  return false;
}

// The routing mesh needs a virtual IP; without an ingress port the
// service name resolves to its tasks' own addresses (swarm_target.h).
Json endpoint_spec(const model::ServiceDef& service) {
  Json ports = swarm_ports(service);
  Json endpoint = Json::object();
  endpoint.set("Mode", any_ingress(ports.view()) ? "vip" : "dnsrr");
  if (!ports.view().items().empty()) endpoint.set("Ports", std::move(ports));
  return endpoint;
}

// What a swarm cannot publish as written, one line a port.
void port_problems(const model::ServiceDef& service, std::vector<std::string>& problems) {
  for (const model::PortSpec& spec : service.ports) {
    auto parts = model::port_parts(spec);
    if (!parts) continue;  // validation says so
    std::string who =
        "service " + quoted(service.name) + ": ports " + quoted(model::port_text(spec)) + " ";
    if (!parts->host_ip.empty())
      problems.push_back(who + "names a host address (" + parts->host_ip +
                         "); a swarm publishes on every address of a node: leave the address "
                         "out to run on a swarm");
    else if (parts->container_first == parts->container_last &&
             parts->host_first != parts->host_last)
      problems.push_back(who +
                         "gives a host port range for one container port, which a swarm "
                         "cannot publish: name one host port (or none, and the swarm picks one)");
  }
}

void copy_member(Json& to, const char* to_key, JsonView from, const char* from_key) {
  JsonView value = from[from_key];
  if (value.valid() && !(value.is_string() && value.str().empty()))
    to.set(to_key, Json::copy(value));
}

bool running_task(const engine::TaskInfo& t) { return t.state == "running"; }
bool failed_task(const engine::TaskInfo& t) {
  return t.state == "failed" || t.state == "rejected" || t.state == "orphaned";
}
// Ended, however (complete too: a task stopped for an unhealthy container
// whose process exits 0 on SIGTERM completes).
bool ended_task(const engine::TaskInfo& t) { return t.ended(); }

std::string task_failure(const engine::TaskInfo& t) {
  std::string out = "its task " + t.state;
  if (!t.error.empty())
    out += ": " + t.error;
  else if (!t.message.empty())
    out += ": " + t.message;
  if (t.exit_code) out += " (exit code " + std::to_string(*t.exit_code) + ")";
  return out;
}

// What a start still waits for, when its deadline passes: "2 of 3 tasks
// run; task 3 is 'preparing' (...)", naming the first task not running.
std::string tasks_waited_for(const std::vector<engine::TaskInfo>& tasks, int64_t replicas) {
  auto running = std::count_if(tasks.begin(), tasks.end(), running_task);
  std::string out = std::to_string(running) + " of " + std::to_string(replicas) +
                    (replicas == 1 ? " task runs" : " tasks run");
  auto waiting = std::find_if_not(tasks.begin(), tasks.end(), running_task);
  if (waiting == tasks.end()) return out + (tasks.empty() ? " (no task yet)" : "");
  return out + "; task " + std::to_string(waiting->slot) + " is " + quoted(waiting->state) +
         (waiting->message.empty() ? "" : " (" + waiting->message + ")");
}

// Status's words for a swarm service: "swarm service running (3/3)".
std::string swarm_status_text(const Instance& i) {
  std::string counts =
      " (" + std::to_string(i.tasks_running) + "/" + std::to_string(i.replicas) + ")";
  if (i.running()) return "swarm service running" + counts;
  if (i.exit_code && *i.exit_code != 0)
    return "swarm task failed (" + std::to_string(*i.exit_code) + ")";
  if (i.replicas == 0) return "swarm service scaled to 0";
  return "swarm service starting" + counts;
}

}  // namespace

std::string swarm_service_name(const model::GroupDef& group, const model::ServiceDef& service) {
  return group.name + "_" + service.name;
}

// The fields swarm_service_spec carries to a swarm service, by the field
// table's names (labels go on the swarm service, secrets are bind mounts,
// the build fields shape the image built on the manager).
constexpr const char* kCarriedFields[] = {
    "image",    "env",         "ports",   "volumes",     "entrypoint", "cmd",
    "user",     "stop_signal", "network", "healthcheck", "init",       "stop_grace_period",
    "hostname", "working_dir", "labels",  "secrets",     "build_args", "build_target",
    "replicas"};

void require_carried_fields(const model::GroupDef& group) {
  std::vector<std::string> problems;
  for (const model::ServiceDef& service : group.services) {
    for (const std::string& field : model::fields_written(group, service)) {
      bool carried = false;
      for (const char* name : kCarriedFields) carried = carried || field == name;
      if (!carried)
        problems.push_back("service " + quoted(service.name) + ": field " + quoted(field) +
                           " is not carried to a swarm service by drillmaster yet; leave it "
                           "out to run on a swarm, or use the local target");
    }
    port_problems(service, problems);
  }
  if (!problems.empty()) throw Error(Error::Code::Invalid, join(problems, "\n"));
}

void require_swarm(engine::Client& engine) {
  engine::SwarmInfo info = engine.swarm_info();
  if (info.local_node_state != "active")
    throw Error(Error::Code::Unreachable,
                "the target is a swarm, but the engine at " + engine.address().text +
                    " is not part of one (its swarm state is " + quoted(info.local_node_state) +
                    "); start one with `docker swarm init` (scripts/swarm-engine makes a "
                    "single-node one on a dockerd of its own), or use the local target");
  if (!info.control_available)
    throw Error(Error::Code::Unreachable,
                "the target is a swarm, but the engine at " + engine.address().text +
                    " is a worker node: point DOCKER_HOST at a manager of the swarm");
}

Json swarm_service_spec(const model::GroupDef& group, const model::ServiceDef& service,
                        const engine::Labels& labels, int64_t replicas) {
  Json request = model::create_request(group, service);
  JsonView req = request.view();
  JsonView host = req["HostConfig"];
  Json container = Json::object();
  copy_member(container, "Image", req, "Image");
  copy_member(container, "Env", req, "Env");
  copy_member(container, "Command", req, "Entrypoint");
  copy_member(container, "Args", req, "Cmd");
  copy_member(container, "User", req, "User");
  copy_member(container, "Dir", req, "WorkingDir");
  copy_member(container, "Hostname", req, "Hostname");
  copy_member(container, "StopSignal", req, "StopSignal");
  copy_member(container, "Healthcheck", req, "Healthcheck");
  copy_member(container, "Init", host, "Init");
  if (req["StopTimeout"].is_integer())
    container.set("StopGracePeriod", req["StopTimeout"].integer() * kNanosPerSecond);
  Json mounts = Json::array();
  bool any_mount = false;
  for (const JsonView& m : host["Mounts"].items()) {
    mounts.push(Json::copy(m));
    any_mount = true;
  }
  for (const std::string& bind : host["Binds"].string_list()) {
    mounts.push(bind_mount(bind));
    any_mount = true;
  }
  if (any_mount) container.set("Mounts", std::move(mounts));

  Json network = Json::object();
  network.set("Target", group.network);
  network.set("Aliases", std::vector<std::string>{service.name});
  Json networks = Json::array();
  networks.push(std::move(network));
  Json restart = Json::object();
  restart.set("Condition", "none");
  Json task = Json::object();
  task.set("ContainerSpec", std::move(container));
  task.set("RestartPolicy", std::move(restart));
  task.set("Networks", std::move(networks));

  Json replicated = Json::object();
  replicated.set("Replicas", replicas);
  Json mode = Json::object();
  mode.set("Replicated", std::move(replicated));
  Json spec = Json::object();
  spec.set("Name", swarm_service_name(group, service));
  spec.set("Labels", labels);
  spec.set("TaskTemplate", std::move(task));
  spec.set("Mode", std::move(mode));
  spec.set("EndpointSpec", endpoint_spec(service));
  return spec;
}

namespace {

// Where the running swarm service `id` publishes (engine::swarm_bindings);
// empty when the engine cannot say: status still reports.
std::vector<engine::PortBinding> published_by(engine::Client& engine, const std::string& id) {
  try {
    return engine::swarm_bindings(engine, engine.service_inspect(id));
  } catch (const Error&) {
    return {};
  }
}

}  // namespace

std::vector<ServiceState> swarm_status(
    engine::Client& engine, const model::GroupDef& group,
    const std::function<std::string(const model::ServiceDef&)>& current_hash) {
  Events events(nullptr);
  Instances instances = SwarmTarget(engine, group, events).inventory();
  std::vector<ServiceState> states;
  for (const auto& def : group.services) {
    ServiceState s;
    s.service = def.name;
    const std::vector<Instance>& found = instances.of(def.name);
    if (!found.empty()) {
      const Instance& i = found.front();
      s.state = i.state;
      s.status_text = swarm_status_text(i);
      s.container_id = i.id;
      s.container_name = i.name;
      if (i.running()) s.published = published_by(engine, i.id);
      s.outdated = i.definition_hash != current_hash(def);
    }
    states.push_back(std::move(s));
  }
  return states;
}

SwarmTarget::SwarmTarget(engine::Client& engine, const model::GroupDef& group, Events& events,
                         std::set<std::string> rebuild, const CancelToken* cancel,
                         bool update_in_place, std::string registry)
    : engine_(engine), group_(group), events_(events),
      images_(engine, events, group, std::move(rebuild), cancel),
      pushes_(engine, events, group, std::move(registry), cancel), cancel_(cancel),
      update_in_place_(update_in_place) {}

bool SwarmTarget::poll(const std::function<bool()>& done) {
  for (;;) {
    if (done()) return true;
    const engine::Deadline* deadline = engine::ScopedDeadline::current();
    if (deadline && std::chrono::steady_clock::now() + kPollInterval >= deadline->at) return false;
    if (cancel_ && cancel_->cancelled())
      throw Error(Error::Code::Cancelled, "cancelled while waiting for the swarm");
    std::this_thread::sleep_for(kPollInterval);
  }
}

std::vector<engine::TaskInfo> SwarmTarget::current_tasks(const std::string& id) {
  std::set<std::string> before;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tasks_before_start_.find(id);
    if (it != tasks_before_start_.end()) before = it->second;
  }
  std::map<int64_t, engine::TaskInfo> newest;  // by slot
  for (engine::TaskInfo& t : engine_.task_list({id})) {
    if (before.count(t.id)) continue;
    auto it = newest.find(t.slot);
    if (it == newest.end() || it->second.updated_at < t.updated_at) newest[t.slot] = std::move(t);
  }
  std::vector<engine::TaskInfo> out;
  for (auto& [slot, t] : newest) out.push_back(std::move(t));
  return out;
}

Instances SwarmTarget::inventory() {
  Instances out;
  std::vector<engine::ServiceInfo> services = engine_.service_list(group_filter(group_));
  for (const engine::ServiceInfo& s : services) {
    Instance i;
    i.id = s.id;
    i.name = s.name;
    i.service = label(s.labels, kServiceLabel);
    i.set_up = label(s.labels, kSetUpLabel) == "true";
    i.definition_hash = label(s.labels, kConfigHashLabel);
    i.image_id = label(s.labels, kImageIdLabel);
    i.replicas = s.replicas;
    if (s.replicas == 0) {
      i.state = "exited";
      i.exit_code = 0;
    } else {
      std::vector<engine::TaskInfo> tasks = current_tasks(s.id);
      auto running = std::count_if(tasks.begin(), tasks.end(), running_task);
      auto failed = std::find_if(tasks.begin(), tasks.end(), failed_task);
      i.tasks_running = running;
      if (running >= s.replicas) {
        i.state = "running";
      } else if (failed != tasks.end()) {
        i.state = "exited";
        i.exit_code = failed->exit_code.value_or(-1);
      } else {
        i.state = "created";
      }
    }
    bool defined = std::any_of(group_.services.begin(), group_.services.end(),
                               [&](const model::ServiceDef& d) { return d.name == i.service; });
    if (defined)
      out.by_service[i.service].push_back(std::move(i));
    else
      out.orphans.push_back(std::move(i));
  }
  for (auto& [name, list] : out.by_service)
    std::stable_partition(list.begin(), list.end(), [](const Instance& i) { return i.running(); });
  return out;
}

void SwarmTarget::ensure_network() {
  try {
    engine_.network_inspect(group_.network);
    return;
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;
  }
  try {
    engine_.overlay_network_create(group_.network, network_labels(group_));
  } catch (const Error& e) {
    if (e.code() != Error::Code::Conflict) throw;
  }
}

// The group's overlay network, when drillmaster made it for this group. The
// engine refuses while tasks still use it; their containers go shortly after
// their service, so a refusal is asked again until the step's deadline.
void SwarmTarget::remove_network() {
  std::set<std::string> ids;
  try {
    ids.insert(engine_.network_inspect(group_.network).id);
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;
  }
  for (const engine::NetworkSummary& n : engine_.network_list(group_filter(group_)))
    ids.insert(n.id);
  for (const std::string& id : ids) {
    engine::NetworkSummary network;
    try {
      network = engine_.network_inspect(id);
    } catch (const Error& e) {
      if (e.code() == Error::Code::NotFound) continue;
      throw;
    }
    if (label(network.labels, kGroupLabel) != group_.name) {
      events_.emit("", Phase::Detail,
                   "network '" + network.name +
                       "' was not made by drillmaster for this group; left in place");
      continue;
    }
    std::string refused;
    bool gone = poll([&] {
      try {
        engine_.network_remove(id);
        return true;
      } catch (const Error& e) {
        if (e.code() == Error::Code::NotFound) return true;
        if (e.code() != Error::Code::Conflict && e.code() != Error::Code::Engine) throw;
        refused = e.what();
        return false;
      }
    });
    if (gone)
      events_.emit("", Phase::Removed, "network " + network.name);
    else
      events_.emit("", Phase::Detail, "network '" + network.name + "' left in place: " + refused);
  }
}

// Built or pulled on the manager; with a registry, a built image is pushed
// there too, before its swarm service is made.
std::string SwarmTarget::ensure_image(const model::ServiceDef& service) {
  std::string id = images_.ensure(service);
  pushes_.image_for(service, id);
  return id;
}

void SwarmTarget::remove_replaced_images() { images_.remove_replaced(); }

// A service of that name left behind (made by a start that was killed
// before it could record it) gives way when it is this group's; any other
// keeps the name and the service fails, saying so.
std::string SwarmTarget::create(const model::ServiceDef& service, bool with_setup) {
  engine::ContainerSpec labelled = container_spec(group_, service);
  engine::Labels labels = labelled.labels;
  labels[kSetUpLabel] = with_setup ? "false" : "true";
  labels[kImageIdLabel] = images_.ensure(service);
  Json spec = swarm_service_spec(group_, service, labels, 0);
  // The tasks run the pushed reference when there is one (ensure_image).
  Json image = Json::object();
  image.set("Image", pushes_.image_for(service, labels[kImageIdLabel]));
  Json task = Json::object();
  task.set("ContainerSpec", std::move(image));
  Json patch = Json::object();
  patch.set("TaskTemplate", std::move(task));
  spec.merge(patch.view());
  std::string retired;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = retired_.find(service.name);
    if (it != retired_.end()) {
      retired = it->second;
      retired_.erase(it);
    }
  }
  if (!retired.empty()) {
    // ForceUpdate counted up: a swarm service updated at 0 replicas with an
    // unchanged task template (a changed replicas count or label) starts
    // no task when scaled up again; a new template version does.
    update(retired, [&](Json& current) {
      Json force = Json::object();
      force.set("ForceUpdate", current.view()["TaskTemplate"]["ForceUpdate"].integer(0) + 1);
      Json patch = Json::object();
      patch.set("TaskTemplate", std::move(force));
      current = Json::copy(spec.view());
      current.merge(patch.view());
    });
    events_.emit(service.name, Phase::Detail,
                 "swarm service " + retired.substr(0, 12) + " updated to the new definition");
    return retired;
  }
  try {
    return engine_.service_create(spec);
  } catch (const Error& e) {
    if (e.code() != Error::Code::Conflict) throw;
  }
  std::string name = swarm_service_name(group_, service);
  engine::ServiceInfo holder = engine_.service_inspect(name);
  if (label(holder.labels, kGroupLabel) != group_.name ||
      label(holder.labels, kServiceLabel) != service.name)
    throw Error(Error::Code::Conflict,
                "swarm service name '" + name +
                    "' is taken by a service drillmaster did not make for this group; remove it "
                    "(docker service rm " +
                    name + ") or choose another group name");
  remove(holder.id);
  events_.emit(service.name, Phase::Removed, "leftover swarm service " + holder.id.substr(0, 12));
  return engine_.service_create(spec);
}

std::string SwarmTarget::instance_name(const model::ServiceDef& service) const {
  return swarm_service_name(group_, service);
}

// The swarm's allocator updates a service just made (its ports, its network
// attachment) on its own, so an update may meet a newer version than the one
// read: "update out of sequence". The service is read and the change sent
// again then, a few times.
void SwarmTarget::update(const std::string& id, const std::function<void(Json& spec)>& change) {
  for (int attempt = 1;; ++attempt) {
    engine::ServiceInfo info = engine_.service_inspect(id);
    change(info.spec);
    try {
      engine_.service_update(id, info.version, info.spec);
      return;
    } catch (const Error& e) {
      if (attempt >= 5 || std::string(e.what()).find("out of sequence") == std::string::npos) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 * attempt));
  }
}

void SwarmTarget::scale(const std::string& id, int64_t replicas, std::optional<int> grace_seconds) {
  Json replicated = Json::object();
  replicated.set("Replicas", replicas);
  Json mode = Json::object();
  mode.set("Replicated", std::move(replicated));
  Json patch = Json::object();
  patch.set("Mode", std::move(mode));
  if (grace_seconds) {
    Json container = Json::object();
    container.set("StopGracePeriod", static_cast<int64_t>(*grace_seconds) * kNanosPerSecond);
    Json task = Json::object();
    task.set("ContainerSpec", std::move(container));
    patch.set("TaskTemplate", std::move(task));
  }
  update(id, [&](Json& spec) { spec.merge(patch.view()); });
}

// Scaled to the service's replicas; returns once a task runs in each slot.
// A task that fails or is refused (an image its node cannot get, say) fails
// the start with the task's own words; tasks still not running at the
// step's deadline too, saying how many of them run.
void SwarmTarget::start(const model::ServiceDef& service, const std::string& id) {
  std::set<std::string> before;
  for (const engine::TaskInfo& t : engine_.task_list({id})) before.insert(t.id);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_before_start_[id] = before;
  }
  const int64_t replicas = service.replicas;
  scale(id, replicas, std::nullopt);
  std::vector<engine::TaskInfo> tasks;
  std::string dropped;
  int polls = 0;
  bool settled = poll([&] {
    tasks = current_tasks(id);
    if (std::any_of(tasks.begin(), tasks.end(), ended_task)) return true;
    bool running = std::count_if(tasks.begin(), tasks.end(), running_task) >= replicas;
    // Its nodes once a second, and once more when they run (a task on a
    // node that dropped may still read "running").
    if (running || ++polls % kNodeCheckPolls == 0) dropped = dropped_node(tasks);
    return running || !dropped.empty();
  });
  if (!dropped.empty())
    throw Error(Error::Code::Failed,
                "swarm service '" + swarm_service_name(group_, service) + "': " + dropped);
  auto ended = std::find_if(tasks.begin(), tasks.end(), ended_task);
  if (ended != tasks.end()) fail_ended(service, id, *ended);
  if (!settled)
    throw Error(Error::Code::Timeout,
                "swarm service '" + swarm_service_name(group_, service) +
                    "' did not run in time: " + tasks_waited_for(tasks, replicas));
}

// A task that ended before it ran: its own words, what its health check
// said when the swarm stopped it for that, and its last log lines.
void SwarmTarget::fail_ended(const model::ServiceDef& service, const std::string& id,
                             const engine::TaskInfo& task) {
  std::string why = task_failure(task);
  try {
    engine::ContainerInfo container = engine_.container_inspect(task.container_id);
    if (container.health == "unhealthy")
      why += "; its container turned unhealthy" +
             (container.last_health_check
                  ? " (the last check exited " +
                        std::to_string(container.last_health_check->exit_code) +
                        (container.last_health_check->output.empty()
                             ? ""
                             : ": " + container.last_health_check->output) +
                        ")"
                  : std::string());
  } catch (const Error&) {
    // gone already, or on another node: the task's words stand alone
  }
  std::string said;
  try {
    said = output_tail(id, kFailureLogLines);
  } catch (const Error& e) {
    said = "(its logs could not be read: " + std::string(e.what()) + ")";
  }
  throw Error(Error::Code::Failed,
              "swarm service '" + swarm_service_name(group_, service) + "': " + why +
                  (said.empty() ? " (it wrote no logs)" : "; its last log lines:\n" + said));
}

// A node that runs one of `tasks` and is no longer ready (down,
// disconnected): the swarm keeps such a task as it was, so nothing else
// would end the wait before the timeout. "" when every node is ready.
std::string SwarmTarget::dropped_node(const std::vector<engine::TaskInfo>& tasks) {
  std::set<std::string> seen;
  for (const engine::TaskInfo& t : tasks) {
    if (t.node_id.empty() || t.ended() || !seen.insert(t.node_id).second) continue;
    engine::NodeInfo node = engine_.node_inspect(t.node_id);
    if (node.state == "ready") continue;
    std::string name = node.hostname.empty() ? node.id : node.hostname;
    return "the node " + quoted(name) + (node.address.empty() ? "" : " (" + node.address + ")") +
           " that runs its task is " + node.state +
           (node.message.empty() ? "" : " (" + node.message + ")") +
           "; drillmaster does not move a task off a node: bring the node back, or drain it "
           "(docker node update --availability drain " +
           name + ") so that the swarm places the task elsewhere, and start again";
  }
  return "";
}

Target::Status SwarmTarget::inspect(const std::string& id) {
  Status status;
  std::vector<engine::TaskInfo> tasks = current_tasks(id);
  status.running = !tasks.empty() && std::all_of(tasks.begin(), tasks.end(), running_task);
  for (const engine::TaskInfo& t : tasks)
    if (t.ended() && t.exit_code) status.exit_code = *t.exit_code;
  return status;
}

// Health checks are not followed on a swarm (swarm_target.h): nothing is reported.
void SwarmTarget::follow_health(const std::string&, const std::string&,
                                const std::function<bool(const std::string&)>&,
                                const CancelToken&) {}

std::optional<int64_t> SwarmTarget::wait_exit(const std::string& id, const CancelToken& stop) {
  constexpr auto kWaitInterval = std::chrono::milliseconds(200);
  while (!stop.cancelled()) {
    try {
      for (const engine::TaskInfo& t : current_tasks(id))
        if (t.ended()) return t.exit_code.value_or(-1);
    } catch (const Error&) {
      return std::nullopt;  // gone, or the engine cannot say
    }
    pollfd cancelled{stop.fd(), POLLIN, 0};
    ::poll(&cancelled, 1, static_cast<int>(kWaitInterval.count()));
  }
  return std::nullopt;
}

void SwarmTarget::mark_set_up(const std::string& id, const model::ServiceDef&) {
  Json labels = Json::object();
  labels.set(kSetUpLabel, "true");
  Json patch = Json::object();
  patch.set("Labels", std::move(labels));
  update(id, [&](Json& spec) { spec.merge(patch.view()); });
}

// Scaled to 0 with the grace period as its stop grace; returns once no task
// of it runs.
void SwarmTarget::stop(const std::string& id, int grace_seconds) {
  scale(id, 0, grace_seconds);
  poll([&] {
    std::vector<engine::TaskInfo> tasks = engine_.task_list({id});
    return std::none_of(tasks.begin(), tasks.end(),
                        [](const engine::TaskInfo& t) { return !t.ended() && t.state != "new"; });
  });
}

// Removed; returns once the manager has no container of it left (the
// group's network can go only then).
void SwarmTarget::remove(const std::string& id) {
  if (update_in_place_ && retire(id)) return;
  try {
    engine_.service_remove(id);
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;
  }
  poll([&] { return engine_.container_list({{"com.docker.swarm.service.id", id}}, true).empty(); });
}

// An outdated service of a defined service, stopped already, is kept for
// the create that follows (update_in_place); true when it was.
bool SwarmTarget::retire(const std::string& id) {
  engine::ServiceInfo info;
  try {
    info = engine_.service_inspect(id);
  } catch (const Error& e) {
    if (e.code() == Error::Code::NotFound) return false;
    throw;
  }
  std::string name = label(info.labels, kServiceLabel);
  auto def = std::find_if(group_.services.begin(), group_.services.end(),
                          [&](const model::ServiceDef& d) { return d.name == name; });
  if (def == group_.services.end() || info.replicas != 0 ||
      label(info.labels, kConfigHashLabel) == model::definition_hash(group_, *def))
    return false;
  std::lock_guard<std::mutex> lock(mutex_);
  retired_[name] = id;
  return true;
}

// In the container of its first running task, through the engine
// drillmaster talks to: a task on another node is out of its reach.
model::ExecResult SwarmTarget::exec(const std::string& service, const std::string& id,
                                    const model::ExecRequest& request,
                                    const std::vector<const CancelToken*>& cancel) {
  std::vector<engine::TaskInfo> tasks = current_tasks(id);
  auto task = std::find_if(tasks.begin(), tasks.end(), [](const engine::TaskInfo& t) {
    return running_task(t) && !t.container_id.empty();
  });
  if (task == tasks.end())
    throw Error(Error::Code::Conflict, "service " + quoted(service) +
                                           ": its swarm service has no running task to run "
                                           "the command in; start it first");
  try {
    return exec_in(engine_, service, task->container_id, request, cancel);
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;
    engine::NodeInfo node = engine_.node_inspect(task->node_id);
    throw Error(Error::Code::Invalid,
                "service " + quoted(service) + ": its task runs on the swarm node " +
                    quoted(node.hostname.empty() ? node.id : node.hostname) +
                    ", and a hook's exec reaches only the containers of the node whose engine "
                    "drillmaster talks to (" +
                    engine_.address().text + "); do the work from the task's own command");
  }
}

// The task's own words first (its error), then its last log lines.
std::string SwarmTarget::logs_tail(const std::string& id, int lines) {
  std::string out;
  for (const engine::TaskInfo& t : current_tasks(id))
    if (failed_task(t)) out += task_failure(t) + "\n";
  return out + output_tail(id, lines);
}

std::string SwarmTarget::output_tail(const std::string& id, int lines) {
  std::string out;
  engine::LogOptions options;
  options.tail = lines < 0 ? 0 : lines;
  options.tty = 0;
  engine_.service_logs(id, options, [&](engine::LogStream, const std::string& data) {
    out += data;
    return true;
  });
  return out;
}

}  // namespace dm::orchestrator
