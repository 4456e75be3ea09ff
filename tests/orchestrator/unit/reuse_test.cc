// The reuse rules of a start: as pure decisions (reuse.h), and as the
// executor applies them to what an earlier start left on the engine: a
// running container left alone, an exited one started again, a setup that a
// kill interrupted finished by the next start, outdated ones replaced.
#include "orchestrator/reuse.h"
#include "model/request.h"

#include <gtest/gtest.h>

#include "orchestrator/unit/fake_group.h"

namespace dm::orchestrator {
namespace {

Instance instance(const std::string& state, bool set_up = true, const std::string& hash = "h1",
                  const std::string& image = "i1") {
  Instance c;
  c.id = state + (set_up ? "-set-up" : "-setup") + "-" + hash + "-" + image;
  c.state = state;
  c.set_up = set_up;
  c.definition_hash = hash;
  c.image_id = image;
  return c;
}

TEST(Reuse, ARunningContainerOfTheSameDefinitionAndImageIsKept) {
  std::vector<Instance> existing = {instance("running")};
  Reuse r = choose_reuse(existing, "h1", "i1", false);
  EXPECT_EQ(r.kind, Reuse::Kind::KeepRunning);
  EXPECT_EQ(r.instance, &existing[0]);
  EXPECT_EQ(choose_reuse(existing, "h1", "", false).kind, Reuse::Kind::KeepRunning)
      << "an image not looked at is not compared";
}

TEST(Reuse, AnExitedContainerOfTheSameDefinitionAndImageIsStartedAgain) {
  std::vector<Instance> existing = {instance("exited")};
  EXPECT_EQ(choose_reuse(existing, "h1", "i1", false).kind, Reuse::Kind::StartAgain);
}

TEST(Reuse, ANewImageOrDefinitionMeansANewContainer) {
  std::vector<Instance> existing = {instance("exited")};
  EXPECT_EQ(choose_reuse(existing, "h1", "i2", false).kind, Reuse::Kind::New);
  EXPECT_EQ(choose_reuse(existing, "h2", "i1", false).kind, Reuse::Kind::New);
  EXPECT_EQ(choose_reuse(existing, "", "i1", false).kind, Reuse::Kind::New)
      << "a definition without a hash matches nothing";
}

TEST(Reuse, AContainerWhoseSetupDidNotFinishIsNeverReused) {
  std::vector<Instance> existing = {instance("running", /*set_up=*/false),
                                    instance("created", /*set_up=*/false)};
  EXPECT_EQ(choose_reuse(existing, "h1", "i1", false).kind, Reuse::Kind::New);
  EXPECT_FALSE(untouched(existing, "h1", false, false));
}

TEST(Reuse, ANewContainerAskedForIsAlwaysNew) {
  std::vector<Instance> existing = {instance("running")};
  EXPECT_EQ(choose_reuse(existing, "h1", "i1", /*recreate=*/true).kind, Reuse::Kind::New);
  EXPECT_FALSE(untouched(existing, "h1", /*recreate=*/true, false));
}

TEST(Reuse, TheWarmPathNeedsARunningSetUpContainerOfTheDefinitionAndNoRebuild) {
  std::vector<Instance> running = {instance("running")};
  EXPECT_TRUE(untouched(running, "h1", false, false));
  EXPECT_FALSE(untouched(running, "h1", false, /*rebuild=*/true));
  EXPECT_FALSE(untouched(running, "h2", false, false));
  EXPECT_FALSE(untouched({instance("exited")}, "h1", false, false));
  EXPECT_FALSE(untouched({}, "h1", false, false));
}

}  // namespace
}  // namespace dm::orchestrator

namespace dm::testing {
namespace {

TEST(ReuseRules, ARunningContainerIsLeftAloneAndTheWarmPathIsOneListCall) {
  FakeGroup g;
  g.add("db");
  Probe probe;
  probe.attach(g.service("db"));
  std::string id = g.leave("db", "running");
  size_t calls_before = g.fake.calls().size();
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::AlreadyRunning);
  EXPECT_EQ(g.outcome_of(r, "db").container_id, id);
  EXPECT_EQ(probe.pre_start + probe.ping + probe.init, 0) << "no hooks";
  std::vector<FakeClient::Call> calls = g.fake.calls();
  ASSERT_EQ(calls.size(), calls_before + 1) << "one list call, nothing else";
  EXPECT_EQ(calls.back().call, "container_list");
}

TEST(ReuseRules, AnExitedContainerIsStartedAgainAndPingedWithoutPreStartOrInit) {
  FakeGroup g;
  g.add("db");
  Probe probe;
  probe.attach(g.service("db"));
  std::string id = g.leave("db", "exited");
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Restarted) << g.reason(r, "db");
  EXPECT_EQ(g.outcome_of(r, "db").container_id, id);
  EXPECT_EQ(probe.ping.load(), 1);
  EXPECT_EQ(probe.pre_start.load(), 0);
  EXPECT_EQ(probe.init.load(), 0);
  EXPECT_EQ(g.fake.count("container_create"), 0u);
}

TEST(ReuseRules, AKilledStartIsFinishedByTheNextWithOneInitPerContainer) {
  FakeGroup g;
  g.add("db");
  Probe probe;
  probe.attach(g.service("db"));
  // A start killed during ping left its container under the setup name.
  std::string interrupted = g.leave("db", "running", g.final_name("db") + ".setup");
  Result r = g.start();
  ASSERT_EQ(g.outcome(r, "db"), Outcome::Kind::Started) << g.reason(r, "db");
  std::vector<FakeContainer> left = g.containers_of("db");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].id, interrupted);
  EXPECT_EQ(left[0].name, g.final_name("db"));
  EXPECT_EQ(probe.init.load(), 1);
  EXPECT_EQ(probe.container_ids, std::vector<std::string>{left[0].id});
  EXPECT_NE(g.first("db", Phase::Removed), -1) << g.dump();
  bool said_why = false;
  for (const auto& e : g.events())
    said_why |= e.phase == Phase::Removed &&
                e.message.rfind("container whose setup did not finish", 0) == 0;
  EXPECT_TRUE(said_why) << g.dump();
  // And the start after that leaves it alone.
  Result again = g.start();
  EXPECT_EQ(g.outcome(again, "db"), Outcome::Kind::AlreadyRunning);
  EXPECT_EQ(probe.init.load(), 1);
}

TEST(ReuseRules, ACreatedButNeverStartedContainerIsMadeAgain) {
  FakeGroup g;
  g.add("app");
  std::string never_started = g.leave("app", "created");
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started);
  std::vector<FakeContainer> left = g.containers_of("app");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].id, never_started);
}

TEST(ReuseRules, AnOutdatedRunningContainerIsStoppedWithTheGracePeriodAndReplaced) {
  FakeGroup g;
  g.add("db");
  std::string outdated = g.leave("db", "running", "", "an-older-definition");
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started);
  EXPECT_EQ(g.fake.count("container_stop", "db"), 1u);
  std::vector<FakeContainer> left = g.containers_of("db");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_NE(left[0].id, outdated);
  EXPECT_EQ(left[0].spec.labels.at(orchestrator::kConfigHashLabel),
            model::definition_hash(g.def(), g.service("db")));
}

TEST(ReuseRules, AnOutdatedContainerGetsTheStartsStopTimeoutRoundedUpToWholeSeconds) {
  FakeGroup g;
  g.add("db");
  std::string outdated = g.leave("db", "running", "", "an-older-definition");
  int grace_when_removed = -1;
  Script look;
  look.before = [&] { grace_when_removed = g.fake.container(outdated)->last_grace; };
  g.fake.script("container_remove", outdated, look);
  orchestrator::StartOptions options;
  options.stop_timeout = 2.5;  // the engine takes whole seconds: never less than asked
  Result r = g.start(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started) << g.reason(r, "db");
  EXPECT_EQ(grace_when_removed, 3);
}

TEST(ReuseRules, RunNewContainersReplacesEvenARunningOneOfTheSameDefinition) {
  FakeGroup g;
  g.add("db");
  std::string old = g.leave("db", "running");
  orchestrator::StartOptions options;
  options.run_new_containers = true;
  Result r = g.start(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started);
  ASSERT_EQ(g.containers_of("db").size(), 1u);
  EXPECT_NE(g.containers_of("db")[0].id, old);
}

TEST(ReuseRules, AServiceWithoutAPingThatExitsLaterInTheStartIsReportedFailed) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  Probe app;
  app.attach(g.service("app"), false, true, false);
  // db was ready (running once started); it exits while app is pinged.
  app.on_ping = [&] { g.fake.exit("db", 2); };
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  EXPECT_NE(g.reason(r, "db").find("exited with code 2 after it started, while the start went on"),
            std::string::npos)
      << g.reason(r, "db");
  EXPECT_TRUE(g.containers_of("db").empty()) << "made by this start, it did not stay up";
}

// ---- a container that does not come up in this run ----

TEST(ReuseRules, ARestartedContainerThatDoesNotComeUpIsStoppedKeptAndPingedAgainByTheNextStart) {
  FakeGroup g;
  g.add("db").timeout = 0.3;
  g.add("app", {"db"});
  Probe probe;
  probe.ready_after = 0;  // never ready
  probe.attach(g.service("db"), false, true, false);
  std::string id = g.leave("db", "exited");
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Skipped);
  std::vector<FakeContainer> left = g.containers_of("db");
  ASSERT_EQ(left.size(), 1u) << "the user's container is kept";
  EXPECT_EQ(left[0].id, id);
  EXPECT_EQ(left[0].state, "exited") << "not left running for the next start to trust";
  EXPECT_EQ(left[0].starts, 2) << "started again once";
  EXPECT_LT(g.first("db", Phase::Stopped), g.first("app", Phase::Skipped)) << g.dump();
  EXPECT_TRUE(g.containers_of("app").empty());

  // The next start finds it exited, starts it again and pings it.
  probe.ready_after = probe.ping.load() + 1;
  int pings_before = probe.ping.load();
  Result again = g.start();
  EXPECT_EQ(g.outcome(again, "db"), Outcome::Kind::Restarted) << g.reason(again, "db");
  EXPECT_EQ(g.outcome_of(again, "db").container_id, id);
  EXPECT_EQ(probe.ping.load(), pings_before + 1);
  EXPECT_EQ(g.outcome(again, "app"), Outcome::Kind::Started) << g.reason(again, "app");
}

TEST(ReuseRules, ACancelDuringThePingOfARestartedContainerLeavesItStopped) {
  FakeGroup g;
  g.add("db").timeout = 600;
  Probe probe;
  probe.ready_after = 0;
  probe.attach(g.service("db"), false, true, false);
  probe.on_ping = [&] {
    if (probe.ping.load() == 2) g.token.cancel();
  };
  std::string id = g.leave("db", "exited");
  auto began = std::chrono::steady_clock::now();
  Result r = g.start();
  EXPECT_LT(seconds_since(began), kBoundSeconds);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Cancelled);
  std::vector<FakeContainer> left = g.containers_of("db");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].id, id);
  EXPECT_EQ(left[0].state, "exited");
}

TEST(ReuseRules, ARunningContainerLeftAloneStaysRunningWhenItsDependantFails) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  std::string id = g.leave("db", "running");
  g.fake.exits_on_start("app", 3, "no\n");
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::AlreadyRunning);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Failed);
  ASSERT_EQ(g.containers_of("db").size(), 1u);
  EXPECT_EQ(g.containers_of("db")[0].state, "running");
  EXPECT_EQ(g.fake.count("container_stop", "db"), 0u);
}

TEST(ReuseRules, AnOutdatedContainerGetsItsServicesOwnStopGracePeriod) {
  FakeGroup g;
  g.add("db").stop_grace_period = 60;
  std::string outdated = g.leave("db", "running", "", "an-older-definition");
  int grace_when_removed = -1;
  Script look;
  look.before = [&] { grace_when_removed = g.fake.container(outdated)->last_grace; };
  g.fake.script("container_remove", outdated, look);
  orchestrator::StartOptions options;
  options.stop_timeout = 2;
  Result r = g.start(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started) << g.reason(r, "db");
  EXPECT_EQ(grace_when_removed, 60);
}

}  // namespace
}  // namespace dm::testing
