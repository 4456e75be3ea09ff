#include "support/fake_engine.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace dm::testing {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// "/v1.41/containers/json?all=1" -> "/containers/json"
std::string plain_path(const std::string& target) {
  std::string path = target.substr(0, target.find('?'));
  if (path.rfind("/v", 0) == 0) {
    size_t slash = path.find('/', 1);
    if (slash != std::string::npos) path.erase(0, slash);
  }
  return path;
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 500:
      return "Internal Server Error";
    default:
      return "Whatever";
  }
}

}  // namespace

FakeAnswer FakeAnswer::json(int status, std::string body) {
  FakeAnswer a;
  a.status = status;
  a.body = std::move(body);
  return a;
}

FakeAnswer FakeAnswer::text(int status, std::string body, std::string content_type) {
  FakeAnswer a;
  a.status = status;
  a.body = std::move(body);
  a.content_type = std::move(content_type);
  return a;
}

FakeAnswer FakeAnswer::silent() {
  FakeAnswer a;
  a.ending = Ending::Silent;
  return a;
}

FakeAnswer FakeAnswer::standard(const FakeRequest& request) {
  if (request.path == "/_ping") return text(200, "OK");
  if (request.path == "/version")
    return json(200, R"({"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12",)"
                     R"("Os":"linux","Arch":"amd64"})");
  return json(404, R"({"message":"no such object in the fake engine: )" + request.path + "\"}");
}

FakeEngine::FakeEngine(FakeScript script) : script_(std::move(script)) {
  char dir[] = "/tmp/dm-fake-engine-XXXXXX";
  if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp failed");
  dir_ = dir;
  socket_path_ = dir_ + "/engine.sock";
  listener_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", socket_path_.c_str());
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener_, 64) != 0 || ::pipe2(wake_, O_CLOEXEC) != 0) {
    // No destructor runs for a constructor that throws: leave nothing behind.
    if (listener_ >= 0) ::close(listener_);
    ::unlink(socket_path_.c_str());
    ::rmdir(dir_.c_str());
    throw std::runtime_error("the fake engine cannot listen on " + socket_path_);
  }
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeEngine::~FakeEngine() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    // Wakes every server blocked in a read or a write.
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
  }
  stopped_.notify_all();
  (void)!::write(wake_[1], "x", 1);
  acceptor_.join();
  for (std::thread& t : servers_) t.join();
  for (int fd : connections_) ::close(fd);
  ::close(listener_);
  ::close(wake_[0]);
  ::close(wake_[1]);
  ::unlink(socket_path_.c_str());
  ::rmdir(dir_.c_str());
}

std::vector<FakeRequest> FakeEngine::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

size_t FakeEngine::count(const std::string& method, const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return static_cast<size_t>(
      std::count_if(requests_.begin(), requests_.end(),
                    [&](const FakeRequest& r) { return r.method == method && r.path == path; }));
}

void FakeEngine::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) continue;
    if (fds[1].revents) return;
    int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      ::close(fd);
      return;
    }
    connections_.push_back(fd);
    servers_.emplace_back([this, fd] { serve(fd); });
  }
}

// One connection, one request after another.
void FakeEngine::serve(int fd) {
  std::string buffer;
  char chunk[65536];
  auto read_more = [&] {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<size_t>(n));
    return true;
  };
  for (;;) {
    size_t end;
    while ((end = buffer.find("\r\n\r\n")) == std::string::npos)
      if (!read_more()) return;
    std::string head = buffer.substr(0, end);
    size_t length = 0;
    std::string lowered = lower(head);
    size_t cl = lowered.find("\r\ncontent-length:");
    if (cl != std::string::npos) length = std::strtoul(head.c_str() + cl + 17, nullptr, 10);
    while (buffer.size() < end + 4 + length)
      if (!read_more()) return;
    FakeRequest request;
    std::string line = head.substr(0, head.find("\r\n"));
    size_t space = line.find(' ');
    request.method = line.substr(0, space);
    request.target = line.substr(space + 1, line.rfind(' ') - space - 1);
    request.path = plain_path(request.target);
    request.body = buffer.substr(end + 4, length);
    request.head = head;
    buffer.erase(0, end + 4 + length);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
    }
    bool keep_open = true;
    answer(fd, script_(request), &keep_open);
    if (!keep_open) return;
  }
}

bool FakeEngine::send_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);  // a client gone is no SIGPIPE
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void FakeEngine::answer(int fd, const FakeAnswer& answer, bool* keep_open) {
  using Ending = FakeAnswer::Ending;
  if (answer.ending == Ending::Silent) {
    std::unique_lock<std::mutex> lock(mutex_);
    stopped_.wait(lock, [this] { return stopping_.load(); });
    *keep_open = false;
    return;
  }
  std::string head = "HTTP/1.1 " + std::to_string(answer.status) + " " + reason(answer.status) +
                     "\r\nApi-Version: 1.41\r\nServer: drillmaster-fake-engine\r\n";
  if (!answer.content_type.empty()) head += "Content-Type: " + answer.content_type + "\r\n";
  for (const std::string& h : answer.headers) head += h + "\r\n";
  if (answer.ending == Ending::NoLength)
    head += "Connection: close\r\n";
  else
    head += "Content-Length: " + std::to_string(answer.body.size()) + "\r\n";
  head += "\r\n";
  size_t body_bytes =
      answer.ending == Ending::CloseMidway ? answer.body.size() / 2 : answer.body.size();
  bool sent =
      send_all(fd, head.data(), head.size()) && send_all(fd, answer.body.data(), body_bytes);
  *keep_open = sent && answer.ending == Ending::Complete;
  if (!*keep_open) ::shutdown(fd, SHUT_RDWR);
}

}  // namespace dm::testing
