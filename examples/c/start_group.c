/*
 * Starts a group of two services on IMAGE, `db` running sleep and `app`
 * depending on it, with a readiness check written in C; prints what happened,
 * then stops the group and removes everything it made.
 *
 *   cc start_group.c $(pkg-config --cflags --libs drillmaster) -o start_group
 *   ./start_group drillmaster-test/busybox:latest [GROUP]
 *
 * SIGINT (Ctrl-C), SIGTERM and SIGHUP are handled as the drillmaster command
 * line handles them: the first one cancels the operation under way with
 * dm_group_cancel() (async-signal-safe), the program prints what was and was
 * not done and exits 128 + the signal number (130, 143, 129); a second one
 * exits at once.
 *
 * Exit status 0 only when both services ran and nothing was left behind.
 */
#define _POSIX_C_SOURCE 200809L

#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <drillmaster/drillmaster.h>

/* What the signal handler needs: the group whose operation it cancels (set
 * once, before the handlers are installed) and the signal it caught. */
static dm_group* group;
static volatile sig_atomic_t caught;

static void on_signal(int sig) {
  if (caught) _exit(128 + sig); /* the second signal: give up at once */
  caught = sig;
  dm_group_cancel(group); /* one atomic store: safe in a signal handler */
}

static void handle_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = SA_RESTART; /* the library's threads may take the signal too */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* Counts the calls of the ping hook; says "ready" on the second one. It runs
 * on a worker thread. A ping under way when the start is cancelled is
 * abandoned and may still run after dm_group_start() returns, so the counter
 * lives as long as the process and is read and written atomically. */
static atomic_int ping_calls;

static int ping_db(const dm_hook_info* info, void* user_data) {
  atomic_int* calls = user_data;
  (void)info;
  return atomic_fetch_add(calls, 1) + 1 >= 2 ? DM_PING_READY : DM_PING_NOT_READY;
}

/* Event callbacks are never called twice at once: no lock needed. */
static void print_event(const dm_event* event, void* user_data) {
  int* count = user_data;
  (*count)++;
  printf("  event %-12s %-10s %s\n", event->service ? event->service : "(group)",
         dm_phase_name(event->phase), event->message);
}

static int check(int rc, const char* what) {
  if (rc != DM_OK && rc != DM_EFAILED && rc != DM_ECANCELLED)
    fprintf(stderr, "%s: %s (%s)\n", what, dm_error_last(), dm_status_name(rc));
  return rc;
}

static void print_result(const dm_result* result) {
  for (size_t i = 0; i < dm_result_count(result); i++) {
    printf("  %-4s %s%s%s\n", dm_result_service(result, i),
           dm_outcome_name(dm_result_outcome(result, i)), *dm_result_reason(result, i) ? ": " : "",
           dm_result_reason(result, i));
  }
}

/* After a signal: the result says what was not done (services "cancelled");
 * whatever did start is left as it is, as the command line leaves it. */
static int interrupted(void) {
  printf(
      "interrupted by signal %d: services marked cancelled were not started; "
      "run again to finish, or stop the group\n",
      (int)caught);
  return 128 + caught;
}

int main(int argc, char** argv) {
  const char* image = argc > 1 ? argv[1] : "drillmaster-test/busybox:latest";
  const char* name = argc > 2 ? argv[2] : "example-c";
  const char* sleep_cmd[] = {"sh", "-c", "trap 'exit 0' TERM; sleep 2147483647 & wait"};
  dm_client* client = NULL;
  dm_service *db = NULL, *app = NULL;
  dm_result* result = NULL;
  int events = 0, ok = 0, status = 1, rc;

  setvbuf(stdout, NULL, _IOLBF, 0); /* progress appears as it happens */
  if (check(dm_client_open(&client, NULL), "connecting") != DM_OK) return 1;
  if (check(dm_group_new(&group, name), "group") != DM_OK) goto out;
  handle_signals();
  dm_group_add_service(&db, group, "db", image);
  dm_service_set_cmd(db, sleep_cmd, 3);
  dm_service_set_ping(db, ping_db, &ping_calls);
  dm_group_add_service(&app, group, "app", image);
  dm_service_set_cmd(app, sleep_cmd, 3);
  dm_service_add_dependency(app, "db");

  dm_start_options start = DM_START_OPTIONS_INIT;
  start.timeout = 30;
  start.on_event = print_event;
  start.event_user_data = &events;
  printf("starting:\n");
  rc = check(dm_group_start(&result, group, client, &start), "start");
  if (result) {
    print_result(result);
    ok = rc == DM_OK && dm_result_outcome(result, 0) == DM_OUTCOME_STARTED &&
         dm_result_outcome(result, 1) == DM_OUTCOME_STARTED;
  }
  dm_result_free(result);
  result = NULL;
  printf("ping called %d times, %d events\n", atomic_load(&ping_calls), events);
  /* Checked after each operation, not only on DM_ECANCELLED: a signal that
   * came just before the start began was cleared by it. */
  if (caught) {
    status = interrupted();
    goto out;
  }

  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  stop.remove = 1;
  stop.timeout = 5;
  printf("stopping:\n");
  rc = check(dm_group_stop(&result, group, client, &stop), "stop");
  if (result) print_result(result);
  ok = ok && rc == DM_OK;
  dm_result_free(result);
  if (caught) {
    status = interrupted();
    goto out;
  }

  /* Nothing may be left: the status must show every service missing. */
  dm_report* report = NULL;
  if (check(dm_group_status(&report, group, client), "status") == DM_OK) {
    for (size_t i = 0; i < dm_report_count(report); i++)
      ok = ok && strcmp(dm_report_state(report, i), "missing") == 0;
  } else {
    ok = 0;
  }
  dm_report_free(report);
  printf(ok ? "ok: both services ran, nothing left behind\n" : "FAILED\n");
  status = ok ? 0 : 1;
out:
  /* The handlers go before the group they cancel. */
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
  dm_group_free(group);
  dm_client_free(client);
  return status;
}
