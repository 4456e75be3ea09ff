// Group: a group of services on one network (dm_group), and its operations
// (start, stop, reload, status, logs), each run with the GIL released.

#include "core.h"
#include "watch.h"

namespace dm_python {

GroupState::~GroupState() {
  dm_group_free(handle);
  for (uintptr_t token : hook_tokens) forget_hook(token);
}

namespace {

std::shared_ptr<GroupState> group_new(const std::string& name) {
  auto state = std::make_shared<GroupState>();
  check(dm_group_new(&state->handle, name.c_str()));
  return state;
}

// What an operation's callbacks share with the thread that waits for it.
struct OperationContext {
  py::object on_event;  // None or a callable taking an Event
  PendingError error;
};

void event_trampoline(const dm_event* event, void* user_data) {
  auto* op = static_cast<OperationContext*>(user_data);
  py::gil_scoped_acquire gil;
  if (op->on_event.is_none()) return;
  Event ev = convert_event(event);
  try {
    op->on_event(ev);
  } catch (py::error_already_set& e) {
    op->error.keep(e);
  }
}

// Runs one operation with the GIL released and turns its outcome into a
// Result, or an exception when there is no result to show.
template <typename Call>
Result run_operation(OperationContext& op, Call call) {
  dm_result* res = nullptr;
  int status;
  std::string message;
  {
    py::gil_scoped_release nogil;
    status = call(&res);
    if (status != DM_OK) message = take_error(status);
  }
  std::unique_ptr<dm_result, void (*)(dm_result*)> owned(res, dm_result_free);
  op.error.raise_if_any();
  if (!res)
    raise_status(status == DM_OK ? DM_EINTERNAL : status,
                 status == DM_OK ? "the operation returned no result" : message);
  return convert_result(res, status, message);
}

struct Group {
  std::shared_ptr<GroupState> state;

  dm_group* get() const { return state->handle; }

  Service add_service(const std::string& name, const std::string& image) {
    dm_service* svc = nullptr;
    check(dm_group_add_service(&svc, get(), name.c_str(), image.c_str()));
    return Service{state, svc};
  }

  std::vector<Service> services() const {
    std::vector<Service> out;
    size_t n = dm_group_service_count(get());
    for (size_t i = 0; i < n; ++i) out.push_back(Service{state, dm_group_service_at(get(), i)});
    return out;
  }

  std::optional<Service> find_service(const std::string& name) const {
    dm_service* svc = dm_group_find_service(get(), name.c_str());
    if (!svc) return std::nullopt;
    return Service{state, svc};
  }

  void validate(const std::optional<std::vector<std::string>>& exclude) {
    auto names = to_strings(exclude);
    auto c = c_strings(names);
    check(dm_group_validate(get(), c.empty() ? nullptr : c.data(), c.size()));
  }

  void validate_stop(const std::optional<std::vector<std::string>>& exclude) {
    auto names = to_strings(exclude);
    auto c = c_strings(names);
    check(dm_group_validate_stop(get(), c.empty() ? nullptr : c.data(), c.size()));
  }

  Result start(const Client& client, const std::optional<std::vector<std::string>>& exclude,
               double timeout, bool run_new_containers, bool build, unsigned parallelism,
               py::object on_event, double stop_timeout, bool remove_on_exit, long watch_pid,
               const std::optional<std::vector<std::string>>& only,
               const std::optional<std::vector<std::string>>& profiles, int target,
               const std::string& registry) {
    OperationContext op{std::move(on_event), {}};
    auto names = to_strings(exclude);
    auto c = c_strings(names);
    auto only_names = to_strings(only);
    auto only_c = c_strings(only_names);
    auto profile_names = to_strings(profiles);
    auto profiles_c = c_strings(profile_names);
    dm_start_options opts = dm_start_options_defaults();
    opts.exclude = c.empty() ? nullptr : c.data();
    opts.exclude_count = c.size();
    opts.timeout = timeout;
    opts.run_new_containers = run_new_containers;
    opts.build = build;
    opts.parallelism = parallelism;
    opts.stop_timeout = stop_timeout;
    opts.remove_on_exit = remove_on_exit;
    opts.watch_pid = watch_pid;
    opts.only = only_c.empty() ? nullptr : only_c.data();
    opts.only_count = only_c.size();
    opts.profiles = profiles_c.empty() ? nullptr : profiles_c.data();
    opts.profiles_count = profiles_c.size();
    opts.target = target;
    opts.registry = registry.empty() ? nullptr : registry.c_str();
    opts.on_event = event_trampoline;
    opts.event_user_data = &op;
    dm_group* g = get();
    dm_client* cl = client.get();
    return run_operation(op, [&](dm_result** out) { return dm_group_start(out, g, cl, &opts); });
  }

  void keep_on_exit() {
    dm_group* g = get();
    int status;
    std::string message;
    {
      // It may wait for another thread's start to finish registering a group.
      py::gil_scoped_release nogil;
      status = dm_group_keep_on_exit(g);
      if (status != DM_OK) message = take_error(status);
    }
    if (status != DM_OK) raise_status(status, message);
  }

  Result stop(const Client& client, const std::optional<std::vector<std::string>>& exclude,
              double timeout, bool remove, py::object on_event, int target) {
    OperationContext op{std::move(on_event), {}};
    auto names = to_strings(exclude);
    auto c = c_strings(names);
    dm_stop_options opts = dm_stop_options_defaults();
    opts.exclude = c.empty() ? nullptr : c.data();
    opts.exclude_count = c.size();
    opts.timeout = timeout;
    opts.remove = remove;
    opts.target = target;
    opts.on_event = event_trampoline;
    opts.event_user_data = &op;
    dm_group* g = get();
    dm_client* cl = client.get();
    return run_operation(op, [&](dm_result** out) { return dm_group_stop(out, g, cl, &opts); });
  }

  Result reload(const Client& client, const std::string& service, double timeout, bool remove,
                py::object on_event, double stop_timeout, bool run_new_containers,
                bool keep_dependants, int target, const std::string& registry) {
    OperationContext op{std::move(on_event), {}};
    dm_reload_options opts = dm_reload_options_defaults();
    opts.timeout = timeout;
    opts.remove = remove;
    opts.stop_timeout = stop_timeout;
    opts.run_new_containers = run_new_containers;
    opts.keep_dependants = keep_dependants;
    opts.target = target;
    opts.registry = registry.empty() ? nullptr : registry.c_str();
    opts.on_event = event_trampoline;
    opts.event_user_data = &op;
    dm_group* g = get();
    dm_client* cl = client.get();
    return run_operation(
        op, [&](dm_result** out) { return dm_group_reload(out, g, cl, service.c_str(), &opts); });
  }

  std::vector<ServiceStatus> status(const Client& client, int target) {
    dm_report* report = nullptr;
    int status;
    std::string message;
    dm_group* g = get();
    dm_client* cl = client.get();
    dm_status_options opts = dm_status_options_defaults();
    opts.target = target;
    {
      py::gil_scoped_release nogil;
      status = dm_group_status_with_options(&report, g, cl, &opts);
      if (status != DM_OK) message = take_error(status);
    }
    if (status != DM_OK) {
      dm_report_free(report);
      raise_status(status, message);
    }
    std::unique_ptr<dm_report, void (*)(dm_report*)> owned(report, dm_report_free);
    return convert_report(report);
  }

  // The dependency graph as "mermaid" or "dot" text; with a client, coloured
  // by the state of each service (a status report from that engine).
  std::string graph(const std::string& format, const Client* client) {
    dm_graph_options opts = dm_graph_options_defaults();
    if (format == "dot") {
      opts.format = DM_GRAPH_DOT;
    } else if (format != "mermaid") {
      raise_status(DM_EINVALID, "graph format '" + format + "' is not known: use mermaid or dot");
    }
    dm_group* g = get();
    std::unique_ptr<dm_report, void (*)(dm_report*)> report(nullptr, dm_report_free);
    if (client != nullptr) {
      dm_report* r = nullptr;
      dm_client* cl = client->get();
      int status;
      std::string message;
      {
        py::gil_scoped_release nogil;
        status = dm_group_status(&r, g, cl);
        if (status != DM_OK) message = take_error(status);
      }
      report.reset(r);
      if (status != DM_OK) raise_status(status, message);
      opts.status = report.get();
    }
    char* text = nullptr;
    check(dm_group_graph(&text, g, &opts));
    std::unique_ptr<char, void (*)(void*)> owned(text, dm_free);
    return text;
  }

  // dm_group_copy_files(): the lines of the host files skipped.
  std::vector<std::string> copy_files(const Client& client, const std::string& service,
                                      const std::vector<std::pair<std::string, std::string>>& files,
                                      const std::optional<std::vector<std::string>>& removed) {
    std::vector<std::string> hosts, targets;
    for (const auto& [host, target] : files) {
      hosts.push_back(host);
      targets.push_back(target);
    }
    auto gone = to_strings(removed);
    auto h = c_strings(hosts);
    auto t = c_strings(targets);
    auto r = c_strings(gone);
    char* skipped = nullptr;
    int status;
    std::string message;
    dm_group* g = get();
    dm_client* cl = client.get();
    {
      py::gil_scoped_release nogil;
      status = dm_group_copy_files(g, cl, service.c_str(), h.data(), t.data(), h.size(), r.data(),
                                   r.size(), &skipped);
      if (status != DM_OK) message = take_error(status);
    }
    std::unique_ptr<char, void (*)(void*)> owned(skipped, dm_free);
    if (status != DM_OK) raise_status(status, message);
    std::vector<std::string> lines;
    std::string text = skipped ? skipped : "";
    for (size_t begin = 0; begin < text.size();) {
      size_t end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      lines.push_back(text.substr(begin, end - begin));
      begin = end + 1;
    }
    return lines;
  }

  // The watch actions' options, their events going to `op`.
  static dm_watch_options watch_options(double timeout, double stop_timeout, OperationContext& op) {
    dm_watch_options opts = dm_watch_options_defaults();
    opts.timeout = timeout;
    opts.stop_timeout = stop_timeout;
    opts.on_event = event_trampoline;
    opts.event_user_data = &op;
    return opts;
  }

  Result restart_service(const Client& client, const std::string& service, double timeout,
                         double stop_timeout, py::object on_event) {
    OperationContext op{std::move(on_event), {}};
    dm_watch_options opts = watch_options(timeout, stop_timeout, op);
    dm_group* g = get();
    dm_client* cl = client.get();
    return run_operation(op, [&](dm_result** out) {
      return dm_group_restart_service(out, g, cl, service.c_str(), &opts);
    });
  }

  // dm_group_watch_apply(): entry `index` of a batch the group's watcher routed.
  Result watch_apply(const Client& client, const WatchBatch& batch, size_t index, double timeout,
                     double stop_timeout, py::object on_event) {
    OperationContext op{std::move(on_event), {}};
    dm_watch_options opts = watch_options(timeout, stop_timeout, op);
    dm_group* g = get();
    dm_client* cl = client.get();
    const dm_watch_batch* b = batch.batch();
    return run_operation(
        op, [&](dm_result** out) { return dm_group_watch_apply(out, g, cl, b, index, &opts); });
  }

  // dm_group_exec(): (exit_code, stdout bytes, stderr bytes). With an output
  // descriptor the output is written there as it comes instead.
  py::tuple exec(const Client& client, const std::string& service,
                 const std::vector<std::string>& argv, double timeout,
                 const std::optional<std::string>& user,
                 const std::optional<std::string>& working_dir, int stdin_fd, bool tty,
                 int stdout_fd, int stderr_fd) {
    auto c = c_strings(argv);
    dm_exec_options opts = dm_exec_options_defaults();
    opts.timeout = timeout;
    opts.user = user ? user->c_str() : nullptr;
    opts.working_dir = working_dir ? working_dir->c_str() : nullptr;
    opts.stdin_fd = stdin_fd;
    opts.tty = tty;
    int fds[2] = {stdout_fd, stderr_fd};
    if (stdout_fd >= 0 || stderr_fd >= 0) {
      opts.on_output = write_output_to_fds;
      opts.output_user_data = fds;
    }
    dm_exec_result* result = nullptr;
    int status;
    std::string message;
    dm_group* g = get();
    dm_client* cl = client.get();
    {
      py::gil_scoped_release nogil;
      status = dm_group_exec(g, cl, service.c_str(), c.data(), c.size(), &opts, &result);
      if (status != DM_OK) message = take_error(status);
    }
    if (status != DM_OK) raise_status(status, message);
    return exec_result_tuple(result);
  }

  // dm_group_run(): (exit code or None, the dependencies' Result).
  py::tuple run(const Client& client, const std::string& service,
                const std::optional<std::vector<std::string>>& command, bool keep, bool publish,
                bool tty, int stdin_fd, int stdout_fd, int stderr_fd, double timeout,
                double stop_timeout, py::object on_event) {
    OperationContext op{std::move(on_event), {}};
    auto words = to_strings(command);
    auto c = c_strings(words);
    dm_run_options opts = dm_run_options_defaults();
    opts.argv = c.empty() ? nullptr : c.data();
    opts.argc = c.size();
    opts.keep = keep;
    opts.publish = publish;
    opts.tty = tty;
    opts.stdin_fd = stdin_fd;
    opts.stdout_fd = stdout_fd;
    opts.stderr_fd = stderr_fd;
    opts.timeout = timeout;
    opts.stop_timeout = stop_timeout;
    opts.on_event = event_trampoline;
    opts.event_user_data = &op;
    dm_group* g = get();
    dm_client* cl = client.get();
    int exit_code = -1;
    Result result = run_operation(op, [&](dm_result** out) {
      return dm_group_run(g, cl, service.c_str(), &opts, &exit_code, out);
    });
    py::object code = exit_code >= 0 ? py::object(py::int_(exit_code)) : py::object(py::none());
    return py::make_tuple(code, result);
  }

  // Returns true when dm_group_cancel() ended the stream.
  bool logs(const Client& client, const std::optional<std::vector<std::string>>& services,
            bool follow, int tail, py::object callback, int target) {
    struct LogContext {
      py::object fn;
      PendingError error;
    } ctx{std::move(callback), {}};
    auto names = to_strings(services);
    auto c = c_strings(names);
    dm_logs_options opts = dm_logs_options_defaults();
    opts.services = c.empty() ? nullptr : c.data();
    opts.service_count = c.size();
    opts.follow = follow;
    opts.tail = tail;
    opts.target = target;
    auto trampoline = [](const char* service, int stream, const char* line, size_t length,
                         void* user_data) -> int {
      auto* lc = static_cast<LogContext*>(user_data);
      py::gil_scoped_acquire gil;
      try {
        auto text = py::reinterpret_steal<py::str>(
            PyUnicode_DecodeUTF8(line, static_cast<Py_ssize_t>(length), "replace"));
        py::object stop = lc->fn(py::str(service ? service : ""), stream, text);
        return PyObject_IsTrue(stop.ptr()) == 1 ? 1 : 0;
      } catch (py::error_already_set& e) {
        lc->error.keep(e);
        return 1;
      }
    };
    int status;
    std::string message;
    dm_group* g = get();
    dm_client* cl = client.get();
    {
      py::gil_scoped_release nogil;
      status = dm_group_logs(g, cl, &opts, trampoline, &ctx);
      if (status != DM_OK) message = take_error(status);
    }
    ctx.error.raise_if_any();
    if (status == DM_ECANCELLED) return true;
    if (status != DM_OK) raise_status(status, message);
    return false;
  }
};

// exec and run: the commands that run something in a container.
void bind_container_commands(py::class_<Group>& cls) {
  cls.def("exec", &Group::exec, py::arg("client"), py::arg("service"), py::arg("argv"),
          py::kw_only(), py::arg("timeout") = dm_exec_options_defaults().timeout,
          py::arg("user") = py::none(), py::arg("working_dir") = py::none(),
          py::arg("stdin_fd") = -1, py::arg("tty") = false, py::arg("stdout_fd") = -1,
          py::arg("stderr_fd") = -1,
          "Runs argv in the service's running container (dm_group_exec): (exit_code, "
          "stdout bytes, stderr bytes); with stdout_fd / stderr_fd the output goes there as "
          "it comes.")
      .def("run", &Group::run, py::arg("client"), py::arg("service"), py::kw_only(),
           py::arg("command") = py::none(), py::arg("keep") = false, py::arg("publish") = false,
           py::arg("tty") = false, py::arg("stdin_fd") = -1, py::arg("stdout_fd") = -1,
           py::arg("stderr_fd") = -1, py::arg("timeout") = dm_run_options_defaults().timeout,
           py::arg("stop_timeout") = dm_run_options_defaults().stop_timeout,
           py::arg("on_event") = py::none(),
           "Starts the service's dependencies, then runs a one-off container of it attached "
           "to the descriptors (dm_group_run): (exit code or None, the dependencies' Result).");
}

// status, graph and logs: what the group looks like and says.
void bind_reports(py::class_<Group>& cls) {
  const dm_logs_options logs = dm_logs_options_defaults();
  cls.def("status", &Group::status, py::arg("client"), py::kw_only(),
          py::arg("target") = dm_status_options_defaults().target)
      .def("graph", &Group::graph, py::kw_only(), py::arg("format") = "mermaid",
           py::arg("client") = nullptr,
           "The dependency graph as Mermaid or DOT text (dm_group_graph); with a client, "
           "nodes coloured by their state.")
      .def("logs", &Group::logs, py::arg("client"), py::kw_only(), py::arg("services") = py::none(),
           py::arg("follow") = logs.follow != 0, py::arg("tail") = logs.tail, py::arg("callback"),
           py::arg("target") = logs.target,
           "Streams log lines to callback(service, stream, line); a true return stops. "
           "Returns True when cancelled.");
}

// The watch actions of drillmaster/watch.h.
void bind_watch_actions(py::class_<Group>& cls) {
  const dm_watch_options watch = dm_watch_options_defaults();
  cls.def("copy_files", &Group::copy_files, py::arg("client"), py::arg("service"), py::arg("files"),
          py::arg("removed") = py::none(),
          "Copies (host, target) files into the service's running container and deletes the "
          "removed container paths (dm_group_copy_files): the lines of host files skipped.")
      .def("restart_service", &Group::restart_service, py::arg("client"), py::arg("service"),
           py::kw_only(), py::arg("timeout") = watch.timeout,
           py::arg("stop_timeout") = watch.stop_timeout, py::arg("on_event") = py::none(),
           "Stops the service's container, starts it again and waits for its ping, without "
           "pre_start or post_start_init (dm_group_restart_service).")
      .def("watch_apply", &Group::watch_apply, py::arg("client"), py::arg("batch"),
           py::arg("index"), py::kw_only(), py::arg("timeout") = watch.timeout,
           py::arg("stop_timeout") = watch.stop_timeout, py::arg("on_event") = py::none(),
           "Carries out entry `index` of a batch routed by a Watcher of this group: a sync, a "
           "sync and restart, or a rebuild (dm_group_watch_apply).");
}

}  // namespace

void bind_group(py::module_& m) {
  // The library's defaults, shown in the signatures.
  const dm_start_options start = dm_start_options_defaults();
  const dm_stop_options stop = dm_stop_options_defaults();
  const dm_reload_options reload = dm_reload_options_defaults();
  py::class_<Group> cls(m, "Group", "A group of services on one network (dm_group).");
  bind_container_commands(cls);
  bind_reports(cls);
  bind_watch_actions(cls);
  cls.def(py::init([](const std::string& name) { return Group{group_new(name)}; }), py::arg("name"))
      .def_property_readonly("name", [](const Group& g) { return dm_group_name(g.get()); })
      .def_property(
          "network_name", [](const Group& g) { return dm_group_network_name(g.get()); },
          [](Group& g, const std::string& v) {
            check(dm_group_set_network_name(g.get(), v.c_str()));
          })
      .def_property(
          "directory", [](const Group& g) { return dm_group_directory(g.get()); },
          [](Group& g, const std::string& v) { check(dm_group_set_directory(g.get(), v.c_str())); })
      .def("add_service", &Group::add_service, py::arg("name"), py::arg("image"))
      .def_property_readonly("services", &Group::services)
      .def("find_service", &Group::find_service, py::arg("name"))
      .def("validate", &Group::validate, py::arg("exclude") = py::none(),
           "Checks every definition and the graph; raises InvalidArgument listing every problem.")
      .def("validate_stop", &Group::validate_stop, py::arg("exclude") = py::none(),
           "validate() for a stop: excluded services keep running, so only unknown "
           "excluded names are wrong.")
      .def("start", &Group::start, py::arg("client"), py::kw_only(),
           py::arg("exclude") = py::none(), py::arg("timeout") = start.timeout,
           py::arg("run_new_containers") = start.run_new_containers != 0,
           py::arg("build") = start.build != 0, py::arg("parallelism") = start.parallelism,
           py::arg("on_event") = py::none(), py::arg("stop_timeout") = start.stop_timeout,
           py::arg("remove_on_exit") = start.remove_on_exit != 0,
           py::arg("watch_pid") = start.watch_pid, py::arg("only") = py::none(),
           py::arg("profiles") = py::none(), py::arg("target") = start.target,
           py::arg("registry") = "")
      .def("stop", &Group::stop, py::arg("client"), py::kw_only(), py::arg("exclude") = py::none(),
           py::arg("timeout") = stop.timeout, py::arg("remove") = stop.remove != 0,
           py::arg("on_event") = py::none(), py::arg("target") = stop.target)
      .def("reload", &Group::reload, py::arg("client"), py::arg("service"), py::kw_only(),
           py::arg("timeout") = reload.timeout, py::arg("remove") = reload.remove != 0,
           py::arg("on_event") = py::none(), py::arg("stop_timeout") = reload.stop_timeout,
           py::arg("run_new_containers") = reload.run_new_containers != 0,
           py::arg("keep_dependants") = reload.keep_dependants != 0,
           py::arg("target") = reload.target, py::arg("registry") = "")
      .def("keep_on_exit", &Group::keep_on_exit,
           "Cancels the removal on exit that starts with remove_on_exit registered for this "
           "group's name in this process: its containers stay when the process exits.")
      .def(
          "cancel", [](Group& g) { dm_group_cancel(g.get()); },
          "Asks the operation in progress to stop; safe from any thread.");
}

}  // namespace dm_python

namespace dm_python {

dm_group* group_handle(py::handle group) {
  if (!py::isinstance<Group>(group))
    throw py::type_error("expected a drillmaster._core.Group, got " +
                         std::string(py::str(py::type::of(group).attr("__name__"))));
  return group.cast<Group&>().get();
}

}  // namespace dm_python
