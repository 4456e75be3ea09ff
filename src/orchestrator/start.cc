// Bringing services up. Every service gets a worker thread that walks it
// through its lifecycle and waits only for its own dependencies:
//
//   image (build / pull) -> create -> [wait for dependencies] -> start -> ping
//   -> post_start_init -> ready
//
// A container is created while its dependencies are still starting (only its
// start has to wait), unless the service has a pre_start hook, which must run
// before creation and after the dependencies. Creation does wait until the
// dependencies' containers exist, so the engine creates along the critical
// path first instead of creating the whole graph at once while the root is
// still being created. The reuse rules of a service:
//   running, same config         -> untouched, no hooks
//   exited, same config + image  -> started again, pinged (no pre_start/init)
//   otherwise                    -> pre_start, create, start, ping, init;
//                                   outdated containers removed
// Only a set-up container is reused (identity.h, set_up()): a new one with a
// ping or an init is created under its setup name and renamed to its final
// name once start, ping and init have all succeeded, so one whose setup was
// interrupted (a kill, a crash) is recognised by the next start, removed and
// made again.
//
// Every engine request a worker makes is bounded (engine/deadline.h): by the
// service's timeout, at least kEngineMarginSeconds, counted afresh for each
// step, so an engine that stops answering fails the service instead of
// holding the start for minutes. Every worker catches everything: no
// exception leaves its thread, each becomes that service's failure.
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "common/error.h"
#include "engine/deadline.h"
#include "model/graph.h"
#include "orchestrator/exit_watch.h"
#include "orchestrator/hooks.h"
#include "orchestrator/identity.h"
#include "orchestrator/inventory.h"
#include "orchestrator/runs.h"
#include "orchestrator/slots.h"

namespace dm::orchestrator {
namespace {

// Thrown when a dependency failed: the service is skipped, not failed.
struct DependencyFailed : Error {
  explicit DependencyFailed(const std::string& name)
      : Error(Error::Code::Failed, "dependency '" + name + "' failed") {}
};

constexpr auto kPingInterval = std::chrono::milliseconds(100);
constexpr int kLogLinesOnFailure = 20;

Error name_taken(const std::string& name) {
  return Error(Error::Code::Conflict,
               "container name '" + name +
                   "' is taken by a container drillmaster did not make for this "
                   "group; remove it (docker rm -f " +
                   name + ") or choose another group name");
}

class StartRun {
 public:
  StartRun(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
           const StartScope& scope, Images& images, Events& events, const std::atomic<bool>& cancel)
      : engine_(engine), group_(group), options_(options), scope_(scope), images_(images),
        events_(events), cancel_(cancel), graph_(group), slots_(options.parallelism),
        tasks_(group.services.size()) {}

  Result run();

 private:
  // How far a service got; dependants create at Created and start at Ready.
  enum class Readiness { Pending, Created, Ready, Failed };

  struct Task {
    const model::ServiceDef* def = nullptr;
    engine::ContainerSpec spec;
    std::vector<engine::ContainerSummary> existing;  // running first
    model::ServiceDef prepared;  // the definition after its prepare hook
    Outcome outcome;
    Readiness readiness = Readiness::Pending;
    std::string created_id;  // a container this run made: removed if the service fails
    // A service without a ping: its container, looked at again when the
    // operation ends, and whether this run made it.
    std::string unpinged_id;
    bool unpinged_new = false;
  };

  bool recreate(size_t i) const {
    const Task& t = tasks_[i];
    return options_.run_new_containers || t.def->always_start_new || scope_.recreate.count(i);
  }
  // Whether container `c` was made from the current definition (and, when
  // known, from the current image).
  bool matches(size_t i, const engine::ContainerSummary& c, const std::string& image_id = "") const {
    auto hash = c.labels.find(kConfigHashLabel);
    auto wanted = tasks_[i].spec.labels.find(kConfigHashLabel);
    return hash != c.labels.end() && wanted != tasks_[i].spec.labels.end() &&
           hash->second == wanted->second && (image_id.empty() || c.image_id == image_id);
  }
  // A running container made from the current definition is left alone,
  // without even looking at its image, unless a rebuild was asked for. One
  // made from an older definition is outdated: the service gets a new
  // container, like an exited outdated one.
  bool untouched(size_t i) const {
    const Task& t = tasks_[i];
    if (recreate(i) || t.existing.empty() || t.existing.front().state != "running") return false;
    if (options_.build && !t.def->build_context.empty()) return false;
    return reusable(i, t.existing.front());
  }
  // Whether a new container of the service has steps after its start (a
  // ping, an init) that a kill could interrupt unseen. Only then is it
  // created under its setup name: without them, a container is set up once
  // started, which the engine shows by itself (a "created" one is not).
  bool has_setup_steps(size_t i) const {
    const model::Hooks& hooks = tasks_[i].def->hooks;
    return hooks.ping != nullptr || hooks.post_start_init != nullptr;
  }
  // Whether container `c` may serve the service again: set up, and made from
  // the current definition (and image, when known).
  bool reusable(size_t i, const engine::ContainerSummary& c, const std::string& image_id = "") const {
    return set_up(c, tasks_[i].spec.name) && matches(i, c, image_id);
  }

  void work(size_t i) noexcept;
  void work_on(size_t i);
  void bring_up_new(size_t i);
  void bring_up_again(size_t i, const engine::ContainerSummary& container);
  std::string create(size_t i);
  void remove_outdated(size_t i);
  void start_container(size_t i, const std::string& id);
  void await_ready(size_t i, const std::string& id, bool made_here, Clock::time_point deadline);
  // The container exited before it was ready: its code and last log lines.
  Error exited(const std::string& id, int64_t code, const std::string& when);
  void finish_setup(size_t i);
  // Services without a ping whose container exited after they were reported
  // ready, while the operation went on: failed after all.
  void report_late_exits();
  // Marks the service failed (or skipped, cancelled) and removes the
  // container this run made for it. Never throws.
  void fail(size_t i, const std::string& reason, Outcome::Kind outcome) noexcept;
  void remove_failed(size_t i, const std::string& id);
  void settle(size_t i, Readiness readiness);
  // Blocks until every dependency got at least to `stage` (Created or Ready);
  // returns a failed one's name, or "".
  std::string wait_for_dependencies(size_t i, Readiness stage);

  model::HookContext target(size_t i, const std::string& container_id) const {
    const Task& t = tasks_[i];
    return {group_.name, t.def->name, group_.network, container_id,
            container_id.empty() ? "" : t.spec.name};
  }
  Clock::time_point deadline(size_t i) const {
    double s = tasks_[i].def->timeout > 0 ? tasks_[i].def->timeout : options_.timeout;
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }
  double timeout_of(size_t i) const {
    return tasks_[i].def->timeout > 0 ? tasks_[i].def->timeout : options_.timeout;
  }
  // The bound on each engine step of a service: its timeout, but never so
  // short that a busy engine fails a service whose readiness timeout is small.
  double step_seconds(size_t i) const { return std::max(timeout_of(i), kEngineMarginSeconds); }
  std::string step_budget(size_t i) const {
    return "the " + seconds_text(step_seconds(i)) + " s limit for each engine step of service '" +
           tasks_[i].def->name + "'";
  }

  engine::Client& engine_;
  const model::GroupDef& group_;
  const StartOptions& options_;
  const StartScope& scope_;
  Images& images_;
  Events& events_;
  const std::atomic<bool>& cancel_;
  model::Graph graph_;
  Slots slots_;
  std::vector<Task> tasks_;

  std::mutex mutex_;  // guards readiness
  std::condition_variable ready_cv_;
  // The engine can hand one host port to two containers started at once.
  std::mutex port_start_mutex_;
  ExitWatches watches_;
};

Result StartRun::run() {
  // The group's own steps (inventory, network) are bounded like a service's.
  double setup_seconds = std::max(options_.timeout, kEngineMarginSeconds);
  std::optional<engine::ScopedDeadline> setup;
  setup.emplace(setup_seconds, "the start's " + seconds_text(setup_seconds) +
                                   " s limit for each engine step");
  Inventory inventory = take_inventory(engine_, group_);
  bool all_running = true;
  for (size_t i = 0; i < tasks_.size(); i++) {
    Task& t = tasks_[i];
    t.def = &group_.services[i];
    t.outcome.service = t.def->name;
    if (!scope_.include.count(i)) {
      t.outcome.outcome = scope_.left_out;
      t.outcome.reason = scope_.left_out_reason;
      t.readiness = Readiness::Ready;
      continue;
    }
    t.spec = container_spec(group_, *t.def);
    t.existing = inventory.of(t.def->name);
    if (!untouched(i)) all_running = false;
  }
  // The warm path: everything already runs, so one list call was all it took.
  if (!all_running) ensure_network(engine_, group_);
  setup.reset();

  std::vector<std::thread> workers;
  for (size_t i = 0; i < tasks_.size(); i++)
    if (scope_.include.count(i)) workers.emplace_back([this, i] { work(i); });
  for (auto& w : workers) w.join();
  report_late_exits();
  watches_.join_all();

  Result result;
  for (auto& t : tasks_) result.services.push_back(t.outcome);
  result.cancelled = cancel_.load();
  return result;
}

void StartRun::work(size_t i) noexcept {
  Task& t = tasks_[i];
  auto began = Clock::now();
  try {
    work_on(i);
  } catch (const DependencyFailed& e) {
    fail(i, e.what(), Outcome::Kind::Skipped);
  } catch (const Error& e) {
    fail(i, e.what(),
         e.code() == Error::Code::Cancelled ? Outcome::Kind::Cancelled : Outcome::Kind::Failed);
  } catch (const std::bad_alloc&) {
    fail(i, "out of memory", Outcome::Kind::Failed);
  } catch (const std::exception& e) {
    fail(i,
         std::string("internal error: ") + e.what() + " (please report this as a drillmaster bug)",
         Outcome::Kind::Failed);
  } catch (...) {
    fail(i, "internal error: unknown exception (please report this as a drillmaster bug)",
         Outcome::Kind::Failed);
  }
  t.outcome.seconds = std::chrono::duration<double>(Clock::now() - began).count();
}

void StartRun::work_on(size_t i) {
  Task& t = tasks_[i];
  if (t.def->hooks.prepare) {
    // Its definition is complete only now: nothing about its container
    // can be decided before.
    std::string failed = wait_for_dependencies(i, Readiness::Ready);
    if (!failed.empty()) throw DependencyFailed(failed);
    if (cancel_.load()) throw Error(Error::Code::Cancelled, "cancelled before it started");
    t.prepared = prepare(group_, *t.def, deadline(i));
    t.spec = container_spec(group_, t.prepared);
    std::lock_guard<std::mutex> lock(mutex_);  // others read def->name
    t.def = &t.prepared;
  }
  std::string image_id;
  if (!untouched(i)) {
    SlotHold hold(slots_);
    engine::ScopedDeadline step(step_seconds(i), step_budget(i));
    image_id = images_.ensure(*t.def);
  }
  const engine::ContainerSummary* reused = nullptr;
  if (!recreate(i)) {
    for (const auto& c : t.existing) {
      if (reusable(i, c, image_id)) {
        reused = &c;
        break;
      }
    }
  }
  if (reused && reused->state == "running") {
    // Running, same definition, same image (a rebuild changed nothing).
    t.outcome.outcome = Outcome::Kind::AlreadyRunning;
    t.outcome.container_id = reused->id;
    events_.emit(t.def->name, Phase::Running, "already running");
  } else if (reused) {
    bring_up_again(i, *reused);
    events_.emit(t.def->name, Phase::Running);
  } else {
    bring_up_new(i);
    events_.emit(t.def->name, Phase::Running);
  }
  settle(i, Readiness::Ready);
}

void StartRun::bring_up_new(size_t i) {
  Task& t = tasks_[i];
  bool pre_start = t.def->hooks.pre_start != nullptr;
  if (!pre_start) {
    std::string failed = wait_for_dependencies(i, Readiness::Created);
    if (!failed.empty()) throw DependencyFailed(failed);
    if (cancel_.load()) throw Error(Error::Code::Cancelled, "cancelled before it started");
    SlotHold hold(slots_);
    remove_outdated(i);
    t.created_id = create(i);
    settle(i, Readiness::Created);
  }
  std::string failed = wait_for_dependencies(i, Readiness::Ready);
  if (!failed.empty()) throw DependencyFailed(failed);
  if (cancel_.load()) throw Error(Error::Code::Cancelled, "cancelled before it started");

  SlotHold hold(slots_);
  if (pre_start) {
    events_.emit(t.def->name, Phase::PreStart);
    std::string reason;
    int rc = call_hook("pre_start", t.def->hooks.pre_start, target(i, ""), deadline(i), nullptr,
                       &reason);
    if (rc != 0)
      throw Error(
          Error::Code::Hook,
          "pre_start failed: " + (reason.empty() ? "it returned " + std::to_string(rc) : reason));
    remove_outdated(i);
    t.created_id = create(i);
    settle(i, Readiness::Created);
  }
  start_container(i, t.created_id);
  await_ready(i, t.created_id, /*made_here=*/true, deadline(i));
  if (t.def->hooks.post_start_init) {
    events_.emit(t.def->name, Phase::Initialising);
    std::string reason;
    int rc = call_hook("post_start_init", t.def->hooks.post_start_init, target(i, t.created_id),
                       deadline(i), nullptr, &reason);
    if (rc != 0)
      throw Error(Error::Code::Hook,
                  "post_start_init failed: " +
                      (reason.empty() ? "it returned " + std::to_string(rc) : reason));
  }
  finish_setup(i);
  t.outcome.outcome = scope_.recreate.count(i) ? scope_.recreated_outcome : Outcome::Kind::Started;
  t.outcome.container_id = t.created_id;
  t.created_id.clear();  // it made it: no longer ours to clean up
}

void StartRun::bring_up_again(size_t i, const engine::ContainerSummary& container) {
  Task& t = tasks_[i];
  settle(i, Readiness::Created);
  std::string failed = wait_for_dependencies(i, Readiness::Ready);
  if (!failed.empty()) throw DependencyFailed(failed);
  if (cancel_.load()) throw Error(Error::Code::Cancelled, "cancelled before it started");
  SlotHold hold(slots_);
  start_container(i, container.id);
  await_ready(i, container.id, /*made_here=*/false, deadline(i));
  t.outcome.outcome = Outcome::Kind::Restarted;
  t.outcome.container_id = container.id;
}

std::string StartRun::create(size_t i) {
  Task& t = tasks_[i];
  engine::ContainerSpec spec = t.spec;
  if (has_setup_steps(i)) spec.name = setup_name(t.spec.name);
  events_.emit(t.def->name, Phase::Creating, t.spec.name);
  engine::ScopedDeadline step(step_seconds(i), step_budget(i));
  try {
    return engine_.container_create(spec);
  } catch (const Error& e) {
    if (e.code() == Error::Code::Conflict) throw name_taken(spec.name);
    throw;
  }
}

// Containers made from an older definition, and ones whose setup never
// finished: each stopped (with the start's stop_timeout) and removed.
void StartRun::remove_outdated(size_t i) {
  Task& t = tasks_[i];
  const int grace = engine::whole_grace_seconds(options_.stop_timeout);
  const double stop_seconds = grace + kEngineMarginSeconds;
  for (const auto& c : t.existing) {
    if (c.state == "running") {
      engine::ScopedDeadline step(stop_seconds, "the " + seconds_text(stop_seconds) +
                                                    " s allowed for stopping an outdated container");
      engine_.container_stop(c.id, grace);
    }
    engine::ScopedDeadline step(step_seconds(i), step_budget(i));
    engine_.container_remove(c.id, /*force=*/true, /*volumes=*/false);
    std::string what = set_up(c, t.spec.name) ? "outdated container "
                                              : "container whose setup did not finish ";
    events_.emit(t.def->name, Phase::Removed, what + c.id.substr(0, 12));
  }
  t.existing.clear();
}

void StartRun::start_container(size_t i, const std::string& id) {
  Task& t = tasks_[i];
  events_.emit(t.def->name, Phase::Starting);
  engine::ScopedDeadline step(step_seconds(i), step_budget(i));
  if (t.def->ports.empty()) {
    engine_.container_start(id);
  } else {
    std::lock_guard<std::mutex> lock(port_start_mutex_);
    engine_.container_start(id);
  }
}

Error StartRun::exited(const std::string& id, int64_t code, const std::string& when) {
  std::string tail;
  try {
    tail = engine_.logs_tail(id, kLogLinesOnFailure);
  } catch (const Error& e) {
    tail = "(its logs could not be read: " + std::string(e.what()) + ")";
  }
  return Error(
      Error::Code::Failed,
      "container exited with code " + std::to_string(code) + " " + when +
          (tail.empty() ? std::string(" (it wrote no logs)") : "; its last log lines:\n" + tail));
}

void StartRun::await_ready(size_t i, const std::string& id, bool made_here,
                           Clock::time_point deadline) {
  Task& t = tasks_[i];
  if (t.def->hooks.ping == nullptr) {
    // Without a ping, ready means still running once started. An exit after
    // this look is found when the operation ends (report_late_exits).
    engine::ScopedDeadline step(step_seconds(i), step_budget(i));
    engine::ContainerInfo info = engine_.container_inspect(id);
    if (!info.running) throw exited(id, info.exit_code, "right after it started");
    t.unpinged_id = id;
    t.unpinged_new = made_here;
    return;
  }
  events_.emit(t.def->name, Phase::Pinging);
  ExitWatch& watch = watches_.watch(engine_, id);
  // The documented contract: first ping right after start, then every 0.1 s.
  std::string reason;  // the hook's last word, for the timeout message
  auto not_ready = [&](unsigned attempts) {
    watch.stop();
    return Error(Error::Code::Timeout, "not ready after " + seconds_text(timeout_of(i)) +
                                           " s: ping returned " + "not-ready " +
                                           std::to_string(attempts) + " times" +
                                           (reason.empty() ? "" : " (last: " + reason + ")") +
                                           "; raise the service's timeout if it needs longer");
  };
  for (unsigned attempt = 1;; attempt++) {
    if (auto code = watch.exit_code()) {
      engine::ScopedDeadline step(step_seconds(i), step_budget(i));
      throw exited(id, *code, "while waiting for it to be ready");
    }
    int rc;
    try {
      rc = call_hook("ping", t.def->hooks.ping, target(i, id), deadline, &cancel_, &reason);
    } catch (const Error& e) {
      watch.stop();
      // A ping that answered before and ran into the deadline now is a
      // service that never became ready, not a hook that hung.
      if (e.code() == Error::Code::Timeout && attempt > 1) throw not_ready(attempt - 1);
      throw;
    }
    if (rc == model::kPingReady) {
      watch.stop();
      return;
    }
    if (rc < 0) {
      watch.stop();
      throw Error(
          Error::Code::Hook,
          "ping failed: " + (reason.empty() ? "it returned " + std::to_string(rc) : reason));
    }
    if (Clock::now() + kPingInterval > deadline) throw not_ready(attempt);
    watch.wait_for(kPingInterval);
    if (cancel_.load()) {
      watch.stop();
      throw Error(Error::Code::Cancelled, "cancelled while waiting for it to be ready");
    }
  }
}

// The container is set up: it gets its final name. An outdated container of
// the service still holding that name (made meanwhile by a drillmaster that
// did not take the lock) gives way; one that is not the service's is left
// alone and the service fails, saying so.
void StartRun::finish_setup(size_t i) {
  Task& t = tasks_[i];
  if (!has_setup_steps(i)) return;  // created under its final name
  engine::ScopedDeadline step(step_seconds(i), step_budget(i));
  try {
    engine_.container_rename(t.created_id, t.spec.name);
    return;
  } catch (const Error& e) {
    if (e.code() != Error::Code::Conflict) throw;
  }
  try {
    engine::ContainerInfo holder = engine_.container_inspect(t.spec.name);
    auto group = holder.labels.find(kGroupLabel);
    auto service = holder.labels.find(kServiceLabel);
    bool ours = group != holder.labels.end() && group->second == group_.name &&
                service != holder.labels.end() && service->second == t.def->name;
    if (!ours) throw name_taken(t.spec.name);
    engine_.container_remove(holder.id, /*force=*/true, /*volumes=*/false);
    events_.emit(t.def->name, Phase::Removed, "outdated container " + holder.id.substr(0, 12));
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;  // gone meanwhile: the name is free
  }
  engine_.container_rename(t.created_id, t.spec.name);
}

// One list call for all of them, when any: cheaper than a watch each, and it
// sees every exit up to the end of the operation.
void StartRun::report_late_exits() {
  auto ready_unpinged = [&](const Task& t) {
    Outcome::Kind o = t.outcome.outcome;
    return !t.unpinged_id.empty() &&
           (o == Outcome::Kind::Started || o == Outcome::Kind::Restarted ||
            o == Outcome::Kind::Reloaded);
  };
  if (std::none_of(tasks_.begin(), tasks_.end(), ready_unpinged)) return;
  std::map<std::string, std::string> states;  // container id -> state
  try {
    engine::ScopedDeadline step(kEngineMarginSeconds,
                                "the start's " + seconds_text(kEngineMarginSeconds) +
                                    " s limit for its last look at the containers");
    for (const auto& c : engine_.container_list(group_filter(group_), /*all=*/true))
      states[c.id] = c.state;
  } catch (const Error& e) {
    events_.emit("", Phase::Detail,
                 std::string("could not look again at the services without a ping: ") + e.what());
    return;
  }
  for (size_t i = 0; i < tasks_.size(); i++) {
    Task& t = tasks_[i];
    if (!ready_unpinged(t)) continue;
    auto state = states.find(t.unpinged_id);
    bool stopped = state == states.end() || state->second == "exited" || state->second == "dead";
    if (!stopped) continue;
    t.outcome.outcome = Outcome::Kind::Failed;
    try {
      engine::ScopedDeadline step(step_seconds(i), step_budget(i));
      if (state == states.end()) {
        t.outcome.reason = "its container was removed while the start went on";
      } else {
        int64_t code = engine_.container_inspect(t.unpinged_id).exit_code;
        t.outcome.reason =
            exited(t.unpinged_id, code, "after it started, while the start went on").what();
        // Made by this run, it did not stay up: removed, as when it fails at once.
        if (t.unpinged_new) remove_failed(i, t.unpinged_id);
      }
      events_.emit(t.def->name, Phase::Failed, t.outcome.reason);
    } catch (const Error& e) {
      t.outcome.reason = std::string("its container stopped running while the start went on (") +
                         e.what() + ")";
    } catch (...) {
      t.outcome.reason = "its container stopped running while the start went on";
    }
  }
}

void StartRun::fail(size_t i, const std::string& reason, Outcome::Kind outcome) noexcept {
  Task& t = tasks_[i];
  t.outcome.outcome = outcome;
  try {
    t.outcome.reason = reason;
    // A container made in this run that did not come up is never left behind.
    if (!t.created_id.empty()) {
      std::string id;
      id.swap(t.created_id);
      remove_failed(i, id);
    }
    events_.emit(t.def->name, outcome == Outcome::Kind::Failed ? Phase::Failed : Phase::Skipped,
                 t.outcome.reason);
  } catch (...) {
    // Out of memory at worst; the outcome is set, and dependants must learn it.
  }
  settle(i, Readiness::Failed);
}

// Appends to the outcome's reason when the removal fails.
void StartRun::remove_failed(size_t i, const std::string& id) {
  Task& t = tasks_[i];
  try {
    engine::ScopedDeadline step(kEngineMarginSeconds,
                                "the " + seconds_text(kEngineMarginSeconds) +
                                    " s allowed for removing the container of a failed start");
    engine_.container_remove(id, /*force=*/true, /*volumes=*/false);
    events_.emit(t.def->name, Phase::Removed, "container of the failed start removed");
  } catch (const Error& e) {
    t.outcome.reason += " (removing its container failed too: " + std::string(e.what()) + ")";
  }
}

void StartRun::settle(size_t i, Readiness readiness) {
  std::lock_guard<std::mutex> lock(mutex_);
  tasks_[i].readiness = readiness;
  ready_cv_.notify_all();
}

std::string StartRun::wait_for_dependencies(size_t i, Readiness stage) {
  const auto& deps = graph_.dependencies(i);
  std::unique_lock<std::mutex> lock(mutex_);
  bool announced = stage != Readiness::Ready;  // only the wait to start is news
  // Announced only once the wait lasts: dependencies that are running
  // already settle within a moment, and "waiting" would be noise then.
  auto announce_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(50);
  while (true) {
    std::string pending;
    for (size_t d : deps) {
      Readiness r = tasks_[d].readiness;
      if (r == Readiness::Failed) return tasks_[d].def->name;
      if (r < stage && pending.empty()) pending = tasks_[d].def->name;
    }
    if (pending.empty()) return "";
    if (cancel_.load()) return "";  // the caller checks cancel next
    if (!announced && std::chrono::steady_clock::now() >= announce_at) {
      lock.unlock();
      events_.emit(tasks_[i].def->name, Phase::Waiting, "waiting for " + pending);
      lock.lock();
      announced = true;
      continue;
    }
    // dm_group_cancel() cannot notify (it must be signal-safe), so look again
    // now and then.
    ready_cv_.wait_for(lock, std::chrono::milliseconds(announced ? 50 : 25));
  }
}

}  // namespace

Result run_start(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
                 const StartScope& scope, Images& images, Events& events,
                 const std::atomic<bool>& cancel) {
  StartRun run(engine, group, options, scope, images, events, cancel);
  return run.run();
}

}  // namespace dm::orchestrator
