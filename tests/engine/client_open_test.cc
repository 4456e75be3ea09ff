// Opening a client: addresses from the environment, API version negotiation,
// and the errors for an engine that is not there.
#include <gtest/gtest.h>

#include <chrono>

#include "engine_fixture.h"

namespace dm::engine {
namespace {

using testing::ScopedEnv;

double minor_of(const std::string& version) { return std::stoi(version.substr(2)); }

TEST(ClientOpen, NegotiatesAVersionTheEngineAndWeBothSpeak) {
  ScopedEnv host("DOCKER_HOST", nullptr);
  ScopedEnv version("DOCKER_API_VERSION", nullptr);
  auto client = Client::open(ClientOptions{});
  EXPECT_EQ(client->address().text, "unix:///var/run/docker.sock");
  VersionInfo info = client->version();
  EXPECT_FALSE(info.version.empty());
  EXPECT_GE(minor_of(client->api_version()), 40);
  EXPECT_LE(minor_of(client->api_version()), 47);
  EXPECT_LE(minor_of(client->api_version()), minor_of(info.api_version));
  EXPECT_EQ(info.os, "linux");
  client->ping();
}

TEST(ClientOpen, DockerHostAndApiVersionFromTheEnvironment) {
  ScopedEnv host("DOCKER_HOST", "unix:///var/run/docker.sock");
  ScopedEnv version("DOCKER_API_VERSION", "1.40");
  auto client = Client::open(ClientOptions{});
  EXPECT_EQ(client->api_version(), "1.40");
  client->ping();
  // Explicit options win over the environment.
  ClientOptions options;
  options.api_version = "1.41";
  EXPECT_EQ(Client::open(options)->api_version(), "1.41");
}

TEST(ClientOpen, MalformedApiVersionIsInvalid) {
  ScopedEnv version("DOCKER_API_VERSION", "v1.41");
  try {
    Client::open(ClientOptions{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("'v1.41'"), std::string::npos) << e.what();
  }
}

TEST(ClientOpen, MalformedDockerHostIsInvalidAndNamed) {
  ScopedEnv host("DOCKER_HOST", "http://engine:2375");
  try {
    Client::open(ClientOptions{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("'http://engine:2375'"), std::string::npos) << e.what();
  }
}

void expect_unreachable_fast(const char* address) {
  ScopedEnv host("DOCKER_HOST", address);
  auto start = std::chrono::steady_clock::now();
  try {
    Client::open(ClientOptions{});
    ADD_FAILURE() << "opened " << address;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Unreachable) << e.what();
    std::string message = e.what();
    EXPECT_NE(message.find(std::string("cannot reach the Docker engine at ") + address),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("scripts/engine"), std::string::npos) << message;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 2.0) << address;
}

TEST(ClientOpen, MissingSocketIsUnreachableAtOnce) {
  expect_unreachable_fast("unix:///nonexistent");
}

TEST(ClientOpen, ClosedTcpPortIsUnreachableAtOnce) { expect_unreachable_fast("tcp://127.0.0.1:1"); }

TEST(ClientOpen, AnEngineThatNeverAnswersTimesOutNamingTheRequest) {
  // A listening socket nobody accepts from: the kernel completes the
  // connection, then nothing ever answers.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ClientOptions options;
  options.host = "tcp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  options.timeout = 0.5;
  auto start = std::chrono::steady_clock::now();
  try {
    Client::open(options);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Timeout) << e.what();
    std::string message = e.what();
    EXPECT_NE(message.find("ping the engine"), std::string::npos) << message;
    EXPECT_NE(message.find(options.host), std::string::npos) << message;
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);
  close(fd);
}

TEST(ClientOpen, TlsWithoutCertificatesNamesTheMissingFile) {
  ScopedEnv host("DOCKER_HOST", "tcp://127.0.0.1:1");
  ScopedEnv verify("DOCKER_TLS_VERIFY", "1");
  ScopedEnv certs("DOCKER_CERT_PATH", "/nonexistent-certs");
  try {
    Client::open(ClientOptions{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("/nonexistent-certs/ca.pem"), std::string::npos);
  }
}

}  // namespace
}  // namespace dm::engine
