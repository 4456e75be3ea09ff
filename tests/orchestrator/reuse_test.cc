// The reuse rules of a start (DESIGN.md §3), and which hooks run on each path:
//   new container            -> pre_start, ping, post_start_init     STARTED
//   running container        -> nothing at all                       ALREADY_RUNNING
//   exited, same config      -> ping only                            RESTARTED
//   config changed           -> like new; the outdated one removed   STARTED
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

using Reuse = LifecycleTest;

TEST_F(Reuse, HooksRunOnEachReusePathByTheRules) {
  dm_group* g = new_group("reuse");
  HookProbe probe;
  dm_service* db = add_sleeper(g, "db");
  probe.attach(db);
  dm_service_set_env(db, "MODE", "one");
  std::string group = group_name(g);

  // 1. No container yet: every hook, in order.
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  EXPECT_EQ(probe.calls(), (std::vector<std::string>{"pre_start", "ping", "init"}));
  std::string first = container_of(r, "db");
  ASSERT_FALSE(first.empty());

  // 2. Running: untouched, no hook at all.
  probe.reset();
  EventRecorder events;
  ASSERT_EQ(start(g, r.out(), &events), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_ALREADY_RUNNING);
  EXPECT_EQ(container_of(r, "db"), first);
  EXPECT_TRUE(probe.calls().empty());
  EXPECT_EQ(events.first("db", DM_PHASE_STARTING), -1) << events.dump();

  // 3. Exited with the same configuration: started again, pinged only.
  ASSERT_EQ(stop(g, r.out(), /*remove=*/false), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STOPPED);
  EXPECT_FALSE(engine_->inspect(first).running);
  probe.reset();
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_RESTARTED);
  EXPECT_EQ(container_of(r, "db"), first);
  EXPECT_EQ(probe.calls(), (std::vector<std::string>{"ping"}));
  EXPECT_TRUE(engine_->inspect(first).running);

  // 4. Configuration changed: a new container with every hook; the old one gone.
  dm_service_set_env(db, "MODE", "two");
  probe.reset();
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  std::string second = container_of(r, "db");
  EXPECT_NE(second, first);
  EXPECT_EQ(probe.calls(), (std::vector<std::string>{"pre_start", "ping", "init"}));
  EXPECT_FALSE(engine_->container_exists(first)) << "the outdated container was left behind";
  auto now = engine_->containers(group, "db");
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].id, second);
  auto env = engine_->inspect(second).env;
  EXPECT_NE(std::find(env.begin(), env.end(), "MODE=two"), env.end());
}

TEST_F(Reuse, AnExitedContainerWithAChangedConfigurationIsReplacedNotRestarted) {
  dm_group* g = new_group("exitchg");
  HookProbe probe;
  dm_service* db = add_sleeper(g, "db");
  probe.attach(db);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  std::string first = container_of(r, "db");
  ASSERT_EQ(stop(g, r.out(), false), DM_OK);
  dm_service_set_env(db, "NEW", "1");
  probe.reset();
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_STARTED);
  EXPECT_NE(container_of(r, "db"), first);
  EXPECT_EQ(probe.init.load(), 1);
  EXPECT_FALSE(engine_->container_exists(first));
}

TEST_F(Reuse, AlwaysStartNewCreatesANewContainerOnEveryStart) {
  dm_group* g = new_group("always");
  HookProbe probe;
  dm_service* s = add_sleeper(g, "fresh");
  dm_service_set_always_start_new(s, 1);
  probe.attach(s);
  HookProbe other_probe;
  other_probe.attach(add_sleeper(g, "kept"));
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  std::string first = container_of(r, "fresh"), kept = container_of(r, "kept");
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "fresh"), DM_OUTCOME_STARTED);
  EXPECT_NE(container_of(r, "fresh"), first);
  EXPECT_EQ(probe.pre_start.load(), 2);
  EXPECT_EQ(probe.init.load(), 2);
  // Only the service that asked for it.
  EXPECT_EQ(outcome_of(r, "kept"), DM_OUTCOME_ALREADY_RUNNING);
  EXPECT_EQ(container_of(r, "kept"), kept);
  EXPECT_EQ(other_probe.init.load(), 1);
  // The previous container does not pile up.
  EXPECT_FALSE(engine_->container_exists(first));
  EXPECT_EQ(engine_->containers(group_name(g), "fresh").size(), 1u);
}

TEST_F(Reuse, RunNewContainersCreatesNewContainersForEveryService) {
  dm_group* g = new_group("runnew");
  HookProbe a_probe, b_probe;
  a_probe.attach(add_sleeper(g, "a"));
  b_probe.attach(add_sleeper(g, "b", {"a"}));
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  std::string a1 = container_of(r, "a"), b1 = container_of(r, "b");

  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.timeout = 30;
  opts.run_new_containers = 1;
  ASSERT_EQ(dm_group_start(r.out(), g, client_, &opts), DM_OK) << dm_error_last();
  EXPECT_EQ(outcome_of(r, "a"), DM_OUTCOME_STARTED);
  EXPECT_EQ(outcome_of(r, "b"), DM_OUTCOME_STARTED);
  EXPECT_NE(container_of(r, "a"), a1);
  EXPECT_NE(container_of(r, "b"), b1);
  EXPECT_EQ(a_probe.init.load(), 2);
  EXPECT_EQ(b_probe.init.load(), 2);
  EXPECT_EQ(engine_->containers(group_name(g)).size(), 2u);
}

TEST_F(Reuse, StatusReportsStatePortsAndOutdatedAfterADefinitionChange) {
  dm_group* g = new_group("status");
  dm_service* web = nullptr;
  ASSERT_EQ(dm_group_add_service(&web, g, "web", kImage), DM_OK);
  const char* httpd[] = {"httpd", "-f", "-p", "80"};
  dm_service_set_cmd(web, httpd, 4);
  dm_service_set_stop_signal(web, "SIGKILL");
  int port = free_port();
  dm_service_add_port(web, "80", port);
  add_sleeper(g, "idle");

  ReportPtr report;
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  ASSERT_EQ(dm_report_count(report), 2u);
  EXPECT_STREQ(dm_report_state(report, 0), "missing");
  EXPECT_STREQ(dm_report_container_id(report, 0), "");

  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last();
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK) << dm_error_last();
  EXPECT_STREQ(dm_report_service(report, 0), "web");
  EXPECT_STREQ(dm_report_state(report, 0), "running");
  EXPECT_EQ(dm_report_ports(report, 0), "0.0.0.0:" + std::to_string(port) + "->80/tcp");
  EXPECT_EQ(dm_report_container_id(report, 0), container_of(r, "web"));
  EXPECT_EQ(dm_report_container_name(report, 0), group_name(g) + "-web-1");
  EXPECT_STREQ(dm_report_image(report, 0), kImage);
  EXPECT_EQ(std::string(dm_report_status_text(report, 0)).rfind("Up", 0), 0u)
      << dm_report_status_text(report, 0);
  EXPECT_STREQ(dm_report_health(report, 0), "");
  EXPECT_FALSE(dm_report_outdated(report, 0));
  EXPECT_STREQ(dm_report_ports(report, 1), "");

  // The definition changes; the container does not, yet.
  dm_service_set_env(web, "CHANGED", "yes");
  ASSERT_EQ(dm_group_status(report.out(), g, client_), DM_OK);
  EXPECT_TRUE(dm_report_outdated(report, 0));
  EXPECT_FALSE(dm_report_outdated(report, 1));
  // Out of range: empty, not a crash.
  EXPECT_STREQ(dm_report_state(report, 99), "");
}

// A container started again that does not come up is not left running for
// the next start to trust: it is stopped and kept (its data is the user's),
// and the next start starts it again and pings it before its dependants run.
TEST_F(Reuse, ARestartedContainerThatDoesNotComeUpIsLeftStoppedAndPingedAgainNextTime) {
  dm_group* g = new_group("restartfail");
  HookProbe probe;
  dm_service* db = add_sleeper(g, "db");
  probe.attach(db, false, true, false);
  add_sleeper(g, "app", {"db"});
  std::string group = group_name(g);
  ResultPtr r;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  std::string first = container_of(r, "db");
  ASSERT_EQ(stop(g, r.out(), /*remove=*/false), DM_OK) << dm_error_last();

  probe.reset();
  probe.ready_after = 0;  // never ready
  EventRecorder events;
  ASSERT_EQ(start(g, r.out(), &events, /*timeout=*/0.5), DM_EFAILED) << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_FAILED) << describe(r);
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_SKIPPED) << describe(r);
  EXPECT_GE(probe.ping.load(), 1);
  ASSERT_TRUE(engine_->container_exists(first)) << "the user's container was removed";
  engine::ContainerInfo after = engine_->inspect(first);
  EXPECT_FALSE(after.running) << "left running after its ping failed";
  EXPECT_EQ(after.state, "exited");
  EXPECT_EQ(engine_->containers(group, "db").size(), 1u);
  for (const auto& c : engine_->containers(group, "app")) EXPECT_NE(c.state, "running");

  // The next start starts it again and pings it; then its dependant runs.
  probe.reset();
  probe.ready_after = 1;
  ASSERT_EQ(start(g, r.out()), DM_OK) << dm_error_last() << describe(r);
  EXPECT_EQ(outcome_of(r, "db"), DM_OUTCOME_RESTARTED);
  EXPECT_EQ(container_of(r, "db"), first);
  EXPECT_EQ(probe.calls(), (std::vector<std::string>{"ping"}));
  EXPECT_TRUE(engine_->inspect(first).running);
  EXPECT_EQ(outcome_of(r, "app"), DM_OUTCOME_RESTARTED) << describe(r);
}

}  // namespace
}  // namespace dm::testing
