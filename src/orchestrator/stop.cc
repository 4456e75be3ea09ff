// Taking services down, dependants first: a service's containers are stopped
// once every dependant in the stop has finished stopping, each service on its
// own thread, so independent branches stop in parallel. The engine sends each
// container the stop signal it was created with and kills it after the grace
// period.
//
// Every engine request is bounded (engine/deadline.h): a container's stop by
// its grace period plus kEngineMarginSeconds, any other request by the
// margin, so an engine that stops answering fails the service instead of
// holding the stop for minutes. Every thread catches everything: no
// exception leaves it, each becomes that service's failure.
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "common/error.h"
#include "engine/deadline.h"
#include "model/graph.h"
#include "orchestrator/identity.h"
#include "orchestrator/inventory.h"
#include "orchestrator/runs.h"

namespace dm::orchestrator {
namespace {

// The bound on a stop's requests other than the stops themselves.
const std::string& step_budget() {
  static const std::string text =
      "the stop's " + seconds_text(kEngineMarginSeconds) + " s limit for each engine step";
  return text;
}

// The reason for an exception that is not a dm::Error.
std::string unexpected(const char* what) {
  return std::string("internal error: ") + what + " (please report this as a drillmaster bug)";
}

class StopRun {
 public:
  StopRun(engine::Client& engine, const model::GroupDef& group, double grace,
          const StopScope& scope, Events& events, const std::atomic<bool>& cancel)
      : engine_(engine), group_(group), grace_(grace), scope_(scope), events_(events),
        cancel_(cancel), graph_(group), done_(group.services.size(), false) {}

  Result run();

 private:
  void work(size_t i, const std::vector<engine::ContainerSummary>& containers,
            Outcome& outcome) noexcept;
  void remove_orphan(const engine::ContainerSummary& c) noexcept;
  // Stops one container; returns whether it was running.
  bool stop_container(const std::string& service, const engine::ContainerSummary& c);
  void failed(const std::string& service, Outcome& outcome, const std::string& reason) noexcept;
  void remove_container(const std::string& service, const engine::ContainerSummary& c);
  void wait_for_dependants(size_t i);
  void finish(size_t i);
  void remove_network();

  engine::Client& engine_;
  const model::GroupDef& group_;
  double grace_;
  const StopScope& scope_;
  Events& events_;
  const std::atomic<bool>& cancel_;
  model::Graph graph_;
  std::mutex mutex_;
  std::condition_variable done_cv_;
  std::vector<bool> done_;
};

Result StopRun::run() {
  Inventory inventory;
  {
    engine::ScopedDeadline step(kEngineMarginSeconds, step_budget());
    inventory = take_inventory(engine_, group_);
  }
  Result result;
  result.services.resize(group_.services.size());
  std::vector<std::thread> workers;
  // Every excluded service counts as stopped before any worker looks at
  // done_ (a vector<bool>: its bits share words, so no writes once they run).
  for (size_t i = 0; i < group_.services.size(); i++) {
    Outcome& o = result.services[i];
    o.service = group_.services[i].name;
    if (!scope_.include.count(i)) {
      o.outcome = Outcome::Kind::Excluded;
      done_[i] = true;
    }
  }
  for (size_t i = 0; i < group_.services.size(); i++) {
    if (!scope_.include.count(i)) continue;
    Outcome& o = result.services[i];
    workers.emplace_back([this, i, &inventory, &o] { work(i, inventory.of(o.service), o); });
  }
  // Containers of services no longer in the definition: nothing depends on
  // them that we know of, so they go in parallel with the rest.
  if (scope_.remove_orphans) {
    for (const auto& c : inventory.orphans)
      workers.emplace_back([this, &c] { remove_orphan(c); });
  }
  for (auto& w : workers) w.join();
  result.cancelled = cancel_.load();
  if (scope_.remove_network && !result.cancelled) {
    engine::ScopedDeadline step(kEngineMarginSeconds, step_budget());
    remove_network();
  }
  return result;
}

// A container of a service that is no longer defined. Its failure is no
// service's: it is reported as an event of the group.
void StopRun::remove_orphan(const engine::ContainerSummary& c) noexcept {
  try {
    auto label = c.labels.find(kServiceLabel);
    std::string name = label != c.labels.end() ? label->second
                       : c.names.empty()       ? c.id
                                               : c.names.front();
    try {
      stop_container(name, c);
      remove_container(name, c);
    } catch (const Error& e) {
      events_.emit("", Phase::Failed, "container '" + name + "': " + e.what());
    } catch (const std::exception& e) {
      events_.emit("", Phase::Failed, "container '" + name + "': " + unexpected(e.what()));
    }
  } catch (...) {
    events_.emit("", Phase::Failed, unexpected("unknown exception while removing a container"));
  }
}

void StopRun::work(size_t i, const std::vector<engine::ContainerSummary>& containers,
                   Outcome& outcome) noexcept {
  auto began = std::chrono::steady_clock::now();
  const std::string& name = group_.services[i].name;
  bool remove = scope_.remove.count(i) > 0;
  bool finished = false;
  if (!containers.empty()) outcome.container_id = containers.front().id;
  try {
    wait_for_dependants(i);
    if (cancel_.load()) {
      outcome.outcome = Outcome::Kind::Cancelled;
      outcome.reason = "cancelled before it was stopped";
    } else {
      bool any_running = false;
      for (const auto& c : containers) any_running |= stop_container(name, c);
      // Dependencies wait for this service to stop, not for its removal.
      finish(i);
      finished = true;
      if (remove)
        for (const auto& c : containers) remove_container(name, c);
      if (containers.empty() || (!any_running && !remove)) {
        outcome.outcome = Outcome::Kind::NotRunning;
      } else {
        outcome.outcome = remove ? Outcome::Kind::Removed : Outcome::Kind::Stopped;
      }
    }
  } catch (const Error& e) {
    failed(name, outcome, e.what());
  } catch (const std::exception& e) {
    failed(name, outcome, unexpected(e.what()));
  } catch (...) {
    failed(name, outcome, unexpected("unknown exception"));
  }
  outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  if (!finished) finish(i);
}

void StopRun::failed(const std::string& service, Outcome& outcome, const std::string& reason) noexcept {
  outcome.outcome = Outcome::Kind::Failed;
  try {
    outcome.reason = reason;
    events_.emit(service, Phase::Failed, reason);
  } catch (...) {
    // Out of memory at worst: the outcome says failed.
  }
}

bool StopRun::stop_container(const std::string& service, const engine::ContainerSummary& c) {
  bool running = c.state == "running" || c.state == "restarting" || c.state == "paused";
  if (running) {
    events_.emit(service, Phase::Stopping, c.names.empty() ? c.id : c.names.front());
    int grace = engine::whole_grace_seconds(grace_);
    double allowed = grace + kEngineMarginSeconds;
    engine::ScopedDeadline step(allowed, "the " + seconds_text(allowed) +
                                             " s allowed for a stop with a grace period of " +
                                             seconds_text(grace) + " s");
    engine_.container_stop(c.id, grace);
    events_.emit(service, Phase::Stopped);
  }
  return running;
}

void StopRun::remove_container(const std::string& service, const engine::ContainerSummary& c) {
  engine::ScopedDeadline step(kEngineMarginSeconds, step_budget());
  try {
    engine_.container_remove(c.id, /*force=*/true, /*volumes=*/false);
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;  // gone already is what we wanted
  }
  events_.emit(service, Phase::Removed);
}

void StopRun::wait_for_dependants(size_t i) {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    bool all = true;
    for (size_t d : graph_.dependants(i)) all = all && done_[d];
    if (all || cancel_.load()) return;
    done_cv_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

void StopRun::finish(size_t i) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_[i] = true;
  done_cv_.notify_all();
}

void StopRun::remove_network() {
  engine::NetworkSummary network;
  try {
    network = engine_.network_inspect(group_.network);
  } catch (const Error& e) {
    if (e.code() == Error::Code::NotFound) return;
    throw;
  }
  auto label = network.labels.find(kGroupLabel);
  if (label == network.labels.end() || label->second != group_.name) {
    events_.emit("", Phase::Detail,
                 "network '" + group_.network +
                     "' was not made by drillmaster for this group; left in place");
    return;
  }
  if (!network.container_ids.empty()) {
    events_.emit("", Phase::Detail,
                 "network '" + group_.network + "' is still used by " +
                     std::to_string(network.container_ids.size()) + " container(s); left in place");
    return;
  }
  try {
    engine_.network_remove(network.id);
    events_.emit("", Phase::Removed, "network " + group_.network);
  } catch (const Error& e) {
    // Something attached meanwhile (409) or it went away (404): not our failure.
    if (e.code() != Error::Code::Conflict && e.code() != Error::Code::NotFound) throw;
  }
}

}  // namespace

Result run_stop(engine::Client& engine, const model::GroupDef& group, double grace_seconds,
                const StopScope& scope, Events& events, const std::atomic<bool>& cancel) {
  StopRun run(engine, group, grace_seconds, scope, events, cancel);
  return run.run();
}

}  // namespace dm::orchestrator
