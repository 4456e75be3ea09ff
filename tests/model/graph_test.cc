// The dependency graph: edges both ways, the start and stop orders, levels,
// and cycles.
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
  EXPECT_EQ(graph.start_order(), (std::vector<size_t>{0}));
}

TEST(Graph, ChainStartsFromItsRootWhateverTheDefinitionOrder) {
  Graph graph(group({service("web", {"app"}), service("app", {"db"}), service("db")}));
  EXPECT_EQ(names(graph, graph.start_order()), (Names{"db", "app", "web"}));
  EXPECT_EQ(names(graph, graph.stop_order()), (Names{"web", "app", "db"}));
}

TEST(Graph, DiamondStartsEachServiceAfterAllItsDependencies) {
  // top needs left and right; both need bottom.
  Graph graph(group({service("top", {"left", "right"}), service("right", {"bottom"}),
                     service("left", {"bottom"}), service("bottom")}));
  EXPECT_EQ(names(graph, graph.start_order()), (Names{"bottom", "right", "left", "top"}));
}

TEST(Graph, IndependentServicesKeepDefinitionOrder) {
  Graph graph(group({service("c"), service("a"), service("b")}));
  EXPECT_EQ(names(graph, graph.start_order()), (Names{"c", "a", "b"}));
}

TEST(Graph, FanOutStartsTheRootThenTheLeavesInDefinitionOrder) {
  Graph graph(group({service("leaf1", {"root"}), service("leaf2", {"root"}), service("root"),
                     service("leaf3", {"root"})}));
  EXPECT_EQ(names(graph, graph.start_order()), (Names{"root", "leaf1", "leaf2", "leaf3"}));
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

TEST(Graph, LevelsCountTheLongestPathToARoot) {
  Graph graph(group({service("web", {"app", "db"}), service("app", {"db"}), service("db"),
                     service("other")}));
  EXPECT_EQ(graph.levels(), (std::vector<int>{2, 1, 0, 0}));
}

TEST(Graph, FanOutHasTwoLevels) {
  std::vector<ServiceDef> services = {service("root")};
  for (int i = 0; i < 20; ++i) services.push_back(service("leaf" + std::to_string(i), {"root"}));
  Graph graph(group(services));
  std::vector<int> expected(21, 1);
  expected[0] = 0;
  EXPECT_EQ(graph.levels(), expected);
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

TEST(Graph, StartOrderStillNamesEveryServiceWhenThereIsACycle) {
  Graph graph(group({service("a", {"b"}), service("b", {"a"}), service("c")}));
  EXPECT_EQ(names(graph, graph.start_order()), (Names{"c", "a", "b"}));
}

}  // namespace
}  // namespace dm::model
