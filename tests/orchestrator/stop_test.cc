// Stop: dependants first, each container with its own stop signal; remove
// leaves nothing of the group on the engine.
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using Stop = LifecycleTest;

TEST_F(Stop, StopsDependantsBeforeTheirDependencies) {
  dm_group* g = new_group("stoporder");
  add_sleeper(g, "a");
  add_sleeper(g, "b", {"a"});
  add_sleeper(g, "c", {"b"});
  add_sleeper(g, "side", {"a"});
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EventRecorder events;
  ASSERT_EQ(stop(g, r.out(), false, &events), DM_OK) << dm_error_last() << describe(r);
  for (const char* s : {"a", "b", "c", "side"})
    EXPECT_EQ(outcome_of(r, s), DM_OUTCOME_STOPPED) << s;

  EXPECT_LT(events.first("c", DM_PHASE_STOPPED), events.first("b", DM_PHASE_STOPPING))
      << events.dump();
  EXPECT_LT(events.first("b", DM_PHASE_STOPPED), events.first("a", DM_PHASE_STOPPING))
      << events.dump();
  EXPECT_LT(events.first("side", DM_PHASE_STOPPED), events.first("a", DM_PHASE_STOPPING))
      << events.dump();
  EXPECT_GE(events.first("c", DM_PHASE_STOPPING), 0) << events.dump();
  // Stopped, not removed.
  EXPECT_EQ(engine_->containers(group_name(g)).size(), 4u);
  for (const auto& c : engine_->containers(group_name(g)))
    EXPECT_EQ(c.state, "exited") << c.names.at(0);
}

TEST_F(Stop, StoppingAGroupThatIsNotRunningIsNotAnError) {
  dm_group* g = new_group("notrunning");
  add_sleeper(g, "a");
  ResultPtr r;
  ASSERT_EQ(stop(g, r.out(), false), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "a"), DM_OUTCOME_NOT_RUNNING);
  ASSERT_EQ(stop(g, r.out(), true), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "a"), DM_OUTCOME_NOT_RUNNING);
}

TEST_F(Stop, HonoursTheServicesStopSignal) {
  dm_group* g = new_group("signal");
  dm_service* s = add_sleeper(g, "usr1");
  // PID 1 ignores TERM here: only USR1 ends it.
  set_script(s, "trap 'exit 0' USR1; while :; do sleep 0.2; done");
  dm_service_set_stop_signal(s, "SIGUSR1");
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  std::string id = container_of(r, "usr1");
  EXPECT_EQ(engine_->inspect(id).stop_signal, "SIGUSR1");

  double began = monotonic_seconds();
  ASSERT_EQ(stop(g, r.out(), false, nullptr, /*grace=*/20), DM_OK) << dm_error_last();
  double took = monotonic_seconds() - began;
  EXPECT_LT(took, 10.0) << "the engine waited out the grace period: the stop signal was not sent";
  engine::ContainerInfo info = engine_->inspect(id);
  EXPECT_FALSE(info.running);
  EXPECT_EQ(info.exit_code, 0) << "it was killed rather than stopped by its signal";
}

TEST_F(Stop, RemoveLeavesNoContainerAndNoNetwork) {
  dm_group* g = new_group("remove");
  add_sleeper(g, "db");
  add_sleeper(g, "app", {"db"});
  std::string network = dm_group_network_name(g);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  ASSERT_EQ(engine_->containers(group_name(g)).size(), 2u);
  ASSERT_TRUE(engine_->network_exists(network));
  // The network is labelled for the group.
  ASSERT_EQ(engine_->networks(group_name(g)).size(), 1u);

  EventRecorder events;
  ASSERT_EQ(stop(g, r.out(), true, &events), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_REMOVED);
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_REMOVED);
  EXPECT_TRUE(engine_->containers(group_name(g)).empty());
  EXPECT_FALSE(engine_->network_exists(network));
  EXPECT_TRUE(engine_->networks(group_name(g)).empty());
  EXPECT_GE(events.first("", DM_PHASE_REMOVED), 0) << events.dump();

  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK);
  for (size_t i = 0; i < dm_report_count(report); i++)
    EXPECT_STREQ(dm_report_state(report, i), "missing") << dm_report_service(report, i);
  // And the docker command agrees.
  EXPECT_EQ(shell("docker ps -aq --filter label=io.drillmaster.group=" + group_name(g)), "");
  EXPECT_EQ(shell("docker network ls -q --filter label=io.drillmaster.group=" + group_name(g)), "");
}

TEST_F(Stop, RemoveAlsoTakesContainersOfServicesNoLongerDefined) {
  dm_group* g = new_group("orphan");
  add_sleeper(g, "kept");
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  // A second handle on the same group that defines one more service.
  dm_group* wider = nullptr;
  ASSERT_EQ(dm_group_new(&wider, group_name(g).c_str()), DM_OK);
  add_sleeper(wider, "kept");
  add_sleeper(wider, "gone");
  ASSERT_EQ(start(wider, r.out()), DM_OK) << dm_error_last();
  dm_group_free(wider);
  ASSERT_EQ(engine_->containers(group_name(g)).size(), 2u);
  // The narrower definition's stop --remove (in TearDown) must remove "gone" too.
}

TEST_F(Stop, ExcludedServicesKeepRunning) {
  dm_group* g = new_group("stopexcl");
  add_sleeper(g, "db");
  add_sleeper(g, "app", {"db"});
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  ASSERT_EQ(stop(g, r.out(), false, nullptr, 10, {"db"}), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_EXCLUDED);
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_STOPPED);
  EXPECT_EQ(engine_->containers(group_name(g), "db").at(0).state, "running");
}

TEST_F(Stop, StopWithAnUnknownExcludeIsAClearInvalidArgument) {
  dm_group* g = new_group("stopunknown");
  add_sleeper(g, "db");
  add_sleeper(g, "cache");
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  ASSERT_EQ(stop(g, r.out(), true, nullptr, 10, {"cahce"}), DM_EINVALID);
  EXPECT_EQ(r.p, nullptr);
  EXPECT_EQ(dm_error_last_status(), DM_EINVALID);
  std::string message = dm_error_last();
  EXPECT_NE(message.find("cannot exclude 'cahce': no such service"), std::string::npos) << message;
  EXPECT_NE(message.find("did you mean 'cache'?"), std::string::npos) << message;
  // Nothing was stopped.
  for (const auto& c : engine_->containers(group_name(g))) EXPECT_EQ(c.state, "running");
}

TEST_F(Stop, CancelMidStopFinishesTheStopUnderWayAndLeavesTheRestRunning) {
  dm_group* g = new_group("cancel-stop");
  // Each container takes a second to stop after SIGTERM.
  for (auto [name, deps] : {std::pair<const char*, std::vector<std::string>>{"db", {}},
                            {"app", {"db"}},
                            {"front", {"app"}}}) {
    dm_service* s = add_sleeper(g, name, deps);
    set_script(s, "trap 'sleep 1; exit 0' TERM; sleep 2147483647 & wait");
  }
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();

  EventRecorder events;
  std::thread canceller([&] {
    while (events.first("front", DM_PHASE_STOPPING) < 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    dm_group_cancel(g);
  });
  EXPECT_EQ(stop(g, r.out(), /*remove=*/false, &events, /*timeout=*/10), DM_ECANCELLED);
  canceller.join();
  EXPECT_TRUE(dm_result_cancelled(r));
  EXPECT_EQ(outcome_of(r, "front"), DM_OUTCOME_STOPPED) << events.dump();
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_CANCELLED);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_CANCELLED);
  EXPECT_EQ(events.first("db", DM_PHASE_STOPPING), -1) << events.dump();
  EXPECT_TRUE(engine_->inspect(container_of(r, "db")).running);
}

}  // namespace
}  // namespace dm::testing
