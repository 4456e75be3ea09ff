// The dm_*_options_init() functions and the version check of the options
// structs. Each struct's defaults are built here from the library's constants
// (orchestrator/defaults.h, engine/client.h), and static_asserts hold every
// public DM_*_OPTIONS_INIT macro to them: a default is changed in one place,
// and a macro that disagrees does not compile.
#include "capi/options.h"

#include <cctype>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <string>

#include "capi/boundary.h"
#include "drillmaster/client.h"
#include "drillmaster/exec.h"
#include "drillmaster/group.h"
#include "drillmaster/watch.h"
#include "engine/client.h"
#include "orchestrator/defaults.h"

namespace defaults = dm::orchestrator::defaults;

namespace {

// ---- each struct's defaults, latest version ------------------------------------
// Every field not named is zero or NULL.

constexpr dm_client_options client_defaults() {
  dm_client_options o{};
  o.version = DM_CLIENT_OPTIONS_VERSION;
  o.tls_verify = dm::engine::kTlsVerifyFromEnvironment;
  o.timeout = 0;  // the client's own default (engine::ClientOptions::timeout)
  return o;
}

constexpr dm_start_options start_defaults() {
  dm_start_options o{};
  o.version = DM_START_OPTIONS_VERSION;
  o.timeout = defaults::kReadySeconds;
  o.parallelism = defaults::kParallelism;
  o.stop_timeout = defaults::kStopGraceSeconds;
  o.remove_on_exit = 0;  // a start leaves its services running
  o.watch_pid = 0;       // the calling process
  o.target = DM_TARGET_LOCAL;
  o.registry = nullptr;  // nothing is pushed
  return o;
}

constexpr dm_stop_options stop_defaults() {
  dm_stop_options o{};
  o.version = DM_STOP_OPTIONS_VERSION;
  o.timeout = defaults::kStopGraceSeconds;
  o.target = DM_TARGET_LOCAL;
  return o;
}

constexpr dm_reload_options reload_defaults() {
  dm_reload_options o{};
  o.version = DM_RELOAD_OPTIONS_VERSION;
  o.timeout = defaults::kReadySeconds;
  o.stop_timeout = defaults::kStopGraceSeconds;
  o.run_new_containers = 0;  // the reuse rules
  o.keep_dependants = 0;     // stopped and started again
  o.target = DM_TARGET_LOCAL;
  o.registry = nullptr;  // nothing is pushed
  return o;
}

constexpr dm_logs_options logs_defaults() {
  dm_logs_options o{};
  o.version = DM_LOGS_OPTIONS_VERSION;
  o.tail = defaults::kLogTail;
  o.target = DM_TARGET_LOCAL;
  return o;
}

constexpr dm_exec_options exec_defaults() {
  dm_exec_options o{};
  o.version = DM_EXEC_OPTIONS_VERSION;
  o.timeout = 0;  // no limit
  o.stdin_fd = -1;
  return o;
}

constexpr dm_run_options run_defaults() {
  dm_run_options o{};
  o.version = DM_RUN_OPTIONS_VERSION;
  o.stdin_fd = -1;
  o.stdout_fd = -1;
  o.stderr_fd = -1;
  o.timeout = defaults::kReadySeconds;
  o.stop_timeout = defaults::kStopGraceSeconds;
  return o;
}

constexpr dm_status_options status_defaults() {
  dm_status_options o{};
  o.version = DM_STATUS_OPTIONS_VERSION;
  o.target = DM_TARGET_LOCAL;
  return o;
}

constexpr dm_graph_options graph_defaults() {
  dm_graph_options o{};
  o.version = DM_GRAPH_OPTIONS_VERSION;
  o.format = DM_GRAPH_MERMAID;
  o.status = nullptr;  // no colours
  return o;
}

constexpr dm_watch_options watch_defaults() {
  dm_watch_options o{};
  o.version = DM_WATCH_OPTIONS_VERSION;
  o.timeout = defaults::kReadySeconds;
  o.stop_timeout = defaults::kStopGraceSeconds;
  return o;
}

// ---- the size of each version of each struct, oldest first -----------------------
// A version ends where the first field of the next one begins. The
// static_asserts on the last field catch a field appended without a new
// entry here (and a default above, and a comparison below).

constexpr size_t kClientSizes[] = {offsetof(dm_client_options, context), sizeof(dm_client_options)};
constexpr size_t kStartSizes[] = {
    offsetof(dm_start_options, stop_timeout), offsetof(dm_start_options, remove_on_exit),
    offsetof(dm_start_options, only),         offsetof(dm_start_options, target),
    offsetof(dm_start_options, registry),     sizeof(dm_start_options)};
constexpr size_t kStopSizes[] = {offsetof(dm_stop_options, target), sizeof(dm_stop_options)};
constexpr size_t kReloadSizes[] = {
    offsetof(dm_reload_options, stop_timeout),    offsetof(dm_reload_options, run_new_containers),
    offsetof(dm_reload_options, keep_dependants), offsetof(dm_reload_options, target),
    offsetof(dm_reload_options, registry),        sizeof(dm_reload_options)};
constexpr size_t kLogsSizes[] = {offsetof(dm_logs_options, target), sizeof(dm_logs_options)};
constexpr size_t kStatusSizes[] = {offsetof(dm_status_options, target), sizeof(dm_status_options)};
constexpr size_t kGraphSizes[] = {sizeof(dm_graph_options)};
constexpr size_t kExecSizes[] = {sizeof(dm_exec_options)};
constexpr size_t kRunSizes[] = {sizeof(dm_run_options)};
constexpr size_t kWatchSizes[] = {sizeof(dm_watch_options)};

// Only the struct's trailing padding (less than its alignment: an int after
// a double leaves 4 bytes) may follow the field.
template <typename T, typename Field>
constexpr bool ends_with(size_t offset_of_field) {
  const size_t end = offset_of_field + sizeof(Field);
  return end <= sizeof(T) && sizeof(T) - end < alignof(T);
}
static_assert(ends_with<dm_client_options, const char*>(offsetof(dm_client_options, context)),
              "a field was appended to dm_client_options: see the comment above");
static_assert(ends_with<dm_start_options, const char*>(offsetof(dm_start_options, registry)),
              "a field was appended to dm_start_options: see the comment above");
static_assert(ends_with<dm_stop_options, int>(offsetof(dm_stop_options, target)),
              "a field was appended to dm_stop_options: see the comment above");
static_assert(ends_with<dm_reload_options, const char*>(offsetof(dm_reload_options, registry)),
              "a field was appended to dm_reload_options: see the comment above");
static_assert(ends_with<dm_logs_options, int>(offsetof(dm_logs_options, target)),
              "a field was appended to dm_logs_options: see the comment above");
static_assert(ends_with<dm_status_options, int>(offsetof(dm_status_options, target)),
              "a field was appended to dm_status_options: see the comment above");
static_assert(ends_with<dm_graph_options, const dm_report*>(offsetof(dm_graph_options, status)),
              "a field was appended to dm_graph_options: see the comment above");

static_assert(std::size(kClientSizes) == DM_CLIENT_OPTIONS_VERSION);
static_assert(std::size(kStartSizes) == DM_START_OPTIONS_VERSION);
static_assert(std::size(kStopSizes) == DM_STOP_OPTIONS_VERSION);
static_assert(std::size(kReloadSizes) == DM_RELOAD_OPTIONS_VERSION);
static_assert(std::size(kLogsSizes) == DM_LOGS_OPTIONS_VERSION);
static_assert(std::size(kStatusSizes) == DM_STATUS_OPTIONS_VERSION);
static_assert(std::size(kGraphSizes) == DM_GRAPH_OPTIONS_VERSION);
static_assert(std::size(kExecSizes) == DM_EXEC_OPTIONS_VERSION);
static_assert(std::size(kRunSizes) == DM_RUN_OPTIONS_VERSION);
static_assert(ends_with<dm_exec_options, void*>(offsetof(dm_exec_options, output_user_data)),
              "a field was appended to dm_exec_options: see the comment above");
static_assert(ends_with<dm_run_options, void*>(offsetof(dm_run_options, event_user_data)),
              "a field was appended to dm_run_options: see the comment above");
static_assert(std::size(kWatchSizes) == DM_WATCH_OPTIONS_VERSION);
static_assert(ends_with<dm_watch_options, void*>(offsetof(dm_watch_options, event_user_data)),
              "a field was appended to dm_watch_options: see the comment above");

// ---- the public macros hold the same values ------------------------------------

constexpr bool same(const dm_client_options& a, const dm_client_options& b) {
  return a.version == b.version && a.host == b.host && a.api_version == b.api_version &&
         a.tls_verify == b.tls_verify && a.cert_path == b.cert_path && a.timeout == b.timeout &&
         a.context == b.context;
}
// Version 4's fields.
constexpr bool same_selection(const dm_start_options& a, const dm_start_options& b) {
  return a.only == b.only && a.only_count == b.only_count && a.profiles == b.profiles &&
         a.profiles_count == b.profiles_count;
}
constexpr bool same(const dm_start_options& a, const dm_start_options& b) {
  return a.version == b.version && a.exclude == b.exclude && a.exclude_count == b.exclude_count &&
         a.timeout == b.timeout && a.run_new_containers == b.run_new_containers &&
         a.build == b.build && a.parallelism == b.parallelism && a.on_event == b.on_event &&
         a.event_user_data == b.event_user_data && a.stop_timeout == b.stop_timeout &&
         a.remove_on_exit == b.remove_on_exit && a.watch_pid == b.watch_pid &&
         same_selection(a, b) && a.target == b.target && a.registry == b.registry;
}
constexpr bool same(const dm_stop_options& a, const dm_stop_options& b) {
  return a.version == b.version && a.exclude == b.exclude && a.exclude_count == b.exclude_count &&
         a.timeout == b.timeout && a.remove == b.remove && a.on_event == b.on_event &&
         a.event_user_data == b.event_user_data && a.target == b.target;
}
constexpr bool same(const dm_reload_options& a, const dm_reload_options& b) {
  return a.version == b.version && a.timeout == b.timeout && a.remove == b.remove &&
         a.on_event == b.on_event && a.event_user_data == b.event_user_data &&
         a.stop_timeout == b.stop_timeout && a.run_new_containers == b.run_new_containers &&
         a.keep_dependants == b.keep_dependants && a.target == b.target && a.registry == b.registry;
}
constexpr bool same(const dm_logs_options& a, const dm_logs_options& b) {
  return a.version == b.version && a.services == b.services && a.service_count == b.service_count &&
         a.follow == b.follow && a.tail == b.tail && a.target == b.target;
}
constexpr bool same(const dm_status_options& a, const dm_status_options& b) {
  return a.version == b.version && a.target == b.target;
}

constexpr bool same(const dm_graph_options& a, const dm_graph_options& b) {
  return a.version == b.version && a.format == b.format && a.status == b.status;
}

constexpr bool same(const dm_exec_options& a, const dm_exec_options& b) {
  return a.version == b.version && a.timeout == b.timeout && a.user == b.user &&
         a.working_dir == b.working_dir && a.stdin_fd == b.stdin_fd && a.tty == b.tty &&
         a.on_output == b.on_output && a.output_user_data == b.output_user_data;
}
constexpr bool same(const dm_run_options& a, const dm_run_options& b) {
  return a.version == b.version && a.argv == b.argv && a.argc == b.argc && a.keep == b.keep &&
         a.publish == b.publish && a.tty == b.tty && a.stdin_fd == b.stdin_fd &&
         a.stdout_fd == b.stdout_fd && a.stderr_fd == b.stderr_fd && a.timeout == b.timeout &&
         a.stop_timeout == b.stop_timeout && a.on_event == b.on_event &&
         a.event_user_data == b.event_user_data;
}

constexpr dm_client_options kClientMacro = DM_CLIENT_OPTIONS_INIT;
constexpr dm_start_options kStartMacro = DM_START_OPTIONS_INIT;
constexpr dm_stop_options kStopMacro = DM_STOP_OPTIONS_INIT;
constexpr dm_reload_options kReloadMacro = DM_RELOAD_OPTIONS_INIT;
constexpr dm_logs_options kLogsMacro = DM_LOGS_OPTIONS_INIT;
constexpr dm_status_options kStatusMacro = DM_STATUS_OPTIONS_INIT;
constexpr dm_graph_options kGraphMacro = DM_GRAPH_OPTIONS_INIT;
static_assert(same(kClientMacro, client_defaults()),
              "DM_CLIENT_OPTIONS_INIT disagrees with the library's defaults");
static_assert(same(kStartMacro, start_defaults()),
              "DM_START_OPTIONS_INIT disagrees with orchestrator/defaults.h");
static_assert(same(kStopMacro, stop_defaults()),
              "DM_STOP_OPTIONS_INIT disagrees with orchestrator/defaults.h");
static_assert(same(kReloadMacro, reload_defaults()),
              "DM_RELOAD_OPTIONS_INIT disagrees with orchestrator/defaults.h");
static_assert(same(kLogsMacro, logs_defaults()),
              "DM_LOGS_OPTIONS_INIT disagrees with orchestrator/defaults.h");
static_assert(same(kStatusMacro, status_defaults()), "DM_STATUS_OPTIONS_INIT disagrees");
static_assert(same(kGraphMacro, graph_defaults()), "DM_GRAPH_OPTIONS_INIT disagrees");
constexpr dm_exec_options kExecMacro = DM_EXEC_OPTIONS_INIT;
constexpr dm_run_options kRunMacro = DM_RUN_OPTIONS_INIT;
static_assert(same(kExecMacro, exec_defaults()), "DM_EXEC_OPTIONS_INIT disagrees");
static_assert(same(kRunMacro, run_defaults()),
              "DM_RUN_OPTIONS_INIT disagrees with orchestrator/defaults.h");
constexpr bool same(const dm_watch_options& a, const dm_watch_options& b) {
  return a.version == b.version && a.timeout == b.timeout && a.stop_timeout == b.stop_timeout &&
         a.on_event == b.on_event && a.event_user_data == b.event_user_data;
}
constexpr dm_watch_options kWatchMacro = DM_WATCH_OPTIONS_INIT;
static_assert(same(kWatchMacro, watch_defaults()),
              "DM_WATCH_OPTIONS_INIT disagrees with orchestrator/defaults.h");
static_assert(DM_STOP_LOCK_WAIT_SECONDS == defaults::kStopLockWaitSeconds,
              "DM_STOP_LOCK_WAIT_SECONDS disagrees with orchestrator/defaults.h");

// Writes version `version` of the struct: the fields that version has, from
// `defaults`, and the version number. The bytes beyond are the caller's (a
// program built against an older header has a shorter struct).
template <typename Options, size_t Versions>
int fill(Options* opts, unsigned version, const Options& defaults, const size_t (&sizes)[Versions],
         const char* name) {
  DM_REQUIRE(opts, "opts");
  dm::capi::check_version(name, version, Versions);
  std::memcpy(static_cast<void*>(opts), &defaults, sizes[version - 1]);
  opts->version = version;
  return DM_OK;
}

std::string known_versions(unsigned latest) {
  if (latest == 1) return "version 1 only";
  if (latest == 2) return "versions 1 and 2";
  return "versions 1 to " + std::to_string(latest);
}

}  // namespace

namespace dm::capi {

void check_version(const char* name, unsigned version, unsigned latest) {
  if (version >= 1 && version <= latest) return;
  std::string macro;
  for (const char* c = name; *c; c++) macro += static_cast<char>(std::toupper(*c));
  std::string message = std::string(name) + " version " + std::to_string(version) +
                        " is not supported by drillmaster " DM_VERSION_STRING ", which knows " +
                        known_versions(latest);
  if (version == 0) {
    message += ": the struct was not initialised; initialise it with " + macro + "_INIT or " +
               name + "_init(&opts, " + macro + "_VERSION)";
  } else {
    message +=
        ": the program was built against a newer drillmaster; run it with that "
        "library, or build it against this one";
  }
  throw dm::Error(dm::Error::Code::Invalid, message);
}

}  // namespace dm::capi

using dm::capi::guard;

extern "C" {

int dm_client_options_init(dm_client_options* opts, unsigned int version) {
  return guard(
      [&] { return fill(opts, version, client_defaults(), kClientSizes, "dm_client_options"); });
}

int dm_start_options_init(dm_start_options* opts, unsigned int version) {
  return guard(
      [&] { return fill(opts, version, start_defaults(), kStartSizes, "dm_start_options"); });
}

int dm_stop_options_init(dm_stop_options* opts, unsigned int version) {
  return guard([&] { return fill(opts, version, stop_defaults(), kStopSizes, "dm_stop_options"); });
}

int dm_reload_options_init(dm_reload_options* opts, unsigned int version) {
  return guard(
      [&] { return fill(opts, version, reload_defaults(), kReloadSizes, "dm_reload_options"); });
}

int dm_logs_options_init(dm_logs_options* opts, unsigned int version) {
  return guard([&] { return fill(opts, version, logs_defaults(), kLogsSizes, "dm_logs_options"); });
}

int dm_status_options_init(dm_status_options* opts, unsigned int version) {
  return guard(
      [&] { return fill(opts, version, status_defaults(), kStatusSizes, "dm_status_options"); });
}

int dm_graph_options_init(dm_graph_options* opts, unsigned int version) {
  return guard(
      [&] { return fill(opts, version, graph_defaults(), kGraphSizes, "dm_graph_options"); });
}

int dm_exec_options_init(dm_exec_options* opts, unsigned int version) {
  return guard([&] { return fill(opts, version, exec_defaults(), kExecSizes, "dm_exec_options"); });
}

int dm_run_options_init(dm_run_options* opts, unsigned int version) {
  return guard([&] { return fill(opts, version, run_defaults(), kRunSizes, "dm_run_options"); });
}

int dm_watch_options_init(dm_watch_options* opts, unsigned int version) {
  return guard(
      [&] { return fill(opts, version, watch_defaults(), kWatchSizes, "dm_watch_options"); });
}

}  // extern "C"
