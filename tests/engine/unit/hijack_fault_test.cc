// An engine that breaks the hijacked connection of an exec in the middle of
// its output (a crash, a proxy that drops it): run_exec() fails with an
// error that says so, instead of passing half an output off as the whole.
#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "engine/client.h"
#include "engine/exec.h"
#include "support/fake_engine.h"

namespace dm::engine {
namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;
using dm::testing::FakeRequest;

// One stdout frame announced with 100 bytes, cut after its first 5.
const std::string kCutFrame = std::string("\x01\0\0\0\0\0\0\x64hello", 13);

dm::testing::FakeScript breaking(const std::string& output) {
  return [output](const FakeRequest& r) {
    if (r.method == "POST" && r.path == "/containers/c1/exec")
      return FakeAnswer::json(201, R"({"Id":"e1"})");
    if (r.method == "POST" && r.path == "/exec/e1/start") {
      FakeAnswer upgraded = FakeAnswer::text(101, output, "application/vnd.docker.raw-stream");
      upgraded.headers = {"Connection: Upgrade", "Upgrade: tcp"};
      upgraded.ending = FakeAnswer::Ending::NoLength;  // the output, then the connection closes
      return upgraded;
    }
    if (r.path == "/exec/e1/json") return FakeAnswer::json(200, R"({"Running":true})");
    return FakeAnswer::standard(r);
  };
}

std::unique_ptr<Client> open(const FakeEngine& fake) {
  ClientOptions options;
  options.host = fake.address();
  options.timeout = 5;
  return Client::open(options);
}

TEST(HijackFault, AConnectionCutInsideAFrameIsAnEngineErrorNotAShortOutput) {
  FakeEngine fake(breaking(kCutFrame));
  auto client = open(fake);
  ExecSpec spec;
  spec.cmd = {"cat", "/etc/motd"};
  try {
    run_exec(*client, "c1", spec, StreamIo{});
    FAIL() << "a cut output passed for a whole one";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine) << e.what();
    EXPECT_NE(std::string(e.what()).find("cut inside a frame"), std::string::npos) << e.what();
  }
  EXPECT_EQ(fake.count("POST", "/exec/e1/start"), 1u);
}

}  // namespace
}  // namespace dm::engine
