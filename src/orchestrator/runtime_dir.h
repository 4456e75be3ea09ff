// The directory where drillmaster keeps its per-user runtime files (the group
// locks). It must be writable by the invoking user alone: a file another local
// user can create or replace there (a symbolic link planted in /tmp) would let
// them redirect what drillmaster opens, or hold a lock forever.
//
// Where it is:
//   - $XDG_RUNTIME_DIR/drillmaster, when XDG_RUNTIME_DIR is set, absolute,
//     a directory owned by the effective user and not writable by group or
//     others (systemd makes /run/user/<uid> so);
//   - otherwise ${TMPDIR:-/tmp}/drillmaster-<uid>.
// The last component is created mode 0700 when missing, then checked through
// an O_NOFOLLOW descriptor: a real directory (not a symbolic link), owned by
// the effective user, without group or other write permission. Anything else
// is refused with a message saying what is wrong with which path.
#ifndef DM_ORCHESTRATOR_RUNTIME_DIR_H
#define DM_ORCHESTRATOR_RUNTIME_DIR_H

#include <string>

namespace dm::orchestrator {

// An open, checked runtime directory: files in it are opened with openat()
// on `fd`, so nothing between the check and the use can swap the directory.
class RuntimeDir {
 public:
  // Finds, creates and checks the directory; throws dm::Error(Code::Invalid)
  // naming the path, the problem and what to do.
  RuntimeDir();
  ~RuntimeDir();
  RuntimeDir(const RuntimeDir&) = delete;
  RuntimeDir& operator=(const RuntimeDir&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace dm::orchestrator

#endif
