#include "orchestrator/hooks.h"

#include <memory>

namespace dm::orchestrator {
namespace {

// One call, shared between the caller and the worker, which may outlive an
// abandoned call: everything the hook sees is owned here.
struct Call {
  model::HookContext context;
  model::ServiceDef working;  // prepare only: the copy the hook may change
  model::HookAnswer answer{-1, ""};
};

// On the worker. Nothing may leave it: a hook that throws (a C++ callback)
// is a failing hook.
template <typename Body>
void invoke(Call& call, const Body& body) noexcept {
  try {
    call.answer = body(call);
  } catch (const std::exception& e) {
    call.answer = {-1, std::string("the hook threw an exception: ") + e.what()};
  } catch (...) {
    call.answer = {-1, "the hook threw an exception"};
  }
}

std::shared_ptr<Call> new_call(const model::GroupDef& group, const model::ServiceDef& service,
                               const std::string& container_id = "",
                               const std::string& container_name = "") {
  auto call = std::make_shared<Call>();
  call->context = {group.name,
                   service.name,
                   group.network,
                   container_id,
                   container_id.empty() ? "" : container_name,
                   nullptr};
  return call;
}

// Runs `hook` on the pool; the task owns copies of the call and the hook, so
// an abandoned one outlives the operation safely.
void run(HookPool& pool, const std::string& name, const std::shared_ptr<Call>& call,
         const model::Hook& hook, Clock::time_point deadline, HookPool::OnCancel on_cancel) {
  pool.run(
      name, [call, hook] { invoke(*call, [&hook](Call& c) { return hook(c.context); }); }, deadline,
      on_cancel);
}

}  // namespace

bool ExecGate::enter() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return false;
  ++inside_;
  return true;
}

void ExecGate::leave() {
  std::lock_guard<std::mutex> lock(mutex_);
  --inside_;
  left_.notify_all();
}

void ExecGate::close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  stop_.cancel();
  std::unique_lock<std::mutex> lock(mutex_);
  left_.wait(lock, [this] { return inside_ == 0; });
}

model::Exec HookRunner::exec_for(const std::string& service,
                                 const std::string& container_id) const {
  if (target_ == nullptr || container_id.empty()) return nullptr;
  return [gate = gate_, target = target_, cancel = cancel_, service,
          container_id](const model::ExecRequest& request) {
    if (!gate->enter())
      throw Error(Error::Code::Invalid,
                  "service '" + service +
                      "': the operation that ran the hook has ended; run commands in the "
                      "container while the hook runs");
    struct Leave {
      ExecGate& gate;
      ~Leave() { gate.leave(); }
    } leave{*gate};
    return target->exec(service, container_id, request, {cancel, &gate->stop()});
  };
}

Error hook_failed(const std::string& hook, int rc, const std::string& reason) {
  return Error(
      Error::Code::Hook,
      hook + " failed: " + (reason.empty() ? "it returned " + std::to_string(rc) : reason));
}

model::ServiceDef HookRunner::prepare(const model::ServiceDef& service,
                                      Clock::time_point deadline) {
  if (!service.hooks.prepare) return service;
  auto call = new_call(group_, service);
  call->working = service;
  pool_.run(
      "prepare",
      [call, hook = service.hooks.prepare] {
        invoke(*call, [&hook](Call& c) { return hook(c.context, c.working); });
      },
      deadline, HookPool::OnCancel::Wait);
  if (call->answer.code != 0) throw hook_failed("prepare", call->answer.code, call->answer.reason);
  model::ServiceDef prepared = service;
  prepared.env = call->working.env;  // the call is done: its worker no longer writes
  for (const auto& [name, value] : prepared.env)
    if (name.empty() || name.find('=') != std::string::npos)
      throw Error(Error::Code::Hook,
                  "prepare set env name '" + name + "', which is empty or contains '='");
  return prepared;
}

void HookRunner::pre_start(const model::ServiceDef& service, Clock::time_point deadline) {
  if (!service.hooks.pre_start) return;
  auto call = new_call(group_, service);
  run(pool_, "pre_start", call, service.hooks.pre_start, deadline, HookPool::OnCancel::Wait);
  if (call->answer.code != 0)
    throw hook_failed("pre_start", call->answer.code, call->answer.reason);
}

void HookRunner::post_start_init(const model::ServiceDef& service, const std::string& container_id,
                                 const std::string& container_name, Clock::time_point deadline) {
  if (!service.hooks.post_start_init) return;
  auto call = new_call(group_, service, container_id, container_name);
  call->context.exec = exec_for(service.name, container_id);
  run(pool_, "post_start_init", call, service.hooks.post_start_init, deadline,
      HookPool::OnCancel::Wait);
  if (call->answer.code != 0)
    throw hook_failed("post_start_init", call->answer.code, call->answer.reason);
}

std::string HookRunner::pre_stop(const model::ServiceDef& service, const std::string& container_id,
                                 const std::string& container_name, Clock::time_point deadline) {
  if (!service.hooks.pre_stop) return "";
  auto call = new_call(group_, service, container_id, container_name);
  call->context.exec = exec_for(service.name, container_id);  // the container still runs
  try {
    run(pool_, "pre_stop", call, service.hooks.pre_stop, deadline, HookPool::OnCancel::Wait);
  } catch (const Error& e) {
    return e.what();
  }
  if (call->answer.code != 0)
    return hook_failed("pre_stop", call->answer.code, call->answer.reason).what();
  return "";
}

bool HookRunner::ping(const model::ServiceDef& service, const std::string& container_id,
                      const std::string& container_name, Clock::time_point deadline,
                      std::string* last_word) {
  auto call = new_call(group_, service, container_id, container_name);
  call->context.exec = exec_for(service.name, container_id);
  run(pool_, "ping", call, service.hooks.ping, deadline, HookPool::OnCancel::Abandon);
  if (call->answer.code < 0) throw hook_failed("ping", call->answer.code, call->answer.reason);
  *last_word = call->answer.reason;
  return call->answer.code == model::kPingReady;
}

}  // namespace dm::orchestrator
