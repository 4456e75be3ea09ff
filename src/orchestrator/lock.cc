#include "orchestrator/lock.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
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

GroupLock::GroupLock(const std::string& group, Events& events, const std::atomic<bool>& cancel) {
  std::string path = path_for(group);
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd_ < 0)
    throw Error(DM_EINVALID, "cannot open the lock file " + path + " of group '" + group +
                                 "': " + std::strerror(errno) + "; set TMPDIR to a writable directory");
  bool announced = false;
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR) {
      int err = errno;
      ::close(fd_);
      throw Error(DM_EINTERNAL, "cannot lock " + path + ": " + std::strerror(err));
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
}

GroupLock::~GroupLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

}  // namespace dm::orchestrator
