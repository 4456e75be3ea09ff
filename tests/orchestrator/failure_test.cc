// Failures: a service that does not become ready fails, its dependants are
// skipped (never attempted), independent services go on, the operation says
// DM_EFAILED, and nothing half-made is left behind.
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using Failures = LifecycleTest;

TEST_F(Failures, PingTimeoutFailsTheServiceAndSkipsItsDependantsButNotAnUnrelatedService) {
  dm_group* g = new_group("timeout");
  HookProbe never;
  never.ready_after = 0;  // never ready
  dm_service* slow = add_sleeper(g, "slow");
  never.attach(slow, false, true, false);
  dm_service_set_timeout(slow, 1.0);
  add_sleeper(g, "needs-slow", {"slow"});
  add_sleeper(g, "needs-needs-slow", {"needs-slow"});
  add_sleeper(g, "other");
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_EFAILED) << dm_error_last() << describe(r);

  EXPECT_EQ(outcome_of(r, "slow"), DM_OUTCOME_FAILED);
  EXPECT_NE(reason_of(r, "slow").find("not ready after 1 s"), std::string::npos)
      << reason_of(r, "slow");
  EXPECT_GE(never.ping.load(), 2);  // it was polled, not asked once
  EXPECT_EQ(outcome_of(r, "needs-slow"), DM_OUTCOME_SKIPPED);
  EXPECT_NE(reason_of(r, "needs-slow").find("'slow'"), std::string::npos)
      << reason_of(r, "needs-slow");
  EXPECT_EQ(outcome_of(r, "needs-needs-slow"), DM_OUTCOME_SKIPPED);
  EXPECT_EQ(outcome_of(r, "other"), DM_OUTCOME_STARTED);
  EXPECT_EQ(dm_result_failures(r), 3u);
  EXPECT_NE(std::string(dm_error_last()).find("3 service(s) failed"), std::string::npos)
      << dm_error_last();
  // Dependants were never attempted.
  EXPECT_EQ(events.first("needs-slow", DM_PHASE_STARTING), -1) << events.dump();
  EXPECT_GE(events.first("needs-slow", DM_PHASE_SKIPPED), 0) << events.dump();
  EXPECT_GE(events.first("slow", DM_PHASE_FAILED), 0) << events.dump();
  // The failed new container was removed; the dependants' pre-created ones too.
  EXPECT_TRUE(engine_->containers(group_name(g), "slow").empty());
  EXPECT_TRUE(engine_->containers(group_name(g), "needs-slow").empty());
  EXPECT_EQ(engine_->containers(group_name(g), "other").size(), 1u);
}

TEST_F(Failures, AContainerThatExitsWhilePingedFailsAtOnceWithItsExitCodeAndLogs) {
  dm_group* g = new_group("crash");
  HookProbe never;
  never.ready_after = 0;
  dm_service* crash = add_sleeper(g, "crash");
  set_script(crash, "echo boom; exit 3");
  never.attach(crash, false, true, false);
  add_sleeper(g, "after", {"crash"});
  ResultPtr r;
  double began = monotonic_seconds();
  ASSERT_EQ(start(g, r.out(), nullptr, /*timeout=*/60), DM_EFAILED) << dm_error_last();
  double took = monotonic_seconds() - began;

  EXPECT_LT(took, 20.0) << "it waited for the timeout instead of noticing the exit";
  EXPECT_EQ(outcome_of(r, "crash"), DM_OUTCOME_FAILED);
  std::string reason = reason_of(r, "crash");
  EXPECT_NE(reason.find("code 3"), std::string::npos) << reason;
  EXPECT_NE(reason.find("boom"), std::string::npos) << reason;
  EXPECT_EQ(outcome_of(r, "after"), DM_OUTCOME_SKIPPED);
  EXPECT_TRUE(engine_->containers(group_name(g)).empty()) << "failed new containers are removed";
}

TEST_F(Failures, APingThatReturnsAnErrorFailsWithTheHooksMessage) {
  dm_group* g = new_group("pingerr");
  HookProbe bad;
  bad.fail_ping = true;
  bad.failure_message = "database said: role \"app\" does not exist";
  bad.attach(add_sleeper(g, "db"), false, true, false);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED);
  EXPECT_EQ(bad.ping.load(), 1) << "a negative ping fails at once, without polling";
  EXPECT_NE(reason_of(r, "db").find("database said: role \"app\" does not exist"),
            std::string::npos)
      << reason_of(r, "db");
}

TEST_F(Failures, AFailingPreStartFailsTheServiceBeforeAnyContainerIsCreated) {
  dm_group* g = new_group("prefail");
  HookProbe bad;
  bad.fail_pre_start = true;
  bad.failure_message = "fixtures directory missing";
  bad.attach(add_sleeper(g, "db"));
  add_sleeper(g, "app", {"db"});
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_EFAILED);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_FAILED);
  EXPECT_NE(reason_of(r, "db").find("fixtures directory missing"), std::string::npos)
      << reason_of(r, "db");
  EXPECT_EQ(bad.ping.load(), 0);
  EXPECT_EQ(bad.init.load(), 0);
  EXPECT_EQ(events.first("db", DM_PHASE_CREATING), -1) << events.dump();
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_SKIPPED);
  EXPECT_TRUE(engine_->containers(group_name(g)).empty());
}

TEST_F(Failures, AFailingInitFailsTheServiceAndRemovesItsNewContainer) {
  dm_group* g = new_group("initfail");
  HookProbe bad;
  bad.fail_init = true;
  bad.failure_message = "schema migration 7 failed";
  bad.attach(add_sleeper(g, "db"));
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED);
  EXPECT_NE(reason_of(r, "db").find("schema migration 7 failed"), std::string::npos)
      << reason_of(r, "db");
  // An uninitialised container must not be taken for an initialised one later.
  EXPECT_TRUE(engine_->containers(group_name(g)).empty());
}

TEST_F(Failures, AMissingImageThatCannotBePulledFailsTheServiceWithoutHanging) {
  dm_group* g = new_group("noimage");
  dm_service* s = nullptr;
  std::string image = "dmtest-no-such-image-" + group_name(g) + ":latest";
  dm_group_add_service(&s, g, "ghost", image.c_str());
  add_sleeper(g, "after", {"ghost"});
  add_sleeper(g, "fine");
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "ghost"), DM_OUTCOME_FAILED);
  EXPECT_NE(reason_of(r, "ghost").find(image), std::string::npos) << reason_of(r, "ghost");
  EXPECT_EQ(outcome_of(r, "after"), DM_OUTCOME_SKIPPED);
  EXPECT_EQ(outcome_of(r, "fine"), DM_OUTCOME_STARTED);
}

}  // namespace
}  // namespace dm::testing
