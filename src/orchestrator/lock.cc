#include "orchestrator/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <optional>

#include "common/error.h"
#include "common/text.h"

namespace dm::orchestrator {

namespace {

using Clock = std::chrono::steady_clock;

// A holder writes who it is right after taking the lock; a waiter that finds
// the file still empty gives it this long before saying "another process"
// without a PID.
constexpr auto kHolderInfoGrace = std::chrono::milliseconds(500);
// Only when the kernel refuses an inotify watch (out of watches): how often
// the lock is tried again.
constexpr auto kFallbackRetry = std::chrono::milliseconds(20);
constexpr size_t kMaxCommandLine = 200;

// What a holder writes into the lock file is shown to other processes:
// printable characters only, bounded.
std::string printable(const std::string& text, size_t limit) {
  std::string out;
  for (char c : text) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  return out;
}

std::string own_command_line() {
  std::string text;
  if (FILE* f = std::fopen("/proc/self/cmdline", "re")) {
    char buffer[1024];
    size_t n = std::fread(buffer, 1, sizeof buffer, f);
    std::fclose(f);
    text.assign(buffer, n);
    for (char& c : text)
      if (c == '\0') c = ' ';
    while (!text.empty() && text.back() == ' ') text.pop_back();
  }
  if (text.empty()) text = program_invocation_short_name;
  return printable(text, kMaxCommandLine);
}

// "<pid>\n<command line>\n", rewritten by each holder.
void write_holder(int fd) {
  std::string text = std::to_string(::getpid()) + "\n" + own_command_line() + "\n";
  if (::ftruncate(fd, 0) != 0) return;  // who holds the lock is a courtesy to waiters
  ssize_t written = ::pwrite(fd, text.data(), text.size(), 0);
  (void)written;
}

// "process 4242 (python3 spec.py start)", or "" while the holder has not
// written it yet.
std::string read_holder(int fd) {
  char buffer[512];
  ssize_t n = ::pread(fd, buffer, sizeof buffer, 0);
  if (n <= 0) return "";
  std::string text(buffer, static_cast<size_t>(n));
  size_t end_of_pid = text.find('\n');
  if (end_of_pid == std::string::npos || end_of_pid == 0 || end_of_pid > 10) return "";
  std::string pid = text.substr(0, end_of_pid);
  if (pid.find_first_not_of("0123456789") != std::string::npos) return "";
  std::string command = text.substr(end_of_pid + 1);
  command = command.substr(0, command.find('\n'));
  command = printable(command, kMaxCommandLine);
  return "process " + pid + (command.empty() ? "" : " (" + command + ")");
}

}  // namespace

// Wakes a waiter when the lock file changes: its holder closed it (which
// releases the lock, also when the holder dies), removed it, or wrote who it
// is. An inotify watch, so nothing polls; other waiters opening and closing
// the file wake it too, which costs one more try.
class LockFileWatch {
 public:
  explicit LockFileWatch(const std::string& path) {
    fd_ = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
    if (fd_ < 0) return;
    uint32_t mask = IN_CLOSE_WRITE | IN_CLOSE_NOWRITE | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF |
                    IN_MOVE_SELF | IN_DONT_FOLLOW;
    if (::inotify_add_watch(fd_, path.c_str(), mask) < 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~LockFileWatch() {
    if (fd_ >= 0) ::close(fd_);
  }
  LockFileWatch(const LockFileWatch&) = delete;
  LockFileWatch& operator=(const LockFileWatch&) = delete;

  // Blocks until the file changes, `cancel` is cancelled, or `until` passes.
  void wait(const CancelToken& cancel, std::optional<Clock::time_point> until) {
    int timeout_ms = -1;
    if (until)
      timeout_ms = static_cast<int>(std::max<int64_t>(
          0, std::chrono::ceil<std::chrono::milliseconds>(*until - Clock::now()).count()));
    if (fd_ < 0) {
      int retry = static_cast<int>(kFallbackRetry.count());
      timeout_ms = timeout_ms < 0 ? retry : std::min(timeout_ms, retry);
    }
    // A readable token that is not cancelled is a cancel its reset() undid:
    // no longer watched, so it cannot make this a busy loop.
    pollfd fds[2] = {{fd_, POLLIN, 0}, {stale_cancel_ ? -1 : cancel.fd(), POLLIN, 0}};
    if (::poll(fds, 2, timeout_ms) <= 0) return;
    if (fds[1].revents && !cancel.cancelled()) stale_cancel_ = true;
    if (fds[0].revents) {
      char events[4096];
      while (::read(fd_, events, sizeof events) > 0) {
      }
    }
  }

 private:
  int fd_ = -1;
  bool stale_cancel_ = false;
};

std::string GroupLock::path_for(const std::string& group) {
  RuntimeDir dir;
  return dir.path() + "/" + group + ".lock";
}

int GroupLock::open_file() const {
  // O_NOFOLLOW: never create or open whatever a planted symbolic link points
  // at. The directory is the user's own, so this is the second line of defence.
  int fd = ::openat(dir_.fd(), name_.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP)
      throw Error(Error::Code::Invalid,
                  "the lock file " + path_ + " of group '" + group_ +
                      "' is a symbolic link, which drillmaster does not follow; "
                      "remove it");
    throw Error(Error::Code::Invalid, "cannot open the lock file " + path_ + " of group '" +
                                          group_ + "': " + std::strerror(err));
  }
  struct stat st;
  std::string problem;
  if (::fstat(fd, &st) != 0)
    problem = std::string("cannot inspect it: ") + std::strerror(errno);
  else if (!S_ISREG(st.st_mode))
    problem = "it is not a regular file";
  else if (st.st_uid != ::geteuid())
    problem = "it belongs to uid " + std::to_string(st.st_uid) + ", not to you (uid " +
              std::to_string(::geteuid()) + ")";
  if (!problem.empty()) {
    ::close(fd);
    throw Error(Error::Code::Invalid, "cannot use the lock file " + path_ + " of group '" + group_ +
                                          "': " + problem + "; remove it");
  }
  return fd;
}

bool GroupLock::still_named() const {
  struct stat held, named;
  return ::fstat(fd_, &held) == 0 &&
         ::fstatat(dir_.fd(), name_.c_str(), &named, AT_SYMLINK_NOFOLLOW) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

GroupLock::GroupLock(const std::string& group, Events& events, const CancelToken& cancel,
                     double wait_seconds)
    : group_(group), name_(group + ".lock"), path_(dir_.path() + "/" + name_) {
  const bool unlimited = std::isinf(wait_seconds) && wait_seconds > 0;
  const double wait = (std::isnan(wait_seconds) || wait_seconds < 0) ? 0 : wait_seconds;
  Turn turn{events, cancel, Clock::now(), wait, unlimited, false};
  while (true) {
    fd_ = open_file();
    LockFileWatch watch(path_);
    // The watch is on the file at the path: when that is no longer the one
    // opened, a release of ours would go unseen.
    if (!still_named()) {
      ::close(fd_);
      continue;
    }
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) wait_turn(turn, watch);
    if (still_named()) {
      write_holder(fd_);
      return;
    }
    ::close(fd_);  // locked a file that is gone: take the one there now
  }
}

// One failed try: says who holds the lock (once), gives up when cancelled
// or out of time, else waits for the file to change.
void GroupLock::wait_turn(Turn& turn, LockFileWatch& watch) {
  if (errno == EINTR) return;
  if (errno != EWOULDBLOCK) {
    int err = errno;
    ::close(fd_);
    throw Error(Error::Code::Internal, "cannot lock " + path_ + ": " + std::strerror(err));
  }
  const Clock::time_point now = Clock::now();
  if (!turn.announced) {
    std::string holder = read_holder(fd_);
    if (!holder.empty() || now >= turn.began + kHolderInfoGrace) {
      turn.events.emit("", Phase::Waiting,
                       "group '" + group_ + "' is locked by " +
                           (holder.empty() ? "another process" : holder) + "; waiting" +
                           (turn.unlimited ? "" : " up to " + seconds_text(turn.wait) + " s"));
      turn.announced = true;
    }
  }
  if (turn.cancel.cancelled()) {
    ::close(fd_);
    throw Error(Error::Code::Cancelled, "cancelled while waiting for another drillmaster process");
  }
  const Clock::time_point give_up = turn.began + std::chrono::duration_cast<Clock::duration>(
                                                     std::chrono::duration<double>(turn.wait));
  if (!turn.unlimited && now >= give_up) {
    std::string holder = read_holder(fd_);
    ::close(fd_);
    throw Error(Error::Code::Timeout,
                "group '" + group_ + "' is still locked by " +
                    (holder.empty() ? "another process" : holder) + " after " +
                    seconds_text(turn.wait) + " s (lock file " + path_ +
                    "): another drillmaster operation on the group is under way; wait for "
                    "it to finish, or stop that process");
  }
  std::optional<Clock::time_point> until;
  if (!turn.unlimited) until = give_up;
  if (!turn.announced)
    until = std::min(until.value_or(Clock::time_point::max()), turn.began + kHolderInfoGrace);
  watch.wait(turn.cancel, until);
}

GroupLock::~GroupLock() {
  // Removed while still held, so nothing is left behind; a process waiting on
  // this file notices (still_named) and takes a new one.
  ::unlinkat(dir_.fd(), name_.c_str(), 0);
  ::close(fd_);  // closing releases the flock
}

}  // namespace dm::orchestrator
