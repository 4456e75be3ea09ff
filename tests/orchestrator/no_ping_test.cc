// A service without a ping is ready only when its container still runs once
// started. One that exits at once fails like a ping failure: exit code, last
// log lines, dependants skipped, its new container removed. One that exits
// later, while the start goes on, is reported failed at the end.
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using NoPing = LifecycleTest;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(NoPing, AContainerThatExitsAtOnceFailsTheServiceAndSkipsItsDependant) {
  dm_group* g = new_group("quits");
  dm_service* quits = nullptr;
  ASSERT_EQ(dm_group_add_service(&quits, g, "quits", kImage), DM_OK);
  const char* entrypoint[] = {"sh", "-c", "echo giving up; exit 1"};
  dm_service_set_entrypoint(quits, entrypoint, 3);
  add_sleeper(g, "after", {"quits"});
  add_sleeper(g, "other");
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_EFAILED) << dm_error_last() << describe(r);

  EXPECT_EQ(outcome_of(r, "quits"), DM_OUTCOME_FAILED);
  std::string reason = reason_of(r, "quits");
  EXPECT_TRUE(has(reason, "exited with code 1")) << reason;
  EXPECT_TRUE(has(reason, "giving up")) << "its last log lines are in the reason: " << reason;
  EXPECT_TRUE(engine_->containers(group_name(g), "quits").empty())
      << "the failed new container was left behind";
  // The exit is usually seen before the dependant starts; when it comes a
  // moment later, the dependant has started, and the failure is still told.
  if (outcome_of(r, "after") == DM_OUTCOME_SKIPPED) {
    EXPECT_EQ(events.first("after", DM_PHASE_STARTING), -1) << events.dump();
    EXPECT_TRUE(engine_->containers(group_name(g), "after").empty());
  } else {
    EXPECT_TRUE(has(reason, "while the start went on")) << reason;
  }
  EXPECT_EQ(outcome_of(r, "other"), DM_OUTCOME_STARTED);
}

// The engine holds `late` until `watcher`'s ping lets it go, so its exit
// lands after it was found running and while the start still goes on.
struct LateExit {
  Engine* engine;
  std::string group;
  std::atomic<int> pings{0};
};

int release_late_then_wait_for_its_exit(const dm_hook_info*, void* user_data) {
  auto* self = static_cast<LateExit*>(user_data);
  auto late = self->engine->containers(self->group, "late");
  if (late.empty()) {
    dm_error_set("the late container is missing");
    return -1;
  }
  if (self->pings++ == 0) self->engine->client().container_kill(late.front().id, "SIGUSR1");
  return self->engine->inspect(late.front().id).running ? DM_PING_NOT_READY : DM_PING_READY;
}

TEST_F(NoPing, AContainerThatExitsLaterDuringTheStartIsReportedFailedAtTheEnd) {
  dm_group* g = new_group("late");
  dm_service* late = add_sleeper(g, "late");
  set_script(late, "trap 'echo leaving late; exit 4' USR1; while :; do sleep 0.1; done");
  dm_service* watcher = add_sleeper(g, "watcher", {"late"});
  LateExit probe{engine_.get(), group_name(g)};
  dm_service_set_ping(watcher, release_late_then_wait_for_its_exit, &probe);
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_EFAILED) << dm_error_last() << describe(r);

  EXPECT_EQ(outcome_of(r, "watcher"), DM_OUTCOME_STARTED) << reason_of(r, "watcher");
  EXPECT_EQ(outcome_of(r, "late"), DM_OUTCOME_FAILED);
  std::string reason = reason_of(r, "late");
  EXPECT_TRUE(has(reason, "exited with code 4")) << reason;
  EXPECT_TRUE(has(reason, "while the start went on")) << reason;
  EXPECT_TRUE(has(reason, "leaving late")) << reason;
  EXPECT_GE(events.first("late", DM_PHASE_FAILED), 0) << events.dump();
  EXPECT_TRUE(engine_->containers(group_name(g), "late").empty())
      << "the new container that did not stay up was left behind";
}

// Ready once `once`'s container is no longer running: whenever that exit
// comes, it comes before the start ends.
struct ExitOf {
  Engine* engine;
  std::string group;
};

int ready_once_it_exited(const dm_hook_info*, void* user_data) {
  auto* self = static_cast<ExitOf*>(user_data);
  auto once = self->engine->containers(self->group, "once");
  return once.empty() || self->engine->inspect(once.front().id).running ? DM_PING_NOT_READY
                                                                        : DM_PING_READY;
}

TEST_F(NoPing, AnExitedContainerStartedAgainThatExitsAtOnceFailsAndIsKept) {
  dm_group* g = new_group("again");
  dm_service* s = add_sleeper(g, "once");
  // Runs the first time; exits at once on every later start.
  set_script(s,
             "[ -e /ran ] && { echo already ran; exit 5; }; touch /ran; " + std::string(kSleeper));
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string id = container_of(r, "once");
  ASSERT_EQ(stop(g, r.out(), /*remove=*/false), DM_OK) << dm_error_last();

  dm_service* watcher = add_sleeper(g, "watcher", {"once"});
  ExitOf probe{engine_.get(), group_name(g)};
  dm_service_set_ping(watcher, ready_once_it_exited, &probe);
  ASSERT_EQ(start(g, r.out()), DM_EFAILED) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "once"), DM_OUTCOME_FAILED);
  EXPECT_TRUE(has(reason_of(r, "once"), "exited with code 5")) << reason_of(r, "once");
  EXPECT_TRUE(has(reason_of(r, "once"), "already ran")) << reason_of(r, "once");
  // Not made by this start: left as it was, for its logs.
  EXPECT_TRUE(engine_->container_exists(id));
}

}  // namespace
}  // namespace dm::testing
