// Podman's Docker-compatible API in the client: the answers Podman 4.3 gives
// where Docker's differ (docs/podman.md), replayed by the fake engine with
// Podman's own bodies, reach the caller as Docker's would.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "common/error.h"
#include "engine/answers.h"
#include "engine/client.h"
#include "support/fake_engine.h"

namespace dm::engine {
namespace {

using dm::testing::FakeAnswer;
using dm::testing::FakeEngine;
using dm::testing::FakeRequest;

// What Podman 4.3.1 answered to each call, copied from its socket.
const char* const kNameInUse =
    R"({"cause":"that name is already in use","message":"container create: creating container )"
    R"(storage: the container name \"g-db-1\" is already in use by 1de9. You have to remove )"
    R"(that container to be able to reuse that name: that name is already in use",)"
    R"("response":500})";
const char* const kNetworkExists =
    R"({"cause":"network already exists","message":"network name g already used: network )"
    R"(already exists","response":500})";
const char* const kNetworkInUse =
    R"({"cause":"network is being used","message":"\"g\" has associated containers with it. )"
    R"(Use -f to forcibly delete containers and pods: network is being used","response":500})";
const char* const kNotRunning =
    R"({"cause":"container state improper","message":"can only kill running containers. )"
    R"(c14f is in state created: container state improper","response":500})";
const char* const kOtherFailure =
    R"({"cause":"no space left on device","message":"writing layer: no space left on )"
    R"(device","response":500})";

Error::Code code_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return Error::Code::Internal;
}

std::unique_ptr<Client> client_of(const FakeEngine& fake) {
  ClientOptions options;
  options.host = fake.address();
  return Client::open(options);
}

TEST(PodmanAnswers, ConflictsAnsweredWith500AreConflictsAsDockersAre) {
  FakeEngine fake([](const FakeRequest& r) {
    if (r.path == "/containers/create") return FakeAnswer::json(500, kNameInUse);
    if (r.path == "/networks/create") return FakeAnswer::json(500, kNetworkExists);
    if (r.method == "DELETE" && r.path == "/networks/g")
      return FakeAnswer::json(500, kNetworkInUse);
    if (r.path == "/containers/c14f/kill") return FakeAnswer::json(500, kNotRunning);
    return FakeAnswer::standard(r);
  });
  auto client = client_of(fake);
  ContainerSpec spec;
  spec.name = "g-db-1";
  EXPECT_EQ(code_of([&] { client->container_create(spec); }), Error::Code::Conflict);
  EXPECT_EQ(code_of([&] { client->network_create("g", {}); }), Error::Code::Conflict);
  EXPECT_EQ(code_of([&] { client->network_remove("g"); }), Error::Code::Conflict);
  EXPECT_EQ(code_of([&] { client->container_kill("c14f", ""); }), Error::Code::Conflict);
}

TEST(PodmanAnswers, AnyOther500IsAnEngineErrorInPodmansWords) {
  FakeEngine fake([](const FakeRequest& r) {
    if (r.path == "/networks/create") return FakeAnswer::json(500, kOtherFailure);
    return FakeAnswer::standard(r);
  });
  auto client = client_of(fake);
  try {
    client->network_create("g", {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_EQ(std::string(e.what()),
              "engine refused to create network 'g' (500): writing layer: no space left on device");
  }
}

TEST(PodmanAnswers, OnlyPodmansConflictCausesCount) {
  EXPECT_TRUE(podman_conflict(kNameInUse));
  EXPECT_TRUE(podman_conflict(kNetworkInUse));
  EXPECT_FALSE(podman_conflict(kOtherFailure));
  EXPECT_FALSE(podman_conflict(R"({"message":"that name is already in use"})"));
  EXPECT_FALSE(podman_conflict("that name is already in use"));  // not JSON
  EXPECT_FALSE(podman_conflict(""));
}

// A container of Podman's, stopped after it published port 80 on a port
// Podman picked, on every address.
const char* const kStoppedList =
    R"([{"Id":"6d451c20d6b4","Names":["/g-web-1"],)"
    R"("Image":"docker.io/drillmaster-test/busybox:latest","ImageID":"sha256:3a9b7da9d943",)"
    R"("Command":"sleep 1000","Created":1796253119,)"
    R"("Ports":[{"PrivatePort":80,"PublicPort":44377,"Type":"tcp"}],)"
    R"("Labels":{"io.buildah.version":"1.28.2"},"State":"exited",)"
    R"("Status":"Exited (137) Less than a second ago"}])";
const char* const kInspect =
    R"({"Id":"6d451c20d6b4","Name":"/g-web-1","Image":"sha256:3a9b7da9d943",)"
    R"("State":{"Status":"running","Running":true,"ExitCode":0,"Error":""},)"
    R"("Config":{"Image":"docker.io/library/postgres:16","StopSignal":"10","Labels":{}},)"
    R"("NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"","HostPort":"44377"}]}}})";

TEST(PodmanAnswers, AStoppedContainerPublishesNothingAndItsImageHasItsFamiliarName) {
  auto list = parse_container_list(kStoppedList);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_TRUE(list[0].ports.empty());  // as Docker lists a stopped container
  EXPECT_EQ(list[0].image, "drillmaster-test/busybox:latest");
  std::string running = kStoppedList;
  running.replace(running.find("\"exited\""), 8, "\"running\"");
  list = parse_container_list(running);
  ASSERT_EQ(list[0].ports.size(), 1u);
  EXPECT_EQ(list[0].ports[0].host_ip, "0.0.0.0");  // Podman leaves out "IP"
  EXPECT_EQ(list[0].ports[0].host_port, 44377);
}

TEST(PodmanAnswers, StatesOnlyPodmanHasAreSaidInDockersWords) {
  for (auto [podman, docker] : {std::pair{"stopped", "exited"}, std::pair{"configured", "created"},
                                std::pair{"stopping", "running"}, std::pair{"exited", "exited"},
                                std::pair{"running", "running"}, std::pair{"dead", "dead"}}) {
    std::string body = kStoppedList;
    body.replace(body.find("\"exited\""), 8, std::string("\"") + podman + "\"");
    EXPECT_EQ(parse_container_list(body).at(0).state, docker) << podman;
  }
}

TEST(PodmanAnswers, InspectGivesTheStopSignalsNameAndDockersWordsForTheRest) {
  ContainerInfo info = parse_container_inspect(kInspect);
  EXPECT_EQ(info.stop_signal, "SIGUSR1");
  EXPECT_EQ(info.image, "postgres:16");
  ASSERT_EQ(info.ports.size(), 1u);
  EXPECT_EQ(info.ports[0].host_ip, "0.0.0.0");
}

}  // namespace
}  // namespace dm::engine
