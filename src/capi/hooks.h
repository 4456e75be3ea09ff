// The C hooks of drillmaster/service.h as the model's hooks (model/hooks.h):
// each wrapper builds the dm_hook_info the callback gets and collects the
// reason it gave with dm_error_set() on its own thread.
#ifndef DM_CAPI_HOOKS_H
#define DM_CAPI_HOOKS_H

#include "drillmaster/service.h"
#include "model/hooks.h"

namespace dm::capi {

// `fn` (a dm_hook_fn or dm_ping_fn: they have one signature) with its
// user_data; empty when `fn` is NULL.
model::Hook wrap_hook(dm_hook_fn fn, void* user_data);

// A prepare hook: `fn` gets a temporary dm_service handle over the working
// copy of the definition it is called with, and the environment the hook set
// on that handle is copied back into the working copy when it returns. The
// handle lives for the call only; the working copy is the orchestrator's own
// for that call (orchestrator/hooks.h), so even a call abandoned past its
// deadline never writes memory that was freed.
model::PrepareHook wrap_prepare(dm_hook_fn fn, void* user_data);

// The exec of the hook call that got `info` (dm_hook_exec()): an
// ArgumentError when no hook call under way got it, Code::Invalid when the
// hook has no container yet.
model::Exec exec_of(const dm_hook_info* info);

}  // namespace dm::capi

#endif
