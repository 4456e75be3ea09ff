// The public operations: each takes the group lock, then runs the machinery
// of runs.h (start.cc, stop.cc) on the services it concerns.
#include "orchestrator/orchestrator.h"

#include <algorithm>
#include <optional>

#include "common/error.h"
#include "common/text.h"
#include "engine/deadline.h"
#include "model/graph.h"
#include "orchestrator/events.h"
#include "orchestrator/identity.h"
#include "orchestrator/images.h"
#include "orchestrator/lock.h"
#include "orchestrator/runs.h"

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

// Images a rebuild replaced do not pile up: each is removed unless something
// still uses it (a container, a child image), in which case it stays.
void remove_replaced(engine::Client& engine, const Images& images) {
  engine::ScopedDeadline step(kEngineMarginSeconds,
                              "the " + seconds_text(kEngineMarginSeconds) +
                                  " s limit for removing a replaced image");
  for (const auto& [old_id, tag] : images.replaced()) {
    try {
      engine.image_remove(old_id, /*force=*/false);
    } catch (const Error&) {
    }
  }
}

// Holds the group lock for an operation. An operation cancelled while another
// process still held the lock did nothing: its result says so per service.
class LockOrCancelled {
 public:
  LockOrCancelled(const model::GroupDef& group, Events& events, const std::atomic<bool>& cancel,
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

}  // namespace

Result start(engine::Client& engine, const model::GroupDef& group, const StartOptions& options,
             const std::atomic<bool>& cancel) {
  Events events(options.on_event);
  LockOrCancelled lock(group, events, cancel, options.timeout);
  if (lock.cancelled()) return *lock.cancelled();
  std::set<std::string> rebuild;
  if (options.build)
    for (const auto& s : group.services)
      if (!s.build_context.empty()) rebuild.insert(s.name);
  Images images(engine, events, group, rebuild);
  StartScope scope;
  scope.include = all_but(group, options.exclude);
  scope.left_out_reason = "excluded";
  Result result = run_start(engine, group, options, scope, images, events, cancel);
  remove_replaced(engine, images);
  return result;
}

Result stop(engine::Client& engine, const model::GroupDef& group, const StopOptions& options,
            const std::atomic<bool>& cancel) {
  Events events(options.on_event);
  LockOrCancelled lock(group, events, cancel, GroupLock::kStopWaitSeconds);
  if (lock.cancelled()) return *lock.cancelled();
  StopScope scope;
  scope.include = all_but(group, options.exclude);
  if (options.remove) {
    scope.remove = scope.include;
    scope.remove_orphans = options.exclude.empty();
    scope.remove_network = true;
  }
  return run_stop(engine, group, options.timeout, scope, events, cancel);
}

Result reload(engine::Client& engine, const model::GroupDef& group, const ReloadOptions& options,
              const std::atomic<bool>& cancel) {
  model::Graph graph(group);
  std::optional<size_t> target = graph.find(options.service);
  if (!target)
    throw Error(Error::Code::NotFound, "cannot reload '" + options.service +
                                           "': no such service; defined: " + defined_names(group));
  const model::ServiceDef& def = group.services[*target];
  if (def.build_context.empty())
    throw Error(Error::Code::Invalid,
                "cannot reload '" + def.name +
                    "': it has no build context (build_from), and reload rebuilds the "
                    "service's image from it; use stop and start to restart it");

  Events events(options.on_event);
  LockOrCancelled lock(group, events, cancel, options.timeout);
  if (lock.cancelled()) return *lock.cancelled();
  Images images(engine, events, group, {def.name});
  std::string why_untouched = "not affected by reloading '" + def.name + "'";

  // Build first: when the build fails, everything keeps running as it was.
  try {
    double seconds = std::max(options.timeout, kEngineMarginSeconds);
    engine::ScopedDeadline step(seconds, "the reload's " + seconds_text(seconds) +
                                             " s limit for each engine step");
    images.ensure(def);
  } catch (const Error& e) {
    Result result;
    for (const auto& s : group.services) {
      Outcome o{s.name, Outcome::Kind::Excluded, why_untouched, "", 0};
      if (s.name == def.name) o = {s.name, Outcome::Kind::Failed, e.what(), "", 0};
      result.services.push_back(o);
    }
    events.emit(def.name, Phase::Failed, e.what());
    return result;
  }

  std::vector<size_t> dependants = graph.transitive_dependants(*target);
  StopScope stop_scope;
  stop_scope.include.insert(*target);
  stop_scope.remove.insert(*target);  // recreated: its old container must go
  for (size_t d : dependants) {
    stop_scope.include.insert(d);
    if (options.remove) stop_scope.remove.insert(d);
  }
  Result stopped = run_stop(engine, group, options.stop_timeout, stop_scope, events, cancel);
  if (stopped.cancelled || stopped.failures() > 0) return stopped;

  StartOptions start_options;
  start_options.timeout = options.timeout;
  start_options.stop_timeout = options.stop_timeout;
  start_options.on_event = options.on_event;
  StartScope scope;
  scope.include = stop_scope.include;
  for (size_t d : graph.transitive_dependencies(*target)) scope.include.insert(d);
  scope.left_out_reason = why_untouched;
  scope.recreate.insert(*target);
  scope.recreated_outcome = Outcome::Kind::Reloaded;
  Result result = run_start(engine, group, start_options, scope, images, events, cancel);
  remove_replaced(engine, images);
  return result;
}

}  // namespace dm::orchestrator
