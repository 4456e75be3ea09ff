// The options structs as the library initialises them (dm_*_options_init),
// the start of every operation's options here, and _core.defaults(): the same
// values for the pure-Python package (the CLI's defaults), so no default is
// typed on this side of the C ABI.

#include "core.h"

namespace dm_python {

#define DM_OPTIONS(type, init, version) \
  type type##_defaults() {              \
    type opts;                          \
    check(init(&opts, version));        \
    return opts;                        \
  }

DM_OPTIONS(dm_client_options, dm_client_options_init, DM_CLIENT_OPTIONS_VERSION)
DM_OPTIONS(dm_start_options, dm_start_options_init, DM_START_OPTIONS_VERSION)
DM_OPTIONS(dm_stop_options, dm_stop_options_init, DM_STOP_OPTIONS_VERSION)
DM_OPTIONS(dm_reload_options, dm_reload_options_init, DM_RELOAD_OPTIONS_VERSION)
DM_OPTIONS(dm_logs_options, dm_logs_options_init, DM_LOGS_OPTIONS_VERSION)
DM_OPTIONS(dm_status_options, dm_status_options_init, DM_STATUS_OPTIONS_VERSION)
DM_OPTIONS(dm_graph_options, dm_graph_options_init, DM_GRAPH_OPTIONS_VERSION)
DM_OPTIONS(dm_exec_options, dm_exec_options_init, DM_EXEC_OPTIONS_VERSION)
DM_OPTIONS(dm_run_options, dm_run_options_init, DM_RUN_OPTIONS_VERSION)
DM_OPTIONS(dm_watch_options, dm_watch_options_init, DM_WATCH_OPTIONS_VERSION)
#undef DM_OPTIONS

void bind_options(py::module_& m) {
  using namespace pybind11::literals;
  m.def(
      "defaults",
      []() {
        dm_client_options client = dm_client_options_defaults();
        dm_start_options start = dm_start_options_defaults();
        dm_stop_options stop = dm_stop_options_defaults();
        dm_reload_options reload = dm_reload_options_defaults();
        dm_logs_options logs = dm_logs_options_defaults();
        py::dict out;
        out["client"] = py::dict("timeout"_a = client.timeout, "tls_verify"_a = client.tls_verify);
        out["start"] = py::dict(
            "timeout"_a = start.timeout, "run_new_containers"_a = start.run_new_containers != 0,
            "build"_a = start.build != 0, "parallelism"_a = start.parallelism,
            "stop_timeout"_a = start.stop_timeout, "remove_on_exit"_a = start.remove_on_exit != 0,
            "watch_pid"_a = start.watch_pid);
        out["stop"] = py::dict("timeout"_a = stop.timeout, "remove"_a = stop.remove != 0);
        out["reload"] = py::dict("timeout"_a = reload.timeout, "remove"_a = reload.remove != 0,
                                 "stop_timeout"_a = reload.stop_timeout,
                                 "run_new_containers"_a = reload.run_new_containers != 0,
                                 "keep_dependants"_a = reload.keep_dependants != 0);
        out["logs"] = py::dict("follow"_a = logs.follow != 0, "tail"_a = logs.tail);
        out["status"] = py::dict();
        dm_exec_options exec = dm_exec_options_defaults();
        dm_run_options run = dm_run_options_defaults();
        out["exec"] = py::dict("timeout"_a = exec.timeout);
        out["run"] = py::dict("timeout"_a = run.timeout, "stop_timeout"_a = run.stop_timeout,
                              "keep"_a = run.keep != 0, "publish"_a = run.publish != 0);
        dm_watch_options watch = dm_watch_options_defaults();
        out["watch"] = py::dict("timeout"_a = watch.timeout, "stop_timeout"_a = watch.stop_timeout);
        return out;
      },
      "The library's defaults of each operation's options, from dm_*_options_init(): "
      "{'start': {'timeout': 300.0, ...}, 'stop': {...}, ...}. Callbacks and lists are left "
      "out.");
}

}  // namespace dm_python
