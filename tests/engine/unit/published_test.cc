// Where a client on this machine connects for a published port, decided
// from container inspect answers as dockerd 20.10 gives them (engine/published.h):
// which binding is chosen, which host it becomes for a local and a tcp://
// engine, and what a container that publishes nothing, or is not running,
// or does not exist, gives.
#include "engine/published.h"

#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "engine/answers.h"
#include "support/fake_client.h"

namespace dm::engine {
namespace {

#define EXPECT_HAS(text, part) EXPECT_NE(std::string(text).find(part), std::string::npos) << (text)

// An inspect answer of a container in `state` whose NetworkSettings.Ports is `ports`.
ContainerInfo inspected(const std::string& ports, const std::string& state = "running") {
  std::string running = state == "running" ? "true" : "false";
  return parse_container_inspect(R"({"Id":"772ca6833abc","Name":"/grp-db-1",
    "State":{"Status":")" + state +
                                 R"(","Running":)" + running +
                                 R"(,"ExitCode":0},
    "Config":{"Image":"busybox"},
    "NetworkSettings":{"Ports":)" +
                                 ports + "}}");
}

// Both sides of a port the engine picked, as 20.10 lists them (IPv4 first).
const char* kPicked = R"({"5432/tcp":[{"HostIp":"0.0.0.0","HostPort":"49153"},
                                      {"HostIp":"::","HostPort":"49153"}],
                         "9000/tcp":null})";

Address local() { return parse_address("unix:///var/run/docker.sock", false); }
Address remote() { return parse_address("tcp://docker.example:2376", true); }

// The message of the Error::Code::NotFound `call` throws; fails the test otherwise.
template <typename F>
std::string not_found(F&& call) {
  try {
    call();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TEST(ConnectAddress, AnyAddressOnALocalEngineIsTheLoopback) {
  HostAddress a = connect_address(inspected(kPicked), "5432/tcp", local(), "grp-db-1");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 49153);
}

TEST(ConnectAddress, AnyAddressOnATcpEngineIsTheEnginesHost) {
  HostAddress a = connect_address(inspected(kPicked), "5432/tcp", remote(), "grp-db-1");
  EXPECT_EQ(a.host, "docker.example");
  EXPECT_EQ(a.port, 49153);
  Address v6 = parse_address("tcp://[fd00::7]:2375", false);
  EXPECT_EQ(connect_address(inspected(kPicked), "5432/tcp", v6, "db").host, "fd00::7");
}

TEST(ConnectAddress, IPv4IsPreferredWhereverTheEngineListsIt) {
  // The engine picked different ports for the two sides (20.10 may): IPv4's
  // is the answer, whichever comes first.
  ContainerInfo info = inspected(R"({"5432/tcp":[{"HostIp":"::","HostPort":"49160"},
                                                 {"HostIp":"0.0.0.0","HostPort":"49153"}]})");
  HostAddress a = connect_address(info, "5432/tcp", local(), "db");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 49153);
}

TEST(ConnectAddress, AnIPv6OnlyBindingIsTheIPv6Loopback) {
  ContainerInfo info = inspected(R"({"5432/tcp":[{"HostIp":"::","HostPort":"49160"}]})");
  HostAddress a = connect_address(info, "5432/tcp", local(), "db");
  EXPECT_EQ(a.host, "::1");
  EXPECT_EQ(a.port, 49160);
  EXPECT_EQ(connect_address(info, "5432/tcp", remote(), "db").host, "docker.example");
}

TEST(ConnectAddress, AnEmptyHostIpIsEveryAddress) {
  ContainerInfo info = inspected(R"({"53/udp":[{"HostIp":"","HostPort":"5353"}]})");
  HostAddress a = connect_address(info, "53/udp", local(), "db");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 5353);
}

TEST(ConnectAddress, AnAddressOfItsOwnIsKeptLocallyAndRemotely) {
  ContainerInfo info = inspected(R"({"80/tcp":[{"HostIp":"127.0.0.2","HostPort":"8080"}]})");
  EXPECT_EQ(connect_address(info, "80/tcp", local(), "web").host, "127.0.0.2");
  EXPECT_EQ(connect_address(info, "80/tcp", remote(), "web").host, "127.0.0.2");
  ContainerInfo v6 = inspected(R"({"80/tcp":[{"HostIp":"::1","HostPort":"8080"}]})");
  EXPECT_EQ(connect_address(v6, "80/tcp", local(), "web").host, "::1");
}

TEST(ConnectAddress, APortNotPublishedNamesTheContainerThePortAndWhatIsPublished) {
  std::string m = not_found([] { connect_address(inspected(kPicked), "6000/tcp", local(), "x"); });
  EXPECT_EQ(m,
            "container 'grp-db-1' does not publish 6000/tcp (published: 5432/tcp on host port "
            "49153); add it to the service's ports");
  // Exposed but not published (null in the answer) is not published either.
  m = not_found([] { connect_address(inspected(kPicked), "9000/tcp", local(), "x"); });
  EXPECT_HAS(m, "does not publish 9000/tcp");
  // Another protocol is another port.
  m = not_found([] { connect_address(inspected(kPicked), "5432/udp", local(), "x"); });
  EXPECT_HAS(m, "does not publish 5432/udp");
  m = not_found([] { connect_address(inspected("{}"), "80/tcp", local(), "x"); });
  EXPECT_HAS(m, "(published: none)");
}

TEST(ConnectAddress, AContainerPublishingHundredsOfPortsGetsAShortMessage) {
  std::string ports = "{";
  for (int port = 1000; port < 1300; port++)
    ports += (port > 1000 ? "," : "") + std::string("\"") + std::to_string(port) +
             "/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"" + std::to_string(port + 30000) +
             "\"}]";
  ContainerInfo info = inspected(ports + "}");
  EXPECT_EQ(connect_address(info, "1299/tcp", local(), "x").port, 31299);
  std::string m = not_found([&] { connect_address(info, "80/tcp", local(), "x"); });
  EXPECT_LT(m.size(), 600u) << m;
  EXPECT_HAS(m, "1000/tcp on host port 31000");
  EXPECT_HAS(m, "bytes in all");
}

TEST(ConnectAddress, AStoppedContainerPublishesNothing) {
  std::string m =
      not_found([] { connect_address(inspected("{}", "exited"), "5432/tcp", local(), "x"); });
  EXPECT_EQ(m,
            "container 'grp-db-1' is not running (exited), so it publishes no ports and 5432/tcp "
            "has no host port; start it first");
}

TEST(PublishedAddress, AMissingContainerIsNotFoundNamingItAndThePort) {
  dm::testing::FakeClient fake;
  std::string m = not_found([&] { published_address(fake, "grp-nothing-1", "5432/tcp"); });
  EXPECT_HAS(m, "container 'grp-nothing-1' does not exist, so it publishes no 5432/tcp");
  EXPECT_HAS(m, "No such container");
}

TEST(PublishedAddress, OtherEngineFailuresPassThrough) {
  dm::testing::FakeClient fake;
  fake.script("container_inspect", "", dm::testing::fail(Error::Code::Unreachable, "gone"));
  try {
    published_address(fake, "db", "5432/tcp");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Unreachable);
  }
}

}  // namespace
}  // namespace dm::engine
