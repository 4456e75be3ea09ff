// The plan of one operation: deciding apart from doing (ninja's Plan). It
// knows, for every service of the group, how far it got, whether it may take
// its next step now, must wait, or never will, and how the operation ends for
// it. Start walks the graph up (dependencies first), stop walks it down
// (dependants first); reload is a stop plan and then a start plan.
//
// Pure: no threads, no clock, no engine. The executor (executor.h) asks it,
// under one mutex, before each step a service's job takes, and tells it what
// each step achieved; unit tests drive it directly.
//
// The rules:
//   - Up: a service's container is created once every dependency's exists
//     (Created), so creating runs while dependencies start; a service with a
//     pre_start or prepare hook creates only once every dependency is Ready,
//     because the hook runs first and may use them. Prepare, pre_start and
//     start wait for every dependency Ready. A service left out of the
//     operation counts as Ready: it is taken to run as it is.
//   - Down: a service stops once every dependant in the stop has stopped; a
//     dependant left out, or whose stop failed, does not hold it back.
//   - Up, a failure skips every transitive dependant that has not finished,
//     each naming the prerequisite it waited for.
//   - A cancel refuses every step not yet allowed; services that had not
//     begun (taken no step) are cancelled at once.
//   - The cap: at most `cap` services hold a slot at once (0: no cap). Only a
//     service whose step is allowed takes one, so services waiting for
//     prerequisites hold none and the cap cannot deadlock the graph.
#ifndef DM_ORCHESTRATOR_PLAN_H
#define DM_ORCHESTRATOR_PLAN_H

#include <cstddef>
#include <optional>
#include <vector>

#include "model/graph.h"

namespace dm::orchestrator {

class Plan {
 public:
  enum class Direction { Up, Down };

  // How far a service got. Up: Created (its container exists), Ready (set
  // up: its dependants may start). Down: Stopped.
  enum class Stage { Pending, Created, Ready, Stopped };

  // How the operation ends for a service; Active until then.
  enum class State { Active, Done, Failed, Skipped, Cancelled, Excluded };

  // The steps a job asks for before taking them.
  enum class Step {
    Image,    // build or pull: waits for nothing but a slot
    Prepare,  // the prepare hook: dependencies Ready
    Create,   // dependencies Created (Ready with a pre_start or prepare hook)
    Start,    // pre_start, start, ping, init: dependencies Ready
    Stop,     // dependants Stopped
  };

  struct Gate {
    enum class Kind { Open, Wait, Blocked };
    Kind kind;
    // Wait: the first prerequisite not there yet. Blocked: the prerequisite
    // that failed or was skipped, or kCancelled.
    size_t by;
  };
  static constexpr size_t kCancelled = static_cast<size_t>(-1);

  // What the plan needs to know of a service beyond the graph.
  struct Service {
    bool included = true;             // false: left out (Excluded from the start)
    bool create_needs_ready = false;  // it has a pre_start or prepare hook
  };

  // `services`: one per service of `graph`, by index.
  Plan(const model::Graph& graph, Direction direction, std::vector<Service> services, unsigned cap);

  Direction direction() const { return direction_; }
  size_t size() const { return services_.size(); }

  // Whether service `i` may take `step` now.
  Gate gate(size_t i, Step step) const;

  // Service `i` took a step (its gate was open): a cancel no longer cancels
  // it outright; its job ends it at its next gate.
  void begin(size_t i);
  // Service `i` got to `stage`.
  void reach(size_t i, Stage stage);
  // Service `i` ended well: Ready going up, Stopped going down. Returns
  // false (and changes nothing) when it had ended already, e.g. cancelled
  // before it began.
  bool finish(size_t i);
  // Service `i` failed. Up: every transitive dependant still Active becomes
  // Skipped; returns those, in the order they were reached.
  std::vector<size_t> fail(size_t i);
  // Service `i`'s job ended because the operation was cancelled.
  void cancelled(size_t i);

  // Cancels the operation: every later gate is Blocked; services still
  // Active that had not begun become Cancelled, and are returned.
  std::vector<size_t> cancel();
  bool is_cancelled() const { return cancelled_; }

  // The parallelism cap. try_take_slot() is true when a slot was free (and
  // is now taken); give_slot() returns one.
  bool try_take_slot();
  void give_slot();
  unsigned slots_in_use() const { return slots_in_use_; }

  State state(size_t i) const { return services_[i].state; }
  Stage stage(size_t i) const { return services_[i].stage; }
  bool begun(size_t i) const { return services_[i].begun; }
  // The prerequisite whose failure skipped service `i`.
  std::optional<size_t> skipped_because(size_t i) const;
  // Whether every service has ended.
  bool finished() const;

 private:
  struct Entry {
    Service service;
    Stage stage = Stage::Pending;
    State state = State::Active;
    bool begun = false;
    size_t skipped_by = kCancelled;
  };

  // The services that must get to a stage before `i` steps: dependencies up,
  // dependants down.
  const std::vector<size_t>& prerequisites(size_t i) const;
  // Whether prerequisite `p` lets a step that needs `needed` go ahead.
  bool satisfies(size_t p, Stage needed) const;
  Stage needed_stage(size_t i, Step step) const;

  const model::Graph& graph_;
  Direction direction_;
  std::vector<Entry> services_;
  unsigned cap_;
  unsigned slots_in_use_ = 0;
  bool cancelled_ = false;
};

}  // namespace dm::orchestrator

#endif
