/*
 * dm_group_validate_stop(): the exclusion rule of a stop, which lives in the
 * library so that every front end refuses the same arguments. An excluded
 * service keeps running, so excluding a dependency of services that stop is
 * fine; only names that are not defined are wrong. The definitions are
 * checked as dm_group_validate() checks them. No engine is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

/* db <- app <- web */
static dm_group* stack(void) {
  dm_group* group = NULL;
  dm_service *db = NULL, *app = NULL, *web = NULL;
  assert_int_equal(dm_group_new(&group, "validate-stop"), DM_OK);
  assert_int_equal(dm_group_add_service(&db, group, "db", "busybox"), DM_OK);
  assert_int_equal(dm_group_add_service(&app, group, "app", "busybox"), DM_OK);
  assert_int_equal(dm_group_add_service(&web, group, "web", "busybox"), DM_OK);
  assert_int_equal(dm_service_add_dependency(app, "db"), DM_OK);
  assert_int_equal(dm_service_add_dependency(web, "app"), DM_OK);
  return group;
}

static void a_dependency_may_keep_running_while_its_dependants_stop(void** state) {
  (void)state;
  dm_group* group = stack();
  const char* db[] = {"db"};
  const char* db_and_app[] = {"db", "app"};
  assert_int_equal(dm_group_validate_stop(group, db, 1), DM_OK);
  assert_int_equal(dm_group_validate_stop(group, db_and_app, 2), DM_OK);
  assert_int_equal(dm_group_validate_stop(group, NULL, 0), DM_OK);
  /* The start rule is stricter: app would start without its database. */
  assert_int_equal(dm_group_validate(group, db, 1), DM_EINVALID);
  assert_string_equal(
      dm_error_last(),
      "service 'app' needs 'db', which is excluded; exclude 'app' too or keep 'db'");
  dm_group_free(group);
}

static void only_unknown_names_are_wrong_and_each_is_named(void** state) {
  (void)state;
  dm_group* group = stack();
  const char* exclude[] = {"db", "dbb", "cache"};
  assert_int_equal(dm_group_validate_stop(group, exclude, 3), DM_EINVALID);
  assert_int_equal(dm_error_last_status(), DM_EINVALID);
  assert_string_equal(dm_error_last(),
                      "cannot exclude 'dbb': no such service; defined: app, db, web "
                      "(did you mean 'db'?)\n"
                      "cannot exclude 'cache': no such service; defined: app, db, web");
  dm_group_free(group);
}

static void the_definitions_are_checked_too(void** state) {
  (void)state;
  dm_group* group = stack();
  dm_service* broken = NULL;
  assert_int_equal(dm_group_add_service(&broken, group, "Broken", "busybox"), DM_OK);
  assert_int_equal(dm_group_validate_stop(group, NULL, 0), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "'Broken'"));
  dm_group_free(group);
}

static void wrong_arguments_are_named(void** state) {
  (void)state;
  dm_group* group = stack();
  const char* with_null[] = {"db", NULL};
  assert_int_equal(dm_group_validate_stop(NULL, NULL, 0), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_group_validate_stop: group is NULL");
  assert_int_equal(dm_group_validate_stop(group, NULL, 1), DM_EINVALID);
  assert_string_equal(dm_error_last(),
                      "dm_group_validate_stop: exclude is NULL but its count is 1");
  assert_int_equal(dm_group_validate_stop(group, with_null, 2), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_group_validate_stop: exclude[1] is NULL");
  dm_group_free(group);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(a_dependency_may_keep_running_while_its_dependants_stop),
      cmocka_unit_test(only_unknown_names_are_wrong_and_each_is_named),
      cmocka_unit_test(the_definitions_are_checked_too),
      cmocka_unit_test(wrong_arguments_are_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
