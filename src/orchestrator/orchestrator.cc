// The public operations: each takes the group lock, then runs the machinery
// of runs.h (start.cc, stop.cc) on the services it concerns, over the local
// engine (local_target.h) or the swarm it manages (swarm_target.h), as the
// options say.
#include "orchestrator/orchestrator.h"

#include <algorithm>
#include <optional>

#include "common/error.h"
#include "common/text.h"
#include "engine/deadline.h"
#include "model/graph.h"
#include "model/selection.h"
#include "orchestrator/events.h"
#include "orchestrator/exec.h"
#include "orchestrator/hook_pool.h"
#include "orchestrator/hooks.h"
#include "orchestrator/identity.h"
#include "orchestrator/inventory.h"
#include "orchestrator/local_target.h"
#include "orchestrator/lock.h"
#include "orchestrator/registry_push.h"
#include "orchestrator/removal_on_exit.h"
#include "orchestrator/runs.h"
#include "orchestrator/service_files.h"
#include "orchestrator/swarm_target.h"
#include "orchestrator/sync.h"

namespace dm::orchestrator {
namespace {

std::set<size_t> all_but(const model::GroupDef& group, const std::vector<std::string>& exclude) {
  std::set<size_t> out;
  for (size_t i = 0; i < group.services.size(); i++)
    if (std::find(exclude.begin(), exclude.end(), group.services[i].name) == exclude.end())
      out.insert(i);
  return out;
}

std::string defined_names(const model::GroupDef& group) {
  std::vector<std::string> names;
  for (const auto& s : group.services) names.push_back(s.name);
  std::sort(names.begin(), names.end());
  return join(names, ", ");
}

// Holds the group lock for an operation. An operation cancelled while another
// process still held the lock did nothing: its result says so per service.
class LockOrCancelled {
 public:
  LockOrCancelled(const model::GroupDef& group, Events& events, const CancelToken& cancel,
                  double wait_seconds) {
    try {
      lock_.emplace(group.name, events, cancel, wait_seconds);
    } catch (const Error& e) {
      if (e.code() != Error::Code::Cancelled) throw;
      cancelled_.cancelled = true;
      for (const auto& s : group.services)
        cancelled_.services.push_back({s.name, Outcome::Kind::Cancelled, e.what(), "", 0});
    }
  }
  // The result to return at once, when cancelled.
  const Result* cancelled() const { return lock_ ? nullptr : &cancelled_; }

 private:
  std::optional<GroupLock> lock_;
  Result cancelled_;
};

// The target the options ask for; a swarm only when the engine manages an
// active one (Code::Unreachable saying how to start one, before anything is made).
std::unique_ptr<Target> make_target(TargetKind kind, engine::Client& engine,
                                    const model::GroupDef& group, Events& events,
                                    std::set<std::string> rebuild = {},
                                    const CancelToken* cancel = nullptr,
                                    bool update_in_place = false,
                                    const std::string& registry = "") {
  if (kind == TargetKind::Swarm) {
    require_swarm(engine);
    return std::make_unique<SwarmTarget>(engine, group, events, std::move(rebuild), cancel,
                                         update_in_place, registry);
  }
  return std::make_unique<LocalTarget>(engine, group, events, std::move(rebuild), cancel);
}

// What the target cannot run, refused by service and field before anything
// is made: the fields a swarm service does not carry, or more replicas than
// the local target's one container.
void require_target_fields(TargetKind kind, const model::GroupDef& group) {
  if (kind == TargetKind::Swarm)
    require_carried_fields(group);
  else
    require_local_fields(group);
}

}  // namespace

Result start(engine::Client& engine, const model::GroupDef& defined, const StartOptions& options,
             const CancelToken& cancel) {
  const model::GroupDef group = with_service_files(defined, options.exclude);
  // Checked before the engine is touched; armed once the lock is held, so
  // that a process killed while it waits for another's start of the group
  // does not remove what that one made.
  model::Selection selection = model::select_services(group, options.only, options.profiles);
  require_registry(options.registry, options.target, group);
  if (options.target == TargetKind::Swarm) {
    if (options.remove_on_exit)
      throw Error(Error::Code::Invalid,
                  "removal on exit is not available on a swarm target; stop --remove the group");
  }
  require_target_fields(options.target, group);
  if (options.target == TargetKind::Swarm) require_swarm(engine);
  std::optional<RemovalOnExit> removal;
  if (options.remove_on_exit) removal = RemovalOnExit::prepare(options.watch_pid);
  Events events(options.on_event);
  LockOrCancelled lock(group, events, cancel, options.timeout);
  if (lock.cancelled()) return *lock.cancelled();
  if (removal) arm_removal_on_exit(engine, group, *removal, events);
  std::set<std::string> rebuild;
  if (options.build)
    for (const auto& s : group.services)
      if (!s.build_context.empty()) rebuild.insert(s.name);
  std::unique_ptr<Target> chosen =
      make_target(options.target, engine, group, events, rebuild, &cancel,
                  /*update_in_place=*/true, options.registry);
  Target& target = *chosen;
  CancelWatcher watcher(cancel);
  StartScope scope;
  for (size_t i : all_but(group, options.exclude))
    if (selection.services.count(i)) scope.include.insert(i);
  scope.left_out_reason = "excluded";
  scope.left_out_reasons = selection.left_out;
  Result result = run_start({group, target, events, watcher}, options, scope);
  target.remove_replaced_images();
  return result;
}

Result stop(engine::Client& engine, const model::GroupDef& group, const StopOptions& options,
            const CancelToken& cancel) {
  Events events(options.on_event);
  if (options.target == TargetKind::Swarm) require_swarm(engine);
  LockOrCancelled lock(group, events, cancel, GroupLock::kStopWaitSeconds);
  if (lock.cancelled()) return *lock.cancelled();
  std::unique_ptr<Target> chosen = make_target(options.target, engine, group, events);
  Target& target = *chosen;
  CancelWatcher watcher(cancel);
  StopScope scope;
  scope.include = all_but(group, options.exclude);
  if (options.remove) {
    scope.remove = scope.include;
    scope.remove_orphans = options.exclude.empty();
    scope.remove_network = true;
  }
  Result result = run_stop({group, target, events, watcher}, options.timeout, scope);
  // The group is gone: this process's exit must not remove a group of the
  // same name that another process starts later. Still under the lock, so
  // no such start can come in between.
  if (options.remove && options.exclude.empty() && !result.cancelled && result.failures() == 0)
    release_removal_on_exit(engine.address().text, group.name);
  return result;
}

namespace {

// The service to reload; refused when there is none of that name, or when it
// has no build context to rebuild its image from.
size_t reloadable(const model::Graph& graph, const model::GroupDef& group,
                  const std::string& name) {
  std::optional<size_t> found = graph.find(name);
  if (!found)
    throw Error(Error::Code::NotFound,
                "cannot reload '" + name + "': no such service; defined: " + defined_names(group));
  const model::ServiceDef& def = group.services[*found];
  if (def.build_context.empty())
    throw Error(Error::Code::Invalid,
                "cannot reload '" + def.name +
                    "': it has no build context (build_from), and reload rebuilds the "
                    "service's image from it; use stop and start to restart it");
  return *found;
}

// Builds the image first: when the build fails, everything keeps running as
// it was, and the result says so.
std::optional<Result> build_first(Target& target, const model::GroupDef& group,
                                  const model::ServiceDef& def, double timeout, Events& events,
                                  const std::string& why_untouched) {
  try {
    double seconds = std::max(timeout, kEngineMarginSeconds);
    engine::ScopedDeadline step(
        seconds, "the reload's " + seconds_text(seconds) + " s limit for each engine step");
    target.ensure_image(def);
    return std::nullopt;
  } catch (const Error& e) {
    // A cancel ends the build under way: nothing was stopped yet.
    bool cancelled = e.code() == Error::Code::Cancelled;
    Result result;
    result.cancelled = cancelled;
    for (const auto& s : group.services) {
      Outcome o{s.name, Outcome::Kind::Excluded, why_untouched, "", 0};
      if (s.name == def.name)
        o = {s.name, cancelled ? Outcome::Kind::Cancelled : Outcome::Kind::Failed, e.what(), "", 0};
      result.services.push_back(o);
    }
    events.emit(def.name, cancelled ? Phase::Skipped : Phase::Failed, e.what());
    return result;
  }
}

// The service and its dependants (unless `keep_dependants`) stop; its old
// container goes (it is recreated), theirs too with `remove`.
StopScope reload_stop_scope(const model::Graph& graph, size_t service,
                            const ReloadOptions& options) {
  StopScope scope;
  scope.include.insert(service);
  scope.remove.insert(service);
  if (options.keep_dependants) return scope;
  bool remove = options.remove;
  for (size_t d : graph.transitive_dependants(service)) {
    scope.include.insert(d);
    if (remove) scope.remove.insert(d);
  }
  return scope;
}

// They start again, with the service's dependencies (running already, most
// likely); the service gets a new container, and so do its dependants with
// `run_new_containers` (otherwise the reuse rules restart theirs). The
// dependencies are never recreated: the reload leaves them as they are.
// Dependants kept (`keep_dependants`) are left out with a reason that says so.
StartScope reload_start_scope(const model::Graph& graph, size_t service, const StopScope& stopped,
                              bool run_new_containers, const std::string& why_untouched) {
  StartScope scope;
  scope.include = stopped.include;
  for (size_t d : graph.transitive_dependencies(service)) scope.include.insert(d);
  scope.left_out_reason = why_untouched;
  for (size_t d : graph.transitive_dependants(service))
    if (!stopped.include.count(d))
      scope.left_out_reasons[d] =
          "left as it was (keep_dependants): neither stopped nor started again";
  scope.recreate.insert(service);
  if (run_new_containers) scope.recreate.insert(stopped.include.begin(), stopped.include.end());
  scope.reloaded.insert(service);
  return scope;
}

}  // namespace

Result reload(engine::Client& engine, const model::GroupDef& defined, const ReloadOptions& options,
              const CancelToken& cancel) {
  const model::GroupDef group = with_service_files(defined);
  require_registry(options.registry, options.target, group);
  model::Graph graph(group);
  size_t service = reloadable(graph, group, options.service);
  const model::ServiceDef& def = group.services[service];
  Events events(options.on_event);
  require_target_fields(options.target, group);
  if (options.target == TargetKind::Swarm) require_swarm(engine);
  LockOrCancelled lock(group, events, cancel, options.timeout);
  if (lock.cancelled()) return *lock.cancelled();
  std::unique_ptr<Target> chosen =
      make_target(options.target, engine, group, events, {def.name}, &cancel,
                  /*update_in_place=*/true, options.registry);
  Target& target = *chosen;
  CancelWatcher watcher(cancel);
  Operation operation{group, target, events, watcher};
  std::string why_untouched = "not affected by reloading '" + def.name + "'";
  if (auto failed = build_first(target, group, def, options.timeout, events, why_untouched))
    return *failed;

  StopScope stop_scope = reload_stop_scope(graph, service, options);
  Result stopped = run_stop(operation, options.stop_timeout, stop_scope);
  if (stopped.cancelled || stopped.failures() > 0) return stopped;

  StartOptions start_options;
  start_options.timeout = options.timeout;
  start_options.stop_timeout = options.stop_timeout;
  start_options.on_event = options.on_event;
  Result result = run_start(
      operation, start_options,
      reload_start_scope(graph, service, stop_scope, options.run_new_containers, why_untouched));
  target.remove_replaced_images();
  return result;
}

namespace {

// Starts what `index` depends on, makes sure of the network and its image,
// and runs its prepare hook (which may fill in values the dependencies made),
// under the group lock: the definition to run, or none when it cannot run.
std::optional<model::ServiceDef> prepare_run(engine::Client& engine, const model::GroupDef& group,
                                             size_t index, const std::vector<size_t>& dependencies,
                                             const RunOptions& options, const CancelToken& cancel,
                                             RunResult& out) {
  Events events(options.on_event);
  LockOrCancelled lock(group, events, cancel, options.timeout);
  if (lock.cancelled()) {
    out.dependencies = *lock.cancelled();
    return std::nullopt;
  }
  LocalTarget target(engine, group, events);
  CancelWatcher watcher(cancel);
  StartScope scope;
  scope.include.insert(dependencies.begin(), dependencies.end());
  scope.left_out_reason = "not a dependency of '" + group.services[index].name + "'";
  StartOptions start;
  start.timeout = options.timeout;
  start.on_event = options.on_event;
  start.stop_timeout = options.stop_timeout;
  if (scope.include.empty()) {  // nothing to start: the network is all the run needs
    target.ensure_network();
    for (const auto& s : group.services)
      out.dependencies.services.push_back(
          {s.name, Outcome::Kind::Excluded, scope.left_out_reason, "", 0});
  } else {
    out.dependencies = run_start({group, target, events, watcher}, start, scope);
  }
  if (out.dependencies.cancelled || out.dependencies.failures() > 0 || cancel.cancelled())
    return std::nullopt;
  double seconds = std::max(options.timeout, kEngineMarginSeconds);
  engine::ScopedDeadline step(
      seconds, "the run's " + seconds_text(seconds) + " s limit for preparing the image");
  target.ensure_image(group.services[index]);
  HookPool pool(1, &watcher);
  HookRunner hooks(pool, group);
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                      std::chrono::duration<double>(seconds));
  return hooks.prepare(group.services[index], deadline);
}

}  // namespace

RunResult run(engine::Client& engine, const model::GroupDef& group, const std::string& service,
              const RunOptions& options, const CancelToken& cancel) {
  model::Graph graph(group);
  std::optional<size_t> index = graph.find(service);
  if (!index)
    throw Error(Error::Code::NotFound,
                "cannot run '" + service + "': no such service; defined: " + defined_names(group));
  RunResult out;
  std::optional<model::ServiceDef> prepared = prepare_run(
      engine, group, *index, graph.transitive_dependencies(*index), options, cancel, out);
  if (prepared) run_one_off(engine, group, *prepared, options, cancel, out);
  return out;
}

// ---- the watch actions ----

namespace {

// The result of an action on one service: its outcome only.
Result only(Result result, const std::string& service) {
  Result out;
  out.cancelled = result.cancelled;
  for (Outcome& o : result.services)
    if (o.service == service) out.services.push_back(std::move(o));
  return out;
}

size_t defined_service(const model::GroupDef& group, const std::string& service,
                       const std::string& action) {
  std::optional<size_t> found = model::Graph(group).find(service);
  if (!found)
    throw Error(Error::Code::NotFound, "cannot " + action + " '" + service +
                                           "': no such service; defined: " + defined_names(group));
  return *found;
}

Result restart_locked(engine::Client& engine, const model::GroupDef& group, size_t index,
                      const WatchOptions& options, Events& events, const CancelToken& cancel) {
  const std::string& name = group.services[index].name;
  if (take_inventory(engine, group).of(name).empty())
    throw Error(Error::Code::NotFound,
                "cannot restart " + quoted(name) + " of group " + quoted(group.name) +
                    ": it has no container; start it first (start " + name + ")");
  LocalTarget target(engine, group, events);
  CancelWatcher watcher(cancel);
  Operation operation{group, target, events, watcher};
  StopScope stop_scope;
  stop_scope.include.insert(index);
  Result stopped = run_stop(operation, options.stop_timeout, stop_scope);
  if (stopped.cancelled || stopped.failures() > 0) return only(std::move(stopped), name);
  StartOptions start_options;
  start_options.timeout = options.timeout;
  start_options.stop_timeout = options.stop_timeout;
  start_options.on_event = options.on_event;
  StartScope scope;
  scope.include.insert(index);
  scope.left_out_reason = "not restarted";
  return only(run_start(operation, start_options, scope), name);
}

// The copies and deletions of a batch entry.
void split_files(const model::WatchEntry& entry, std::vector<engine::CopiedFile>& files,
                 std::vector<std::string>& removed) {
  for (const auto& f : entry.files) {
    if (f.target.empty()) continue;  // matched only by a rebuild rule
    if (f.removed)
      removed.push_back(f.target);
    else
      files.push_back({f.host, f.target});
  }
}

}  // namespace

std::vector<std::string> copy_files(engine::Client& engine, const model::GroupDef& defined,
                                    const std::string& service,
                                    const std::vector<engine::CopiedFile>& files,
                                    const std::vector<std::string>& removed,
                                    const CancelToken& cancel) {
  const model::GroupDef group = with_service_files(defined);
  defined_service(group, service, "copy files into");
  Events events(nullptr);
  GroupLock lock(group.name, events, cancel, defaults::kReadySeconds);
  return sync_files(engine, service, running_container(engine, group, service), files, removed,
                    cancel);
}

Result restart_service(engine::Client& engine, const model::GroupDef& defined,
                       const std::string& service, const WatchOptions& options,
                       const CancelToken& cancel) {
  const model::GroupDef group = with_service_files(defined);
  size_t index = defined_service(group, service, "restart");
  Events events(options.on_event);
  LockOrCancelled lock(group, events, cancel, options.timeout);
  if (lock.cancelled()) return only(*lock.cancelled(), service);
  return restart_locked(engine, group, index, options, events, cancel);
}

Result watch_apply(engine::Client& engine, const model::GroupDef& defined,
                   const model::WatchEntry& entry, const WatchOptions& options,
                   const CancelToken& cancel) {
  if (entry.action == static_cast<int>(model::WatchAction::Rebuild)) {
    ReloadOptions reload_options;
    reload_options.service = entry.service;
    reload_options.timeout = options.timeout;
    reload_options.stop_timeout = options.stop_timeout;
    reload_options.on_event = options.on_event;
    return reload(engine, defined, reload_options, cancel);
  }
  const model::GroupDef group = with_service_files(defined);
  size_t index = defined_service(group, entry.service, "sync files into");
  auto began = std::chrono::steady_clock::now();
  Events events(options.on_event);
  LockOrCancelled lock(group, events, cancel, options.timeout);
  if (lock.cancelled()) return only(*lock.cancelled(), entry.service);
  std::vector<engine::CopiedFile> files;
  std::vector<std::string> removed;
  split_files(entry, files, removed);
  std::string container = running_container(engine, group, entry.service);
  std::vector<std::string> skipped =
      sync_files(engine, entry.service, container, files, removed, cancel);
  Result result;
  if (entry.action == static_cast<int>(model::WatchAction::SyncRestart)) {
    result = restart_locked(engine, group, index, options, events, cancel);
  } else {
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    result.services.push_back({entry.service, Outcome::Kind::Synced, "", container, seconds});
  }
  if (!skipped.empty() && !result.services.empty()) {
    std::string& reason = result.services.front().reason;
    reason = join(skipped, "; ") + (reason.empty() ? "" : "; " + reason);
  }
  return result;
}

}  // namespace dm::orchestrator
