// Serialises operations on one group across the processes of one user, so two
// `start`s of the same group never both create its containers. The lock is a
// file, <runtime directory>/<group>.lock (see runtime_dir.h for where that
// directory is and why only its user may write it), held with flock() for the
// length of an operation and removed at its end; the kernel releases it if
// the process dies. The holder writes its PID and command line into the file,
// so a process that has to wait can say whom it waits for.
#ifndef DM_ORCHESTRATOR_LOCK_H
#define DM_ORCHESTRATOR_LOCK_H

#include <chrono>
#include <string>

#include "common/cancel.h"
#include "orchestrator/defaults.h"
#include "orchestrator/events.h"
#include "orchestrator/runtime_dir.h"

namespace dm::orchestrator {

class LockFileWatch;

class GroupLock {
 public:
  // How long a stop waits for another process's operation on the group. A
  // stop has no timeout of its own for this (its timeout is the grace period
  // of each container), and waiting forever is never right. The C header
  // says it as DM_STOP_LOCK_WAIT_SECONDS (src/capi/options.cc checks they
  // agree).
  static constexpr double kStopWaitSeconds = defaults::kStopLockWaitSeconds;

  // Blocks until the lock is held. While another process holds it, emits one
  // Phase::Waiting event naming that process ("group 'x' is locked by
  // process 4242 (python3 spec.py start); waiting up to 300 s"). The wait
  // ends as soon as the holder lets go (an inotify watch on the file, not a
  // poll). Throws Code::Cancelled when `cancel` is cancelled first,
  // Code::Timeout naming the holder and the lock file when `wait_seconds`
  // pass (0 or less: no wait; infinity: no limit), and Code::Invalid when the
  // lock file or its directory is not safe to use.
  GroupLock(const std::string& group, Events& events, const CancelToken& cancel,
            double wait_seconds);
  ~GroupLock();
  GroupLock(const GroupLock&) = delete;
  GroupLock& operator=(const GroupLock&) = delete;

  // The lock file of `group` (its directory is created and checked).
  static std::string path_for(const std::string& group);

 private:
  // A wait for the lock, for wait_turn().
  struct Turn {
    Events& events;
    const CancelToken& cancel;
    std::chrono::steady_clock::time_point began;
    double wait;
    bool unlimited;
    bool announced;
  };
  void wait_turn(Turn& turn, LockFileWatch& watch);
  int open_file() const;
  // Whether fd_ is still the file at the lock's path: the holder before us
  // may have removed it (and a third process made a new one) while we waited.
  bool still_named() const;

  RuntimeDir dir_;  // first: the members below are files in it
  std::string group_;
  std::string name_;  // "<group>.lock", relative to dir_
  std::string path_;  // for messages
  int fd_ = -1;
};

}  // namespace dm::orchestrator

#endif
