// What the engine has of a group, from one label-filtered list call: each
// service's containers (running ones first) and the containers labelled for
// the group whose service is no longer defined, or that are one-offs
// (identity.h, kOneOffLabel), which are never a service's container.
#ifndef DM_ORCHESTRATOR_INVENTORY_H
#define DM_ORCHESTRATOR_INVENTORY_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/client.h"
#include "model/service.h"

namespace dm::orchestrator {

struct Inventory {
  std::map<std::string, std::vector<engine::ContainerSummary>> by_service;
  std::vector<engine::ContainerSummary> orphans;  // one-offs among them

  // The service's containers, running ones first; empty when it has none.
  const std::vector<engine::ContainerSummary>& of(const std::string& service) const;
};

Inventory take_inventory(engine::Client& engine, const model::GroupDef& group);

// A container's health as its list entry says it ("Up 3 minutes (healthy)"
// -> "healthy"): "starting", "healthy", "unhealthy", or "" without a health
// check.
std::string health_of(const engine::ContainerSummary& container);

// An exited container's exit code as its list entry says it ("Exited (3) 2
// minutes ago" -> 3); nullopt when it has not exited.
std::optional<int64_t> exit_code_of(const engine::ContainerSummary& container);

// Makes sure the group's network exists, creating it with the group's labels
// when missing. A network of that name that drillmaster did not make is used
// as it is (and never removed by stop).
void ensure_network(engine::Client& engine, const model::GroupDef& group);

}  // namespace dm::orchestrator

#endif
