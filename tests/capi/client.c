/*
 * The C ABI seen from C: opening a client, asking the engine, errors and the
 * thread-local error text, NULL-safe frees, what an unreachable or malformed
 * engine address or TLS setting gives, and how the client says it reaches
 * the engine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

#include "one_ping_engine.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void opens_pings_and_reports_versions(void** state) {
  (void)state;
  dm_client* client = NULL;
  assert_int_equal(dm_client_open(&client, NULL), DM_OK);
  assert_non_null(client);
  assert_int_equal(dm_client_ping(client), DM_OK);
  assert_true(strlen(dm_client_host(client)) > 0);
  const char* api = dm_client_api_version(client);
  assert_non_null(api);
  assert_true(strncmp(api, "1.", 2) == 0);

  char *engine_version = NULL, *api_version = NULL;
  assert_int_equal(dm_client_engine_version(client, &engine_version, &api_version), DM_OK);
  assert_non_null(engine_version);
  assert_non_null(api_version);
  assert_true(strlen(engine_version) > 0);
  assert_true(strncmp(api_version, "1.", 2) == 0);
  dm_free(engine_version);
  dm_free(api_version);
  /* Either out-parameter may be NULL. */
  assert_int_equal(dm_client_engine_version(client, NULL, NULL), DM_OK);
  dm_client_free(client);
}

static void library_version_is_consistent(void** state) {
  (void)state;
  int major = -1, minor = -1, patch = -1;
  dm_version_numbers(&major, &minor, &patch);
  assert_int_equal(major, DM_VERSION_MAJOR);
  assert_int_equal(minor, DM_VERSION_MINOR);
  assert_int_equal(patch, DM_VERSION_PATCH);
  assert_string_equal(dm_version(), DM_VERSION_STRING);
  dm_version_numbers(NULL, NULL, NULL);
}

static void a_failure_leaves_its_message_and_status_on_the_thread(void** state) {
  (void)state;
  dm_group* group = NULL;
  assert_int_equal(dm_group_new(&group, "not a valid name"), DM_EINVALID);
  assert_null(group);
  assert_int_equal(dm_error_last_status(), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "'not a valid name'"));
  dm_error_clear();
  assert_string_equal(dm_error_last(), "");
  assert_int_equal(dm_error_last_status(), DM_OK);

  /* A NULL argument is an error, not a crash, and the message names it. */
  assert_int_equal(dm_client_ping(NULL), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "client"));
  /* A successful call clears the last error. */
  assert_int_equal(dm_group_new(&group, "fine"), DM_OK);
  assert_string_equal(dm_error_last(), "");
  dm_group_free(group);

  dm_error_set("set by hand");
  assert_string_equal(dm_error_last(), "set by hand");
  dm_error_set(NULL);
  assert_string_equal(dm_error_last(), "");

  assert_string_equal(dm_status_name(DM_EINVALID), "DM_EINVALID");
  assert_string_equal(dm_status_name(DM_EFAILED), "DM_EFAILED");
  assert_non_null(dm_status_name(12345));
  assert_string_equal(dm_phase_name(DM_PHASE_RUNNING), "running");
  assert_string_equal(dm_outcome_name(DM_OUTCOME_ALREADY_RUNNING), "already running");
  assert_non_null(dm_phase_name(-7));
  assert_non_null(dm_outcome_name(999));
}

static void freeing_null_is_a_no_op(void** state) {
  (void)state;
  dm_client_free(NULL);
  dm_group_free(NULL);
  dm_result_free(NULL);
  dm_report_free(NULL);
  dm_free(NULL);
  /* Accessors on NULL answer "nothing". */
  assert_int_equal(dm_result_count(NULL), 0);
  assert_string_equal(dm_result_service(NULL, 0), "");
  assert_int_equal(dm_result_cancelled(NULL), 0);
  assert_int_equal(dm_report_count(NULL), 0);
  assert_string_equal(dm_report_state(NULL, 0), "");
  assert_string_equal(dm_client_host(NULL), "");
  assert_string_equal(dm_group_name(NULL), "");
}

static void a_missing_socket_is_unreachable_quickly_and_named(void** state) {
  (void)state;
  dm_client_options opts = DM_CLIENT_OPTIONS_INIT;
  opts.host = "unix:///nonexistent";
  dm_client* client = (dm_client*)1;
  double began = now();
  assert_int_equal(dm_client_open(&client, &opts), DM_EUNREACHABLE);
  assert_true(now() - began < 5.0);
  assert_null(client);
  assert_int_equal(dm_error_last_status(), DM_EUNREACHABLE);
  assert_non_null(strstr(dm_error_last(), "unix:///nonexistent"));
}

static void docker_host_from_the_environment_is_used(void** state) {
  (void)state;
  const char* old = getenv("DOCKER_HOST");
  char* saved = old ? strdup(old) : NULL;
  setenv("DOCKER_HOST", "unix:///nonexistent", 1);
  dm_client* client = NULL;
  double began = now();
  assert_int_equal(dm_client_open(&client, NULL), DM_EUNREACHABLE);
  assert_true(now() - began < 5.0);
  assert_null(client);
  assert_non_null(strstr(dm_error_last(), "unix:///nonexistent"));
  if (saved) {
    setenv("DOCKER_HOST", saved, 1);
    free(saved);
  } else {
    unsetenv("DOCKER_HOST");
  }
}

static void a_malformed_address_is_invalid_and_named(void** state) {
  (void)state;
  dm_client_options opts = DM_CLIENT_OPTIONS_INIT;
  opts.host = "bogus://somewhere";
  dm_client* client = NULL;
  assert_int_equal(dm_client_open(&client, &opts), DM_EINVALID);
  assert_null(client);
  assert_non_null(strstr(dm_error_last(), "bogus://somewhere"));
}

static void an_options_struct_of_an_unknown_version_is_refused(void** state) {
  (void)state;
  dm_client_options opts = DM_CLIENT_OPTIONS_INIT;
  opts.version = 99;
  dm_client* client = NULL;
  assert_int_equal(dm_client_open(&client, &opts), DM_EINVALID);
  assert_null(client);
  assert_non_null(strstr(dm_error_last(), "version"));
}

static void a_tls_setting_other_than_minus_one_zero_or_one_is_invalid(void** state) {
  (void)state;
  const int values[] = {2, -2, 100};
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    dm_client_options opts = DM_CLIENT_OPTIONS_INIT;
    opts.host = "tcp://127.0.0.1:1";
    opts.tls_verify = values[i];
    dm_client* client = (dm_client*)1;
    assert_int_equal(dm_client_open(&client, &opts), DM_EINVALID);
    assert_null(client);
    char wanted[64];
    snprintf(wanted, sizeof wanted, "dm_client_options.tls_verify is %d", values[i]);
    assert_non_null(strstr(dm_error_last(), wanted));
    /* The accepted values, so the user knows what to write. */
    assert_non_null(strstr(dm_error_last(), "-1 (follow DOCKER_TLS_VERIFY)"));
  }
}

static void the_client_says_how_it_reaches_the_engine(void** state) {
  (void)state;
  dm_client* client = NULL;
  assert_int_equal(dm_client_open(&client, NULL), DM_OK);
  assert_string_equal(dm_client_transport(client), "unix socket");
  dm_client_free(client);
  assert_string_equal(dm_client_transport(NULL), "");

  /* tcp:// without TLS variables stays plain, as with the docker command,
   * and says so. */
  const char* old = getenv("DOCKER_TLS_VERIFY");
  char* saved = old ? strdup(old) : NULL;
  unsetenv("DOCKER_TLS_VERIFY");
  struct tcp_engine engine;
  tcp_engine_start(&engine);
  dm_client_options opts = DM_CLIENT_OPTIONS_INIT;
  opts.host = engine.host;
  client = NULL;
  assert_int_equal(dm_client_open(&client, &opts), DM_OK);
  assert_string_equal(dm_client_transport(client), "tcp, plain (no TLS)");
  assert_string_equal(dm_client_host(client), engine.host);
  dm_client_free(client);
  tcp_engine_stop(&engine);
  if (saved) {
    setenv("DOCKER_TLS_VERIFY", saved, 1);
    free(saved);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(opens_pings_and_reports_versions),
      cmocka_unit_test(library_version_is_consistent),
      cmocka_unit_test(a_failure_leaves_its_message_and_status_on_the_thread),
      cmocka_unit_test(freeing_null_is_a_no_op),
      cmocka_unit_test(a_missing_socket_is_unreachable_quickly_and_named),
      cmocka_unit_test(docker_host_from_the_environment_is_used),
      cmocka_unit_test(a_malformed_address_is_invalid_and_named),
      cmocka_unit_test(an_options_struct_of_an_unknown_version_is_refused),
      cmocka_unit_test(a_tls_setting_other_than_minus_one_zero_or_one_is_invalid),
      cmocka_unit_test(the_client_says_how_it_reaches_the_engine),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
