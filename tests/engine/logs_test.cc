#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine_fixture.h"

namespace dm::engine {
namespace {

using LogsTest = testing::EngineTest;

struct Split {
  std::string out, err;
};

Split read_logs(Client& client, const std::string& id, LogOptions options = {}) {
  Split split;
  client.container_logs(id, options, [&](LogStream stream, const std::string& data) {
    (stream == LogStream::Stdout ? split.out : split.err) += data;
    return true;
  });
  return split;
}

TEST_F(LogsTest, StdoutAndStderrAreSeparated) {
  std::string id = client_->container_create(sh_spec("echo out; echo err >&2; echo out2"));
  client_->container_start(id);
  ASSERT_EQ(client_->container_wait(id).value_or(-1), 0);
  Split split = read_logs(*client_, id);
  EXPECT_EQ(split.out, "out\nout2\n");
  EXPECT_EQ(split.err, "err\n");

  LogOptions only_err;
  only_err.stdout_ = false;
  EXPECT_EQ(read_logs(*client_, id, only_err).out, "");
  EXPECT_EQ(read_logs(*client_, id, only_err).err, "err\n");
}

TEST_F(LogsTest, TailGivesTheLastLines) {
  std::string id = client_->container_create(sh_spec("for i in 1 2 3 4 5; do echo line$i; done"));
  client_->container_start(id);
  client_->container_wait(id);
  EXPECT_EQ(client_->logs_tail(id, 2), "line4\nline5\n");
  EXPECT_EQ(client_->logs_tail(id, 0), "");
}

TEST_F(LogsTest, TtyContainersAreReadRaw) {
  ContainerSpec spec = sh_spec("echo on-a-terminal; echo err >&2");
  spec.body.set("Tty", true);
  std::string id = client_->container_create(spec);
  client_->container_start(id);
  client_->container_wait(id);
  Split split = read_logs(*client_, id);
  EXPECT_EQ(split.out, "on-a-terminal\r\nerr\r\n");  // one stream, terminal line ends
  EXPECT_EQ(split.err, "");
}

TEST_F(LogsTest, FollowEndsWithTheContainer) {
  std::string id = client_->container_create(sh_spec("echo a; sleep 0.5; echo b"));
  client_->container_start(id);
  LogOptions follow;
  follow.follow = true;
  Split split = read_logs(*client_, id, follow);
  EXPECT_EQ(split.out, "a\nb\n");
}

TEST_F(LogsTest, FollowStopsOnCancelOrWhenTheCallbackSaysSo) {
  std::string id = client_->container_create(
      sh_spec("trap 'exit 0' TERM; echo first; while true; do sleep 0.2; done"));
  client_->container_start(id);
  LogOptions follow;
  follow.follow = true;

  std::string seen;
  client_->container_logs(id, follow, [&](LogStream, const std::string& data) {
    seen += data;
    return false;  // enough
  });
  EXPECT_EQ(seen, "first\n");

  CancelToken cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.cancel();
  });
  auto start = std::chrono::steady_clock::now();
  client_->container_logs(
      id, follow, [](LogStream, const std::string&) { return true; }, &cancel);
  canceller.join();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 1.5);
}

}  // namespace
}  // namespace dm::engine
