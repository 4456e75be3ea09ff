#include "model/graph.h"

#include <algorithm>

#include "model/cycles.h"

namespace dm::model {

namespace {

// Every index reachable from `start` along `edges` (not `start` itself unless
// it is on a cycle).
std::vector<bool> reachable(const std::vector<std::vector<size_t>>& edges, size_t start) {
  std::vector<bool> seen(edges.size(), false);
  std::vector<size_t> todo = {start};
  while (!todo.empty()) {
    size_t v = todo.back();
    todo.pop_back();
    for (size_t w : edges[v]) {
      if (!seen[w]) {
        seen[w] = true;
        todo.push_back(w);
      }
    }
  }
  return seen;
}

std::vector<size_t> indices_of(std::vector<bool> set, size_t except) {
  std::vector<size_t> out;
  for (size_t i = 0; i < set.size(); ++i) {
    if (set[i] && i != except) out.push_back(i);
  }
  return out;
}

}  // namespace

Graph::Graph(const GroupDef& group) {
  const size_t n = group.services.size();
  names_.reserve(n);
  index_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    names_.push_back(group.services[i].name);
    // The first of duplicate names wins; an unnamed service is nobody's
    // dependency.
    if (!names_[i].empty()) index_.emplace(names_[i], i);
  }
  dependencies_.resize(n);
  dependants_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    auto& edges = dependencies_[i];
    for (const auto& name : group.services[i].dependencies) {
      if (auto dependency = find(name)) edges.push_back(*dependency);
    }
    std::sort(edges.begin(), edges.end());
    edges.erase(std::unique(edges.begin(), edges.end()), edges.end());
    for (size_t dependency : edges) dependants_[dependency].push_back(i);
  }
}

std::optional<size_t> Graph::find(const std::string& name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::vector<size_t> Graph::transitive_dependencies(size_t service) const {
  return indices_of(reachable(dependencies_, service), service);
}

std::vector<size_t> Graph::transitive_dependants(size_t service) const {
  return indices_of(reachable(dependants_, service), service);
}

std::optional<std::vector<std::string>> Graph::find_cycle() const {
  auto cycles = find_cycles(1);
  if (cycles.empty()) return std::nullopt;
  return cycles.front();
}

std::vector<std::vector<std::string>> Graph::find_cycles(size_t limit) const {
  std::vector<std::vector<std::string>> named;
  for (const auto& cycle : elementary_cycles(dependencies_, limit)) {
    std::vector<std::string> names;
    names.reserve(cycle.size());
    for (size_t v : cycle) names.push_back(names_[v]);
    named.push_back(std::move(names));
  }
  return named;
}

}  // namespace dm::model
