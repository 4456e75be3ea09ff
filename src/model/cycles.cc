#include "model/cycles.h"

#include <algorithm>
#include <cstdint>
#include <memory>

namespace dm::model {

namespace {

constexpr size_t kUnvisited = SIZE_MAX;

// Steps (an edge looked at, a vertex set up) one component's search may take
// once it has found its first cycle: a floor, so that small graphs are always
// searched in full, plus a few passes over the component.
constexpr size_t kWorkFloor = 100000;
constexpr size_t kWorkPasses = 8;

// The elementary cycles of one strongly connected component, searched one
// start vertex at a time, lowest first, as Johnson's algorithm does. Vertices
// are renumbered 0..size-1 in increasing order, so edges keep their order.
class ComponentCycles {
 public:
  ComponentCycles(const Adjacency& edges, const std::vector<size_t>& component, size_t id,
                  std::vector<size_t> vertices, std::vector<size_t>& local)
      : vertices_(std::move(vertices)), edges_(vertices_.size()), reverse_(vertices_.size()) {
    for (size_t i = 0; i < vertices_.size(); ++i) local[vertices_[i]] = i;
    size_t edge_count = 0;
    for (size_t i = 0; i < vertices_.size(); ++i) {
      for (size_t w : edges[vertices_[i]]) {
        if (component[w] != id) continue;
        edges_[i].push_back(local[w]);
        reverse_[local[w]].push_back(i);
        ++edge_count;
      }
    }
    work_ = vertices_.size() + edge_count;
    budget_ = kWorkFloor + kWorkPasses * work_;
  }

  // Whether more cycles may still be searched for: always until the first
  // one is found, then while the budget lasts.
  bool searching() const { return found_ == 0 || work_ <= budget_; }

  // Appends the cycles that start at local vertex `start` (in original
  // numbers) to `out`, up to `limit` cycles in all.
  void cycles_from(size_t start, size_t limit, std::vector<std::vector<size_t>>& out) {
    std::vector<bool> in = among_later(start);
    if (!in[start]) return;  // no cycle through `start` among the later vertices
    Johnson search(*this, start, std::move(in), limit, out);
    search.run();
  }

 private:
  // Vertices >= `start` that `start` reaches and that reach it through
  // vertices >= `start`: the component of `start` once the vertices before
  // it are gone. `start` itself is in it only when it is on such a cycle.
  std::vector<bool> among_later(size_t start) {
    std::vector<bool> forward = reach(edges_, start), backward = reach(reverse_, start);
    for (size_t v = 0; v < forward.size(); ++v) forward[v] = forward[v] && backward[v];
    return forward;
  }

  std::vector<bool> reach(const Adjacency& edges, size_t start) {
    std::vector<bool> seen(edges.size(), false);
    std::vector<size_t> todo = {start};
    work_ += edges.size();
    while (!todo.empty()) {
      size_t v = todo.back();
      todo.pop_back();
      work_ += edges[v].size();
      for (size_t w : edges[v]) {
        if (w >= start && !seen[w]) {
          seen[w] = true;
          todo.push_back(w);
        }
      }
    }
    return seen;
  }

  // Johnson's circuit search from one start vertex, with explicit stacks.
  class Johnson {
   public:
    Johnson(ComponentCycles& owner, size_t start, std::vector<bool> in, size_t limit,
            std::vector<std::vector<size_t>>& out)
        : c_(owner), start_(start), in_(std::move(in)), limit_(limit), out_(out),
          blocked_(in_.size(), false), blocks_(in_.size()) {
      c_.work_ += in_.size();
    }

    void run() {
      enter(start_);
      while (!frames_.empty()) {
        if (!c_.searching()) return;  // out of budget: keep what was found
        Frame& frame = frames_.back();
        const std::vector<size_t>& next = c_.edges_[frame.vertex];
        if (frame.next < next.size() && out_.size() < limit_) {
          size_t w = next[frame.next++];
          ++c_.work_;
          if (!in_[w]) continue;
          if (w == start_) {
            record();
            frame.found = true;
          } else if (!blocked_[w]) {
            enter(w);  // invalidates `frame`
          }
          continue;
        }
        leave();
      }
    }

   private:
    struct Frame {
      size_t vertex;
      size_t next = 0;
      bool found = false;  // a cycle was closed through this vertex
    };

    void enter(size_t v) {
      path_.push_back(v);
      blocked_[v] = true;
      frames_.push_back({v});
    }

    // Done with the top vertex: unblock it when it led back to the start;
    // otherwise it stays blocked until one of its successors is unblocked.
    void leave() {
      Frame frame = frames_.back();
      frames_.pop_back();
      if (frame.found) {
        unblock(frame.vertex);
      } else {
        for (size_t w : c_.edges_[frame.vertex]) {
          ++c_.work_;
          if (in_[w]) blocks_[w].push_back(frame.vertex);  // duplicates are harmless
        }
      }
      path_.pop_back();
      if (frame.found && !frames_.empty()) frames_.back().found = true;
    }

    void unblock(size_t u) {
      blocked_[u] = false;
      std::vector<size_t> todo = {u};
      while (!todo.empty()) {
        size_t v = todo.back();
        todo.pop_back();
        std::vector<size_t> waiting;
        waiting.swap(blocks_[v]);
        c_.work_ += waiting.size();
        for (size_t w : waiting) {
          if (blocked_[w]) {
            blocked_[w] = false;
            todo.push_back(w);
          }
        }
      }
    }

    void record() {
      std::vector<size_t> cycle;
      cycle.reserve(path_.size() + 1);
      for (size_t v : path_) cycle.push_back(c_.vertices_[v]);
      cycle.push_back(c_.vertices_[start_]);
      c_.work_ += cycle.size();
      out_.push_back(std::move(cycle));
      ++c_.found_;
    }

    ComponentCycles& c_;
    size_t start_;
    std::vector<bool> in_;
    size_t limit_;
    std::vector<std::vector<size_t>>& out_;
    std::vector<bool> blocked_;
    Adjacency blocks_;  // blocks_[w]: vertices to unblock when w is
    std::vector<size_t> path_;
    std::vector<Frame> frames_;
  };

  std::vector<size_t> vertices_;  // local -> original number
  Adjacency edges_;
  Adjacency reverse_;
  size_t work_ = 0;
  size_t budget_ = 0;
  size_t found_ = 0;
};

}  // namespace

std::vector<size_t> strong_components(const Adjacency& edges) {
  const size_t n = edges.size();
  std::vector<size_t> index(n, kUnvisited), low(n, 0), component(n, kUnvisited);
  std::vector<bool> on_stack(n, false);
  std::vector<size_t> stack;
  struct Frame {
    size_t vertex;
    size_t next;
  };
  std::vector<Frame> frames;
  size_t counter = 0, components = 0;
  auto enter = [&](size_t v) {
    index[v] = low[v] = counter++;
    stack.push_back(v);
    on_stack[v] = true;
    frames.push_back({v, 0});
  };
  for (size_t root = 0; root < n; ++root) {
    if (index[root] != kUnvisited) continue;
    enter(root);
    while (!frames.empty()) {
      const size_t v = frames.back().vertex;
      if (frames.back().next < edges[v].size()) {
        size_t w = edges[v][frames.back().next++];
        if (index[w] == kUnvisited) {
          enter(w);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      frames.pop_back();
      if (!frames.empty()) {
        size_t parent = frames.back().vertex;
        low[parent] = std::min(low[parent], low[v]);
      }
      if (low[v] == index[v]) {  // v is the root of a component: pop it
        size_t w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component[w] = components;
        } while (w != v);
        ++components;
      }
    }
  }
  return component;
}

std::vector<std::vector<size_t>> elementary_cycles(const Adjacency& edges, size_t limit) {
  std::vector<std::vector<size_t>> cycles;
  if (limit == 0) return cycles;
  const size_t n = edges.size();
  const std::vector<size_t> component = strong_components(edges);
  size_t count = 0;
  for (size_t c : component) count = std::max(count, c + 1);

  // Only components of two or more vertices, or with a self-edge, hold cycles.
  std::vector<std::vector<size_t>> members(count);
  for (size_t v = 0; v < n; ++v) members[component[v]].push_back(v);
  std::vector<bool> cyclic(count, false);
  for (size_t v = 0; v < n; ++v) {
    if (members[component[v]].size() > 1 ||
        std::binary_search(edges[v].begin(), edges[v].end(), v)) {
      cyclic[component[v]] = true;
    }
  }

  // Cycles come ordered by their lowest vertex, so the starts are taken in
  // increasing order, whichever component each belongs to.
  std::vector<std::unique_ptr<ComponentCycles>> searches(count);
  std::vector<size_t> local(n, 0);
  for (size_t start = 0; start < n && cycles.size() < limit; ++start) {
    const size_t c = component[start];
    if (!cyclic[c]) continue;
    if (!searches[c]) {
      searches[c] =
          std::make_unique<ComponentCycles>(edges, component, c, std::move(members[c]), local);
    }
    if (!searches[c]->searching()) continue;
    searches[c]->cycles_from(local[start], limit, cycles);
  }
  return cycles;
}

}  // namespace dm::model
