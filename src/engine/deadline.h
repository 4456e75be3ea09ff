// A deadline for the engine requests of one thread, so that an operation's
// timeout bounds every request made on its behalf without passing it through
// every Client call.
//
// While a ScopedDeadline lives, Transport::perform caps each request that has
// a timeout of its own at the time left (a request whose deadline already
// passed fails at once with Error::Code::Timeout), and the message names `budget`, the
// timeout that ran out. Requests without a timeout (a container wait, a log
// follow, a pull or build stream) are not capped: they end when the container
// does, when cancelled, or when their stream stalls. The innermost scope rules;
// the previous one is back when it ends. A deadline belongs to the thread that
// set it: threads started meanwhile (an exit watch, a hook) have none.
#ifndef DM_ENGINE_DEADLINE_H
#define DM_ENGINE_DEADLINE_H

#include <chrono>
#include <string>

namespace dm::engine {

struct Deadline {
  std::chrono::steady_clock::time_point at;
  std::chrono::steady_clock::duration length;  // as given, for restart()
  std::string budget;                          // what runs out: "service 'db''s timeout of 3 s"
};

class ScopedDeadline {
 public:
  ScopedDeadline(double seconds, std::string budget)
      : deadline_{std::chrono::steady_clock::now() + span(seconds), span(seconds),
                  std::move(budget)},
        previous_(slot()) {
    slot() = &deadline_;
  }
  ~ScopedDeadline() { slot() = previous_; }
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;

  // The deadline in force on this thread, or nullptr.
  static const Deadline* current() { return slot(); }

  // Counts the deadline in force (if any) again from now, for the short
  // requests that follow a long stream it does not bound (a pull, a build).
  static void restart() {
    if (slot() != nullptr) slot()->at = std::chrono::steady_clock::now() + slot()->length;
  }

 private:
  static std::chrono::steady_clock::duration span(double seconds) {
    return std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(seconds > 0 ? seconds : 0));
  }
  static Deadline*& slot() {
    static thread_local Deadline* current = nullptr;
    return current;
  }

  Deadline deadline_;
  Deadline* previous_;
};

}  // namespace dm::engine

#endif
