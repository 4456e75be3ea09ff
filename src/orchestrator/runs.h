// The shared machinery behind start, stop and reload: each a plan (plan.h)
// run by an executor (executor.h) whose jobs' steps call a Target
// (target.h). The public entry points (orchestrator.h) take the group lock
// and then call these; reload combines them under one lock.
#ifndef DM_ORCHESTRATOR_RUNS_H
#define DM_ORCHESTRATOR_RUNS_H

#include <set>
#include <string>

#include "common/cancel.h"
#include "common/text.h"

#include "model/service.h"
#include "orchestrator/events.h"
#include "orchestrator/operation.h"
#include "orchestrator/target.h"

namespace dm::orchestrator {

// What an engine step may take on top of the time it legitimately needs (a
// stop's grace period), and the least any engine step is given: an engine
// that stops answering fails the step after that long, and a busy one is not
// taken for a frozen one.
inline constexpr double kEngineMarginSeconds = 10;

// The grace period a service's container gets between its stop signal and
// SIGKILL, in whole seconds as the engine takes it: the service's own
// stop_grace_period when it has one, else the operation's. Every stop of a
// service's container (stop, reload, an outdated or failed container in
// start) asks this.
int stop_grace_seconds(const model::ServiceDef& service, double operation_grace);

// What the runs of one operation share.
struct Operation {
  const model::GroupDef& group;
  Target& target;
  Events& events;
  CancelWatcher& watcher;  // of the operation's cancellation token
};

// Which services a start works on, beyond the options.
struct StartScope {
  std::set<size_t> include;  // services worked on; the others get `left_out` with...
  Outcome::Kind left_out = Outcome::Kind::Excluded;
  std::string left_out_reason;  // ...this reason
  std::set<size_t> recreate;    // always get a new container (reload's service; its
                                // dependants too with run_new_containers)
  std::set<size_t> reloaded;    // their new container's outcome is Reloaded, not Started
};

Result run_start(const Operation& operation, const StartOptions& options, const StartScope& scope);

// Which services a stop works on.
struct StopScope {
  std::set<size_t> include;
  std::set<size_t> remove;      // their containers are removed after stopping
  bool remove_orphans = false;  // containers of services no longer defined
  bool remove_network = false;
};

// `grace_seconds`: the operation's grace period (see stop_grace_seconds()).
Result run_stop(const Operation& operation, double grace_seconds, const StopScope& scope);

}  // namespace dm::orchestrator

#endif
