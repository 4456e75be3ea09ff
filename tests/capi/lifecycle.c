/*
 * A group's lifecycle through the C ABI, from C: hooks and event callbacks
 * with user_data, results and reports through their accessors, and a hook's
 * dm_error_set() message becoming the service's failure reason. Every test
 * removes what it made and checks that nothing of its group is left.
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

static const char* const sleeper[] = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"};

struct fixture {
  dm_client* client;
  dm_group* group;
  char name[64];
};

/* What the callbacks saw, through their user_data. Hooks of one service never
 * overlap and events are never delivered twice at once: no locks needed for
 * the counters each callback owns. */
struct counts {
  int pre_start, ping, init;
  int ready_on;          /* the ping call that answers ready */
  const char* fail_init; /* when set: init fails with this message */
  int saw_container;     /* init saw a container id and name */
  char group[64];
  char service[64];
};

struct events {
  int total;
  int by_phase[32];
  int group_events; /* service == NULL */
  double last_timestamp;
  int out_of_order; /* timestamps going backwards */
  int null_message;
};

static int pre_start(const dm_hook_info* info, void* user_data) {
  struct counts* c = user_data;
  c->pre_start++;
  if (info->container_id != NULL) return 1;
  snprintf(c->group, sizeof c->group, "%s", info->group);
  snprintf(c->service, sizeof c->service, "%s", info->service);
  return 0;
}

static int ping(const dm_hook_info* info, void* user_data) {
  struct counts* c = user_data;
  (void)info;
  c->ping++;
  return c->ping >= c->ready_on ? DM_PING_READY : DM_PING_NOT_READY;
}

static int init(const dm_hook_info* info, void* user_data) {
  struct counts* c = user_data;
  c->init++;
  c->saw_container = info->version == DM_HOOK_INFO_VERSION && info->container_id != NULL &&
                     strlen(info->container_id) == 64 && info->container_name != NULL;
  if (c->fail_init) {
    dm_error_set(c->fail_init);
    return 1;
  }
  return 0;
}

static void on_event(const dm_event* event, void* user_data) {
  struct events* e = user_data;
  e->total++;
  if (event->phase > 0 && event->phase < 32) e->by_phase[event->phase]++;
  if (event->service == NULL) e->group_events++;
  if (event->message == NULL) e->null_message++;
  if (event->timestamp + 1e-6 < e->last_timestamp) e->out_of_order++;
  e->last_timestamp = event->timestamp;
}

static int count_lines(const char* command) {
  FILE* p = popen(command, "r");
  int lines = 0, ch;
  if (!p) return -1;
  while ((ch = fgetc(p)) != EOF)
    if (ch == '\n') lines++;
  pclose(p);
  return lines;
}

static int setup(void** state) {
  struct fixture* f = calloc(1, sizeof *f);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  snprintf(f->name, sizeof f->name, "dmt-capi-%d-%04x", (int)getpid(), rand() & 0xffff);
  if (dm_client_open(&f->client, NULL) != DM_OK) {
    fprintf(stderr, "no engine: %s\n", dm_error_last());
    free(f);
    return -1;
  }
  if (dm_group_new(&f->group, f->name) != DM_OK) return -1;
  *state = f;
  return 0;
}

/* Removes the group through the product and checks that the engine holds
 * nothing of it any more. */
static int teardown(void** state) {
  struct fixture* f = *state;
  dm_result* result = NULL;
  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  stop.remove = 1;
  int rc = dm_group_stop(&result, f->group, f->client, &stop);
  dm_result_free(result);
  char command[512];
  snprintf(command, sizeof command, "docker ps -aq --filter label=io.drillmaster.group=%s",
           f->name);
  int containers = count_lines(command);
  snprintf(command, sizeof command, "docker network ls -q --filter label=io.drillmaster.group=%s",
           f->name);
  int networks = count_lines(command);
  snprintf(command, sizeof command,
           "docker rm -f $(docker ps -aq --filter label=io.drillmaster.group=%s) "
           ">/dev/null 2>&1; docker network rm drillmaster-%s >/dev/null 2>&1",
           f->name, f->name);
  if (containers || networks) (void)!system(command);
  /* A crashed operation's lock file, wherever group.h says it may be. */
  if (getenv("XDG_RUNTIME_DIR")) {
    snprintf(command, sizeof command, "%s/drillmaster/%s.lock", getenv("XDG_RUNTIME_DIR"), f->name);
    unlink(command);
  }
  snprintf(command, sizeof command, "%s/drillmaster-%d/%s.lock",
           getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)geteuid(),
           f->name);
  unlink(command);
  dm_group_free(f->group);
  dm_client_free(f->client);
  free(f);
  if (rc != DM_OK || containers != 0 || networks != 0) {
    fprintf(stderr, "teardown: stop rc %d, %d container(s) and %d network(s) left\n", rc,
            containers, networks);
    return -1;
  }
  return 0;
}

static void starts_and_removes_two_services_with_callbacks(void** state) {
  struct fixture* f = *state;
  struct counts db_counts = {0}, app_counts = {0};
  struct events start_events = {0}, stop_events = {0};
  dm_service *db = NULL, *app = NULL;
  db_counts.ready_on = 3;
  app_counts.ready_on = 1;

  assert_int_equal(dm_group_add_service(&db, f->group, "db", DM_TEST_IMAGE), DM_OK);
  assert_int_equal(dm_service_set_cmd(db, sleeper, 3), DM_OK);
  assert_int_equal(dm_service_set_pre_start(db, pre_start, &db_counts), DM_OK);
  assert_int_equal(dm_service_set_ping(db, ping, &db_counts), DM_OK);
  assert_int_equal(dm_service_set_post_start_init(db, init, &db_counts), DM_OK);
  assert_int_equal(dm_group_add_service(&app, f->group, "app", DM_TEST_IMAGE), DM_OK);
  assert_int_equal(dm_service_set_cmd(app, sleeper, 3), DM_OK);
  assert_int_equal(dm_service_add_dependency(app, "db"), DM_OK);
  assert_int_equal(dm_service_set_ping(app, ping, &app_counts), DM_OK);
  assert_int_equal(dm_service_set_post_start_init(app, init, &app_counts), DM_OK);
  assert_int_equal(dm_group_service_count(f->group), 2);
  assert_ptr_equal(dm_group_find_service(f->group, "app"), app);
  assert_ptr_equal(dm_group_service_at(f->group, 0), db);
  assert_null(dm_group_find_service(f->group, "nope"));
  assert_string_equal(dm_service_name(app), "app");
  assert_int_equal(dm_group_validate(f->group, NULL, 0), DM_OK);

  dm_start_options start = DM_START_OPTIONS_INIT;
  start.timeout = 30;
  start.on_event = on_event;
  start.event_user_data = &start_events;
  dm_result* result = NULL;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_OK);
  assert_non_null(result);

  /* Hooks, counted through user_data. */
  assert_int_equal(db_counts.pre_start, 1);
  assert_int_equal(db_counts.ping, 3);
  assert_int_equal(db_counts.init, 1);
  assert_true(db_counts.saw_container);
  assert_string_equal(db_counts.group, f->name);
  assert_string_equal(db_counts.service, "db");
  assert_int_equal(app_counts.pre_start, 0);
  assert_int_equal(app_counts.ping, 1);
  assert_int_equal(app_counts.init, 1);

  /* Events, counted through user_data. */
  assert_true(start_events.total > 0);
  assert_int_equal(start_events.by_phase[DM_PHASE_RUNNING], 2);
  assert_int_equal(start_events.by_phase[DM_PHASE_STARTING], 2);
  assert_int_equal(start_events.by_phase[DM_PHASE_PRE_START], 1);
  assert_int_equal(start_events.by_phase[DM_PHASE_INITIALISING], 2);
  assert_int_equal(start_events.by_phase[DM_PHASE_FAILED], 0);
  assert_int_equal(start_events.null_message, 0);
  assert_int_equal(start_events.out_of_order, 0);
  assert_true(start_events.last_timestamp > 1.6e9);

  /* The result's accessors. */
  assert_int_equal(dm_result_count(result), 2);
  assert_string_equal(dm_result_service(result, 0), "db");
  assert_string_equal(dm_result_service(result, 1), "app");
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_STARTED);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_STARTED);
  assert_string_equal(dm_result_reason(result, 0), "");
  assert_int_equal(strlen(dm_result_container_id(result, 0)), 64);
  assert_string_not_equal(dm_result_container_id(result, 0), dm_result_container_id(result, 1));
  assert_true(dm_result_seconds(result, 0) > 0);
  assert_int_equal(dm_result_cancelled(result), 0);
  assert_int_equal(dm_result_failures(result), 0);
  assert_string_equal(dm_result_service(result, 2), "");
  assert_int_equal(dm_result_outcome(result, 2), 0);
  assert_string_equal(dm_result_container_id(result, 2), "");
  char db_id[65];
  snprintf(db_id, sizeof db_id, "%s", dm_result_container_id(result, 0));
  dm_result_free(result);

  /* The report's accessors. */
  dm_report* report = NULL;
  assert_int_equal(dm_group_status(&report, f->group, f->client), DM_OK);
  assert_int_equal(dm_report_count(report), 2);
  assert_string_equal(dm_report_service(report, 0), "db");
  assert_string_equal(dm_report_state(report, 0), "running");
  assert_string_equal(dm_report_container_id(report, 0), db_id);
  char expected_name[128];
  snprintf(expected_name, sizeof expected_name, "%s-db-1", f->name);
  assert_string_equal(dm_report_container_name(report, 0), expected_name);
  assert_string_equal(dm_report_image(report, 0), DM_TEST_IMAGE);
  assert_string_equal(dm_report_ports(report, 0), "");
  assert_string_equal(dm_report_health(report, 0), "");
  assert_true(strlen(dm_report_status_text(report, 0)) > 0);
  assert_int_equal(dm_report_outdated(report, 0), 0);
  assert_string_equal(dm_report_state(report, 5), "");
  dm_report_free(report);

  /* Stop with remove: events through the callback, outcomes REMOVED. */
  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  stop.remove = 1;
  stop.on_event = on_event;
  stop.event_user_data = &stop_events;
  assert_int_equal(dm_group_stop(&result, f->group, f->client, &stop), DM_OK);
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_REMOVED);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_REMOVED);
  dm_result_free(result);
  assert_int_equal(stop_events.by_phase[DM_PHASE_STOPPING], 2);
  assert_int_equal(stop_events.by_phase[DM_PHASE_STOPPED], 2);
  assert_true(stop_events.by_phase[DM_PHASE_REMOVED] >= 3); /* two containers, one network */
  assert_true(stop_events.group_events >= 1);

  assert_int_equal(dm_group_status(&report, f->group, f->client), DM_OK);
  assert_string_equal(dm_report_state(report, 0), "missing");
  assert_string_equal(dm_report_state(report, 1), "missing");
  dm_report_free(report);
}

static void a_hooks_error_message_becomes_the_failure_reason(void** state) {
  struct fixture* f = *state;
  struct counts db_counts = {0};
  dm_service *db = NULL, *app = NULL;
  db_counts.ready_on = 1;
  db_counts.fail_init = "table 'users' could not be created";
  dm_group_add_service(&db, f->group, "db", DM_TEST_IMAGE);
  dm_service_set_cmd(db, sleeper, 3);
  dm_service_set_ping(db, ping, &db_counts);
  dm_service_set_post_start_init(db, init, &db_counts);
  dm_group_add_service(&app, f->group, "app", DM_TEST_IMAGE);
  dm_service_set_cmd(app, sleeper, 3);
  dm_service_add_dependency(app, "db");

  dm_result* result = NULL;
  dm_start_options start = DM_START_OPTIONS_INIT;
  start.timeout = 30;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_EFAILED);
  assert_non_null(result);
  assert_int_equal(dm_error_last_status(), DM_EFAILED);
  assert_non_null(strstr(dm_error_last(), "2 service(s) failed"));
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_FAILED);
  assert_non_null(strstr(dm_result_reason(result, 0), "table 'users' could not be created"));
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_SKIPPED);
  assert_non_null(strstr(dm_result_reason(result, 1), "'db'"));
  assert_int_equal(dm_result_failures(result), 2);
  dm_result_free(result);
}

static void operations_refuse_bad_arguments(void** state) {
  struct fixture* f = *state;
  dm_service* db = NULL;
  dm_group_add_service(&db, f->group, "db", DM_TEST_IMAGE);
  dm_result* result = (dm_result*)1;
  assert_int_equal(dm_group_start(NULL, f->group, f->client, NULL), DM_EINVALID);
  assert_int_equal(dm_group_start(&result, NULL, f->client, NULL), DM_EINVALID);
  assert_null(result);
  assert_int_equal(dm_group_start(&result, f->group, NULL, NULL), DM_EINVALID);
  dm_start_options start = DM_START_OPTIONS_INIT;
  start.version = 42;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "dm_start_options"));
  assert_null(result);
  /* Unknown dependency: nothing touches the engine. */
  dm_service_add_dependency(db, "nope");
  start.version = DM_START_OPTIONS_VERSION;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_EINVALID);
  assert_null(result);
  assert_non_null(strstr(dm_error_last(), "service 'db' depends on 'nope', which is not defined"));
  char command[160];
  snprintf(command, sizeof command, "docker network ls -q --filter name=^drillmaster-%s$", f->name);
  assert_int_equal(count_lines(command), 0);
  /* Make the group valid again so the teardown's stop can run. */
  dm_service* nope = NULL;
  dm_group_add_service(&nope, f->group, "nope", DM_TEST_IMAGE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(starts_and_removes_two_services_with_callbacks, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_hooks_error_message_becomes_the_failure_reason, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(operations_refuse_bad_arguments, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
