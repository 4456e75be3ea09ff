#include "orchestrator/hook_pool.h"

#include <deque>
#include <exception>
#include <system_error>

#include "common/error.h"

namespace dm::orchestrator {

struct HookPool::Call {
  std::function<void()> task;
  size_t worker = 0;  // who runs it, once taken
  bool taken = false;
  bool done = false;
  bool abandoned = false;    // the caller gave up on it
  std::exception_ptr error;  // what the task threw
};

struct HookPool::Shared {
  std::mutex mutex;
  std::condition_variable work_cv;  // workers: a call was queued, or the pool closes
  std::condition_variable done_cv;  // callers: a call is done, or cancelled (the watcher)
  std::deque<std::shared_ptr<Call>> queue;
  size_t idle = 0;
  bool closing = false;
};

HookPool::HookPool(size_t size, CancelWatcher* watcher)
    : size_(size == 0 ? 1 : size), watcher_(watcher), shared_(std::make_shared<Shared>()) {
  if (watcher_) wake_on_cancel_ = watcher_->wake(shared_->mutex, shared_->done_cv);
}

HookPool::~HookPool() {
  wake_on_cancel_.reset();  // before anything here takes the mutex it wakes
  std::map<size_t, std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    shared_->closing = true;
    threads.swap(threads_);
  }
  shared_->work_cv.notify_all();
  for (auto& [number, thread] : threads) thread.join();
}

size_t HookPool::workers() const {
  std::lock_guard<std::mutex> lock(shared_->mutex);
  return threads_.size();
}

void HookPool::spawn_if_needed() {
  while (shared_->queue.size() > shared_->idle && threads_.size() < size_) {
    size_t number = next_worker_++;
    threads_.emplace(number, std::thread(work, shared_, number));
    shared_->idle++;  // counted at once, so the next call does not spawn another
  }
}

void HookPool::abandon(const std::shared_ptr<Call>& call) {
  call->abandoned = true;
  if (!call->taken) {  // still queued: nobody runs it
    for (auto it = shared_->queue.begin(); it != shared_->queue.end(); ++it)
      if (*it == call) {
        shared_->queue.erase(it);
        break;
      }
    return;
  }
  // Its worker stays with the hook and leaves the pool; another takes its place.
  auto it = threads_.find(call->worker);
  if (it != threads_.end()) {
    it->second.detach();
    threads_.erase(it);
  }
  spawn_if_needed();
}

void HookPool::run(const std::string& hook, std::function<void()> task, Clock::time_point deadline,
                   OnCancel on_cancel) {
  auto call = std::make_shared<Call>();
  call->task = std::move(task);
  const CancelToken* token = watcher_ ? &watcher_->token() : nullptr;
  std::unique_lock<std::mutex> lock(shared_->mutex);
  shared_->queue.push_back(call);
  try {
    spawn_if_needed();
  } catch (const std::system_error& e) {
    // No thread to be had: the call waits for a worker there is, if any.
    if (threads_.empty()) {
      shared_->queue.pop_back();
      throw Error(Error::Code::NoMemory,
                  "cannot start a thread for the " + hook + " hook: " + e.what());
    }
  }
  shared_->work_cv.notify_one();
  bool cancellable = on_cancel == OnCancel::Abandon && token != nullptr;
  shared_->done_cv.wait_until(lock, deadline,
                              [&] { return call->done || (cancellable && token->cancelled()); });
  if (call->done) {
    if (call->error) std::rethrow_exception(call->error);
    return;
  }
  abandon(call);
  if (cancellable && token->cancelled())
    throw Error(Error::Code::Cancelled, "cancelled while the " + hook + " hook ran");
  throw Error(Error::Code::Timeout,
              "the " + hook + " hook did not return before the service's timeout");
}

void HookPool::work(std::shared_ptr<Shared> shared, size_t number) {
  std::unique_lock<std::mutex> lock(shared->mutex);
  while (true) {
    shared->work_cv.wait(lock, [&] { return shared->closing || !shared->queue.empty(); });
    if (shared->queue.empty()) return;  // closing, nothing left
    std::shared_ptr<Call> call = std::move(shared->queue.front());
    shared->queue.pop_front();
    shared->idle--;
    call->taken = true;
    call->worker = number;
    std::function<void()> task = std::move(call->task);
    lock.unlock();
    std::exception_ptr error;
    try {
      task();
    } catch (...) {
      error = std::current_exception();
    }
    task = nullptr;  // destroyed here, off the pool's lock
    lock.lock();
    if (call->abandoned) return;  // detached: no longer the pool's
    call->error = error;
    call->done = true;
    shared->idle++;
    shared->done_cv.notify_all();
  }
}

}  // namespace dm::orchestrator
