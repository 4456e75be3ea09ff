/*
 * drillmaster/exec.h from C, without a Docker engine: the options' defaults,
 * and what dm_hook_exec(), dm_group_exec(), dm_group_run() and the result
 * accessors refuse before an engine would be asked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

static void the_options_defaults_are_the_documented_ones(void** state) {
  (void)state;
  dm_exec_options exec, exec_macro = DM_EXEC_OPTIONS_INIT;
  memset(&exec, 0x5a, sizeof exec);
  assert_int_equal(dm_exec_options_init(&exec, DM_EXEC_OPTIONS_VERSION), DM_OK);
  assert_true(exec.timeout == 0.0 && exec_macro.timeout == 0.0); /* no limit */
  assert_int_equal(exec.stdin_fd, -1);                           /* no stdin */
  assert_int_equal(exec.tty, 0);
  assert_null(exec.user);
  assert_null(exec.working_dir);
  assert_null(exec.on_output); /* collected into the result */

  dm_run_options run, run_macro = DM_RUN_OPTIONS_INIT;
  memset(&run, 0x5a, sizeof run);
  assert_int_equal(dm_run_options_init(&run, DM_RUN_OPTIONS_VERSION), DM_OK);
  assert_null(run.argv);
  assert_int_equal(run.argc, 0);
  assert_int_equal(run.keep, 0);    /* removed once it exited */
  assert_int_equal(run.publish, 0); /* no ports, as Compose's run */
  assert_int_equal(run.stdin_fd, -1);
  assert_int_equal(run.stdout_fd, -1);
  assert_int_equal(run.stderr_fd, -1);
  assert_true(run.timeout == 300.0 && run_macro.timeout == 300.0);
  assert_true(run.stop_timeout == 10.0 && run_macro.stop_timeout == 10.0);
}

static void hook_exec_wants_the_info_of_a_running_hook(void** state) {
  (void)state;
  dm_hook_info made_up = {DM_HOOK_INFO_VERSION, "g", "db", "net", "abc", "g-db-1", NULL};
  const char* argv[] = {"true"};
  dm_exec_result* out = (dm_exec_result*)&made_up; /* set to NULL on failure */
  assert_int_equal(dm_hook_exec(&made_up, argv, 1, NULL, &out), DM_EINVALID);
  assert_null(out);
  assert_non_null(strstr(dm_error_last(), "not that of a hook running now"));
  assert_int_equal(dm_hook_exec(NULL, argv, 1, NULL, &out), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "dm_hook_exec: info is NULL"));
  assert_int_equal(dm_hook_exec(&made_up, argv, 0, NULL, &out), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "argv is empty"));
  dm_exec_options old = DM_EXEC_OPTIONS_INIT;
  old.version = 0;
  assert_int_equal(dm_hook_exec(&made_up, argv, 1, &old, &out), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "dm_exec_options version 0"));
}

static void group_exec_and_run_refuse_missing_arguments(void** state) {
  (void)state;
  dm_group* group = NULL;
  assert_int_equal(dm_group_new(&group, "g"), DM_OK);
  const char* argv[] = {"true"};
  dm_exec_result* out = NULL;
  assert_int_equal(dm_group_exec(group, NULL, "db", argv, 1, NULL, &out), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "client is NULL"));
  assert_int_equal(dm_group_exec(group, NULL, NULL, argv, 1, NULL, &out), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "dm_group_exec: service is NULL"));
  int code = 0;
  dm_result* deps = (dm_result*)group;
  dm_run_options old = DM_RUN_OPTIONS_INIT;
  old.version = 0;
  assert_int_equal(dm_group_run(group, NULL, "db", &old, &code, &deps), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "dm_run_options version 0"));
  assert_int_equal(code, -1);
  assert_null(deps);
  assert_int_equal(dm_group_run(group, NULL, "db", NULL, &code, NULL), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "client is NULL"));
  dm_group_free(group);
}

static void a_null_result_reads_as_nothing(void** state) {
  (void)state;
  size_t size = 7;
  assert_int_equal(dm_exec_result_exit_code(NULL), -1);
  assert_string_equal(dm_exec_result_stdout(NULL, &size), "");
  assert_int_equal(size, 0);
  assert_string_equal(dm_exec_result_stderr(NULL, NULL), "");
  dm_exec_result_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(the_options_defaults_are_the_documented_ones),
      cmocka_unit_test(hook_exec_wants_the_info_of_a_running_hook),
      cmocka_unit_test(group_exec_and_run_refuse_missing_arguments),
      cmocka_unit_test(a_null_result_reads_as_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
