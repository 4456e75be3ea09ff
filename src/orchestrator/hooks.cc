#include "orchestrator/hooks.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "common/error.h"
#include "common/last_error.h"

namespace dm::orchestrator {
namespace {

// Shared between the caller and the hook's thread, which may outlive the wait.
struct Call {
  HookTarget target;
  int (*fn)(const dm_hook_info*, void*);
  void* user_data;
  std::mutex mutex;
  std::condition_variable done_cv;
  bool done = false;
  int rc = 0;
  std::string reason;
};

// The body of a hook's thread. Nothing may leave it: a hook that throws (a
// C++ callback) is a failing hook.
void run(std::shared_ptr<Call> call) noexcept {
  int rc = -1;
  std::string reason;
  try {
    dm_hook_info info;
    info.version = DM_HOOK_INFO_VERSION;
    info.group = call->target.group.c_str();
    info.service = call->target.service.c_str();
    info.network = call->target.network.c_str();
    info.container_id =
        call->target.container_id.empty() ? nullptr : call->target.container_id.c_str();
    info.container_name =
        call->target.container_name.empty() ? nullptr : call->target.container_name.c_str();
    info.definition = call->target.definition.get();
    dm::clear_last_error();
    rc = call->fn(&info, call->user_data);
    // Whatever the hook said with dm_error_set(): the reason of a failing
    // hook (any non-zero return: 1 is a failure for pre_start and init even
    // though it is DM_PING_READY for a ping), or the last word of a ping that
    // is not ready yet. The caller decides what the return value means.
    reason = dm::last_error_message();
  } catch (const std::exception& e) {
    // A C++ callback that throws fails, whatever it threw.
    rc = -1;
    reason = std::string("the hook threw an exception: ") + e.what();
  } catch (...) {
    rc = -1;
    reason = "the hook threw an exception";
  }
  std::lock_guard<std::mutex> lock(call->mutex);
  call->rc = rc;
  call->reason = std::move(reason);
  call->done = true;
  call->done_cv.notify_all();
}

}  // namespace

int call_hook(const char* hook_name, int (*fn)(const dm_hook_info*, void*), void* user_data,
              const HookTarget& target, Clock::time_point deadline, const std::atomic<bool>* cancel,
              std::string* reason) {
  auto call = std::make_shared<Call>();
  call->target = target;
  call->fn = fn;
  call->user_data = user_data;
  std::thread(run, call).detach();

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
  if (reason) *reason = call->reason;
  return call->rc;
}

model::ServiceDef prepare(const model::GroupDef& group, const model::ServiceDef& service,
                          Clock::time_point deadline) {
  if (service.hooks.prepare == nullptr) return service;
  HookTarget target{group.name, service.name, group.network, "", "", nullptr};
  target.definition = std::make_shared<dm_service>(dm_service{service});
  std::string reason;
  int rc = call_hook("prepare", service.hooks.prepare, service.hooks.prepare_data, target, deadline,
                     nullptr, &reason);
  if (rc != 0)
    throw Error(
        Error::Code::Hook,
        "prepare failed: " + (reason.empty() ? "it returned " + std::to_string(rc) : reason));
  model::ServiceDef prepared = service;
  prepared.env = target.definition->def.env;
  for (const auto& [name, value] : prepared.env)
    if (name.empty() || name.find('=') != std::string::npos)
      throw Error(Error::Code::Hook,
                  "prepare set env name '" + name + "', which is empty or contains '='");
  return prepared;
}

}  // namespace dm::orchestrator
