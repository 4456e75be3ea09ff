/*
 * The options structs against a real engine, from C: every known version of
 * each struct works in its call, including the shorter version-1 structs a
 * program built against drillmaster 0.1 passes and the version-2 reload
 * struct; version 3's run_new_containers gives a reload's dependants new
 * containers; dm_group_status() and
 * dm_group_status_with_options() report alike; and a struct zeroed apart
 * from its version does what group.h says its zeros mean, which is not the
 * defaults: a start timeout of 0 gives a ping no time, a stop timeout of 0
 * kills without a grace period, a logs tail of 0 prints no past line. Every
 * test removes what it made (containers, network, images) and checks it.
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

/* dm_start_options and dm_reload_options as drillmaster 0.1 declared them. */
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

static const char* const sleeper[] = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"};
/* PID 1 ignoring SIGTERM: only SIGKILL ends it. */
static const char* const stubborn[] = {"sh", "-c", "trap '' TERM; while :; do sleep 1; done"};
static const char* const talker[] = {"sh", "-c",
                                     "echo one; echo two; trap 'exit 0' TERM; sleep 1000 & wait"};

struct fixture {
  dm_client* client;
  dm_group* group;
  char name[64];
  char context[128]; /* a build context, made by the test that needs one */
};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
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

/* The first line a shell command prints, without its newline. */
static void first_line(const char* command, char* out, size_t size) {
  FILE* p = popen(command, "r");
  out[0] = '\0';
  if (!p) return;
  if (fgets(out, (int)size, p)) out[strcspn(out, "\n")] = '\0';
  pclose(p);
}

static int setup(void** state) {
  struct fixture* f = calloc(1, sizeof *f);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  snprintf(f->name, sizeof f->name, "dmt-opts-%d-%04x", (int)getpid(), rand() & 0xffff);
  if (dm_client_open(&f->client, NULL) != DM_OK) {
    fprintf(stderr, "no engine: %s\n", dm_error_last());
    free(f);
    return -1;
  }
  if (dm_group_new(&f->group, f->name) != DM_OK) return -1;
  *state = f;
  return 0;
}

/* Removes the group through the product, then the images it built, and
 * checks that the engine holds nothing of it any more. */
static int teardown(void** state) {
  struct fixture* f = *state;
  dm_result* result = NULL;
  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  stop.remove = 1;
  stop.timeout = 0;
  int rc = dm_group_stop(&result, f->group, f->client, &stop);
  dm_result_free(result);
  char command[512];
  const char* label = "label=io.drillmaster.group=";
  snprintf(command, sizeof command, "docker ps -aq --filter %s%s", label, f->name);
  int containers = count_lines(command);
  snprintf(command, sizeof command, "docker network ls -q --filter %s%s", label, f->name);
  int networks = count_lines(command);
  snprintf(command, sizeof command,
           "docker rm -f $(docker ps -aq --filter %s%s) >/dev/null 2>&1; "
           "docker network rm drillmaster-%s >/dev/null 2>&1; "
           "docker rmi -f $(docker images -q --filter reference='%s/*') >/dev/null 2>&1",
           label, f->name, f->name, f->name);
  (void)!system(command);
  /* Images carry no label of drillmaster's: the tests tag theirs <group>/<service>. */
  snprintf(command, sizeof command, "docker images -q --filter reference='%s/*'", f->name);
  int images = count_lines(command);
  if (f->context[0]) {
    snprintf(command, sizeof command, "rm -rf '%s'", f->context);
    (void)!system(command);
  }
  dm_group_free(f->group);
  dm_client_free(f->client);
  free(f);
  if (rc != DM_OK || containers || networks || images) {
    fprintf(stderr, "teardown: stop rc %d; %d container(s), %d network(s), %d image(s) left\n", rc,
            containers, networks, images);
    return -1;
  }
  return 0;
}

static dm_service* add(struct fixture* f, const char* name, const char* const* cmd) {
  dm_service* s = NULL;
  assert_int_equal(dm_group_add_service(&s, f->group, name, DM_TEST_IMAGE), DM_OK);
  assert_int_equal(dm_service_set_cmd(s, cmd, 3), DM_OK);
  return s;
}

/* A service built from a context of its own (unique content, so no other
 * test shares its layers), tagged <group>/web. */
static dm_service* add_built(struct fixture* f, const char* name) {
  snprintf(f->context, sizeof f->context, "/tmp/%s-XXXXXX", f->name);
  assert_non_null(mkdtemp(f->context));
  char path[256];
  snprintf(path, sizeof path, "%s/Dockerfile", f->context);
  FILE* file = fopen(path, "w");
  assert_non_null(file);
  fprintf(file, "FROM %s\nLABEL built-for=%s\nCMD [\"sh\", \"-c\", \"%s\"]\n", DM_TEST_IMAGE,
          f->name, "trap 'exit 0' TERM; sleep 1000 & wait");
  fclose(file);
  char image[128];
  snprintf(image, sizeof image, "%s/%s:latest", f->name, name);
  dm_service* s = NULL;
  assert_int_equal(dm_group_add_service(&s, f->group, name, image), DM_OK);
  assert_int_equal(dm_service_set_build(s, f->context, NULL), DM_OK);
  return s;
}

static int count_line(const char* service, int stream, const char* line, size_t length,
                      void* user_data) {
  (void)service, (void)stream, (void)line, (void)length;
  (*(int*)user_data)++;
  return 0;
}

static int never_ready(const dm_hook_info* info, void* user_data) {
  (void)info;
  (*(int*)user_data)++;
  return DM_PING_NOT_READY;
}

static void every_known_version_works_including_the_shorter_0_1_structs(void** state) {
  struct fixture* f = *state;
  add(f, "db", sleeper);
  dm_service* web = add_built(f, "web");
  assert_int_equal(dm_service_add_dependency(web, "db"), DM_OK);
  dm_result* result = NULL;

  /* As a program built against 0.1 calls it: exactly the old struct. */
  start_options_v1* start1 = calloc(1, sizeof *start1);
  start1->version = 1;
  start1->timeout = 60;
  assert_int_equal(dm_group_start(&result, f->group, f->client, (const dm_start_options*)start1),
                   DM_OK);
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_STARTED);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_STARTED);
  dm_result_free(result);
  free(start1);

  reload_options_v1* reload1 = calloc(1, sizeof *reload1);
  reload1->version = 1;
  reload1->timeout = 60;
  assert_int_equal(
      dm_group_reload(&result, f->group, f->client, "web", (const dm_reload_options*)reload1),
      DM_OK);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_RELOADED);
  dm_result_free(result);
  free(reload1);

  /* The current versions, initialised by the library. */
  dm_start_options start;
  assert_int_equal(dm_start_options_init(&start, DM_START_OPTIONS_VERSION), DM_OK);
  start.timeout = 60;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_OK);
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_ALREADY_RUNNING);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_ALREADY_RUNNING);
  dm_result_free(result);

  dm_reload_options reload;
  assert_int_equal(dm_reload_options_init(&reload, DM_RELOAD_OPTIONS_VERSION), DM_OK);
  reload.timeout = 60;
  reload.stop_timeout = 1.5;
  assert_int_equal(dm_group_reload(&result, f->group, f->client, "web", &reload), DM_OK);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_RELOADED);
  dm_result_free(result);

  /* Status through both functions, with and without options. */
  dm_report *plain = NULL, *with_null = NULL, *with_opts = NULL;
  dm_status_options status;
  assert_int_equal(dm_status_options_init(&status, DM_STATUS_OPTIONS_VERSION), DM_OK);
  assert_int_equal(dm_group_status(&plain, f->group, f->client), DM_OK);
  assert_int_equal(dm_group_status_with_options(&with_null, f->group, f->client, NULL), DM_OK);
  assert_int_equal(dm_group_status_with_options(&with_opts, f->group, f->client, &status), DM_OK);
  assert_int_equal(dm_report_count(plain), 2);
  for (size_t i = 0; i < 2; i++) {
    assert_string_equal(dm_report_state(plain, i), "running");
    assert_string_equal(dm_report_state(with_null, i), "running");
    assert_string_equal(dm_report_container_id(with_opts, i), dm_report_container_id(plain, i));
  }
  dm_report_free(plain);
  dm_report_free(with_null);
  dm_report_free(with_opts);

  dm_logs_options logs;
  assert_int_equal(dm_logs_options_init(&logs, DM_LOGS_OPTIONS_VERSION), DM_OK);
  int lines = 0;
  assert_int_equal(dm_group_logs(f->group, f->client, &logs, count_line, &lines), DM_OK);

  dm_stop_options stop;
  assert_int_equal(dm_stop_options_init(&stop, DM_STOP_OPTIONS_VERSION), DM_OK);
  assert_int_equal(dm_group_stop(&result, f->group, f->client, &stop), DM_OK);
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_STOPPED);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_STOPPED);
  dm_result_free(result);
}

static void a_zeroed_start_struct_gives_a_ping_no_time(void** state) {
  struct fixture* f = *state;
  int pings = 0;
  dm_service* slow = add(f, "slow", sleeper);
  assert_int_equal(dm_service_set_ping(slow, never_ready, &pings), DM_OK);
  add(f, "plain", sleeper);
  dm_start_options zeroed;
  memset(&zeroed, 0, sizeof zeroed);
  zeroed.version = DM_START_OPTIONS_VERSION;
  dm_result* result = NULL;
  double began = now();
  assert_int_equal(dm_group_start(&result, f->group, f->client, &zeroed), DM_EFAILED);
  /* Generous: the default would have pinged for 300 s. */
  assert_true(now() - began < 120.0);
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_FAILED);
  const char* reason = dm_result_reason(result, 0);
  if (!strstr(reason, "timeout") && !strstr(reason, "not ready"))
    fail_msg("the reason does not say the time ran out: %s", reason);
  /* A service without hooks needs no time of its own. */
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_STARTED);
  dm_result_free(result);
}

static void a_zeroed_stop_struct_kills_without_a_grace_period(void** state) {
  struct fixture* f = *state;
  add(f, "stubborn", stubborn);
  dm_result* result = NULL;
  dm_start_options start = DM_START_OPTIONS_INIT;
  start.timeout = 60;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_OK);
  char id[80];
  snprintf(id, sizeof id, "%s", dm_result_container_id(result, 0));
  dm_result_free(result);

  dm_stop_options zeroed;
  memset(&zeroed, 0, sizeof zeroed);
  zeroed.version = DM_STOP_OPTIONS_VERSION;
  double began = now();
  assert_int_equal(dm_group_stop(&result, f->group, f->client, &zeroed), DM_OK);
  double took = now() - began;
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_STOPPED); /* not removed: remove is 0 */
  dm_result_free(result);
  char command[160], running[32];
  snprintf(command, sizeof command, "docker inspect -f '{{.State.Running}}' %s", id);
  first_line(command, running, sizeof running);
  assert_string_equal(running, "false");
  /* It ignores SIGTERM: the default grace period would have made the engine
   * wait 10 s before its SIGKILL. (Its exit code is not the test: the engine
   * once reported 2 for a shell killed so, instead of 137.) */
  if (took >= 10.0) fail_msg("the stop took %.1f s: the engine waited out a grace period", took);
}

static void a_zeroed_logs_struct_prints_no_past_line(void** state) {
  struct fixture* f = *state;
  add(f, "talker", talker);
  dm_result* result = NULL;
  dm_start_options start = DM_START_OPTIONS_INIT;
  start.timeout = 60;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_OK);
  dm_result_free(result);
  /* Both lines are in the log before the test goes on (bounded look). */
  int lines = 0;
  double began = now();
  while (lines < 2 && now() - began < 30) {
    const struct timespec tick = {0, 100 * 1000 * 1000};
    lines = 0;
    assert_int_equal(dm_group_logs(f->group, f->client, NULL, count_line, &lines), DM_OK);
    if (lines < 2) nanosleep(&tick, NULL);
  }
  assert_int_equal(lines, 2);

  dm_logs_options zeroed;
  memset(&zeroed, 0, sizeof zeroed);
  zeroed.version = DM_LOGS_OPTIONS_VERSION;
  lines = 0;
  assert_int_equal(dm_group_logs(f->group, f->client, &zeroed, count_line, &lines), DM_OK);
  assert_int_equal(lines, 0);
}

static int count_call(const dm_hook_info* info, void* user_data) {
  (void)info;
  (*(int*)user_data)++;
  return 0;
}

/* The id of `service`'s container, as status reports it. */
static void container_of(struct fixture* f, const char* service, char* out, size_t size) {
  dm_report* report = NULL;
  assert_int_equal(dm_group_status(&report, f->group, f->client), DM_OK);
  out[0] = '\0';
  for (size_t i = 0; i < dm_report_count(report); i++)
    if (strcmp(dm_report_service(report, i), service) == 0)
      snprintf(out, size, "%s", dm_report_container_id(report, i));
  dm_report_free(report);
  if (out[0] == '\0') fail_msg("status reports no container of '%s'", service);
}

/* How many containers of `service` the engine holds, running or not. */
static int containers_of(struct fixture* f, const char* service) {
  char command[256];
  snprintf(command, sizeof command,
           "docker ps -aq --filter label=io.drillmaster.group=%s "
           "--filter label=io.drillmaster.service=%s",
           f->name, service);
  return count_lines(command);
}

/* Reloads web; db is outcome 0, web 1, front 2. */
static void reload_web(struct fixture* f, const dm_reload_options* opts, int front_outcome) {
  dm_result* result = NULL;
  assert_int_equal(dm_group_reload(&result, f->group, f->client, "web", opts), DM_OK);
  assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_ALREADY_RUNNING);
  assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_RELOADED);
  assert_int_equal(dm_result_outcome(result, 2), front_outcome);
  dm_result_free(result);
}

/* Version 3's run_new_containers: the dependant a reload restarts gets a new
 * container whose post_start_init runs again, and the old one is removed; the
 * reloaded service's dependency keeps its container. Without it (0, the
 * default, or a version-2 struct, which has no such field) the dependant's
 * container is started again as it was, not initialised again. */
static void a_reload_with_run_new_containers_gives_the_dependants_new_containers(void** state) {
  struct fixture* f = *state;
  add(f, "db", sleeper);
  dm_service* web = add_built(f, "web");
  assert_int_equal(dm_service_add_dependency(web, "db"), DM_OK);
  dm_service* front = add(f, "front", sleeper);
  assert_int_equal(dm_service_add_dependency(front, "web"), DM_OK);
  int front_inits = 0;
  assert_int_equal(dm_service_set_post_start_init(front, count_call, &front_inits), DM_OK);
  dm_result* result = NULL;
  dm_start_options start = DM_START_OPTIONS_INIT;
  start.timeout = 60;
  assert_int_equal(dm_group_start(&result, f->group, f->client, &start), DM_OK);
  dm_result_free(result);
  assert_int_equal(front_inits, 1);
  char db_id[80], front_id[80], now_id[80];
  container_of(f, "db", db_id, sizeof db_id);
  container_of(f, "front", front_id, sizeof front_id);

  /* As a program built against the version-2 header calls it. */
  reload_options_v2* v2 = malloc(sizeof *v2);
  assert_int_equal(dm_reload_options_init((dm_reload_options*)v2, 2), DM_OK);
  v2->timeout = 60;
  v2->stop_timeout = 1;
  reload_web(f, (const dm_reload_options*)v2, DM_OUTCOME_RESTARTED);
  free(v2);
  container_of(f, "front", now_id, sizeof now_id);
  assert_string_equal(now_id, front_id);
  assert_int_equal(front_inits, 1);

  dm_reload_options reload;
  assert_int_equal(dm_reload_options_init(&reload, DM_RELOAD_OPTIONS_VERSION), DM_OK);
  reload.timeout = 60;
  reload.stop_timeout = 1;
  reload_web(f, &reload, DM_OUTCOME_RESTARTED);
  container_of(f, "front", now_id, sizeof now_id);
  assert_string_equal(now_id, front_id);
  assert_int_equal(front_inits, 1);

  reload.run_new_containers = 1;
  reload_web(f, &reload, DM_OUTCOME_STARTED);
  container_of(f, "front", now_id, sizeof now_id);
  assert_string_not_equal(now_id, front_id);
  assert_int_equal(front_inits, 2);
  assert_int_equal(containers_of(f, "front"), 1); /* the old one was removed */
  container_of(f, "db", now_id, sizeof now_id);
  assert_string_equal(now_id, db_id);
  assert_int_equal(containers_of(f, "db"), 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(every_known_version_works_including_the_shorter_0_1_structs,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(a_zeroed_start_struct_gives_a_ping_no_time, setup, teardown),
      cmocka_unit_test_setup_teardown(a_zeroed_stop_struct_kills_without_a_grace_period, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_zeroed_logs_struct_prints_no_past_line, setup, teardown),
      cmocka_unit_test_setup_teardown(
          a_reload_with_run_new_containers_gives_the_dependants_new_containers, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
