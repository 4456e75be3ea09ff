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

#include <drillmaster/drillmaster.h>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace py = pybind11;

namespace {

// ---- errors -----------------------------------------------------------------

// Raises the drillmaster.Error subclass for `status` with `message`.
[[noreturn]] void raise_status(int status, const std::string &message) {
	py::object errors = py::module_::import("drillmaster._errors");
	py::object exc = errors.attr("_from_status")(status, message);
	PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(exc.ptr())), exc.ptr());
	throw py::error_already_set();
}

// The calling thread's last error text, cleared; falls back to the status name.
std::string take_error(int status) {
	std::string message = dm_error_last();
	dm_error_clear();
	if (message.empty())
		message = dm_status_name(status);
	return message;
}

void check(int status) {
	if (status != DM_OK)
		raise_status(status, take_error(status));
}

// A Python exception caught on a worker thread, raised again on the caller's.
class PendingError {
public:
	// Must be called with the GIL held, from inside a catch of error_already_set.
	void keep(py::error_already_set &e) {
		std::lock_guard<std::mutex> lock(mutex_);
		if (value_)
			return;  // the first one wins
		e.restore();
		PyObject *type, *value, *trace;
		PyErr_Fetch(&type, &value, &trace);
		PyErr_NormalizeException(&type, &value, &trace);
		if (trace)
			PyException_SetTraceback(value, trace);
		value_ = py::reinterpret_steal<py::object>(value);
		Py_XDECREF(type);
		Py_XDECREF(trace);
	}
	// With the GIL held: raises the kept exception, if any.
	void raise_if_any() {
		if (!value_)
			return;
		py::object value = std::move(value_);
		PyErr_SetObject(reinterpret_cast<PyObject *>(Py_TYPE(value.ptr())), value.ptr());
		throw py::error_already_set();
	}

private:
	std::mutex mutex_;
	py::object value_;
};

// The text a failing hook hands to dm_error_set(): the formatted traceback,
// or the bare message of a drillmaster.HookFailed raised on purpose.
std::string describe_exception(py::error_already_set &e) {
	e.restore();
	PyObject *type, *value, *trace;
	PyErr_Fetch(&type, &value, &trace);
	PyErr_NormalizeException(&type, &value, &trace);
	py::object t = py::reinterpret_steal<py::object>(type);
	py::object v = py::reinterpret_steal<py::object>(value);
	py::object tb = py::reinterpret_steal<py::object>(trace ? trace : (Py_INCREF(Py_None), Py_None));
	try {
		py::object hook_failed = py::module_::import("drillmaster._errors").attr("HookFailed");
		if (PyObject_IsInstance(v.ptr(), hook_failed.ptr()) == 1)
			return py::str(v);
		py::list lines = py::module_::import("traceback").attr("format_exception")(t, v, tb);
		std::string text;
		for (auto line : lines)
			text += line.cast<std::string>();
		while (!text.empty() && text.back() == '\n')
			text.pop_back();
		return text;
	} catch (py::error_already_set &) {
		return "a Python exception that could not be formatted";
	}
}

std::vector<std::string> to_strings(const std::optional<std::vector<std::string>> &in) {
	return in ? *in : std::vector<std::string>{};
}

std::vector<const char *> c_strings(const std::vector<std::string> &in) {
	std::vector<const char *> out;
	out.reserve(in.size());
	for (const auto &s : in)
		out.push_back(s.c_str());
	return out;
}

// ---- client -----------------------------------------------------------------

struct Client {
	dm_client *handle = nullptr;
	Client() = default;
	Client(const Client &) = delete;
	Client &operator=(const Client &) = delete;
	~Client() { dm_client_free(handle); }
	dm_client *get() const {
		if (!handle)
			raise_status(DM_EINVALID, "the client is closed");
		return handle;
	}
};

std::shared_ptr<Client> client_open(std::optional<std::string> host,
                                    std::optional<std::string> api_version,
                                    std::optional<bool> tls_verify,
                                    std::optional<std::string> cert_path, double timeout) {
	dm_client_options opts = DM_CLIENT_OPTIONS_INIT;
	opts.host = host ? host->c_str() : nullptr;
	opts.api_version = api_version ? api_version->c_str() : nullptr;
	opts.tls_verify = tls_verify ? (*tls_verify ? 1 : 0) : -1;
	opts.cert_path = cert_path ? cert_path->c_str() : nullptr;
	opts.timeout = timeout;
	auto client = std::make_shared<Client>();
	int status;
	std::string error;
	{
		py::gil_scoped_release nogil;
		status = dm_client_open(&client->handle, &opts);
		if (status != DM_OK)
			error = take_error(status);
	}
	if (status != DM_OK)
		raise_status(status, error);
	return client;
}

// ---- group and services -------------------------------------------------------

// Hook callables, keyed by a token that is the hooks' C user_data; guarded by
// the GIL. The library runs each hook on a thread of its own and stops
// waiting for it at the service's timeout or on cancellation, so a hook may
// still be running, or not even have begun, when its group is freed: a token
// that is no longer registered is a clean failure, where a pointer would dangle.
// Never destroyed (a hook thread may outlive every Python object).
auto *const hook_registry = new std::unordered_map<uintptr_t, py::object>();
uintptr_t next_hook_token = 1;

struct HookInfo {
	std::string group, service, network;
	std::optional<std::string> container_id, container_name;
};

HookInfo hook_info(const dm_hook_info *info) {
	HookInfo out;
	out.group = info->group ? info->group : "";
	out.service = info->service ? info->service : "";
	out.network = info->network ? info->network : "";
	if (info->container_id)
		out.container_id = info->container_id;
	if (info->container_name)
		out.container_name = info->container_name;
	return out;
}

// Owns the dm_group and the registry entries of its services' hooks. Shared
// by the Group object and every Service handle taken from it, so a borrowed
// dm_service never outlives its group. Destroyed with the GIL held.
struct GroupState {
	dm_group *handle = nullptr;
	std::vector<uintptr_t> hook_tokens;
	GroupState() = default;
	GroupState(const GroupState &) = delete;
	GroupState &operator=(const GroupState &) = delete;
	~GroupState() {
		dm_group_free(handle);
		for (uintptr_t token : hook_tokens)
			hook_registry->erase(token);
	}
};

// Hook calls under way. A hook the library stopped waiting for (timeout,
// cancellation) goes on running Python code on its own thread; the process
// must not finalize the interpreter under it (see drillmaster._exit).
std::atomic<int> hooks_in_flight{0};

struct InFlight {
	InFlight() { hooks_in_flight.fetch_add(1); }
	~InFlight() { hooks_in_flight.fetch_sub(1); }
	InFlight(const InFlight &) = delete;
	InFlight &operator=(const InFlight &) = delete;
};

// With the GIL held: the callable registered under the token, or None.
py::object registered_hook(void *user_data) {
	auto it = hook_registry->find(reinterpret_cast<uintptr_t>(user_data));
	return it == hook_registry->end() ? py::none() : it->second;
}

// Calls the hook registered under `user_data`. Returns its result, or sets
// the failure reason with dm_error_set() and returns nullopt.
std::optional<py::object> call_hook(const dm_hook_info *info, void *user_data) {
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
	} catch (py::error_already_set &e) {
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

int hook_trampoline(const dm_hook_info *info, void *user_data) {
	InFlight counted;
	auto result = call_hook(info, user_data);
	if (!result)
		return 1;
	py::gil_scoped_acquire gil;
	*result = py::object();  // drop the reference with the GIL held
	return 0;
}

int ping_trampoline(const dm_hook_info *info, void *user_data) {
	InFlight counted;
	auto result = call_hook(info, user_data);
	if (!result)
		return -1;
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
int prepare_trampoline(const dm_hook_info *info, void *user_data) {
	InFlight counted;
	auto result = call_hook(info, user_data);
	if (!result)
		return 1;
	py::gil_scoped_acquire gil;
	py::object env = std::move(*result);
	if (env.is_none())
		return 0;
	try {
		for (auto item : env.cast<py::dict>()) {
			std::string name = py::str(item.first), value = py::str(item.second);
			if (dm_service_set_env(info->definition, name.c_str(), value.c_str()) != DM_OK)
				return 1;  // dm_error_last() already says why
		}
	} catch (py::error_already_set &e) {
		std::string reason = describe_exception(e);
		dm_error_set(reason.c_str());
		return 1;
	} catch (const py::cast_error &) {
		dm_error_set("prepare must return a dict of environment values or None");
		return 1;
	}
	return 0;
}

struct Service {
	std::shared_ptr<GroupState> group;
	dm_service *handle;

	std::string name() const { return dm_service_name(handle); }
	// Registers a hook callable; the token is its C user_data.
	void *slot(py::object fn) {
		if (!PyCallable_Check(fn.ptr()))
			throw py::type_error("a hook must be callable");
		uintptr_t token = next_hook_token++;
		(*hook_registry)[token] = std::move(fn);
		group->hook_tokens.push_back(token);
		return reinterpret_cast<void *>(token);
	}
};

std::shared_ptr<GroupState> group_new(const std::string &name) {
	auto state = std::make_shared<GroupState>();
	check(dm_group_new(&state->handle, name.c_str()));
	return state;
}

// ---- results, reports, events -----------------------------------------------

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

Result convert_result(const dm_result *res, int status, const std::string &message) {
	Result out;
	out.status = status;
	out.status_name = dm_status_name(status);
	out.message = message;
	out.cancelled = dm_result_cancelled(res) != 0;
	out.failures = dm_result_failures(res);
	size_t n = dm_result_count(res);
	for (size_t i = 0; i < n; ++i) {
		int outcome = dm_result_outcome(res, i);
		out.services.push_back(ServiceResult{dm_result_service(res, i), outcome,
		                                     dm_outcome_name(outcome), dm_result_reason(res, i),
		                                     dm_result_container_id(res, i),
		                                     dm_result_seconds(res, i)});
	}
	return out;
}

struct ServiceStatus {
	std::string service, state, status_text, health, container_id, container_name, image, ports;
	bool outdated;
};

struct Event {
	std::optional<std::string> service;
	int phase;
	std::string phase_name;
	std::string message;
	double timestamp;
};

// What an operation's callbacks share with the thread that waits for it.
struct OperationContext {
	py::object on_event;  // None or a callable taking an Event
	PendingError error;
};

void event_trampoline(const dm_event *event, void *user_data) {
	auto *op = static_cast<OperationContext *>(user_data);
	py::gil_scoped_acquire gil;
	if (op->on_event.is_none())
		return;
	Event ev;
	if (event->service)
		ev.service = event->service;
	ev.phase = event->phase;
	ev.phase_name = dm_phase_name(event->phase);
	ev.message = event->message ? event->message : "";
	ev.timestamp = event->timestamp;
	try {
		op->on_event(ev);
	} catch (py::error_already_set &e) {
		op->error.keep(e);
	}
}

// Runs one operation with the GIL released and turns its outcome into a
// Result, or an exception when there is no result to show.
template <typename Call>
Result run_operation(OperationContext &op, Call call) {
	dm_result *res = nullptr;
	int status;
	std::string message;
	{
		py::gil_scoped_release nogil;
		status = call(&res);
		if (status != DM_OK)
			message = take_error(status);
	}
	std::unique_ptr<dm_result, void (*)(dm_result *)> owned(res, dm_result_free);
	op.error.raise_if_any();
	if (!res)
		raise_status(status == DM_OK ? DM_EINTERNAL : status,
		             status == DM_OK ? "the operation returned no result" : message);
	return convert_result(res, status, message);
}

struct Group {
	std::shared_ptr<GroupState> state;

	dm_group *get() const { return state->handle; }

	Service add_service(const std::string &name, const std::string &image) {
		dm_service *svc = nullptr;
		check(dm_group_add_service(&svc, get(), name.c_str(), image.c_str()));
		return Service{state, svc};
	}

	std::vector<Service> services() const {
		std::vector<Service> out;
		size_t n = dm_group_service_count(get());
		for (size_t i = 0; i < n; ++i)
			out.push_back(Service{state, dm_group_service_at(get(), i)});
		return out;
	}

	std::optional<Service> find_service(const std::string &name) const {
		dm_service *svc = dm_group_find_service(get(), name.c_str());
		if (!svc)
			return std::nullopt;
		return Service{state, svc};
	}

	void validate(const std::optional<std::vector<std::string>> &exclude) {
		auto names = to_strings(exclude);
		auto c = c_strings(names);
		check(dm_group_validate(get(), c.empty() ? nullptr : c.data(), c.size()));
	}

	Result start(const Client &client, const std::optional<std::vector<std::string>> &exclude,
	             double timeout, bool run_new_containers, bool build, unsigned parallelism,
	             py::object on_event) {
		OperationContext op{std::move(on_event), {}};
		auto names = to_strings(exclude);
		auto c = c_strings(names);
		dm_start_options opts = DM_START_OPTIONS_INIT;
		opts.exclude = c.empty() ? nullptr : c.data();
		opts.exclude_count = c.size();
		opts.timeout = timeout;
		opts.run_new_containers = run_new_containers;
		opts.build = build;
		opts.parallelism = parallelism;
		opts.on_event = event_trampoline;
		opts.event_user_data = &op;
		dm_group *g = get();
		dm_client *cl = client.get();
		return run_operation(op, [&](dm_result **out) { return dm_group_start(out, g, cl, &opts); });
	}

	Result stop(const Client &client, const std::optional<std::vector<std::string>> &exclude,
	            double timeout, bool remove, py::object on_event) {
		OperationContext op{std::move(on_event), {}};
		auto names = to_strings(exclude);
		auto c = c_strings(names);
		dm_stop_options opts = DM_STOP_OPTIONS_INIT;
		opts.exclude = c.empty() ? nullptr : c.data();
		opts.exclude_count = c.size();
		opts.timeout = timeout;
		opts.remove = remove;
		opts.on_event = event_trampoline;
		opts.event_user_data = &op;
		dm_group *g = get();
		dm_client *cl = client.get();
		return run_operation(op, [&](dm_result **out) { return dm_group_stop(out, g, cl, &opts); });
	}

	Result reload(const Client &client, const std::string &service, double timeout, bool remove,
	              py::object on_event) {
		OperationContext op{std::move(on_event), {}};
		dm_reload_options opts = DM_RELOAD_OPTIONS_INIT;
		opts.timeout = timeout;
		opts.remove = remove;
		opts.on_event = event_trampoline;
		opts.event_user_data = &op;
		dm_group *g = get();
		dm_client *cl = client.get();
		return run_operation(op, [&](dm_result **out) {
			return dm_group_reload(out, g, cl, service.c_str(), &opts);
		});
	}

	std::vector<ServiceStatus> status(const Client &client) {
		dm_report *report = nullptr;
		int status;
		std::string message;
		dm_group *g = get();
		dm_client *cl = client.get();
		{
			py::gil_scoped_release nogil;
			status = dm_group_status(&report, g, cl);
			if (status != DM_OK)
				message = take_error(status);
		}
		if (status != DM_OK) {
			dm_report_free(report);
			raise_status(status, message);
		}
		std::unique_ptr<dm_report, void (*)(dm_report *)> owned(report, dm_report_free);
		std::vector<ServiceStatus> out;
		size_t n = dm_report_count(report);
		for (size_t i = 0; i < n; ++i)
			out.push_back(ServiceStatus{
			    dm_report_service(report, i), dm_report_state(report, i),
			    dm_report_status_text(report, i), dm_report_health(report, i),
			    dm_report_container_id(report, i), dm_report_container_name(report, i),
			    dm_report_image(report, i), dm_report_ports(report, i),
			    dm_report_outdated(report, i) != 0});
		return out;
	}

	// Returns true when dm_group_cancel() ended the stream.
	bool logs(const Client &client, const std::optional<std::vector<std::string>> &services,
	          bool follow, int tail, py::object callback) {
		struct LogContext {
			py::object fn;
			PendingError error;
		} ctx{std::move(callback), {}};
		auto names = to_strings(services);
		auto c = c_strings(names);
		dm_logs_options opts = DM_LOGS_OPTIONS_INIT;
		opts.services = c.empty() ? nullptr : c.data();
		opts.service_count = c.size();
		opts.follow = follow;
		opts.tail = tail;
		auto trampoline = [](const char *service, int stream, const char *line, size_t length,
		                     void *user_data) -> int {
			auto *lc = static_cast<LogContext *>(user_data);
			py::gil_scoped_acquire gil;
			try {
				auto text = py::reinterpret_steal<py::str>(
				    PyUnicode_DecodeUTF8(line, static_cast<Py_ssize_t>(length), "replace"));
				py::object stop = lc->fn(py::str(service ? service : ""), stream, text);
				return PyObject_IsTrue(stop.ptr()) == 1 ? 1 : 0;
			} catch (py::error_already_set &e) {
				lc->error.keep(e);
				return 1;
			}
		};
		int status;
		std::string message;
		dm_group *g = get();
		dm_client *cl = client.get();
		{
			py::gil_scoped_release nogil;
			status = dm_group_logs(g, cl, &opts, trampoline, &ctx);
			if (status != DM_OK)
				message = take_error(status);
		}
		ctx.error.raise_if_any();
		if (status == DM_ECANCELLED)
			return true;
		if (status != DM_OK)
			raise_status(status, message);
		return false;
	}
};

}  // namespace

PYBIND11_MODULE(_core, m) {
	m.doc() = "Thin bindings of libdrillmaster's C API (drillmaster/drillmaster.h).";

	m.def("version", &dm_version, "The version of the loaded libdrillmaster, e.g. '0.1.0'.");
	m.def(
	    "version_numbers",
	    []() {
		    int major, minor, patch;
		    dm_version_numbers(&major, &minor, &patch);
		    return py::make_tuple(major, minor, patch);
	    },
	    "The loaded library's version as (major, minor, patch).");
	m.attr("HEADER_VERSION") = DM_VERSION_STRING;
	m.def(
	    "hooks_running", []() { return hooks_in_flight.load(); },
	    "How many hook calls are under way, including ones an operation stopped waiting for.");
	m.def("status_name", &dm_status_name, py::arg("status"));
	m.def("phase_name", &dm_phase_name, py::arg("phase"));
	m.def("outcome_name", &dm_outcome_name, py::arg("outcome"));

#define DM_CONST(name) m.attr(#name) = static_cast<int>(DM_##name)
	DM_CONST(OK);
	DM_CONST(EINVALID);
	DM_CONST(ENOTFOUND);
	DM_CONST(ECONFLICT);
	DM_CONST(EUNREACHABLE);
	DM_CONST(EENGINE);
	DM_CONST(ETIMEOUT);
	DM_CONST(EHOOK);
	DM_CONST(ECANCELLED);
	DM_CONST(EFAILED);
	DM_CONST(ENOMEM);
	DM_CONST(EINTERNAL);
	DM_CONST(PHASE_BUILDING);
	DM_CONST(PHASE_PULLING);
	DM_CONST(PHASE_PRE_START);
	DM_CONST(PHASE_CREATING);
	DM_CONST(PHASE_STARTING);
	DM_CONST(PHASE_PINGING);
	DM_CONST(PHASE_INITIALISING);
	DM_CONST(PHASE_RUNNING);
	DM_CONST(PHASE_STOPPING);
	DM_CONST(PHASE_STOPPED);
	DM_CONST(PHASE_REMOVED);
	DM_CONST(PHASE_FAILED);
	DM_CONST(PHASE_SKIPPED);
	DM_CONST(PHASE_DETAIL);
	DM_CONST(PHASE_WAITING);
	DM_CONST(OUTCOME_STARTED);
	DM_CONST(OUTCOME_ALREADY_RUNNING);
	DM_CONST(OUTCOME_RESTARTED);
	DM_CONST(OUTCOME_RELOADED);
	DM_CONST(OUTCOME_FAILED);
	DM_CONST(OUTCOME_SKIPPED);
	DM_CONST(OUTCOME_EXCLUDED);
	DM_CONST(OUTCOME_CANCELLED);
	DM_CONST(OUTCOME_STOPPED);
	DM_CONST(OUTCOME_REMOVED);
	DM_CONST(OUTCOME_NOT_RUNNING);
#undef DM_CONST

	py::class_<Client, std::shared_ptr<Client>>(m, "Client",
	                                            "A connection to a Docker engine (dm_client).")
	    .def(py::init(&client_open), py::kw_only(), py::arg("host") = py::none(),
	         py::arg("api_version") = py::none(), py::arg("tls_verify") = py::none(),
	         py::arg("cert_path") = py::none(), py::arg("timeout") = 0.0,
	         "Opens a client and negotiates the API version; unset arguments come from "
	         "DOCKER_HOST, DOCKER_API_VERSION, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.")
	    .def(
	        "ping",
	        [](const Client &c) {
		        dm_client *h = c.get();
		        int status;
		        std::string message;
		        {
			        py::gil_scoped_release nogil;
			        status = dm_client_ping(h);
			        if (status != DM_OK)
				        message = take_error(status);
		        }
		        if (status != DM_OK)
			        raise_status(status, message);
	        },
	        "Asks the engine whether it is alive.")
	    .def_property_readonly("host", [](const Client &c) { return dm_client_host(c.get()); })
	    .def_property_readonly("api_version",
	                           [](const Client &c) { return dm_client_api_version(c.get()); })
	    .def(
	        "engine_version",
	        [](const Client &c) {
		        dm_client *h = c.get();
		        char *engine = nullptr, *api = nullptr;
		        int status;
		        std::string message;
		        {
			        py::gil_scoped_release nogil;
			        status = dm_client_engine_version(h, &engine, &api);
			        if (status != DM_OK)
				        message = take_error(status);
		        }
		        std::string e = engine ? engine : "", a = api ? api : "";
		        dm_free(engine);
		        dm_free(api);
		        if (status != DM_OK)
			        raise_status(status, message);
		        return py::make_tuple(e, a);
	        },
	        "The engine's version and the highest API version it speaks, as a tuple.")
	    .def("close",
	         [](Client &c) {
		         dm_client_free(c.handle);
		         c.handle = nullptr;
	         })
	    .def("__enter__", [](py::object self) { return self; })
	    .def("__exit__", [](Client &c, py::args) {
		    dm_client_free(c.handle);
		    c.handle = nullptr;
	    });

	py::class_<HookInfo>(m, "HookInfo", "What a hook knows about its service (dm_hook_info).")
	    .def_readonly("group", &HookInfo::group)
	    .def_readonly("service", &HookInfo::service)
	    .def_readonly("network", &HookInfo::network)
	    .def_readonly("container_id", &HookInfo::container_id)
	    .def_readonly("container_name", &HookInfo::container_name)
	    .def("__repr__", [](const HookInfo &i) {
		    return "<HookInfo " + i.group + "/" + i.service + ">";
	    });

	py::class_<Service>(m, "Service", "One service of a Group (a borrowed dm_service).")
	    .def_property_readonly("name", &Service::name)
	    .def("set_image", [](Service &s, const std::string &v) {
		    check(dm_service_set_image(s.handle, v.c_str()));
	    })
	    .def("add_dependency", [](Service &s, const std::string &v) {
		    check(dm_service_add_dependency(s.handle, v.c_str()));
	    })
	    .def("add_port",
	         [](Service &s, const std::string &container_port, int host_port) {
		         check(dm_service_add_port(s.handle, container_port.c_str(), host_port));
	         },
	         py::arg("container_port"), py::arg("host_port"))
	    .def("set_env", [](Service &s, const std::string &k, const std::string &v) {
		    check(dm_service_set_env(s.handle, k.c_str(), v.c_str()));
	    })
	    .def("add_volume", [](Service &s, const std::string &spec) {
		    check(dm_service_add_volume(s.handle, spec.c_str()));
	    })
	    .def(
	        "add_bind",
	        [](Service &s, const std::string &host, const std::string &container,
	           std::optional<std::string> mode) {
		        check(dm_service_add_bind(s.handle, host.c_str(), container.c_str(),
		                                  mode ? mode->c_str() : nullptr));
	        },
	        py::arg("host_path"), py::arg("container_path"), py::arg("mode") = py::none())
	    .def("set_always_start_new", [](Service &s, bool on) {
		    check(dm_service_set_always_start_new(s.handle, on ? 1 : 0));
	    })
	    .def("set_stop_signal", [](Service &s, const std::string &v) {
		    check(dm_service_set_stop_signal(s.handle, v.c_str()));
	    })
	    .def(
	        "set_build",
	        [](Service &s, const std::string &context, std::optional<std::string> dockerfile) {
		        check(dm_service_set_build(s.handle, context.c_str(),
		                                   dockerfile ? dockerfile->c_str() : nullptr));
	        },
	        py::arg("context_dir"), py::arg("dockerfile") = py::none())
	    .def("set_entrypoint", [](Service &s, const std::vector<std::string> &argv) {
		    auto c = c_strings(argv);
		    check(dm_service_set_entrypoint(s.handle, c.data(), c.size()));
	    })
	    .def("set_cmd", [](Service &s, const std::vector<std::string> &argv) {
		    auto c = c_strings(argv);
		    check(dm_service_set_cmd(s.handle, c.data(), c.size()));
	    })
	    .def("set_user", [](Service &s, const std::string &v) {
		    check(dm_service_set_user(s.handle, v.c_str()));
	    })
	    .def("set_timeout", [](Service &s, double seconds) {
		    check(dm_service_set_timeout(s.handle, seconds));
	    })
	    .def(
	        "set_prepare",
	        [](Service &s, py::object fn) {
		        check(dm_service_set_prepare(s.handle, prepare_trampoline, s.slot(std::move(fn))));
	        },
	        "fn(HookInfo) -> dict | None runs once the dependencies are ready, before the "
	        "container is chosen; the environment values it returns are set.")
	    .def(
	        "set_pre_start",
	        [](Service &s, py::object fn) {
		        check(dm_service_set_pre_start(s.handle, hook_trampoline, s.slot(std::move(fn))));
	        },
	        "fn(HookInfo) runs before a new container is created; raising fails the service.")
	    .def(
	        "set_ping",
	        [](Service &s, py::object fn) {
		        check(dm_service_set_ping(s.handle, ping_trampoline, s.slot(std::move(fn))));
	        },
	        "fn(HookInfo) -> bool is polled until true; raising fails the service at once.")
	    .def(
	        "set_post_start_init",
	        [](Service &s, py::object fn) {
		        check(dm_service_set_post_start_init(s.handle, hook_trampoline,
		                                             s.slot(std::move(fn))));
	        },
	        "fn(HookInfo) runs after a new container's first successful ping.")
	    .def("__repr__", [](const Service &s) { return "<Service " + s.name() + ">"; });

	py::class_<ServiceResult>(m, "ServiceResult", "One service's outcome of an operation.")
	    .def_readonly("service", &ServiceResult::service)
	    .def_readonly("outcome", &ServiceResult::outcome)
	    .def_readonly("outcome_name", &ServiceResult::outcome_name)
	    .def_readonly("reason", &ServiceResult::reason)
	    .def_readonly("container_id", &ServiceResult::container_id)
	    .def_readonly("seconds", &ServiceResult::seconds)
	    .def("__repr__", [](const ServiceResult &r) {
		    return "<ServiceResult " + r.service + ": " + r.outcome_name + ">";
	    });

	py::class_<Result>(m, "Result", "What an operation did, service by service (dm_result).")
	    .def_readonly("status", &Result::status)
	    .def_readonly("status_name", &Result::status_name)
	    .def_readonly("message", &Result::message)
	    .def_readonly("cancelled", &Result::cancelled)
	    .def_readonly("failures", &Result::failures)
	    .def_readonly("services", &Result::services)
	    .def("__repr__", [](const Result &r) {
		    return "<Result " + r.status_name + ", " + std::to_string(r.services.size()) +
		           " services>";
	    });

	py::class_<ServiceStatus>(m, "ServiceStatus", "One service's line of a status report.")
	    .def_readonly("service", &ServiceStatus::service)
	    .def_readonly("state", &ServiceStatus::state)
	    .def_readonly("status_text", &ServiceStatus::status_text)
	    .def_readonly("health", &ServiceStatus::health)
	    .def_readonly("container_id", &ServiceStatus::container_id)
	    .def_readonly("container_name", &ServiceStatus::container_name)
	    .def_readonly("image", &ServiceStatus::image)
	    .def_readonly("ports", &ServiceStatus::ports)
	    .def_readonly("outdated", &ServiceStatus::outdated)
	    .def("__repr__", [](const ServiceStatus &s) {
		    return "<ServiceStatus " + s.service + ": " + s.state + ">";
	    });

	py::class_<Event>(m, "Event", "A progress event of an operation (dm_event).")
	    .def_readonly("service", &Event::service)
	    .def_readonly("phase", &Event::phase)
	    .def_readonly("phase_name", &Event::phase_name)
	    .def_readonly("message", &Event::message)
	    .def_readonly("timestamp", &Event::timestamp)
	    .def("__repr__", [](const Event &e) {
		    return "<Event " + e.service.value_or("(group)") + ": " + e.phase_name + ">";
	    });

	py::class_<Group>(m, "Group", "A group of services on one network (dm_group).")
	    .def(py::init([](const std::string &name) { return Group{group_new(name)}; }),
	         py::arg("name"))
	    .def_property_readonly("name", [](const Group &g) { return dm_group_name(g.get()); })
	    .def_property(
	        "network_name", [](const Group &g) { return dm_group_network_name(g.get()); },
	        [](Group &g, const std::string &v) { check(dm_group_set_network_name(g.get(), v.c_str())); })
	    .def_property(
	        "directory", [](const Group &g) { return dm_group_directory(g.get()); },
	        [](Group &g, const std::string &v) { check(dm_group_set_directory(g.get(), v.c_str())); })
	    .def("add_service", &Group::add_service, py::arg("name"), py::arg("image"))
	    .def_property_readonly("services", &Group::services)
	    .def("find_service", &Group::find_service, py::arg("name"))
	    .def("validate", &Group::validate, py::arg("exclude") = py::none(),
	         "Checks every definition and the graph; raises InvalidArgument listing every problem.")
	    .def("start", &Group::start, py::arg("client"), py::kw_only(),
	         py::arg("exclude") = py::none(), py::arg("timeout") = 300.0,
	         py::arg("run_new_containers") = false, py::arg("build") = false,
	         py::arg("parallelism") = 0u, py::arg("on_event") = py::none())
	    .def("stop", &Group::stop, py::arg("client"), py::kw_only(),
	         py::arg("exclude") = py::none(), py::arg("timeout") = 10.0,
	         py::arg("remove") = false, py::arg("on_event") = py::none())
	    .def("reload", &Group::reload, py::arg("client"), py::arg("service"), py::kw_only(),
	         py::arg("timeout") = 300.0, py::arg("remove") = false,
	         py::arg("on_event") = py::none())
	    .def(
	        "cancel", [](Group &g) { dm_group_cancel(g.get()); },
	        "Asks the operation in progress to stop; safe from any thread.")
	    .def("status", &Group::status, py::arg("client"))
	    .def("logs", &Group::logs, py::arg("client"), py::kw_only(),
	         py::arg("services") = py::none(), py::arg("follow") = false, py::arg("tail") = -1,
	         py::arg("callback"),
	         "Streams log lines to callback(service, stream, line); a true return stops. "
	         "Returns True when cancelled.");
}
