#include "model/graph.h"

#include <algorithm>
#include <functional>
#include <queue>

namespace dm::model {

namespace {

// Every index reachable from `start` along `edges` through indices that are
// `allowed`; `start` itself only when it is on a cycle.
std::vector<bool> reachable(const std::vector<std::vector<size_t>>& edges, size_t start,
                            const std::function<bool(size_t)>& allowed) {
  std::vector<bool> seen(edges.size(), false);
  std::vector<size_t> todo = {start};
  while (!todo.empty()) {
    size_t v = todo.back();
    todo.pop_back();
    for (size_t w : edges[v]) {
      if (!seen[w] && allowed(w)) {
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

// Johnson's algorithm for the elementary cycles through `start` in the
// component `in` (the strongly connected component of `start` among the
// services defined from `start` on).
class CycleFinder {
 public:
  CycleFinder(const std::vector<std::vector<size_t>>& edges, size_t start, std::vector<bool> in,
              size_t limit, std::vector<std::vector<size_t>>* out)
      : edges_(edges),
        start_(start),
        in_(std::move(in)),
        limit_(limit),
        out_(out),
        blocked_(edges.size(), false),
        blocks_(edges.size()) {}

  void run() { circuit(start_); }

 private:
  bool circuit(size_t v) {
    bool found = false;
    stack_.push_back(v);
    blocked_[v] = true;
    for (size_t w : edges_[v]) {
      if (out_->size() >= limit_) break;
      if (!in_[w]) continue;
      if (w == start_) {
        out_->push_back(stack_);
        out_->back().push_back(start_);
        found = true;
      } else if (!blocked_[w] && circuit(w)) {
        found = true;
      }
    }
    if (found) {
      unblock(v);
    } else {
      for (size_t w : edges_[v]) {
        if (in_[w] && std::find(blocks_[w].begin(), blocks_[w].end(), v) == blocks_[w].end()) {
          blocks_[w].push_back(v);
        }
      }
    }
    stack_.pop_back();
    return found;
  }

  void unblock(size_t u) {
    blocked_[u] = false;
    std::vector<size_t> waiting;
    waiting.swap(blocks_[u]);
    for (size_t w : waiting) {
      if (blocked_[w]) unblock(w);
    }
  }

  const std::vector<std::vector<size_t>>& edges_;
  size_t start_;
  std::vector<bool> in_;
  size_t limit_;
  std::vector<std::vector<size_t>>* out_;
  std::vector<bool> blocked_;
  std::vector<std::vector<size_t>> blocks_;
  std::vector<size_t> stack_;
};

}  // namespace

Graph::Graph(const GroupDef& group) {
  const size_t n = group.services.size();
  names_.reserve(n);
  for (const auto& service : group.services) names_.push_back(service.name);
  dependencies_.resize(n);
  dependants_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    for (const auto& name : group.services[i].dependencies) {
      auto dependency = find(name);
      if (!dependency) continue;
      auto& edges = dependencies_[i];
      if (std::find(edges.begin(), edges.end(), *dependency) == edges.end()) {
        edges.push_back(*dependency);
      }
    }
    std::sort(dependencies_[i].begin(), dependencies_[i].end());
    for (size_t dependency : dependencies_[i]) dependants_[dependency].push_back(i);
  }
}

std::optional<size_t> Graph::find(const std::string& name) const {
  if (name.empty()) return std::nullopt;  // an unnamed service is nobody's dependency
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return std::nullopt;
}

std::vector<size_t> Graph::transitive_dependencies(size_t service) const {
  return indices_of(reachable(dependencies_, service, [](size_t) { return true; }), service);
}

std::vector<size_t> Graph::transitive_dependants(size_t service) const {
  return indices_of(reachable(dependants_, service, [](size_t) { return true; }), service);
}

std::vector<size_t> Graph::start_order() const {
  const size_t n = size();
  std::vector<size_t> waiting_for(n);
  std::priority_queue<size_t, std::vector<size_t>, std::greater<size_t>> ready;
  for (size_t i = 0; i < n; ++i) {
    waiting_for[i] = dependencies_[i].size();
    if (waiting_for[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  std::vector<bool> placed(n, false);
  while (!ready.empty()) {
    size_t v = ready.top();
    ready.pop();
    order.push_back(v);
    placed[v] = true;
    for (size_t dependant : dependants_[v]) {
      if (--waiting_for[dependant] == 0) ready.push(dependant);
    }
  }
  // Services on a cycle never become ready; keep them, in definition order,
  // so the order still names every service.
  for (size_t i = 0; i < n; ++i) {
    if (!placed[i]) order.push_back(i);
  }
  return order;
}

std::vector<size_t> Graph::stop_order() const {
  std::vector<size_t> order = start_order();
  std::reverse(order.begin(), order.end());
  return order;
}

std::vector<int> Graph::levels() const {
  std::vector<int> level(size(), 0);
  for (size_t v : start_order()) {
    for (size_t dependency : dependencies_[v]) level[v] = std::max(level[v], level[dependency] + 1);
  }
  return level;
}

std::optional<std::vector<std::string>> Graph::find_cycle() const {
  auto cycles = find_cycles(1);
  if (cycles.empty()) return std::nullopt;
  return cycles.front();
}

std::vector<std::vector<std::string>> Graph::find_cycles(size_t limit) const {
  std::vector<std::vector<size_t>> cycles;
  for (size_t start = 0; start < size() && cycles.size() < limit; ++start) {
    auto from_start = [start](size_t v) { return v >= start; };
    std::vector<bool> forward = reachable(dependencies_, start, from_start);
    if (!forward[start]) continue;  // not on any cycle among these services
    std::vector<bool> backward = reachable(dependants_, start, from_start);
    std::vector<bool> component(size(), false);
    for (size_t v = start; v < size(); ++v) component[v] = forward[v] && backward[v];
    CycleFinder(dependencies_, start, std::move(component), limit, &cycles).run();
  }
  std::vector<std::vector<std::string>> named;
  for (const auto& cycle : cycles) {
    std::vector<std::string> names;
    for (size_t v : cycle) names.push_back(names_[v]);
    named.push_back(std::move(names));
  }
  return named;
}

}  // namespace dm::model
