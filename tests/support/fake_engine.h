// A scripted fake Docker engine on a Unix socket, for the faults a real
// engine does not produce on demand: malformed or huge answers, connections
// closed in the middle of an answer, an engine that never answers.
//
// It speaks just enough HTTP/1.1 for libcurl: it reads each request (head and
// Content-Length body), asks the script what to do, and does it; connections
// stay open between requests as with the real engine. Every request is
// recorded. Nothing but POSIX: any test suite may use it.
//
//   FakeEngine fake([](const FakeRequest& r) {
//     if (r.path == "/containers/json") return FakeAnswer::json(200, "[{}]");
//     return FakeAnswer::standard(r);
//   });
//   options.host = fake.address();
#ifndef DM_TESTS_SUPPORT_FAKE_ENGINE_H
#define DM_TESTS_SUPPORT_FAKE_ENGINE_H

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dm::testing {

struct FakeRequest {
  std::string method;  // "GET"
  std::string target;  // as sent: "/v1.41/containers/json?all=1"
  std::string path;    // without the query and the version: "/containers/json"
  std::string body;
  std::string head;  // the request line and the headers, as sent
};

// What the fake does with one request.
struct FakeAnswer {
  enum class Ending {
    Complete,     // Content-Length, then the whole body; the connection stays open
    CloseMidway,  // Content-Length of the whole body, half of it, then the connection closes
    NoLength,     // no Content-Length: the body, then the connection closes
    Silent,       // nothing at all, until the fake is destroyed
  };

  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::string> headers;  // extra "Name: value" lines
  Ending ending = Ending::Complete;

  static FakeAnswer json(int status, std::string body);
  static FakeAnswer text(int status, std::string body, std::string content_type = "text/plain");
  static FakeAnswer silent();
  // What a healthy engine answers to the calls every client makes: /_ping
  // (with Api-Version 1.41) and /version; 404 "no such object" otherwise.
  static FakeAnswer standard(const FakeRequest& request);
};

using FakeScript = std::function<FakeAnswer(const FakeRequest&)>;

class FakeEngine {
 public:
  explicit FakeEngine(FakeScript script);
  ~FakeEngine();
  FakeEngine(const FakeEngine&) = delete;
  FakeEngine& operator=(const FakeEngine&) = delete;

  // "unix:///tmp/dm-fake-engine-XXXXXX/engine.sock"
  std::string address() const { return "unix://" + socket_path_; }

  std::vector<FakeRequest> requests() const;
  // How many requests had this method and (unversioned) path.
  size_t count(const std::string& method, const std::string& path) const;

 private:
  void accept_loop();
  void serve(int fd);
  // Sends all of `data`; false when the client went away.
  static bool send_all(int fd, const char* data, size_t size);
  void answer(int fd, const FakeAnswer& answer, bool* keep_open);

  FakeScript script_;
  std::string dir_;
  std::string socket_path_;
  int listener_ = -1;
  int wake_[2] = {-1, -1};  // written on destruction: wakes the acceptor
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable stopped_;  // Silent answers wait on it
  std::vector<int> connections_;
  std::vector<std::thread> servers_;
  std::vector<FakeRequest> requests_;
  std::thread acceptor_;
};

}  // namespace dm::testing

#endif
