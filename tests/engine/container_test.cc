// Container calls against the real engine, with the busybox test image.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "engine_fixture.h"

namespace fs = std::filesystem;

namespace dm::engine {
namespace {

using ContainerTest = testing::EngineTest;

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST_F(ContainerTest, RoundTripKeepsEverythingTheSpecSaid) {
  std::string net = unique("net");
  client_->network_create(net, labels_);
  fs::path dir = fs::temp_directory_path() / unique("vol");
  fs::create_directories(dir);
  int host_port = testing::free_port();

  ContainerSpec spec = sh_spec(kSleeper);
  spec.body.set("Env", std::vector<std::string>{"GREETING=hello world", "EMPTY="});
  spec.body.set("ExposedPorts", Json::parse(R"({"8080/tcp": {}, "9090/tcp": {}})"));
  spec.body.set("User", "1234:1234");
  spec.body.set("StopSignal", "SIGTERM");
  Json binding = Json::object();
  binding.set("HostIp", "127.0.0.1").set("HostPort", std::to_string(host_port));
  Json bindings = Json::array();
  bindings.push(std::move(binding));
  Json port_bindings = Json::parse(R"({"9090/tcp": [{"HostIp": "", "HostPort": ""}]})");
  port_bindings.set("8080/tcp", std::move(bindings));
  Json host = Json::object();
  host.set("PortBindings", std::move(port_bindings));
  host.set("Binds", std::vector<std::string>{dir.string() + ":/data", dir.string() + ":/ro:ro"});
  host.set("NetworkMode", net);
  spec.body.set("HostConfig", std::move(host));
  Json endpoint = Json::object();
  endpoint.set("Aliases", std::vector<std::string>{"web", "www"});
  Json endpoints = Json::object();
  endpoints.set(net.c_str(), std::move(endpoint));
  Json networking = Json::object();
  networking.set("EndpointsConfig", std::move(endpoints));
  spec.body.set("NetworkingConfig", std::move(networking));
  spec.labels["io.drillmaster.service"] = "web";
  std::string id = client_->container_create(spec);
  ASSERT_EQ(id.size(), 64u);

  ContainerInfo info = client_->container_inspect(spec.name);
  EXPECT_EQ(info.id, id);
  EXPECT_EQ(info.name, spec.name);
  EXPECT_EQ(info.state, "created");
  EXPECT_FALSE(info.running);
  EXPECT_EQ(info.image, DM_TEST_IMAGE);
  EXPECT_EQ(info.image_id.rfind("sha256:", 0), 0u);
  EXPECT_TRUE(contains(info.env, "GREETING=hello world"));
  EXPECT_TRUE(contains(info.env, "EMPTY="));
  EXPECT_EQ(info.entrypoint, (std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(info.cmd, std::vector<std::string>{kSleeper});
  EXPECT_EQ(info.user, "1234:1234");
  EXPECT_EQ(info.stop_signal, "SIGTERM");
  for (const auto& [k, v] : spec.labels) EXPECT_EQ(info.labels[k], v) << k;
  EXPECT_EQ(info.labels["io.drillmaster.test"], "1");  // and the image's own labels
  EXPECT_FALSE(info.tty);
  ASSERT_EQ(info.mounts.size(), 2u);
  for (const Mount& m : info.mounts) {
    EXPECT_EQ(m.source, dir.string());
    EXPECT_EQ(m.read_only, m.target == "/ro");
  }
  ASSERT_EQ(info.network_aliases.count(net), 1u);
  EXPECT_TRUE(contains(info.network_aliases[net], "web"));
  EXPECT_TRUE(contains(info.network_aliases[net], "www"));
  EXPECT_EQ(info.network_ips.count("bridge"), 0u);  // only the given network

  auto listed =
      client_->container_list({{kRunLabel, run_}, {"io.drillmaster.service", "web"}}, true);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_EQ(listed[0].names, std::vector<std::string>{spec.name});
  EXPECT_EQ(listed[0].image, DM_TEST_IMAGE);
  EXPECT_EQ(listed[0].state, "created");
  EXPECT_EQ(listed[0].labels["io.drillmaster.service"], "web");
  EXPECT_TRUE(client_->container_list(labels_, false).empty());  // not running yet

  client_->container_start(id);
  client_->container_start(id);  // 304: already running, fine
  info = client_->container_inspect(id);
  EXPECT_TRUE(info.running);
  EXPECT_EQ(info.state, "running");
  EXPECT_FALSE(info.network_ips[net].empty());
  bool fixed = false, picked = false;
  for (const PortBinding& p : info.ports) {
    if (p.container_port == "8080/tcp") {
      fixed = true;
      EXPECT_EQ(p.host_ip, "127.0.0.1");
      EXPECT_EQ(p.host_port, host_port);
    }
    if (p.container_port == "9090/tcp" && p.host_port > 0) picked = true;
  }
  EXPECT_TRUE(fixed);
  EXPECT_TRUE(picked);
  listed = client_->container_list(labels_, false);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].state, "running");
  bool listed_port = false;
  for (const PortBinding& p : listed[0].ports)
    if (p.container_port == "8080/tcp" && p.host_port == host_port) listed_port = true;
  EXPECT_TRUE(listed_port);

  auto start = std::chrono::steady_clock::now();
  client_->container_stop(id, 10);
  EXPECT_LT(seconds_since(start), 5.0);  // the fixture traps TERM
  client_->container_stop(id, 10);       // 304: already stopped, fine
  info = client_->container_inspect(id);
  EXPECT_FALSE(info.running);
  EXPECT_EQ(info.state, "exited");
  EXPECT_EQ(info.exit_code, 0);

  client_->container_remove(id, false, true);
  EXPECT_TRUE(client_->container_list(labels_, true).empty());
  fs::remove_all(dir);
}

TEST_F(ContainerTest, WaitReturnsTheExitCode) {
  std::string id = client_->container_create(sh_spec("exit 3"));
  client_->container_start(id);
  std::optional<int64_t> code = client_->container_wait(id);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(client_->container_inspect(id).exit_code, 3);
}

TEST_F(ContainerTest, WaitCanBeCancelled) {
  std::string id = client_->container_create(sh_spec(kSleeper));
  client_->container_start(id);
  CancelToken cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel.cancel();
  });
  auto start = std::chrono::steady_clock::now();
  std::optional<int64_t> code = client_->container_wait(id, &cancel);
  canceller.join();
  EXPECT_FALSE(code.has_value());
  EXPECT_LT(seconds_since(start), 1.0);
  EXPECT_TRUE(client_->container_inspect(id).running);
}

TEST_F(ContainerTest, KillSendsTheSignal) {
  ContainerSpec spec = sh_spec("sleep 1000");  // PID 1 ignores TERM; KILL still works
  std::string id = client_->container_create(spec);
  client_->container_start(id);
  client_->container_kill(id, "SIGKILL");
  EXPECT_EQ(client_->container_wait(id).value_or(-1), 137);
  // Killing a stopped container is a conflict.
  try {
    client_->container_kill(id, "SIGKILL");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Conflict) << e.what();
  }
}

TEST_F(ContainerTest, MissingContainerIsNotFoundWithTheDaemonsWords) {
  std::string name = unique("missing");
  try {
    client_->container_inspect(name);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound);
    EXPECT_EQ(e.http_status(), 404);
    std::string message = e.what();
    EXPECT_NE(message.find("inspect container '" + name + "' (404)"), std::string::npos) << message;
    EXPECT_NE(message.find("No such container"), std::string::npos) << message;
  }
  EXPECT_THROW(client_->container_start(name), Error);
  try {
    client_->container_remove(name, true, true);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound);
  }
}

TEST_F(ContainerTest, NameInUseAndRemovingARunningContainerAreConflicts) {
  ContainerSpec spec = sh_spec(kSleeper);
  std::string id = client_->container_create(spec);
  try {
    client_->container_create(spec);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Conflict);
    EXPECT_EQ(e.http_status(), 409);
    std::string message = e.what();
    EXPECT_NE(message.find("engine refused to create container '" + spec.name + "' (409): "),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("is already in use"), std::string::npos) << message;
  }
  client_->container_start(id);
  try {
    client_->container_remove(id, false, false);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Conflict);
    EXPECT_NE(std::string(e.what()).find("running"), std::string::npos) << e.what();
  }
  client_->container_remove(id, true, true);
}

TEST_F(ContainerTest, MissingImageIsNotFound) {
  ContainerSpec spec = sh_spec("true");
  spec.body.set("Image", "drillmaster-test/no-such-image:" + run_);
  try {
    client_->container_create(spec);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound) << e.what();
    EXPECT_NE(std::string(e.what()).find("no-such-image"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dm::engine
