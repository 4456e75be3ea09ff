// Hooks: the registry of Python hook callables, the count of hook calls under
// way, and the C trampolines the library calls on its hook threads.

#include "core.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <unordered_map>

namespace dm_python {

namespace {

// Hook callables, keyed by a token that is the hooks' C user_data; guarded by
// the GIL. The library runs each hook on a thread of its own and stops
// waiting for it at the service's timeout or on cancellation, so a hook may
// still be running, or not even have begun, when its group is freed: a token
// that is no longer registered is a clean failure, where a pointer would dangle.
// Never destroyed (a hook thread may outlive every Python object).
auto* const hook_registry = new std::unordered_map<uintptr_t, py::object>();
uintptr_t next_hook_token = 1;

// Hook calls under way. A hook the library stopped waiting for (timeout,
// cancellation) goes on running Python code on its own thread; the process
// must not finalize the interpreter under it (see drillmaster._exit).
std::atomic<int> hooks_in_flight{0};

struct InFlight {
  InFlight() { hooks_in_flight.fetch_add(1); }
  ~InFlight() { hooks_in_flight.fetch_sub(1); }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;
};

// The dm_hook_info of the call under way, for dm_hook_exec(); null once the
// hook returned (shared by the copies pybind makes).
using LiveInfo = std::shared_ptr<std::atomic<const dm_hook_info*>>;

struct HookInfo {
  std::string group, service, network;
  std::optional<std::string> container_id, container_name;
  LiveInfo live;
};

// dm_hook_exec() for the hook that got `info`, with the GIL released.
py::tuple hook_exec(const HookInfo& info, const std::vector<std::string>& argv, double timeout,
                    const std::optional<std::string>& user,
                    const std::optional<std::string>& working_dir) {
  const dm_hook_info* raw = info.live ? info.live->load() : nullptr;
  if (raw == nullptr)
    raise_status(DM_EINVALID, "service '" + info.service +
                                  "': exec is only possible while the hook that got this "
                                  "info runs");
  auto c = c_strings(argv);
  dm_exec_options opts = dm_exec_options_defaults();
  opts.timeout = timeout;
  opts.user = user ? user->c_str() : nullptr;
  opts.working_dir = working_dir ? working_dir->c_str() : nullptr;
  dm_exec_result* result = nullptr;
  int status;
  std::string message;
  {
    py::gil_scoped_release nogil;
    status = dm_hook_exec(raw, c.data(), c.size(), &opts, &result);
    if (status != DM_OK) message = take_error(status);
  }
  if (status != DM_OK) raise_status(status, message);
  return exec_result_tuple(result);
}

HookInfo hook_info(const dm_hook_info* info) {
  HookInfo out;
  out.live = std::make_shared<std::atomic<const dm_hook_info*>>(info);
  out.group = info->group ? info->group : "";
  out.service = info->service ? info->service : "";
  out.network = info->network ? info->network : "";
  if (info->container_id) out.container_id = info->container_id;
  if (info->container_name) out.container_name = info->container_name;
  return out;
}

// With the GIL held: the callable registered under the token, or None.
py::object registered_hook(void* user_data) {
  auto it = hook_registry->find(reinterpret_cast<uintptr_t>(user_data));
  return it == hook_registry->end() ? py::none() : it->second;
}

// Calls the hook registered under `user_data`. Returns its result, or sets
// the failure reason with dm_error_set() and returns nullopt.
std::optional<py::object> call_hook(const dm_hook_info* info, void* user_data) {
  if (!Py_IsInitialized()) {
    dm_error_set("the Python interpreter has exited");
    return std::nullopt;
  }
  py::gil_scoped_acquire gil;
  py::object fn = registered_hook(user_data);
  if (fn.is_none()) {
    dm_error_set("the hook's group was freed before the hook ran");
    return std::nullopt;
  }
  HookInfo details = hook_info(info);
  LiveInfo live = details.live;
  struct Ended {  // the hook returned: its info no longer reaches the library
    LiveInfo live;
    ~Ended() { live->store(nullptr); }
  } ended{live};
  try {
    return fn(details);
  } catch (py::error_already_set& e) {
    // drillmaster._errors.NotReady from a ping: not ready, with a reason
    // the library shows if the timeout passes.
    if (e.matches(py::module_::import("drillmaster._errors").attr("NotReady"))) {
      std::string reason = py::str(e.value());
      dm_error_set(reason.c_str());
      return py::object(py::bool_(false));
    }
    std::string reason = describe_exception(e);
    dm_error_set(reason.c_str());
    return std::nullopt;
  }
}

}  // namespace

uintptr_t register_hook(py::object fn) {
  if (!PyCallable_Check(fn.ptr())) throw py::type_error("a hook must be callable");
  uintptr_t token = next_hook_token++;
  (*hook_registry)[token] = std::move(fn);
  return token;
}

void forget_hook(uintptr_t token) { hook_registry->erase(token); }

int hooks_running() { return hooks_in_flight.load(); }

int hook_trampoline(const dm_hook_info* info, void* user_data) {
  InFlight counted;
  auto result = call_hook(info, user_data);
  if (!result) return 1;
  py::gil_scoped_acquire gil;
  *result = py::object();  // drop the reference with the GIL held
  return 0;
}

int ping_trampoline(const dm_hook_info* info, void* user_data) {
  InFlight counted;
  auto result = call_hook(info, user_data);
  if (!result) return -1;
  py::gil_scoped_acquire gil;
  int truth = PyObject_IsTrue(result->ptr());
  *result = py::object();
  if (truth < 0) {
    PyErr_Clear();
    dm_error_set("ping returned a value that is neither true nor false");
    return -1;
  }
  return truth ? DM_PING_READY : DM_PING_NOT_READY;
}

// prepare: the callable returns the environment values to set (a dict of
// str to str, or None); they go into the operation's copy of the definition.
int prepare_trampoline(const dm_hook_info* info, void* user_data) {
  InFlight counted;
  auto result = call_hook(info, user_data);
  if (!result) return 1;
  py::gil_scoped_acquire gil;
  py::object env = std::move(*result);
  if (env.is_none()) return 0;
  try {
    for (auto item : env.cast<py::dict>()) {
      std::string name = py::str(item.first), value = py::str(item.second);
      if (dm_service_set_env(info->definition, name.c_str(), value.c_str()) != DM_OK)
        return 1;  // dm_error_last() already says why
    }
  } catch (py::error_already_set& e) {
    std::string reason = describe_exception(e);
    dm_error_set(reason.c_str());
    return 1;
  } catch (const py::cast_error&) {
    dm_error_set("prepare must return a dict of environment values or None");
    return 1;
  }
  return 0;
}

int write_output_to_fds(int stream, const char* data, size_t size, void* user_data) {
  const int* fds = static_cast<const int*>(user_data);
  int fd = stream == DM_OUTPUT_STDERR ? fds[1] : fds[0];
  while (fd >= 0 && size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the reader went away: the rest is lost
    data += n;
    size -= static_cast<size_t>(n);
  }
  return 0;
}

py::tuple exec_result_tuple(dm_exec_result* result) {
  std::unique_ptr<dm_exec_result, void (*)(dm_exec_result*)> owned(result, dm_exec_result_free);
  size_t out_size = 0, err_size = 0;
  const char* out = dm_exec_result_stdout(result, &out_size);
  const char* err = dm_exec_result_stderr(result, &err_size);
  return py::make_tuple(dm_exec_result_exit_code(result), py::bytes(out, out_size),
                        py::bytes(err, err_size));
}

void bind_hooks(py::module_& m) {
  py::class_<HookInfo>(m, "HookInfo", "What a hook knows about its service (dm_hook_info).")
      .def_readonly("group", &HookInfo::group)
      .def_readonly("service", &HookInfo::service)
      .def_readonly("network", &HookInfo::network)
      .def_readonly("container_id", &HookInfo::container_id)
      .def_readonly("container_name", &HookInfo::container_name)
      .def("exec", &hook_exec, py::arg("argv"), py::kw_only(),
           py::arg("timeout") = dm_exec_options_defaults().timeout, py::arg("user") = py::none(),
           py::arg("working_dir") = py::none(),
           "Runs argv in the hook's container while the hook runs (dm_hook_exec): "
           "(exit_code, stdout bytes, stderr bytes).")
      .def("__repr__",
           [](const HookInfo& i) { return "<HookInfo " + i.group + "/" + i.service + ">"; });
}

}  // namespace dm_python
