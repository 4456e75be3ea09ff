/*
 * Wrong arguments at the C boundary: each is DM_EINVALID with a message that
 * names the public function that was called and the argument ("dm_group_start:
 * group is NULL"), never an internal name; and group names are limited where
 * they are defined, with the reason. No engine is needed: every call here is
 * refused before one would be.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

static int ignore_line(const char* service, int stream, const char* line, size_t length,
                       void* user_data) {
  (void)service, (void)stream, (void)line, (void)length, (void)user_data;
  return 0;
}

/* The call failed with DM_EINVALID and exactly this message. */
#define assert_refused(call, message)                      \
  do {                                                     \
    assert_int_equal((call), DM_EINVALID);                 \
    assert_string_equal(dm_error_last(), (message));       \
    assert_int_equal(dm_error_last_status(), DM_EINVALID); \
  } while (0)

static void null_arguments_are_named_with_the_public_function(void** state) {
  (void)state;
  dm_group *group = NULL, *unmade = (dm_group*)1;
  dm_service* service = NULL;
  dm_result* result = NULL;
  dm_report* report = NULL;
  assert_int_equal(dm_group_new(&group, "arguments"), DM_OK);
  assert_int_equal(dm_group_add_service(&service, group, "db", "busybox"), DM_OK);

  assert_refused(dm_group_new(NULL, "x"), "dm_group_new: out is NULL");
  assert_refused(dm_group_new(&unmade, NULL), "dm_group_new: name is NULL");
  assert_null(unmade); /* *out is cleared on failure */

  dm_service* unadded = NULL;
  assert_refused(dm_group_add_service(&unadded, NULL, "a", "busybox"),
                 "dm_group_add_service: group is NULL");
  assert_refused(dm_group_validate(NULL, NULL, 0), "dm_group_validate: group is NULL");
  assert_refused(dm_group_validate(group, NULL, 2),
                 "dm_group_validate: exclude is NULL but its count is 2");

  /* Operations check their handles in a shared helper: still the public name. */
  assert_refused(dm_group_start(NULL, group, NULL, NULL), "dm_group_start: out is NULL");
  assert_refused(dm_group_start(&result, NULL, NULL, NULL), "dm_group_start: group is NULL");
  assert_refused(dm_group_start(&result, group, NULL, NULL), "dm_group_start: client is NULL");
  assert_null(result);
  assert_refused(dm_group_stop(&result, group, NULL, NULL), "dm_group_stop: client is NULL");
  assert_refused(dm_group_reload(&result, group, NULL, NULL, NULL),
                 "dm_group_reload: service is NULL");
  assert_refused(dm_group_reload(&result, NULL, NULL, "db", NULL),
                 "dm_group_reload: group is NULL");
  assert_refused(dm_group_status(&report, NULL, NULL), "dm_group_status: group is NULL");
  assert_null(report);
  assert_refused(dm_group_logs(group, NULL, NULL, NULL, NULL), "dm_group_logs: fn is NULL");
  assert_refused(dm_group_logs(group, NULL, NULL, ignore_line, NULL),
                 "dm_group_logs: client is NULL");

  assert_refused(dm_service_set_image(NULL, "x"), "dm_service_set_image: service is NULL");
  assert_refused(dm_service_set_env(service, NULL, "v"), "dm_service_set_env: name is NULL");
  assert_refused(dm_service_set_cmd(service, NULL, 2),
                 "dm_service_set_cmd: argv is NULL but argc is 2");
  const char* argv[] = {"sh", NULL};
  assert_refused(dm_service_set_entrypoint(service, argv, 2),
                 "dm_service_set_entrypoint: argv[1] is NULL");
  assert_refused(dm_service_set_restart(NULL, "always"), "dm_service_set_restart: service is NULL");
  assert_refused(dm_service_add_tmpfs(service, NULL), "dm_service_add_tmpfs: mount is NULL");
  assert_refused(dm_service_set_init(NULL, 1), "dm_service_set_init: service is NULL");
  assert_refused(dm_service_set_ulimit(service, NULL, 1, 2), "dm_service_set_ulimit: name is NULL");
  assert_refused(dm_service_add_extra_host(service, "db", NULL),
                 "dm_service_add_extra_host: address is NULL");
  assert_refused(dm_client_ping(NULL), "dm_client_ping: client is NULL");

  dm_group_free(group);
}

static void group_names_are_limited_and_say_why(void** state) {
  (void)state;
  char name[301];
  dm_group* group = NULL;
  assert_int_equal(DM_GROUP_NAME_MAX, 63);

  memset(name, 'g', DM_GROUP_NAME_MAX);
  name[DM_GROUP_NAME_MAX] = '\0';
  assert_int_equal(dm_group_new(&group, name), DM_OK);
  assert_int_equal(dm_group_validate(group, NULL, 0), DM_OK);
  dm_group_free(group);

  memset(name, 'g', 300);
  name[300] = '\0';
  assert_int_equal(dm_group_new(&group, name), DM_EINVALID);
  assert_null(group);
  assert_string_equal(dm_error_last(),
                      "group name 'gggggggggggggggggggg...' is 300 characters long; at most 63 "
                      "are allowed, because it becomes part of the container names, the "
                      "network name and the lock file's name");

  name[DM_GROUP_NAME_MAX + 1] = '\0';
  assert_int_equal(dm_group_new(&group, name), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "is 64 characters long; at most 63"));
}

/* An empty build context would read as "no build" and run the image
 * silently: the setter refuses it, naming the service and what to pass, and
 * leaves the service as it was. */
static void an_empty_build_context_is_refused_naming_the_service(void** state) {
  (void)state;
  dm_group* group = NULL;
  dm_service* web = NULL;
  assert_int_equal(dm_group_new(&group, "arguments"), DM_OK);
  assert_int_equal(dm_group_add_service(&web, group, "web", "arguments/web"), DM_OK);
  assert_refused(dm_service_set_build(web, "", NULL),
                 "dm_service_set_build: service 'web': context_dir (its build_from) is empty: "
                 "name the directory that holds the Dockerfile (\".\" for the group's "
                 "directory), or leave the build unset to run the image 'arguments/web'");
  assert_refused(dm_service_set_build(web, "", "Dockerfile.dev"),
                 "dm_service_set_build: service 'web': context_dir (its build_from) is empty: "
                 "name the directory that holds the Dockerfile (\".\" for the group's "
                 "directory), or leave the build unset to run the image 'arguments/web'");
  /* Nothing was recorded: the definition is valid, with no dockerfile. */
  assert_int_equal(dm_group_validate(group, NULL, 0), DM_OK);
  assert_int_equal(dm_service_set_build(web, ".", NULL), DM_OK);
  assert_int_equal(dm_service_set_build(web, "", NULL), DM_EINVALID);
  assert_int_equal(dm_group_validate(group, NULL, 0), DM_OK);
  dm_group_free(group);
}

/* The runtime directory comes from the library: absolute, private, ours. */
static void the_runtime_directory_is_the_librarys(void** state) {
  (void)state;
  char* path = (char*)1;
  assert_refused(dm_runtime_directory(NULL), "dm_runtime_directory: out is NULL");
  assert_int_equal(dm_runtime_directory(&path), DM_OK);
  assert_non_null(path);
  assert_int_equal(path[0], '/');
  assert_non_null(strstr(path, "drillmaster"));
  dm_free(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(null_arguments_are_named_with_the_public_function),
      cmocka_unit_test(group_names_are_limited_and_say_why),
      cmocka_unit_test(an_empty_build_context_is_refused_naming_the_service),
      cmocka_unit_test(the_runtime_directory_is_the_librarys),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
