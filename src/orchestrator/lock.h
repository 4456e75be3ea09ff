// Serialises operations on one group across processes, so two `start`s of the
// same group never both create its containers. The lock is a file,
// ${TMPDIR:-/tmp}/drillmaster-<group>.lock, held with flock() for the length
// of an operation and removed at its end; the kernel releases it if the
// process dies.
#ifndef DM_ORCHESTRATOR_LOCK_H
#define DM_ORCHESTRATOR_LOCK_H

#include <atomic>
#include <string>

#include "orchestrator/events.h"

namespace dm::orchestrator {

class GroupLock {
 public:
  // Blocks until the lock is held (emitting one event if another process has
  // it), or throws DM_ECANCELLED when `cancel` becomes true first.
  GroupLock(const std::string& group, Events& events, const std::atomic<bool>& cancel);
  ~GroupLock();
  GroupLock(const GroupLock&) = delete;
  GroupLock& operator=(const GroupLock&) = delete;

  static std::string path_for(const std::string& group);

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace dm::orchestrator

#endif
