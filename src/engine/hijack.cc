#include "engine/hijack.h"

#include <curl/curl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

#include "common/error.h"
#include "engine/log_frames.h"

namespace dm::engine {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kChunk = 64 << 10;
// How often a TTY's window size is looked at when nothing else wakes the wait.
constexpr int kResizeLookMs = 250;

Error broken(const std::string& what, const std::string& how) {
  return Error(Error::Code::Engine,
               "lost the connection to the engine while trying to " + what + ": " + how);
}

// Waits until `fd` can take more bytes.
void wait_writable(int fd) {
  pollfd p{fd, POLLOUT, 0};
  while (poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}

}  // namespace

HijackedConnection::HijackedConnection(void* easy, std::string what)
    : easy_(easy), what_(std::move(what)) {
  curl_socket_t socket = CURL_SOCKET_BAD;
  curl_easy_getinfo(static_cast<CURL*>(easy_), CURLINFO_ACTIVESOCKET, &socket);
  fd_ = socket == CURL_SOCKET_BAD ? -1 : static_cast<int>(socket);
  char* scheme = nullptr;
  curl_easy_getinfo(static_cast<CURL*>(easy_), CURLINFO_SCHEME, &scheme);
  tls_ = scheme != nullptr && std::strcmp(scheme, "HTTPS") == 0;
}

HijackedConnection::~HijackedConnection() { curl_easy_cleanup(static_cast<CURL*>(easy_)); }

void HijackedConnection::write(const char* data, size_t size) {
  while (size > 0) {
    size_t sent = 0;
    CURLcode code = curl_easy_send(static_cast<CURL*>(easy_), data, size, &sent);
    if (code == CURLE_AGAIN) {
      wait_writable(fd_);
      continue;
    }
    if (code != CURLE_OK) throw broken(what_, curl_easy_strerror(code));
    data += sent;
    size -= sent;
  }
}

void HijackedConnection::close_write() {
  if (!tls_ && fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

long HijackedConnection::read(char* buffer, size_t size) {
  if (!early_.empty()) {
    size_t n = std::min(size, early_.size());
    std::memcpy(buffer, early_.data(), n);
    early_.erase(0, n);
    return static_cast<long>(n);
  }
  size_t got = 0;
  CURLcode code = curl_easy_recv(static_cast<CURL*>(easy_), buffer, size, &got);
  if (code == CURLE_AGAIN) return -1;
  // A reset after the output ended is the end too.
  if (code == CURLE_RECV_ERROR && errno == ECONNRESET) return 0;
  if (code != CURLE_OK) throw broken(what_, curl_easy_strerror(code));
  return static_cast<long>(got);
}

namespace {

// One pump: the state of the copy in both directions.
class Pump {
 public:
  Pump(HijackedConnection& connection, bool tty, const StreamIo& io)
      : c_(connection), io_(io), demuxer_(tty, connection.what()), input_open_(io.in_fd >= 0) {
    if (io.timeout > 0)
      deadline_ = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                     std::chrono::duration<double>(io.timeout));
  }

  StreamEnd run() {
    look_at_window();
    for (;;) {
      // What was read before the wait: the answer's first bytes.
      if (auto end = drain()) return *end;
      if (auto end = wait()) return *end;
    }
  }

 private:
  bool following_window() const { return io_.winsize_fd >= 0 && io_.on_resize; }

  void look_at_window() {
    if (!following_window()) return;
    winsize size{};
    if (ioctl(io_.winsize_fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) return;
    if (size.ws_row == rows_ && size.ws_col == columns_) return;
    rows_ = size.ws_row;
    columns_ = size.ws_col;
    io_.on_resize(rows_, columns_);
  }

  int wait_ms() const {
    int ms = following_window() ? kResizeLookMs : -1;
    if (deadline_ == Clock::time_point{}) return ms;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
    int left_ms = static_cast<int>(std::max<int64_t>(0, left.count()));
    return ms < 0 ? left_ms : std::min(ms, left_ms);
  }

  std::optional<StreamEnd> wait() {
    std::vector<pollfd> fds{{c_.fd(), POLLIN, 0}};
    if (input_open_) fds.push_back({io_.in_fd, POLLIN, 0});
    for (const CancelToken* token : io_.cancel)
      if (token) fds.push_back({token->fd(), POLLIN, 0});
    int ready = poll(fds.data(), fds.size(), wait_ms());
    look_at_window();
    for (const CancelToken* token : io_.cancel)
      if (token && token->cancelled()) return StreamEnd::Cancelled;
    if (deadline_ != Clock::time_point{} && Clock::now() >= deadline_) return StreamEnd::TimedOut;
    if (ready <= 0) return std::nullopt;  // a signal, the window's look, or nothing yet
    if (input_open_ && fds[1].revents != 0) copy_input();
    return std::nullopt;
  }

  // Reads everything the connection has now.
  std::optional<StreamEnd> drain() {
    char buffer[kChunk];
    for (;;) {
      long n = c_.read(buffer, sizeof buffer);
      if (n < 0) return std::nullopt;
      if (n == 0) {
        demuxer_.finish();
        return StreamEnd::Closed;
      }
      if (!demuxer_.feed(buffer, static_cast<size_t>(n), io_.on_output)) return StreamEnd::Stopped;
    }
  }

  void copy_input() {
    char buffer[kChunk];
    ssize_t n = ::read(io_.in_fd, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {  // the end of the input, or it cannot be read: the container's stdin ends
      input_open_ = false;
      c_.close_write();
      return;
    }
    c_.write(buffer, static_cast<size_t>(n));
  }

  HijackedConnection& c_;
  const StreamIo& io_;
  LogDemuxer demuxer_;
  bool input_open_;
  Clock::time_point deadline_{};
  unsigned short rows_ = 0, columns_ = 0;
};

}  // namespace

StreamEnd pump(HijackedConnection& connection, bool tty, const StreamIo& io) {
  LogFn ignore = [](LogStream, const std::string&) { return true; };
  StreamIo with_output = io;
  if (!with_output.on_output) with_output.on_output = ignore;
  return Pump(connection, tty, with_output).run();
}

}  // namespace dm::engine
