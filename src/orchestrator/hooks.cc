#include "orchestrator/hooks.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "common/error.h"

namespace dm::orchestrator {
namespace {

// Shared between the caller and the hook's thread, which may outlive the wait.
struct Call {
  model::HookContext context;
  model::ServiceDef working;  // prepare only: the copy the hook may change
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  model::HookAnswer answer;
};

using Body = std::function<model::HookAnswer(Call& call)>;

// The body of a hook's thread. Nothing may leave it: a hook that throws (a
// C++ callback) is a failing hook.
void run(std::shared_ptr<Call> call, Body body) noexcept {
  model::HookAnswer answer;
  try {
    answer = body(*call);
  } catch (const std::exception& e) {
    // A C++ callback that throws fails, whatever it threw.
    answer = {-1, std::string("the hook threw an exception: ") + e.what()};
  } catch (...) {
    answer = {-1, "the hook threw an exception"};
  }
  std::lock_guard<std::mutex> lock(call->mutex);
  call->answer = std::move(answer);
  call->done = true;
  call->done_cv.notify_all();
}

// Runs `body` on a thread of its own and waits for it, as call_hook() says.
model::HookAnswer await(const char* hook_name, const std::shared_ptr<Call>& call, Body body,
                        Clock::time_point deadline, const std::atomic<bool>* cancel) {
  std::thread(run, call, std::move(body)).detach();
  std::unique_lock<std::mutex> lock(call->mutex);
  while (!call->done) {
    if (cancel != nullptr && cancel->load())
      throw Error(Error::Code::Cancelled,
                  std::string("cancelled while the ") + hook_name + " hook ran");
    auto now = Clock::now();
    if (now >= deadline)
      throw Error(Error::Code::Timeout, std::string("the ") + hook_name +
                                            " hook did not return before the service's timeout");
    auto slice = std::min<Clock::duration>(deadline - now, std::chrono::milliseconds(50));
    call->done_cv.wait_for(lock, slice);
  }
  return call->answer;
}

}  // namespace

int call_hook(const char* hook_name, const model::Hook& hook, const model::HookContext& context,
              Clock::time_point deadline, const std::atomic<bool>* cancel, std::string* reason) {
  auto call = std::make_shared<Call>();
  call->context = context;
  model::HookAnswer answer = await(
      hook_name, call, [hook](Call& c) { return hook(c.context); }, deadline, cancel);
  if (reason) *reason = answer.reason;
  return answer.code;
}

model::ServiceDef prepare(const model::GroupDef& group, const model::ServiceDef& service,
                          Clock::time_point deadline) {
  if (!service.hooks.prepare) return service;
  auto call = std::make_shared<Call>();
  call->context = {group.name, service.name, group.network, "", ""};
  call->working = service;
  model::HookAnswer answer = await(
      "prepare", call,
      [hook = service.hooks.prepare](Call& c) { return hook(c.context, c.working); }, deadline,
      nullptr);
  if (answer.code != 0)
    throw Error(
        Error::Code::Hook,
        "prepare failed: " +
            (answer.reason.empty() ? "it returned " + std::to_string(answer.code) : answer.reason));
  model::ServiceDef prepared = service;
  prepared.env = call->working.env;  // the call is done: its thread no longer writes
  for (const auto& [name, value] : prepared.env)
    if (name.empty() || name.find('=') != std::string::npos)
      throw Error(Error::Code::Hook,
                  "prepare set env name '" + name + "', which is empty or contains '='");
  return prepared;
}

}  // namespace dm::orchestrator
