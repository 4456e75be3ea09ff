// The dependency graph of a valid group: who needs whom, in both directions,
// and its cycles. Services are named by their index in GroupDef::services.
// The orders start and stop walk it in are the plan's
// (orchestrator/plan.h).
#ifndef DM_MODEL_GRAPH_H
#define DM_MODEL_GRAPH_H

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/service.h"

namespace dm::model {

class Graph {
 public:
  // Unknown dependency names are ignored here: validate() reports them.
  explicit Graph(const GroupDef& group);

  size_t size() const { return dependencies_.size(); }
  // The index of the service called `name`, or nullopt.
  std::optional<size_t> find(const std::string& name) const;
  // The name of service `service` as defined.
  const std::string& name(size_t service) const { return names_[service]; }

  // Direct edges, in definition order, without duplicates.
  const std::vector<size_t>& dependencies(size_t service) const { return dependencies_[service]; }
  const std::vector<size_t>& dependants(size_t service) const { return dependants_[service]; }

  // Every service reachable through dependencies / dependants (not `service`
  // itself), in definition order.
  std::vector<size_t> transitive_dependencies(size_t service) const;
  std::vector<size_t> transitive_dependants(size_t service) const;

  // A cycle as names ending where it began: {"a", "b", "c", "a"}; nullopt
  // when there is none.
  std::optional<std::vector<std::string>> find_cycle() const;

  // Every elementary cycle once, in the same form, each starting at its
  // service defined first; ordered by that service, then by the order of the
  // dependencies. A self-dependency is the cycle {"a", "a"}. At most `limit`
  // cycles (their number can grow exponentially with the graph); on a large
  // graph the search is bounded to stay linear (see model/cycles.h), and
  // every knot of services that depend on each other still shows at least
  // one of its cycles, within `limit`.
  std::vector<std::vector<std::string>> find_cycles(size_t limit = 32) const;

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, size_t> index_;  // name -> first service of that name
  std::vector<std::vector<size_t>> dependencies_;
  std::vector<std::vector<size_t>> dependants_;
};

}  // namespace dm::model

#endif
