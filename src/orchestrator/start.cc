// Bringing services up: a plan going up (dependencies first), and for each
// service a job of steps:
//
//   [prepare] -> image (build / pull) -> create -> start -> [healthy] -> ping -> init -> ready
//
// A container with a health check (its service's healthcheck or its
// image's HEALTHCHECK) is ready only once the engine reports it healthy,
// and fails when the engine reports it unhealthy; its ping runs after that.
// The wait follows the engine's own reports (health_watch.h), so it is
// never more eager than the check itself.
//
// The plan (plan.h) lets a container be created while its dependencies are
// still starting, and started once they are ready; a service with a
// pre_start or prepare hook creates only then, as the hook runs first. The
// reuse rules (reuse.h) decide between leaving a running container alone,
// starting an exited one again, and a new one. A container that does not
// come up in this run is not left running for the next start to trust: a
// new one is removed, one started again is stopped and kept (its data is the
// user's), so the next start pings it again. A new container with a ping
// or an init is created under its setup name and marked set up (renamed)
// once start, ping and init have all succeeded, so one whose setup was
// interrupted is recognised by the next start, removed and made again.
//
// A job (a oneshot service) is ready when its container exits with 0, then
// its init runs and it is marked set up; a failed one keeps its container
// (not set up, so the next start replaces it). Whether a completed job runs
// again (reuse.h) is decided once its dependencies are ready, as it depends
// on whether they got new containers in this start.
//
// Every engine request a step makes is bounded (engine/deadline.h): by the
// service's timeout, at least kEngineMarginSeconds, counted afresh for each
// step, so an engine that stops answering fails the service instead of
// holding the start for minutes.
#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "common/error.h"
#include "engine/client.h"
#include "engine/deadline.h"
#include "model/graph.h"
#include "model/request.h"
#include "orchestrator/executor.h"
#include "orchestrator/exit_watch.h"
#include "orchestrator/health_watch.h"
#include "orchestrator/hook_pool.h"
#include "orchestrator/hooks.h"
#include "orchestrator/identity.h"
#include "orchestrator/reuse.h"
#include "orchestrator/runs.h"

namespace dm::orchestrator {
namespace {

// The documented contract: the first ping right after the start, then every 0.1 s.
constexpr auto kPingInterval = std::chrono::milliseconds(100);
constexpr int kLogLinesOnFailure = 20;

std::vector<Plan::Service> plan_services(const model::GroupDef& group, const StartScope& scope) {
  std::vector<Plan::Service> out(group.services.size());
  for (size_t i = 0; i < out.size(); i++) {
    const model::Hooks& hooks = group.services[i].hooks;
    out[i].included = scope.include.count(i) > 0;
    out[i].create_needs_ready = hooks.pre_start != nullptr || hooks.prepare != nullptr;
  }
  return out;
}

class StartRun {
 public:
  StartRun(const Operation& operation, const StartOptions& options, const StartScope& scope)
      : op_(operation), options_(options), scope_(scope), graph_(operation.group),
        plan_(graph_, Plan::Direction::Up, plan_services(operation.group, scope),
              options.parallelism),
        executor_(plan_, operation.watcher),
        pool_(std::max<size_t>(scope.include.size(), 1), &operation.watcher),
        hooks_(pool_, operation.group, &operation.target, &operation.watcher.token()),
        tasks_(operation.group.services.size()) {}

  Result run();

 private:
  struct Task {
    const model::ServiceDef* def = nullptr;
    model::ServiceDef prepared;      // the definition after its prepare hook
    std::string hash;                // of the definition, as containers carry it
    std::vector<Instance> existing;  // running first
    Outcome outcome;
    std::string created_id;  // a container this run made: removed if the service fails
    // An exited container this run started again: stopped if the service
    // fails, so that it is not trusted as running by the next start.
    std::string restarted_id;
    // A service without a ping: its container, looked at again when the
    // operation ends, and whether this run made it.
    std::string unpinged_id;
    bool unpinged_new = false;
  };

  bool recreate(size_t i) const {
    return options_.run_new_containers || tasks_[i].def->always_start_new ||
           scope_.recreate.count(i);
  }
  bool rebuild(size_t i) const { return options_.build && !tasks_[i].def->build_context.empty(); }
  // Whether a new container of the service has steps after its start (a
  // ping, an init) that a kill could interrupt unseen. Only then is it made
  // not set up: without them, a container is set up once started.
  bool has_setup_steps(size_t i) const {
    const model::ServiceDef& def = *tasks_[i].def;
    const std::optional<model::Healthcheck>& check = def.healthcheck;
    bool checks_health = check && !check->test.empty() && check->test.front() != "NONE";
    return def.oneshot || def.hooks.ping != nullptr || def.hooks.post_start_init != nullptr ||
           checks_health;
  }
  double timeout_of(size_t i) const {
    return tasks_[i].def->timeout > 0 ? tasks_[i].def->timeout : options_.timeout;
  }
  Clock::time_point deadline(size_t i) const {
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(timeout_of(i)));
  }
  // The bound on each engine step of a service: its timeout, but never so
  // short that a busy engine fails a service whose readiness timeout is small.
  double step_seconds(size_t i) const { return std::max(timeout_of(i), kEngineMarginSeconds); }
  std::string step_budget(size_t i) const {
    return "the " + seconds_text(step_seconds(i)) + " s limit for each engine step of service '" +
           graph_.name(i) + "'";
  }
  const std::string& name(size_t i) const { return graph_.name(i); }
  // Announces a wait for a dependency that lasts.
  std::function<void(size_t)> waiting(size_t i) {
    return [this, i](size_t by) {
      op_.events.emit(name(i), Phase::Waiting, "waiting for " + name(by));
    };
  }

  bool look();
  // Whether the service's instance can be left as it is, without an image look.
  bool untouched_now(size_t i) const;
  void keep_running(size_t i, const Instance& instance);
  void leave_completed(size_t i, const Instance& instance);
  void job(size_t i) noexcept;
  void bring_up(size_t i);
  void prepare(size_t i);
  std::string ensure_image(size_t i);
  void bring_up_new(size_t i);
  void bring_up_again(size_t i, const Instance& instance);
  void run_job(size_t i);
  bool dependency_renewed(size_t i) const;
  void await_completion(size_t i, const std::string& id);
  void make_container(size_t i);
  void remove_outdated(size_t i);
  void start(size_t i, const std::string& id);
  void await_ready(size_t i, const std::string& id, bool made_here);
  Target::Status look_at(size_t i, const std::string& id);
  void await_healthy(size_t i, const std::string& id, const Target::Status& started,
                     Clock::time_point deadline);
  Error not_healthy(size_t i, const std::string& id, const std::string& health);
  void ping_until_ready(size_t i, const std::string& id, Clock::time_point deadline);
  Error not_ready(size_t i, unsigned attempts, const std::string& last_word) const;
  // The container exited before it was ready: its code and last log lines.
  Error exited(const std::string& id, int64_t code, const std::string& when);
  void init(size_t i);
  void finish_setup(size_t i);
  // How the service ended when its steps did not all succeed; never throws.
  void end(size_t i, const JobEnd& end) noexcept;
  void remove_failed(size_t i, const std::string& id);
  void stop_failed(size_t i, const std::string& id);
  // Services without a ping whose container exited after they were reported
  // ready, while the operation went on: failed after all.
  void report_late_exits();
  void report_late_exit(size_t i, const std::map<std::string, std::string>& states);

  const Operation& op_;
  const StartOptions& options_;
  const StartScope& scope_;
  model::Graph graph_;
  Plan plan_;
  Executor executor_;
  HookPool pool_;
  HookRunner hooks_;
  std::vector<Task> tasks_;
};

Result StartRun::run() {
  if (look()) {
    // The warm path: each service's running container is left alone, as its
    // job would decide, without a job, a thread or another engine call.
    for (size_t i : scope_.include) {
      Task& t = tasks_[i];
      if (t.def->oneshot)
        leave_completed(i, *choose_job_reuse(t.existing, t.hash, "", false).instance);
      else
        keep_running(i, t.existing.front());
    }
  } else {
    executor_.run([this](size_t i) { job(i); });
    report_late_exits();
  }
  Result result;
  for (auto& t : tasks_) result.services.push_back(t.outcome);
  result.cancelled = executor_.cancelled();
  return result;
}

// What the target has of the group: one list call; and the network, unless
// everything runs already. Returns whether this is the warm path: every
// included service running as defined, none with a prepare hook (whose
// definition is known only once the hook has run) and none whose health
// check is still starting.
bool StartRun::look() {
  double seconds = std::max(options_.timeout, kEngineMarginSeconds);
  engine::ScopedDeadline step(
      seconds, "the start's " + seconds_text(seconds) + " s limit for each engine step");
  Instances instances = op_.target.inventory();
  bool all_running = true;
  bool prepared = false;
  bool health_undecided = false;  // such a container is waited for (bring_up)
  for (size_t i = 0; i < tasks_.size(); i++) {
    Task& t = tasks_[i];
    t.def = &op_.group.services[i];
    t.outcome.service = t.def->name;
    if (!scope_.include.count(i)) {
      t.outcome.outcome = scope_.left_out;
      auto own = scope_.left_out_reasons.find(i);
      t.outcome.reason =
          own != scope_.left_out_reasons.end() ? own->second : scope_.left_out_reason;
      continue;
    }
    t.hash = model::definition_hash(op_.group, *t.def);
    t.existing = instances.of(t.def->name);
    if (!untouched_now(i))
      all_running = false;
    else if (!t.def->oneshot && t.existing.front().health == "starting")
      health_undecided = true;
    if (t.def->hooks.prepare) prepared = true;
  }
  if (!all_running) op_.target.ensure_network();
  return all_running && !prepared && !health_undecided;
}

bool StartRun::untouched_now(size_t i) const {
  const Task& t = tasks_[i];
  if (t.def->oneshot) return job_untouched(t.existing, t.hash, recreate(i), rebuild(i));
  return untouched(t.existing, t.hash, recreate(i), rebuild(i));
}

void StartRun::job(size_t i) noexcept {
  auto began = Clock::now();
  if (std::optional<JobEnd> ended = attempt([&] { bring_up(i); })) end(i, *ended);
  tasks_[i].outcome.seconds = std::chrono::duration<double>(Clock::now() - began).count();
}

void StartRun::bring_up(size_t i) {
  Task& t = tasks_[i];
  if (t.def->hooks.prepare) prepare(i);
  if (t.def->oneshot) {
    run_job(i);
    executor_.finish(i);
    return;
  }
  std::string image_id;
  if (!untouched_now(i)) image_id = ensure_image(i);
  Reuse reuse = choose_reuse(t.existing, t.hash, image_id, recreate(i));
  if (reuse.kind == Reuse::Kind::KeepRunning) {
    // Running, same definition, same image (a rebuild changed nothing); one
    // whose health check has not yet decided (a start that ended during the
    // wait) is waited for, as a new one would be.
    const std::string& id = reuse.instance->id;
    if (reuse.instance->health == "starting") await_healthy(i, id, look_at(i, id), deadline(i));
    keep_running(i, *reuse.instance);
  } else {
    if (reuse.kind == Reuse::Kind::StartAgain) {
      Instance again = *reuse.instance;
      bring_up_again(i, again);
    } else {
      bring_up_new(i);
    }
    op_.events.emit(name(i), Phase::Running);
  }
  executor_.finish(i);
}

void StartRun::keep_running(size_t i, const Instance& instance) {
  Task& t = tasks_[i];
  t.outcome.outcome = Outcome::Kind::AlreadyRunning;
  t.outcome.container_id = instance.id;
  op_.events.emit(name(i), Phase::Running, "already running");
}

void StartRun::leave_completed(size_t i, const Instance& instance) {
  Task& t = tasks_[i];
  t.outcome.outcome = Outcome::Kind::Completed;
  t.outcome.container_id = instance.id;
  op_.events.emit(name(i), Phase::Running, "completed (0) before, unchanged: not run again");
}

// Its image first, while its dependencies start; then, once they are ready,
// whether it runs again.
void StartRun::run_job(size_t i) {
  Task& t = tasks_[i];
  std::string image_id;
  if (!untouched_now(i)) image_id = ensure_image(i);
  executor_.await(i, Plan::Step::Start, false, waiting(i));
  Reuse reuse =
      choose_job_reuse(t.existing, t.hash, image_id, recreate(i) || dependency_renewed(i));
  if (reuse.kind == Reuse::Kind::Completed) {
    leave_completed(i, *reuse.instance);
    return;
  }
  bring_up_new(i);
  op_.events.emit(name(i), Phase::Running, "completed (0)");
}

// A dependency's outcome is final once it is ready, which the plan's Start
// gate has waited for (under the executor's lock).
bool StartRun::dependency_renewed(size_t i) const {
  for (size_t d : graph_.dependencies(i)) {
    Outcome::Kind o = tasks_[d].outcome.outcome;
    if (scope_.include.count(d) && (o == Outcome::Kind::Started || o == Outcome::Kind::Reloaded))
      return true;
  }
  return false;
}

// Its definition is complete only now: nothing about its container can be
// decided before.
void StartRun::prepare(size_t i) {
  Task& t = tasks_[i];
  executor_.await(i, Plan::Step::Prepare, false, waiting(i));
  t.prepared = hooks_.prepare(*t.def, deadline(i));
  t.hash = model::definition_hash(op_.group, t.prepared);
  t.def = &t.prepared;
}

std::string StartRun::ensure_image(size_t i) {
  Executor::Slot slot = executor_.await(i, Plan::Step::Image, true);
  engine::ScopedDeadline step(step_seconds(i), step_budget(i));
  return op_.target.ensure_image(*tasks_[i].def);
}

void StartRun::bring_up_new(size_t i) {
  Task& t = tasks_[i];
  Executor::Slot slot;
  if (t.def->hooks.pre_start == nullptr) {
    {
      Executor::Slot creating = executor_.await(i, Plan::Step::Create, true);
      make_container(i);
    }
    slot = executor_.await(i, Plan::Step::Start, true, waiting(i));
  } else {
    slot = executor_.await(i, Plan::Step::Create, true, waiting(i));
    op_.events.emit(name(i), Phase::PreStart);
    hooks_.pre_start(*t.def, deadline(i));
    make_container(i);
    executor_.await(i, Plan::Step::Start, false);
  }
  start(i, t.created_id);
  await_ready(i, t.created_id, /*made_here=*/true);
  init(i);
  finish_setup(i);
  t.outcome.outcome = scope_.reloaded.count(i) ? Outcome::Kind::Reloaded : Outcome::Kind::Started;
  t.outcome.container_id = t.created_id;
  t.created_id.clear();  // it made it: no longer ours to clean up
}

void StartRun::bring_up_again(size_t i, const Instance& instance) {
  Task& t = tasks_[i];
  executor_.reach(i, Plan::Stage::Created);
  Executor::Slot slot = executor_.await(i, Plan::Step::Start, true, waiting(i));
  t.restarted_id = instance.id;
  start(i, instance.id);
  await_ready(i, instance.id, /*made_here=*/false);
  t.outcome.outcome = Outcome::Kind::Restarted;
  t.outcome.container_id = instance.id;
  t.restarted_id.clear();  // it came up: left running
}

// Outdated containers go, the new one is created, and dependants may create theirs.
void StartRun::make_container(size_t i) {
  Task& t = tasks_[i];
  remove_outdated(i);
  op_.events.emit(name(i), Phase::Creating, op_.target.instance_name(*t.def));
  {
    engine::ScopedDeadline step(step_seconds(i), step_budget(i));
    t.created_id = op_.target.create(*t.def, has_setup_steps(i));
  }
  executor_.reach(i, Plan::Stage::Created);
}

// Containers made from an older definition, and ones whose setup never
// finished: each stopped (with its grace period) and removed.
void StartRun::remove_outdated(size_t i) {
  Task& t = tasks_[i];
  const int grace = stop_grace_seconds(*t.def, options_.stop_timeout);
  const double stop_seconds = grace + kEngineMarginSeconds;
  for (const Instance& c : t.existing) {
    if (c.running()) {
      std::string failed =
          hooks_.pre_stop(*t.def, c.id, op_.target.instance_name(*t.def), deadline(i));
      if (!failed.empty())
        op_.events.emit(name(i), Phase::Detail, failed + "; replacing it anyway");
      engine::ScopedDeadline step(
          stop_seconds,
          "the " + seconds_text(stop_seconds) + " s allowed for stopping an outdated container");
      op_.target.stop(c.id, grace);
    }
    engine::ScopedDeadline step(step_seconds(i), step_budget(i));
    op_.target.remove(c.id);
    std::string what = c.set_up ? "outdated container " : "container whose setup did not finish ";
    op_.events.emit(name(i), Phase::Removed, what + c.id.substr(0, 12));
  }
  t.existing.clear();
}

void StartRun::start(size_t i, const std::string& id) {
  op_.events.emit(name(i), Phase::Starting);
  engine::ScopedDeadline step(step_seconds(i), step_budget(i));
  op_.target.start(*tasks_[i].def, id);
}

void StartRun::await_ready(size_t i, const std::string& id, bool made_here) {
  Task& t = tasks_[i];
  const Clock::time_point until = deadline(i);
  if (t.def->oneshot) {
    await_completion(i, id);
    return;
  }
  Target::Status status = look_at(i, id);
  if (status.running && !status.health.empty()) await_healthy(i, id, status, until);
  if (t.def->hooks.ping != nullptr) {
    ping_until_ready(i, id, until);
    return;
  }
  // Without a ping, ready means still running once started (and healthy).
  // An exit after this look is found when the operation ends
  // (report_late_exits).
  if (!status.running) throw exited(id, status.exit_code, "right after it started");
  t.unpinged_id = id;
  t.unpinged_new = made_here;
}

// Until its container exits: ready with 0; any other code fails it, and its
// container is kept (not set up) for `docker logs` until the next start.
void StartRun::await_completion(size_t i, const std::string& id) {
  const Clock::time_point until = deadline(i);
  op_.events.emit(name(i), Phase::Pinging, "waiting for the job to complete");
  ExitWatch watch(op_.target, id, [this] { executor_.notify(); });
  for (;;) {
    if (std::optional<int64_t> code = watch.exit_code()) {
      if (*code == 0) return;
      engine::ScopedDeadline step(step_seconds(i), step_budget(i));
      Error failed = exited(id, *code, "(a oneshot job completes with 0)");
      tasks_[i].created_id.clear();
      throw failed;
    }
    if (Clock::now() >= until)
      throw Error(Error::Code::Timeout, "the job did not complete within " +
                                            seconds_text(timeout_of(i)) +
                                            " s; raise the service's timeout if it needs longer");
    executor_.wait_until(until, [&] { return watch.exit_code().has_value(); });
    if (executor_.cancelled())
      throw Error(Error::Code::Cancelled, "cancelled while waiting for the job to complete");
  }
}

Target::Status StartRun::look_at(size_t i, const std::string& id) {
  engine::ScopedDeadline step(step_seconds(i), step_budget(i));
  return op_.target.inspect(id);
}

// Until the engine reports it healthy, from the reports made since it
// started; an exit, an unhealthy report, the deadline or a cancel end the
// wait at once.
void StartRun::await_healthy(size_t i, const std::string& id, const Target::Status& started,
                             Clock::time_point deadline) {
  if (started.health == "healthy") return;
  // Reports older than the engine keeps are not replayed: decided already.
  if (started.health == "unhealthy") throw not_healthy(i, id, started.health);
  op_.events.emit(name(i), Phase::Pinging, "waiting for its health check to report healthy");
  ExitWatch exit(op_.target, id, [this] { executor_.notify(); });
  HealthWatch health(op_.target, id, started.started_at, [this] { executor_.notify(); });
  for (unsigned seen = 0;;) {
    if (std::optional<int64_t> code = exit.exit_code()) {
      engine::ScopedDeadline step(step_seconds(i), step_budget(i));
      throw exited(id, *code, "while waiting for it to be healthy");
    }
    HealthWatch::State now = health.state();
    seen = now.changes;
    if (now.health == "healthy") return;
    if (now.health == "unhealthy") throw not_healthy(i, id, now.health);
    if (!now.error.empty())
      throw Error(Error::Code::Engine, "could not follow its health checks: " + now.error);
    if (Clock::now() >= deadline) throw not_healthy(i, id, now.health);
    executor_.wait_until(
        deadline, [&] { return exit.exit_code().has_value() || health.state().changes != seen; });
    if (executor_.cancelled())
      throw Error(Error::Code::Cancelled, "cancelled while waiting for it to be healthy");
  }
}

// Unhealthy, or still not healthy at the deadline: what its last check said.
Error StartRun::not_healthy(size_t i, const std::string& id, const std::string& health) {
  std::string last;
  try {
    last = look_at(i, id).last_check;
  } catch (const Error& e) {
    last = "(its last check could not be read: " + std::string(e.what()) + ")";
  }
  // No check at all: the engine is not running them (Podman needs systemd's
  // timers for it), which no timeout cures.
  std::string said = last.empty() ? "; no check has finished yet: is the engine running health "
                                    "checks? (Podman runs them only with systemd)"
                                  : "; its last check: " + last;
  if (health == "unhealthy")
    // No pointer to `docker inspect`: a container this start made is removed.
    return Error(Error::Code::Failed, "its health check reports it unhealthy" + said);
  return Error(Error::Code::Timeout, "not healthy after " + seconds_text(timeout_of(i)) +
                                         " s: its health check still reports it " +
                                         quoted(health.empty() ? "starting" : health) + said +
                                         "; raise the service's timeout if it needs longer");
}

void StartRun::ping_until_ready(size_t i, const std::string& id, Clock::time_point deadline) {
  const model::ServiceDef& def = *tasks_[i].def;
  op_.events.emit(name(i), Phase::Pinging);
  ExitWatch watch(op_.target, id, [this] { executor_.notify(); });
  std::string last_word;  // what a not-ready ping said last, for the timeout message
  for (unsigned attempt = 1;; attempt++) {
    if (std::optional<int64_t> code = watch.exit_code()) {
      engine::ScopedDeadline step(step_seconds(i), step_budget(i));
      throw exited(id, *code, "while waiting for it to be ready");
    }
    try {
      if (hooks_.ping(def, id, op_.target.instance_name(def), deadline, &last_word)) return;
    } catch (const Error& e) {
      // A ping that answered before and ran into the deadline now is a
      // service that never became ready, not a hook that hung.
      if (e.code() == Error::Code::Timeout && attempt > 1)
        throw not_ready(i, attempt - 1, last_word);
      throw;
    }
    Clock::time_point next = Clock::now() + kPingInterval;
    if (next > deadline) throw not_ready(i, attempt, last_word);
    executor_.wait_until(next, [&] { return watch.exit_code().has_value(); });
    if (executor_.cancelled())
      throw Error(Error::Code::Cancelled, "cancelled while waiting for it to be ready");
  }
}

Error StartRun::not_ready(size_t i, unsigned attempts, const std::string& last_word) const {
  return Error(Error::Code::Timeout, "not ready after " + seconds_text(timeout_of(i)) +
                                         " s: ping returned " + "not-ready " +
                                         std::to_string(attempts) + " times" +
                                         (last_word.empty() ? "" : " (last: " + last_word + ")") +
                                         "; raise the service's timeout if it needs longer");
}

Error StartRun::exited(const std::string& id, int64_t code, const std::string& when) {
  std::string tail;
  try {
    tail = op_.target.logs_tail(id, kLogLinesOnFailure);
  } catch (const Error& e) {
    tail = "(its logs could not be read: " + std::string(e.what()) + ")";
  }
  return Error(
      Error::Code::Failed,
      "container exited with code " + std::to_string(code) + " " + when +
          (tail.empty() ? std::string(" (it wrote no logs)") : "; its last log lines:\n" + tail));
}

void StartRun::init(size_t i) {
  Task& t = tasks_[i];
  if (t.def->hooks.post_start_init == nullptr) return;
  op_.events.emit(name(i), Phase::Initialising);
  hooks_.post_start_init(*t.def, t.created_id, op_.target.instance_name(*t.def), deadline(i));
}

void StartRun::finish_setup(size_t i) {
  if (!has_setup_steps(i)) return;  // created set up
  engine::ScopedDeadline step(step_seconds(i), step_budget(i));
  op_.target.mark_set_up(tasks_[i].created_id, *tasks_[i].def);
}

void StartRun::end(size_t i, const JobEnd& ended) noexcept {
  Task& t = tasks_[i];
  switch (ended.kind) {
    case JobEnd::Kind::Skipped:
      t.outcome.outcome = Outcome::Kind::Skipped;
      break;
    case JobEnd::Kind::Cancelled:
      t.outcome.outcome = Outcome::Kind::Cancelled;
      break;
    case JobEnd::Kind::Failed:
      t.outcome.outcome = Outcome::Kind::Failed;
      break;
  }
  try {
    if (ended.kind == JobEnd::Kind::Skipped)
      t.outcome.reason = "dependency '" + name(ended.by) + "' failed";
    else if (ended.kind == JobEnd::Kind::Cancelled && ended.reason.empty())
      t.outcome.reason = "cancelled before it started";
    else
      t.outcome.reason = ended.reason;
    // A container made in this run that did not come up is never left behind;
    // one started again is never left running.
    if (!t.created_id.empty()) {
      std::string id;
      id.swap(t.created_id);
      remove_failed(i, id);
    }
    if (!t.restarted_id.empty()) {
      std::string id;
      id.swap(t.restarted_id);
      stop_failed(i, id);
    }
    op_.events.emit(name(i), ended.kind == JobEnd::Kind::Failed ? Phase::Failed : Phase::Skipped,
                    t.outcome.reason);
  } catch (...) {
    // Out of memory at worst; the outcome is set, and dependants must learn it.
  }
  // Told last: dependants learn of it after its container is gone.
  if (ended.kind == JobEnd::Kind::Failed) executor_.fail(i);
  if (ended.kind == JobEnd::Kind::Cancelled) executor_.cancelled(i);
}

// Appends to the outcome's reason when the removal fails.
void StartRun::remove_failed(size_t i, const std::string& id) {
  Task& t = tasks_[i];
  try {
    engine::ScopedDeadline step(kEngineMarginSeconds,
                                "the " + seconds_text(kEngineMarginSeconds) +
                                    " s allowed for removing the container of a failed start");
    op_.target.remove(id);
    op_.events.emit(name(i), Phase::Removed, "container of the failed start removed");
  } catch (const Error& e) {
    t.outcome.reason += " (removing its container failed too: " + std::string(e.what()) + ")";
  }
}

// Stopped with its grace period, and kept: it holds what its service
// stored, and the next start finds it exited, starts it again and pings it.
// Appends to the outcome's reason when the stop fails.
void StartRun::stop_failed(size_t i, const std::string& id) {
  Task& t = tasks_[i];
  try {
    const int grace = stop_grace_seconds(*t.def, options_.stop_timeout);
    const double allowed = grace + kEngineMarginSeconds;
    engine::ScopedDeadline step(allowed, "the " + seconds_text(allowed) +
                                             " s allowed for stopping the container of a failed "
                                             "start");
    op_.target.stop(id, grace);
    op_.events.emit(name(i), Phase::Stopped,
                    "container started again did not come up: stopped, kept for the next start");
  } catch (const Error& e) {
    t.outcome.reason += " (stopping its container failed too: " + std::string(e.what()) + ")";
  }
}

bool ready_unpinged(const Outcome& outcome, const std::string& unpinged_id) {
  Outcome::Kind o = outcome.outcome;
  return !unpinged_id.empty() && (o == Outcome::Kind::Started || o == Outcome::Kind::Restarted ||
                                  o == Outcome::Kind::Reloaded);
}

// One look for all of them, when any: cheaper than a watch each, and it sees
// every exit up to the end of the operation.
void StartRun::report_late_exits() {
  if (std::none_of(tasks_.begin(), tasks_.end(),
                   [](const Task& t) { return ready_unpinged(t.outcome, t.unpinged_id); }))
    return;
  std::map<std::string, std::string> states;  // container id -> state
  try {
    engine::ScopedDeadline step(kEngineMarginSeconds,
                                "the start's " + seconds_text(kEngineMarginSeconds) +
                                    " s limit for its last look at the containers");
    Instances instances = op_.target.inventory();
    for (const auto& [service, list] : instances.by_service)
      for (const Instance& c : list) states[c.id] = c.state;
  } catch (const Error& e) {
    op_.events.emit(
        "", Phase::Detail,
        std::string("could not look again at the services without a ping: ") + e.what());
    return;
  }
  for (size_t i = 0; i < tasks_.size(); i++)
    if (ready_unpinged(tasks_[i].outcome, tasks_[i].unpinged_id)) report_late_exit(i, states);
}

void StartRun::report_late_exit(size_t i, const std::map<std::string, std::string>& states) {
  Task& t = tasks_[i];
  auto state = states.find(t.unpinged_id);
  // "restarting": it exited, and its restart policy brings it back after a
  // pause; it did not stay up all the same.
  bool stopped = state == states.end() || state->second == "exited" || state->second == "dead" ||
                 state->second == "restarting";
  if (!stopped) return;
  t.outcome.outcome = Outcome::Kind::Failed;
  try {
    engine::ScopedDeadline step(step_seconds(i), step_budget(i));
    if (state == states.end()) {
      t.outcome.reason = "its container was removed while the start went on";
    } else {
      int64_t code = op_.target.inspect(t.unpinged_id).exit_code;
      t.outcome.reason =
          exited(t.unpinged_id, code, "after it started, while the start went on").what();
      // Made by this run, it did not stay up: removed, as when it fails at once.
      if (t.unpinged_new) remove_failed(i, t.unpinged_id);
    }
    op_.events.emit(name(i), Phase::Failed, t.outcome.reason);
  } catch (const Error& e) {
    t.outcome.reason =
        std::string("its container stopped running while the start went on (") + e.what() + ")";
  } catch (...) {
    t.outcome.reason = "its container stopped running while the start went on";
  }
}

}  // namespace

Result run_start(const Operation& operation, const StartOptions& options, const StartScope& scope) {
  StartRun run(operation, options, scope);
  return run.run();
}

}  // namespace dm::orchestrator
