// The cancellation token: a cancel reaches every kind of wait at once (a poll
// on its fd, a condition variable through a watcher, a callback), it may come
// from a signal handler, and reset() makes the token usable for the next
// operation.
#include "common/cancel.h"

#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace dm {
namespace {

using Clock = std::chrono::steady_clock;
// Far longer than any wake-up takes: a wait that lasts this long missed its cancel.
constexpr auto kForever = std::chrono::seconds(60);
constexpr double kBoundSeconds = 30;

bool readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

TEST(CancelToken, StartsUncancelledAndCancelMakesItsFdReadable) {
  CancelToken token;
  EXPECT_FALSE(token.cancelled());
  EXPECT_FALSE(readable(token.fd()));
  token.cancel();
  EXPECT_TRUE(token.cancelled());
  EXPECT_TRUE(readable(token.fd()));
  token.cancel();  // again: still just cancelled
  EXPECT_TRUE(token.cancelled());
  EXPECT_TRUE(readable(token.fd()));
}

TEST(CancelToken, ResetMakesItUncancelledForTheNextOperation) {
  CancelToken token;
  token.cancel();
  token.reset();
  EXPECT_FALSE(token.cancelled());
  EXPECT_FALSE(readable(token.fd()));
  token.cancel();
  EXPECT_TRUE(token.cancelled());
  EXPECT_TRUE(readable(token.fd()));
}

TEST(CancelToken, CancelLeavesErrnoAsItWas) {
  CancelToken token;
  errno = ERANGE;
  token.cancel();
  EXPECT_EQ(errno, ERANGE);
}

TEST(CancelToken, APollOnItsFdWakesWhenAnotherThreadCancels) {
  CancelToken token;
  auto began = Clock::now();
  std::thread canceller([&] { token.cancel(); });
  pollfd p{token.fd(), POLLIN, 0};
  int n = ::poll(&p, 1, static_cast<int>(kBoundSeconds * 1000));
  canceller.join();
  EXPECT_EQ(n, 1);
  EXPECT_LT(seconds_since(began), kBoundSeconds);
}

TEST(CancelWatcher, WakesAConditionVariableWaitWhoseDeadlineIsFarAway) {
  CancelToken token;
  CancelWatcher watcher(token);
  std::mutex mutex;
  std::condition_variable cv;
  auto subscription = watcher.wake(mutex, cv);
  bool woke_cancelled = false;
  auto began = Clock::now();
  std::thread waiter([&] {
    std::unique_lock<std::mutex> lock(mutex);
    woke_cancelled =
        cv.wait_until(lock, Clock::now() + kForever, [&] { return token.cancelled(); });
  });
  token.cancel();
  waiter.join();
  EXPECT_TRUE(woke_cancelled);
  EXPECT_LT(seconds_since(began), kBoundSeconds);
}

TEST(CancelWatcher, RunsEachCallbackOnceAndNotAfterItsSubscriptionEnded) {
  CancelToken token;
  std::mutex mutex;
  std::condition_variable cv;
  int ran = 0, ended_ran = 0;
  {
    CancelWatcher watcher(token);
    auto counted = watcher.on_cancel([&] {
      std::lock_guard<std::mutex> lock(mutex);
      ran++;
      cv.notify_all();
    });
    auto ended = watcher.on_cancel([&] { ended_ran++; });
    ended.reset();
    token.cancel();
    token.cancel();
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(cv.wait_until(lock, Clock::now() + kForever, [&] { return ran > 0; }));
  }  // the watcher's thread has ended: nothing more can run
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(ended_ran, 0);
}

TEST(CancelWatcher, ASubscriptionAfterTheCancelRunsAtOnce) {
  CancelToken token;
  CancelWatcher watcher(token);
  std::mutex mutex;
  std::condition_variable cv;
  bool first = false;
  auto s1 = watcher.on_cancel([&] {
    std::lock_guard<std::mutex> lock(mutex);
    first = true;
    cv.notify_all();
  });
  token.cancel();
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(cv.wait_until(lock, Clock::now() + kForever, [&] { return first; }));
  }
  bool late = false;
  auto s2 = watcher.on_cancel([&] { late = true; });
  EXPECT_TRUE(late);
}

TEST(CancelWatcher, EndsAtOnceWhenNothingWasCancelled) {
  CancelToken token;
  auto began = Clock::now();
  {
    CancelWatcher watcher(token);
    std::mutex mutex;
    std::condition_variable cv;
    auto subscription = watcher.wake(mutex, cv);
  }
  EXPECT_FALSE(token.cancelled());
  EXPECT_LT(seconds_since(began), kBoundSeconds);
}

TEST(CancelWatcher, AResetTokenServesTheNextOperationsWatcher) {
  CancelToken token;
  token.cancel();
  { CancelWatcher first(token); }
  token.reset();
  CancelWatcher second(token);
  bool ran = false;
  {
    auto s = second.on_cancel([&] { ran = true; });
    EXPECT_FALSE(ran);  // the old cancel is gone
  }
}

// A process-wide token for the signal handler, as dm_group_cancel's callers
// keep their group.
CancelToken* g_signal_token = nullptr;
extern "C" void cancel_on_signal(int) { g_signal_token->cancel(); }

TEST(CancelWatcher, ACancelFromARealSignalHandlerWakesAWaitingThread) {
  CancelToken token;
  g_signal_token = &token;
  struct sigaction action {
  }, previous{};
  action.sa_handler = cancel_on_signal;
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(::sigaction(SIGUSR1, &action, &previous), 0);

  CancelWatcher watcher(token);
  std::mutex mutex;
  std::condition_variable cv;
  auto subscription = watcher.wake(mutex, cv);
  bool waiting = false, woke_cancelled = false;
  std::condition_variable waiting_cv;
  std::thread waiter([&] {
    std::unique_lock<std::mutex> lock(mutex);
    waiting = true;
    waiting_cv.notify_all();
    woke_cancelled =
        cv.wait_until(lock, Clock::now() + kForever, [&] { return token.cancelled(); });
  });
  {
    std::unique_lock<std::mutex> lock(mutex);
    waiting_cv.wait(lock, [&] { return waiting; });
  }
  auto began = Clock::now();
  ASSERT_EQ(::kill(::getpid(), SIGUSR1), 0);
  waiter.join();
  ::sigaction(SIGUSR1, &previous, nullptr);
  g_signal_token = nullptr;
  EXPECT_TRUE(woke_cancelled);
  EXPECT_TRUE(token.cancelled());
  EXPECT_LT(seconds_since(began), kBoundSeconds);
}

}  // namespace
}  // namespace dm
