/*
 * The watch rules through the C API (drillmaster/watch.h): the setter, the
 * watcher's validation, the routing's accessors, NULLs and indexes out of
 * range, and who owns what. No engine is needed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

static char dir[64];

static int make_tree(void** state) {
  (void)state;
  strcpy(dir, "/tmp/dm-watch-capi-XXXXXX");
  if (mkdtemp(dir) == NULL) return -1;
  char path[128];
  snprintf(path, sizeof path, "%s/site", dir);
  if (mkdir(path, 0755) != 0) return -1;
  snprintf(path, sizeof path, "%s/site/index.html", dir);
  FILE* f = fopen(path, "w");
  if (f == NULL) return -1;
  fputs("hello", f);
  fclose(f);
  return 0;
}

static int remove_tree(void** state) {
  (void)state;
  char command[128];
  snprintf(command, sizeof command, "rm -rf '%s'", dir);
  return system(command) == 0 ? 0 : -1;
}

/* A group "watch-capi" in the tree whose service web syncs site to /www. */
static dm_group* web_group(void) {
  dm_group* group = NULL;
  dm_service* web = NULL;
  assert_int_equal(dm_group_new(&group, "watch-capi"), DM_OK);
  assert_int_equal(dm_group_set_directory(group, dir), DM_OK);
  assert_int_equal(dm_group_add_service(&web, group, "web", "busybox"), DM_OK);
  const char* ignore[] = {"*.tmp"};
  assert_int_equal(dm_service_add_watch(web, "site", DM_WATCH_SYNC, "/www", ignore, 1), DM_OK);
  return group;
}

static void action_names(void** state) {
  (void)state;
  assert_string_equal(dm_watch_action_name(DM_WATCH_SYNC), "sync");
  assert_string_equal(dm_watch_action_name(DM_WATCH_SYNC_RESTART), "sync+restart");
  assert_string_equal(dm_watch_action_name(DM_WATCH_REBUILD), "rebuild");
  assert_string_equal(dm_watch_action_name(0), "unknown");
}

static void the_setter_refuses_only_nulls(void** state) {
  (void)state;
  dm_group* group = web_group();
  dm_service* web = dm_group_find_service(group, "web");
  assert_int_equal(dm_service_add_watch(NULL, "site", DM_WATCH_SYNC, "/www", NULL, 0), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_service_add_watch: service is NULL");
  assert_int_equal(dm_service_add_watch(web, NULL, DM_WATCH_SYNC, "/www", NULL, 0), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_service_add_watch: path is NULL");
  /* A bad value is recorded, and reported by validation with the others. */
  assert_int_equal(dm_service_add_watch(web, "missing", 9, "www", NULL, 0), DM_OK);
  assert_int_equal(dm_service_validate(web), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "service 'web': watch 'missing' action 9 is unknown"));
  dm_watcher* watcher = (dm_watcher*)1;
  assert_int_equal(dm_watcher_new(&watcher, group, NULL, 0), DM_EINVALID);
  assert_null(watcher);
  assert_non_null(strstr(dm_error_last(), "watch 'missing' path '"));
  dm_group_free(group);
}

static void the_watcher_names_an_unknown_service(void** state) {
  (void)state;
  dm_group* group = web_group();
  dm_watcher* watcher = NULL;
  const char* names[] = {"nope"};
  assert_int_equal(dm_watcher_new(&watcher, group, names, 1), DM_ENOTFOUND);
  assert_null(watcher);
  assert_string_equal(dm_error_last(),
                      "watch: service 'nope' is not defined in group 'watch-capi'");
  assert_int_equal(dm_watcher_new(NULL, group, NULL, 0), DM_EINVALID);
  assert_int_equal(dm_watcher_new(&watcher, NULL, NULL, 0), DM_EINVALID);
  dm_group_free(group);
}

static void routing_and_its_accessors(void** state) {
  (void)state;
  dm_group* group = web_group();
  dm_watcher* watcher = NULL;
  assert_int_equal(dm_watcher_new(&watcher, group, NULL, 0), DM_OK);
  /* A snapshot: the group may go first. */
  dm_group_free(group);
  char root[128], file[128], gone[128], tmp[128];
  snprintf(root, sizeof root, "%s/site", dir);
  snprintf(file, sizeof file, "%s/site/index.html", dir);
  snprintf(gone, sizeof gone, "%s/site/gone.css", dir);
  snprintf(tmp, sizeof tmp, "%s/site/x.tmp", dir);
  assert_int_equal(dm_watcher_root_count(watcher), 1);
  assert_string_equal(dm_watcher_root(watcher, 0), root);
  assert_null(dm_watcher_root(watcher, 1));
  assert_int_equal(dm_watcher_root_count(NULL), 0);
  assert_null(dm_watcher_root(NULL, 0));

  const char* paths[] = {file, gone, tmp, file, "/etc/passwd", "relative"};
  dm_watch_batch* batch = NULL;
  assert_int_equal(dm_watcher_route(&batch, watcher, paths, 6), DM_OK);
  assert_int_equal(dm_watch_batch_count(batch), 1);
  assert_string_equal(dm_watch_batch_service(batch, 0), "web");
  assert_int_equal(dm_watch_batch_action(batch, 0), DM_WATCH_SYNC);
  assert_int_equal(dm_watch_batch_file_count(batch, 0), 2);
  assert_string_equal(dm_watch_batch_file(batch, 0, 0), gone);
  assert_string_equal(dm_watch_batch_target(batch, 0, 0), "/www/gone.css");
  assert_int_equal(dm_watch_batch_removed(batch, 0, 0), 1);
  assert_string_equal(dm_watch_batch_file(batch, 0, 1), file);
  assert_string_equal(dm_watch_batch_target(batch, 0, 1), "/www/index.html");
  assert_int_equal(dm_watch_batch_removed(batch, 0, 1), 0);
  assert_int_equal(dm_watch_batch_skipped_count(batch), 1);
  assert_string_equal(dm_watch_batch_skipped(batch, 0), "relative");
  assert_string_equal(dm_watch_batch_skipped_reason(batch, 0), "not an absolute path");

  /* Out of range and NULL. */
  assert_null(dm_watch_batch_service(batch, 1));
  assert_int_equal(dm_watch_batch_action(batch, 1), 0);
  assert_int_equal(dm_watch_batch_file_count(batch, 1), 0);
  assert_null(dm_watch_batch_file(batch, 0, 2));
  assert_null(dm_watch_batch_target(batch, 0, 2));
  assert_int_equal(dm_watch_batch_removed(batch, 0, 2), 0);
  assert_null(dm_watch_batch_skipped(batch, 1));
  assert_null(dm_watch_batch_skipped_reason(batch, 1));
  assert_int_equal(dm_watch_batch_count(NULL), 0);
  assert_null(dm_watch_batch_service(NULL, 0));
  assert_int_equal(dm_watch_batch_skipped_count(NULL), 0);
  dm_watch_batch_free(batch);

  assert_int_equal(dm_watcher_route(&batch, watcher, NULL, 0), DM_OK);
  assert_int_equal(dm_watch_batch_count(batch), 0);
  dm_watch_batch_free(batch);
  assert_int_equal(dm_watcher_route(&batch, NULL, paths, 1), DM_EINVALID);
  assert_null(batch);
  assert_int_equal(dm_watcher_route(NULL, watcher, paths, 1), DM_EINVALID);
  assert_int_equal(dm_watcher_route(&batch, watcher, NULL, 1), DM_EINVALID);

  assert_int_equal(dm_watcher_initial(&batch, watcher), DM_OK);
  assert_int_equal(dm_watch_batch_count(batch), 1);
  assert_int_equal(dm_watch_batch_file_count(batch, 0), 1);
  assert_string_equal(dm_watch_batch_target(batch, 0, 0), "/www/index.html");
  dm_watch_batch_free(batch);
  assert_int_equal(dm_watcher_initial(NULL, watcher), DM_EINVALID);
  assert_int_equal(dm_watcher_initial(&batch, NULL), DM_EINVALID);

  dm_watcher_free(watcher);
  dm_watcher_free(NULL);
  dm_watch_batch_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(action_names),
      cmocka_unit_test(the_setter_refuses_only_nulls),
      cmocka_unit_test(the_watcher_names_an_unknown_service),
      cmocka_unit_test(routing_and_its_accessors),
  };
  return cmocka_run_group_tests(tests, make_tree, remove_tree);
}
