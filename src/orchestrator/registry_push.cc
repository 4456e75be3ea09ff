#include "orchestrator/registry_push.h"

#include <vector>

#include "common/error.h"
#include "common/text.h"
#include "engine/deadline.h"
#include "model/registry.h"

namespace dm::orchestrator {

void require_registry(const std::string& registry, TargetKind target,
                      const model::GroupDef& group) {
  if (registry.empty()) return;
  if (target != TargetKind::Swarm)
    throw Error(Error::Code::Invalid,
                "registry " + quoted(registry) +
                    ": the registry setting applies to the swarm target only (--target swarm, "
                    "DM_TARGET_SWARM), whose nodes pull the images drillmaster builds from it; "
                    "leave it out on the local target");
  std::string problem = model::registry_problem(registry);
  if (!problem.empty()) throw Error(Error::Code::Invalid, problem);
  std::vector<std::string> problems;
  for (const model::ServiceDef& service : group.services) {
    if (service.build_context.empty()) continue;
    std::string name = model::pushed_name_problem(group.name, service.name);
    if (!name.empty()) problems.push_back(name);
  }
  if (!problems.empty()) throw Error(Error::Code::Invalid, join(problems, "\n"));
}

std::string RegistryPushes::image_for(const model::ServiceDef& service,
                                      const std::string& image_id) {
  if (registry_.empty() || service.build_context.empty()) return service.image;
  const std::string key = service.name + " " + image_id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = pushed_.find(key);
    if (it != pushed_.end()) return it->second;
  }
  std::string reference = push(service, image_id);
  std::lock_guard<std::mutex> lock(mutex_);
  pushed_[key] = reference;
  return reference;
}

std::string RegistryPushes::push(const model::ServiceDef& service, const std::string& image_id) {
  const std::string repository = model::pushed_repository(registry_, group_.name, service.name);
  const std::string tag = model::pushed_tag(image_id);
  const std::string reference = repository + ":" + tag;
  events_.emit(service.name, Phase::Detail,
               "pushing image '" + service.image + "' as '" + reference + "'");
  bool tagged = false;
  try {
    engine_.image_tag(image_id, repository, tag);
    tagged = true;
    engine_.image_push(
        repository, tag,
        [&](const std::string& line) { events_.emit(service.name, Phase::Detail, line); }, cancel_);
  } catch (const Error& e) {
    try {
      if (tagged) engine_.image_remove(reference, /*force=*/false);  // the tag only
    } catch (const Error&) {
      // Left as a tag of the image; the next push of the same build reuses it.
    }
    if (e.code() == Error::Code::Cancelled) throw;
    throw Error(e.code(),
                "service " + quoted(service.name) + ": pushing its image '" + service.image +
                    "' as '" + reference + "' to registry " + quoted(registry_) +
                    " failed: " + e.what() +
                    "; check that the registry runs and that the engine reaches it (a registry "
                    "over plain http must be in the engines' insecure-registries, others need "
                    "TLS; drillmaster does not log in yet), or leave the registry out on a "
                    "single-node swarm");
  }
  // A push may outlast the step's deadline, as a build may.
  engine::ScopedDeadline::restart();
  return reference;
}

}  // namespace dm::orchestrator
