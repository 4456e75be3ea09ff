#include "capi/hooks.h"

#include <map>
#include <mutex>
#include <utility>

#include "capi/boundary.h"
#include "capi/handles.h"

namespace dm::capi {

namespace {

// The dm_hook_info of every hook call under way, with the exec of its
// context: what dm_hook_exec() finds by the pointer a hook was given.
std::mutex live_mutex;
std::map<const dm_hook_info*, model::Exec>& live_hooks() {
  static auto* const live = new std::map<const dm_hook_info*, model::Exec>();
  return *live;
}

// Registers `info` for the length of a hook call.
class LiveHook {
 public:
  LiveHook(const dm_hook_info* info, const model::Exec& exec) : info_(info) {
    std::lock_guard<std::mutex> lock(live_mutex);
    live_hooks()[info_] = exec;
  }
  ~LiveHook() {
    std::lock_guard<std::mutex> lock(live_mutex);
    live_hooks().erase(info_);
  }
  LiveHook(const LiveHook&) = delete;
  LiveHook& operator=(const LiveHook&) = delete;

 private:
  const dm_hook_info* info_;
};

}  // namespace

model::Exec exec_of(const dm_hook_info* info) {
  std::lock_guard<std::mutex> lock(live_mutex);
  auto it = live_hooks().find(info);
  if (it == live_hooks().end())
    throw ArgumentError(
        "info is not that of a hook running now: pass the pointer the hook was called with, "
        "before the hook returns");
  if (!it->second)
    throw Error(Error::Code::Invalid,
                std::string("service '") + (info->service ? info->service : "") +
                    "': its hook runs before the container exists (prepare, pre_start); "
                    "run commands in it from ping or post_start_init");
  return it->second;
}

static_assert(DM_PING_READY == model::kPingReady && DM_PING_NOT_READY == model::kPingNotReady,
              "drillmaster/service.h and model/hooks.h disagree on what a ping answers");

namespace {

dm_hook_info info_for(const model::HookContext& context) {
  dm_hook_info info;
  info.version = DM_HOOK_INFO_VERSION;
  info.group = context.group.c_str();
  info.service = context.service.c_str();
  info.network = context.network.c_str();
  info.container_id = context.container_id.empty() ? nullptr : context.container_id.c_str();
  info.container_name = context.container_name.empty() ? nullptr : context.container_name.c_str();
  info.definition = nullptr;
  return info;
}

// Calls `fn` and takes what it said with dm_error_set(): the reason of a
// failing hook (any non-zero return: 1 is a failure for pre_start and init
// even though it is DM_PING_READY for a ping), or the last word of a ping
// that is not ready yet. The orchestrator decides what the code means.
model::HookAnswer call(dm_hook_fn fn, const dm_hook_info& info, const model::Exec& exec,
                       void* user_data) {
  LiveHook live(&info, exec);
  clear_error();
  int code = fn(&info, user_data);
  return {code, last_error_message()};
}

}  // namespace

model::Hook wrap_hook(dm_hook_fn fn, void* user_data) {
  if (fn == nullptr) return nullptr;
  return [fn, user_data](const model::HookContext& context) {
    dm_hook_info info = info_for(context);
    return call(fn, info, context.exec, user_data);
  };
}

model::PrepareHook wrap_prepare(dm_hook_fn fn, void* user_data) {
  if (fn == nullptr) return nullptr;
  return [fn, user_data](const model::HookContext& context, model::ServiceDef& definition) {
    dm_service working{definition};
    dm_hook_info info = info_for(context);
    info.definition = &working;
    model::HookAnswer answer = call(fn, info, context.exec, user_data);
    definition.env = std::move(working.def.env);  // the only change that counts
    return answer;
  };
}

}  // namespace dm::capi
