#include "orchestrator/inventory.h"

#include <algorithm>
#include <exception>

#include "common/error.h"
#include "orchestrator/identity.h"

namespace dm::orchestrator {

const std::vector<engine::ContainerSummary>& Inventory::of(const std::string& service) const {
  static const std::vector<engine::ContainerSummary> none;
  auto it = by_service.find(service);
  return it == by_service.end() ? none : it->second;
}

std::string health_of(const engine::ContainerSummary& container) {
  const std::string& status = container.status;
  if (status.find("(healthy)") != std::string::npos) return "healthy";
  if (status.find("(unhealthy)") != std::string::npos) return "unhealthy";
  if (status.find("(health: starting)") != std::string::npos) return "starting";
  return "";
}

std::optional<int64_t> exit_code_of(const engine::ContainerSummary& container) {
  static const std::string kExited = "Exited (";
  const std::string& status = container.status;
  if (container.state != "exited" || status.compare(0, kExited.size(), kExited) != 0)
    return std::nullopt;
  size_t end = status.find(')', kExited.size());
  if (end == std::string::npos) return std::nullopt;
  try {
    return std::stoll(status.substr(kExited.size(), end - kExited.size()));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

Inventory take_inventory(engine::Client& engine, const model::GroupDef& group) {
  Inventory inventory;
  for (auto& c : engine.container_list(group_filter(group), /*all=*/true)) {
    auto label = c.labels.find(kServiceLabel);
    bool one_off = c.labels.count(kOneOffLabel) > 0;
    bool defined = !one_off && label != c.labels.end() &&
                   std::any_of(group.services.begin(), group.services.end(),
                               [&](const model::ServiceDef& s) { return s.name == label->second; });
    if (defined) {
      inventory.by_service[label->second].push_back(std::move(c));
    } else {
      inventory.orphans.push_back(std::move(c));
    }
  }
  for (auto& [name, containers] : inventory.by_service)
    std::stable_partition(containers.begin(), containers.end(),
                          [](const engine::ContainerSummary& c) { return c.state == "running"; });
  return inventory;
}

void ensure_network(engine::Client& engine, const model::GroupDef& group) {
  try {
    engine.network_inspect(group.network);
    return;
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;
  }
  try {
    engine.network_create(group.network, network_labels(group));
  } catch (const Error& e) {
    // Made meanwhile by someone else: fine, it exists now.
    if (e.code() != Error::Code::Conflict) throw;
  }
}

}  // namespace dm::orchestrator
