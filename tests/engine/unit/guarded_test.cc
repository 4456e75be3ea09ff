// No exception but dm::Error leaves a Client method: not one thrown by the
// caller's own callback (a progress line, a log chunk), whatever its type.
#include <gtest/gtest.h>

#include <stdexcept>

#include "common/error.h"
#include "engine/client.h"
#include "support/fake_engine.h"

namespace dm::engine {
namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;
using dm::testing::FakeRequest;

FakeAnswer streams(const FakeRequest& r) {
  if (r.path == "/images/create")
    return FakeAnswer::json(200, "{\"status\":\"Pulling from x\",\"id\":\"1\"}\n");
  if (r.path == "/containers/abc/logs")
    return FakeAnswer::text(200, std::string("\x01\0\0\0\0\0\0\x02hi", 10),
                            "application/vnd.docker.raw-stream");
  return FakeAnswer::standard(r);
}

std::unique_ptr<Client> open(const FakeEngine& fake) {
  ClientOptions options;
  options.host = fake.address();
  options.timeout = 5;
  return Client::open(options);
}

TEST(Guarded, AnExceptionFromTheCallersCallbackComesOutAsADmError) {
  FakeEngine fake(streams);
  auto client = open(fake);
  try {
    client->image_pull("x:1", [](const std::string&) { throw std::out_of_range("vector::at"); });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Internal);
    EXPECT_NE(std::string(e.what()).find("pull image 'x:1'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("vector::at"), std::string::npos) << e.what();
  }
  LogOptions options;
  options.tty = 0;
  try {
    client->container_logs("abc", options, [](LogStream, const std::string&) -> bool { throw 42; });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Internal);
    EXPECT_NE(std::string(e.what()).find("logs of container 'abc'"), std::string::npos);
  }
  // The client still works afterwards.
  EXPECT_NO_THROW(client->ping());
}

}  // namespace
}  // namespace dm::engine
