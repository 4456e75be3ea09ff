// The reaper's reading of its control stream (reaper/control.h), over a
// real socket pair as the library makes it: "keep" ends it with Keep, the
// end of the stream (the owner exited, however) with Remove, "watch <pid>"
// adds a process to wait for at once; lines split across reads, unknown
// lines and overlong ones change nothing.
#include "reaper/control.h"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace dm::reaper {
namespace {

// A socket pair: `owner` writes as the library does, `reaper` is read.
struct Stream {
  Stream() {
    int fds[2];
    EXPECT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), 0);
    owner = fds[0];
    reaper = fds[1];
  }
  ~Stream() {
    close_owner();
    ::close(reaper);
  }
  void say(const std::string& text) {
    ASSERT_EQ(::write(owner, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  }
  void close_owner() {
    if (owner >= 0) ::close(owner);
    owner = -1;
  }
  int owner, reaper;
};

// A child that lives until killed, for a watch that must still run.
pid_t sleeper() {
  pid_t pid = ::fork();
  if (pid == 0) {
    // Holding the owner's end of a stream would keep it from ending.
    for (int fd = 3; fd < 1024; fd++) ::close(fd);
    ::pause();
    ::_exit(0);
  }
  return pid;
}

TEST(Control, KeepEndsItWithoutWaitingForTheEnd) {
  Stream s;
  ProcessWatch watch;
  s.say("keep\n");  // the owner's end stays open
  EXPECT_EQ(read_control(s.reaper, watch), Verdict::Keep);
}

TEST(Control, TheEndOfTheStreamMeansRemove) {
  Stream s;
  ProcessWatch watch;
  s.close_owner();
  EXPECT_EQ(read_control(s.reaper, watch), Verdict::Remove);
  EXPECT_EQ(watch.running(), 0u);
}

TEST(Control, AnUnfinishedKeepIsNoKeep) {
  Stream s;
  ProcessWatch watch;
  s.say("keep");  // killed before the newline
  s.close_owner();
  EXPECT_EQ(read_control(s.reaper, watch), Verdict::Remove);
}

TEST(Control, WatchLinesAddProcessesAsTheyCome) {
  Stream s;
  ProcessWatch watch;
  pid_t a = sleeper(), b = sleeper();
  ASSERT_GT(a, 0);
  ASSERT_GT(b, 0);
  s.say("watch " + std::to_string(a) + "\nwat");
  s.say("ch " + std::to_string(b) + "\n");                              // split across two reads
  s.say("watch " + std::to_string(a) + "\n");                           // again: still one
  s.say("colour blue\nwatch 0\n" + std::string(5000, 'x') + "keep\n");  // unknown, overlong
  s.close_owner();
  EXPECT_EQ(read_control(s.reaper, watch), Verdict::Remove)
      << "an overlong line swallows the keep that ends it";
  EXPECT_EQ(watch.running(), 2u);
  ::kill(a, SIGKILL);
  ::waitpid(a, nullptr, 0);
  EXPECT_EQ(watch.running(), 1u);
  ::kill(b, SIGKILL);
  ::waitpid(b, nullptr, 0);
  watch.wait_all();
  EXPECT_EQ(watch.running(), 0u);
}

}  // namespace
}  // namespace dm::reaper
