// One-shot jobs, pre_stop hooks and the choice of what to start, as the
// executor applies them over the in-process fake engine: a job's container
// runs to completion before its dependants start, is not run again while
// nothing changed, and runs again when something did.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "orchestrator/unit/fake_group.h"

namespace dm::testing {
namespace {

// db <- migrate (a job) <- app
struct Migration {
  FakeGroup g;
  Probe init;  // the job's post_start_init

  Migration() {
    g.add("db");
    g.add("migrate", {"db"}).oneshot = true;
    g.add("app", {"migrate"});
    init.attach(g.service("migrate"), false, false, true);
    g.fake.exits_on_start("migrate", 0, "migrated\n");
  }
};

TEST(Jobs, AJobCompletesAndRunsItsInitBeforeItsDependantStarts) {
  Migration m;
  FakeGroup& g = m.g;
  Result r = g.start();
  ASSERT_EQ(g.outcome(r, "migrate"), Outcome::Kind::Started) << g.reason(r, "migrate");
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started) << g.reason(r, "app");
  EXPECT_EQ(m.init.init.load(), 1);
  EXPECT_LT(g.first("migrate", Phase::Initialising), g.first("app", Phase::Starting)) << g.dump();
  EXPECT_LT(g.first("migrate", Phase::Running), g.first("app", Phase::Starting)) << g.dump();
  std::vector<FakeContainer> left = g.containers_of("migrate");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].state, "exited");
  EXPECT_EQ(left[0].name, g.final_name("migrate")) << "set up once completed";
}

TEST(Jobs, ACompletedJobIsNotRunAgainWhileNothingChanged) {
  Migration m;
  FakeGroup& g = m.g;
  ASSERT_EQ(g.outcome(g.start(), "migrate"), Outcome::Kind::Started);
  size_t calls_before = g.fake.calls().size();
  Result again = g.start();
  EXPECT_EQ(g.outcome(again, "migrate"), Outcome::Kind::Completed) << g.reason(again, "migrate");
  EXPECT_EQ(g.outcome(again, "app"), Outcome::Kind::AlreadyRunning);
  EXPECT_EQ(m.init.init.load(), 1) << "no hooks for a job left alone";
  std::vector<FakeClient::Call> calls = g.fake.calls();
  ASSERT_EQ(calls.size(), calls_before + 1) << "the warm path: one list call";
  EXPECT_EQ(g.containers_of("migrate")[0].starts, 1);
}

TEST(Jobs, AJobRunsAgainWhenADependencyGotANewContainer) {
  Migration m;
  FakeGroup& g = m.g;
  ASSERT_EQ(g.outcome(g.start(), "migrate"), Outcome::Kind::Started);
  std::string first_run = g.containers_of("migrate")[0].id;
  g.service("db").env = {{"FRESH", "1"}};  // a changed definition: a new database
  Result again = g.start();
  EXPECT_EQ(g.outcome(again, "db"), Outcome::Kind::Started);
  EXPECT_EQ(g.outcome(again, "migrate"), Outcome::Kind::Started) << g.reason(again, "migrate");
  EXPECT_EQ(m.init.init.load(), 2);
  std::vector<FakeContainer> left = g.containers_of("migrate");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].id, first_run) << "a new container for the new run";
}

TEST(Jobs, AJobRunsAgainWithRunNewContainersOrWhenItsDefinitionChanged) {
  Migration m;
  FakeGroup& g = m.g;
  ASSERT_EQ(g.outcome(g.start(), "migrate"), Outcome::Kind::Started);
  orchestrator::StartOptions fresh;
  fresh.run_new_containers = true;
  EXPECT_EQ(g.outcome(g.start(fresh), "migrate"), Outcome::Kind::Started);
  g.service("migrate").cmd = std::vector<std::string>{"migrate", "--all"};
  Result changed = g.start();
  EXPECT_EQ(g.outcome(changed, "db"), Outcome::Kind::AlreadyRunning);
  EXPECT_EQ(g.outcome(changed, "migrate"), Outcome::Kind::Started);
  EXPECT_EQ(m.init.init.load(), 3);
}

TEST(Jobs, AFailingJobFailsWithItsCodeAndLogsKeepsItsContainerAndRunsAgainNextTime) {
  Migration m;
  FakeGroup& g = m.g;
  g.fake.exits_on_start("migrate", 3, "relation already exists\n");
  Result r = g.start();
  ASSERT_EQ(g.outcome(r, "migrate"), Outcome::Kind::Failed);
  EXPECT_EQ(g.reason(r, "migrate"),
            "container exited with code 3 (a oneshot job completes with 0); its last log "
            "lines:\nrelation already exists\n");
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Skipped);
  EXPECT_EQ(m.init.init.load(), 0);
  std::vector<FakeContainer> kept = g.containers_of("migrate");
  ASSERT_EQ(kept.size(), 1u) << "kept for docker logs";
  EXPECT_EQ(kept[0].exit_code, 3);

  g.fake.exits_on_start("migrate", 0, "");
  Result again = g.start();
  EXPECT_EQ(g.outcome(again, "migrate"), Outcome::Kind::Started) << g.reason(again, "migrate");
  EXPECT_EQ(g.outcome(again, "app"), Outcome::Kind::Started);
  std::vector<FakeContainer> left = g.containers_of("migrate");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].id, kept[0].id);
}

TEST(Jobs, AJobThatDoesNotCompleteInItsTimeoutFails) {
  FakeGroup g;
  model::ServiceDef& job = g.add("job");
  job.oneshot = true;
  job.timeout = 0.2;  // and it never exits
  Result r = g.start();
  ASSERT_EQ(g.outcome(r, "job"), Outcome::Kind::Failed);
  EXPECT_EQ(g.reason(r, "job"),
            "the job did not complete within 0.2 s; raise the service's timeout if it needs "
            "longer");
  EXPECT_TRUE(g.containers_of("job").empty()) << "a job that did not end is not left running";
}

TEST(Jobs, StopLeavesACompletedJobAloneAndStopRemoveRemovesIt) {
  Migration m;
  FakeGroup& g = m.g;
  ASSERT_EQ(g.outcome(g.start(), "migrate"), Outcome::Kind::Started);
  Result stopped = g.stop();
  EXPECT_EQ(g.outcome(stopped, "migrate"), Outcome::Kind::NotRunning);
  EXPECT_EQ(g.containers_of("migrate").size(), 1u);
  orchestrator::StopOptions remove;
  remove.remove = true;
  EXPECT_EQ(g.outcome(g.stop(remove), "migrate"), Outcome::Kind::Removed);
  EXPECT_TRUE(g.containers_of("migrate").empty());
}

// ---- pre_stop ----

struct StopRecord {
  std::mutex mutex;
  std::vector<std::string> seen;

  model::Hook hook(FakeGroup& g, const std::string& service, model::HookAnswer answer = {0, ""}) {
    return [this, &g, service, answer](const model::HookContext& context) {
      std::lock_guard<std::mutex> lock(mutex);
      seen.push_back(service + " pre_stop " + context.container_id +
                     " app stops so far: " + std::to_string(g.fake.count("container_stop", "app")));
      return answer;
    };
  }
};

TEST(PreStop, ADependantsPreStopAndStopComeBeforeItsDependencysPreStop) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  StopRecord record;
  g.service("db").hooks.pre_stop = record.hook(g, "db");
  g.service("app").hooks.pre_stop = record.hook(g, "app");
  std::string db = g.leave("db", "running");
  std::string app = g.leave("app", "running");
  Result r = g.stop();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Stopped);
  EXPECT_EQ(record.seen, (std::vector<std::string>{"app pre_stop " + app + " app stops so far: 0",
                                                   "db pre_stop " + db + " app stops so far: 1"}));
}

TEST(PreStop, AFailingPreStopIsReportedAndTheStopGoesOn) {
  FakeGroup g;
  g.add("db");
  StopRecord record;
  g.service("db").hooks.pre_stop = record.hook(g, "db", {1, "the dump failed"});
  g.leave("db", "running");
  Result r = g.stop();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Stopped);
  EXPECT_EQ(g.reason(r, "db"), "pre_stop failed: the dump failed");
  EXPECT_EQ(g.containers_of("db")[0].state, "exited");
  bool reported = false;
  for (const auto& e : g.events())
    reported |= e.service == "db" && e.phase == Phase::Detail &&
                e.message == "pre_stop failed: the dump failed; stopping it anyway";
  EXPECT_TRUE(reported) << g.dump();
}

TEST(PreStop, ItRunsOnlyForARunningContainer) {
  FakeGroup g;
  g.add("db");
  StopRecord record;
  g.service("db").hooks.pre_stop = record.hook(g, "db");
  g.leave("db", "exited");
  g.stop();
  EXPECT_TRUE(record.seen.empty());
}

TEST(PreStop, ItRunsBeforeAnOutdatedContainerIsReplaced) {
  FakeGroup g;
  g.add("db");
  StopRecord record;
  g.service("db").hooks.pre_stop = record.hook(g, "db");
  std::string outdated = g.leave("db", "running", "", "an-older-definition");
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started) << g.reason(r, "db");
  EXPECT_EQ(record.seen,
            std::vector<std::string>{"db pre_stop " + outdated + " app stops so far: 0"});
}

TEST(PreStop, ReloadRunsItForTheServiceAndItsDependants) {
  FakeGroup g;
  g.add("db");
  model::ServiceDef& app = g.add("app", {"db"});
  app.image = "app:dev";
  app.build_context = "/srv/app";
  g.add("web", {"app"});
  ASSERT_EQ(g.start().failures(), 0u) << g.dump();
  StopRecord record;
  for (const char* name : {"db", "app", "web"})
    g.service(name).hooks.pre_stop = record.hook(g, name);
  Result r = g.reload("app");
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Reloaded) << g.reason(r, "app");
  ASSERT_EQ(record.seen.size(), 2u) << g.dump();
  EXPECT_EQ(record.seen[0].rfind("web pre_stop", 0), 0u) << record.seen[0];
  EXPECT_EQ(record.seen[1].rfind("app pre_stop", 0), 0u) << record.seen[1];
}

// ---- choosing what to start ----

TEST(Selection, NamedServicesStartWithTheirDependenciesAndTheRestIsLeftOut) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  g.add("worker", {"db"});
  g.add("debugger", {"app"}).profiles = {"debug"};
  orchestrator::StartOptions options;
  options.only = {"app"};
  Result r = g.start(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started);
  EXPECT_EQ(g.outcome(r, "worker"), Outcome::Kind::Excluded);
  EXPECT_EQ(g.reason(r, "worker"), "not named, nor needed by a service named");
  EXPECT_EQ(g.outcome(r, "debugger"), Outcome::Kind::Excluded);
  EXPECT_TRUE(g.containers_of("worker").empty());

  Result all = g.start();
  EXPECT_EQ(g.outcome(all, "worker"), Outcome::Kind::Started);
  EXPECT_EQ(g.reason(all, "debugger"), "its profile 'debug' not enabled");
  orchestrator::StartOptions debug;
  debug.profiles = {"debug"};
  EXPECT_EQ(g.outcome(g.start(debug), "debugger"), Outcome::Kind::Started);
}

}  // namespace
}  // namespace dm::testing
