// Faults a real engine does not produce on demand: an engine that stops
// answering in the middle of a start. A small fake engine on a Unix socket
// answers the calls a start makes first, then goes silent; the start must end
// with the service failed and a message that says so, not hang.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "drillmaster/drillmaster.h"

namespace {

class FakeEngine {
 public:
  // `silent_on`: requests whose path contains it get no answer at all.
  explicit FakeEngine(std::string silent_on) : silent_on_(std::move(silent_on)) {
    path_ = "/tmp/dm-fake-engine-" + std::to_string(::getpid()) + ".sock";
    ::unlink(path_.c_str());
    listener_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 16) != 0)
      throw std::runtime_error("cannot listen on " + path_);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~FakeEngine() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
    for (auto& t : handlers_) t.join();
    for (int fd : connections_) ::close(fd);
    ::unlink(path_.c_str());
  }

  std::string address() const { return "unix://" + path_; }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void accept_loop() {
    while (!stop_) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      std::lock_guard<std::mutex> lock(mutex_);
      connections_.push_back(fd);
      handlers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  // One connection, several requests (the client keeps connections alive).
  void serve(int fd) {
    std::string buffer;
    char chunk[4096];
    while (!stop_) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) return;
        buffer.append(chunk, n);
      }
      std::string head = buffer.substr(0, end);
      size_t length = 0;
      auto cl = head.find("Content-Length: ");
      if (cl != std::string::npos) length = std::stoul(head.substr(cl + 16));
      while (buffer.size() < end + 4 + length) {
        ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n <= 0) return;
        buffer.append(chunk, n);
      }
      buffer.erase(0, end + 4 + length);
      std::string line = head.substr(0, head.find("\r\n"));
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(line);
      }
      if (line.find(silent_on_) != std::string::npos) {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return;
      }
      answer(fd, line);
    }
  }

  static void answer(int fd, const std::string& line) {
    int status = 200;
    std::string body;
    if (line.find("/_ping") != std::string::npos) {
      body = "OK";
    } else if (line.find("/containers/json") != std::string::npos) {
      body = "[]";
    } else if (line.find("/networks/") != std::string::npos && line.rfind("GET", 0) == 0) {
      status = 404;
      body = "{\"message\":\"network not found\"}";
    } else if (line.find("/networks/create") != std::string::npos) {
      status = 201;
      body = "{\"Id\":\"fake-network\"}";
    } else if (line.find("/images/") != std::string::npos) {
      body = "{\"Id\":\"sha256:fake\",\"RepoTags\":[\"fake:latest\"]}";
    } else {
      status = 500;
      body = "{\"message\":\"the fake engine does not know this call\"}";
    }
    std::string reply = "HTTP/1.1 " + std::to_string(status) + " X\r\nApi-Version: 1.41\r\n" +
                        "Content-Type: application/json\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body;
    (void)!::write(fd, reply.data(), reply.size());
  }

  std::string silent_on_;
  std::string path_;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> connections_;
  std::vector<std::thread> handlers_;
  std::vector<std::string> requests_;
};

TEST(EngineFaults, AnEngineThatGoesSilentMidStartFailsTheServiceInsteadOfHanging) {
  FakeEngine fake("/containers/create");
  dm_client_options options = DM_CLIENT_OPTIONS_INIT;
  std::string address = fake.address();
  options.host = address.c_str();
  options.timeout = 1;
  dm_client* client = nullptr;
  ASSERT_EQ(dm_client_open(&client, &options), DM_OK) << dm_error_last();

  dm_group* group = nullptr;
  ASSERT_EQ(dm_group_new(&group, "fault"), DM_OK);
  dm_service *db = nullptr, *app = nullptr;
  dm_group_add_service(&db, group, "db", "fake:latest");
  dm_group_add_service(&app, group, "app", "fake:latest");
  dm_service_add_dependency(app, "db");

  dm_result* result = nullptr;
  auto began = std::chrono::steady_clock::now();
  EXPECT_EQ(dm_group_start(&result, group, client, nullptr), DM_EFAILED) << dm_error_last();
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  EXPECT_LT(took, 30.0) << "the start waited far past the client's 1 s timeout";
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(dm_result_outcome(result, 0), DM_OUTCOME_FAILED);
  std::string reason = dm_result_reason(result, 0);
  EXPECT_NE(reason.find("did not answer"), std::string::npos) << reason;
  EXPECT_EQ(dm_result_outcome(result, 1), DM_OUTCOME_SKIPPED);
  bool asked = false;
  for (const auto& r : fake.requests()) asked = asked || r.find("/containers/create") != std::string::npos;
  EXPECT_TRUE(asked) << "the fake engine never saw the create call";

  dm_result_free(result);
  dm_group_free(group);
  dm_client_free(client);
}

}  // namespace
