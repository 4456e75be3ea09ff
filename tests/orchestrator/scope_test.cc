// What a start works on: exclusions, cancellation, concurrent starts of one
// group, and groups that must not see each other's containers.
#include "support/lifecycle.h"

#include <future>
#include <thread>

namespace dm::testing {
namespace {

using Scope = LifecycleTest;

TEST_F(Scope, AnExcludedServiceIsNotStartedButItsDependenciesAre) {
  dm_group* g = new_group("exclude");
  HookProbe tools_probe;
  add_sleeper(g, "db");
  add_sleeper(g, "app", {"db"});
  tools_probe.attach(add_sleeper(g, "tools", {"db"}));
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events, 30, {"tools", "app"}), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "tools"), DM_OUTCOME_EXCLUDED);
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_EXCLUDED);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  EXPECT_EQ(dm_result_failures(r), 0u) << "excluded is not a failure";
  EXPECT_EQ(tools_probe.pre_start.load(), 0);
  EXPECT_EQ(events.count("tools", DM_PHASE_CREATING), 0u) << events.dump();
  EXPECT_TRUE(engine_->containers(group_name(g), "tools").empty());
  EXPECT_TRUE(engine_->containers(group_name(g), "app").empty());
  EXPECT_EQ(engine_->containers(group_name(g), "db").size(), 1u);
}

TEST_F(Scope, CancelMidStartReturnsPromptlyAndLeavesNoHalfInitialisedContainer) {
  dm_group* g = new_group("cancel");
  HookProbe never, after_probe;
  never.ready_after = 0;
  never.attach(add_sleeper(g, "slow"));
  after_probe.attach(add_sleeper(g, "after", {"slow"}));
  add_sleeper(g, "quick");
  std::thread canceller([g] {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    dm_group_cancel(g);
  });
  ResultPtr r;
  double began = monotonic_seconds();
  int rc = start(g, r.out(), nullptr, /*timeout=*/60);
  double took = monotonic_seconds() - began;
  canceller.join();

  ASSERT_EQ(rc, DM_ECANCELLED) << dm_error_last() << describe(r);
  EXPECT_LT(took, 15.0) << "cancel did not interrupt the ping loop";
  ASSERT_NE(r.p, nullptr);
  EXPECT_TRUE(dm_result_cancelled(r));
  EXPECT_EQ(outcome_of(r, "slow"), DM_OUTCOME_CANCELLED);
  EXPECT_EQ(outcome_of(r, "after"), DM_OUTCOME_CANCELLED);
  EXPECT_EQ(outcome_of(r, "quick"), DM_OUTCOME_STARTED) << "work finished before the cancel stands";
  EXPECT_EQ(never.init.load(), 0);
  EXPECT_EQ(after_probe.pre_start.load(), 0);
  // The container that never became ready is gone: a later start would take
  // an exited one for initialised.
  EXPECT_TRUE(engine_->containers(group_name(g), "slow").empty());
  EXPECT_TRUE(engine_->containers(group_name(g), "after").empty());

  // The group works normally afterwards (the cancel is not sticky).
  never.ready_after = 1;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "slow"), DM_OUTCOME_STARTED);
}

TEST_F(Scope, CancelWithNothingRunningIsANoOp) {
  dm_group* g = new_group("cancelidle");
  add_sleeper(g, "a");
  dm_group_cancel(g);
  dm_group_cancel(nullptr);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
}

TEST_F(Scope, TwoConcurrentStartsOfOneGroupMakeOneContainerPerService) {
  std::string name = unique_group("twice");
  dm_group* first = new_group_named(name);
  dm_group* second = nullptr;
  ASSERT_EQ(dm_group_new(&second, name.c_str()), DM_OK);
  HookProbe p1, p2;
  p1.ping_delay = p2.ping_delay = 0.3;
  for (auto [g, probe] : {std::pair{first, &p1}, std::pair{second, &p2}}) {
    probe->attach(add_sleeper(g, "db"));
    add_sleeper(g, "app", {"db"});
  }
  dm_result* r1 = nullptr;
  dm_result* r2 = nullptr;
  int rc1 = 0, rc2 = 0;
  std::thread t1([&] { rc1 = start(first, &r1); });
  std::thread t2([&] { rc2 = start(second, &r2); });
  t1.join();
  t2.join();
  EXPECT_EQ(rc1, DM_OK) << describe(r1);
  EXPECT_EQ(rc2, DM_OK) << describe(r2);
  for (const char* s : {"db", "app"}) {
    int a = outcome_of(r1, s), b = outcome_of(r2, s);
    EXPECT_TRUE((a == DM_OUTCOME_STARTED && b == DM_OUTCOME_ALREADY_RUNNING) ||
                (b == DM_OUTCOME_STARTED && a == DM_OUTCOME_ALREADY_RUNNING))
        << s << ":\n"
        << describe(r1) << describe(r2);
    EXPECT_EQ(container_of(r1, s), container_of(r2, s)) << s;
    EXPECT_EQ(engine_->containers(name, s).size(), 1u) << s;
  }
  EXPECT_EQ(p1.init.load() + p2.init.load(), 1);
  dm_result_free(r1);
  dm_result_free(r2);
  dm_group_free(second);
}

TEST_F(Scope, AStartWaitingForAnotherProcessCanBeCancelledAndSaysSo) {
  std::string name = unique_group("waiting");
  dm_group* first = new_group_named(name);
  dm_group* second = nullptr;
  ASSERT_EQ(dm_group_new(&second, name.c_str()), DM_OK);
  HookProbe slow;
  slow.ping_delay = 2.0;  // holds the group lock for a while
  slow.attach(add_sleeper(first, "db"));
  add_sleeper(second, "db");

  EventRecorder waiting;
  dm_result* r1 = nullptr;
  int rc1 = 0;
  std::thread t1([&] { rc1 = start(first, &r1); });
  while (slow.ping.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    dm_group_cancel(second);
  });
  ResultPtr r2;
  EXPECT_EQ(start(second, r2.out(), &waiting), DM_ECANCELLED);
  canceller.join();
  ASSERT_NE(r2.p, nullptr) << "a cancelled operation still returns a result";
  EXPECT_TRUE(dm_result_cancelled(r2));
  EXPECT_EQ(outcome_of(r2, "db"), DM_OUTCOME_CANCELLED);
  EXPECT_GE(waiting.first("", DM_PHASE_WAITING), 0) << waiting.dump();

  t1.join();
  EXPECT_EQ(rc1, DM_OK) << describe(r1);
  dm_result_free(r1);
  dm_group_free(second);
}

TEST_F(Scope, GroupsAndServicesAreFoundByLabelNotByNameSubstring) {
  // "appdb..." contains "db..." as a substring, in group and service names
  // and in the container names made from them.
  std::string db_name = unique_group("db");
  dm_group* db = new_group_named(db_name);
  dm_group* appdb = new_group_named("app" + db_name);
  add_sleeper(db, "db");
  add_sleeper(appdb, "db");
  add_sleeper(appdb, "appdb");
  ResultPtr r;
  ASSERT_EQ(start(db, r.out()), DM_OK) << dm_error_last();
  std::string db_container = container_of(r, "db");
  ASSERT_EQ(start(appdb, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED) << "it took the other group's container";
  EXPECT_EQ(outcome_of(r, "appdb"), DM_OUTCOME_STARTED);
  std::string appdb_db = container_of(r, "db"), appdb_appdb = container_of(r, "appdb");
  EXPECT_NE(appdb_db, db_container);
  EXPECT_NE(appdb_db, appdb_appdb);

  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), appdb, client_), DM_OK);
  EXPECT_EQ(dm_report_container_id(report, 0), appdb_db);
  EXPECT_EQ(dm_report_container_id(report, 1), appdb_appdb);

  // Removing one group leaves the other alone.
  ASSERT_EQ(stop(db, r.out(), true), DM_OK) << dm_error_last();
  EXPECT_FALSE(engine_->container_exists(db_container));
  EXPECT_TRUE(engine_->inspect(appdb_db).running);
  EXPECT_TRUE(engine_->inspect(appdb_appdb).running);
  ASSERT_EQ(start(appdb, r.out()), DM_OK);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_ALREADY_RUNNING);
  EXPECT_EQ(outcome_of(r, "appdb"), DM_OUTCOME_ALREADY_RUNNING);
}

TEST_F(Scope, AHookThatNeverReturnsCannotHoldTheStartPastTheTimeout) {
  dm_group* g = new_group("stuckhook");
  // The abandoned call goes on on its own thread after the test: its probe
  // must outlive the test (reachable through a static, so no leak report).
  static HookProbe* stuck = new HookProbe;
  stuck->ping_delay = 4;  // returns long after the service's timeout
  dm_service* s = add_sleeper(g, "stuck");
  stuck->attach(s, false, true, false);
  dm_service_set_timeout(s, 1);
  ResultPtr r;
  double began = monotonic_seconds();
  ASSERT_EQ(start(g, r.out()), DM_EFAILED);
  EXPECT_LT(monotonic_seconds() - began, 3.5);
  EXPECT_NE(reason_of(r, "stuck").find("did not return before the service's timeout"),
            std::string::npos)
      << reason_of(r, "stuck");
  EXPECT_EQ(outcome_of(r, "stuck"), DM_OUTCOME_FAILED);
  EXPECT_TRUE(engine_->containers(group_name(g), "stuck").empty());
}

}  // namespace
}  // namespace dm::testing
