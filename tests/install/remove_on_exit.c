/*
 * Run by check.sh against the installed library, from outside the source
 * tree: starts a one-service group with remove_on_exit and exits without
 * stopping it. Prints the library's detail events, among them the path of
 * the drillmaster-reaper it found (check.sh makes sure it is the installed
 * one) and which removes the group once this program has ended.
 *
 *   remove_on_exit IMAGE GROUP
 */
#include <stdio.h>

#include <drillmaster/drillmaster.h>

static void print_detail(const dm_event* event, void* user_data) {
  (void)user_data;
  if (event->phase == DM_PHASE_DETAIL) printf("%s\n", event->message);
}

int main(int argc, char** argv) {
  static const char* const sleeper[] = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"};
  dm_client* client = NULL;
  dm_group* group = NULL;
  dm_service* db = NULL;
  dm_result* result = NULL;
  dm_start_options opts = DM_START_OPTIONS_INIT;
  if (argc != 3) {
    fprintf(stderr, "usage: remove_on_exit IMAGE GROUP\n");
    return 2;
  }
  opts.remove_on_exit = 1;
  opts.on_event = print_detail;
  if (dm_client_open(&client, NULL) != DM_OK || dm_group_new(&group, argv[2]) != DM_OK ||
      dm_group_add_service(&db, group, "db", argv[1]) != DM_OK ||
      dm_service_set_cmd(db, sleeper, 3) != DM_OK ||
      dm_group_start(&result, group, client, &opts) != DM_OK) {
    fprintf(stderr, "remove_on_exit: %s\n", dm_error_last());
    return 1;
  }
  return 0; /* no stop: the reaper removes the group */
}
