#include "orchestrator/hooks.h"

#include <memory>

#include "common/last_error.h"

namespace dm::orchestrator {
namespace {

// One call, shared between the caller and the worker, which may outlive an
// abandoned call: everything the hook sees is owned here.
struct Call {
  std::string group, service, network, container_id, container_name;
  // prepare only: the working copy the hook may change.
  std::shared_ptr<dm_service> definition;
  int (*fn)(const dm_hook_info*, void*) = nullptr;
  void* user_data = nullptr;
  int rc = -1;
  std::string reason;
};

// On the worker. Nothing may leave it: a hook that throws (a C++ callback)
// is a failing hook.
void invoke(Call& call) noexcept {
  try {
    dm_hook_info info;
    info.version = DM_HOOK_INFO_VERSION;
    info.group = call.group.c_str();
    info.service = call.service.c_str();
    info.network = call.network.c_str();
    info.container_id = call.container_id.empty() ? nullptr : call.container_id.c_str();
    info.container_name = call.container_name.empty() ? nullptr : call.container_name.c_str();
    info.definition = call.definition.get();
    dm::clear_last_error();
    call.rc = call.fn(&info, call.user_data);
    // Whatever the hook said with dm_error_set(): the reason of a failing
    // hook (any non-zero return: 1 is a failure for pre_start and init even
    // though it is DM_PING_READY for a ping), or the last word of a ping that
    // is not ready yet. The caller decides what the return value means.
    call.reason = dm::last_error_message();
  } catch (const std::exception& e) {
    call.rc = -1;
    call.reason = std::string("the hook threw an exception: ") + e.what();
  } catch (...) {
    call.rc = -1;
    call.reason = "the hook threw an exception";
  }
}

std::shared_ptr<Call> new_call(const model::GroupDef& group, const model::ServiceDef& service,
                               int (*fn)(const dm_hook_info*, void*), void* user_data,
                               const std::string& container_id = "",
                               const std::string& container_name = "") {
  auto call = std::make_shared<Call>();
  call->group = group.name;
  call->service = service.name;
  call->network = group.network;
  call->container_id = container_id;
  call->container_name = container_id.empty() ? "" : container_name;
  call->fn = fn;
  call->user_data = user_data;
  return call;
}

void run(HookPool& pool, const std::string& hook, const std::shared_ptr<Call>& call,
         Clock::time_point deadline, HookPool::OnCancel on_cancel) {
  pool.run(hook, [call] { invoke(*call); }, deadline, on_cancel);
}

}  // namespace

Error hook_failed(const std::string& hook, int rc, const std::string& reason) {
  return Error(DM_EHOOK, hook + " failed: " +
                             (reason.empty() ? "it returned " + std::to_string(rc) : reason));
}

model::ServiceDef HookRunner::prepare(const model::ServiceDef& service, Clock::time_point deadline) {
  if (service.hooks.prepare == nullptr) return service;
  auto call = new_call(group_, service, service.hooks.prepare, service.hooks.prepare_data);
  call->definition = std::make_shared<dm_service>(dm_service{service});
  run(pool_, "prepare", call, deadline, HookPool::OnCancel::Wait);
  if (call->rc != 0) throw hook_failed("prepare", call->rc, call->reason);
  model::ServiceDef prepared = service;
  prepared.env = call->definition->def.env;
  for (const auto& [name, value] : prepared.env)
    if (name.empty() || name.find('=') != std::string::npos)
      throw Error(DM_EHOOK, "prepare set env name '" + name + "', which is empty or contains '='");
  return prepared;
}

void HookRunner::pre_start(const model::ServiceDef& service, Clock::time_point deadline) {
  auto call = new_call(group_, service, service.hooks.pre_start, service.hooks.pre_start_data);
  run(pool_, "pre_start", call, deadline, HookPool::OnCancel::Wait);
  if (call->rc != 0) throw hook_failed("pre_start", call->rc, call->reason);
}

void HookRunner::post_start_init(const model::ServiceDef& service, const std::string& container_id,
                                 const std::string& container_name, Clock::time_point deadline) {
  auto call = new_call(group_, service, service.hooks.post_start_init,
                       service.hooks.post_start_init_data, container_id, container_name);
  run(pool_, "post_start_init", call, deadline, HookPool::OnCancel::Wait);
  if (call->rc != 0) throw hook_failed("post_start_init", call->rc, call->reason);
}

bool HookRunner::ping(const model::ServiceDef& service, const std::string& container_id,
                      const std::string& container_name, Clock::time_point deadline,
                      std::string* last_word) {
  auto call = new_call(group_, service, service.hooks.ping, service.hooks.ping_data, container_id,
                       container_name);
  run(pool_, "ping", call, deadline, HookPool::OnCancel::Abandon);
  if (call->rc < 0) throw hook_failed("ping", call->rc, call->reason);
  *last_word = call->reason;
  return call->rc == DM_PING_READY;
}

}  // namespace dm::orchestrator
