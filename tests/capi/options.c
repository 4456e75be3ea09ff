/*
 * The options structs' version rules, from C, without a Docker engine:
 * each dm_*_options_init() fills exactly its DM_*_OPTIONS_INIT macro's values
 * for the current version and only the fields an older version has; version 0
 * (a struct never initialised) and a version newer than the library are
 * DM_EINVALID naming the struct, the version and the versions known, from the
 * init function and from every call that takes the struct; and a client
 * struct zeroed apart from its version means "no TLS", not the default.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

#include "one_ping_engine.h"

/* The structs whose version 2 appended a field, as drillmaster 0.1 declared
 * them: what a program built against 0.1 passes. */
typedef struct {
  unsigned int version;
  const char* const* exclude;
  size_t exclude_count;
  double timeout;
  int run_new_containers;
  int build;
  unsigned int parallelism;
  dm_event_fn on_event;
  void* event_user_data;
} start_options_v1;

/* dm_start_options version 2, before remove_on_exit and watch_pid (version 3). */
typedef struct {
  unsigned int version;
  const char* const* exclude;
  size_t exclude_count;
  double timeout;
  int run_new_containers;
  int build;
  unsigned int parallelism;
  dm_event_fn on_event;
  void* event_user_data;
  double stop_timeout;
} start_options_v2;

typedef struct {
  unsigned int version;
  double timeout;
  int remove;
  dm_event_fn on_event;
  void* event_user_data;
} reload_options_v1;

/* dm_reload_options version 2, before run_new_containers (version 3). */
typedef struct {
  unsigned int version;
  double timeout;
  int remove;
  dm_event_fn on_event;
  void* event_user_data;
  double stop_timeout;
} reload_options_v2;

/* dm_client_options version 1 (0.1), before context (version 2). */
typedef struct {
  unsigned int version;
  const char* host;
  const char* api_version;
  int tls_verify;
  const char* cert_path;
  double timeout;
} client_options_v1;

#define GARBAGE 0xA5

/* The call failed with DM_EINVALID and a message holding `part`. */
#define assert_refused_with(call, part)                                 \
  do {                                                                  \
    assert_int_equal((call), DM_EINVALID);                              \
    if (strstr(dm_error_last(), (part)) == NULL)                        \
      fail_msg("message \"%s\" lacks \"%s\"", dm_error_last(), (part)); \
  } while (0)

static void every_init_fills_exactly_its_macros_values(void** state) {
  (void)state;
  {
    dm_client_options want = DM_CLIENT_OPTIONS_INIT, got;
    memset(&got, GARBAGE, sizeof got);
    assert_int_equal(dm_client_options_init(&got, DM_CLIENT_OPTIONS_VERSION), DM_OK);
    assert_int_equal(got.version, want.version);
    assert_ptr_equal(got.host, want.host);
    assert_ptr_equal(got.api_version, want.api_version);
    assert_int_equal(got.tls_verify, want.tls_verify);
    assert_ptr_equal(got.cert_path, want.cert_path);
    assert_true(got.timeout == want.timeout);
    assert_ptr_equal(got.context, want.context);
  }
  {
    dm_start_options want = DM_START_OPTIONS_INIT, got;
    memset(&got, GARBAGE, sizeof got);
    assert_int_equal(dm_start_options_init(&got, DM_START_OPTIONS_VERSION), DM_OK);
    assert_int_equal(got.version, want.version);
    assert_ptr_equal(got.exclude, want.exclude);
    assert_int_equal(got.exclude_count, want.exclude_count);
    assert_true(got.timeout == want.timeout);
    assert_int_equal(got.run_new_containers, want.run_new_containers);
    assert_int_equal(got.build, want.build);
    assert_int_equal(got.parallelism, want.parallelism);
    assert_true(got.on_event == want.on_event);
    assert_ptr_equal(got.event_user_data, want.event_user_data);
    assert_true(got.stop_timeout == want.stop_timeout);
    assert_int_equal(got.remove_on_exit, want.remove_on_exit);
    assert_int_equal(got.watch_pid, want.watch_pid);
    assert_ptr_equal(got.only, want.only);
    assert_int_equal(got.only_count, want.only_count);
    assert_ptr_equal(got.profiles, want.profiles);
    assert_int_equal(got.profiles_count, want.profiles_count);
    assert_int_equal(got.target, want.target);
    assert_ptr_equal(got.registry, want.registry);
  }
  {
    dm_stop_options want = DM_STOP_OPTIONS_INIT, got;
    memset(&got, GARBAGE, sizeof got);
    assert_int_equal(dm_stop_options_init(&got, DM_STOP_OPTIONS_VERSION), DM_OK);
    assert_int_equal(got.version, want.version);
    assert_ptr_equal(got.exclude, want.exclude);
    assert_int_equal(got.exclude_count, want.exclude_count);
    assert_true(got.timeout == want.timeout);
    assert_int_equal(got.remove, want.remove);
    assert_true(got.on_event == want.on_event);
    assert_ptr_equal(got.event_user_data, want.event_user_data);
  }
  {
    dm_reload_options want = DM_RELOAD_OPTIONS_INIT, got;
    memset(&got, GARBAGE, sizeof got);
    assert_int_equal(dm_reload_options_init(&got, DM_RELOAD_OPTIONS_VERSION), DM_OK);
    assert_int_equal(got.version, want.version);
    assert_true(got.timeout == want.timeout);
    assert_int_equal(got.remove, want.remove);
    assert_true(got.on_event == want.on_event);
    assert_ptr_equal(got.event_user_data, want.event_user_data);
    assert_true(got.stop_timeout == want.stop_timeout);
    assert_int_equal(got.run_new_containers, want.run_new_containers);
    assert_int_equal(got.target, want.target);
    assert_ptr_equal(got.registry, want.registry);
  }
  {
    dm_logs_options want = DM_LOGS_OPTIONS_INIT, got;
    memset(&got, GARBAGE, sizeof got);
    assert_int_equal(dm_logs_options_init(&got, DM_LOGS_OPTIONS_VERSION), DM_OK);
    assert_int_equal(got.version, want.version);
    assert_ptr_equal(got.services, want.services);
    assert_int_equal(got.service_count, want.service_count);
    assert_int_equal(got.follow, want.follow);
    assert_int_equal(got.tail, want.tail);
  }
  {
    dm_status_options want = DM_STATUS_OPTIONS_INIT, got;
    memset(&got, GARBAGE, sizeof got);
    assert_int_equal(dm_status_options_init(&got, DM_STATUS_OPTIONS_VERSION), DM_OK);
    assert_int_equal(got.version, want.version);
  }
  {
    dm_graph_options want = DM_GRAPH_OPTIONS_INIT, got;
    memset(&got, GARBAGE, sizeof got);
    assert_int_equal(dm_graph_options_init(&got, DM_GRAPH_OPTIONS_VERSION), DM_OK);
    assert_int_equal(got.version, want.version);
    assert_int_equal(got.format, want.format);
    assert_ptr_equal(got.status, want.status);
  }
}

/* The documented defaults, so a change to one is a decision, not an accident. */
static void the_defaults_are_the_documented_ones(void** state) {
  (void)state;
  dm_start_options start;
  dm_stop_options stop;
  dm_reload_options reload;
  dm_logs_options logs;
  dm_client_options client;
  assert_int_equal(dm_start_options_init(&start, DM_START_OPTIONS_VERSION), DM_OK);
  assert_int_equal(dm_stop_options_init(&stop, DM_STOP_OPTIONS_VERSION), DM_OK);
  assert_int_equal(dm_reload_options_init(&reload, DM_RELOAD_OPTIONS_VERSION), DM_OK);
  assert_int_equal(dm_logs_options_init(&logs, DM_LOGS_OPTIONS_VERSION), DM_OK);
  assert_int_equal(dm_client_options_init(&client, DM_CLIENT_OPTIONS_VERSION), DM_OK);
  assert_true(start.timeout == 300.0 && reload.timeout == 300.0);
  /* One grace period everywhere: Docker's and Compose's 10 s. */
  assert_true(stop.timeout == 10.0);
  assert_true(start.stop_timeout == 10.0 && reload.stop_timeout == 10.0);
  /* A start leaves its services running when the program exits; with
   * remove_on_exit, the calling process's exit is what removes them. */
  assert_int_equal(start.remove_on_exit, 0);
  assert_int_equal(start.watch_pid, 0);
  /* A reload's dependants are started again by the reuse rules. */
  assert_int_equal(reload.run_new_containers, 0);
  assert_int_equal(start.parallelism, 0);
  assert_int_equal(logs.tail, -1);
  assert_int_equal(client.tls_verify, -1);
  /* A graph is Mermaid (GitHub renders it) and not coloured by default. */
  dm_graph_options graph;
  assert_int_equal(dm_graph_options_init(&graph, DM_GRAPH_OPTIONS_VERSION), DM_OK);
  assert_int_equal(graph.format, DM_GRAPH_MERMAID);
  assert_null(graph.status);
  assert_true(DM_STOP_LOCK_WAIT_SECONDS == start.timeout);
}

/* A program built against 0.1 has the shorter struct: version 1 writes
 * only its fields (an overrun would also show under AddressSanitizer, since
 * these structs are allocated exactly). */
static void an_older_version_gets_only_its_own_fields(void** state) {
  (void)state;
  dm_start_options want = DM_START_OPTIONS_INIT;
  dm_start_options full;
  memset(&full, GARBAGE, sizeof full);
  assert_int_equal(dm_start_options_init(&full, 1), DM_OK);
  assert_int_equal(full.version, 1);
  assert_true(full.timeout == want.timeout);
  assert_int_equal(full.parallelism, want.parallelism);
  assert_ptr_equal(full.event_user_data, want.event_user_data);
  unsigned char untouched[sizeof full.stop_timeout];
  memset(untouched, GARBAGE, sizeof untouched);
  assert_memory_equal(&full.stop_timeout, untouched, sizeof untouched);

  start_options_v1* old_start = malloc(sizeof *old_start);
  assert_int_equal(dm_start_options_init((dm_start_options*)old_start, 1), DM_OK);
  assert_int_equal(old_start->version, 1);
  assert_true(old_start->timeout == 300.0);
  free(old_start);

  dm_reload_options reload;
  memset(&reload, GARBAGE, sizeof reload);
  assert_int_equal(dm_reload_options_init(&reload, 1), DM_OK);
  assert_int_equal(reload.version, 1);
  assert_true(reload.timeout == 300.0);
  assert_memory_equal(&reload.stop_timeout, untouched, sizeof untouched);
  reload_options_v1* old_reload = malloc(sizeof *old_reload);
  assert_int_equal(dm_reload_options_init((dm_reload_options*)old_reload, 1), DM_OK);
  assert_int_equal(old_reload->version, 1);
  free(old_reload);
}

/* A program built against 0.1 passes the shorter client struct: init writes
 * only its fields and dm_client_open reads no context past its end (an
 * overrun shows under AddressSanitizer: the struct is allocated exactly). */
static void client_version_1_has_no_context(void** state) {
  (void)state;
  client_options_v1* old = malloc(sizeof *old);
  assert_int_equal(dm_client_options_init((dm_client_options*)old, 1), DM_OK);
  assert_int_equal(old->version, 1);
  assert_int_equal(old->tls_verify, -1);
  old->host = "unix:///nonexistent";
  dm_client* client = (dm_client*)1;
  assert_int_equal(dm_client_open(&client, (dm_client_options*)old), DM_EUNREACHABLE);
  assert_null(client);
  free(old);
}

/* Version 2 of the reload struct has stop_timeout but not
 * run_new_containers (version 3): its init writes the one, not the other. */
static void reload_version_2_gets_its_stop_timeout_and_not_version_3s_field(void** state) {
  (void)state;
  dm_reload_options reload;
  memset(&reload, GARBAGE, sizeof reload);
  assert_int_equal(dm_reload_options_init(&reload, 2), DM_OK);
  assert_int_equal(reload.version, 2);
  assert_true(reload.timeout == 300.0);
  assert_true(reload.stop_timeout == 10.0);
  unsigned char untouched[sizeof reload.run_new_containers];
  memset(untouched, GARBAGE, sizeof untouched);
  assert_memory_equal(&reload.run_new_containers, untouched, sizeof untouched);

  reload_options_v2* old_reload = malloc(sizeof *old_reload);
  assert_int_equal(dm_reload_options_init((dm_reload_options*)old_reload, 2), DM_OK);
  assert_int_equal(old_reload->version, 2);
  assert_true(old_reload->stop_timeout == 10.0);
  free(old_reload);

  assert_int_equal(dm_reload_options_init(&reload, 3), DM_OK);
  assert_int_equal(reload.version, 3);
  assert_int_equal(reload.run_new_containers, 0);
  /* Version 3 has no keep_dependants (version 4): left as it was. */
  unsigned char untouched_v4[sizeof reload.keep_dependants];
  memset(untouched_v4, GARBAGE, sizeof untouched_v4);
  assert_memory_equal(&reload.keep_dependants, untouched_v4, sizeof untouched_v4);

  assert_int_equal(dm_reload_options_init(&reload, 4), DM_OK);
  assert_int_equal(reload.version, 4);
  assert_int_equal(reload.keep_dependants, 0); /* the dependants are restarted */
}

/* Version 2 of the start struct has stop_timeout but not remove_on_exit
 * and watch_pid (version 3): its init writes the one, not the others. */
static void start_version_2_gets_its_stop_timeout_and_not_version_3s_fields(void** state) {
  (void)state;
  dm_start_options start;
  memset(&start, GARBAGE, sizeof start);
  assert_int_equal(dm_start_options_init(&start, 2), DM_OK);
  assert_int_equal(start.version, 2);
  assert_true(start.stop_timeout == 10.0);
  unsigned char untouched[sizeof start.remove_on_exit + sizeof start.watch_pid];
  memset(untouched, GARBAGE, sizeof untouched);
  assert_memory_equal(&start.remove_on_exit, untouched, sizeof start.remove_on_exit);
  assert_memory_equal(&start.watch_pid, untouched, sizeof start.watch_pid);

  start_options_v2* old_start = malloc(sizeof *old_start);
  assert_int_equal(dm_start_options_init((dm_start_options*)old_start, 2), DM_OK);
  assert_int_equal(old_start->version, 2);
  assert_true(old_start->stop_timeout == 10.0);
  free(old_start);

  assert_int_equal(dm_start_options_init(&start, 3), DM_OK);
  assert_int_equal(start.version, 3);
  assert_int_equal(start.remove_on_exit, 0);
  assert_int_equal(start.watch_pid, 0);
}

/* Version 3 ends before only and profiles (version 4): its init leaves
 * them as they were; version 4's sets them to none. */
static void start_version_3_leaves_version_4s_selection_alone(void** state) {
  (void)state;
  dm_start_options start;
  memset(&start, GARBAGE, sizeof start);
  assert_int_equal(dm_start_options_init(&start, 3), DM_OK);
  unsigned char untouched[sizeof start.only_count];
  memset(untouched, GARBAGE, sizeof untouched);
  assert_memory_equal(&start.only_count, untouched, sizeof start.only_count);
  assert_memory_equal(&start.profiles_count, untouched, sizeof start.profiles_count);
  assert_int_equal(dm_start_options_init(&start, 4), DM_OK);
  assert_null(start.only);
  assert_int_equal(start.only_count, 0);
  assert_null(start.profiles);
  assert_int_equal(start.profiles_count, 0);
  // Version 5's target: the local engine unless asked.
  assert_int_equal(dm_start_options_init(&start, 5), DM_OK);
  assert_int_equal(start.target, DM_TARGET_LOCAL);
  // Version 5 ends before version 6's registry, which it leaves alone.
  unsigned char registry_untouched[sizeof start.registry];
  memset(&start.registry, GARBAGE, sizeof start.registry);
  memset(registry_untouched, GARBAGE, sizeof registry_untouched);
  assert_int_equal(dm_start_options_init(&start, 5), DM_OK);
  assert_memory_equal(&start.registry, registry_untouched, sizeof start.registry);
  assert_int_equal(dm_start_options_init(&start, 6), DM_OK);
  assert_null(start.registry);
}

static void version_0_is_refused_naming_the_struct_and_the_known_versions(void** state) {
  (void)state;
  dm_start_options start;
  assert_int_equal(dm_start_options_init(&start, 0), DM_EINVALID);
  assert_string_equal(
      dm_error_last(),
      "dm_start_options version 0 is not supported by drillmaster " DM_VERSION_STRING
      ", which knows versions 1 to 6: the struct was not initialised; "
      "initialise it with DM_START_OPTIONS_INIT or "
      "dm_start_options_init(&opts, DM_START_OPTIONS_VERSION)");
  assert_int_equal(dm_error_last_status(), DM_EINVALID);

  dm_client_options client;
  dm_stop_options stop;
  dm_reload_options reload;
  dm_logs_options logs;
  dm_status_options status;
  assert_refused_with(dm_client_options_init(&client, 0),
                      "dm_client_options version 0 is not supported");
  assert_refused_with(dm_client_options_init(&client, 0), "which knows versions 1 and 2");
  assert_refused_with(dm_stop_options_init(&stop, 0), "which knows versions 1 and 2");
  assert_refused_with(dm_stop_options_init(&stop, 0), "dm_stop_options version 0");
  assert_refused_with(dm_reload_options_init(&reload, 0), "dm_reload_options version 0");
  assert_refused_with(dm_reload_options_init(&reload, 0), "versions 1 to 6");
  assert_refused_with(dm_logs_options_init(&logs, 0), "dm_logs_options version 0");
  assert_refused_with(dm_status_options_init(&status, 0), "dm_status_options version 0");
  assert_refused_with(dm_status_options_init(&status, 0), "DM_STATUS_OPTIONS_INIT");
  dm_graph_options graph;
  assert_refused_with(dm_graph_options_init(&graph, 0), "dm_graph_options version 0");
  assert_refused_with(dm_graph_options_init(&graph, 0), "DM_GRAPH_OPTIONS_INIT");
}

static void a_version_newer_than_the_library_is_refused(void** state) {
  (void)state;
  dm_start_options start;
  assert_int_equal(dm_start_options_init(&start, DM_START_OPTIONS_VERSION + 1), DM_EINVALID);
  assert_string_equal(
      dm_error_last(),
      "dm_start_options version 7 is not supported by drillmaster " DM_VERSION_STRING
      ", which knows versions 1 to 6: the program was built against a newer "
      "drillmaster; run it with that library, or build it against this one");
  dm_client_options client;
  dm_stop_options stop;
  dm_reload_options reload;
  dm_logs_options logs;
  dm_status_options status;
  assert_refused_with(dm_client_options_init(&client, DM_CLIENT_OPTIONS_VERSION + 1),
                      "dm_client_options version 3 is not supported");
  assert_refused_with(dm_stop_options_init(&stop, DM_STOP_OPTIONS_VERSION + 1),
                      "dm_stop_options version 3");
  assert_refused_with(dm_reload_options_init(&reload, DM_RELOAD_OPTIONS_VERSION + 1),
                      "dm_reload_options version 7");
  assert_refused_with(dm_logs_options_init(&logs, DM_LOGS_OPTIONS_VERSION + 1),
                      "dm_logs_options version 3");
  assert_refused_with(dm_status_options_init(&status, DM_STATUS_OPTIONS_VERSION + 1),
                      "dm_status_options version 3");
  assert_refused_with(dm_status_options_init(&status, 1000000), "version 1000000");
  dm_graph_options graph;
  assert_refused_with(dm_graph_options_init(&graph, DM_GRAPH_OPTIONS_VERSION + 1),
                      "dm_graph_options version 2");
}

static void init_refuses_a_null_struct_by_the_functions_name(void** state) {
  (void)state;
  assert_int_equal(dm_start_options_init(NULL, DM_START_OPTIONS_VERSION), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_start_options_init: opts is NULL");
  assert_int_equal(dm_status_options_init(NULL, 1), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_status_options_init: opts is NULL");
  assert_int_equal(dm_graph_options_init(NULL, 1), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_graph_options_init: opts is NULL");
}

static int ignore_line(const char* service, int stream, const char* line, size_t length,
                       void* user_data) {
  (void)service, (void)stream, (void)line, (void)length, (void)user_data;
  return 0;
}

/* Each call that takes an options struct refuses a version it does not know
 * before it does anything, with the struct's name; *out stays NULL. */
static void every_call_refuses_versions_it_does_not_know(void** state) {
  (void)state;
  struct tcp_engine engine;
  tcp_engine_start(&engine);
  dm_client_options client_opts = DM_CLIENT_OPTIONS_INIT;
  client_opts.host = engine.host;
  dm_client* client = (dm_client*)1;
  for (unsigned bad = 0; bad <= DM_CLIENT_OPTIONS_VERSION + 1;
       bad += DM_CLIENT_OPTIONS_VERSION + 1) {
    client_opts.version = bad;
    assert_refused_with(dm_client_open(&client, &client_opts), "dm_client_options version");
    assert_null(client);
  }
  client_opts.version = DM_CLIENT_OPTIONS_VERSION;
  assert_int_equal(dm_client_open(&client, &client_opts), DM_OK);

  dm_group* group = NULL;
  dm_service* db = NULL;
  assert_int_equal(dm_group_new(&group, "options"), DM_OK);
  assert_int_equal(dm_group_add_service(&db, group, "db", "busybox"), DM_OK);
  const unsigned start_bad[] = {0, DM_START_OPTIONS_VERSION + 1};
  const unsigned stop_bad[] = {0, DM_STOP_OPTIONS_VERSION + 1};
  const unsigned reload_bad[] = {0, DM_RELOAD_OPTIONS_VERSION + 1};
  const unsigned logs_bad[] = {0, DM_LOGS_OPTIONS_VERSION + 1};
  const unsigned status_bad[] = {0, DM_STATUS_OPTIONS_VERSION + 1};
  const unsigned graph_bad[] = {0, DM_GRAPH_OPTIONS_VERSION + 1};
  for (int i = 0; i < 2; i++) {
    char wanted[64];
    dm_result* result = (dm_result*)1;
    dm_report* report = (dm_report*)1;

    dm_start_options start = DM_START_OPTIONS_INIT;
    start.version = start_bad[i];
    snprintf(wanted, sizeof wanted, "dm_start_options version %u ", start_bad[i]);
    assert_refused_with(dm_group_start(&result, group, client, &start), wanted);
    assert_null(result);

    dm_stop_options stop = DM_STOP_OPTIONS_INIT;
    stop.version = stop_bad[i];
    snprintf(wanted, sizeof wanted, "dm_stop_options version %u ", stop_bad[i]);
    result = (dm_result*)1;
    assert_refused_with(dm_group_stop(&result, group, client, &stop), wanted);
    assert_null(result);

    dm_reload_options reload = DM_RELOAD_OPTIONS_INIT;
    reload.version = reload_bad[i];
    snprintf(wanted, sizeof wanted, "dm_reload_options version %u ", reload_bad[i]);
    result = (dm_result*)1;
    assert_refused_with(dm_group_reload(&result, group, client, "db", &reload), wanted);
    assert_null(result);

    dm_logs_options logs = DM_LOGS_OPTIONS_INIT;
    logs.version = logs_bad[i];
    snprintf(wanted, sizeof wanted, "dm_logs_options version %u ", logs_bad[i]);
    assert_refused_with(dm_group_logs(group, client, &logs, ignore_line, NULL), wanted);

    dm_status_options status = DM_STATUS_OPTIONS_INIT;
    status.version = status_bad[i];
    snprintf(wanted, sizeof wanted, "dm_status_options version %u ", status_bad[i]);
    assert_refused_with(dm_group_status_with_options(&report, group, client, &status), wanted);
    assert_null(report);

    dm_graph_options graph = DM_GRAPH_OPTIONS_INIT;
    graph.version = graph_bad[i];
    snprintf(wanted, sizeof wanted, "dm_graph_options version %u ", graph_bad[i]);
    char* text = (char*)1;
    assert_refused_with(dm_group_graph(&text, group, &graph), wanted);
    assert_null(text);
  }
  dm_group_free(group);
  dm_client_free(client);
  tcp_engine_stop(&engine);
}

static char* saved_env(const char* name) {
  const char* value = getenv(name);
  return value ? strdup(value) : NULL;
}

static void restore_env(const char* name, char* saved) {
  if (saved) {
    setenv(name, saved, 1);
    free(saved);
  } else {
    unsetenv(name);
  }
}

/* Zero is not "the default": a client struct zeroed apart from its version
 * turns TLS off even where the environment asks for it, as documented. */
static void a_zeroed_client_struct_turns_tls_off(void** state) {
  (void)state;
  char* tls = saved_env("DOCKER_TLS_VERIFY");
  setenv("DOCKER_TLS_VERIFY", "1", 1);
  struct tcp_engine engine;
  tcp_engine_start(&engine);
  dm_client_options opts;
  memset(&opts, 0, sizeof opts);
  opts.version = DM_CLIENT_OPTIONS_VERSION;
  opts.host = engine.host;
  dm_client* client = NULL;
  assert_int_equal(dm_client_open(&client, &opts), DM_OK);
  assert_string_equal(dm_client_transport(client), "tcp, plain (no TLS)");
  dm_client_free(client);
  tcp_engine_stop(&engine);
  restore_env("DOCKER_TLS_VERIFY", tls);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_init_fills_exactly_its_macros_values),
      cmocka_unit_test(the_defaults_are_the_documented_ones),
      cmocka_unit_test(an_older_version_gets_only_its_own_fields),
      cmocka_unit_test(client_version_1_has_no_context),
      cmocka_unit_test(reload_version_2_gets_its_stop_timeout_and_not_version_3s_field),
      cmocka_unit_test(start_version_2_gets_its_stop_timeout_and_not_version_3s_fields),
      cmocka_unit_test(start_version_3_leaves_version_4s_selection_alone),
      cmocka_unit_test(version_0_is_refused_naming_the_struct_and_the_known_versions),
      cmocka_unit_test(a_version_newer_than_the_library_is_refused),
      cmocka_unit_test(init_refuses_a_null_struct_by_the_functions_name),
      cmocka_unit_test(every_call_refuses_versions_it_does_not_know),
      cmocka_unit_test(a_zeroed_client_struct_turns_tls_off),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
