#include "orchestrator/images.h"

#include "common/error.h"
#include "common/text.h"
#include "engine/deadline.h"
#include "model/build.h"
#include "model/volumes.h"
#include "orchestrator/identity.h"
#include "orchestrator/runs.h"

namespace dm::orchestrator {

bool image_fresh(const std::string& image_id, const std::string& hash,
                 const std::vector<engine::ContainerSummary>& containers) {
  bool recorded = false;
  bool other = false;
  for (const auto& c : containers) {
    if (c.image_id != image_id) continue;
    auto it = c.labels.find(kBuildLabel);
    std::string theirs = it == c.labels.end() ? "" : it->second;
    (theirs == hash ? recorded : other) = true;
  }
  return recorded || (hash.empty() && !other);
}

std::string Images::ensure(const model::ServiceDef& service) {
  std::promise<std::string> promise;
  std::shared_future<std::string> future;
  bool mine = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = images_.find(service.image);
    if (it == images_.end()) {
      future = promise.get_future().share();
      images_.emplace(service.image, future);
      mine = true;
    } else {
      future = it->second;
    }
  }
  if (mine) {
    try {
      promise.set_value(prepare(service));
    } catch (...) {
      promise.set_exception(std::current_exception());
    }
  }
  try {
    return future.get();
  } catch (const Error& e) {
    if (mine) throw;
    // Another service's build or pull of the same image failed: say so here too.
    throw Error(e.code(), "image '" + service.image + "' is not available: " + e.what());
  }
}

std::map<std::string, std::string> Images::replaced() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return replaced_;
}

void Images::remove_replaced() {
  engine::ScopedDeadline step(kEngineMarginSeconds, "the " + seconds_text(kEngineMarginSeconds) +
                                                        " s limit for removing a replaced image");
  for (const auto& [old_id, tag] : replaced()) {
    try {
      engine_.image_remove(old_id, /*force=*/false);
    } catch (const Error&) {
      // In use, or the engine refused: it stays, as an image left by hand would.
    }
  }
}

std::string Images::prepare(const model::ServiceDef& service) {
  std::optional<engine::ImageInfo> existing = engine_.image_inspect(service.image);
  bool has_context = !service.build_context.empty();
  // Missing, asked for, or built with other build_args or another
  // build_target (the containers are asked only then): built (again).
  bool build_it =
      has_context && (!existing || rebuild_.count(service.name) > 0 ||
                      !image_fresh(existing->id, model::build_hash(service),
                                   engine_.container_list(
                                       {{kGroupLabel, group_.name}, {kServiceLabel, service.name}},
                                       /*all=*/true)));
  if (build_it) {
    std::string id = build(service);
    // A build may outlast the step's deadline, which does not bound it.
    engine::ScopedDeadline::restart();
    if (existing && existing->id != id) {
      std::lock_guard<std::mutex> lock(mutex_);
      replaced_[existing->id] = service.image;
    }
    return id;
  }
  if (existing) return existing->id;
  events_.emit(service.name, Phase::Pulling, service.image);
  try {
    engine_.image_pull(service.image, [&](const std::string& line) {
      events_.emit(service.name, Phase::Detail, line);
    });
  } catch (const Error& e) {
    throw Error(e.code(), "pulling image '" + service.image + "' failed: " + e.what() +
                              "; check the name, or build it locally and give the service a "
                              "build context");
  }
  engine::ScopedDeadline::restart();  // as after a build
  std::optional<engine::ImageInfo> pulled = engine_.image_inspect(service.image);
  if (!pulled)
    throw Error(Error::Code::Engine,
                "image '" + service.image + "' is still missing after pulling it");
  return pulled->id;
}

std::string Images::build(const model::ServiceDef& service) {
  engine::BuildOptions options;
  options.context_dir = model::resolve_build_context(service, group_.directory);
  if (!service.dockerfile.empty()) options.dockerfile = service.dockerfile;
  options.tag = service.image;
  // No labels: the classic builder spends a build step (a committed
  // container) on each; image_fresh() needs none.
  options.build_args = service.build_args;
  options.target = service.build_target;
  options.cancel = cancel_;
  events_.emit(service.name, Phase::Building, service.image + " from " + options.context_dir);
  try {
    return engine_.image_build(
        options, [&](const std::string& line) { events_.emit(service.name, Phase::Detail, line); });
  } catch (const Error& e) {
    throw Error(e.code(),
                std::string("building image '") + service.image + "' failed: " + e.what());
  }
}

}  // namespace dm::orchestrator
