// Makes sure each service's image exists before its container is created:
// builds it when the service has a build context (and the image is missing or
// a rebuild was asked for), pulls it when it has none and is missing. Each
// image is inspected, built or pulled once per operation however many
// services use it, and services waiting for the same image share the answer.
#ifndef DM_ORCHESTRATOR_IMAGES_H
#define DM_ORCHESTRATOR_IMAGES_H

#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/events.h"

namespace dm::orchestrator {

// Whether the existing image `image_id`, under a service's image name, was
// built with the service's build (model/build.h), whose hash is `hash`: the one
// rule for it. Images carry no label of drillmaster's (the engine's classic
// builder spends a build step, a committed container, on each label), so the
// service's `containers` tell: each records the build hash it was made with
// (kBuildLabel) and runs an image id. Fresh when a container running this very
// image records `hash`, or, when `hash` is "" (no build_args, no build_target),
// when none running it records another one. Otherwise the image is built
// again: an unchanged build is quick from the builder's cache and yields the
// same image id, so nothing is replaced.
bool image_fresh(const std::string& image_id, const std::string& hash,
                 const std::vector<engine::ContainerSummary>& containers);

class Images {
 public:
  // `rebuild`: services whose images are rebuilt even when present;
  // `cancel` (may be null): once cancelled, a build under way stops.
  Images(engine::Client& engine, Events& events, const model::GroupDef& group,
         std::set<std::string> rebuild, const CancelToken* cancel = nullptr)
      : engine_(engine), events_(events), group_(group), rebuild_(std::move(rebuild)),
        cancel_(cancel) {}

  // The id of `service`'s image, built or pulled first when needed.
  // Thread-safe. Throws dm::Error naming the service when that fails.
  std::string ensure(const model::ServiceDef& service);

  // Images that this operation replaced by a build: old id -> tag. They can be
  // removed once no container uses them.
  std::map<std::string, std::string> replaced() const;

  // Removes the images replaced() lists, so rebuilds do not pile them up;
  // one still in use (a container, a child image) stays. Never throws.
  void remove_replaced();

 private:
  std::string prepare(const model::ServiceDef& service);
  std::string build(const model::ServiceDef& service);

  engine::Client& engine_;
  Events& events_;
  const model::GroupDef& group_;
  std::set<std::string> rebuild_;
  const CancelToken* cancel_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_future<std::string>> images_;  // by image name
  std::map<std::string, std::string> replaced_;
};

}  // namespace dm::orchestrator

#endif
