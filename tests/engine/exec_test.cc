// Commands in a running container and the hijacked attach connection
// (engine/exec.h, engine/hijack.h), against the real engine: stdin copied in
// and closed at its end, stdout and stderr apart, the exit code, and the
// ends that are not the command's (a cancel, the timeout).
#include <gtest/gtest.h>
#include <unistd.h>

#include "engine/exec.h"
#include "engine/hijack.h"
#include "engine_fixture.h"

namespace dm::engine {
namespace {

using ExecTest = testing::EngineTest;

constexpr const char* kLoop = "trap 'exit 0' TERM; while :; do sleep 1; done";

// A pipe whose write end has `data` and is closed: an input with an end.
int input(const std::string& data) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  EXPECT_EQ(write(fds[1], data.data(), data.size()), static_cast<ssize_t>(data.size()));
  close(fds[1]);
  return fds[0];
}

TEST_F(ExecTest, GivesTheExitCodeAndTheOutputApartAndTakesStdin) {
  std::string id = client_->container_create(sh_spec(kLoop));
  client_->container_start(id);
  ExecSpec spec;
  spec.cmd = {"sh", "-c", "cat; echo err >&2; exit 6"};
  spec.attach_stdin = true;
  StreamIo io;
  io.in_fd = input("to stdin\n");
  ExecOutcome outcome = run_exec(*client_, id, spec, io);
  close(io.in_fd);
  EXPECT_EQ(outcome.end, StreamEnd::Closed);
  EXPECT_EQ(outcome.exit_code, 6);
  EXPECT_EQ(outcome.out, "to stdin\n");
  EXPECT_EQ(outcome.err, "err\n");
}

TEST_F(ExecTest, ACancelOrTheTimeoutEndsTheWait) {
  std::string id = client_->container_create(sh_spec(kLoop));
  client_->container_start(id);
  ExecSpec spec;
  spec.cmd = {"sleep", "30"};
  StreamIo timed;
  timed.timeout = 0.3;
  EXPECT_EQ(run_exec(*client_, id, spec, timed).end, StreamEnd::TimedOut);
  // Cancelled while it runs (once it said so), the wait ends at once.
  spec.cmd = {"sh", "-c", "echo started; sleep 30"};
  CancelToken cancel;
  StreamIo cancelled;
  cancelled.cancel = {&cancel};
  cancelled.on_output = [&](LogStream, const std::string&) {
    cancel.cancel();
    return true;
  };
  EXPECT_EQ(run_exec(*client_, id, spec, cancelled).end, StreamEnd::Cancelled);
}

TEST_F(ExecTest, ACommandInAContainerThatIsNotRunningIsAConflict) {
  std::string id = client_->container_create(sh_spec("exit 0"));
  ExecSpec spec;
  spec.cmd = {"true"};
  try {
    run_exec(*client_, id, spec, {});
    FAIL() << "exec in a created container ran";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Conflict) << e.what();
  }
}

TEST_F(ExecTest, AnAttachBeforeTheStartMissesNoOutput) {
  ContainerSpec spec = sh_spec("echo first; echo second >&2; exit 2");
  std::string id = client_->container_create(spec);
  auto connection = client_->container_attach(id, /*with_stdin=*/false, nullptr);
  client_->container_start(id);
  std::string out, err;
  StreamIo io;
  io.on_output = [&](LogStream stream, const std::string& data) {
    (stream == LogStream::Stderr ? err : out) += data;
    return true;
  };
  EXPECT_EQ(pump(*connection, /*tty=*/false, io), StreamEnd::Closed);
  EXPECT_EQ(out, "first\n");
  EXPECT_EQ(err, "second\n");
  EXPECT_EQ(client_->container_wait(id).value_or(-1), 2);
}

}  // namespace
}  // namespace dm::engine
