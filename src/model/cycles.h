// Cycles of a directed graph, for the dependency graph's checks. Everything
// here is iterative (no recursion: a 20,000-service ring must not exhaust the
// stack) and linear in the size of the graph, whatever its shape.
#ifndef DM_MODEL_CYCLES_H
#define DM_MODEL_CYCLES_H

#include <cstddef>
#include <vector>

namespace dm::model {

// edges[v]: the vertices v points at, in increasing order, without duplicates.
using Adjacency = std::vector<std::vector<size_t>>;

// The strongly connected component of each vertex, numbered from 0 (Tarjan's
// algorithm, with an explicit stack). Two vertices share a number exactly
// when each reaches the other.
std::vector<size_t> strong_components(const Adjacency& edges);

// Elementary cycles as vertex lists that end where they began ({a, b, a}; a
// self-edge is {a, a}), each starting at its lowest vertex, ordered by that
// vertex, then by the order of the edges (Johnson's algorithm, run only inside
// strongly connected components that hold a cycle). At most `limit` cycles.
//
// The number of elementary cycles grows exponentially with the graph, so the
// work is bounded: every component with a cycle gets its first one found
// (that costs one pass over the component), and searches for more stop once
// they have taken a few passes' worth of steps. A small graph is always
// searched in full.
std::vector<std::vector<size_t>> elementary_cycles(const Adjacency& edges, size_t limit);

}  // namespace dm::model

#endif
