// The executor running start, stop and reload over the in-process fake
// engine: the order steps happen in, how a failure spreads, the parallelism
// cap, the deadlines that bound a frozen engine, and what a cancel does at
// each phase. No Docker engine: each test takes milliseconds (the frozen
// engine ones take its 10 s step limit).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <condition_variable>
#include <thread>

#include "orchestrator/unit/fake_group.h"

namespace dm::testing {
namespace {

using Clock = std::chrono::steady_clock;

// A script whose `before` returns only once `n` calls are inside at once:
// a call that is never joined by the others gives up after kBoundSeconds,
// and the test sees too few at once.
struct Meeting {
  std::mutex mutex;
  std::condition_variable cv;
  int inside = 0;
  Script script(int n) {
    Script s;
    s.before = [this, n] {
      std::unique_lock<std::mutex> lock(mutex);
      inside++;
      cv.notify_all();
      cv.wait_until(lock, Clock::now() + std::chrono::seconds(30), [&] { return inside >= n; });
    };
    return s;
  }
};

Script cancel_first(CancelToken& token) {
  Script s;
  s.before = [&token] { token.cancel(); };
  s.times = 1;
  return s;
}

// ---- order ----

TEST(Executor, StartsAChainInDependencyOrderWhateverTheDefinitionOrder) {
  FakeGroup g;
  g.add("web", {"app"});
  g.add("app", {"db"});
  g.add("db");
  Result r = g.start();
  for (const char* s : {"db", "app", "web"})
    EXPECT_EQ(g.outcome(r, s), Outcome::Kind::Started) << s;
  EXPECT_EQ(g.fake.subjects("container_start"), (std::vector<std::string>{"db", "app", "web"}));
  EXPECT_LT(g.first("db", Phase::Running), g.first("app", Phase::Starting)) << g.dump();
  EXPECT_LT(g.first("app", Phase::Running), g.first("web", Phase::Starting)) << g.dump();
  // Results in definition order.
  ASSERT_EQ(r.services.size(), 3u);
  EXPECT_EQ(r.services[0].service, "web");
  EXPECT_EQ(r.cancelled, false);
  EXPECT_TRUE(g.fake.has_network(g.def().network));
}

TEST(Executor, AWarmStartIsOneListCallAndLeavesEveryServiceRunning) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  g.add("web", {"app"});
  ASSERT_EQ(g.start().failures(), 0u) << g.dump();
  size_t before = g.fake.calls().size();
  Result r = g.start();
  std::vector<FakeClient::Call> calls = g.fake.calls();
  ASSERT_EQ(calls.size(), before + 1) << "no network, image or container call";
  EXPECT_EQ(calls.back().call, "container_list");
  for (const char* s : {"db", "app", "web"}) {
    EXPECT_EQ(g.outcome(r, s), Outcome::Kind::AlreadyRunning) << s;
    EXPECT_EQ(g.outcome_of(r, s).container_id, g.containers_of(s).at(0).id) << s;
    EXPECT_EQ(g.count(s, Phase::Running), 2u) << s;
  }
}

TEST(Executor, AWarmStartStillRunsAPrepareHookAndComparesWhatItGives) {
  FakeGroup g;
  g.add("db");
  std::atomic<int> prepared{0};
  std::string value = "one";
  g.add("app", {"db"}).hooks.prepare = [&](const model::HookContext&, model::ServiceDef& d) {
    prepared++;
    d.env.push_back({"TOKEN", value});
    return model::HookAnswer{0, ""};
  };
  ASSERT_EQ(g.start().failures(), 0u) << g.dump();
  Result r = g.start();
  EXPECT_EQ(prepared.load(), 2);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::AlreadyRunning) << g.reason(r, "app");
  value = "two";  // the definition the hook makes differs now: a new container
  r = g.start();
  EXPECT_EQ(prepared.load(), 3);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::AlreadyRunning);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started) << g.reason(r, "app");
}

TEST(Executor, CreatesAContainerWhileItsDependencyIsStillStarting) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  Probe db;
  db.attach(g.service("db"), false, true, false);
  // db's ping answers only once app's container exists.
  db.ready_after = 0;
  db.on_ping = [&] {
    if (g.fake.count("container_create", "app") > 0) db.ready_after = db.ping.load();
  };
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started) << g.reason(r, "db");
  EXPECT_LT(g.fake.first("container_create", "app"), g.fake.first("container_start", "app"));
  EXPECT_LT(g.first("app", Phase::Creating), g.first("db", Phase::Running)) << g.dump();
}

TEST(Executor, APreStartHookMakesTheCreateWaitForReadyDependencies) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  Probe db, app;
  db.attach(g.service("db"), false, true, false);
  app.attach(g.service("app"), true, false, false);
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Started);
  EXPECT_EQ(app.pre_start.load(), 1);
  EXPECT_LT(g.first("db", Phase::Running), g.first("app", Phase::PreStart)) << g.dump();
  EXPECT_LT(g.first("app", Phase::PreStart), g.first("app", Phase::Creating)) << g.dump();
}

TEST(Executor, EachServiceGoesThroughItsPhasesInOrderAndIsRenamedOnceSetUp) {
  FakeGroup g;
  g.add("db");
  Probe probe;
  probe.ready_after = 3;
  probe.attach(g.service("db"));
  Result r = g.start();
  ASSERT_EQ(g.outcome(r, "db"), Outcome::Kind::Started) << g.reason(r, "db");
  EXPECT_EQ(probe.ping.load(), 3);
  EXPECT_EQ(probe.init.load(), 1);
  long pre = g.first("db", Phase::PreStart), create = g.first("db", Phase::Creating),
       starting = g.first("db", Phase::Starting), pinging = g.first("db", Phase::Pinging),
       init = g.first("db", Phase::Initialising), running = g.first("db", Phase::Running);
  EXPECT_TRUE(pre >= 0 && pre < create && create < starting && starting < pinging &&
              pinging < init && init < running)
      << g.dump();
  // Created under its setup name, renamed once ping and init succeeded.
  std::vector<FakeContainer> left = g.containers_of("db");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].name, g.final_name("db"));
  EXPECT_EQ(left[0].spec.name, g.final_name("db") + ".setup");
  EXPECT_EQ(g.fake.count("container_rename", "db"), 1u);
  EXPECT_EQ(probe.container_ids, std::vector<std::string>{left[0].id});
}

TEST(Executor, IndependentServicesAreCreatedAtOnce) {
  FakeGroup g;
  for (const char* s : {"a", "b", "c"}) g.add(s);
  Meeting meeting;
  g.fake.script("container_create", "", meeting.script(3));
  Result r = g.start();
  for (const char* s : {"a", "b", "c"}) EXPECT_EQ(g.outcome(r, s), Outcome::Kind::Started) << s;
  EXPECT_EQ(g.fake.max_concurrent("container_create"), 3u);
}

// ---- the parallelism cap ----

TEST(Executor, TheParallelismCapBoundsTheCreatesAndStartsUnderWay) {
  FakeGroup g;
  g.add("root");
  for (int i = 0; i < 6; i++) g.add("leaf" + std::to_string(i), {"root"});
  g.fake.script("container_create", "", delay(0.02));
  g.fake.script("container_start", "", delay(0.02));
  orchestrator::StartOptions options;
  options.parallelism = 2;
  Result r = g.start(options);
  EXPECT_EQ(r.failures(), 0u);
  EXPECT_LE(g.fake.max_concurrent("container_create"), 2u);
  EXPECT_LE(g.fake.max_concurrent("container_start"), 2u);
  EXPECT_EQ(g.fake.count("container_start"), 7u);
}

TEST(Executor, ACapOfOneWorksOnOneServiceAtATime) {
  FakeGroup g;
  for (const char* s : {"a", "b", "c"}) g.add(s);
  Probe a, b, c;
  a.attach(g.service("a"), false, true, true);
  b.attach(g.service("b"), false, true, true);
  c.attach(g.service("c"), false, true, true);
  std::atomic<int> inside{0}, most{0};
  auto track = [&] {
    int now = ++inside;
    most = std::max(most.load(), now);
    --inside;
  };
  a.on_ping = b.on_ping = c.on_ping = track;
  orchestrator::StartOptions options;
  options.parallelism = 1;
  Result r = g.start(options);
  EXPECT_EQ(r.failures(), 0u);
  EXPECT_EQ(most.load(), 1);
  EXPECT_EQ(g.fake.max_concurrent("container_create"), 1u);
  EXPECT_EQ(g.fake.max_concurrent("container_start"), 1u);
}

TEST(Executor, StartsOfContainersThatPublishPortsAreSerialised) {
  FakeGroup g;
  g.add("a").ports = {{"80", 8080}};
  g.add("b").ports = {{"80", 8081}};
  g.fake.script("container_start", "", delay(0.05));
  Result r = g.start();
  EXPECT_EQ(r.failures(), 0u);
  EXPECT_EQ(g.fake.max_concurrent("container_start"), 1u);
}

// ---- failure ----

TEST(Executor, AFailureSkipsEveryDependantAndLeavesIndependentServicesGoing) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  g.add("web", {"app"});
  g.add("cache");
  g.fake.script("container_start", "db",
                fail(Error::Code::Engine, "engine refused to start container (500): boom"));
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  EXPECT_EQ(g.reason(r, "db"), "engine refused to start container (500): boom");
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Skipped);
  EXPECT_EQ(g.reason(r, "app"), "dependency 'db' failed");
  EXPECT_EQ(g.outcome(r, "web"), Outcome::Kind::Skipped);
  EXPECT_EQ(g.reason(r, "web"), "dependency 'app' failed");
  EXPECT_EQ(g.outcome(r, "cache"), Outcome::Kind::Started);
  EXPECT_EQ(r.failures(), 3u);
  // Nothing of the failed branch is left: db's container and app's (made
  // while db was starting) are removed; web's was never started.
  EXPECT_TRUE(g.containers_of("db").empty());
  EXPECT_TRUE(g.containers_of("app").empty());
  EXPECT_TRUE(g.containers_of("web").empty());
  EXPECT_EQ(g.fake.count("container_start", "app"), 0u);
  EXPECT_LT(g.first("db", Phase::Failed), g.first("app", Phase::Skipped)) << g.dump();
}

TEST(Executor, AFailingHookSaysWhichHookFailedAndWhatItSaid) {
  FakeGroup g;
  g.add("db");
  Probe probe;
  probe.init_result = 3;
  probe.attach(g.service("db"), false, true, true);
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  EXPECT_EQ(g.reason(r, "db"), "post_start_init failed: it returned 3");
  EXPECT_TRUE(g.containers_of("db").empty()) << "a container that did not come up is removed";
}

TEST(Executor, AServiceWithoutAPingWhoseContainerExitsAtOnceFailsWithItsLogs) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  g.fake.exits_on_start("db", 1, "starting\nbad config\n");
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  std::string reason = g.reason(r, "db");
  EXPECT_NE(reason.find("container exited with code 1 right after it started"), std::string::npos)
      << reason;
  EXPECT_NE(reason.find("bad config"), std::string::npos) << reason;
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Skipped);
  EXPECT_TRUE(g.containers_of("db").empty());
}

TEST(Executor, AContainerThatExitsWhilePingedFailsAtOnceNotAtTheTimeout) {
  FakeGroup g;
  g.add("db").timeout = 600;
  Probe probe;
  probe.ready_after = 0;  // never ready
  probe.attach(g.service("db"), false, true, false);
  probe.on_ping = [&] {
    if (probe.ping.load() == 2) g.fake.exit("db", 3);
  };
  auto began = Clock::now();
  Result r = g.start();
  EXPECT_LT(seconds_since(began), kBoundSeconds);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  EXPECT_NE(g.reason(r, "db").find("exited with code 3 while waiting for it to be ready"),
            std::string::npos)
      << g.reason(r, "db");
}

TEST(Executor, APingThatNeverAnswersReadyFailsAtTheServicesTimeout) {
  FakeGroup g;
  g.add("db").timeout = 0.3;
  Probe probe;
  probe.ready_after = 0;
  probe.attach(g.service("db"), false, true, false);
  Result r = g.start();
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  EXPECT_NE(g.reason(r, "db").find("not ready after 0.3 s: ping returned not-ready"),
            std::string::npos)
      << g.reason(r, "db");
  EXPECT_GE(probe.ping.load(), 2) << "pinged again every 0.1 s";
}

// ---- deadlines from the operation's timeout ----

TEST(Executor, AFrozenEngineFailsTheServiceWithinItsStepLimit) {
  FakeGroup g;
  g.add("db").timeout = 1;  // each engine step: at least 10 s
  g.add("cache");
  g.fake.script("container_start", "db", hang());
  auto began = Clock::now();
  Result r = g.start();
  double took = seconds_since(began);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Failed);
  EXPECT_NE(g.reason(r, "db").find("the 10 s limit for each engine step of service 'db' ran out"),
            std::string::npos)
      << g.reason(r, "db");
  EXPECT_EQ(g.outcome(r, "cache"), Outcome::Kind::Started);
  EXPECT_GE(took, 9.0);
  EXPECT_LT(took, 10 + kBoundSeconds);
}

// ---- cancel at each phase ----

TEST(Executor, ACancelDuringTheImageStepCreatesNothing) {
  FakeGroup g;
  g.add("db");
  g.fake.script("image_inspect", "", cancel_first(g.token));
  Result r = g.start();
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.reason(r, "db"), "cancelled before it started");
  EXPECT_EQ(g.fake.count("container_create"), 0u);
}

TEST(Executor, ACancelDuringACreateRemovesTheNewContainer) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  g.fake.script("container_create", "db", cancel_first(g.token));
  Result r = g.start();
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.fake.count("container_start"), 0u);
  EXPECT_TRUE(g.fake.containers().empty());
}

TEST(Executor, ACancelDuringAStartEndsThePingAndRemovesTheContainer) {
  FakeGroup g;
  g.add("db").timeout = 600;
  g.add("app", {"db"});
  Probe probe;
  probe.ready_after = 0;
  probe.attach(g.service("db"), false, true, true);
  g.fake.script("container_start", "db", cancel_first(g.token));
  auto began = Clock::now();
  Result r = g.start();
  EXPECT_LT(seconds_since(began), kBoundSeconds);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Cancelled);
  EXPECT_EQ(probe.init.load(), 0);
  EXPECT_TRUE(g.fake.containers().empty());
}

TEST(Executor, ACancelDuringAPingEndsItAtOnce) {
  FakeGroup g;
  g.add("db").timeout = 600;
  g.add("quick");
  Probe probe;
  probe.ready_after = 0;
  probe.attach(g.service("db"), false, true, true);
  probe.on_ping = [&] {
    if (probe.ping.load() == 3) g.token.cancel();
  };
  auto began = Clock::now();
  Result r = g.start();
  EXPECT_LT(seconds_since(began), kBoundSeconds);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Cancelled);
  // Cancelled in the ping's wait, or in the ping itself when the cancel is
  // seen before the hook returns.
  EXPECT_EQ(g.reason(r, "db").rfind("cancelled while ", 0), 0u) << g.reason(r, "db");
  EXPECT_EQ(g.outcome(r, "quick"), Outcome::Kind::Started)
      << "work finished before the cancel stands";
  EXPECT_TRUE(g.containers_of("db").empty());
}

TEST(Executor, ACancelDuringAnInitLetsItFinishAndStopsTheDependants) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  Probe probe;
  probe.attach(g.service("db"), false, true, true);
  probe.on_init = [&] { g.token.cancel(); };
  Result r = g.start();
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(probe.init.load(), 1);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started) << g.reason(r, "db");
  EXPECT_EQ(g.containers_of("db").at(0).name, g.final_name("db"));
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.fake.count("container_start", "app"), 0u);
}

TEST(Executor, ACancelDuringAStopFinishesThatStopAndLeavesTheRestRunning) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  g.add("front", {"app"});
  ASSERT_EQ(g.start().failures(), 0u);
  g.fake.script("container_stop", "front", cancel_first(g.token));
  Result r = g.stop();
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(g.outcome(r, "front"), Outcome::Kind::Stopped);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.reason(r, "app"), "cancelled before it was stopped");
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.containers_of("db").at(0).state, "running");
  EXPECT_EQ(g.first("db", Phase::Stopping), -1) << g.dump();
}

CancelToken* g_sigterm_token = nullptr;
extern "C" void cancel_on_sigterm(int) { g_sigterm_token->cancel(); }

TEST(Executor, ASigtermHandlerCancelsTheStartThroughTheToken) {
  FakeGroup g;
  g.add("db").timeout = 600;
  g.add("app", {"db"});
  Probe probe;
  probe.ready_after = 0;
  probe.attach(g.service("db"), false, true, false);
  g_sigterm_token = &g.token;
  struct sigaction action {
  }, previous{};
  action.sa_handler = cancel_on_sigterm;
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(::sigaction(SIGTERM, &action, &previous), 0);
  probe.on_ping = [&] {
    if (probe.ping.load() == 2) ::kill(::getpid(), SIGTERM);
  };
  auto began = Clock::now();
  Result r = g.start();
  ::sigaction(SIGTERM, &previous, nullptr);
  g_sigterm_token = nullptr;
  EXPECT_LT(seconds_since(began), kBoundSeconds);
  EXPECT_TRUE(r.cancelled);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Cancelled);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Cancelled);
  EXPECT_TRUE(g.fake.containers().empty());
}

TEST(Executor, TheCancelIsNotStickyTheNextOperationRuns) {
  FakeGroup g;
  g.add("db");
  g.token.cancel();
  g.token.reset();  // as the C API does when an operation begins
  Result r = g.start();
  EXPECT_FALSE(r.cancelled);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Started);
}

// ---- stop and reload ----

TEST(Executor, AStopTakesDependantsDownFirstAndAFailedOneStillReleasesTheRest) {
  FakeGroup g;
  g.add("db");
  g.add("app", {"db"});
  g.add("web", {"db"});
  ASSERT_EQ(g.start().failures(), 0u);
  g.fake.script("container_stop", "web", fail(Error::Code::Engine, "engine refused to stop (500)"));
  orchestrator::StopOptions options;
  options.timeout = 7;
  Result r = g.stop(options);
  EXPECT_EQ(g.outcome(r, "web"), Outcome::Kind::Failed);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Stopped);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Stopped);
  std::vector<std::string> stops = g.fake.subjects("container_stop");
  ASSERT_EQ(stops.size(), 3u);
  EXPECT_EQ(stops.back(), "db");
  EXPECT_EQ(g.containers_of("db").at(0).last_grace, 7);
}

TEST(Executor, AStopRoundsAFractionOfAGracePeriodUpToAWholeSecond) {
  FakeGroup g;
  g.add("db");
  ASSERT_EQ(g.start().failures(), 0u);
  orchestrator::StopOptions options;
  options.timeout = 0.2;  // 0 would kill at once; the container gets 1 s
  Result r = g.stop(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Stopped);
  EXPECT_EQ(g.containers_of("db").at(0).last_grace, 1);
}

TEST(Executor, AStopWithRemoveTakesContainersOrphansAndTheNetwork) {
  FakeGroup g;
  g.add("db");
  ASSERT_EQ(g.start().failures(), 0u);
  engine::ContainerSpec orphan = g.spec_of("db");
  orphan.name = g.def().name + "-gone-1";
  orphan.labels[orchestrator::kServiceLabel] = "gone";
  g.fake.add_container(orphan, "running");
  orchestrator::StopOptions options;
  options.remove = true;
  Result r = g.stop(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Removed);
  EXPECT_TRUE(g.fake.containers().empty());
  EXPECT_FALSE(g.fake.has_network(g.def().network));
}

// A network an earlier start made under another name (start --network-name)
// is the group's too: found by its label, not by the name of this run.
TEST(Executor, AStopWithRemoveTakesEveryNetworkLabelledForTheGroupWhateverItsName) {
  FakeGroup g;
  g.add("db");
  ASSERT_EQ(g.start().failures(), 0u);
  const std::string custom = "custom-" + g.def().name;
  g.fake.network_create(custom, orchestrator::network_labels(g.def()));
  const std::string foreign = "foreign-" + g.def().name;  // another group's
  g.fake.network_create(foreign, {{orchestrator::kGroupLabel, g.def().name + "-other"}});
  orchestrator::StopOptions options;
  options.remove = true;
  Result r = g.stop(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Removed);
  EXPECT_FALSE(g.fake.has_network(g.def().network));
  EXPECT_FALSE(g.fake.has_network(custom)) << g.dump();
  EXPECT_TRUE(g.fake.has_network(foreign));
  EXPECT_EQ(g.fake.count("network_remove"), 2u) << "the group's two, not the foreign one";
}

TEST(Executor, AStopWithRemoveLeavesALabelledNetworkSomethingElseStillUses) {
  FakeGroup g;
  g.add("db");
  ASSERT_EQ(g.start().failures(), 0u);
  const std::string custom = "custom-" + g.def().name;
  g.fake.network_create(custom, orchestrator::network_labels(g.def()));
  engine::ContainerSpec outsider;  // not the group's: stop leaves it running
  outsider.name = "outsider-" + g.def().name;
  outsider.body.set("Image", kImage);
  Json host = Json::object();
  host.set("NetworkMode", custom);
  outsider.body.set("HostConfig", std::move(host));
  g.fake.add_container(outsider, "running");
  orchestrator::StopOptions options;
  options.remove = true;
  Result r = g.stop(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Removed);
  EXPECT_FALSE(g.fake.has_network(g.def().network));
  EXPECT_TRUE(g.fake.has_network(custom));
  bool said_why = false;
  for (const auto& e : g.events())
    said_why |=
        e.phase == Phase::Detail &&
        e.message == "network '" + custom + "' is still used by 1 container(s); left in place";
  EXPECT_TRUE(said_why) << g.dump();
}

TEST(Executor, AReloadBuildsFirstThenRestartsTheServiceAndItsDependants) {
  FakeGroup g;
  g.add("db");
  model::ServiceDef& app = g.add("app", {"db"});
  app.image = "app:dev";
  app.build_context = "/srv/app";
  g.add("web", {"app"});
  ASSERT_EQ(g.start().failures(), 0u) << g.dump();
  std::string db_id = g.containers_of("db").at(0).id;
  std::string old_image = g.fake.container("app")->image_id;
  Result r = g.reload("app");
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Reloaded) << g.reason(r, "app");
  EXPECT_EQ(g.outcome(r, "web"), Outcome::Kind::Restarted) << "stopped, then started again";
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::AlreadyRunning);
  EXPECT_EQ(g.containers_of("db").at(0).id, db_id) << "its dependency kept running";
  EXPECT_NE(g.fake.container("app")->image_id, old_image);
  // Built before anything was stopped; the replaced image removed.
  std::vector<FakeClient::Call> calls = g.fake.calls();
  long built = -1, stopped = -1;
  for (size_t i = 0; i < calls.size(); i++) {
    if (calls[i].call == "image_build" && built < 0) built = static_cast<long>(i);
    if (calls[i].call == "container_stop" && stopped < 0 && built >= 0)
      stopped = static_cast<long>(i);
  }
  EXPECT_GE(built, 0);
  EXPECT_LT(built, stopped);
  EXPECT_EQ(g.fake.count("image_remove", old_image), 1u);
}

TEST(Executor, AReloadStopsTheServiceAndItsDependantsWithItsStopTimeout) {
  FakeGroup g;
  g.add("db");
  model::ServiceDef& app = g.add("app", {"db"});
  app.image = "app:dev";
  app.build_context = "/srv/app";
  g.add("web", {"app"});
  ASSERT_EQ(g.start().failures(), 0u) << g.dump();
  orchestrator::ReloadOptions options;
  options.stop_timeout = 4;
  Result r = g.reload("app", options);
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Reloaded) << g.reason(r, "app");
  EXPECT_EQ(g.outcome(r, "web"), Outcome::Kind::Restarted);
  EXPECT_EQ(g.containers_of("web").at(0).last_grace, 4) << "stopped with the reload's grace";
  EXPECT_EQ(g.containers_of("db").at(0).last_grace, -1) << "its dependency was never stopped";
}

// A reload with run_new_containers: the dependants it restarts get new
// containers whose pre_start and init run again, as a start with that option
// gives; their dependency is left alone. Without it (the reload before), the
// same dependants' containers are started again, with no pre_start or init.
TEST(Executor, AReloadWithRunNewContainersGivesTheDependantsNewContainersAndInitsThem) {
  for (bool run_new : {false, true}) {
    SCOPED_TRACE(run_new ? "with run_new_containers" : "without");
    FakeGroup g;
    g.add("db");
    model::ServiceDef& app = g.add("app", {"db"});
    app.image = "app:dev";
    app.build_context = "/srv/app";
    g.add("web", {"app"});
    g.add("edge", {"web"});
    Probe web, edge, db;
    web.attach(g.service("web"));
    edge.attach(g.service("edge"));
    db.attach(g.service("db"));
    ASSERT_EQ(g.start().failures(), 0u) << g.dump();
    std::string db_id = g.containers_of("db").at(0).id;
    std::string web_id = g.containers_of("web").at(0).id;
    std::string edge_id = g.containers_of("edge").at(0).id;
    ASSERT_EQ(web.init.load(), 1);

    orchestrator::ReloadOptions options;
    options.run_new_containers = run_new;
    Result r = g.reload("app", options);
    EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Reloaded) << g.reason(r, "app");
    EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::AlreadyRunning);
    EXPECT_EQ(db.init.load(), 1) << "its dependency was left alone";
    ASSERT_EQ(g.containers_of("db").size(), 1u);
    EXPECT_EQ(g.containers_of("db").at(0).id, db_id);
    for (auto* probe : {&web, &edge}) {
      const std::string name = probe == &web ? "web" : "edge";
      const std::string old_id = probe == &web ? web_id : edge_id;
      SCOPED_TRACE(name);
      std::vector<FakeContainer> left = g.containers_of(name);
      ASSERT_EQ(left.size(), 1u) << "the outdated container is not left behind";
      EXPECT_EQ(left.at(0).state, "running");
      EXPECT_EQ(probe->ping.load(), 2) << "pinged again either way";
      if (run_new) {
        EXPECT_EQ(g.outcome(r, name), Outcome::Kind::Started) << g.reason(r, name);
        EXPECT_NE(left.at(0).id, old_id);
        EXPECT_EQ(probe->pre_start.load(), 2);
        EXPECT_EQ(probe->init.load(), 2);
        std::lock_guard<std::mutex> lock(probe->mutex);
        EXPECT_EQ(probe->container_ids.back(), left.at(0).id) << "init saw the new container";
      } else {
        EXPECT_EQ(g.outcome(r, name), Outcome::Kind::Restarted) << g.reason(r, name);
        EXPECT_EQ(left.at(0).id, old_id);
        EXPECT_EQ(probe->pre_start.load(), 1);
        EXPECT_EQ(probe->init.load(), 1);
      }
    }
  }
}

TEST(Executor, AFailedReloadBuildLeavesEverythingRunning) {
  FakeGroup g;
  model::ServiceDef& app = g.add("app");
  app.image = "app:dev";
  app.build_context = "/srv/app";
  ASSERT_EQ(g.start().failures(), 0u);
  g.fake.script("image_build", "app:dev",
                fail(Error::Code::Engine, "The command '/bin/sh -c false' returned 1"));
  Result r = g.reload("app");
  EXPECT_EQ(g.outcome(r, "app"), Outcome::Kind::Failed);
  EXPECT_EQ(g.fake.count("container_stop"), 0u);
  EXPECT_EQ(g.containers_of("app").at(0).state, "running");
}

// ---- a service's own stop_grace_period ----

TEST(Executor, AServicesStopGracePeriodWinsOverTheStopsTimeout) {
  FakeGroup g;
  g.add("db").stop_grace_period = 0.5;
  g.add("app", {"db"});
  ASSERT_EQ(g.start().failures(), 0u);
  orchestrator::StopOptions options;
  options.timeout = 30;
  Result r = g.stop(options);
  EXPECT_EQ(g.outcome(r, "db"), Outcome::Kind::Stopped);
  EXPECT_EQ(g.containers_of("db").at(0).last_grace, 1) << "its own, rounded up";
  EXPECT_EQ(g.containers_of("app").at(0).last_grace, 30) << "the stop's";
}

TEST(Executor, AReloadStopsAServiceWithItsOwnStopGracePeriod) {
  FakeGroup g;
  model::ServiceDef& app = g.add("app");
  app.image = "app:dev";
  app.build_context = "/srv/app";
  g.add("web", {"app"}).stop_grace_period = 0;
  ASSERT_EQ(g.start().failures(), 0u) << g.dump();
  orchestrator::ReloadOptions options;
  options.stop_timeout = 4;
  Result r = g.reload("app", options);
  EXPECT_EQ(g.outcome(r, "web"), Outcome::Kind::Restarted) << g.reason(r, "web");
  EXPECT_EQ(g.containers_of("web").at(0).last_grace, 0) << "killed at once, as it asks";
}

}  // namespace
}  // namespace dm::testing
