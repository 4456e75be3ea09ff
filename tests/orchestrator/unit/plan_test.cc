// The plan's rules, without threads or an engine: the order a start and a
// stop walk the graph in, what a failure skips, what a cancel stops, the
// gates of create, pre_start and prepare, and the parallelism cap.
#include "orchestrator/plan.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "model/graph.h"
#include "model/groups.h"

namespace dm::orchestrator {
namespace {

using model::testing::group;
using model::testing::service;
using Names = std::vector<std::string>;
using Kind = Plan::Gate::Kind;
using Step = Plan::Step;
using Stage = Plan::Stage;
using State = Plan::State;

// A group, its graph and a plan over it, kept together (the plan refers to
// the graph).
struct Fixture {
  model::GroupDef def;
  model::Graph graph;
  Plan plan;

  Fixture(std::vector<model::ServiceDef> services, Plan::Direction direction = Plan::Direction::Up,
          unsigned cap = 0, std::vector<Plan::Service> options = {})
      : def(group(std::move(services))), graph(def),
        plan(graph, direction,
             options.empty() ? std::vector<Plan::Service>(def.services.size()) : options, cap) {}

  size_t at(const std::string& name) const { return *graph.find(name); }
  Plan::Gate gate(const std::string& name, Step step) const { return plan.gate(at(name), step); }
  Kind kind(const std::string& name, Step step) const { return gate(name, step).kind; }
  std::string name(size_t i) const { return i == Plan::kCancelled ? "(cancel)" : graph.name(i); }

  // Runs the plan as if every step finished the moment it was allowed: each
  // round takes every service whose `step` is open, in definition order.
  std::vector<Names> rounds(Step step) {
    std::vector<Names> out;
    while (true) {
      Names round;
      std::vector<size_t> open;
      for (size_t i = 0; i < plan.size(); i++)
        if (plan.state(i) == State::Active && plan.gate(i, step).kind == Kind::Open)
          open.push_back(i);
      if (open.empty()) return out;
      for (size_t i : open) {
        plan.begin(i);
        plan.finish(i);
        round.push_back(graph.name(i));
      }
      out.push_back(round);
    }
  }
  Names order(Step step) {
    Names flat;
    for (const auto& round : rounds(step)) flat.insert(flat.end(), round.begin(), round.end());
    return flat;
  }
};

// ---- order ----

TEST(Plan, AChainStartsFromItsRootWhateverTheDefinitionOrder) {
  Fixture f({service("web", {"app"}), service("app", {"db"}), service("db")});
  EXPECT_EQ(f.rounds(Step::Start), (std::vector<Names>{{"db"}, {"app"}, {"web"}}));
}

TEST(Plan, AChainStopsFromItsLastDependant) {
  Fixture f({service("web", {"app"}), service("app", {"db"}), service("db")},
            Plan::Direction::Down);
  EXPECT_EQ(f.rounds(Step::Stop), (std::vector<Names>{{"web"}, {"app"}, {"db"}}));
}

TEST(Plan, ADiamondStartsEachServiceAfterAllItsDependencies) {
  // top needs left and right; both need bottom.
  Fixture f({service("top", {"left", "right"}), service("right", {"bottom"}),
             service("left", {"bottom"}), service("bottom")});
  EXPECT_EQ(f.order(Step::Start), (Names{"bottom", "right", "left", "top"}));
}

TEST(Plan, IndependentServicesGoTogetherInDefinitionOrder) {
  Fixture f({service("c"), service("a"), service("b")});
  EXPECT_EQ(f.rounds(Step::Start), (std::vector<Names>{{"c", "a", "b"}}));
}

TEST(Plan, AFanOutStartsTheRootThenEveryLeafAtOnce) {
  Fixture f({service("leaf1", {"root"}), service("leaf2", {"root"}), service("root"),
             service("leaf3", {"root"})});
  EXPECT_EQ(f.rounds(Step::Start), (std::vector<Names>{{"root"}, {"leaf1", "leaf2", "leaf3"}}));

  std::vector<model::ServiceDef> wide = {service("root")};
  for (int i = 0; i < 20; ++i) wide.push_back(service("leaf" + std::to_string(i), {"root"}));
  Fixture g(wide);
  std::vector<Names> rounds = g.rounds(Step::Start);
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[1].size(), 20u);
}

TEST(Plan, RoundsFollowTheLongestPathToARoot) {
  Fixture f(
      {service("web", {"app", "db"}), service("app", {"db"}), service("db"), service("other")});
  EXPECT_EQ(f.rounds(Step::Start), (std::vector<Names>{{"db", "other"}, {"app"}, {"web"}}));
}

TEST(Plan, UnknownDependenciesAreIgnored) {
  Fixture f({service("app", {"nowhere"})});
  EXPECT_EQ(f.order(Step::Start), (Names{"app"}));
}

TEST(Plan, ACycleHoldsOnlyTheServicesInIt) {
  Fixture f({service("a", {"b"}), service("b", {"a"}), service("c")});
  EXPECT_EQ(f.order(Step::Start), (Names{"c"}));
  EXPECT_EQ(f.kind("a", Step::Start), Kind::Wait);
  EXPECT_EQ(f.name(f.gate("a", Step::Start).by), "b");
}

// ---- gates ----

TEST(Plan, ACreateWaitsOnlyForItsDependenciesToBeCreated) {
  Fixture f({service("db"), service("app", {"db"})});
  EXPECT_EQ(f.kind("app", Step::Image), Kind::Open) << "images wait for nothing";
  EXPECT_EQ(f.kind("app", Step::Create), Kind::Wait);
  EXPECT_EQ(f.name(f.gate("app", Step::Create).by), "db");
  f.plan.reach(f.at("db"), Stage::Created);
  EXPECT_EQ(f.kind("app", Step::Create), Kind::Open) << "created while db starts";
  EXPECT_EQ(f.kind("app", Step::Start), Kind::Wait) << "started only once db is ready";
  f.plan.reach(f.at("db"), Stage::Ready);
  EXPECT_EQ(f.kind("app", Step::Start), Kind::Open);
}

TEST(Plan, APreStartOrPrepareHookMakesTheCreateWaitForReadyDependencies) {
  std::vector<Plan::Service> options(3);
  options[1].create_needs_ready = true;  // "hooked": a pre_start or prepare hook
  Fixture f({service("db"), service("hooked", {"db"}), service("plain", {"db"})},
            Plan::Direction::Up, 0, options);
  f.plan.reach(f.at("db"), Stage::Created);
  EXPECT_EQ(f.kind("plain", Step::Create), Kind::Open);
  EXPECT_EQ(f.kind("hooked", Step::Create), Kind::Wait);
  EXPECT_EQ(f.kind("hooked", Step::Prepare), Kind::Wait);
  f.plan.reach(f.at("db"), Stage::Ready);
  EXPECT_EQ(f.kind("hooked", Step::Create), Kind::Open);
  EXPECT_EQ(f.kind("hooked", Step::Prepare), Kind::Open);
}

TEST(Plan, AServiceLeftOutCountsAsReadyGoingUpAndStoppedGoingDown) {
  std::vector<Plan::Service> options(2);
  options[0].included = false;
  Fixture up({service("db"), service("app", {"db"})}, Plan::Direction::Up, 0, options);
  EXPECT_EQ(up.plan.state(up.at("db")), State::Excluded);
  EXPECT_EQ(up.kind("app", Step::Start), Kind::Open);

  std::vector<Plan::Service> down_options(2);
  down_options[1].included = false;
  Fixture down({service("db"), service("app", {"db"})}, Plan::Direction::Down, 0, down_options);
  EXPECT_EQ(down.kind("db", Step::Stop), Kind::Open);
}

TEST(Plan, AStopWaitsForEveryDependantAndAFailedOneReleasesIt) {
  Fixture f({service("db"), service("app", {"db"}), service("web", {"db"})}, Plan::Direction::Down);
  EXPECT_EQ(f.kind("db", Step::Stop), Kind::Wait);
  f.plan.reach(f.at("app"), Stage::Stopped);
  EXPECT_EQ(f.kind("db", Step::Stop), Kind::Wait);
  EXPECT_EQ(f.name(f.gate("db", Step::Stop).by), "web");
  EXPECT_TRUE(f.plan.fail(f.at("web")).empty()) << "going down, a failure skips nothing";
  EXPECT_EQ(f.kind("db", Step::Stop), Kind::Open);
}

// ---- failure ----

TEST(Plan, AFailureSkipsEveryTransitiveDependantNamingWhatItWaitedFor) {
  Fixture f({service("a"), service("b", {"a"}), service("c", {"b"}), service("d")});
  std::vector<size_t> skipped = f.plan.fail(f.at("a"));
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(f.plan.state(f.at("a")), State::Failed);
  EXPECT_EQ(f.plan.state(f.at("b")), State::Skipped);
  EXPECT_EQ(f.plan.state(f.at("c")), State::Skipped);
  EXPECT_EQ(f.name(*f.plan.skipped_because(f.at("b"))), "a");
  EXPECT_EQ(f.name(*f.plan.skipped_because(f.at("c"))), "b");
  EXPECT_EQ(f.gate("b", Step::Start).kind, Kind::Blocked);
  EXPECT_EQ(f.name(f.gate("c", Step::Create).by), "b");
  // An independent service goes on.
  EXPECT_EQ(f.plan.state(f.at("d")), State::Active);
  EXPECT_EQ(f.kind("d", Step::Start), Kind::Open);
}

TEST(Plan, AFailedBranchSkipsTheJoinButNotTheOtherBranch) {
  Fixture f({service("top", {"left", "right"}), service("right", {"base"}),
             service("left", {"base"}), service("base")});
  f.plan.finish(f.at("base"));
  f.plan.fail(f.at("left"));
  EXPECT_EQ(f.plan.state(f.at("top")), State::Skipped);
  EXPECT_EQ(f.name(*f.plan.skipped_because(f.at("top"))), "left");
  EXPECT_EQ(f.kind("right", Step::Start), Kind::Open);
  EXPECT_TRUE(f.plan.finish(f.at("right")));
  EXPECT_FALSE(f.plan.finish(f.at("top"))) << "a skipped service stays skipped";
}

TEST(Plan, ACreatedDependantIsSkippedWhenItsDependencyFailsLater) {
  Fixture f({service("db"), service("app", {"db"})});
  f.plan.reach(f.at("db"), Stage::Created);
  f.plan.begin(f.at("app"));
  f.plan.reach(f.at("app"), Stage::Created);
  f.plan.fail(f.at("db"));  // db's ping failed
  EXPECT_EQ(f.plan.state(f.at("app")), State::Skipped);
  EXPECT_EQ(f.gate("app", Step::Start).kind, Kind::Blocked);
  EXPECT_EQ(f.name(f.gate("app", Step::Start).by), "db");
}

// ---- cancel ----

TEST(Plan, ACancelEndsServicesThatHadNotBegunAndRefusesEveryLaterStep) {
  Fixture f({service("slow"), service("after", {"slow"}), service("quick")});
  f.plan.begin(f.at("slow"));
  f.plan.reach(f.at("slow"), Stage::Created);
  f.plan.begin(f.at("quick"));
  f.plan.finish(f.at("quick"));
  std::vector<size_t> cancelled = f.plan.cancel();
  EXPECT_EQ(cancelled, (std::vector<size_t>{f.at("after")}));
  EXPECT_TRUE(f.plan.is_cancelled());
  EXPECT_EQ(f.plan.state(f.at("after")), State::Cancelled);
  EXPECT_EQ(f.plan.state(f.at("quick")), State::Done) << "work finished before the cancel stands";
  // slow is under way: it ends at its next gate.
  EXPECT_EQ(f.plan.state(f.at("slow")), State::Active);
  Plan::Gate g = f.gate("slow", Step::Start);
  EXPECT_EQ(g.kind, Kind::Blocked);
  EXPECT_EQ(g.by, Plan::kCancelled);
  EXPECT_EQ(f.gate("slow", Step::Image).kind, Kind::Blocked);
  f.plan.cancelled(f.at("slow"));
  EXPECT_TRUE(f.plan.finished());
  EXPECT_FALSE(f.plan.finish(f.at("after")));
}

TEST(Plan, ACancelledStopLeavesDependenciesOfTheStopUnderWay) {
  Fixture f({service("db"), service("app", {"db"}), service("front", {"app"})},
            Plan::Direction::Down);
  f.plan.begin(f.at("front"));  // stopping
  f.plan.cancel();
  EXPECT_EQ(f.plan.state(f.at("app")), State::Cancelled);
  EXPECT_EQ(f.plan.state(f.at("db")), State::Cancelled);
  EXPECT_TRUE(f.plan.finish(f.at("front"))) << "the stop under way finishes";
}

// ---- the cap ----

TEST(Plan, TheCapLimitsSlotsAndZeroMeansNone) {
  Fixture capped({service("a")}, Plan::Direction::Up, 2);
  EXPECT_TRUE(capped.plan.try_take_slot());
  EXPECT_TRUE(capped.plan.try_take_slot());
  EXPECT_FALSE(capped.plan.try_take_slot());
  capped.plan.give_slot();
  EXPECT_TRUE(capped.plan.try_take_slot());
  EXPECT_EQ(capped.plan.slots_in_use(), 2u);

  Fixture free({service("a")}, Plan::Direction::Up, 0);
  for (int i = 0; i < 1000; i++) ASSERT_TRUE(free.plan.try_take_slot());
}

// Jobs as the executor runs them (Image, Create, Start, each under a slot
// taken only once the gate is open), driven one move at a time in turn:
// however the moves interleave, every service ends and no more than the cap
// hold slots.
TEST(Plan, TheCapNeverDeadlocksTheGraphAndIsNeverExceeded) {
  std::vector<model::ServiceDef> services = {service("root")};
  for (int i = 0; i < 6; i++) services.push_back(service("leaf" + std::to_string(i), {"root"}));
  services.push_back(service("join", {"leaf0", "leaf5"}));
  for (unsigned cap : {1u, 2u, 3u}) {
    Fixture f(services, Plan::Direction::Up, cap);
    const Step steps[] = {Step::Image, Step::Create, Step::Start};
    std::vector<int> next(f.plan.size(), 0);
    std::vector<bool> holding(f.plan.size(), false);
    unsigned most = 0;
    for (int moves = 0; !f.plan.finished(); moves++) {
      ASSERT_LT(moves, 10000) << "no service could move: deadlock with cap " << cap;
      // Each service in turn, last one first, to interleave unlike definition order.
      for (size_t k = f.plan.size(); k-- > 0;) {
        if (f.plan.state(k) != State::Active) continue;
        if (holding[k]) {  // finish the step under way
          Step done = steps[next[k]++];
          if (done == Step::Create) f.plan.reach(k, Stage::Created);
          if (done == Step::Start) f.plan.finish(k);
          f.plan.give_slot();
          holding[k] = false;
        } else if (f.plan.gate(k, steps[next[k]]).kind == Kind::Open && f.plan.try_take_slot()) {
          f.plan.begin(k);
          holding[k] = true;
        }
        most = std::max(most, f.plan.slots_in_use());
      }
    }
    EXPECT_EQ(most, cap) << "the leaves use every slot, and never more";
    for (size_t i = 0; i < f.plan.size(); i++) EXPECT_EQ(f.plan.state(i), State::Done);
  }
}

// ---- scale: linear work on large graphs ----

TEST(Plan, AChainOfTenThousandOpensOneServiceAtATimeFromItsRoot) {
  std::vector<model::ServiceDef> services;
  for (size_t i = 0; i < 10000; ++i)
    services.push_back(
        service("s" + std::to_string(i), i == 0 ? Names{} : Names{"s" + std::to_string(i - 1)}));
  Fixture f(services);
  for (size_t i = 0; i < 10000; ++i) {
    ASSERT_EQ(f.plan.gate(i, Step::Start).kind, Kind::Open) << i;
    if (i + 1 < 10000) {
      ASSERT_EQ(f.plan.gate(i + 1, Step::Start).kind, Kind::Wait) << i;
    }
    f.plan.begin(i);
    f.plan.finish(i);
  }
  EXPECT_TRUE(f.plan.finished());
}

TEST(Plan, AFanInOfTenThousandOpensTheTopOnceEveryRootIsReady) {
  std::vector<model::ServiceDef> services;
  Names all;
  for (size_t i = 0; i < 10000; ++i) {
    services.push_back(service("s" + std::to_string(i)));
    all.push_back("s" + std::to_string(i));
  }
  services.push_back(service("top", all));
  Fixture f(services);
  std::vector<Names> rounds = f.rounds(Step::Start);
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[0].size(), 10000u);
  EXPECT_EQ(rounds[1], (Names{"top"}));
}

TEST(Plan, FailingTheRootOfAChainOfTenThousandSkipsTheRestInOnePass) {
  std::vector<model::ServiceDef> services;
  for (size_t i = 0; i < 10000; ++i)
    services.push_back(
        service("s" + std::to_string(i), i == 0 ? Names{} : Names{"s" + std::to_string(i - 1)}));
  Fixture f(services);
  EXPECT_EQ(f.plan.fail(0).size(), 9999u);
  EXPECT_TRUE(f.plan.finished());
}

}  // namespace
}  // namespace dm::orchestrator
