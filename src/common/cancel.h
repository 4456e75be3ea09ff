// Cancelling an operation: one token that every wait of the operation blocks
// on, so a cancel ends each wait at once instead of at the next tick of a poll.
//
// CancelToken::cancel() may be called from a signal handler: it is a
// lock-free atomic store and a write() to an eventfd, nothing else. Two kinds
// of waits notice it:
//   - waits on file descriptors (the engine transport's curl_multi_poll, a
//     poll() on a lock file) add fd(), which becomes readable once cancelled;
//   - waits on condition variables subscribe their mutex and condition
//     variable to a CancelWatcher: a thread, one per running operation, that
//     poll()s the token and notify_all()s every subscriber when it fires. The
//     wait itself is then the ordinary
//       cv.wait_until(lock, deadline, [&] { return done || token.cancelled(); })
#ifndef DM_COMMON_CANCEL_H
#define DM_COMMON_CANCEL_H

#include <atomic>
#include <condition_variable>
#include <functional>
#include <list>
#include <mutex>
#include <thread>

namespace dm {

class CancelToken {
 public:
  // Throws dm::Error when the kernel gives no eventfd (out of descriptors).
  CancelToken();
  // Waits for a cancel() under way on another thread: whoever saw the cancel
  // and destroys the token (an operation that ends and frees its group)
  // cannot pull the eventfd from under that cancel().
  ~CancelToken();
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // Cancels. Async-signal-safe, callable from any thread, any number of
  // times; errno is left as it was.
  void cancel() noexcept;
  bool cancelled() const noexcept { return cancelled_.load(); }
  // Readable (POLLIN) once cancelled, until reset(). Never read it: that
  // would take the cancel away from the other waiters.
  int fd() const noexcept { return fd_; }
  // Makes the token uncancelled again, for the next operation. Not while an
  // operation uses it; a cancel() from another thread racing the reset may
  // be lost, as a cancel just before an operation began always was.
  void reset() noexcept;

 private:
  std::atomic<bool> cancelled_{false};
  std::atomic<int> cancelling_{0};  // cancel() calls under way
  int fd_;
};

static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<int>::is_always_lock_free,
              "CancelToken::cancel must be signal-safe");

// Passes a token's cancel on to condition variables and callbacks, from a
// thread of its own that lives as long as the watcher. Make one per
// operation, before its waits begin.
class CancelWatcher {
 public:
  class Subscription;

  explicit CancelWatcher(const CancelToken& token);
  // Stops the thread. Every Subscription must have ended before.
  ~CancelWatcher();
  CancelWatcher(const CancelWatcher&) = delete;
  CancelWatcher& operator=(const CancelWatcher&) = delete;

  const CancelToken& token() const { return token_; }

  // While the subscription lives, a cancel runs `fn` once, on the watcher's
  // thread (at once when the token is cancelled already). `fn` must not
  // block, throw, or start or end a subscription.
  Subscription on_cancel(std::function<void()> fn);
  // While the subscription lives, a cancel locks `mutex` and notify_all()s
  // `cv`, so a wait whose predicate reads token().cancelled() cannot miss
  // it. End the subscription while not holding `mutex`.
  Subscription wake(std::mutex& mutex, std::condition_variable& cv);

 private:
  struct Entry {
    std::function<void()> fn;
  };
  void watch() noexcept;
  void remove(std::list<Entry>::iterator entry);

  const CancelToken& token_;
  int stop_fd_;       // an eventfd: written by the destructor to end the thread
  std::mutex mutex_;  // guards entries_ and fired_; held while callbacks run
  std::list<Entry> entries_;
  bool fired_ = false;
  std::thread thread_;
};

class CancelWatcher::Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  ~Subscription() { reset(); }
  // Ends the subscription: its callback is not running and will not run.
  void reset();

 private:
  friend class CancelWatcher;
  Subscription(CancelWatcher* watcher, std::list<Entry>::iterator entry)
      : watcher_(watcher), entry_(entry) {}
  CancelWatcher* watcher_ = nullptr;
  std::list<Entry>::iterator entry_;
};

}  // namespace dm

#endif
