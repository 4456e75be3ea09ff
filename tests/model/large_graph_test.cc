// Validation and the graph at scale: tens of thousands of services in chains,
// rings and knots must be checked correctly without exhausting the stack
// (the suite also runs under AddressSanitizer, whose frames are larger) and
// in linear work. Times are not asserted: the benchmark bench/validate.cc
// measures them.
#include <gtest/gtest.h>

#include "model/cycles.h"
#include "model/graph.h"
#include "model/groups.h"
#include "model/validate.h"

namespace dm::model {
namespace {

using testing::group;
using testing::service;
using Names = std::vector<std::string>;

std::string name_of(size_t i) { return "s" + std::to_string(i); }

// Service i needs service i-1: a chain from s0 to s<n-1>.
GroupDef chain(size_t n) {
  std::vector<ServiceDef> services;
  for (size_t i = 0; i < n; ++i)
    services.push_back(service(name_of(i), i == 0 ? Names{} : Names{name_of(i - 1)}));
  return group(services);
}

// The chain closed: s0 needs the last one.
GroupDef ring(size_t n) {
  GroupDef g = chain(n);
  g.services[0].dependencies = {name_of(n - 1)};
  return g;
}

// How a plan starts such graphs: tests/orchestrator/unit/plan_test.cc.
TEST(LargeGraph, ChainOfTenThousandValidates) {
  GroupDef g = chain(10000);
  EXPECT_EQ(validate(g, {}), Names{});
  Graph graph(g);
  EXPECT_FALSE(graph.find_cycle());
  EXPECT_EQ(graph.transitive_dependencies(9999).size(), 9999u);
  EXPECT_EQ(graph.transitive_dependants(0).size(), 9999u);
}

TEST(LargeGraph, RingOfTwentyThousandIsOneCycleReportedOnce) {
  GroupDef g = ring(20000);
  Names problems = validate(g, {});
  ASSERT_EQ(problems.size(), 1u);
  // s0 -> s19999 -> s19998 -> ... -> s1 -> s0
  std::string expected = "dependency cycle: s0";
  for (size_t i = 19999; i >= 1; --i) expected += " -> " + name_of(i);
  expected += " -> s0";
  EXPECT_EQ(problems[0], expected);
}

TEST(LargeGraph, EveryKnotOfAHugeGraphShowsACycleEvenWhenTheFirstIsCostly) {
  // A ring of 20,000 whose later services start no cycle of their own (the
  // costly case for the search), then a two-service cycle defined after it.
  GroupDef g = ring(20000);
  g.services.push_back(service("x", {"y"}));
  g.services.push_back(service("y", {"x"}));
  Graph graph(g);
  auto cycles = graph.find_cycles();
  ASSERT_EQ(cycles.size(), 2u);
  EXPECT_EQ(cycles[0].size(), 20001u);
  EXPECT_EQ(cycles[1], (Names{"x", "y", "x"}));
}

TEST(LargeGraph, ManySmallCyclesStopAtTheLimitInDefinitionOrder) {
  std::vector<ServiceDef> services;
  for (size_t i = 0; i < 5000; ++i) {
    services.push_back(service("a" + std::to_string(i), {"b" + std::to_string(i)}));
    services.push_back(service("b" + std::to_string(i), {"a" + std::to_string(i)}));
  }
  Graph graph(group(services));
  auto cycles = graph.find_cycles(32);
  ASSERT_EQ(cycles.size(), 32u);
  EXPECT_EQ(cycles.front(), (Names{"a0", "b0", "a0"}));
  EXPECT_EQ(cycles.back(), (Names{"a31", "b31", "a31"}));
}

TEST(LargeGraph, ADenseKnotGivesCyclesUpToTheLimitWithoutEnumeratingThemAll) {
  // Every service needs every other: (n-1)! cycles through each one.
  std::vector<ServiceDef> services;
  for (size_t i = 0; i < 200; ++i) {
    Names others;
    for (size_t j = 0; j < 200; ++j)
      if (j != i) others.push_back(name_of(j));
    services.push_back(service(name_of(i), others));
  }
  Graph graph(group(services));
  auto cycles = graph.find_cycles(32);
  ASSERT_EQ(cycles.size(), 32u);
  EXPECT_EQ(cycles.front(), (Names{"s0", "s1", "s0"}));
  for (const auto& cycle : cycles) EXPECT_EQ(cycle.front(), "s0");
}

TEST(LargeGraph, FanInOfTenThousandDependenciesValidates) {
  std::vector<ServiceDef> services;
  Names all;
  for (size_t i = 0; i < 10000; ++i) {
    services.push_back(service(name_of(i)));
    all.push_back(name_of(i));
  }
  services.push_back(service("top", all));
  GroupDef g = group(services);
  EXPECT_EQ(validate(g, {}), Names{});
  EXPECT_EQ(Graph(g).dependencies(10000).size(), 10000u);
}

TEST(LargeGraph, DuplicateNamesAmongTenThousandAreEachReportedOnce) {
  GroupDef g = chain(10000);
  g.services[5000].name = "s17";
  g.services[5001].dependencies = {"s17"};  // its dependency s5000 is gone
  g.services.push_back(service("s17"));
  Names problems = validate(g, {});
  EXPECT_EQ(problems, (Names{"service 's17' is defined 3 times; service names must be unique"}));
}

TEST(LargeGraph, UnknownDependenciesListAFewDefinedNamesNotAllOfThem) {
  GroupDef g = chain(10000);
  g.services.push_back(service("app", {"nowhere"}));
  Names problems = validate(g, {});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("service 'app' depends on 'nowhere', which is not defined; defined: "
                              "s0, s1, s10, ",
                              0),
            0u)
      << problems[0];
  EXPECT_NE(problems[0].find(", and 9970 more"), std::string::npos) << problems[0];
  EXPECT_LT(problems[0].size(), 1000u);
}

TEST(LargeGraph, ThousandsOfWrongDependenciesAreEachReported) {
  GroupDef g = chain(10000);
  for (size_t i = 1; i < g.services.size(); ++i)
    g.services[i].dependencies = {"x" + name_of(i - 1)};
  Names problems = validate(g, {});
  ASSERT_EQ(problems.size(), 9999u);
  EXPECT_NE(problems[0].find("(did you mean 's0'?)"), std::string::npos) << problems[0];
}

TEST(StrongComponents, GroupExactlyTheServicesThatReachEachOther) {
  // 0 <-> 1, 1 -> 2, 2 -> 3 -> 4 -> 2, 5 alone with a self-edge.
  Adjacency edges = {{1}, {0, 2}, {3}, {4}, {2}, {5}};
  std::vector<size_t> c = strong_components(edges);
  EXPECT_EQ(c[0], c[1]);
  EXPECT_EQ(c[2], c[3]);
  EXPECT_EQ(c[3], c[4]);
  EXPECT_NE(c[0], c[2]);
  EXPECT_NE(c[5], c[0]);
  EXPECT_NE(c[5], c[2]);
  EXPECT_EQ(elementary_cycles(edges, 32),
            (std::vector<std::vector<size_t>>{{0, 1, 0}, {2, 3, 4, 2}, {5, 5}}));
}

TEST(StrongComponents, AChainOfOneHundredThousandNeedsNoDeepStack) {
  Adjacency edges(100000);
  for (size_t i = 1; i < edges.size(); ++i) edges[i] = {i - 1};
  std::vector<size_t> c = strong_components(edges);
  EXPECT_NE(c.front(), c.back());
  EXPECT_TRUE(elementary_cycles(edges, 32).empty());
}

}  // namespace
}  // namespace dm::model
