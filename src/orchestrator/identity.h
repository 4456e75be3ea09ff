// How drillmaster recognises what it made: the labels on every container and
// network, container names, and the configuration hash that tells whether an
// existing container still matches its service's definition.
#ifndef DM_ORCHESTRATOR_IDENTITY_H
#define DM_ORCHESTRATOR_IDENTITY_H

#include <string>

#include "engine/client.h"
#include "model/service.h"

namespace dm::orchestrator {

inline constexpr const char* kGroupLabel = "io.drillmaster.group";
inline constexpr const char* kServiceLabel = "io.drillmaster.service";
inline constexpr const char* kConfigHashLabel = "io.drillmaster.config-hash";
inline constexpr const char* kVersionLabel = "io.drillmaster.version";

// "<group>-<service>-1": readable, and unique per group on the engine. A
// container gets this name only once it is set up (started, pinged and
// initialised); until then it carries its setup name.
std::string container_name(const model::GroupDef& group, const model::ServiceDef& service);

// "<group>-<service>-1.setup": the name a new container with setup steps (a
// ping, an init) is created under. The engine keeps it, so a container whose
// setup was interrupted (a kill, a crash, a reboot) is known for what it is
// by whoever starts the group next.
std::string setup_name(const std::string& final_name);

// Whether `c` may be taken for a set-up container named `final_name`: it
// carries that name (containers made before setup names existed do too) and
// was started at least once ("created" ones never were).
bool set_up(const engine::ContainerSummary& c, const std::string& final_name);

// The labels every network of the group carries.
engine::Labels network_labels(const model::GroupDef& group);

// The filter that finds everything of the group: {kGroupLabel: group name}.
engine::Labels group_filter(const model::GroupDef& group);

// What to create for `service`, labels included (the config hash among them).
engine::ContainerSpec container_spec(const model::GroupDef& group, const model::ServiceDef& service);

// A digest of everything in `spec` that shapes the container, labels aside;
// stored in kConfigHashLabel at creation and compared on later starts.
std::string config_hash(const engine::ContainerSpec& spec);

// The config hash of the container `service` would get now.
std::string definition_hash(const model::GroupDef& group, const model::ServiceDef& service);

}  // namespace dm::orchestrator

#endif
