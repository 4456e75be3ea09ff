// Shared fixture for the tests that talk to the real engine.
//
// Everything a test creates carries the label io.drillmaster.test-run=<random>
// and a unique name; TearDown force-removes every container and network with
// that label and every image the test built, so a failing test leaves nothing
// behind.
#ifndef DM_TESTS_ENGINE_FIXTURE_H
#define DM_TESTS_ENGINE_FIXTURE_H

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/client.h"

namespace dm::engine::testing {

inline std::string random_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  char buffer[32];
  snprintf(buffer, sizeof buffer, "%08x%u", rd(), counter++);
  return buffer;
}

// Sets (or unsets, with nullptr) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      setenv(name, value, 1);
    else
      unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      setenv(name_.c_str(), old_->c_str(), 1);
    else
      unsetenv(name_.c_str());
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

// A TCP port nothing listens on right now (the kernel's pick, released).
inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

class EngineTest : public ::testing::Test {
 protected:
  static constexpr const char* kRunLabel = "io.drillmaster.test-run";

  void SetUp() override {
    ScopedEnv no_host("DOCKER_HOST", nullptr);
    ScopedEnv no_version("DOCKER_API_VERSION", nullptr);
    client_ = Client::open(ClientOptions{});
    run_ = random_suffix();
    labels_ = {{kRunLabel, run_}};
  }

  void TearDown() override {
    if (!client_) return;
    try {
      for (const ContainerSummary& c : client_->container_list(labels_, true))
        client_->container_remove(c.id, true, true);
      for (const NetworkSummary& n : client_->network_list(labels_)) client_->network_remove(n.id);
      for (const std::string& image : images_) {
        try {
          client_->image_remove(image, true);
        } catch (const Error&) {
        }
      }
    } catch (const Error& e) {
      ADD_FAILURE() << "cleanup failed: " << e.what();
    }
  }

  std::string unique(const std::string& what) { return "dmtest-" + what + "-" + random_suffix(); }

  // A busybox container running `script` with sh; stops at once on TERM.
  ContainerSpec sh_spec(const std::string& script) {
    ContainerSpec spec;
    spec.name = unique("c");
    spec.body.set("Image", DM_TEST_IMAGE);
    spec.body.set("Entrypoint", std::vector<std::string>{"/bin/sh", "-c"});
    spec.body.set("Cmd", std::vector<std::string>{script});
    spec.labels = labels_;
    return spec;
  }

  static constexpr const char* kSleeper = "trap 'exit 0' TERM; sleep 1000 & wait";

  std::unique_ptr<Client> client_;
  std::string run_;
  Labels labels_;
  std::vector<std::string> images_;  // built by the test; removed in TearDown
};

}  // namespace dm::engine::testing

#endif
