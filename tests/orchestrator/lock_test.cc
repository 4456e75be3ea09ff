// The group lock against a hostile or busy machine: where the lock file
// lives (XDG_RUNTIME_DIR, else a private directory under TMPDIR), that a
// planted symbolic link or a directory of another user is never used, and
// what a start does while another process holds the lock (says who, gives up
// at its timeout, can be cancelled). Each test points TMPDIR at a temporary
// directory of its own and unsets XDG_RUNTIME_DIR unless it tests it, so
// both branches run whatever the environment of the suite.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "orchestrator/lock.h"
#include "support/lifecycle.h"

namespace dm::testing {
namespace {

namespace fs = std::filesystem;

// Sets (or, with nullopt, unsets) an environment variable for a scope. The
// tests change the environment only while no operation runs.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A fresh directory under /tmp, removed with everything in it at the end.
class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/dmt-lock-XXXXXX";
    const char* made = ::mkdtemp(pattern);
    if (made == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// TMPDIR pointed at a temporary directory and XDG_RUNTIME_DIR unset: the
// lock directory is <tmp>/drillmaster-<uid>.
struct PrivateTmp {
  TempDir tmp;
  ScopedEnv tmpdir{"TMPDIR", tmp.path()};
  ScopedEnv xdg{"XDG_RUNTIME_DIR", std::nullopt};

  std::string lock_dir() const {
    return tmp.path() + "/drillmaster-" + std::to_string(::geteuid());
  }
  std::string lock_file(const std::string& group) const {
    return lock_dir() + "/" + group + ".lock";
  }
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& content, mode_t mode) {
  { std::ofstream(path) << content; }
  ::chmod(path.c_str(), mode);
}

mode_t mode_of(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 ? (st.st_mode & 07777) : 0;
}

// What a ping hook saw of the lock file while the start held it.
struct LockSeen {
  std::string path;
  bool existed = false;
  mode_t mode = 0;
  std::string content;

  static int ping(const dm_hook_info*, void* user_data) {
    auto* self = static_cast<LockSeen*>(user_data);
    struct stat st;
    self->existed = ::lstat(self->path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
    self->mode = st.st_mode & 07777;
    self->content = read_file(self->path);
    return DM_PING_READY;
  }
};

// Another process holding a group's lock: a child of this test, taking it
// with the product's own GroupLock (so it writes its PID as drillmaster
// does), until release().
class LockHolder {
 public:
  explicit LockHolder(const std::string& group) {
    int ready[2], release[2];
    if (::pipe(ready) != 0 || ::pipe(release) != 0) throw std::runtime_error("pipe failed");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(release[1]);
      int status = 0;
      try {
        orchestrator::Events events(nullptr);
        CancelToken cancel;
        orchestrator::GroupLock lock(group, events, cancel, 0);
        char c = 'x';
        if (::write(ready[1], &c, 1) != 1) status = 2;
        ssize_t got = ::read(release[0], &c, 1);  // a byte, or EOF when the test ends
        (void)got;
      } catch (...) {
        status = 1;
      }
      ::_exit(status);
    }
    ::close(ready[1]);
    ::close(release[0]);
    release_fd_ = release[1];
    char c = 0;
    held_ = ::read(ready[0], &c, 1) == 1;
    ::close(ready[0]);
  }
  ~LockHolder() { release(); }

  pid_t pid() const { return pid_; }
  bool held() const { return held_; }

  // Lets the child drop the lock and exit; its exit status.
  int release() {
    if (release_fd_ >= 0) {
      ::close(release_fd_);
      release_fd_ = -1;
      int status = 0;
      ::waitpid(pid_, &status, 0);
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    return exit_status_;
  }

 private:
  pid_t pid_ = -1;
  int release_fd_ = -1;
  bool held_ = false;
  int exit_status_ = -1;
};

// Waits (bounded) until `events` holds an event of the group in `phase`.
bool await_event(const EventRecorder& events, int phase) {
  double until = monotonic_seconds() + 60;
  while (monotonic_seconds() < until) {
    if (events.first("", phase) >= 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string message_of(const EventRecorder& events, int phase) {
  for (const auto& e : events.events())
    if (e.service.empty() && e.phase == phase) return e.message;
  return "";
}

using Lock = LifecycleTest;

// ---- where the lock lives ----

TEST_F(Lock, WithoutXdgRuntimeDirItIsInAPrivateDirectoryUnderTmpdirAndIsRemovedAtTheEnd) {
  PrivateTmp env;
  dm_group* g = new_group("lockdir");
  LockSeen seen;
  seen.path = env.lock_file(group_name(g));
  dm_service_set_ping(add_sleeper(g, "db"), LockSeen::ping, &seen);

  ResultPtr result;
  ASSERT_EQ(start(g, result.out()), DM_OK) << dm_error_last() << describe(result);
  EXPECT_TRUE(seen.existed) << seen.path;
  EXPECT_EQ(seen.mode, 0600u);
  EXPECT_EQ(seen.content.rfind(std::to_string(::getpid()) + "\n", 0), 0u) << seen.content;
  EXPECT_EQ(mode_of(env.lock_dir()), 0700u);
  EXPECT_FALSE(fs::exists(seen.path)) << "the lock file is removed when the operation ends";
  EXPECT_EQ(orchestrator::GroupLock::path_for("x"), env.lock_file("x"));
}

TEST_F(Lock, WithAnXdgRuntimeDirOfTheUserItIsThere) {
  PrivateTmp env;
  std::string xdg = env.tmp.path() + "/run-user";
  ASSERT_EQ(::mkdir(xdg.c_str(), 0700), 0);
  ScopedEnv xdg_env("XDG_RUNTIME_DIR", xdg);
  dm_group* g = new_group("lockxdg");
  LockSeen seen;
  seen.path = xdg + "/drillmaster/" + group_name(g) + ".lock";
  dm_service_set_ping(add_sleeper(g, "db"), LockSeen::ping, &seen);

  ResultPtr result;
  ASSERT_EQ(start(g, result.out()), DM_OK) << dm_error_last() << describe(result);
  EXPECT_TRUE(seen.existed) << seen.path;
  EXPECT_EQ(seen.content.rfind(std::to_string(::getpid()) + "\n", 0), 0u) << seen.content;
  EXPECT_EQ(mode_of(xdg + "/drillmaster"), 0700u);
  EXPECT_FALSE(fs::exists(env.lock_dir())) << "TMPDIR is not used when XDG_RUNTIME_DIR is";
  EXPECT_FALSE(fs::exists(seen.path));
}

TEST_F(Lock, AnXdgRuntimeDirOthersCanWriteOrThatIsRelativeIsPassedOverForTmpdir) {
  PrivateTmp env;
  std::string xdg = env.tmp.path() + "/shared";
  ASSERT_EQ(::mkdir(xdg.c_str(), 0700), 0);
  ASSERT_EQ(::chmod(xdg.c_str(), 0777), 0);
  {
    ScopedEnv xdg_env("XDG_RUNTIME_DIR", xdg);
    EXPECT_EQ(orchestrator::GroupLock::path_for("x"), env.lock_file("x"));
  }
  {
    ScopedEnv xdg_env("XDG_RUNTIME_DIR", std::string("relative/run"));
    EXPECT_EQ(orchestrator::GroupLock::path_for("x"), env.lock_file("x"));
  }
  EXPECT_FALSE(fs::exists(xdg + "/drillmaster"));
}

// ---- planted files ----

TEST_F(Lock, ASymlinkPlantedWhereTheLockUsedToBeIsNeverFollowed) {
  PrivateTmp env;
  dm_group* g = new_group("oldpath");
  add_sleeper(g, "db");
  // The old, shared location: ${TMPDIR}/drillmaster-<group>.lock.
  std::string precious = env.tmp.path() + "/precious";
  write_file(precious, "keep me\n", 0644);
  std::string planted = env.tmp.path() + "/drillmaster-" + group_name(g) + ".lock";
  ASSERT_EQ(::symlink(precious.c_str(), planted.c_str()), 0);

  ResultPtr result;
  ASSERT_EQ(start(g, result.out()), DM_OK) << dm_error_last() << describe(result);
  EXPECT_EQ(read_file(precious), "keep me\n");
  EXPECT_EQ(mode_of(precious), 0644u);
  EXPECT_TRUE(fs::is_symlink(planted));
}

TEST_F(Lock, ASymlinkPlantedAtTheLockFileIsRefusedAndItsTargetUntouched) {
  PrivateTmp env;
  dm_group* g = new_group("planted");
  add_sleeper(g, "db");
  ASSERT_EQ(::mkdir(env.lock_dir().c_str(), 0700), 0);
  std::string precious = env.tmp.path() + "/precious";
  write_file(precious, "keep me\n", 0644);
  std::string lock = env.lock_file(group_name(g));
  ASSERT_EQ(::symlink(precious.c_str(), lock.c_str()), 0);

  ResultPtr result;
  EXPECT_EQ(start(g, result.out()), DM_EINVALID);
  std::string message = dm_error_last();
  EXPECT_NE(message.find(lock), std::string::npos) << message;
  EXPECT_NE(message.find("symbolic link"), std::string::npos) << message;
  EXPECT_EQ(read_file(precious), "keep me\n");
  EXPECT_EQ(mode_of(precious), 0644u);
  EXPECT_TRUE(engine_->containers(group_name(g)).empty()) << "refused before touching the engine";
  ::unlink(lock.c_str());
}

TEST_F(Lock, ASymlinkPlantedAsTheLockDirectoryIsRefused) {
  PrivateTmp env;
  dm_group* g = new_group("planteddir");
  add_sleeper(g, "db");
  std::string elsewhere = env.tmp.path() + "/elsewhere";
  ASSERT_EQ(::mkdir(elsewhere.c_str(), 0700), 0);
  ASSERT_EQ(::symlink(elsewhere.c_str(), env.lock_dir().c_str()), 0);

  ResultPtr result;
  EXPECT_EQ(start(g, result.out()), DM_EINVALID);
  std::string message = dm_error_last();
  EXPECT_NE(message.find(env.lock_dir()), std::string::npos) << message;
  EXPECT_NE(message.find("symbolic link"), std::string::npos) << message;
  EXPECT_NE(message.find("XDG_RUNTIME_DIR"), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(elsewhere));
}

TEST_F(Lock, ALockDirectoryOthersCanWriteIsRefused) {
  PrivateTmp env;
  dm_group* g = new_group("openmode");
  add_sleeper(g, "db");
  ASSERT_EQ(::mkdir(env.lock_dir().c_str(), 0700), 0);
  ASSERT_EQ(::chmod(env.lock_dir().c_str(), 0777), 0);

  ResultPtr result;
  EXPECT_EQ(start(g, result.out()), DM_EINVALID);
  std::string message = dm_error_last();
  EXPECT_NE(message.find("writable by other users (mode 0777)"), std::string::npos) << message;
  EXPECT_NE(message.find("chmod 700 " + env.lock_dir()), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(env.lock_dir()));
}

TEST_F(Lock, AsRootADirectoryOrLockFileOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give a directory to another user";
  PrivateTmp env;
  dm_group* g = new_group("foreign");
  add_sleeper(g, "db");
  const uid_t nobody = 65534;
  ASSERT_EQ(::mkdir(env.lock_dir().c_str(), 0700), 0);
  ASSERT_EQ(::chown(env.lock_dir().c_str(), nobody, nobody), 0);

  ResultPtr result;
  EXPECT_EQ(start(g, result.out()), DM_EINVALID);
  std::string message = dm_error_last();
  EXPECT_NE(message.find(env.lock_dir() + ": it belongs to uid 65534, not to you (uid 0)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("set XDG_RUNTIME_DIR"), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(env.lock_dir()));

  // Our own directory, but a lock file in it that another user made.
  ASSERT_EQ(::chown(env.lock_dir().c_str(), 0, 0), 0);
  std::string lock = env.lock_file(group_name(g));
  write_file(lock, "", 0600);
  ASSERT_EQ(::chown(lock.c_str(), nobody, nobody), 0);
  EXPECT_EQ(start(g, result.out()), DM_EINVALID);
  message = dm_error_last();
  EXPECT_NE(message.find("lock file " + lock), std::string::npos) << message;
  EXPECT_NE(message.find("belongs to uid 65534"), std::string::npos) << message;
  ::unlink(lock.c_str());
}

// ---- another process holds the lock ----

TEST_F(Lock, AStartWaitsNamingTheHolderAndGivesUpAtItsTimeout) {
  PrivateTmp env;
  dm_group* g = new_group("held");
  add_sleeper(g, "db");
  LockHolder holder(group_name(g));
  ASSERT_TRUE(holder.held());

  EventRecorder events;
  ResultPtr result;
  double began = monotonic_seconds();
  EXPECT_EQ(start(g, result.out(), &events, /*timeout=*/1), DM_ETIMEOUT);
  double took = monotonic_seconds() - began;
  std::string message = dm_error_last();
  EXPECT_EQ(result.p, nullptr);

  std::string pid = std::to_string(holder.pid());
  std::string waiting = message_of(events, DM_PHASE_WAITING);
  EXPECT_EQ(waiting.rfind("group '" + group_name(g) + "' is locked by process " + pid + " (", 0),
            0u)
      << events.dump();
  EXPECT_NE(waiting.find("; waiting up to 1 s"), std::string::npos) << waiting;
  EXPECT_NE(message.find("still locked by process " + pid + " ("), std::string::npos) << message;
  EXPECT_NE(message.find("after 1 s"), std::string::npos) << message;
  EXPECT_NE(message.find("lock file " + env.lock_file(group_name(g))), std::string::npos)
      << message;
  EXPECT_GE(took, 1.0);
  EXPECT_LT(took, 30.0);
  EXPECT_TRUE(engine_->containers(group_name(g)).empty()) << "nothing is done without the lock";

  EXPECT_EQ(holder.release(), 0);
  EXPECT_FALSE(fs::exists(env.lock_file(group_name(g))));
}

TEST_F(Lock, AStartWaitingForAnotherProcessCanBeCancelled) {
  PrivateTmp env;
  dm_group* g = new_group("heldcancel");
  add_sleeper(g, "db");
  LockHolder holder(group_name(g));
  ASSERT_TRUE(holder.held());

  EventRecorder events;
  ResultPtr result;
  std::thread canceller([&] {
    if (await_event(events, DM_PHASE_WAITING)) dm_group_cancel(g);
  });
  EXPECT_EQ(start(g, result.out(), &events, /*timeout=*/120), DM_ECANCELLED);
  canceller.join();
  ASSERT_NE(result.p, nullptr);
  EXPECT_TRUE(dm_result_cancelled(result));
  EXPECT_EQ(outcome_of(result, "db"), DM_OUTCOME_CANCELLED);
  EXPECT_TRUE(engine_->containers(group_name(g)).empty());
  EXPECT_EQ(holder.release(), 0);
}

TEST_F(Lock, AStopWaitsForTheHolderThenGoesOn) {
  PrivateTmp env;
  dm_group* g = new_group("heldstop");
  add_sleeper(g, "db");
  ResultPtr started;
  ASSERT_EQ(start(g, started.out()), DM_OK) << dm_error_last() << describe(started);

  LockHolder holder(group_name(g));
  ASSERT_TRUE(holder.held());
  EventRecorder events;
  ResultPtr stopped;
  int rc = -1;
  std::thread stopper([&] { rc = stop(g, stopped.out(), /*remove=*/true, &events); });
  bool waited = await_event(events, DM_PHASE_WAITING);
  EXPECT_EQ(engine_->containers(group_name(g)).size(), 1u) << "nothing stopped while waiting";
  EXPECT_EQ(holder.release(), 0);
  stopper.join();
  EXPECT_TRUE(waited) << events.dump();
  EXPECT_NE(message_of(events, DM_PHASE_WAITING)
                .find("locked by process " + std::to_string(holder.pid())),
            std::string::npos)
      << events.dump();
  EXPECT_EQ(rc, DM_OK) << describe(stopped);
  EXPECT_EQ(outcome_of(stopped, "db"), DM_OUTCOME_REMOVED) << describe(stopped);
  EXPECT_TRUE(engine_->containers(group_name(g)).empty());
}

}  // namespace
}  // namespace dm::testing
