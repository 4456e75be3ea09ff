// Container calls: create, start, stop, kill, wait, remove, rename, inspect, list.
#include "common/text.h"
#include "engine/answers.h"
#include "engine/engine_client.h"

namespace dm::engine {

namespace {

// "80" means "80/tcp", as on the docker command line.
std::string port_key(const std::string& port) {
  return port.find('/') == std::string::npos ? port + "/tcp" : port;
}

Json create_body(const ContainerSpec& spec) {
  Json body = Json::object();
  body.set("Image", spec.image);
  if (!spec.env.empty()) body.set("Env", spec.env);
  if (!spec.labels.empty()) body.set("Labels", spec.labels);
  if (spec.entrypoint) body.set("Entrypoint", *spec.entrypoint);
  if (spec.cmd) body.set("Cmd", *spec.cmd);
  if (!spec.user.empty()) body.set("User", spec.user);
  if (!spec.stop_signal.empty()) body.set("StopSignal", spec.stop_signal);
  if (spec.tty) body.set("Tty", true);

  Json host = Json::object();
  if (!spec.ports.empty()) {
    Json exposed = Json::object();
    std::map<std::string, Json> bindings;  // one list per container port
    for (const PortBinding& port : spec.ports) {
      std::string key = port_key(port.container_port);
      exposed.set(key.c_str(), Json::object());
      Json binding = Json::object();
      binding.set("HostIp", port.host_ip);
      // "" lets the engine pick a free port.
      binding.set("HostPort", port.host_port > 0 ? std::to_string(port.host_port) : "");
      auto it = bindings.find(key);
      if (it == bindings.end()) it = bindings.emplace(key, Json::array()).first;
      it->second.push(std::move(binding));
    }
    body.set("ExposedPorts", std::move(exposed));
    Json port_bindings = Json::object();
    for (auto& [key, list] : bindings) port_bindings.set(key.c_str(), std::move(list));
    host.set("PortBindings", std::move(port_bindings));
  }
  if (!spec.mounts.empty()) {
    // Binds take both host paths and volume names: "src:dst[:ro]".
    std::vector<std::string> binds;
    for (const Mount& mount : spec.mounts)
      binds.push_back(mount.source + ":" + mount.target + (mount.read_only ? ":ro" : ""));
    host.set("Binds", binds);
  }
  if (!spec.network.empty()) {
    // Only this network: not also the default bridge.
    host.set("NetworkMode", spec.network);
    Json endpoint = Json::object();
    if (!spec.network_aliases.empty()) endpoint.set("Aliases", spec.network_aliases);
    Json endpoints = Json::object();
    endpoints.set(spec.network.c_str(), std::move(endpoint));
    Json networking = Json::object();
    networking.set("EndpointsConfig", std::move(endpoints));
    body.set("NetworkingConfig", std::move(networking));
  }
  body.set("HostConfig", std::move(host));
  return body;
}

}  // namespace

std::string EngineClient::container_create(const ContainerSpec& spec) {
  std::string what = "create container " + quoted(spec.name);
  return guarded(what, [&] {
    std::string path = versioned("/containers/create");
    if (!spec.name.empty()) path += "?name=" + url_encode(spec.name);
    Request r = request("POST", path, what);
    r.body = create_body(spec).dump();
    r.content_type = "application/json";
    return parse_created_id(send(r).body, "POST /containers/create");
  });
}

void EngineClient::container_start(const std::string& id) {
  std::string what = "start container " + quoted(id);
  guarded(what, [&] {
    send(request("POST", versioned("/containers/" + path_encode(id) + "/start"), what), {304});
  });
}

void EngineClient::container_stop(const std::string& id, int grace_seconds) {
  std::string what = "stop container " + quoted(id);
  guarded(what, [&] {
    Request r = request("POST",
                        versioned("/containers/" + path_encode(id) + "/stop?t=" +
                                  std::to_string(grace_seconds < 0 ? 0 : grace_seconds)),
                        what);
    // The engine answers only after the grace period and the kill.
    if (r.timeout > 0) r.timeout += grace_seconds > 0 ? grace_seconds : 0;
    send(r, {304});
  });
}

void EngineClient::container_kill(const std::string& id, const std::string& signal) {
  std::string what = "kill container " + quoted(id);
  guarded(what, [&] {
    std::string path = versioned("/containers/" + path_encode(id) + "/kill");
    if (!signal.empty()) path += "?signal=" + url_encode(signal);
    send(request("POST", path, what));
  });
}

std::optional<int64_t> EngineClient::container_wait(const std::string& id,
                                                    const std::atomic<bool>* cancel) {
  std::string what = "wait for container " + quoted(id);
  return guarded(what, [&]() -> std::optional<int64_t> {
    Request r = request(
        "POST", versioned("/containers/" + path_encode(id) + "/wait?condition=not-running"), what);
    r.timeout = 0;  // ends when the container does
    r.cancel = cancel;
    Response answer = send(r);
    if (answer.cancelled) return std::nullopt;
    // Never "exited with 0" unless the engine said so: StatusCode is required.
    return parse_container_wait(answer.body, "POST /containers/" + id + "/wait");
  });
}

void EngineClient::container_remove(const std::string& id, bool force, bool volumes) {
  std::string what = "remove container " + quoted(id);
  guarded(what, [&] {
    std::string path = versioned("/containers/" + path_encode(id)) +
                       "?force=" + (force ? "1" : "0") + "&v=" + (volumes ? "1" : "0");
    send(request("DELETE", path, what));
  });
}

void EngineClient::container_rename(const std::string& id, const std::string& name) {
  std::string what = "rename container " + quoted(id) + " to " + quoted(name);
  guarded(what, [&] {
    send(request("POST", versioned("/containers/" + path_encode(id) + "/rename?name=" +
                                   url_encode(name)),
                 what));
  });
}

ContainerInfo EngineClient::container_inspect(const std::string& id) {
  std::string what = "inspect container " + quoted(id);
  return guarded(what, [&] {
    std::string path = versioned("/containers/" + path_encode(id) + "/json");
    return parse_container_inspect(send(request("GET", path, what)).body,
                                   "GET /containers/" + id + "/json");
  });
}

std::vector<ContainerSummary> EngineClient::container_list(const Labels& label_filters, bool all) {
  std::string what = "list containers";
  return guarded(what, [&] {
    std::string path = versioned("/containers/json?all=") + (all ? "1" : "0");
    std::string filters = label_filters_query(label_filters);
    if (!filters.empty()) path += "&" + filters;
    return parse_container_list(send(request("GET", path, what)).body);
  });
}

}  // namespace dm::engine
