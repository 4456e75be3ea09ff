#include "orchestrator/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <thread>

#include "common/error.h"
#include "common/text.h"

namespace dm::orchestrator {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPoll = std::chrono::milliseconds(20);
// A holder writes who it is right after taking the lock; a waiter that finds
// the file still empty gives it this many polls before saying "another
// process" without a PID.
constexpr int kPollsForHolderInfo = 25;
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

GroupLock::GroupLock(const std::string& group, Events& events, const std::atomic<bool>& cancel,
                     double wait_seconds)
    : group_(group), name_(group + ".lock"), path_(dir_.path() + "/" + name_) {
  const bool unlimited = std::isinf(wait_seconds) && wait_seconds > 0;
  const double wait = (std::isnan(wait_seconds) || wait_seconds < 0) ? 0 : wait_seconds;
  const Clock::time_point began = Clock::now();
  bool announced = false;
  int polls = 0;
  while (true) {
    fd_ = open_file();
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EINTR) continue;
      if (errno != EWOULDBLOCK) {
        int err = errno;
        ::close(fd_);
        throw Error(Error::Code::Internal, "cannot lock " + path_ + ": " + std::strerror(err));
      }
      if (!announced) {
        std::string holder = read_holder(fd_);
        if (!holder.empty() || ++polls >= kPollsForHolderInfo) {
          events.emit("", Phase::Waiting,
                      "group '" + group + "' is locked by " +
                          (holder.empty() ? "another process" : holder) + "; waiting" +
                          (unlimited ? "" : " up to " + seconds_text(wait) + " s"));
          announced = true;
        }
      }
      if (cancel.load()) {
        ::close(fd_);
        throw Error(Error::Code::Cancelled,
                    "cancelled while waiting for another drillmaster process");
      }
      double waited = std::chrono::duration<double>(Clock::now() - began).count();
      if (!unlimited && waited >= wait) {
        std::string holder = read_holder(fd_);
        ::close(fd_);
        throw Error(Error::Code::Timeout,
                    "group '" + group + "' is still locked by " +
                        (holder.empty() ? "another process" : holder) + " after " +
                        seconds_text(wait) + " s (lock file " + path_ +
                        "): another drillmaster operation on the group is under way; wait for "
                        "it to finish, or stop that process");
      }
      std::this_thread::sleep_for(kPoll);
    }
    if (still_named()) {
      write_holder(fd_);
      return;
    }
    ::close(fd_);  // locked a file that is gone: take the one there now
  }
}

GroupLock::~GroupLock() {
  // Removed while still held, so nothing is left behind; a process waiting on
  // this file notices (still_named) and takes a new one.
  ::unlinkat(dir_.fd(), name_.c_str(), 0);
  ::close(fd_);  // closing releases the flock
}

}  // namespace dm::orchestrator
