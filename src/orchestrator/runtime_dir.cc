#include "orchestrator/runtime_dir.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/error.h"

namespace dm::orchestrator {

namespace {

const char kWhatToDo[] = "set XDG_RUNTIME_DIR (or TMPDIR) to a directory that only you can write";

bool only_writable_by(const struct stat& st, uid_t uid) {
  return st.st_uid == uid && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0;
}

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

// $XDG_RUNTIME_DIR when it is usable as it is; "" otherwise. Not an error
// when it is not: sudo and su often keep another user's value, and /tmp is
// the documented fallback.
std::string xdg_runtime_dir(uid_t uid) {
  const char* xdg = std::getenv("XDG_RUNTIME_DIR");
  if (xdg == nullptr || xdg[0] != '/') return "";
  struct stat st;
  if (::stat(xdg, &st) != 0 || !S_ISDIR(st.st_mode) || !only_writable_by(st, uid)) return "";
  return without_trailing_slashes(xdg);
}

std::string chosen_path(uid_t uid) {
  std::string xdg = xdg_runtime_dir(uid);
  if (!xdg.empty()) return (xdg == "/" ? "" : xdg) + "/drillmaster";
  const char* tmp = std::getenv("TMPDIR");
  std::string base = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
  if (base.front() != '/')
    throw Error(Error::Code::Invalid,
                "TMPDIR '" + base +
                    "' is not an absolute path, and drillmaster keeps its lock files "
                    "under it when XDG_RUNTIME_DIR is not usable; set TMPDIR to an "
                    "absolute directory, or unset it to use /tmp");
  base = without_trailing_slashes(base);
  return (base == "/" ? "" : base) + "/drillmaster-" + std::to_string(uid);
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

[[noreturn]] void refuse(const std::string& path, const std::string& problem,
                         const std::string& remedy) {
  throw Error(Error::Code::Invalid,
              "cannot keep drillmaster's lock files in " + path + ": " + problem + "; " + remedy);
}

}  // namespace

RuntimeDir::RuntimeDir() {
  const uid_t uid = ::geteuid();
  path_ = chosen_path(uid);
  if (::mkdir(path_.c_str(), 0700) != 0 && errno != EEXIST)
    refuse(path_, std::string("cannot create it: ") + std::strerror(errno), kWhatToDo);
  // O_NOFOLLOW: a symbolic link planted at the path is not followed; the
  // checks below are made on what was opened, so nothing can swap it after.
  fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd_ < 0) {
    int err = errno;
    if (err == ELOOP || err == ENOTDIR)
      refuse(path_,
             "it is not a directory but a symbolic link or a file, which drillmaster does not "
             "follow (another user may have planted it)",
             "remove it, or " + std::string(kWhatToDo));
    refuse(path_, std::string("cannot open it: ") + std::strerror(err), kWhatToDo);
  }
  struct stat st;
  std::string problem, remedy;
  if (::fstat(fd_, &st) != 0) {
    problem = std::string("cannot inspect it: ") + std::strerror(errno);
    remedy = kWhatToDo;
  } else if (st.st_uid != uid) {
    problem = "it belongs to uid " + std::to_string(st.st_uid) + ", not to you (uid " +
              std::to_string(uid) + "), so that user could replace the lock files in it";
    remedy = "remove it if nobody uses it, or " + std::string(kWhatToDo);
  } else if (!only_writable_by(st, uid)) {
    problem = "it is writable by other users (mode " + octal_mode(st.st_mode) + ")";
    remedy = "run chmod 700 " + path_ + ", or " + kWhatToDo;
  }
  if (!problem.empty()) {
    ::close(fd_);
    fd_ = -1;
    refuse(path_, problem, remedy);
  }
}

RuntimeDir::~RuntimeDir() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace dm::orchestrator
