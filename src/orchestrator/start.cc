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
#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
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
      : Error(DM_EFAILED, "dependency '" + name + "' failed") {}
};

constexpr auto kPingInterval = std::chrono::milliseconds(100);
constexpr int kLogLinesOnFailure = 20;

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", s);
  return buf;
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
    return matches(i, t.existing.front());
  }

  void work(size_t i);
  void bring_up_new(size_t i);
  void bring_up_again(size_t i, const engine::ContainerSummary& container);
  std::string create(size_t i);
  void remove_outdated(size_t i);
  void start_container(size_t i, const std::string& id);
  void await_ready(size_t i, const std::string& id, Clock::time_point deadline);
  void fail(size_t i, const Error& error, dm_outcome outcome);
  void settle(size_t i, Readiness readiness);
  // Blocks until every dependency got at least to `stage` (Created or Ready);
  // returns a failed one's name, or "".
  std::string wait_for_dependencies(size_t i, Readiness stage);

  HookTarget target(size_t i, const std::string& container_id) const {
    const Task& t = tasks_[i];
    return {group_.name, t.def->name, group_.network, container_id,
            container_id.empty() ? "" : t.spec.name, nullptr};
  }
  Clock::time_point deadline(size_t i) const {
    double s = tasks_[i].def->timeout > 0 ? tasks_[i].def->timeout : options_.timeout;
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }
  double timeout_of(size_t i) const {
    return tasks_[i].def->timeout > 0 ? tasks_[i].def->timeout : options_.timeout;
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

  std::vector<std::thread> workers;
  for (size_t i = 0; i < tasks_.size(); i++)
    if (scope_.include.count(i)) workers.emplace_back([this, i] { work(i); });
  for (auto& w : workers) w.join();
  watches_.join_all();

  Result result;
  for (auto& t : tasks_) result.services.push_back(t.outcome);
  result.cancelled = cancel_.load();
  return result;
}

void StartRun::work(size_t i) {
  Task& t = tasks_[i];
  auto began = Clock::now();
  try {
    if (t.def->hooks.prepare) {
      // Its definition is complete only now: nothing about its container
      // can be decided before.
      std::string failed = wait_for_dependencies(i, Readiness::Ready);
      if (!failed.empty()) throw DependencyFailed(failed);
      if (cancel_.load()) throw Error(DM_ECANCELLED, "cancelled before it started");
      t.prepared = prepare(group_, *t.def, deadline(i));
      t.spec = container_spec(group_, t.prepared);
      std::lock_guard<std::mutex> lock(mutex_);  // others read def->name
      t.def = &t.prepared;
    }
    std::string image_id;
    if (!untouched(i)) {
      SlotHold hold(slots_);
      image_id = images_.ensure(*t.def);
    }
    const engine::ContainerSummary* reusable = nullptr;
    if (!recreate(i)) {
      for (const auto& c : t.existing) {
        if (matches(i, c, image_id)) {
          reusable = &c;
          break;
        }
      }
    }
    if (reusable && reusable->state == "running") {
      // Running, same definition, same image (a rebuild changed nothing).
      t.outcome.outcome = DM_OUTCOME_ALREADY_RUNNING;
      t.outcome.container_id = reusable->id;
      events_.emit(t.def->name, DM_PHASE_RUNNING, "already running");
    } else if (reusable) {
      bring_up_again(i, *reusable);
      events_.emit(t.def->name, DM_PHASE_RUNNING);
    } else {
      bring_up_new(i);
      events_.emit(t.def->name, DM_PHASE_RUNNING);
    }
    settle(i, Readiness::Ready);
  } catch (const DependencyFailed& e) {
    fail(i, e, DM_OUTCOME_SKIPPED);
  } catch (const Error& e) {
    fail(i, e, e.status() == DM_ECANCELLED ? DM_OUTCOME_CANCELLED : DM_OUTCOME_FAILED);
  } catch (const std::exception& e) {
    fail(i, Error(DM_EINTERNAL, std::string("internal error: ") + e.what()), DM_OUTCOME_FAILED);
  }
  t.outcome.seconds = std::chrono::duration<double>(Clock::now() - began).count();
}

void StartRun::bring_up_new(size_t i) {
  Task& t = tasks_[i];
  bool pre_start = t.def->hooks.pre_start != nullptr;
  if (!pre_start) {
    std::string failed = wait_for_dependencies(i, Readiness::Created);
    if (!failed.empty()) throw DependencyFailed(failed);
    if (cancel_.load()) throw Error(DM_ECANCELLED, "cancelled before it started");
    SlotHold hold(slots_);
    remove_outdated(i);
    t.created_id = create(i);
    settle(i, Readiness::Created);
  }
  std::string failed = wait_for_dependencies(i, Readiness::Ready);
  if (!failed.empty()) throw DependencyFailed(failed);
  if (cancel_.load()) throw Error(DM_ECANCELLED, "cancelled before it started");

  SlotHold hold(slots_);
  if (pre_start) {
    events_.emit(t.def->name, DM_PHASE_PRE_START);
    std::string reason;
    int rc = call_hook("pre_start", t.def->hooks.pre_start, t.def->hooks.pre_start_data,
                       target(i, ""), deadline(i), nullptr, &reason);
    if (rc != 0)
      throw Error(DM_EHOOK, "pre_start failed: " + (reason.empty() ? "it returned " + std::to_string(rc) : reason));
    remove_outdated(i);
    t.created_id = create(i);
    settle(i, Readiness::Created);
  }
  start_container(i, t.created_id);
  await_ready(i, t.created_id, deadline(i));
  if (t.def->hooks.post_start_init) {
    events_.emit(t.def->name, DM_PHASE_INITIALISING);
    std::string reason;
    int rc = call_hook("post_start_init", t.def->hooks.post_start_init,
                       t.def->hooks.post_start_init_data, target(i, t.created_id), deadline(i),
                       nullptr, &reason);
    if (rc != 0)
      throw Error(DM_EHOOK, "post_start_init failed: " +
                                (reason.empty() ? "it returned " + std::to_string(rc) : reason));
  }
  t.outcome.outcome = scope_.recreate.count(i) ? scope_.recreated_outcome : DM_OUTCOME_STARTED;
  t.outcome.container_id = t.created_id;
  t.created_id.clear();  // it made it: no longer ours to clean up
}

void StartRun::bring_up_again(size_t i, const engine::ContainerSummary& container) {
  Task& t = tasks_[i];
  settle(i, Readiness::Created);
  std::string failed = wait_for_dependencies(i, Readiness::Ready);
  if (!failed.empty()) throw DependencyFailed(failed);
  if (cancel_.load()) throw Error(DM_ECANCELLED, "cancelled before it started");
  SlotHold hold(slots_);
  start_container(i, container.id);
  await_ready(i, container.id, deadline(i));
  t.outcome.outcome = DM_OUTCOME_RESTARTED;
  t.outcome.container_id = container.id;
}

std::string StartRun::create(size_t i) {
  Task& t = tasks_[i];
  events_.emit(t.def->name, DM_PHASE_CREATING, t.spec.name);
  try {
    return engine_.container_create(t.spec);
  } catch (const Error& e) {
    if (e.status() == DM_ECONFLICT)
      throw Error(e.status(), "container name '" + t.spec.name +
                                  "' is taken by a container drillmaster did not make for this "
                                  "group; remove it (docker rm -f " + t.spec.name +
                                  ") or choose another group name");
    throw;
  }
}

void StartRun::remove_outdated(size_t i) {
  Task& t = tasks_[i];
  for (const auto& c : t.existing) {
    if (c.state == "running") engine_.container_stop(c.id, 10);
    engine_.container_remove(c.id, /*force=*/true, /*volumes=*/false);
    events_.emit(t.def->name, DM_PHASE_REMOVED, "outdated container " + c.id.substr(0, 12));
  }
  t.existing.clear();
}

void StartRun::start_container(size_t i, const std::string& id) {
  Task& t = tasks_[i];
  events_.emit(t.def->name, DM_PHASE_STARTING);
  if (t.spec.ports.empty()) {
    engine_.container_start(id);
  } else {
    std::lock_guard<std::mutex> lock(port_start_mutex_);
    engine_.container_start(id);
  }
}

void StartRun::await_ready(size_t i, const std::string& id, Clock::time_point deadline) {
  Task& t = tasks_[i];
  if (t.def->hooks.ping == nullptr) return;
  events_.emit(t.def->name, DM_PHASE_PINGING);
  ExitWatch& watch = watches_.watch(engine_, id);
  // The documented contract: first ping right after start, then every 0.1 s.
  std::string reason;  // the hook's last word, for the timeout message
  auto not_ready = [&](unsigned attempts) {
    watch.stop();
    return Error(DM_ETIMEOUT, "not ready after " + seconds_text(timeout_of(i)) + " s: ping returned " +
                                  "not-ready " + std::to_string(attempts) + " times" +
                                  (reason.empty() ? "" : " (last: " + reason + ")") +
                                  "; raise the service's timeout if it needs longer");
  };
  for (unsigned attempt = 1;; attempt++) {
    if (auto code = watch.exit_code()) {
      std::string tail = engine_.logs_tail(id, kLogLinesOnFailure);
      throw Error(DM_EFAILED, "container exited with code " + std::to_string(*code) +
                                  " while waiting for it to be ready" +
                                  (tail.empty() ? std::string(" (it wrote no logs)")
                                                : "; its last log lines:\n" + tail));
    }
    int rc;
    try {
      rc = call_hook("ping", t.def->hooks.ping, t.def->hooks.ping_data, target(i, id), deadline,
                     &cancel_, &reason);
    } catch (const Error& e) {
      watch.stop();
      // A ping that answered before and ran into the deadline now is a
      // service that never became ready, not a hook that hung.
      if (e.status() == DM_ETIMEOUT && attempt > 1) throw not_ready(attempt - 1);
      throw;
    }
    if (rc == DM_PING_READY) {
      watch.stop();
      return;
    }
    if (rc < 0) {
      watch.stop();
      throw Error(DM_EHOOK, "ping failed: " + (reason.empty() ? "it returned " + std::to_string(rc) : reason));
    }
    if (Clock::now() + kPingInterval > deadline) throw not_ready(attempt);
    watch.wait_for(kPingInterval);
    if (cancel_.load()) {
      watch.stop();
      throw Error(DM_ECANCELLED, "cancelled while waiting for it to be ready");
    }
  }
}

void StartRun::fail(size_t i, const Error& error, dm_outcome outcome) {
  Task& t = tasks_[i];
  t.outcome.outcome = outcome;
  t.outcome.reason = error.what();
  // A container made in this run that did not come up is never left behind:
  // a later start would take it for an initialised one.
  if (!t.created_id.empty()) {
    try {
      engine_.container_remove(t.created_id, /*force=*/true, /*volumes=*/false);
      events_.emit(t.def->name, DM_PHASE_REMOVED, "container of the failed start removed");
    } catch (const Error& e) {
      t.outcome.reason += " (removing its container failed too: " + std::string(e.what()) + ")";
    }
    t.created_id.clear();
  }
  events_.emit(t.def->name, outcome == DM_OUTCOME_FAILED ? DM_PHASE_FAILED : DM_PHASE_SKIPPED,
               t.outcome.reason);
  settle(i, Readiness::Failed);
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
      events_.emit(tasks_[i].def->name, DM_PHASE_WAITING, "waiting for " + pending);
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
