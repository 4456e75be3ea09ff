// The dependency graph: edges both ways and cycles. The orders a start and a
// stop walk it in are the plan's (tests/orchestrator/unit/plan_test.cc).
#include "model/graph.h"

#include <gtest/gtest.h>

#include "model/groups.h"

namespace dm::model {
namespace {

using testing::group;
using testing::service;
using Names = std::vector<std::string>;

// The names of `indices`, to make expectations readable.
Names names(const Graph& graph, const std::vector<size_t>& indices) {
  Names out;
  for (size_t i : indices) out.push_back(graph.name(i));
  return out;
}

TEST(Graph, FindsServicesByName) {
  Graph graph(group({service("db"), service("app", {"db"})}));
  EXPECT_EQ(graph.size(), 2u);
  EXPECT_EQ(graph.find("db"), 0u);
  EXPECT_EQ(graph.find("app"), 1u);
  EXPECT_EQ(graph.find("cache"), std::nullopt);
  EXPECT_EQ(graph.find(""), std::nullopt);
}

TEST(Graph, DirectEdgesInDefinitionOrderWithoutDuplicates) {
  Graph graph(group({service("db"), service("cache"), service("app", {"cache", "db", "cache"})}));
  EXPECT_EQ(names(graph, graph.dependencies(2)), (Names{"db", "cache"}));
  EXPECT_EQ(names(graph, graph.dependants(0)), (Names{"app"}));
  EXPECT_EQ(names(graph, graph.dependants(1)), (Names{"app"}));
  EXPECT_TRUE(graph.dependencies(0).empty());
}

TEST(Graph, IgnoresUnknownDependencies) {
  Graph graph(group({service("app", {"nowhere"})}));
  EXPECT_TRUE(graph.dependencies(0).empty());
}

TEST(Graph, AFanOutsRootHasEveryLeafAsADependantInDefinitionOrder) {
  Graph graph(group({service("leaf1", {"root"}), service("leaf2", {"root"}), service("root"),
                     service("leaf3", {"root"})}));
  EXPECT_EQ(names(graph, graph.dependants(2)), (Names{"leaf1", "leaf2", "leaf3"}));
}

TEST(Graph, TransitiveDependenciesInDefinitionOrder) {
  Graph graph(group({service("web", {"app"}), service("cache"), service("app", {"db", "cache"}),
                     service("db"), service("other")}));
  EXPECT_EQ(names(graph, graph.transitive_dependencies(0)), (Names{"cache", "app", "db"}));
  EXPECT_EQ(names(graph, graph.transitive_dependencies(2)), (Names{"cache", "db"}));
  EXPECT_TRUE(graph.transitive_dependencies(3).empty());
}

TEST(Graph, TransitiveDependantsInDefinitionOrder) {
  Graph graph(group({service("web", {"app"}), service("cache"), service("app", {"db", "cache"}),
                     service("db"), service("other")}));
  EXPECT_EQ(names(graph, graph.transitive_dependants(3)), (Names{"web", "app"}));
  EXPECT_EQ(names(graph, graph.transitive_dependants(1)), (Names{"web", "app"}));
  EXPECT_TRUE(graph.transitive_dependants(0).empty());
  EXPECT_TRUE(graph.transitive_dependants(4).empty());
}

TEST(Graph, NoCycleInAValidGraph) {
  Graph graph(group({service("a"), service("b", {"a"}), service("c", {"a", "b"})}));
  EXPECT_EQ(graph.find_cycle(), std::nullopt);
  EXPECT_TRUE(graph.find_cycles().empty());
}

TEST(Graph, CycleOfTwo) {
  Graph graph(group({service("a", {"b"}), service("b", {"a"})}));
  EXPECT_EQ(graph.find_cycle(), (Names{"a", "b", "a"}));
}

TEST(Graph, CycleOfThreeStartsAtTheServiceDefinedFirst) {
  Graph graph(group({service("x"), service("b", {"c"}), service("a", {"b"}), service("c", {"a"})}));
  EXPECT_EQ(graph.find_cycle(), (Names{"b", "c", "a", "b"}));
}

TEST(Graph, SelfDependencyIsACycleOfOne) {
  Graph graph(group({service("a", {"a"})}));
  EXPECT_EQ(graph.find_cycle(), (Names{"a", "a"}));
}

TEST(Graph, FindsEveryDistinctCycleOnce) {
  // Two cycles through a (a-b-a and a-c-a) and one apart (d-e-d).
  Graph graph(group({service("a", {"b", "c"}), service("b", {"a"}), service("c", {"a"}),
                     service("d", {"e"}), service("e", {"d"})}));
  EXPECT_EQ(graph.find_cycles(),
            (std::vector<Names>{{"a", "b", "a"}, {"a", "c", "a"}, {"d", "e", "d"}}));
}

TEST(Graph, FindCyclesStopsAtTheLimit) {
  Graph graph(group({service("a", {"b", "c"}), service("b", {"a"}), service("c", {"a"})}));
  EXPECT_EQ(graph.find_cycles(1).size(), 1u);
}

}  // namespace
}  // namespace dm::model
