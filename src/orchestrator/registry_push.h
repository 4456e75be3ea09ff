// The `registry` setting of a start or reload on a swarm target
// (model/registry.h has its value and the names it pushes): the images
// drillmaster builds are tagged "<registry>/<group>_<service>:<id>" and
// pushed there before their swarm service is made, and the service's tasks
// run that reference, so a task on any node of the swarm pulls exactly the
// image this operation built. Images a service names (`image`, not built)
// are left as written.
#ifndef DM_ORCHESTRATOR_REGISTRY_PUSH_H
#define DM_ORCHESTRATOR_REGISTRY_PUSH_H

#include <map>
#include <mutex>
#include <string>

#include "common/cancel.h"
#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/events.h"
#include "orchestrator/operation.h"

namespace dm::orchestrator {

// Throws Code::Invalid, before anything is made, when `registry` is set and
// the target is not a swarm, when its value is not a registry's
// host[:port]/path (a scheme, a tag...), or when a built service's pushed
// name would not be a valid repository name. Each message says what to
// write instead. Nothing when `registry` is "".
void require_registry(const std::string& registry, TargetKind target, const model::GroupDef& group);

class RegistryPushes {
 public:
  // `registry` "": nothing is pushed; `cancel` (may be null) ends a push
  // under way.
  RegistryPushes(engine::Client& engine, Events& events, const model::GroupDef& group,
                 std::string registry, const CancelToken* cancel = nullptr)
      : engine_(engine), events_(events), group_(group), registry_(std::move(registry)),
        cancel_(cancel) {}

  // The image `service`'s tasks run, its image being `image_id`: with a
  // registry and a build context, the pushed reference (tagged and pushed
  // once per operation); otherwise the service's image as written.
  // Thread-safe. A push that fails removes the tag it made and throws,
  // naming the service, the image and the registry and saying what to do.
  std::string image_for(const model::ServiceDef& service, const std::string& image_id);

 private:
  std::string push(const model::ServiceDef& service, const std::string& image_id);

  engine::Client& engine_;
  Events& events_;
  const model::GroupDef& group_;
  std::string registry_;
  const CancelToken* cancel_;
  std::mutex mutex_;
  std::map<std::string, std::string> pushed_;  // "<service> <image id>" -> reference
};

}  // namespace dm::orchestrator

#endif
