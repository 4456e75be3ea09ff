// Hooks: the registry of Python hook callables, the count of hook calls under
// way, and the C trampolines the library calls on its hook threads.

#include "core.h"

#include <atomic>
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

struct HookInfo {
  std::string group, service, network;
  std::optional<std::string> container_id, container_name;
};

HookInfo hook_info(const dm_hook_info* info) {
  HookInfo out;
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
  try {
    return fn(hook_info(info));
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

void bind_hooks(py::module_& m) {
  py::class_<HookInfo>(m, "HookInfo", "What a hook knows about its service (dm_hook_info).")
      .def_readonly("group", &HookInfo::group)
      .def_readonly("service", &HookInfo::service)
      .def_readonly("network", &HookInfo::network)
      .def_readonly("container_id", &HookInfo::container_id)
      .def_readonly("container_name", &HookInfo::container_name)
      .def("__repr__",
           [](const HookInfo& i) { return "<HookInfo " + i.group + "/" + i.service + ">"; });
}

}  // namespace dm_python
