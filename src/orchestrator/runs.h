// The shared machinery behind start, stop and reload. The public entry points
// (orchestrator.h) take the group lock and then call these; reload combines
// them under one lock.
#ifndef DM_ORCHESTRATOR_RUNS_H
#define DM_ORCHESTRATOR_RUNS_H

#include <atomic>
#include <set>
#include <string>

#include "common/text.h"
#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/events.h"
#include "orchestrator/images.h"
#include "orchestrator/operation.h"

namespace dm::orchestrator {

// What an engine step may take on top of the time it legitimately needs (a
// stop's grace period), and the least any engine step is given: an engine
// that stops answering fails the step after that long, and a busy one is not
// taken for a frozen one.
inline constexpr double kEngineMarginSeconds = 10;

// Which services a start works on, beyond the options.
struct StartScope {
  std::set<size_t> include;      // services worked on; the others get `left_out` with...
  Outcome::Kind left_out = Outcome::Kind::Excluded;
  std::string left_out_reason;   // ...this reason
  std::set<size_t> recreate;     // always get a new container (reload's service)
  Outcome::Kind recreated_outcome = Outcome::Kind::Started;
};

Result run_start(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
                 const StartScope& scope, Images& images, Events& events,
                 const std::atomic<bool>& cancel);

// Which services a stop works on.
struct StopScope {
  std::set<size_t> include;
  std::set<size_t> remove;       // their containers are removed after stopping
  bool remove_orphans = false;   // containers of services no longer defined
  bool remove_network = false;
};

Result run_stop(engine::Client& engine, const model::GroupDef& group, double grace_seconds,
                const StopScope& scope, Events& events, const std::atomic<bool>& cancel);

}  // namespace dm::orchestrator

#endif
