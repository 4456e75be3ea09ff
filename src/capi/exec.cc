// dm_hook_exec() and the dm_exec_result accessors of drillmaster/exec.h.
#include "capi/exec.h"

#include <utility>

#include "capi/boundary.h"
#include "capi/handles.h"
#include "capi/hooks.h"
#include "capi/options.h"

using dm::capi::guard;

namespace dm::capi {

model::ExecRequest exec_request(const char* const* argv, size_t argc, const dm_exec_options* opts) {
  DM_REQUIRE(argv, "argv");
  if (argc == 0) throw ArgumentError("argv is empty: give the program and its arguments");
  dm_exec_options defaults = DM_EXEC_OPTIONS_INIT;
  if (opts == nullptr) opts = &defaults;
  check_version("dm_exec_options", opts->version, DM_EXEC_OPTIONS_VERSION);
  model::ExecRequest request;
  request.argv = strings(argv, argc, "argv");
  request.timeout = opts->timeout > 0 ? opts->timeout : 0;
  if (opts->user) request.user = opts->user;
  if (opts->working_dir) request.working_dir = opts->working_dir;
  request.stdin_fd = opts->stdin_fd;
  request.tty = opts->tty != 0;
  if (opts->on_output) {
    dm_output_fn fn = opts->on_output;
    void* user_data = opts->output_user_data;
    request.on_output = [fn, user_data](int stream, const std::string& data) {
      return fn(stream, data.data(), data.size(), user_data) == 0;
    };
  }
  return request;
}

dm_exec_result* exec_result(model::ExecResult&& result) {
  auto* out = new dm_exec_result;
  out->exit_code = static_cast<int>(result.exit_code);
  out->out = std::move(result.out);
  out->err = std::move(result.err);
  return out;
}

}  // namespace dm::capi

namespace {

const char* bytes(const dm_exec_result* result, const std::string dm_exec_result::*which,
                  size_t* size) {
  if (size) *size = result ? (result->*which).size() : 0;
  return result ? (result->*which).c_str() : "";
}

}  // namespace

extern "C" {

int dm_hook_exec(const dm_hook_info* info, const char* const* argv, size_t argc,
                 const dm_exec_options* opts, dm_exec_result** out) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(info, "info");
    DM_REQUIRE(out, "out");
    dm::model::ExecRequest request = dm::capi::exec_request(argv, argc, opts);
    dm::model::Exec exec = dm::capi::exec_of(info);
    *out = dm::capi::exec_result(exec(request));
    return DM_OK;
  });
}

int dm_exec_result_exit_code(const dm_exec_result* result) {
  return result ? result->exit_code : -1;
}

const char* dm_exec_result_stdout(const dm_exec_result* result, size_t* size) {
  return bytes(result, &dm_exec_result::out, size);
}

const char* dm_exec_result_stderr(const dm_exec_result* result, size_t* size) {
  return bytes(result, &dm_exec_result::err, size);
}

void dm_exec_result_free(dm_exec_result* result) { delete result; }

}  // extern "C"
