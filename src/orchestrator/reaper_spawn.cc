#include "orchestrator/reaper_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "common/error.h"
#include "orchestrator/reaper_protocol.h"

extern char** environ;

namespace dm::orchestrator {
namespace {

// `code`: Invalid when the installation is at fault (the file cannot be
// executed, or it is a reaper of another version), Internal otherwise.
[[noreturn]] void fail(const std::string& executable, const std::string& problem,
                       Error::Code code = Error::Code::Internal) {
  throw Error(code,
              "cannot start " + executable +
                  " (which removes the group's containers when this process exits): " + problem);
}

bool installation_fault(int err) {
  return err == ENOENT || err == EACCES || err == ENOEXEC || err == ENOTDIR || err == ELOOP;
}

// A descriptor above stderr: one the host left at 0, 1 or 2 (a closed stdin)
// would clash with the child's own.
int above_stdio(int fd) {
  if (fd > 2) return fd;
  int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
  ::close(fd);
  return moved;
}

// Owns a spawn's file actions and attributes.
class SpawnSetup {
 public:
  explicit SpawnSetup(int control) {
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawnattr_init(&attributes);
    ::posix_spawn_file_actions_adddup2(&actions, control, 0);
    ::posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, 1, 2);
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    ::posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // the reaper closes them too
#endif
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    for (int sig : {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGTERM, SIGCHLD, SIGUSR1, SIGUSR2})
      sigaddset(&defaults, sig);
    ::posix_spawnattr_setsigmask(&attributes, &none);
    ::posix_spawnattr_setsigdefault(&attributes, &defaults);
    ::posix_spawnattr_setflags(&attributes,
                               POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  }
  ~SpawnSetup() {
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attributes);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;

  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
};

// Waits for the spawned process, which exits as soon as it has checked its
// arguments and forked the reaper proper.
void await_handover(const std::string& executable, pid_t pid) {
  int status = 0;
  pid_t got;
  do {
    got = ::waitpid(pid, &status, 0);
  } while (got < 0 && errno == EINTR);
  // ECHILD: the host ignores SIGCHLD, so the kernel reaped it; nothing to see.
  if (got < 0) return;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2)
    fail(executable,
         "it does not understand its arguments (exit status 2): is it from another drillmaster "
         "version than the library? Install them together, or point DRILLMASTER_REAPER at the "
         "matching one",
         Error::Code::Invalid);
  if (WIFEXITED(status))
    fail(executable, "it exited with status " + std::to_string(WEXITSTATUS(status)));
  fail(executable, "it was killed by signal " + std::to_string(WTERMSIG(status)));
}

}  // namespace

int spawn_reaper(const std::string& executable, const std::vector<std::string>& arguments) {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    fail(executable, std::string("socketpair: ") + std::strerror(errno));
  int ours = above_stdio(pair[0]);
  int theirs = above_stdio(pair[1]);
  if (ours < 0 || theirs < 0) {
    int err = errno;
    if (ours >= 0) ::close(ours);
    if (theirs >= 0) ::close(theirs);
    fail(executable, std::string("cannot move a descriptor: ") + std::strerror(err));
  }
  std::vector<std::string> words = {kReaperName};
  words.insert(words.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc;
  {
    SpawnSetup setup(theirs);
    rc = ::posix_spawn(&pid, executable.c_str(), &setup.actions, &setup.attributes, argv.data(),
                       environ);
  }
  ::close(theirs);
  if (rc != 0) {
    ::close(ours);
    fail(executable, std::strerror(rc),
         installation_fault(rc) ? Error::Code::Invalid : Error::Code::Internal);
  }
  try {
    await_handover(executable, pid);
  } catch (...) {
    ::close(ours);
    throw;
  }
  return ours;
}

bool send_to_reaper(int fd, const std::string& text) {
  size_t sent = 0;
  while (sent < text.size()) {
    ssize_t n = ::send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool reaper_alive(int fd) {
  pollfd p = {fd, POLLIN, 0};
  int n;
  do {
    n = ::poll(&p, 1, 0);
  } while (n < 0 && errno == EINTR);
  return n == 0;
}

}  // namespace dm::orchestrator
