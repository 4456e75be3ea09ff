#include "common/cancel.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <thread>

#include "common/error.h"

namespace dm {
namespace {

int new_eventfd(const char* what) {
  int fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (fd < 0)
    throw Error(Error::Code::NoMemory, std::string("cannot create the eventfd of ") + what + ": " +
                                           std::strerror(errno) + " (too many open files?)");
  return fd;
}

// write() and read() of an eventfd move 8 bytes or fail (EAGAIN: the counter
// is full, or empty); either way there is nothing to retry.
void signal_fd(int fd) noexcept {
  uint64_t one = 1;
  ssize_t n = ::write(fd, &one, sizeof one);
  (void)n;
}

void drain_fd(int fd) noexcept {
  uint64_t count;
  ssize_t n = ::read(fd, &count, sizeof count);
  (void)n;
}

}  // namespace

CancelToken::CancelToken() : fd_(new_eventfd("a cancellation token")) {}

CancelToken::~CancelToken() {
  // A cancel() on another thread is two steps; the flag it stored first may
  // be what let the destroying thread get here. Its write comes next.
  while (cancelling_.load() != 0) std::this_thread::yield();
  ::close(fd_);
}

void CancelToken::cancel() noexcept {
  int saved = errno;  // a signal handler must leave errno as it found it
  cancelling_.fetch_add(1);
  cancelled_.store(true);
  signal_fd(fd_);
  cancelling_.fetch_sub(1);  // the last touch of the token
  errno = saved;
}

void CancelToken::reset() noexcept {
  cancelled_.store(false);
  drain_fd(fd_);
  // A cancel() that stored its flag before the store above and wrote after
  // the drain would leave the fd readable and the flag false; one that
  // stored after it and wrote before the drain would leave the opposite.
  // Put the fd back in step with a flag that was set meanwhile.
  if (cancelled_.load()) signal_fd(fd_);
}

CancelWatcher::CancelWatcher(const CancelToken& token)
    : token_(token), stop_fd_(new_eventfd("a cancellation watcher")) {
  try {
    thread_ = std::thread([this] { watch(); });
  } catch (...) {
    ::close(stop_fd_);
    throw;
  }
}

CancelWatcher::~CancelWatcher() {
  signal_fd(stop_fd_);
  thread_.join();
  ::close(stop_fd_);
}

void CancelWatcher::watch() noexcept {
  pollfd fds[2] = {{stop_fd_, POLLIN, 0}, {token_.fd(), POLLIN, 0}};
  nfds_t count = 2;
  while (true) {
    if (::poll(fds, count, -1) < 0) {
      if (errno == EINTR) continue;
      return;  // cannot happen with valid descriptors; the waits keep their deadlines
    }
    if (fds[0].revents != 0) return;
    if (count == 2 && fds[1].revents != 0) {
      // Only a cancel that reset() did not undo counts; either way the token
      // is watched no more, so a stale readable fd cannot spin this loop.
      count = 1;
      if (!token_.cancelled()) continue;
      std::lock_guard<std::mutex> lock(mutex_);
      fired_ = true;
      for (auto& entry : entries_) entry.fn();
    }
  }
}

CancelWatcher::Subscription CancelWatcher::on_cancel(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto entry = entries_.insert(entries_.end(), Entry{std::move(fn)});
  if (fired_) entry->fn();
  return Subscription(this, entry);
}

CancelWatcher::Subscription CancelWatcher::wake(std::mutex& mutex, std::condition_variable& cv) {
  return on_cancel([&mutex, &cv] {
    std::lock_guard<std::mutex> lock(mutex);
    cv.notify_all();
  });
}

void CancelWatcher::remove(std::list<Entry>::iterator entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_.erase(entry);
}

CancelWatcher::Subscription::Subscription(Subscription&& other) noexcept
    : watcher_(other.watcher_), entry_(other.entry_) {
  other.watcher_ = nullptr;
}

CancelWatcher::Subscription& CancelWatcher::Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    watcher_ = other.watcher_;
    entry_ = other.entry_;
    other.watcher_ = nullptr;
  }
  return *this;
}

void CancelWatcher::Subscription::reset() {
  if (watcher_ == nullptr) return;
  watcher_->remove(entry_);
  watcher_ = nullptr;
}

}  // namespace dm
