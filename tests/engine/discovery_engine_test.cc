// Engine discovery against the real engine: a docker context whose endpoint
// is a second socket (a forwarder to the engine's own, which counts the
// connections it carries), DOCKER_HOST unset and DOCKER_CONFIG a temporary
// directory laid out as docker lays it out. The forwarder's count proves the
// context was used, not /var/run/docker.sock.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "engine/discovery.h"
#include "engine_fixture.h"

extern char** environ;

namespace dm::engine {
namespace {

namespace fs = std::filesystem;
using dm::engine::testing::ScopedEnv;

// tests/support/unix_forwarder.py on `listen`, forwarding to the engine.
class Forwarder {
 public:
  explicit Forwarder(const std::string& listen) {
    int out[2], in[2];
    EXPECT_EQ(pipe(out), 0);
    EXPECT_EQ(pipe(in), 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    std::string script = std::string(DM_TEST_DATA) + "/../support/unix_forwarder.py";
    const char* argv[] = {"python3", script.c_str(), listen.c_str(), "/var/run/docker.sock",
                          nullptr};
    EXPECT_EQ(posix_spawnp(&pid_, "python3", &actions, nullptr, const_cast<char**>(argv), environ),
              0);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(in[0]);
    stdin_ = in[1];
    output_ = fdopen(out[0], "r");
    EXPECT_EQ(line(), "ready");  // it listens: no sleep needed
  }
  ~Forwarder() {
    close(stdin_);  // it exits when its stdin closes
    int status;
    waitpid(pid_, &status, 0);
    fclose(output_);
  }
  std::string line() {
    char buffer[64] = "";
    if (!fgets(buffer, sizeof buffer, output_)) return "";
    std::string text = buffer;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }

 private:
  pid_t pid_ = 0;
  int stdin_ = -1;
  FILE* output_ = nullptr;
};

class DiscoveryEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dm-discovery-engine-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root_ = pattern;
    socket_ = (root_ / "second.sock").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void context(const std::string& name, const std::string& host) {
    fs::path dir = root_ / "config/contexts/meta" / context_id(name);
    fs::create_directories(dir);
    std::ofstream(dir / "meta.json")
        << "{\"Name\":\"" << name << "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\""
        << host << "\",\"SkipTLSVerify\":false}}}";
  }

  fs::path root_;
  std::string socket_;
};

TEST_F(DiscoveryEngine, AContextOptionReachesTheEngineThroughItsOwnSocket) {
  Forwarder forwarder(socket_);
  context("second", "unix://" + socket_);
  ScopedEnv host("DOCKER_HOST", nullptr);
  ScopedEnv config("DOCKER_CONFIG", (root_ / "config").c_str());
  ClientOptions options;
  options.context = "second";
  auto client = Client::open(options);
  client->ping();
  EXPECT_EQ(client->address().text, "unix://" + socket_);
  EXPECT_EQ(client->found_by(), "context 'second' (context option)");
  EXPECT_EQ(forwarder.line(), "connection");  // the requests went through the context's socket
  EXPECT_FALSE(client->version().api_version.empty());
}

TEST_F(DiscoveryEngine, TheConfigFilesCurrentContextIsUsedWithoutAnyOption) {
  Forwarder forwarder(socket_);
  context("second", "unix://" + socket_);
  std::ofstream(root_ / "config/config.json") << "{\"currentContext\":\"second\"}";
  ScopedEnv host("DOCKER_HOST", nullptr);
  ScopedEnv env_context("DOCKER_CONTEXT", nullptr);
  ScopedEnv config("DOCKER_CONFIG", (root_ / "config").c_str());
  auto client = Client::open(ClientOptions{});
  EXPECT_EQ(client->found_by(),
            "context 'second' (" + (root_ / "config/config.json").string() + ")");
  EXPECT_EQ(forwarder.line(), "connection");
}

TEST_F(DiscoveryEngine, AContextWhoseSocketIsMissingNamesEveryPlaceLookedAt) {
  context("gone", "unix://" + socket_);  // no forwarder: nothing listens there
  ScopedEnv host("DOCKER_HOST", nullptr);
  ScopedEnv env_context("DOCKER_CONTEXT", "gone");
  ScopedEnv config("DOCKER_CONFIG", (root_ / "config").c_str());
  try {
    Client::open(ClientOptions{});
    FAIL() << "opened a context whose socket does not exist";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Unreachable);
    std::string m = e.what();
    for (std::string part :
         {std::string("cannot reach the Docker engine at unix://") + socket_,
          std::string("Places looked at, in order: host option: not set; DOCKER_HOST: not set; "
                      "context 'gone' (DOCKER_CONTEXT) (unix://") +
              socket_ + "): no such file."})
      EXPECT_NE(m.find(part), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace dm::engine
