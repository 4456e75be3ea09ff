#include "orchestrator/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "common/error.h"

namespace dm::orchestrator {

std::string GroupLock::path_for(const std::string& group) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = (tmp && *tmp) ? tmp : "/tmp";
  return dir + "/drillmaster-" + group + ".lock";
}

namespace {

// Whether `fd` is still the file at `path`: the holder before us may have
// removed it (and a third process made a new one) while we waited.
bool still_at(int fd, const std::string& path) {
  struct stat held, named;
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 &&
         held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

}  // namespace

GroupLock::GroupLock(const std::string& group, Events& events, const std::atomic<bool>& cancel)
    : path_(path_for(group)) {
  bool announced = false;
  while (true) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd_ < 0)
      throw Error(DM_EINVALID, "cannot open the lock file " + path_ + " of group '" + group +
                                   "': " + std::strerror(errno) +
                                   "; set TMPDIR to a writable directory");
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        int err = errno;
        ::close(fd_);
        throw Error(DM_EINTERNAL, "cannot lock " + path_ + ": " + std::strerror(err));
      }
      if (!announced) {
        events.emit("", DM_PHASE_WAITING,
                    "another drillmaster process is working on group '" + group + "'; waiting for it");
        announced = true;
      }
      if (cancel.load()) {
        ::close(fd_);
        throw Error(DM_ECANCELLED, "cancelled while waiting for another drillmaster process");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (still_at(fd_, path_)) return;
    ::close(fd_);  // locked a file that is gone: take the one there now
  }
}

GroupLock::~GroupLock() {
  // Removed while still held, so nothing is left in the temporary directory;
  // a process waiting on this file notices (still_at) and takes a new one.
  ::unlink(path_.c_str());
  ::close(fd_);  // closing releases the flock
}

}  // namespace dm::orchestrator
