/*
 * A host program killed in the middle of dm_group_start, from C through the
 * shared library: the next dm_group_start finishes the job. The container
 * whose ping never completed is not taken for a set-up one (its name still
 * ends in ".setup"); it is replaced, post_start_init runs once for the new
 * container, and the group ends under its final names with nothing left over.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

static const char* const sleeper[] = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"};

struct fixture {
  char name[64];
  char init_log[64]; /* one line per post_start_init: the container id */
};

/* What the hooks of one run share. */
struct run {
  int block_in_ping; /* non-zero: say so on ready_fd, then block until killed */
  int ready_fd;
  const char* init_log;
};

static int ping(const dm_hook_info* info, void* user_data) {
  struct run* r = user_data;
  (void)info;
  if (r->block_in_ping) {
    (void)!write(r->ready_fd, "x", 1);
    for (;;) pause();
  }
  return DM_PING_READY;
}

static int init(const dm_hook_info* info, void* user_data) {
  struct run* r = user_data;
  int fd = open(r->init_log, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd < 0) return 1;
  (void)!write(fd, info->container_id, strlen(info->container_id));
  (void)!write(fd, "\n", 1);
  close(fd);
  return 0;
}

/* db (ping, post_start_init) and app, which needs it. */
static dm_group* define(const char* name, struct run* r) {
  dm_group* group = NULL;
  dm_service *db = NULL, *app = NULL;
  if (dm_group_new(&group, name) != DM_OK) return NULL;
  dm_group_add_service(&db, group, "db", DM_TEST_IMAGE);
  dm_service_set_cmd(db, sleeper, 3);
  dm_service_set_ping(db, ping, r);
  dm_service_set_post_start_init(db, init, r);
  dm_group_add_service(&app, group, "app", DM_TEST_IMAGE);
  dm_service_set_cmd(app, sleeper, 3);
  dm_service_add_dependency(app, "db");
  return group;
}

/* The output of a shell command, trailing newline removed. */
static void output_of(const char* command, char* out, size_t size) {
  FILE* p = popen(command, "r");
  size_t n = 0;
  out[0] = '\0';
  if (!p) return;
  n = fread(out, 1, size - 1, p);
  out[n] = '\0';
  pclose(p);
  while (n > 0 && out[n - 1] == '\n') out[--n] = '\0';
}

static int setup(void** state) {
  struct fixture* f = calloc(1, sizeof *f);
  int fd;
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  snprintf(f->name, sizeof f->name, "dmt-capi-kill-%d-%04x", (int)getpid(), rand() & 0xffff);
  snprintf(f->init_log, sizeof f->init_log, "/tmp/dmtest-init-XXXXXX");
  fd = mkstemp(f->init_log);
  if (fd < 0) return -1;
  close(fd);
  *state = f;
  return 0;
}

/* Removes the group through the product and checks that nothing is left. */
/* Waits (up to 30 s) until the group's app container exists. */
static void wait_for_app(const char* group) {
  char command[512], id[256];
  snprintf(command, sizeof command,
           "docker ps -aq --filter label=io.drillmaster.group=%s "
           "--filter label=io.drillmaster.service=app",
           group);
  for (int i = 0; i < 1500; i++) {
    output_of(command, id, sizeof id);
    if (id[0]) return;
    usleep(20 * 1000);
  }
}

static int teardown(void** state) {
  struct fixture* f = *state;
  struct run r = {0, -1, f->init_log};
  dm_client* client = NULL;
  dm_group* group = define(f->name, &r);
  dm_result* result = NULL;
  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  char command[4608], left[4096];
  int rc = -1;
  stop.remove = 1;
  if (dm_client_open(&client, NULL) == DM_OK && group)
    rc = dm_group_stop(&result, group, client, &stop);
  dm_result_free(result);
  dm_group_free(group);
  dm_client_free(client);
  snprintf(command, sizeof command, "docker ps -aq --filter label=io.drillmaster.group=%s",
           f->name);
  output_of(command, left, sizeof left);
  if (left[0]) {
    snprintf(command, sizeof command, "docker rm -f %s >/dev/null 2>&1", left);
    (void)!system(command);
  }
  unlink(f->init_log);
  free(f);
  if (rc != DM_OK || left[0]) {
    fprintf(stderr, "teardown: stop rc %d, left: %s\n", rc, left);
    return -1;
  }
  return 0;
}

static void a_start_killed_during_ping_is_finished_by_the_next_start(void** state) {
  struct fixture* f = *state;
  int fds[2];
  pid_t pid;
  char byte, command[512], names[4096], log[4096], expected[256];
  int status = 0;
  ssize_t n;

  assert_int_equal(pipe(fds), 0);
  pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    /* The host program that gets killed: its own client and group. */
    struct run r = {1, fds[1], f->init_log};
    dm_client* client = NULL;
    dm_group* group = define(f->name, &r);
    dm_result* result = NULL;
    close(fds[0]);
    if (!group || dm_client_open(&client, NULL) != DM_OK) _exit(2);
    dm_group_start(&result, group, client, NULL);
    _exit(3); /* the ping never returns: getting here is a failure */
  }
  close(fds[1]);
  n = read(fds[0], &byte, 1);
  close(fds[0]);
  /* app's container is made while db is being set up, on another thread: the
   * kill comes once it exists, so what the kill leaves is always the same. */
  if (n == 1) wait_for_app(f->name);
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  assert_int_equal(n, 1);
  assert_true(WIFSIGNALED(status));

  /* Left by the kill: db, being pinged, under its setup name; app, which
   * has no hook after its start, under its final name but never started
   * ("created"), which is not taken for set up either. */
  snprintf(
      command, sizeof command,
      "docker ps -a --filter label=io.drillmaster.group=%s --format '{{.Names}} {{.State}}' | sort",
      f->name);
  output_of(command, names, sizeof names);
  snprintf(expected, sizeof expected, "%s-app-1 created\n%s-db-1.setup running", f->name, f->name);
  assert_string_equal(names, expected);

  {
    struct run r = {0, -1, f->init_log};
    dm_client* client = NULL;
    dm_group* group = define(f->name, &r);
    dm_result* result = NULL;
    dm_report* report = NULL;
    assert_non_null(group);
    assert_int_equal(dm_client_open(&client, NULL), DM_OK);
    assert_int_equal(dm_group_start(&result, group, client, NULL), DM_OK);
    assert_int_equal(dm_result_outcome(result, 0), DM_OUTCOME_STARTED);
    assert_int_equal(dm_result_outcome(result, 1), DM_OUTCOME_STARTED);

    /* One init, for the container that serves now. */
    snprintf(command, sizeof command, "cat %s", f->init_log);
    output_of(command, log, sizeof log);
    assert_string_equal(log, dm_result_container_id(result, 0));

    snprintf(command, sizeof command,
             "docker ps -a --filter label=io.drillmaster.group=%s --filter status=running "
             "--format '{{.Names}}' | sort",
             f->name);
    output_of(command, names, sizeof names);
    snprintf(expected, sizeof expected, "%s-app-1\n%s-db-1", f->name, f->name);
    assert_string_equal(names, expected);
    snprintf(command, sizeof command,
             "docker ps -aq --filter label=io.drillmaster.group=%s | wc -l", f->name);
    output_of(command, names, sizeof names);
    assert_string_equal(names, "2");

    assert_int_equal(dm_group_status(&report, group, client), DM_OK);
    snprintf(expected, sizeof expected, "%s-db-1", f->name);
    assert_string_equal(dm_report_container_name(report, 0), expected);
    dm_report_free(report);
    dm_result_free(result);
    dm_group_free(group);
    dm_client_free(client);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_start_killed_during_ping_is_finished_by_the_next_start,
                                      setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
