// The docker command's search for the engine, without an engine: a made-up
// environment, a temporary DOCKER_CONFIG holding contexts laid out as docker
// lays them out (contexts/meta/<sha256 of the name>/meta.json), and socket
// files that exist or not.
#include "engine/discovery.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "common/error.h"

namespace dm::engine {
namespace {

namespace fs = std::filesystem;

class Discovery : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dm-discovery-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    vars_["DOCKER_CONFIG"] = (root_ / "config").string();
    vars_["HOME"] = (root_ / "home").string();
    input_.env = [this](const std::string& name) {
      auto it = vars_.find(name);
      return it == vars_.end() ? std::string() : it->second;
    };
    input_.default_socket = (root_ / "var-run-docker.sock").string();
    input_.system_podman_socket = (root_ / "run-podman.sock").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  // A context as `docker context create NAME --docker host=HOST` leaves it.
  void context(const std::string& name, const std::string& host, bool skip_tls = false) {
    write(root_ / "config/contexts/meta" / context_id(name) / "meta.json",
          "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" +
              host + "\",\"SkipTLSVerify\":" + (skip_tls ? "true" : "false") + "}}}");
  }
  void touch(const fs::path& path) { write(path, ""); }

  Place chosen(const std::vector<Place>& places) {
    for (const Place& place : places)
      if (place.endpoint) return place;
    Place none;
    ADD_FAILURE() << "no endpoint";
    return none;
  }
  std::vector<std::string> summary(const std::vector<Place>& places) {
    std::vector<std::string> lines;
    for (const Place& p : places)
      lines.push_back(p.name + ": " + (p.endpoint ? p.endpoint->host : p.passed_over));
    return lines;
  }

  fs::path root_;
  std::map<std::string, std::string> vars_;
  DiscoveryInput input_;
};

TEST(ContextId, IsTheSha256OfTheNameAsDockerComputesIt) {
  // `docker context create colima` keeps it under this directory.
  EXPECT_EQ(context_id("default"),
            "37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f");
  EXPECT_EQ(context_id(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_F(Discovery, AnExplicitHostWinsOverEverythingAfterIt) {
  vars_["DOCKER_HOST"] = "tcp://elsewhere:2375";
  vars_["DOCKER_CONTEXT"] = "missing";
  input_.host = "unix:///explicit.sock";
  auto places = discover(input_);
  ASSERT_EQ(places.size(), 1u);
  EXPECT_EQ(places[0].endpoint->host, "unix:///explicit.sock");
  EXPECT_EQ(places[0].endpoint->found_by, "host option");
  EXPECT_TRUE(places[0].endpoint->settled);
}

TEST_F(Discovery, AnExplicitContextBeatsDockerHostAsDockersContextFlagDoes) {
  vars_["DOCKER_HOST"] = "tcp://elsewhere:2375";
  context("colima", "unix:///colima.sock");
  input_.context = "colima";
  Place place = chosen(discover(input_));
  EXPECT_EQ(place.endpoint->host, "unix:///colima.sock");
  EXPECT_EQ(place.endpoint->found_by, "context 'colima' (context option)");
}

TEST_F(Discovery, AHostAndAContextTogetherAreRefusedAsDockerRefusesThem) {
  context("colima", "unix:///colima.sock");
  input_.context = "colima";
  input_.host = "unix:///x";
  try {
    discover(input_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("not both"), std::string::npos) << e.what();
  }
}

TEST_F(Discovery, DockerHostBeatsDockerContextAndTheConfigFile) {
  vars_["DOCKER_HOST"] = "tcp://h:2375";
  vars_["DOCKER_CONTEXT"] = "missing";
  write(root_ / "config/config.json", "{\"currentContext\":\"missing\"}");
  auto places = discover(input_);
  EXPECT_EQ(summary(places),
            (std::vector<std::string>{"host option: not set", "DOCKER_HOST: tcp://h:2375"}));
  EXPECT_EQ(places.back().endpoint->found_by, "DOCKER_HOST");
}

TEST_F(Discovery, DockerContextBeatsTheConfigFilesCurrentContext) {
  context("a", "unix:///a.sock");
  context("b", "unix:///b.sock");
  vars_["DOCKER_CONTEXT"] = "a";
  write(root_ / "config/config.json", "{\"currentContext\":\"b\"}");
  Place place = chosen(discover(input_));
  EXPECT_EQ(place.endpoint->host, "unix:///a.sock");
  EXPECT_EQ(place.endpoint->found_by, "context 'a' (DOCKER_CONTEXT)");
  EXPECT_TRUE(place.endpoint->settled);
}

TEST_F(Discovery, TheConfigFilesCurrentContextIsUsedWithItsTlsFiles) {
  context("remote", "tcp://remote:2376", true);
  fs::path tls = root_ / "config/contexts/tls" / context_id("remote") / "docker";
  touch(tls / "ca.pem");
  write(root_ / "config/config.json", "{\"auths\":{},\"currentContext\":\"remote\"}");
  Place place = chosen(discover(input_));
  EXPECT_EQ(place.endpoint->host, "tcp://remote:2376");
  std::string config = (root_ / "config/config.json").string();
  EXPECT_EQ(place.endpoint->found_by, "context 'remote' (" + config + ")");
  ASSERT_TRUE(place.endpoint->context_tls);
  EXPECT_EQ(place.endpoint->context_tls->dir, tls.string());
  EXPECT_TRUE(place.endpoint->context_tls->skip_verify);
}

TEST_F(Discovery, WithoutDockerConfigTheConfigIsInTheHomeDirectory) {
  vars_.erase("DOCKER_CONFIG");
  EXPECT_EQ(docker_config_dir(input_.env), (root_ / "home/.docker").string());
  context("x", "unix:///x.sock");  // under DOCKER_CONFIG's old place: not looked at
  vars_["DOCKER_CONTEXT"] = "x";
  EXPECT_THROW(discover(input_), Error);
  fs::create_directories(root_ / "home");
  fs::rename(root_ / "config", root_ / "home/.docker");
  EXPECT_EQ(chosen(discover(input_)).endpoint->host, "unix:///x.sock");
}

TEST_F(Discovery, TheContextNamedDefaultMeansNoContext) {
  vars_["DOCKER_CONTEXT"] = "default";
  write(root_ / "config/config.json", "{\"currentContext\":\"default\"}");
  touch(input_.default_socket);
  Place place = chosen(discover(input_));
  EXPECT_EQ(place.endpoint->found_by, "default socket");
  EXPECT_FALSE(place.endpoint->settled);
}

TEST_F(Discovery, AContextOptionNamedDefaultSkipsDockerContextAsDockerDoes) {
  vars_["DOCKER_CONTEXT"] = "missing";
  input_.context = "default";
  touch(input_.default_socket);
  EXPECT_EQ(chosen(discover(input_)).endpoint->found_by, "default socket");
}

TEST_F(Discovery, AMissingContextIsAnErrorNamingItAndWhereItLooked) {
  vars_["DOCKER_CONTEXT"] = "colima";
  try {
    discover(input_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound);
    std::string m = e.what();
    EXPECT_NE(m.find("context 'colima'"), std::string::npos) << m;
    EXPECT_NE(m.find("DOCKER_CONTEXT"), std::string::npos) << m;
    EXPECT_NE(m.find((root_ / "config/contexts/meta" / context_id("colima")).string()),
              std::string::npos)
        << m;
  }
}

TEST_F(Discovery, AContextWithoutADockerEndpointIsAnErrorNamingTheFile) {
  write(root_ / "config/contexts/meta" / context_id("k8s") / "meta.json",
        "{\"Name\":\"k8s\",\"Endpoints\":{}}");
  vars_["DOCKER_CONTEXT"] = "k8s";
  try {
    discover(input_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("Endpoints.docker.Host"), std::string::npos) << e.what();
  }
}

TEST_F(Discovery, AConfigFileThatIsNotJsonIsAnErrorNamingIt) {
  write(root_ / "config/config.json", "{oops");
  try {
    discover(input_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("config.json' is not JSON"), std::string::npos)
        << e.what();
  }
}

TEST_F(Discovery, TheRootlessSocketComesBeforeTheDefaultOneWhenItExists) {
  vars_["XDG_RUNTIME_DIR"] = (root_ / "xdg").string();
  touch(root_ / "xdg/docker.sock");
  touch(input_.default_socket);
  Place place = chosen(discover(input_));
  EXPECT_EQ(place.endpoint->host, "unix://" + (root_ / "xdg/docker.sock").string());
  EXPECT_EQ(place.endpoint->found_by, "rootless socket");
}

TEST_F(Discovery, WithoutConfigurationEverySocketIsListedInOrderWithWhyItIsPassedOver) {
  vars_["XDG_RUNTIME_DIR"] = (root_ / "xdg").string();
  touch(root_ / "xdg/podman/podman.sock");
  touch(input_.system_podman_socket);
  std::string config = (root_ / "config/config.json").string();
  std::string xdg = (root_ / "xdg").string();
  EXPECT_EQ(
      summary(discover(input_)),
      (std::vector<std::string>{
          "host option: not set",
          "DOCKER_HOST: not set",
          "DOCKER_CONTEXT: not set",
          "currentContext in " + config + ": no such file",
          "rootless socket " + xdg + "/docker.sock: no such file",
          "default socket " + input_.default_socket + ": no such file",
          "podman socket " + xdg + "/podman/podman.sock: unix://" + xdg + "/podman/podman.sock",
          "podman socket " + input_.system_podman_socket + ": unix://" +
              input_.system_podman_socket,
      }));
}

TEST_F(Discovery, WithoutXdgRuntimeDirTheUserSocketsAreNotSet) {
  auto lines = summary(discover(input_));
  EXPECT_EQ(lines[4], "rootless socket $XDG_RUNTIME_DIR/docker.sock: XDG_RUNTIME_DIR not set");
  EXPECT_EQ(lines[6], "podman socket $XDG_RUNTIME_DIR/podman/podman.sock: XDG_RUNTIME_DIR not set");
}

}  // namespace
}  // namespace dm::engine
