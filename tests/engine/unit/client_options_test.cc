// Opening a client without an engine: the TLS setting is checked, and the
// client says how it reaches the engine (over a fake engine on a socket).
#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/client.h"
#include "support/fake_engine.h"

namespace dm::engine {
namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;

TEST(ClientOptionsCheck, ATlsSettingOtherThanMinusOneZeroOrOneIsInvalid) {
  for (int value : {2, -2, 42, INT32_MIN}) {
    ClientOptions options;
    options.host = "tcp://127.0.0.1:1";
    options.tls_verify = value;
    try {
      Client::open(options);
      ADD_FAILURE() << value << " was taken";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Error::Code::Invalid);
      std::string m = e.what();
      EXPECT_NE(m.find("tls_verify " + std::to_string(value)), std::string::npos) << m;
      EXPECT_NE(m.find("-1 (follow DOCKER_TLS_VERIFY), 0"), std::string::npos) << m;
    }
  }
}

TEST(ClientOptionsCheck, TheTransportIsDescribedPrecisely) {
  EXPECT_EQ(describe_transport(parse_address("unix:///var/run/docker.sock", false), false),
            "unix socket");
  EXPECT_EQ(describe_transport(parse_address("tcp://10.0.0.5:2375", false), false),
            "tcp, plain (no TLS)");
  EXPECT_EQ(describe_transport(parse_address("tcp://10.0.0.5:2376", true), true),
            "tcp, TLS with verification");
  // TLS never applies to a socket.
  EXPECT_EQ(describe_transport(parse_address("unix:///s", true), true), "unix socket");
}

TEST(ClientOptionsCheck, AnOpenClientSaysItUsesAUnixSocket) {
  FakeEngine fake(FakeAnswer::standard);
  ClientOptions options;
  options.host = fake.address();
  options.tls_verify = 1;  // ignored for a socket, as the docker command does
  EXPECT_EQ(Client::open(options)->transport(), "unix socket");
}

}  // namespace
}  // namespace dm::engine
