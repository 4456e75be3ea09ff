#include "reaper/process_watch.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

namespace dm::reaper {
namespace {

// How often a process is looked at when the kernel has no pidfds.
constexpr int kPollMilliseconds = 200;

int pidfd_for(long pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0));
#else
  errno = ENOSYS;
  return -1;
#endif
}

bool gone(long pid) {
  // EPERM: it exists, as another user's process.
  return ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

ProcessWatch::~ProcessWatch() {
  for (const Watched& w : watched_)
    if (w.pidfd >= 0) ::close(w.pidfd);
}

void ProcessWatch::add(long pid) {
  for (const Watched& w : watched_)
    if (w.pid == pid) return;
  int fd = pidfd_for(pid);
  if (fd < 0 && errno == ESRCH) {
    watched_.push_back({pid, -1, true});
    return;
  }
  // No pidfd (an old kernel): kill() tells whether it still exists.
  watched_.push_back({pid, fd, fd < 0 && gone(pid)});
}

// Whether `w` has exited, waiting up to `timeout_ms` (-1: as long as it runs).
bool ProcessWatch::exited(Watched& w, int timeout_ms) {
  if (w.exited) return true;
  if (w.pidfd >= 0) {
    pollfd p = {w.pidfd, POLLIN, 0};
    int n = ::poll(&p, 1, timeout_ms);
    if (n < 0 && errno == EINTR) return false;
    // A pidfd turns readable when its process exits (zombie or reaped).
    w.exited = n != 0;
    return w.exited;
  }
  if (timeout_ms != 0 && !gone(w.pid))
    ::usleep(static_cast<useconds_t>(
        (timeout_ms < 0 ? kPollMilliseconds : std::min(timeout_ms, kPollMilliseconds)) * 1000));
  w.exited = gone(w.pid);
  return w.exited;
}

size_t ProcessWatch::running() {
  size_t n = 0;
  for (Watched& w : watched_)
    if (!exited(w, 0)) n++;
  return n;
}

void ProcessWatch::wait_all() {
  for (Watched& w : watched_)
    while (!exited(w, -1)) {
    }
}

}  // namespace dm::reaper
