// Taking services down: a plan going down (dependants first), and for each
// service a job that stops its containers once every dependant in the stop
// has stopped, so independent branches stop in parallel. The engine sends
// each container the stop signal it was created with and kills it after the
// grace period. A service's pre_stop hook runs before its running
// container is stopped (so a dependant's before its dependencies stop); its
// failure is reported and the stop goes on.
//
// Every engine request is bounded (engine/deadline.h): a container's stop by
// its grace period plus kEngineMarginSeconds, any other request by the
// margin, so an engine that stops answering fails the service instead of
// holding the stop for minutes.
#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "common/error.h"
#include "engine/client.h"
#include "engine/deadline.h"
#include "model/graph.h"
#include "orchestrator/executor.h"
#include "orchestrator/hook_pool.h"
#include "orchestrator/hooks.h"
#include "orchestrator/runs.h"

namespace dm::orchestrator {
namespace {

// The bound on a stop's requests other than the stops themselves.
const std::string& step_budget() {
  static const std::string text =
      "the stop's " + seconds_text(kEngineMarginSeconds) + " s limit for each engine step";
  return text;
}

std::vector<Plan::Service> plan_services(const model::GroupDef& group, const StopScope& scope) {
  std::vector<Plan::Service> out(group.services.size());
  for (size_t i = 0; i < out.size(); i++) out[i].included = scope.include.count(i) > 0;
  return out;
}

bool is_running(const Instance& c) {
  return c.state == "running" || c.state == "restarting" || c.state == "paused";
}

class StopRun {
 public:
  StopRun(const Operation& operation, double grace, const StopScope& scope)
      : op_(operation), grace_(grace), scope_(scope), graph_(operation.group),
        plan_(graph_, Plan::Direction::Down, plan_services(operation.group, scope), 0),
        executor_(plan_, operation.watcher),
        pool_(std::max<size_t>(scope.include.size(), 1), &operation.watcher),
        hooks_(pool_, operation.group, &operation.target, &operation.watcher.token()) {}

  Result run();

 private:
  void job(size_t i, const std::vector<Instance>& containers, Outcome& outcome) noexcept;
  void take_down(size_t i, const std::vector<Instance>& containers, Outcome& outcome);
  void remove_orphan(const Instance& c) noexcept;
  // Runs the service's pre_stop before its running container `c` stops.
  void before_stop(size_t i, const Instance& c, Outcome& outcome);
  // Stops one container with a grace period of `grace` whole seconds;
  // returns whether it was running.
  bool stop_container(const std::string& service, const Instance& c, int grace);
  void remove_container(const std::string& service, const Instance& c);

  const Operation& op_;
  double grace_;  // the operation's, in seconds
  const StopScope& scope_;
  model::Graph graph_;
  Plan plan_;
  Executor executor_;
  HookPool pool_;
  HookRunner hooks_;
};

Result StopRun::run() {
  Instances instances;
  {
    engine::ScopedDeadline step(kEngineMarginSeconds, step_budget());
    instances = op_.target.inventory();
  }
  Result result;
  result.services.resize(op_.group.services.size());
  for (size_t i = 0; i < op_.group.services.size(); i++) {
    result.services[i].service = op_.group.services[i].name;
    if (!scope_.include.count(i)) result.services[i].outcome = Outcome::Kind::Excluded;
  }
  // Containers of services no longer in the definition: nothing depends on
  // them that we know of, so they go in parallel with the rest.
  std::vector<std::thread> orphans;
  if (scope_.remove_orphans)
    for (const Instance& c : instances.orphans)
      orphans.emplace_back([this, &c] { remove_orphan(c); });
  executor_.run([&](size_t i) {
    Outcome& o = result.services[i];
    job(i, instances.of(o.service), o);
  });
  for (auto& t : orphans) t.join();
  result.cancelled = executor_.cancelled();
  if (scope_.remove_network && !result.cancelled) {
    engine::ScopedDeadline step(kEngineMarginSeconds, step_budget());
    op_.target.remove_network();
  }
  return result;
}

// A container of a service that is no longer defined. Its failure is no
// service's: it is reported as an event of the group.
void StopRun::remove_orphan(const Instance& c) noexcept {
  std::string name = !c.service.empty() ? c.service : c.name;
  if (std::optional<JobEnd> ended = attempt([&] {
        stop_container(name, c, engine::whole_grace_seconds(grace_));
        remove_container(name, c);
      })) {
    try {
      op_.events.emit("", Phase::Failed, "container '" + name + "': " + ended->reason);
    } catch (...) {
    }
  }
}

void StopRun::job(size_t i, const std::vector<Instance>& containers, Outcome& outcome) noexcept {
  auto began = Executor::Clock::now();
  if (!containers.empty()) outcome.container_id = containers.front().id;
  if (std::optional<JobEnd> ended = attempt([&] { take_down(i, containers, outcome); })) {
    try {
      if (ended->kind == JobEnd::Kind::Failed) {
        outcome.outcome = Outcome::Kind::Failed;
        outcome.reason = ended->reason;
        op_.events.emit(graph_.name(i), Phase::Failed, ended->reason);
      } else {
        outcome.outcome = Outcome::Kind::Cancelled;
        outcome.reason = ended->reason.empty() ? "cancelled before it was stopped" : ended->reason;
      }
    } catch (...) {
      outcome.outcome = Outcome::Kind::Failed;  // out of memory at worst
    }
    // A dependant whose stop failed still releases its dependencies.
    if (ended->kind == JobEnd::Kind::Failed)
      executor_.fail(i);
    else
      executor_.cancelled(i);
  }
  outcome.seconds = std::chrono::duration<double>(Executor::Clock::now() - began).count();
}

void StopRun::take_down(size_t i, const std::vector<Instance>& containers, Outcome& outcome) {
  const std::string& name = graph_.name(i);
  bool remove = scope_.remove.count(i) > 0;
  executor_.await(i, Plan::Step::Stop, false);
  bool any_running = false;
  const int grace = stop_grace_seconds(op_.group.services[i], grace_);
  for (const Instance& c : containers) {
    if (is_running(c)) before_stop(i, c, outcome);
    any_running |= stop_container(name, c, grace);
  }
  // Dependencies wait for this service to stop, not for its removal.
  executor_.finish(i);
  if (remove)
    for (const Instance& c : containers) remove_container(name, c);
  if (containers.empty() || (!any_running && !remove)) {
    outcome.outcome = Outcome::Kind::NotRunning;
  } else {
    outcome.outcome = remove ? Outcome::Kind::Removed : Outcome::Kind::Stopped;
  }
}

void StopRun::before_stop(size_t i, const Instance& c, Outcome& outcome) {
  const model::ServiceDef& def = op_.group.services[i];
  if (!def.hooks.pre_stop) return;
  double seconds = def.timeout > 0 ? def.timeout : defaults::kReadySeconds;
  auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(seconds));
  std::string failed = hooks_.pre_stop(def, c.id, op_.target.instance_name(def), deadline);
  if (failed.empty()) return;
  op_.events.emit(def.name, Phase::Detail, failed + "; stopping it anyway");
  outcome.reason = failed;
}

bool StopRun::stop_container(const std::string& service, const Instance& c, int grace) {
  if (!is_running(c)) return false;
  op_.events.emit(service, Phase::Stopping, c.name);
  double allowed = grace + kEngineMarginSeconds;
  engine::ScopedDeadline step(allowed, "the " + seconds_text(allowed) +
                                           " s allowed for a stop with a grace period of " +
                                           seconds_text(grace) + " s");
  op_.target.stop(c.id, grace);
  op_.events.emit(service, Phase::Stopped);
  return true;
}

void StopRun::remove_container(const std::string& service, const Instance& c) {
  engine::ScopedDeadline step(kEngineMarginSeconds, step_budget());
  try {
    op_.target.remove(c.id);
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;  // gone already is what we wanted
  }
  op_.events.emit(service, Phase::Removed);
}

}  // namespace

int stop_grace_seconds(const model::ServiceDef& service, double operation_grace) {
  return engine::whole_grace_seconds(service.stop_grace_period.value_or(operation_grace));
}

Result run_stop(const Operation& operation, double grace_seconds, const StopScope& scope) {
  StopRun run(operation, grace_seconds, scope);
  return run.run();
}

}  // namespace dm::orchestrator
