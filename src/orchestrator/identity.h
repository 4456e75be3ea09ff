// How drillmaster recognises what it made: the labels on every container and
// network (the definition hash, which tells whether an existing container
// still matches its service's definition, among them) and container names.
#ifndef DM_ORCHESTRATOR_IDENTITY_H
#define DM_ORCHESTRATOR_IDENTITY_H

#include <string>

#include "engine/client.h"
#include "model/build.h"
#include "model/service.h"

namespace dm::orchestrator {

inline constexpr const char* kGroupLabel = "io.drillmaster.group";
inline constexpr const char* kServiceLabel = "io.drillmaster.service";
inline constexpr const char* kConfigHashLabel = "io.drillmaster.config-hash";
inline constexpr const char* kVersionLabel = "io.drillmaster.version";
using model::kBuildLabel;  // on containers of built images (model/build.h)
// On one-off containers (`run`), "true": never a service's container, so
// start, status and reuse pass them by; stop --remove removes them with the
// group.
inline constexpr const char* kOneOffLabel = "io.drillmaster.oneoff";

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

// What to create for `service`: the model's create request, and the labels,
// among them kConfigHashLabel with the definition hash (model/request.h),
// compared on later starts.
engine::ContainerSpec container_spec(const model::GroupDef& group,
                                     const model::ServiceDef& service);

// What to create for a one-off run of `service` (`run`): its create request
// for model::Use::OneOff, named "<group>-<service>-run-<8 hex digits>", with
// the group's and service's labels and kOneOffLabel (no definition hash:
// nothing compares it).
engine::ContainerSpec one_off_spec(const model::GroupDef& group, const model::ServiceDef& service);

}  // namespace dm::orchestrator

#endif
