// The C side of drillmaster/exec.h shared by dm_hook_exec() (exec.cc) and
// dm_group_exec() (operations.cc): the options as the orchestrator's
// request, and the result handle.
#ifndef DM_CAPI_EXEC_H
#define DM_CAPI_EXEC_H

#include "drillmaster/exec.h"
#include "model/hooks.h"

namespace dm::capi {

// `argv` and `opts` (NULL: the defaults) as a request; the output callback
// wrapped. ArgumentError for a NULL or empty argv, a NULL entry; Code::Invalid
// for an unknown options version.
model::ExecRequest exec_request(const char* const* argv, size_t argc, const dm_exec_options* opts);

// A new result handle holding `result`.
dm_exec_result* exec_result(model::ExecResult&& result);

}  // namespace dm::capi

#endif
