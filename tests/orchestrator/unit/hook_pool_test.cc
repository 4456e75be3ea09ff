// The hook pool: calls run on workers that are kept between calls, calls of
// different services run at once, and a call past its deadline or cancelled
// is abandoned without holding up the next one.
#include "orchestrator/hook_pool.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <stdexcept>
#include <thread>
#include <vector>

#include "common/error.h"

namespace dm::orchestrator {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFar = std::chrono::seconds(60);
constexpr double kBoundSeconds = 30;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A gate a hung hook waits at; shared, because an abandoned call outlives
// the test's stack frame.
struct Latch {
  std::mutex mutex;
  std::condition_variable cv;
  int count = 0;
  bool open = false;
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    open = true;
    cv.notify_all();
  }
  void wait() {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [&] { return open; });
  }
  // Counts in, and waits until `n` are in (or far too long has passed).
  bool arrive_and_wait_for(int n) {
    std::unique_lock<std::mutex> lock(mutex);
    count++;
    cv.notify_all();
    return cv.wait_until(lock, Clock::now() + kFar, [&] { return count >= n; });
  }
};

struct HookPoolTest : ::testing::Test {
  CancelToken token;
  CancelWatcher watcher{token};
};

Error error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no dm::Error";
  return Error(Error::Code::Internal, "no error");
}

TEST_F(HookPoolTest, RunsACallAndReturnsOnceItReturned) {
  HookPool pool(2, &watcher);
  int value = 0;
  pool.run(
      "ping", [&] { value = 42; }, Clock::now() + kFar, HookPool::OnCancel::Abandon);
  EXPECT_EQ(value, 42);
}

TEST_F(HookPoolTest, RethrowsWhatTheHookThrew) {
  HookPool pool(1, &watcher);
  EXPECT_THROW(pool.run(
                   "init", [] { throw std::runtime_error("boom"); }, Clock::now() + kFar,
                   HookPool::OnCancel::Wait),
               std::runtime_error);
  int value = 0;
  pool.run(
      "init", [&] { value = 1; }, Clock::now() + kFar, HookPool::OnCancel::Wait);
  EXPECT_EQ(value, 1) << "the worker survived";
}

TEST_F(HookPoolTest, KeepsItsWorkersBetweenCalls) {
  HookPool pool(4, &watcher);
  for (int i = 0; i < 100; i++)
    pool.run(
        "ping", [] {}, Clock::now() + kFar, HookPool::OnCancel::Abandon);
  EXPECT_EQ(pool.workers(), 1u) << "one call at a time needs one worker";
}

TEST_F(HookPoolTest, CallsOfDifferentServicesRunAtOnce) {
  HookPool pool(3, &watcher);
  auto latch = std::make_shared<Latch>();
  std::atomic<int> met{0};
  std::vector<std::thread> services;
  for (int i = 0; i < 3; i++)
    services.emplace_back([&] {
      // Each hook returns only once all three are running: a pool that ran
      // them one after another would time out here.
      pool.run(
          "ping", [&, latch] { met += latch->arrive_and_wait_for(3); }, Clock::now() + kFar,
          HookPool::OnCancel::Abandon);
    });
  for (auto& t : services) t.join();
  EXPECT_EQ(met.load(), 3);
  EXPECT_EQ(pool.workers(), 3u);
}

TEST_F(HookPoolTest, AHookPastItsDeadlineIsAbandonedAndItsWorkerReplaced) {
  HookPool pool(1, &watcher);
  auto hung = std::make_shared<Latch>();
  auto began = Clock::now();
  Error e = error_of([&] {
    pool.run(
        "post_start_init", [hung] { hung->wait(); }, Clock::now() + std::chrono::milliseconds(200),
        HookPool::OnCancel::Wait);
  });
  EXPECT_EQ(e.code(), Error::Code::Timeout);
  EXPECT_STREQ(e.what(), "the post_start_init hook did not return before the service's timeout");
  EXPECT_LT(seconds_since(began), kBoundSeconds);
  EXPECT_EQ(pool.workers(), 0u) << "the hung worker left the pool";
  // The next call does not wait for the hung hook, though the pool holds one worker.
  int value = 0;
  pool.run(
      "ping", [&] { value = 7; }, Clock::now() + kFar, HookPool::OnCancel::Abandon);
  EXPECT_EQ(value, 7);
  hung->release();
}

TEST_F(HookPoolTest, ACallThatWaitedForABusyWorkerTimesOutWithoutAbandoningIt) {
  HookPool pool(1, &watcher);
  auto busy = std::make_shared<Latch>();
  std::thread first([&] {
    pool.run(
        "ping", [busy] { busy->wait(); }, Clock::now() + kFar, HookPool::OnCancel::Abandon);
  });
  // Once the first call is running, the second can only queue.
  while (pool.workers() == 0) std::this_thread::yield();
  Error e = error_of([&] {
    pool.run(
        "ping", [] {}, Clock::now() + std::chrono::milliseconds(100), HookPool::OnCancel::Abandon);
  });
  EXPECT_EQ(e.code(), Error::Code::Timeout);
  EXPECT_EQ(pool.workers(), 1u);
  busy->release();
  first.join();
}

TEST_F(HookPoolTest, ACancelAbandonsAPingAtOnce) {
  HookPool pool(1, &watcher);
  auto hung = std::make_shared<Latch>();
  std::thread canceller([&] { token.cancel(); });
  auto began = Clock::now();
  Error e = error_of([&] {
    pool.run(
        "ping", [hung] { hung->wait(); }, Clock::now() + kFar, HookPool::OnCancel::Abandon);
  });
  canceller.join();
  EXPECT_EQ(e.code(), Error::Code::Cancelled);
  EXPECT_STREQ(e.what(), "cancelled while the ping hook ran");
  EXPECT_LT(seconds_since(began), kBoundSeconds);
  hung->release();
}

TEST_F(HookPoolTest, ACancelLetsAnInitHookRunToItsEnd) {
  HookPool pool(1, &watcher);
  // Released by the watcher after it woke the pool's waiting caller (its
  // callbacks run in the order they subscribed).
  auto woken = std::make_shared<Latch>();
  auto subscription = watcher.on_cancel([woken] { woken->release(); });
  bool finished = false;
  pool.run(
      "post_start_init",
      [&, woken] {
        token.cancel();
        woken->wait();  // the caller has been told of the cancel by now
        finished = true;
      },
      Clock::now() + kFar, HookPool::OnCancel::Wait);
  EXPECT_TRUE(finished);
  EXPECT_TRUE(token.cancelled());
}

CancelToken* g_token = nullptr;
extern "C" void cancel_on_signal(int) { g_token->cancel(); }

TEST_F(HookPoolTest, ACancelFromASignalHandlerEndsAPing) {
  g_token = &token;
  struct sigaction action {
  }, previous{};
  action.sa_handler = cancel_on_signal;
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(::sigaction(SIGUSR2, &action, &previous), 0);
  HookPool pool(1, &watcher);
  auto hung = std::make_shared<Latch>();
  auto running = std::make_shared<Latch>();
  std::thread signaller([&] {
    running->wait();
    ::kill(::getpid(), SIGUSR2);
  });
  Error e = error_of([&] {
    pool.run(
        "ping",
        [hung, running] {
          running->release();
          hung->wait();
        },
        Clock::now() + kFar, HookPool::OnCancel::Abandon);
  });
  signaller.join();
  ::sigaction(SIGUSR2, &previous, nullptr);
  g_token = nullptr;
  EXPECT_EQ(e.code(), Error::Code::Cancelled);
  hung->release();
}

}  // namespace
}  // namespace dm::orchestrator
