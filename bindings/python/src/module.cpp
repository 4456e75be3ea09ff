// The _core module: its functions and constants here, each class in the file
// that owns it (see core.h for the map).

#include "core.h"
#include "watch.h"

using namespace dm_python;

namespace {

std::string runtime_directory() {
  char* path = nullptr;
  check(dm_runtime_directory(&path));
  std::string out(path);
  dm_free(path);
  return out;
}

void bind_functions(py::module_& m) {
  m.def("version", &dm_version, "The version of the loaded libdrillmaster, e.g. '0.2.0'.");
  m.def(
      "version_numbers",
      []() {
        int major, minor, patch;
        dm_version_numbers(&major, &minor, &patch);
        return py::make_tuple(major, minor, patch);
      },
      "The loaded library's version as (major, minor, patch).");
  m.attr("HEADER_VERSION") = DM_VERSION_STRING;
  m.def("hooks_running", &hooks_running,
        "How many hook calls are under way, including ones an operation stopped waiting for.");
  m.def("runtime_directory", &runtime_directory,
        "drillmaster's per-user runtime directory (created and checked by the library).");
  m.def("status_name", &dm_status_name, py::arg("status"));
  m.def("phase_name", &dm_phase_name, py::arg("phase"));
  m.def("outcome_name", &dm_outcome_name, py::arg("outcome"));
}

// The C API's status, phase and outcome codes and its limits, under their
// names without DM_.
void bind_constants(py::module_& m) {
#define DM_CONST(name) m.attr(#name) = static_cast<int>(DM_##name)
  DM_CONST(OK);
  DM_CONST(TARGET_LOCAL);
  DM_CONST(TARGET_SWARM);
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
  DM_CONST(OUTCOME_COMPLETED);
  DM_CONST(OUTCOME_SYNCED);
  DM_CONST(GROUP_NAME_MAX);
  DM_CONST(WATCH_SYNC);
  DM_CONST(WATCH_SYNC_RESTART);
  DM_CONST(WATCH_REBUILD);
#undef DM_CONST
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "Thin bindings of libdrillmaster's C API (drillmaster/drillmaster.h).";
  bind_functions(m);
  bind_constants(m);

  // Order matters: pybind11 writes a signature when it binds a function, and
  // names a class the Python way (drillmaster._core.Client) only if that class
  // is bound already; Group's methods use every class before it.
  bind_client(m);
  bind_hooks(m);
  bind_service(m);
  bind_results(m);
  bind_options(m);
  bind_group(m);
  bind_watch(m);
}
