#include "orchestrator/identity.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "common/version.h"
#include "model/request.h"

namespace dm::orchestrator {

std::string container_name(const model::GroupDef& group, const model::ServiceDef& service) {
  return group.name + "-" + service.name + "-1";
}

std::string setup_name(const std::string& final_name) { return final_name + ".setup"; }

bool set_up(const engine::ContainerSummary& c, const std::string& final_name) {
  return c.state != "created" &&
         std::find(c.names.begin(), c.names.end(), final_name) != c.names.end();
}

engine::Labels network_labels(const model::GroupDef& group) {
  return {{kGroupLabel, group.name}, {kVersionLabel, kVersion}};
}

engine::Labels group_filter(const model::GroupDef& group) { return {{kGroupLabel, group.name}}; }

engine::ContainerSpec container_spec(const model::GroupDef& group,
                                     const model::ServiceDef& service) {
  engine::ContainerSpec spec;
  spec.name = container_name(group, service);
  spec.body = model::create_request(group, service);
  spec.labels = {{kGroupLabel, group.name},
                 {kServiceLabel, service.name},
                 {kVersionLabel, kVersion},
                 {kConfigHashLabel, model::definition_hash(group, service)}};
  // The service's own labels (its labels field), beside these.
  for (const auto& [name, value] : spec.body.view()["Labels"].string_map())
    spec.labels.emplace(name, value);
  return spec;
}

engine::ContainerSpec one_off_spec(const model::GroupDef& group, const model::ServiceDef& service) {
  engine::ContainerSpec spec;
  char suffix[9];
  std::snprintf(suffix, sizeof suffix, "%08x", static_cast<unsigned>(std::random_device{}()));
  spec.name = group.name + "-" + service.name + "-run-" + suffix;
  spec.body = model::create_request(group, service, model::Use::OneOff);
  spec.labels = {{kGroupLabel, group.name},
                 {kServiceLabel, service.name},
                 {kVersionLabel, kVersion},
                 {kOneOffLabel, "true"}};
  return spec;
}

}  // namespace dm::orchestrator
