// Waiting for processes that are not the reaper's children
// (reaper/process_watch.h): one already gone counts as exited, one that
// exits ends the wait whether or not its parent has reaped it yet, and
// wait_all() returns only once every one has.
#include "reaper/process_watch.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

namespace dm::reaper {
namespace {

// A child that exits once its pipe closes.
struct Child {
  Child() {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    pid = ::fork();
    if (pid == 0) {
      // Only its own end: another child's would keep that one from ending.
      for (int fd = 3; fd < 1024; fd++)
        if (fd != fds[0]) ::close(fd);
      char byte;
      while (::read(fds[0], &byte, 1) > 0) {
      }
      ::_exit(0);
    }
    ::close(fds[0]);
    release = fds[1];
  }
  ~Child() {
    end();
    ::waitpid(pid, nullptr, 0);
  }
  void end() {
    if (release >= 0) ::close(release);
    release = -1;
  }
  pid_t pid;
  int release;
};

TEST(ProcessWatch, AProcessAlreadyGoneCountsAsExited) {
  pid_t gone = ::fork();
  if (gone == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(gone, nullptr, 0), gone);
  ProcessWatch watch;
  watch.add(gone);
  EXPECT_EQ(watch.running(), 0u);
  watch.wait_all();
}

TEST(ProcessWatch, AnExitedProcessIsSeenBeforeItsParentReapsIt) {
  Child child;
  ProcessWatch watch;
  watch.add(child.pid);
  watch.add(child.pid);  // once is enough
  EXPECT_EQ(watch.running(), 1u);
  child.end();  // exits, and stays a zombie until ~Child
  watch.wait_all();
  EXPECT_EQ(watch.running(), 0u);
}

TEST(ProcessWatch, WaitAllWaitsForEveryOne) {
  Child first, second;
  ProcessWatch watch;
  watch.add(first.pid);
  watch.add(second.pid);
  size_t running_at_return = 99;
  std::thread waiter([&] {
    watch.wait_all();
    ProcessWatch check;  // its own look, from the waiting thread
    check.add(first.pid);
    check.add(second.pid);
    running_at_return = check.running();
  });
  first.end();
  ProcessWatch first_seen;
  first_seen.add(first.pid);
  first_seen.wait_all();
  second.end();
  waiter.join();
  EXPECT_EQ(running_at_return, 0u);
}

}  // namespace
}  // namespace dm::reaper
