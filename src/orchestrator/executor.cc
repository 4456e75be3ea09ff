#include "orchestrator/executor.h"

#include <new>
#include <thread>

#include "common/error.h"

namespace dm::orchestrator {
namespace {

// A wait for prerequisites is announced only once it lasts: ones that are
// under way settle within a moment, and "waiting" would be noise then.
constexpr auto kAnnounceAfter = std::chrono::milliseconds(50);

std::string internal_error(const std::string& what) {
  return "internal error: " + what + " (please report this as a drillmaster bug)";
}

}  // namespace

std::optional<JobEnd> attempt(const std::function<void()>& body) noexcept {
  try {
    try {
      body();
      return std::nullopt;
    } catch (const Refused& r) {
      if (r.by == Plan::kCancelled) return JobEnd{JobEnd::Kind::Cancelled, "", r.by};
      return JobEnd{JobEnd::Kind::Skipped, "", r.by};
    } catch (const Error& e) {
      if (e.code() == Error::Code::Cancelled) return JobEnd{JobEnd::Kind::Cancelled, e.what()};
      return JobEnd{JobEnd::Kind::Failed, e.what()};
    } catch (const std::bad_alloc&) {
      return JobEnd{JobEnd::Kind::Failed, "out of memory"};
    } catch (const std::exception& e) {
      return JobEnd{JobEnd::Kind::Failed, internal_error(e.what())};
    } catch (...) {
      return JobEnd{JobEnd::Kind::Failed, internal_error("unknown exception")};
    }
  } catch (...) {
    // Out of memory building the reason: the job still ended as failed.
    return JobEnd{JobEnd::Kind::Failed, {}};
  }
}

Executor::Slot& Executor::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    other.owner_ = nullptr;
  }
  return *this;
}

void Executor::Slot::release() {
  if (owner_ == nullptr) return;
  owner_->give_slot();
  owner_ = nullptr;
}

Executor::Executor(Plan& plan, CancelWatcher& watcher) : plan_(plan), watcher_(watcher) {
  on_cancel_ = watcher_.on_cancel([this] {
    std::lock_guard<std::mutex> lock(mutex_);
    plan_.cancel();
    changed_.notify_all();
  });
}

Executor::~Executor() { on_cancel_.reset(); }

void Executor::run(const std::function<void(size_t)>& job) {
  // Read before any job can change the plan, and under the lock: the
  // watcher's cancel may be changing it already.
  std::vector<size_t> included;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = 0; i < plan_.size(); i++)
      if (plan_.state(i) != Plan::State::Excluded) included.push_back(i);
  }
  std::vector<std::thread> jobs;
  for (size_t i : included) jobs.emplace_back([&job, i] { job(i); });
  for (auto& t : jobs) t.join();
}

Executor::Slot Executor::await(size_t i, Plan::Step step, bool take_slot,
                               const std::function<void(size_t)>& waiting) {
  std::unique_lock<std::mutex> lock(mutex_);
  bool announced = !waiting;
  Clock::time_point announce_at = Clock::now() + kAnnounceAfter;
  while (true) {
    // The watcher tells the plan of a cancel soon; a step asked for after
    // the token was cancelled must not wait for that to be refused.
    if (cancelled() && !plan_.is_cancelled()) plan_.cancel();
    Plan::Gate gate = plan_.gate(i, step);
    if (gate.kind == Plan::Gate::Kind::Blocked) throw Refused{gate.by};
    if (gate.kind == Plan::Gate::Kind::Open && (!take_slot || plan_.try_take_slot())) {
      plan_.begin(i);
      return take_slot ? Slot(this) : Slot();
    }
    if (gate.kind == Plan::Gate::Kind::Wait && !announced) {
      if (Clock::now() >= announce_at) {
        announced = true;
        lock.unlock();
        waiting(gate.by);
        lock.lock();
        continue;
      }
      changed_.wait_until(lock, announce_at);
    } else {
      changed_.wait(lock);
    }
  }
}

void Executor::give_slot() {
  std::lock_guard<std::mutex> lock(mutex_);
  plan_.give_slot();
  changed_.notify_all();
}

void Executor::reach(size_t i, Plan::Stage stage) {
  std::lock_guard<std::mutex> lock(mutex_);
  plan_.reach(i, stage);
  changed_.notify_all();
}

bool Executor::finish(size_t i) {
  std::lock_guard<std::mutex> lock(mutex_);
  bool finished = plan_.finish(i);
  changed_.notify_all();
  return finished;
}

void Executor::fail(size_t i) {
  std::lock_guard<std::mutex> lock(mutex_);
  plan_.fail(i);
  changed_.notify_all();
}

void Executor::cancelled(size_t i) {
  std::lock_guard<std::mutex> lock(mutex_);
  plan_.cancelled(i);
  changed_.notify_all();
}

bool Executor::wait_until(Clock::time_point deadline, const std::function<bool()>& ready) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait_until(lock, deadline, [&] { return ready() || cancelled(); });
  return ready();
}

void Executor::notify() {
  std::lock_guard<std::mutex> lock(mutex_);
  changed_.notify_all();
}

}  // namespace dm::orchestrator
