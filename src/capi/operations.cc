// The operations of drillmaster/group.h: start, stop, reload, status, logs and
// cancel, plus the result and report accessors. Each converts the C options,
// validates, and hands over to src/orchestrator.
#include <mutex>
#include <string>

#include "capi/boundary.h"
#include "capi/conversions.h"
#include "capi/exec.h"
#include "capi/group_lifetime.h"
#include "capi/handles.h"
#include "capi/operation_run.h"
#include "capi/options.h"
#include "common/text.h"
#include "drillmaster/exec.h"
#include "drillmaster/group.h"
#include "model/validate.h"
#include "orchestrator/exec.h"
#include "orchestrator/orchestrator.h"
#include "orchestrator/removal_on_exit.h"

using dm::capi::check_version;
using dm::capi::event_sink;
using dm::capi::finish;
using dm::capi::guard;
using dm::capi::run_operation;
namespace orch = dm::orchestrator;

namespace {

const orch::Outcome* outcome_at(const dm_result* result, size_t index) {
  if (result == nullptr || index >= result->result.services.size()) return nullptr;
  return &result->result.services[index];
}

const orch::ServiceState* state_at(const dm_report* report, size_t index) {
  if (report == nullptr || index >= report->services.size()) return nullptr;
  return &report->services[index];
}

orch::TargetKind target_of(int target, const char* options) {
  if (target == DM_TARGET_LOCAL) return orch::TargetKind::Local;
  if (target == DM_TARGET_SWARM) return orch::TargetKind::Swarm;
  throw dm::capi::ArgumentError(std::string(options) + ": target " + std::to_string(target) +
                                " is not a dm_target (DM_TARGET_LOCAL 0, DM_TARGET_SWARM 1)");
}

// The one body of dm_group_status_with_options() and dm_group_status(), run
// under each one's own guard() so that argument errors name the function
// the caller called.
int status_of(dm_report** out, dm_group* group, dm_client* client, const dm_status_options* opts) {
  DM_REQUIRE(out, "out");
  if (opts != nullptr) check_version("dm_status_options", opts->version, DM_STATUS_OPTIONS_VERSION);
  orch::TargetKind target = orch::TargetKind::Local;
  if (opts != nullptr && opts->version >= 2) target = target_of(opts->target, "dm_status_options");
  return run_operation(group, client, [&] {
    dm::model::GroupDef def = group->snapshot();
    dm::model::check(def, {});
    *out = new dm_report{orch::status(*client->engine, def, target)};
    return DM_OK;
  });
}

orch::RunOptions run_options(const dm_run_options* opts) {
  check_version("dm_run_options", opts->version, DM_RUN_OPTIONS_VERSION);
  orch::RunOptions options;
  if (opts->argc > 0) {
    DM_REQUIRE(opts->argv, "opts->argv");
    options.command = dm::capi::strings(opts->argv, opts->argc, "opts->argv");
  }
  options.keep = opts->keep != 0;
  options.publish = opts->publish != 0;
  options.tty = opts->tty != 0;
  options.stdin_fd = opts->stdin_fd;
  options.stdout_fd = opts->stdout_fd;
  options.stderr_fd = opts->stderr_fd;
  options.timeout = opts->timeout;
  options.stop_timeout = opts->stop_timeout;
  options.on_event = event_sink(opts->on_event, opts->event_user_data);
  return options;
}

// dm_group_run()'s status: DM_EFAILED when a dependency failed, DM_ECANCELLED.
int run_status(const orch::RunResult& run) {
  if (run.cancelled || run.dependencies.cancelled)
    return dm::capi::fail(DM_ECANCELLED, "cancelled");
  if (!run.ran)
    return dm::capi::fail(DM_EFAILED, std::to_string(run.dependencies.failures()) +
                                          " dependency service(s) failed; nothing ran");
  return DM_OK;
}

}  // namespace

extern "C" {

int dm_group_exec(dm_group* group, dm_client* client, const char* service, const char* const* argv,
                  size_t argc, const dm_exec_options* opts, dm_exec_result** out) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(out, "out");
    dm::model::ExecRequest request = dm::capi::exec_request(argv, argc, opts);
    return run_operation(group, client, [&] {
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, {});
      *out =
          dm::capi::exec_result(orch::exec(*client->engine, def, service, request, group->cancel));
      return DM_OK;
    });
  });
}

int dm_group_run(dm_group* group, dm_client* client, const char* service,
                 const dm_run_options* opts, int* exit_code, dm_result** dependencies) {
  if (exit_code != nullptr) *exit_code = -1;
  if (dependencies != nullptr) *dependencies = nullptr;
  return guard([&] {
    DM_REQUIRE(service, "service");
    dm_run_options defaults = DM_RUN_OPTIONS_INIT;
    orch::RunOptions options = run_options(opts ? opts : &defaults);
    return run_operation(group, client, [&] {
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, {});
      orch::RunResult run = orch::run(*client->engine, def, service, options, group->cancel);
      if (exit_code != nullptr && run.exit_code) *exit_code = static_cast<int>(*run.exit_code);
      int status = run_status(run);
      if (dependencies != nullptr) *dependencies = new dm_result{std::move(run.dependencies)};
      return status;
    });
  });
}

int dm_group_start(dm_result** out, dm_group* group, dm_client* client,
                   const dm_start_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    dm_start_options defaults = DM_START_OPTIONS_INIT;
    if (opts == nullptr) opts = &defaults;
    check_version("dm_start_options", opts->version, DM_START_OPTIONS_VERSION);
    return run_operation(group, client, [&] {
      orch::StartOptions options;
      options.exclude = dm::capi::strings(opts->exclude, opts->exclude_count, "exclude");
      options.timeout = opts->timeout;
      options.run_new_containers = opts->run_new_containers != 0;
      options.build = opts->build != 0;
      options.parallelism = opts->parallelism;
      options.on_event = event_sink(opts->on_event, opts->event_user_data);
      // A version-1 struct (a program built against 0.1) ends before this field.
      if (opts->version >= 2) options.stop_timeout = opts->stop_timeout;
      if (opts->version >= 3) {
        options.remove_on_exit = opts->remove_on_exit != 0;
        options.watch_pid = opts->watch_pid;
      }
      if (opts->version >= 4) {
        options.only = dm::capi::strings(opts->only, opts->only_count, "only");
        options.profiles = dm::capi::strings(opts->profiles, opts->profiles_count, "profiles");
      }
      if (opts->version >= 5) options.target = target_of(opts->target, "dm_start_options");
      if (opts->version >= 6 && opts->registry != nullptr) options.registry = opts->registry;
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, options.exclude);
      return finish(out, orch::start(*client->engine, def, options, group->cancel));
    });
  });
}

int dm_group_stop(dm_result** out, dm_group* group, dm_client* client,
                  const dm_stop_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    dm_stop_options defaults = DM_STOP_OPTIONS_INIT;
    if (opts == nullptr) opts = &defaults;
    check_version("dm_stop_options", opts->version, DM_STOP_OPTIONS_VERSION);
    return run_operation(group, client, [&] {
      orch::StopOptions options;
      options.exclude = dm::capi::strings(opts->exclude, opts->exclude_count, "exclude");
      options.timeout = opts->timeout;
      options.remove = opts->remove != 0;
      options.on_event = event_sink(opts->on_event, opts->event_user_data);
      if (opts->version >= 2) options.target = target_of(opts->target, "dm_stop_options");
      dm::model::GroupDef def = group->snapshot();
      dm::model::check_stop(def, options.exclude);
      return finish(out, orch::stop(*client->engine, def, options, group->cancel));
    });
  });
}

int dm_group_reload(dm_result** out, dm_group* group, dm_client* client, const char* service,
                    const dm_reload_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    DM_REQUIRE(service, "service");
    dm_reload_options defaults = DM_RELOAD_OPTIONS_INIT;
    if (opts == nullptr) opts = &defaults;
    check_version("dm_reload_options", opts->version, DM_RELOAD_OPTIONS_VERSION);
    return run_operation(group, client, [&] {
      orch::ReloadOptions options;
      options.service = service;
      options.timeout = opts->timeout;
      options.remove = opts->remove != 0;
      options.on_event = event_sink(opts->on_event, opts->event_user_data);
      if (opts->version >= 2) options.stop_timeout = opts->stop_timeout;  // as for start
      if (opts->version >= 3) options.run_new_containers = opts->run_new_containers != 0;
      if (opts->version >= 4) options.keep_dependants = opts->keep_dependants != 0;
      if (opts->version >= 5) options.target = target_of(opts->target, "dm_reload_options");
      if (opts->version >= 6 && opts->registry != nullptr) options.registry = opts->registry;
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, {});
      return finish(out, orch::reload(*client->engine, def, options, group->cancel));
    });
  });
}

int dm_group_keep_on_exit(dm_group* group) {
  return guard([&] {
    DM_REQUIRE(group, "group");
    orch::keep_on_exit(group->name);
    return DM_OK;
  });
}

void dm_group_cancel(dm_group* group) {
  if (group != nullptr) group->cancel.cancel();
}

int dm_group_status_with_options(dm_report** out, dm_group* group, dm_client* client,
                                 const dm_status_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] { return status_of(out, group, client, opts); });
}

int dm_group_status(dm_report** out, dm_group* group, dm_client* client) {
  if (out != nullptr) *out = nullptr;
  return guard([&] { return status_of(out, group, client, nullptr); });
}

int dm_group_logs(dm_group* group, dm_client* client, const dm_logs_options* opts, dm_log_fn fn,
                  void* user_data) {
  return guard([&] {
    DM_REQUIRE(fn, "fn");
    dm_logs_options defaults = DM_LOGS_OPTIONS_INIT;
    if (opts == nullptr) opts = &defaults;
    check_version("dm_logs_options", opts->version, DM_LOGS_OPTIONS_VERSION);
    return run_operation(group, client, [&] {
      orch::LogsOptions options;
      options.services = dm::capi::strings(opts->services, opts->service_count, "services");
      options.follow = opts->follow != 0;
      options.tail = opts->tail;
      if (opts->version >= 2) options.target = target_of(opts->target, "dm_logs_options");
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, {});
      bool finished = orch::logs(
          *client->engine, def, options,
          [fn, user_data](const std::string& service, int stream, const std::string& line) {
            return fn(service.c_str(), stream, line.data(), line.size(), user_data) == 0;
          },
          group->cancel);
      if (!finished) return dm::capi::fail(DM_ECANCELLED, "cancelled");
      return static_cast<int>(DM_OK);
    });
  });
}

/* ---- results ---- */

size_t dm_result_count(const dm_result* result) {
  return result ? result->result.services.size() : 0;
}

const char* dm_result_service(const dm_result* result, size_t index) {
  const orch::Outcome* o = outcome_at(result, index);
  return o ? o->service.c_str() : "";
}

int dm_result_outcome(const dm_result* result, size_t index) {
  const orch::Outcome* o = outcome_at(result, index);
  return o ? dm::capi::to_outcome(o->outcome) : 0;
}

const char* dm_result_reason(const dm_result* result, size_t index) {
  const orch::Outcome* o = outcome_at(result, index);
  return o ? o->reason.c_str() : "";
}

const char* dm_result_container_id(const dm_result* result, size_t index) {
  const orch::Outcome* o = outcome_at(result, index);
  return o ? o->container_id.c_str() : "";
}

double dm_result_seconds(const dm_result* result, size_t index) {
  const orch::Outcome* o = outcome_at(result, index);
  return o ? o->seconds : 0;
}

int dm_result_cancelled(const dm_result* result) { return result && result->result.cancelled; }

size_t dm_result_failures(const dm_result* result) {
  return result ? result->result.failures() : 0;
}

void dm_result_free(dm_result* result) { delete result; }

/* ---- reports ---- */

size_t dm_report_count(const dm_report* report) { return report ? report->services.size() : 0; }

#define DM_REPORT_FIELD(function, field)                        \
  const char* function(const dm_report* report, size_t index) { \
    const orch::ServiceState* s = state_at(report, index);      \
    return s ? s->field.c_str() : "";                           \
  }

DM_REPORT_FIELD(dm_report_service, service)
DM_REPORT_FIELD(dm_report_state, state)
DM_REPORT_FIELD(dm_report_status_text, status_text)
DM_REPORT_FIELD(dm_report_health, health)
DM_REPORT_FIELD(dm_report_container_id, container_id)
DM_REPORT_FIELD(dm_report_container_name, container_name)
DM_REPORT_FIELD(dm_report_image, image)
DM_REPORT_FIELD(dm_report_ports, ports)

int dm_report_outdated(const dm_report* report, size_t index) {
  const orch::ServiceState* s = state_at(report, index);
  return s ? s->outdated : 0;
}

size_t dm_report_published_count(const dm_report* report, size_t index) {
  const orch::ServiceState* s = state_at(report, index);
  return s ? s->published.size() : 0;
}

int dm_report_published(const dm_report* report, size_t index, size_t binding,
                        const char** container_port, const char** host_ip, int* host_port) {
  if (container_port) *container_port = "";
  if (host_ip) *host_ip = "";
  if (host_port) *host_port = 0;
  return guard([&] {
    DM_REQUIRE(report, "report");
    const orch::ServiceState* s = state_at(report, index);
    if (s == nullptr)
      throw dm::capi::ArgumentError("index " + std::to_string(index) + " is out of range (" +
                                    std::to_string(report->services.size()) + " services)");
    if (binding >= s->published.size())
      throw dm::capi::ArgumentError("binding " + std::to_string(binding) + " is out of range (" +
                                    dm::quoted(s->service) + " has " +
                                    std::to_string(s->published.size()) + ")");
    const dm::engine::PortBinding& p = s->published[binding];
    if (container_port) *container_port = p.container_port.c_str();
    if (host_ip) *host_ip = p.host_ip.c_str();
    if (host_port) *host_port = p.host_port;
    return DM_OK;
  });
}

void dm_report_free(dm_report* report) { delete report; }

/* ---- names ---- */

const char* dm_phase_name(int phase) { return dm::capi::phase_name(phase); }

const char* dm_outcome_name(int outcome) { return dm::capi::outcome_name(outcome); }

}  // extern "C"
