#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/client.h"

namespace dm::engine {
namespace {

TEST(ParseAddress, UnixSocket) {
  Address a = parse_address("unix:///var/run/docker.sock", false);
  EXPECT_EQ(a.kind, Address::Kind::Unix);
  EXPECT_EQ(a.socket_path, "/var/run/docker.sock");
  EXPECT_EQ(a.text, "unix:///var/run/docker.sock");
}

TEST(ParseAddress, TcpWithPort) {
  Address a = parse_address("tcp://10.0.0.5:2375", false);
  EXPECT_EQ(a.kind, Address::Kind::Tcp);
  EXPECT_EQ(a.host, "10.0.0.5");
  EXPECT_EQ(a.port, 2375);
  EXPECT_EQ(a.text, "tcp://10.0.0.5:2375");
}

TEST(ParseAddress, TcpDefaultPortDependsOnTls) {
  EXPECT_EQ(parse_address("tcp://docker.example", false).port, 2375);
  EXPECT_EQ(parse_address("tcp://docker.example", true).port, 2376);
  EXPECT_EQ(parse_address("tcp://docker.example", true).text, "tcp://docker.example:2376");
}

TEST(ParseAddress, BareHostPort) {
  Address a = parse_address("localhost:1234", false);
  EXPECT_EQ(a.kind, Address::Kind::Tcp);
  EXPECT_EQ(a.host, "localhost");
  EXPECT_EQ(a.port, 1234);
  EXPECT_EQ(a.text, "tcp://localhost:1234");
}

TEST(ParseAddress, TrailingSlashAndIpv6) {
  EXPECT_EQ(parse_address("tcp://h:1/", false).text, "tcp://h:1");
  Address v6 = parse_address("tcp://[::1]:2375", false);
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.text, "tcp://[::1]:2375");
}

TEST(ParseAddress, RefusesEverythingElseNamingTheValue) {
  for (const char* bad : {"http://x", "unix://", "unix://relative", "tcp://", "tcp://:x",
                          "tcp://:2375", "tcp://h:99999", "tcp://h:0", "tcp://h:12ab", "foo",
                          "", "host:", "ssh://me@host", "tcp://a b:1", "tcp://h:1:2"}) {
    try {
      parse_address(bad, false);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Error::Code::Invalid) << bad;
      EXPECT_EQ(std::string(e.what()),
                std::string("DOCKER_HOST '") + bad +
                    "' is not a valid engine address: use unix:///path/to/docker.sock or "
                    "tcp://host:port");
    }
  }
}

}  // namespace
}  // namespace dm::engine
