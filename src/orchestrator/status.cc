// What runs now: one list call, compared with the definitions.
#include <algorithm>
#include <cstdlib>
#include <set>
#include <tuple>

#include "common/error.h"
#include "common/text.h"
#include "model/request.h"
#include "orchestrator/hooks.h"
#include "orchestrator/identity.h"
#include "orchestrator/inventory.h"
#include "orchestrator/orchestrator.h"
#include "orchestrator/service_files.h"
#include "orchestrator/swarm_target.h"

namespace dm::orchestrator {
namespace {

// "0.0.0.0:5433->5433/tcp, 53/udp", each binding once (the engine lists the
// IPv4 and IPv6 sides of one binding separately).
std::string ports_text(const std::vector<engine::PortBinding>& ports) {
  std::set<std::string> seen;
  std::vector<std::string> out;
  for (const auto& p : ports) {
    std::string text = p.host_port > 0
                           ? (p.host_ip.empty() || p.host_ip == "::" ? "0.0.0.0" : p.host_ip) +
                                 ":" + std::to_string(p.host_port) + "->" + p.container_port
                           : p.container_port;
    if (seen.insert(text).second) out.push_back(text);
  }
  return join(out, ", ");
}

// The bindings in a stable order: by container port number and protocol,
// then IPv4 before IPv6 ("0.0.0.0" sorts before "::").
std::vector<engine::PortBinding> published(std::vector<engine::PortBinding> ports) {
  auto key = [](const engine::PortBinding& p) {
    int number = std::atoi(p.container_port.c_str());
    std::string protocol = p.container_port.substr(p.container_port.find('/') + 1);
    return std::make_tuple(number, protocol, p.host_ip.find(':') != std::string::npos, p.host_ip,
                           p.host_port);
  };
  std::sort(ports.begin(), ports.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });
  return ports;
}

// The group as start would see it, its services' files read; as defined
// when one cannot be read (start will say why; only the outdated flags may
// be off).
model::GroupDef as_started(const model::GroupDef& defined) {
  try {
    return with_service_files(defined);
  } catch (const Error&) {
    return defined;
  }
}

}  // namespace

std::vector<ServiceState> status(engine::Client& engine, const model::GroupDef& defined,
                                 TargetKind target) {
  const model::GroupDef group = as_started(defined);
  HookPool pool(1, nullptr);  // prepare hooks, one at a time; nothing cancels a status
  HookRunner hooks(pool, group);
  // The hash of what start would create, prepare hook included.
  auto current_hash = [&](const model::ServiceDef& def) {
    auto deadline = Clock::now() + std::chrono::seconds(def.timeout > 0 ? int(def.timeout) : 30);
    model::ServiceDef current = def;
    try {
      current = hooks.prepare(def, deadline);
    } catch (const Error&) {
      // Status still reports; only the outdated flag may be off.
    }
    return model::definition_hash(group, current);
  };
  if (target == TargetKind::Swarm) {
    require_swarm(engine);
    std::vector<ServiceState> states = swarm_status(engine, group, current_hash);
    for (ServiceState& s : states) {
      s.ports = ports_text(s.published);
      s.published = published(std::move(s.published));
    }
    return states;
  }
  Inventory inventory = take_inventory(engine, group);
  std::vector<ServiceState> states;
  for (const auto& def : group.services) {
    ServiceState s;
    s.service = def.name;
    const auto& containers = inventory.of(def.name);
    if (!containers.empty()) {
      const engine::ContainerSummary& c = containers.front();
      s.state = c.state;
      s.status_text = c.status;
      // A job's end says how it went: "completed (0)", "failed (3)".
      std::optional<int64_t> code = exit_code_of(c);
      if (def.oneshot && code) {
        s.state = *code == 0 ? "completed" : "failed";
        s.status_text = s.state + " (" + std::to_string(*code) + ")";
      }
      s.health = health_of(c);
      s.container_id = c.id;
      s.container_name = c.names.empty() ? "" : c.names.front();
      s.image = c.image;
      s.ports = ports_text(c.ports);
      s.published = published(c.ports);
      auto hash = c.labels.find(kConfigHashLabel);
      s.outdated = hash == c.labels.end() || hash->second != current_hash(def);
    }
    states.push_back(std::move(s));
  }
  return states;
}

}  // namespace dm::orchestrator
