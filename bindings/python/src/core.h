// drillmaster._core: a thin Python face over the public C ABI of libdrillmaster.
//
// Only <drillmaster/drillmaster.h> is used here: the module is the proof that
// the C ABI is enough to build a complete front end. Everything Pythonic
// beyond handles, options and callbacks (the Service class, the CLI) lives in
// the pure-Python package.
//
// GIL rules: every call that may block (engine traffic, operations) runs with
// the GIL released; every callback from the library's worker threads takes
// the GIL before touching a Python object. A Python exception never crosses
// the C boundary: in a hook it becomes the service's failure reason through
// dm_error_set(); in an event or log callback it is kept and raised again
// when the operation returns.
//
// The files, one job each:
//   errors.cpp   C status -> drillmaster.Error; exceptions caught off the caller's thread
//   client.cpp   Client (dm_client)
//   hooks.cpp    the hook registry and the C trampolines that call Python hooks
//   service.cpp  Service (a borrowed dm_service) and its setters
//   results.cpp  Result, ServiceStatus and Event: C results copied into Python values
//   options.cpp  the options structs as the library initialises them; _core.defaults()
//   group.cpp    Group (dm_group) and its operations
//   module.cpp   PYBIND11_MODULE: module functions, constants, and the bind_* calls
//
// This header holds what more than one of them needs.

#pragma once

#include <drillmaster/drillmaster.h>

#include <pybind11/pybind11.h>
// In every file, so std::optional and std::vector convert alike in all of them.
#include <pybind11/stl.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace py = pybind11;

namespace dm_python {

// ---- errors (errors.cpp) ------------------------------------------------------

// Raises the drillmaster.Error subclass for `status` with `message`.
[[noreturn]] void raise_status(int status, const std::string& message);

// The calling thread's last error text, cleared; falls back to the status name.
std::string take_error(int status);

// Raises for any status but DM_OK, with the calling thread's last error text.
void check(int status);

// A Python exception caught on a worker thread, raised again on the caller's.
class PendingError {
 public:
  // Must be called with the GIL held, from inside a catch of error_already_set.
  void keep(py::error_already_set& e);
  // With the GIL held: raises the kept exception, if any.
  void raise_if_any();

 private:
  std::mutex mutex_;
  py::object value_;
};

// The text a failing hook hands to dm_error_set(): the formatted traceback,
// or the bare message of a drillmaster.HookFailed raised on purpose.
std::string describe_exception(py::error_already_set& e);

// ---- strings ----------------------------------------------------------------

inline std::vector<std::string> to_strings(const std::optional<std::vector<std::string>>& in) {
  return in ? *in : std::vector<std::string>{};
}

// Borrowed pointers into `in`, which must outlive the result.
inline std::vector<const char*> c_strings(const std::vector<std::string>& in) {
  std::vector<const char*> out;
  out.reserve(in.size());
  for (const auto& s : in) out.push_back(s.c_str());
  return out;
}

// ---- client (client.cpp) ------------------------------------------------------

struct Client {
  dm_client* handle = nullptr;
  Client() = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client() { dm_client_free(handle); }
  dm_client* get() const {
    if (!handle) raise_status(DM_EINVALID, "the client is closed");
    return handle;
  }
};

// ---- hooks (hooks.cpp) --------------------------------------------------------

// With the GIL held: registers a hook callable and returns its token, the
// hooks' C user_data. Raises TypeError if `fn` is not callable.
uintptr_t register_hook(py::object fn);
// With the GIL held: a hook registered under `token` will no longer be called.
void forget_hook(uintptr_t token);

// How many hook calls are under way, including ones an operation stopped waiting for.
int hooks_running();

// The C callbacks; user_data is a token from register_hook().
int hook_trampoline(const dm_hook_info* info, void* user_data);
int ping_trampoline(const dm_hook_info* info, void* user_data);
int prepare_trampoline(const dm_hook_info* info, void* user_data);

// ---- group and services (group.cpp, service.cpp) ------------------------------

// Owns the dm_group and the registry entries of its services' hooks. Shared
// by the Group object and every Service handle taken from it, so a borrowed
// dm_service never outlives its group. Destroyed with the GIL held.
struct GroupState {
  dm_group* handle = nullptr;
  std::vector<uintptr_t> hook_tokens;
  GroupState() = default;
  GroupState(const GroupState&) = delete;
  GroupState& operator=(const GroupState&) = delete;
  ~GroupState();
};

struct Service {
  std::shared_ptr<GroupState> group;
  dm_service* handle;

  std::string name() const { return dm_service_name(handle); }
  // Registers a hook callable; the token is its C user_data.
  void* slot(py::object fn);
};

// ---- results, reports, events (results.cpp) -----------------------------------

struct ServiceResult {
  std::string service;
  int outcome;
  std::string outcome_name;
  std::string reason;
  std::string container_id;
  double seconds;
};

struct Result {
  int status;
  std::string status_name;
  std::string message;  // dm_error_last() of the operation, "" on success
  bool cancelled;
  size_t failures;
  std::vector<ServiceResult> services;
};

struct PublishedPort {
  std::string container_port, host_ip;
  int host_port;
};

struct ServiceStatus {
  std::string service, state, status_text, health, container_id, container_name, image, ports;
  bool outdated;
  std::vector<PublishedPort> published;
};

struct Event {
  std::optional<std::string> service;
  int phase;
  std::string phase_name;
  std::string message;
  double timestamp;
};

Result convert_result(const dm_result* res, int status, const std::string& message);
std::vector<ServiceStatus> convert_report(const dm_report* report);
Event convert_event(const dm_event* event);

// ---- options (options.cpp) ----------------------------------------------------

// Each options struct with the library's defaults (dm_*_options_init): the
// start of every call's options, and the binding's default arguments.
dm_client_options dm_client_options_defaults();
dm_start_options dm_start_options_defaults();
dm_stop_options dm_stop_options_defaults();
dm_reload_options dm_reload_options_defaults();
dm_logs_options dm_logs_options_defaults();
dm_status_options dm_status_options_defaults();
dm_graph_options dm_graph_options_defaults();
dm_exec_options dm_exec_options_defaults();
dm_run_options dm_run_options_defaults();
dm_watch_options dm_watch_options_defaults();

// ---- exec (hooks.cpp) ----------------------------------------------------------

// Writes a command's output to the descriptors `user_data` points at (an
// int[2]: stdout's, stderr's; -1 discards): a dm_output_fn that needs no GIL.
int write_output_to_fds(int stream, const char* data, size_t size, void* user_data);

// A dm_exec_result as (exit_code, stdout bytes, stderr bytes); frees it.
py::tuple exec_result_tuple(dm_exec_result* result);

// ---- bindings, in the order module.cpp calls them -----------------------------

void bind_client(py::module_& m);
void bind_hooks(py::module_& m);
void bind_service(py::module_& m);
void bind_results(py::module_& m);
void bind_options(py::module_& m);
void bind_group(py::module_& m);

}  // namespace dm_python
