// Swarm calls: /info's Swarm part, overlay networks, /services, /tasks,
// /nodes and service logs. Answers are read through Answer (answer.h): a
// required field missing or of the wrong type is Error::Code::Engine naming
// the request and the field, never a crash.
#include "engine/answer.h"
#include "engine/answers.h"
#include "engine/engine_client.h"
#include "engine/log_frames.h"

namespace dm::engine {
namespace {

Error unsupported(const std::string& what) {
  return Error(Error::Code::Internal, "this engine client cannot " + what);
}

std::string entry(size_t index) { return "entry #" + std::to_string(index + 1); }

ServiceInfo service_of(const Answer& answer, JsonView node, const std::string& subject) {
  answer.object(node, subject);
  ServiceInfo out;
  out.id = answer.nonempty_string(node, "ID", subject);
  JsonView spec = answer.object_member(node, "Spec", subject);
  out.name = spec["Name"].str();
  out.version = static_cast<uint64_t>(answer.integer(node, "Version.Index", subject));
  out.labels = spec["Labels"].string_map();
  JsonView mode = spec["Mode"];
  out.replicas = mode["Replicated"].valid() ? mode["Replicated"]["Replicas"].integer(0) : 1;
  out.spec = Json::copy(spec);
  for (const JsonView& p : node["Endpoint"]["Ports"].items()) {
    if (p["PublishMode"].str("ingress") != "ingress") continue;
    PortBinding binding;
    binding.container_port =
        std::to_string(p["TargetPort"].integer(0)) + "/" + p["Protocol"].str("tcp");
    binding.host_port = static_cast<int>(p["PublishedPort"].integer(0));
    out.ingress_ports.push_back(binding);
  }
  return out;
}

TaskInfo task_of(const Answer& answer, JsonView node, const std::string& subject) {
  answer.object(node, subject);
  TaskInfo out;
  out.id = answer.nonempty_string(node, "ID", subject);
  out.service_id = node["ServiceID"].str();
  out.node_id = node["NodeID"].str();
  out.slot = node["Slot"].integer(0);
  out.desired_state = node["DesiredState"].str();
  out.state = answer.string(node, "Status.State", subject);
  JsonView status = node["Status"];
  out.message = status["Message"].str();
  out.error = status["Err"].str();
  out.updated_at = node["UpdatedAt"].str();
  JsonView container = status["ContainerStatus"];
  out.container_id = container["ContainerID"].str();
  if (container["ExitCode"].is_integer() && out.ended())
    out.exit_code = container["ExitCode"].integer(0);
  for (const JsonView& p : status["PortStatus"]["Ports"].items()) {
    PortBinding binding;
    std::string protocol = p["Protocol"].str("tcp");
    binding.container_port = std::to_string(p["TargetPort"].integer(0)) + "/" + protocol;
    binding.host_port = static_cast<int>(p["PublishedPort"].integer(0));
    out.ports.push_back(binding);
  }
  return out;
}

}  // namespace

bool TaskInfo::ended() const {
  return state == "complete" || state == "failed" || state == "rejected" || state == "shutdown" ||
         state == "orphaned" || state == "remove";
}

SwarmInfo Client::swarm_info() { throw unsupported("read the swarm state"); }
std::string Client::overlay_network_create(const std::string&, const Labels&) {
  throw unsupported("create overlay networks");
}
std::string Client::service_create(const Json&) { throw unsupported("create swarm services"); }
ServiceInfo Client::service_inspect(const std::string&) {
  throw unsupported("inspect swarm services");
}
std::vector<ServiceInfo> Client::service_list(const Labels&) {
  throw unsupported("list swarm services");
}
void Client::service_update(const std::string&, uint64_t, const Json&) {
  throw unsupported("update swarm services");
}
void Client::service_remove(const std::string&) { throw unsupported("remove swarm services"); }
std::vector<TaskInfo> Client::task_list(const std::vector<std::string>&) {
  throw unsupported("list swarm tasks");
}
NodeInfo Client::node_inspect(const std::string&) { throw unsupported("inspect swarm nodes"); }
void Client::service_logs(const std::string&, const LogOptions&, const LogFn&, const CancelToken*) {
  throw unsupported("read swarm service logs");
}

SwarmInfo EngineClient::swarm_info() {
  std::string what = "read the engine's swarm state";
  return guarded(what, [&] {
    Answer answer("GET /info", send(request("GET", versioned("/info"), what)).body);
    JsonView swarm = answer.object_member(answer.root(), "Swarm");
    SwarmInfo out;
    out.local_node_state = answer.string(swarm, "LocalNodeState", "'Swarm'");
    out.control_available = swarm["ControlAvailable"].boolean(false);
    out.node_id = swarm["NodeID"].str();
    out.node_addr = swarm["NodeAddr"].str();
    return out;
  });
}

std::string EngineClient::overlay_network_create(const std::string& name, const Labels& labels) {
  return create_network(name, "overlay", /*attachable=*/true, labels);
}

std::string EngineClient::service_create(const Json& spec) {
  std::string name = spec.view()["Name"].str();
  std::string what = "create swarm service '" + name + "'";
  return guarded(what, [&] {
    Request r = request("POST", versioned("/services/create"), what);
    r.body = spec.dump();
    r.content_type = "application/json";
    Answer answer("POST /services/create", send(r).body);
    return answer.nonempty_string(answer.root(), "ID");
  });
}

ServiceInfo EngineClient::service_inspect(const std::string& id_or_name) {
  std::string what = "inspect swarm service '" + id_or_name + "'";
  return guarded(what, [&] {
    Answer answer(
        "GET /services/" + id_or_name,
        send(request("GET", versioned("/services/" + path_encode(id_or_name)), what)).body);
    return service_of(answer, answer.root(), "");
  });
}

std::vector<ServiceInfo> EngineClient::service_list(const Labels& label_filters) {
  std::string what = "list swarm services";
  return guarded(what, [&] {
    std::string path = versioned("/services");
    std::string filters = label_filters_query(label_filters);
    if (!filters.empty()) path += "?" + filters;
    Answer answer("GET /services", send(request("GET", path, what)).body);
    std::vector<ServiceInfo> out;
    size_t index = 0;
    for (const JsonView& s : answer.list(answer.root()).items())
      out.push_back(service_of(answer, s, entry(index++)));
    return out;
  });
}

void EngineClient::service_update(const std::string& id, uint64_t version, const Json& spec) {
  std::string what = "update swarm service '" + id + "'";
  guarded(what, [&] {
    Request r = request(
        "POST",
        versioned("/services/" + path_encode(id) + "/update?version=" + std::to_string(version)),
        what);
    r.body = spec.dump();
    r.content_type = "application/json";
    send(r);
  });
}

void EngineClient::service_remove(const std::string& id) {
  std::string what = "remove swarm service '" + id + "'";
  guarded(what, [&] { send(request("DELETE", versioned("/services/" + path_encode(id)), what)); });
}

std::vector<TaskInfo> EngineClient::task_list(const std::vector<std::string>& service_ids) {
  std::string what = "list swarm tasks";
  return guarded(what, [&] {
    std::string path = versioned("/tasks");
    if (!service_ids.empty()) {
      Json filters = Json::object();
      filters.set("service", service_ids);
      path += "?filters=" + url_encode(filters.dump());
    }
    Answer answer("GET /tasks", send(request("GET", path, what)).body);
    std::vector<TaskInfo> out;
    size_t index = 0;
    for (const JsonView& t : answer.list(answer.root()).items())
      out.push_back(task_of(answer, t, entry(index++)));
    return out;
  });
}

NodeInfo EngineClient::node_inspect(const std::string& node_id) {
  std::string what = "inspect swarm node '" + node_id + "'";
  return guarded(what, [&] {
    Answer answer("GET /nodes/" + node_id,
                  send(request("GET", versioned("/nodes/" + path_encode(node_id)), what)).body);
    JsonView root = answer.root();
    NodeInfo out;
    out.id = answer.nonempty_string(root, "ID", "");
    out.state = answer.string(root, "Status.State", "");
    out.address = answer.string(root, "Status.Addr", "");
    out.message = root["Status"]["Message"].str();
    out.hostname = root["Description"]["Hostname"].str();
    return out;
  });
}

void EngineClient::service_logs(const std::string& id, const LogOptions& options, const LogFn& fn,
                                const CancelToken* cancel) {
  std::string what = "read the logs of swarm service '" + id + "'";
  guarded(what, [&] {
    std::string query = std::string("?stdout=") + (options.stdout_ ? "1" : "0") +
                        "&stderr=" + (options.stderr_ ? "1" : "0") +
                        "&follow=" + (options.follow ? "1" : "0") +
                        "&timestamps=" + (options.timestamps ? "1" : "0") +
                        "&tail=" + (options.tail < 0 ? "all" : std::to_string(options.tail));
    Request r = request("GET", versioned("/services/" + path_encode(id) + "/logs" + query), what);
    if (options.follow) r.timeout = 0;
    r.cancel = cancel;
    // Services made by drillmaster have no TTY: the output is framed.
    LogDemuxer demuxer(options.tty == 1, "GET /services/" + id + "/logs");
    r.on_data = [&](const char* data, size_t size) { return demuxer.feed(data, size, fn); };
    Response answer = send(r);
    if (!answer.cancelled && !answer.stopped) demuxer.finish();
  });
}

}  // namespace dm::engine
