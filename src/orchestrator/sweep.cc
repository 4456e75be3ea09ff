#include "orchestrator/sweep.h"

#include <vector>

#include "common/error.h"
#include "engine/deadline.h"
#include "orchestrator/events.h"
#include "orchestrator/identity.h"
#include "orchestrator/local_target.h"
#include "orchestrator/lock.h"
#include "orchestrator/runs.h"

namespace dm::orchestrator {

namespace {

// Each engine step of a sweep gets its own bound: an engine that stops
// answering ends the sweep, and the reaper tries again with the next one.
class Step {
 public:
  Step() : deadline_(kEngineMarginSeconds, budget()) {}

 private:
  static const std::string& budget() {
    static const std::string text =
        "the sweep's " + seconds_text(kEngineMarginSeconds) + " s limit for each engine step";
    return text;
  }
  engine::ScopedDeadline deadline_;
};

}  // namespace

size_t sweep_group(engine::Client& engine, const std::string& group, const std::string& network,
                   const CancelToken& cancel) {
  model::GroupDef def;  // no services: every container of the group is a leftover
  def.name = group;
  def.network = network;
  Events events(nullptr);
  GroupLock lock(group, events, cancel, GroupLock::kStopWaitSeconds);
  std::vector<engine::ContainerSummary> containers;
  {
    Step step;
    containers = engine.container_list(group_filter(def), /*all=*/true);
  }
  size_t left = 0;
  for (const engine::ContainerSummary& c : containers) {
    try {
      Step step;
      engine.container_remove(c.id, /*force=*/true, /*volumes=*/true);
    } catch (const Error& e) {
      if (e.code() != Error::Code::NotFound) left++;  // gone already is what we wanted
    }
  }
  Step step;
  LocalTarget target(engine, def, events);
  target.remove_network();
  return left;
}

}  // namespace dm::orchestrator
