// The in-process fake engine (tests/support/fake_client.h) behaves like the
// engine where the scheduler's tests rely on it: container states, names,
// waits, label filters, networks and images, and its scripted delays,
// hangs and failures end as a real client's requests do.
#include "support/fake_client.h"

#include <gtest/gtest.h>

#include <thread>

#include "engine/deadline.h"

namespace dm::testing {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kBoundSeconds = 30;

engine::ContainerSpec spec(const std::string& name, const std::string& service = "",
                           const std::string& group = "g") {
  engine::ContainerSpec s;
  s.name = name;
  s.body.set("Image", "busybox:latest");
  if (!service.empty()) {
    s.labels["io.drillmaster.group"] = group;
    s.labels["io.drillmaster.service"] = service;
  }
  return s;
}

Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no dm::Error";
  return Error(Error::Code::Internal, "no error");
}

struct FakeClientTest : ::testing::Test {
  FakeClient fake;
  void SetUp() override { fake.add_image("busybox:latest"); }
};

TEST_F(FakeClientTest, AContainerIsCreatedThenRunningThenExited) {
  std::string id = fake.container_create(spec("g-db-1", "db"));
  EXPECT_EQ(fake.container_inspect(id).state, "created");
  EXPECT_TRUE(fake.container_list({}, false).empty()) << "only running ones without all";
  fake.container_start(id);
  engine::ContainerInfo info = fake.container_inspect("g-db-1");
  EXPECT_TRUE(info.running);
  EXPECT_EQ(info.id, id);
  ASSERT_EQ(fake.container_list({}, false).size(), 1u);
  fake.container_stop(id, 7);
  info = fake.container_inspect(id);
  EXPECT_EQ(info.state, "exited");
  EXPECT_FALSE(info.running);
  EXPECT_EQ(fake.container("db")->last_grace, 7);
  fake.container_remove(id, false, false);
  EXPECT_EQ(error_of([&] { fake.container_inspect(id); }).code(), Error::Code::NotFound);
}

TEST_F(FakeClientTest, CreateRefusesATakenNameAMissingImageAndAMissingNetwork) {
  fake.container_create(spec("taken"));
  EXPECT_EQ(error_of([&] { fake.container_create(spec("taken")); }).code(), Error::Code::Conflict);
  engine::ContainerSpec no_image = spec("x");
  no_image.body.set("Image", "nowhere:1");
  EXPECT_EQ(error_of([&] { fake.container_create(no_image); }).code(), Error::Code::NotFound);
  engine::ContainerSpec no_network = spec("y");
  no_network.body.set("HostConfig", std::move(Json::object().set("NetworkMode", "nonet")));
  EXPECT_EQ(error_of([&] { fake.container_create(no_network); }).code(), Error::Code::NotFound);
  fake.network_create("nonet", {});
  EXPECT_NO_THROW(fake.container_create(no_network));
}

TEST_F(FakeClientTest, RenameMovesTheNameAndRefusesOneInUse) {
  std::string a = fake.container_create(spec("a.setup"));
  fake.container_create(spec("b"));
  EXPECT_EQ(error_of([&] { fake.container_rename(a, "b"); }).code(), Error::Code::Conflict);
  fake.container_rename(a, "a");
  EXPECT_EQ(fake.container_inspect("a").id, a);
  EXPECT_EQ(error_of([&] { fake.container_inspect("a.setup"); }).code(), Error::Code::NotFound);
}

TEST_F(FakeClientTest, ARunningContainerIsRemovedOnlyByForce) {
  std::string id = fake.container_create(spec("a"));
  fake.container_start(id);
  EXPECT_EQ(error_of([&] { fake.container_remove(id, false, false); }).code(),
            Error::Code::Conflict);
  fake.container_remove(id, true, false);
  EXPECT_TRUE(fake.containers().empty());
}

TEST_F(FakeClientTest, AWaitReturnsTheExitCodeOnceTheContainerStops) {
  std::string id = fake.container_create(spec("a", "a"));
  fake.container_start(id);
  std::optional<int64_t> code;
  std::thread waiter([&] { code = fake.container_wait(id, nullptr); });
  fake.exit("a", 3);
  waiter.join();
  EXPECT_EQ(code, 3);
}

TEST_F(FakeClientTest, AWaitEndsWhenItsTokenIsCancelled) {
  std::string id = fake.container_create(spec("a"));
  fake.container_start(id);
  CancelToken cancel;
  std::thread canceller([&] { cancel.cancel(); });
  auto began = Clock::now();
  EXPECT_EQ(fake.container_wait(id, &cancel), std::nullopt);
  canceller.join();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - began).count(), kBoundSeconds);
  EXPECT_TRUE(fake.container_inspect(id).running);
}

TEST_F(FakeClientTest, AContainerThatExitsOnStartLeavesItsCodeAndLogs) {
  fake.exits_on_start("db", 1, "boom\nbad config\n");
  std::string id = fake.container_create(spec("g-db-1", "db"));
  fake.container_start(id);
  engine::ContainerInfo info = fake.container_inspect(id);
  EXPECT_FALSE(info.running);
  EXPECT_EQ(info.exit_code, 1);
  EXPECT_EQ(fake.logs_tail(id, 1), "bad config\n");
  EXPECT_EQ(fake.logs_tail(id, 20), "boom\nbad config\n");
  EXPECT_EQ(fake.container_wait(id, nullptr), 1) << "a wait on a stopped container returns at once";
}

TEST_F(FakeClientTest, ListsFilterByLabelValueOrPresenceNewestFirst) {
  fake.container_create(spec("g-a-1", "a", "g"));
  fake.container_create(spec("g-b-1", "b", "g"));
  fake.container_create(spec("h-a-1", "a", "h"));
  fake.container_create(spec("plain"));
  auto of_g = fake.container_list({{"io.drillmaster.group", "g"}}, true);
  ASSERT_EQ(of_g.size(), 2u);
  EXPECT_EQ(of_g[0].names[0], "g-b-1");
  EXPECT_EQ(of_g[1].names[0], "g-a-1");
  EXPECT_EQ(fake.container_list({{"io.drillmaster.service", ""}}, true).size(), 3u);
}

TEST_F(FakeClientTest, NetworksAreRefusedRemovalWhileAContainerRunsOnThem) {
  fake.network_create("net", {{"io.drillmaster.group", "g"}});
  EXPECT_EQ(error_of([&] { fake.network_create("net", {}); }).code(), Error::Code::Conflict);
  engine::ContainerSpec on_net = spec("a");
  on_net.body.set("HostConfig", std::move(Json::object().set("NetworkMode", "net")));
  std::string id = fake.container_create(on_net);
  fake.container_start(id);
  EXPECT_EQ(fake.network_inspect("net").container_ids.size(), 1u);
  EXPECT_EQ(error_of([&] { fake.network_remove("net"); }).code(), Error::Code::Conflict);
  fake.container_stop(id, 1);
  fake.network_remove("net");
  EXPECT_FALSE(fake.has_network("net"));
  EXPECT_EQ(error_of([&] { fake.network_inspect("net"); }).code(), Error::Code::NotFound);
}

TEST_F(FakeClientTest, ImagesArePulledOnlyWhenTheRegistryHasThemAndABuildReplacesOne) {
  EXPECT_EQ(fake.image_inspect("redis:7"), std::nullopt);
  EXPECT_EQ(error_of([&] { fake.image_pull("redis:7", nullptr, nullptr); }).code(),
            Error::Code::Engine);
  fake.pullable("redis:7");
  fake.image_pull("redis:7", nullptr, nullptr);
  EXPECT_TRUE(fake.image_inspect("redis:7").has_value());

  engine::BuildOptions build;
  build.tag = "app:dev";
  std::string first = fake.image_build(build, nullptr);
  std::string second = fake.image_build(build, nullptr);
  EXPECT_NE(first, second);
  EXPECT_EQ(fake.image_inspect("app:dev")->id, second);
  engine::ContainerSpec s = spec("uses-app");
  s.body.set("Image", "app:dev");
  fake.container_create(s);
  EXPECT_EQ(error_of([&] { fake.image_remove("app:dev", false); }).code(), Error::Code::Conflict);
}

TEST_F(FakeClientTest, AScriptedFailureAppliesToItsSubjectForItsNumberOfCalls) {
  Script s = fail(Error::Code::Engine, "engine refused to start container (500): boom");
  s.times = 1;
  fake.script("container_start", "db", s);
  std::string db = fake.container_create(spec("g-db-1", "db"));
  std::string app = fake.container_create(spec("g-app-1", "app"));
  EXPECT_NO_THROW(fake.container_start(app));
  Error e = error_of([&] { fake.container_start(db); });
  EXPECT_EQ(e.code(), Error::Code::Engine);
  EXPECT_STREQ(e.what(), "engine refused to start container (500): boom");
  EXPECT_NO_THROW(fake.container_start(db)) << "only once";
  EXPECT_EQ(fake.subjects("container_start"), (std::vector<std::string>{"app", "db", "db"}));
}

TEST_F(FakeClientTest, AHungCallEndsAtTheThreadsEngineDeadline) {
  fake.script("container_create", "", hang());
  auto began = Clock::now();
  Error e = error_of([&] {
    engine::ScopedDeadline step(0.2, "the test's 0.2 s limit");
    fake.container_create(spec("a", "a"));
  });
  EXPECT_EQ(e.code(), Error::Code::Timeout);
  EXPECT_NE(std::string(e.what()).find("the test's 0.2 s limit ran out"), std::string::npos)
      << e.what();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - began).count(), kBoundSeconds);
  EXPECT_TRUE(fake.containers().empty());
}

TEST_F(FakeClientTest, ACallMadeAfterTheDeadlinePassedFailsAtOnce) {
  engine::ScopedDeadline step(0, "a spent limit");
  Error e = error_of([&] { fake.container_list({}, true); });
  EXPECT_EQ(e.code(), Error::Code::Timeout);
  EXPECT_NE(std::string(e.what()).find("no time was left"), std::string::npos) << e.what();
}

TEST_F(FakeClientTest, ADelayShorterThanTheDeadlineAnswers) {
  fake.script("container_create", "a", delay(0.05));
  engine::ScopedDeadline step(30, "a long limit");
  EXPECT_NO_THROW(fake.container_create(spec("g-a-1", "a")));
}

TEST_F(FakeClientTest, CountsCallsUnderWayAtOnce) {
  std::mutex m;
  std::condition_variable cv;
  int inside = 0;
  Script meet;
  // Each create returns only once both are inside: they overlapped.
  meet.before = [&] {
    std::unique_lock<std::mutex> lock(m);
    inside++;
    cv.notify_all();
    cv.wait_until(lock, Clock::now() + std::chrono::seconds(30), [&] { return inside >= 2; });
  };
  fake.script("container_create", "", meet);
  std::thread a([&] { fake.container_create(spec("a")); });
  std::thread b([&] { fake.container_create(spec("b")); });
  a.join();
  b.join();
  EXPECT_EQ(fake.max_concurrent("container_create"), 2u);
  EXPECT_EQ(fake.count("container_create"), 2u);
}

}  // namespace
}  // namespace dm::testing
