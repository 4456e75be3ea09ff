// A fake Docker engine on a Unix socket whose every answer a test scripts:
// for each request line ("POST /v1.41/containers/x/stop?t=1 HTTP/1.1") a
// function says what to answer, or to hang: accept the request and never
// answer, as a frozen engine does. For faults a real engine does not produce
// on demand; the lifecycle suites test the real engine.
#ifndef DM_TESTS_ORCHESTRATOR_SCRIPTED_ENGINE_H
#define DM_TESTS_ORCHESTRATOR_SCRIPTED_ENGINE_H

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace dm::testing {

struct Reply {
  int status = 200;
  std::string body;
  bool hang = false;  // never answer
};

class ScriptedEngine {
 public:
  using Script = std::function<Reply(const std::string& request_line)>;

  explicit ScriptedEngine(Script script) : script_(std::move(script)) {
    static std::atomic<unsigned> counter{0};
    path_ = "/tmp/dm-scripted-engine-" + std::to_string(::getpid()) + "-" +
            std::to_string(counter++) + ".sock";
    ::unlink(path_.c_str());
    listener_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 64) != 0)
      throw std::runtime_error("cannot listen on " + path_);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~ScriptedEngine() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    acceptor_.join();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
    }
    for (auto& t : handlers_) t.join();
    for (int fd : connections_) ::close(fd);
    ::unlink(path_.c_str());
  }

  std::string address() const { return "unix://" + path_; }

  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  bool saw(const std::string& part) {
    for (const auto& r : requests())
      if (r.find(part) != std::string::npos) return true;
    return false;
  }

  // The answer every client needs first (GET /_ping, with the API version).
  static bool is_ping(const std::string& line) {
    return line.find(" /_ping ") != std::string::npos;
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
      Reply reply = is_ping(line) ? Reply{200, "OK", false} : script_(line);
      if (reply.hang) {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return;
      }
      std::string text = "HTTP/1.1 " + std::to_string(reply.status) +
                         " X\r\nApi-Version: 1.41\r\nContent-Type: application/json\r\n"
                         "Content-Length: " +
                         std::to_string(reply.body.size()) + "\r\n\r\n" + reply.body;
      (void)!::write(fd, text.data(), text.size());
    }
  }

  Script script_;
  std::string path_;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  std::mutex mutex_;
  std::vector<int> connections_;
  std::vector<std::thread> handlers_;
  std::vector<std::string> requests_;
};

}  // namespace dm::testing

#endif
