#include "engine/published.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "common/error.h"
#include "common/excerpt.h"
#include "common/text.h"

namespace dm::engine {

namespace {

bool is_ipv6(const std::string& ip) { return ip.find(':') != std::string::npos; }

std::string host_for(const std::string& ip, const Address& engine) {
  bool any_ipv4 = ip.empty() || ip == "0.0.0.0";
  bool any_ipv6 = ip == "::";
  if (!any_ipv4 && !any_ipv6) return ip;
  if (engine.kind == Address::Kind::Tcp) return engine.host;
  return any_ipv6 ? "::1" : "127.0.0.1";
}

// "80/tcp on host port 32769, 53/udp on host port 32770", each pair once,
// cut short when a container publishes hundreds; "none" when there are none.
std::string published_list(const std::vector<PortBinding>& ports) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const PortBinding& p : ports) {
    if (p.host_port <= 0) continue;
    std::string text = p.container_port + " on host port " + std::to_string(p.host_port);
    if (seen.insert(text).second) out.push_back(text);
  }
  return out.empty() ? "none" : excerpt(join(out, ", "));
}

}  // namespace

HostAddress connect_address(const ContainerInfo& info, const std::string& container_port,
                            const Address& engine, const std::string& container) {
  std::string who = "container " + quoted(excerpt(info.name.empty() ? container : info.name));
  if (!info.running)
    throw Error(Error::Code::NotFound, who + " is not running (" +
                                           (info.state.empty() ? "stopped" : info.state) +
                                           "), so it publishes no ports and " + container_port +
                                           " has no host port; start it first");
  const PortBinding* chosen = nullptr;
  for (const PortBinding& binding : info.ports) {
    if (binding.container_port != container_port || binding.host_port <= 0) continue;
    if (chosen == nullptr || (is_ipv6(chosen->host_ip) && !is_ipv6(binding.host_ip)))
      chosen = &binding;
  }
  if (chosen == nullptr)
    throw Error(Error::Code::NotFound, who + " does not publish " + container_port +
                                           " (published: " + published_list(info.ports) +
                                           "); add it to the service's ports");
  return HostAddress{host_for(chosen->host_ip, engine), chosen->host_port};
}

namespace {

std::string node_address(Client& client, const std::string& node_id) {
  NodeInfo node = client.node_inspect(node_id);
  if (node.address.empty())
    throw Error(Error::Code::Engine, "the engine gave no address (Status.Addr) for swarm node " +
                                         quoted(node.hostname.empty() ? node_id : node.hostname));
  return node.address;
}

// The address of `container_port` of the swarm service `id_or_name`: the
// node of its running task and the port published there, in mode=host or
// through the routing mesh (where that node answers too); nullopt when the
// engine has no such service (or no swarm).
std::optional<HostAddress> swarm_published(Client& client, const std::string& id_or_name,
                                           const std::string& container_port) {
  ServiceInfo service;
  try {
    service = client.service_inspect(id_or_name);
  } catch (const Error&) {
    return std::nullopt;  // not a service (a container that is gone, or no swarm)
  }
  std::string mesh_node;
  std::vector<std::string> published;
  for (const PortBinding& p : swarm_bindings(client, service, &mesh_node)) {
    std::string host = p.host_ip.empty() ? mesh_node : p.host_ip;
    if (p.container_port == container_port && p.host_port > 0 && !host.empty())
      return HostAddress{host, p.host_port};
    if (std::find(published.begin(), published.end(), p.container_port) == published.end())
      published.push_back(p.container_port);
  }
  throw Error(Error::Code::NotFound,
              "swarm service " + quoted(service.name) + " has no running task that publishes " +
                  container_port +
                  (published.empty() ? "" : " (it publishes: " + join(published, ", ") + ")"));
}

}  // namespace

HostAddress published_address(Client& client, const std::string& container,
                              const std::string& container_port) {
  ContainerInfo info;
  try {
    info = client.container_inspect(container);
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;
    if (std::optional<HostAddress> swarm = swarm_published(client, container, container_port))
      return *swarm;
    throw Error(Error::Code::NotFound, "container " + quoted(excerpt(container)) +
                                           " does not exist, so it publishes no " + container_port +
                                           " (" + e.what() + ")");
  }
  return connect_address(info, container_port, client.address(), container);
}

std::vector<PortBinding> swarm_bindings(Client& client, const ServiceInfo& service,
                                        std::string* mesh_node) {
  std::vector<PortBinding> out = service.ingress_ports;
  std::map<std::string, std::string> addresses;  // node id -> its address
  auto address_of = [&](const std::string& node) {
    auto it = addresses.find(node);
    if (it == addresses.end()) it = addresses.emplace(node, node_address(client, node)).first;
    return it->second;
  };
  for (const TaskInfo& task : client.task_list({service.id})) {
    if (task.state != "running") continue;
    if (mesh_node && mesh_node->empty() && !service.ingress_ports.empty())
      *mesh_node = address_of(task.node_id);
    for (PortBinding p : task.ports) {
      p.host_ip = address_of(task.node_id);
      bool listed = std::any_of(out.begin(), out.end(), [&](const PortBinding& o) {
        return o.container_port == p.container_port && o.host_ip == p.host_ip &&
               o.host_port == p.host_port;
      });
      if (!listed) out.push_back(p);
    }
  }
  return out;
}

}  // namespace dm::engine
