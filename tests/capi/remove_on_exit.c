/*
 * Removal on exit (dm_start_options.remove_on_exit), from C through the
 * shared library, against the real engine: a host program starts a group
 * with it and then dies (kill -9 while its services run or in the middle of
 * its start, a plain exit, a signal to its whole process group), and the
 * engine must end up holding nothing labelled with the group; a program that
 * keeps the group, or stopped it with remove before another program started
 * the same name, must find the containers still there. Each host program is
 * a forked child with its own client; drillmaster-reaper is found beside
 * the library, as an installed program finds it. A test waits for the
 * group's reaper process to end before it judges what is left, so the
 * verdict comes after the reaper's last sweep.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

static const char* const sleeper[] = {"sh", "-c", "trap 'exit 0' TERM; sleep 1000 & wait"};

/* The design says ten seconds from a kill to an empty engine (sweeps at 0,
 * 2 and 6 s); the tests allow three times that on a loaded machine. */
#define REAP_DEADLINE_SECONDS 30.0
/* Anything else a test waits for (a start, a process's exit). */
#define PATIENCE_SECONDS 120.0

struct fixture {
  char name[64];
};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void pause_briefly(void) { usleep(20 * 1000); }

/* ---- what the engine holds ---- */

static int count_lines(const char* command) {
  FILE* p = popen(command, "r");
  int lines = 0;
  char buffer[512];
  if (p == NULL) return -1;
  while (fgets(buffer, sizeof buffer, p)) lines++;
  pclose(p);
  return lines;
}

static int containers_of(const char* group, const char* status) {
  char command[512];
  snprintf(command, sizeof command, "docker ps -aq --filter label=io.drillmaster.group=%s%s%s",
           group, status ? " --filter status=" : "", status ? status : "");
  return count_lines(command);
}

static int networks_of(const char* group) {
  char command[512];
  snprintf(command, sizeof command, "docker network ls -q --filter label=io.drillmaster.group=%s",
           group);
  return count_lines(command);
}

/* The ids of the group's containers, sorted, one per line. */
static void container_ids(const char* group, char* out, size_t size) {
  char command[512];
  snprintf(command, sizeof command,
           "docker ps -aq --no-trunc --filter label=io.drillmaster.group=%s | sort", group);
  FILE* p = popen(command, "r");
  size_t n = 0;
  out[0] = '\0';
  if (p == NULL) return;
  n = fread(out, 1, size - 1, p);
  out[n] = '\0';
  pclose(p);
}

/* ---- the group's reaper, found by its command line ---- */

/* Whether process `pid` is a drillmaster-reaper for `group`. */
static int is_reaper_of(const char* pid, const char* group) {
  char path[64], cmdline[4096];
  snprintf(path, sizeof path, "/proc/%s/cmdline", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, cmdline, sizeof cmdline - 1);
  close(fd);
  if (n <= 0) return 0;
  cmdline[n] = '\0';
  if (strcmp(cmdline, "drillmaster-reaper") != 0) return 0;
  for (ssize_t i = 0; i + 8 < n; i++) /* "--group\0<group>\0" */
    if (memcmp(cmdline + i, "--group", 8) == 0 && strcmp(cmdline + i + 8, group) == 0) return 1;
  return 0;
}

/* The pid of the group's reaper, or 0 when none runs. */
static pid_t reaper_of(const char* group) {
  DIR* proc = opendir("/proc");
  struct dirent* entry;
  pid_t found = 0;
  if (proc == NULL) return 0;
  while (!found && (entry = readdir(proc)) != NULL)
    if (entry->d_name[0] >= '1' && entry->d_name[0] <= '9' && is_reaper_of(entry->d_name, group))
      found = (pid_t)atoi(entry->d_name);
  closedir(proc);
  return found;
}

/* The reaper's process name: what it is doing (src/reaper/reaper.h). */
static void phase_of(pid_t pid, char* out, size_t size) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
  FILE* f = fopen(path, "re");
  out[0] = '\0';
  if (f == NULL) return;
  if (fgets(out, (int)size, f) == NULL) out[0] = '\0';
  fclose(f);
  out[strcspn(out, "\n")] = '\0';
}

static void wait_for_phase(pid_t reaper, const char* phase) {
  char seen[32] = "";
  double give_up = now() + PATIENCE_SECONDS;
  while (now() < give_up) {
    phase_of(reaper, seen, sizeof seen);
    if (strcmp(seen, phase) == 0) return;
    pause_briefly();
  }
  fail_msg("reaper %d never showed '%s' (last: '%s')", (int)reaper, phase, seen);
}

/* Waits for the group's reaper to end; returns the seconds it took. */
static double wait_for_no_reaper(const char* group, double deadline) {
  double began = now();
  while (reaper_of(group) != 0) {
    if (now() - began > deadline)
      fail_msg("the reaper of %s still runs after %.0f s", group, deadline);
    pause_briefly();
  }
  return now() - began;
}

/* Waits for the reaper to finish, then: nothing of the group is left. The
 * owner is gone already (or, with watch_pid, the watched process). */
static void assert_reaped(const char* group) {
  double began = now(), emptied = -1;
  while (reaper_of(group) != 0) {
    if (emptied < 0 && containers_of(group, NULL) == 0 && networks_of(group) == 0)
      emptied = now() - began;
    if (now() - began > REAP_DEADLINE_SECONDS)
      fail_msg("the reaper of %s still runs after %.0f s", group, REAP_DEADLINE_SECONDS);
    pause_briefly();
  }
  int containers = containers_of(group, NULL);
  int networks = networks_of(group);
  if (containers != 0 || networks != 0)
    fail_msg("%d container(s) and %d network(s) of %s left after its reaper ended", containers,
             networks, group);
  printf("  %s: empty %.1f s after its owner's end, reaper done after %.1f s\n", group,
         emptied < 0 ? now() - began : emptied, now() - began);
}

/* ---- host programs ---- */

static dm_group* define(const char* name, dm_ping_fn ping, void* user_data) {
  dm_group* group = NULL;
  dm_service *db = NULL, *app = NULL;
  if (dm_group_new(&group, name) != DM_OK) return NULL;
  dm_group_add_service(&db, group, "db", DM_TEST_IMAGE);
  dm_service_set_cmd(db, sleeper, 3);
  if (ping) dm_service_set_ping(db, ping, user_data);
  dm_group_add_service(&app, group, "app", DM_TEST_IMAGE);
  dm_service_set_cmd(app, sleeper, 3);
  dm_service_add_dependency(app, "db");
  return group;
}

/* What a forked host program does once its start has returned. */
enum after_start {
  HANG,                 /* say "r" on the pipe, then wait to be killed */
  EXIT,                 /* exit at once */
  KEEP_AND_EXIT,        /* dm_group_keep_on_exit() through another handle, then exit */
  REMOVE_AND_WAIT,      /* stop --remove, say "r", exit once the pipe closes */
  FORK_AND_HANG,        /* fork a child that lives until the pipe closes, then as HANG */
  START_AGAIN_AND_HANG, /* say "r", start again once the pipe says so, then as HANG */
};

struct host {
  const char* group;
  long watch_pid;
  int own_process_group; /* setpgid(0, 0) first, as a test runner does */
  int block_in_ping;     /* the start never ends: say "p" from db's ping, then hang */
  enum after_start after;
  int to_parent;   /* write end */
  int from_parent; /* read end, for REMOVE_AND_WAIT */
};

static int blocking_ping(const dm_hook_info* info, void* user_data) {
  const struct host* h = user_data;
  (void)info;
  (void)!write(h->to_parent, "p", 1);
  for (;;) pause();
  return DM_PING_READY;
}

static int stop_removing(dm_client* client, const char* name) {
  dm_group* group = define(name, NULL, NULL);
  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  dm_result* result = NULL;
  stop.remove = 1;
  stop.timeout = 2;
  int rc = dm_group_stop(&result, group, client, &stop);
  dm_result_free(result);
  dm_group_free(group);
  return rc;
}

static void start_removing_on_exit(const struct host* h, dm_client* client);

static void after_the_start(const struct host* h, dm_client* client) {
  char byte;
  switch (h->after) {
    case HANG:
      (void)!write(h->to_parent, "r", 1);
      for (;;) pause();
    case EXIT:
      _exit(0);
    case KEEP_AND_EXIT: {
      dm_group* other = NULL; /* any handle of the name will do */
      if (dm_group_new(&other, h->group) != DM_OK || dm_group_keep_on_exit(other) != DM_OK)
        _exit(5);
      _exit(0);
    }
    case FORK_AND_HANG: {
      pid_t child = fork();
      if (child == 0) {
        while (read(h->from_parent, &byte, 1) > 0) {
        }
        _exit(0);
      }
      (void)!write(h->to_parent, "r", 1);
      (void)!write(h->to_parent, &child, sizeof child);
      for (;;) pause();
    }
    case START_AGAIN_AND_HANG:
      (void)!write(h->to_parent, "r", 1);
      if (read(h->from_parent, &byte, 1) != 1) _exit(7);
      start_removing_on_exit(h, client);
      (void)!write(h->to_parent, "r", 1);
      for (;;) pause();
    case REMOVE_AND_WAIT:
      if (stop_removing(client, h->group) != DM_OK) _exit(6);
      (void)!write(h->to_parent, "r", 1);
      while (read(h->from_parent, &byte, 1) > 0) {
      }
      _exit(0);
  }
}

/* The host's start, with removal on exit; exits the host when it fails. */
static void start_removing_on_exit(const struct host* h, dm_client* client) {
  dm_group* group = define(h->group, h->block_in_ping ? blocking_ping : NULL, (void*)h);
  dm_result* result = NULL;
  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.remove_on_exit = 1;
  opts.watch_pid = h->watch_pid;
  opts.timeout = 60;
  if (!group || dm_group_start(&result, group, client, &opts) != DM_OK) {
    fprintf(stderr, "host: start failed: %s\n", dm_error_last());
    _exit(3);
  }
  dm_result_free(result);
  dm_group_free(group);
}

static void run_host(const struct host* h) {
  dm_client* client = NULL;
  if (h->own_process_group) setpgid(0, 0);
  if (dm_client_open(&client, NULL) != DM_OK) _exit(2);
  start_removing_on_exit(h, client);
  after_the_start(h, client);
  _exit(4);
}

/* Forks a host program; *to_host (when not NULL) gets a pipe it reads
 * (REMOVE_AND_WAIT), its end of which the child keeps. */
static pid_t fork_host(struct host* h, int* from_host, int* to_host) {
  int up[2], down[2] = {-1, -1};
  assert_int_equal(pipe(up), 0);
  if (to_host) assert_int_equal(pipe(down), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(up[0]);
    if (to_host) close(down[1]);
    h->to_parent = up[1];
    h->from_parent = down[0];
    run_host(h);
  }
  close(up[1]);
  if (to_host) {
    close(down[0]);
    *to_host = down[1];
  }
  *from_host = up[0];
  return pid;
}

/* The next byte the host says: 'r' (started), 'p' (pinging); -1 at its end. */
static int heard_from(int fd) {
  char byte;
  return read(fd, &byte, 1) == 1 ? byte : -1;
}

static int exit_status(pid_t pid) {
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

/* A process that lives until its pipe closes: what watch_pid watches. */
static pid_t fork_watched(int* release) {
  int fds[2];
  char byte;
  assert_int_equal(pipe(fds), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    close(fds[1]);
    while (read(fds[0], &byte, 1) > 0) {
    }
    _exit(0);
  }
  close(fds[0]);
  *release = fds[1];
  return pid;
}

/* ---- fixture ---- */

static int setup(void** state) {
  struct fixture* f = calloc(1, sizeof *f);
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  snprintf(f->name, sizeof f->name, "dmt-reap-%d-%04x", (int)getpid(), rand() & 0xffff);
  *state = f;
  return 0;
}

/* Removes whatever a test left (through the library), and refuses a
 * teardown that finds a reaper of the group still running. */
static int teardown(void** state) {
  struct fixture* f = *state;
  dm_client* client = NULL;
  int rc = -1;
  pid_t reaper = reaper_of(f->name);
  if (dm_client_open(&client, NULL) == DM_OK) rc = stop_removing(client, f->name);
  dm_client_free(client);
  int left = containers_of(f->name, NULL) + networks_of(f->name);
  if (reaper != 0) kill(reaper, SIGTERM);
  if (rc != DM_OK || left != 0 || reaper != 0) {
    fprintf(stderr, "teardown of %s: stop rc %d, %d left, reaper %d\n", f->name, rc, left,
            (int)reaper);
    free(f);
    return -1;
  }
  free(f);
  return 0;
}

/* ---- tests ---- */

static void a_kill_9_while_the_services_run_leaves_nothing(void** state) {
  struct fixture* f = *state;
  struct host h = {f->name, 0, 0, 0, HANG, -1, -1};
  int from_host;
  pid_t pid = fork_host(&h, &from_host, NULL);
  assert_int_equal(heard_from(from_host), 'r');
  assert_int_equal(containers_of(f->name, "running"), 2);
  assert_int_equal(networks_of(f->name), 1);
  assert_true(reaper_of(f->name) != 0);
  kill(pid, SIGKILL);
  assert_int_equal(exit_status(pid), 1000 + SIGKILL);
  close(from_host);
  assert_reaped(f->name);
}

static void a_kill_9_in_the_middle_of_a_start_leaves_nothing(void** state) {
  struct fixture* f = *state;
  struct host h = {f->name, 0, 0, 1, HANG, -1, -1};
  int from_host;
  pid_t pid = fork_host(&h, &from_host, NULL);
  assert_int_equal(heard_from(from_host), 'p');
  /* app's container is created while db is pinged: the kill comes once it
   * exists, so the start is cut between a create and a start. */
  double give_up = now() + PATIENCE_SECONDS;
  while (containers_of(f->name, NULL) < 2 && now() < give_up) pause_briefly();
  assert_int_equal(containers_of(f->name, NULL), 2);
  kill(pid, SIGKILL);
  assert_int_equal(exit_status(pid), 1000 + SIGKILL);
  close(from_host);
  assert_reaped(f->name);
}

static void a_plain_exit_without_a_stop_removes_the_group(void** state) {
  struct fixture* f = *state;
  struct host h = {f->name, 0, 0, 0, EXIT, -1, -1};
  int from_host;
  pid_t pid = fork_host(&h, &from_host, NULL);
  assert_int_equal(exit_status(pid), 0);
  close(from_host);
  assert_reaped(f->name);
}

static void keep_on_exit_leaves_the_containers_running(void** state) {
  struct fixture* f = *state;
  struct host h = {f->name, 0, 0, 0, KEEP_AND_EXIT, -1, -1};
  int from_host;
  pid_t pid = fork_host(&h, &from_host, NULL);
  assert_int_equal(exit_status(pid), 0);
  close(from_host);
  /* Told to keep, the reaper ends without touching anything. */
  wait_for_no_reaper(f->name, PATIENCE_SECONDS);
  assert_int_equal(containers_of(f->name, "running"), 2);
  assert_int_equal(networks_of(f->name), 1);
}

/* Host A stops its group with remove, then host B starts a group of the
 * same name (without removal on exit) and exits; A's exit must not touch
 * B's containers. */
static void a_stop_with_remove_releases_the_group(void** state) {
  struct fixture* f = *state;
  struct host a = {f->name, 0, 0, 0, REMOVE_AND_WAIT, -1, -1};
  int from_a, to_a;
  char before[1024], after[1024];
  pid_t pid_a = fork_host(&a, &from_a, &to_a);
  assert_int_equal(heard_from(from_a), 'r');
  assert_int_equal(containers_of(f->name, NULL), 0);
  /* B: a plain start in a process of its own, left running. */
  pid_t pid_b = fork();
  assert_true(pid_b >= 0);
  if (pid_b == 0) {
    dm_client* client = NULL;
    dm_group* group = define(f->name, NULL, NULL);
    dm_result* result = NULL;
    if (dm_client_open(&client, NULL) != DM_OK) _exit(2);
    _exit(dm_group_start(&result, group, client, NULL) == DM_OK ? 0 : 3);
  }
  assert_int_equal(exit_status(pid_b), 0);
  container_ids(f->name, before, sizeof before);
  assert_int_equal(containers_of(f->name, "running"), 2);
  close(to_a); /* A exits */
  assert_int_equal(exit_status(pid_a), 0);
  close(from_a);
  wait_for_no_reaper(f->name, PATIENCE_SECONDS);
  container_ids(f->name, after, sizeof after);
  assert_string_equal(after, before);
  assert_int_equal(containers_of(f->name, "running"), 2);
}

/* A child the host forked (a worker pool, say) outlives a kill -9 of the
 * host; the removal follows the host alone and does not wait for it. */
static void a_child_the_host_forked_does_not_hold_the_removal_back(void** state) {
  struct fixture* f = *state;
  struct host h = {f->name, 0, 0, 0, FORK_AND_HANG, -1, -1};
  int from_host, to_host;
  pid_t pid = fork_host(&h, &from_host, &to_host);
  pid_t forked = 0;
  assert_int_equal(heard_from(from_host), 'r');
  assert_int_equal(read(from_host, &forked, sizeof forked), (ssize_t)sizeof forked);
  kill(pid, SIGKILL);
  assert_int_equal(exit_status(pid), 1000 + SIGKILL);
  assert_reaped(f->name);
  assert_int_equal(kill(forked, 0), 0); /* it still runs */
  close(to_host);                       /* and now ends */
  close(from_host);
}

/* Someone kills the reaper; the next start of the group in the host sees it
 * is gone and starts a new one, which does the job. */
static void a_reaper_that_died_is_replaced_by_the_next_start(void** state) {
  struct fixture* f = *state;
  struct host h = {f->name, 0, 0, 0, START_AGAIN_AND_HANG, -1, -1};
  int from_host, to_host;
  pid_t pid = fork_host(&h, &from_host, &to_host);
  assert_int_equal(heard_from(from_host), 'r');
  pid_t first = reaper_of(f->name);
  assert_true(first != 0);
  assert_int_equal(kill(first, SIGTERM), 0);
  wait_for_no_reaper(f->name, PATIENCE_SECONDS);
  assert_int_equal(containers_of(f->name, "running"), 2); /* a SIGTERM removes nothing */
  assert_int_equal(write(to_host, "s", 1), 1);
  assert_int_equal(heard_from(from_host), 'r');
  pid_t second = reaper_of(f->name);
  assert_true(second != 0 && second != first);
  kill(pid, SIGKILL);
  assert_int_equal(exit_status(pid), 1000 + SIGKILL);
  close(to_host);
  close(from_host);
  assert_reaped(f->name);
}

/* watch_pid: the starting process exits, the group stays while the watched
 * process lives, and goes once it has exited. */
static void the_group_stays_while_the_watched_process_lives(void** state) {
  struct fixture* f = *state;
  int release, from_host;
  pid_t watched = fork_watched(&release);
  struct host h = {f->name, (long)watched, 0, 0, EXIT, -1, -1};
  pid_t pid = fork_host(&h, &from_host, NULL);
  assert_int_equal(exit_status(pid), 0);
  close(from_host);
  pid_t reaper = reaper_of(f->name);
  assert_true(reaper != 0);
  /* The reaper has seen its owner go and now waits for the watched one. */
  wait_for_phase(reaper, "dm-reaper-watch");
  assert_int_equal(containers_of(f->name, "running"), 2);
  assert_int_equal(networks_of(f->name), 1);
  close(release);
  assert_int_equal(exit_status(watched), 0);
  assert_reaped(f->name);
}

/* A Ctrl-C and a kill -9 sent to the host's whole process group (as a test
 * runner's would be) do not reach the reaper: it outlives them, waiting for
 * the watched process, and removes the group when that one exits. */
static void signals_to_the_hosts_process_group_spare_the_reaper(void** state) {
  struct fixture* f = *state;
  int release, from_host;
  pid_t watched = fork_watched(&release);
  struct host h = {f->name, (long)watched, 1, 0, HANG, -1, -1};
  pid_t pid = fork_host(&h, &from_host, NULL);
  assert_int_equal(heard_from(from_host), 'r');
  pid_t reaper = reaper_of(f->name);
  assert_true(reaper != 0);
  assert_int_equal(kill(-pid, SIGINT), 0);
  (void)kill(-pid, SIGKILL); /* ESRCH when the SIGINT ended it already */
  exit_status(pid);
  close(from_host);
  wait_for_phase(reaper, "dm-reaper-watch");
  assert_int_equal(kill(reaper, 0), 0);
  assert_int_equal(containers_of(f->name, "running"), 2);
  close(release);
  assert_int_equal(exit_status(watched), 0);
  assert_reaped(f->name);
}

static void set_reaper_variable(const char* value) {
  if (value)
    setenv("DRILLMASTER_REAPER", value, 1);
  else
    unsetenv("DRILLMASTER_REAPER");
}

/* Without its reaper the start refuses before it touches the engine, and
 * says where it looked and what to do. */
static void a_missing_reaper_fails_the_start_before_anything_is_made(void** state) {
  struct fixture* f = *state;
  const char* nowhere = "/nonexistent/drillmaster/drillmaster-reaper";
  dm_client* client = NULL;
  dm_group* group = define(f->name, NULL, NULL);
  dm_result* result = (dm_result*)1;
  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.remove_on_exit = 1;
  assert_int_equal(dm_client_open(&client, NULL), DM_OK);
  set_reaper_variable(nowhere);
  int rc = dm_group_start(&result, group, client, &opts);
  set_reaper_variable(NULL);
  assert_int_equal(rc, DM_EINVALID);
  assert_null(result);
  assert_non_null(strstr(dm_error_last(), nowhere));
  assert_non_null(strstr(dm_error_last(), "DRILLMASTER_REAPER"));
  assert_int_equal(containers_of(f->name, NULL), 0);
  assert_int_equal(networks_of(f->name), 0);

  set_reaper_variable("drillmaster-reaper"); /* not an absolute path */
  rc = dm_group_start(&result, group, client, &opts);
  set_reaper_variable(NULL);
  assert_int_equal(rc, DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "not an absolute path"));
  assert_int_equal(networks_of(f->name), 0);
  dm_group_free(group);
  dm_client_free(client);
}

/* A drillmaster-reaper that does not understand what the library tells it
 * (one of another version) fails the start before anything is made. */
static void a_reaper_of_another_version_fails_the_start(void** state) {
  struct fixture* f = *state;
  char script[] = "/tmp/dmt-old-reaper-XXXXXX";
  int fd = mkstemp(script);
  assert_true(fd >= 0);
  const char* body = "#!/bin/sh\nexit 2\n";
  assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
  close(fd);
  chmod(script, 0755);
  dm_client* client = NULL;
  dm_group* group = define(f->name, NULL, NULL);
  dm_result* result = NULL;
  dm_start_options opts = DM_START_OPTIONS_INIT;
  opts.remove_on_exit = 1;
  assert_int_equal(dm_client_open(&client, NULL), DM_OK);
  set_reaper_variable(script);
  int rc = dm_group_start(&result, group, client, &opts);
  set_reaper_variable(NULL);
  unlink(script);
  assert_int_equal(rc, DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), script));
  assert_non_null(strstr(dm_error_last(), "another drillmaster version"));
  assert_int_equal(containers_of(f->name, NULL), 0);
  assert_int_equal(networks_of(f->name), 0);
  dm_group_free(group);
  dm_client_free(client);
}

/* A watch_pid that names no process would remove the group at once: refused. */
static void a_watch_pid_of_no_process_is_refused(void** state) {
  struct fixture* f = *state;
  dm_client* client = NULL;
  dm_group* group = define(f->name, NULL, NULL);
  dm_result* result = NULL;
  dm_start_options opts = DM_START_OPTIONS_INIT;
  pid_t gone = fork();
  assert_true(gone >= 0);
  if (gone == 0) _exit(0);
  assert_int_equal(exit_status(gone), 0);
  opts.remove_on_exit = 1;
  opts.watch_pid = gone;
  assert_int_equal(dm_client_open(&client, NULL), DM_OK);
  assert_int_equal(dm_group_start(&result, group, client, &opts), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "no such process"));
  opts.watch_pid = -3;
  assert_int_equal(dm_group_start(&result, group, client, &opts), DM_EINVALID);
  assert_non_null(strstr(dm_error_last(), "watch_pid -3 is not a process id"));
  assert_int_equal(networks_of(f->name), 0);
  assert_int_equal(dm_group_keep_on_exit(NULL), DM_EINVALID);
  assert_int_equal(dm_group_keep_on_exit(group), DM_OK); /* nothing registered: fine */
  dm_group_free(group);
  dm_client_free(client);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(a_kill_9_while_the_services_run_leaves_nothing, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_kill_9_in_the_middle_of_a_start_leaves_nothing, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_plain_exit_without_a_stop_removes_the_group, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(keep_on_exit_leaves_the_containers_running, setup, teardown),
      cmocka_unit_test_setup_teardown(a_stop_with_remove_releases_the_group, setup, teardown),
      cmocka_unit_test_setup_teardown(a_child_the_host_forked_does_not_hold_the_removal_back, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_reaper_that_died_is_replaced_by_the_next_start, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(the_group_stays_while_the_watched_process_lives, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(signals_to_the_hosts_process_group_spare_the_reaper, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(a_missing_reaper_fails_the_start_before_anything_is_made,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(a_reaper_of_another_version_fails_the_start, setup, teardown),
      cmocka_unit_test_setup_teardown(a_watch_pid_of_no_process_is_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
