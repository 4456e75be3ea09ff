/*
 * The values of the public constants, the enums' as drillmaster 0.1 defined
 * them. The enums cross the ABI as plain ints (dm_event.phase,
 * dm_result_outcome(), every status), so scripts/abi-check cannot see them:
 * a value changed here would silently mean something else to a program
 * built against 0.1. New values may be added; none may change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

static void statuses_keep_their_values(void** state) {
  (void)state;
  assert_int_equal(DM_OK, 0);
  assert_int_equal(DM_EINVALID, -1);
  assert_int_equal(DM_ENOTFOUND, -2);
  assert_int_equal(DM_ECONFLICT, -3);
  assert_int_equal(DM_EUNREACHABLE, -4);
  assert_int_equal(DM_EENGINE, -5);
  assert_int_equal(DM_ETIMEOUT, -6);
  assert_int_equal(DM_EHOOK, -7);
  assert_int_equal(DM_ECANCELLED, -8);
  assert_int_equal(DM_EFAILED, -9);
  assert_int_equal(DM_ENOMEM, -10);
  assert_int_equal(DM_EINTERNAL, -11);
}

static void phases_keep_their_values(void** state) {
  (void)state;
  assert_int_equal(DM_PHASE_BUILDING, 1);
  assert_int_equal(DM_PHASE_PULLING, 2);
  assert_int_equal(DM_PHASE_PRE_START, 3);
  assert_int_equal(DM_PHASE_CREATING, 4);
  assert_int_equal(DM_PHASE_STARTING, 5);
  assert_int_equal(DM_PHASE_PINGING, 6);
  assert_int_equal(DM_PHASE_INITIALISING, 7);
  assert_int_equal(DM_PHASE_RUNNING, 8);
  assert_int_equal(DM_PHASE_STOPPING, 9);
  assert_int_equal(DM_PHASE_STOPPED, 10);
  assert_int_equal(DM_PHASE_REMOVED, 11);
  assert_int_equal(DM_PHASE_FAILED, 12);
  assert_int_equal(DM_PHASE_SKIPPED, 13);
  assert_int_equal(DM_PHASE_DETAIL, 14);
  assert_int_equal(DM_PHASE_WAITING, 15);
}

static void outcomes_keep_their_values(void** state) {
  (void)state;
  assert_int_equal(DM_OUTCOME_STARTED, 1);
  assert_int_equal(DM_OUTCOME_ALREADY_RUNNING, 2);
  assert_int_equal(DM_OUTCOME_RESTARTED, 3);
  assert_int_equal(DM_OUTCOME_RELOADED, 4);
  assert_int_equal(DM_OUTCOME_FAILED, 5);
  assert_int_equal(DM_OUTCOME_SKIPPED, 6);
  assert_int_equal(DM_OUTCOME_EXCLUDED, 7);
  assert_int_equal(DM_OUTCOME_CANCELLED, 8);
  assert_int_equal(DM_OUTCOME_STOPPED, 9);
  assert_int_equal(DM_OUTCOME_REMOVED, 10);
  assert_int_equal(DM_OUTCOME_NOT_RUNNING, 11);
}

static void other_constants_keep_their_values(void** state) {
  (void)state;
  assert_int_equal(DM_PING_NOT_READY, 0);
  assert_int_equal(DM_PING_READY, 1);
  assert_int_equal(DM_GROUP_NAME_MAX, 63);
  assert_true(DM_STOP_LOCK_WAIT_SECONDS == 300.0);
  /* Struct versions only grow. */
  assert_true(DM_CLIENT_OPTIONS_VERSION >= 1 && DM_START_OPTIONS_VERSION >= 2 &&
              DM_STOP_OPTIONS_VERSION >= 1 && DM_RELOAD_OPTIONS_VERSION >= 3 &&
              DM_LOGS_OPTIONS_VERSION >= 1 && DM_STATUS_OPTIONS_VERSION >= 1 &&
              DM_HOOK_INFO_VERSION >= 2 && DM_EVENT_VERSION >= 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(statuses_keep_their_values),
      cmocka_unit_test(phases_keep_their_values),
      cmocka_unit_test(outcomes_keep_their_values),
      cmocka_unit_test(other_constants_keep_their_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
