// Start order: a service starts only when its dependencies are ready, and
// services that do not depend on each other come up in parallel.
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using StartOrder = LifecycleTest;

TEST_F(StartOrder, ChainStartsEachServiceOnlyAfterItsDependencyIsRunning) {
  dm_group* g = new_group("chain");
  add_sleeper(g, "c", {"b"});  // defined out of order on purpose
  add_sleeper(g, "b", {"a"});
  add_sleeper(g, "a");
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);
  for (const char* s : {"a", "b", "c"}) EXPECT_EQ(outcome_of(r, s), DM_OUTCOME_STARTED) << s;

  EXPECT_LT(events.first("a", DM_PHASE_RUNNING), events.first("b", DM_PHASE_STARTING))
      << events.dump();
  EXPECT_LT(events.first("b", DM_PHASE_RUNNING), events.first("c", DM_PHASE_STARTING))
      << events.dump();
  EXPECT_GE(events.first("b", DM_PHASE_STARTING), 0) << events.dump();
  EXPECT_GE(events.first("c", DM_PHASE_STARTING), 0) << events.dump();
  // Results come in definition order, whatever order things ran in.
  ASSERT_EQ(dm_result_count(r), 3u);
  EXPECT_STREQ(dm_result_service(r, 0), "c");
  EXPECT_STREQ(dm_result_service(r, 2), "a");
}

TEST_F(StartOrder, DiamondStartsTheJoinOnlyAfterBothBranchesAreRunning) {
  dm_group* g = new_group("diamond");
  add_sleeper(g, "top", {"left", "right"});
  add_sleeper(g, "left", {"base"});
  add_sleeper(g, "right", {"base"});
  add_sleeper(g, "base");
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);

  long base_running = events.first("base", DM_PHASE_RUNNING);
  ASSERT_GE(base_running, 0) << events.dump();
  EXPECT_LT(base_running, events.first("left", DM_PHASE_STARTING)) << events.dump();
  EXPECT_LT(base_running, events.first("right", DM_PHASE_STARTING)) << events.dump();
  long top_starting = events.first("top", DM_PHASE_STARTING);
  ASSERT_GE(top_starting, 0) << events.dump();
  EXPECT_LT(events.first("left", DM_PHASE_RUNNING), top_starting) << events.dump();
  EXPECT_LT(events.first("right", DM_PHASE_RUNNING), top_starting) << events.dump();
  // Each service is started exactly once.
  for (const char* s : {"base", "left", "right", "top"})
    EXPECT_EQ(events.count(s, DM_PHASE_STARTING), 1u) << s << "\n" << events.dump();
}

TEST_F(StartOrder, IndependentServicesArePingedInParallel) {
  dm_group* g = new_group("parallel");
  HookProbe one, two;
  one.ping_delay = two.ping_delay = 1.0;  // each takes ~1 s to say "ready"
  one.attach(add_sleeper(g, "one"), false, true, false);
  two.attach(add_sleeper(g, "two"), false, true, false);
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);
  ASSERT_EQ(one.ping.load(), 1);
  ASSERT_EQ(two.ping.load(), 1);

  // From the events: each service's pinging interval [PINGING, RUNNING]...
  double one_from = events.time_of("one", DM_PHASE_PINGING),
         one_to = events.time_of("one", DM_PHASE_RUNNING);
  double two_from = events.time_of("two", DM_PHASE_PINGING),
         two_to = events.time_of("two", DM_PHASE_RUNNING);
  ASSERT_GT(one_from, 0) << events.dump();
  ASSERT_GT(two_from, 0) << events.dump();
  // ...overlaps the other's: both were being pinged at the same moment.
  EXPECT_LT(std::max(one_from, two_from), std::min(one_to, two_to)) << events.dump();
  // The same from the hooks' own clocks: the second ping began before the first ended.
  std::lock_guard<std::mutex> l1(one.mutex), l2(two.mutex);
  EXPECT_LT(std::max(one.ping_times[0], two.ping_times[0]),
            std::min(one.ping_end_times[0], two.ping_end_times[0]));
}

// A ping that answers ready only once `app` is running: were app to wait for
// this unrelated service, the start would time out instead of passing.
int ready_once_app_runs(const dm_hook_info*, void* user_data) {
  auto* events = static_cast<EventRecorder*>(user_data);
  return events->first("app", DM_PHASE_RUNNING) >= 0 ? DM_PING_READY : DM_PING_NOT_READY;
}

TEST_F(StartOrder, ADependantDoesNotWaitForAnUnrelatedSlowService) {
  dm_group* g = new_group("unrelated");
  EventRecorder events;
  dm_service* slow = add_sleeper(g, "slow");
  dm_service_set_ping(slow, ready_once_app_runs, &events);
  dm_service_set_timeout(slow, 120);
  add_sleeper(g, "base");
  add_sleeper(g, "app", {"base"});
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);
  EXPECT_LT(events.first("app", DM_PHASE_RUNNING), events.first("slow", DM_PHASE_RUNNING))
      << events.dump();
}

TEST_F(StartOrder, PingIsPolledUntilItAnswersReadyThenInitRunsOnce) {
  dm_group* g = new_group("poll");
  HookProbe probe;
  probe.ready_after = 5;
  probe.attach(add_sleeper(g, "db"));
  EventRecorder events;
  ResultPtr r;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  EXPECT_EQ(probe.ping.load(), 5);
  EXPECT_EQ(probe.init.load(), 1);
  EXPECT_EQ(probe.calls(), (std::vector<std::string>{"pre_start", "ping", "ping", "ping", "ping",
                                                     "ping", "init"}));
  {
    std::lock_guard<std::mutex> lock(probe.mutex);
    // Polled with a gap (0.1 s by contract): four gaps take a while. Only a
    // lower bound: a loaded machine may be slower, never faster.
    EXPECT_GE(probe.ping_times.back() - probe.ping_times.front(), 0.3);
    for (size_t i = 1; i < probe.ping_times.size(); i++)
      EXPECT_GT(probe.ping_times[i], probe.ping_times[i - 1]);
  }
  // The hooks saw the container that was made, under its readable name.
  EXPECT_EQ(probe.last_container_id, container_of(r, "db"));
  EXPECT_EQ(probe.last_container_name, group_name(g) + "-db-1");
  EXPECT_FALSE(probe.pre_start_saw_container);
  EXPECT_EQ(probe.last_group, group_name(g));
  EXPECT_EQ(probe.last_network, "drillmaster-" + group_name(g));
  // The phases in order.
  long pre = events.first("db", DM_PHASE_PRE_START), create = events.first("db", DM_PHASE_CREATING),
       starting = events.first("db", DM_PHASE_STARTING),
       pinging = events.first("db", DM_PHASE_PINGING),
       init = events.first("db", DM_PHASE_INITIALISING),
       running = events.first("db", DM_PHASE_RUNNING);
  EXPECT_TRUE(pre >= 0 && pre < create && create < starting && starting < pinging &&
              pinging < init && init < running)
      << events.dump();
}

TEST_F(StartOrder, AParallelismOfOneWorksOnOneServiceAtATime) {
  dm_group* g = new_group("one-at-a-time");
  HookProbe one, two;
  one.ping_delay = two.ping_delay = 0.5;
  one.attach(add_sleeper(g, "one"), false, true, false);
  two.attach(add_sleeper(g, "two"), false, true, false);
  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.timeout = 30;
  opts.parallelism = 1;
  ResultPtr r;
  ASSERT_EQ(dm_group_start(r.out(), g, client_, &opts), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "one"), DM_OUTCOME_STARTED);
  EXPECT_EQ(outcome_of(r, "two"), DM_OUTCOME_STARTED);
  // The pings never overlap: one service's ended before the other's began.
  std::lock_guard<std::mutex> l1(one.mutex), l2(two.mutex);
  ASSERT_EQ(one.ping_times.size(), 1u);
  ASSERT_EQ(two.ping_times.size(), 1u);
  EXPECT_TRUE(one.ping_end_times[0] <= two.ping_times[0] ||
              two.ping_end_times[0] <= one.ping_times[0]);
}

}  // namespace
}  // namespace dm::testing
