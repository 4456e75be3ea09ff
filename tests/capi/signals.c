/*
 * A host program that handles signals as group.h describes (a sigaction
 * handler that calls dm_group_cancel()): examples/c/start_group, run as a
 * user runs it, gets SIGTERM, SIGHUP or SIGINT while it starts its group and
 * must say so and exit 128 + the signal number. Afterwards the group is
 * removed through the library and the engine must hold nothing of it.
 */
#define _POSIX_C_SOURCE 200809L

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

static int count_lines(const char* command) {
  FILE* p = popen(command, "r");
  if (p == NULL) return -1;
  int lines = 0;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, p)) lines++;
  pclose(p);
  return lines;
}

/* Removes the group through the library; how many containers and networks
 * the engine still has for it afterwards. */
static int left_after_removing(const char* name) {
  dm_client* client = NULL;
  dm_group* group = NULL;
  dm_result* result = NULL;
  assert_int_equal(dm_client_open(&client, NULL), DM_OK);
  assert_int_equal(dm_group_new(&group, name), DM_OK);
  dm_service* s = NULL;
  dm_group_add_service(&s, group, "db", DM_TEST_IMAGE);
  dm_group_add_service(&s, group, "app", DM_TEST_IMAGE);
  dm_stop_options stop = DM_STOP_OPTIONS_INIT;
  stop.remove = 1;
  stop.timeout = 5;
  assert_int_equal(dm_group_stop(&result, group, client, &stop), DM_OK);
  dm_result_free(result);
  dm_group_free(group);
  dm_client_free(client);
  char command[256];
  snprintf(command, sizeof command,
           "docker ps -aq --filter label=io.drillmaster.group=%s; "
           "docker network ls -q --filter label=io.drillmaster.group=%s",
           name, name);
  return count_lines(command);
}

/* Runs the example, sends `sig` once it pings its first service, and returns
 * its exit status; its output goes to `output`. */
static int run_example_interrupted(const char* name, int sig, char* output, size_t size) {
#ifdef DM_EXAMPLE_START_GROUP
  int out[2];
  assert_int_equal(pipe(out), 0);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    execl(DM_EXAMPLE_START_GROUP, "start_group", DM_TEST_IMAGE, name, (char*)NULL);
    _exit(127);
  }
  close(out[1]);
  FILE* from = fdopen(out[0], "r");
  size_t used = 0;
  int sent = 0;
  char line[1024];
  output[0] = '\0';
  while (fgets(line, sizeof line, from)) {
    if (used + strlen(line) < size) {
      memcpy(output + used, line, strlen(line) + 1);
      used += strlen(line);
    }
    if (!sent && strstr(line, " pinging ")) {
      kill(pid, sig);
      sent = 1;
    }
  }
  fclose(from);
  int status = 0;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  if (!sent) fprintf(stderr, "the example never pinged; its output:\n%s", output);
  assert_true(sent);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
#else
  (void)name, (void)sig, (void)output, (void)size;
  return -1;
#endif
}

static void each_signal_cancels_and_exits_128_plus_it(void** state) {
  (void)state;
#ifndef DM_EXAMPLE_START_GROUP
  skip();
#endif
  const int signals[] = {SIGTERM, SIGHUP, SIGINT};
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    char name[64], output[16384], expected[64];
    srand((unsigned)time(NULL) ^ (unsigned)getpid() ^ (unsigned)i);
    snprintf(name, sizeof name, "dmt-signals-%d-%04x", (int)getpid(), rand() & 0xffff);
    int status = run_example_interrupted(name, signals[i], output, sizeof output);
    if (status != 128 + signals[i]) fprintf(stderr, "output:\n%s", output);
    assert_int_equal(status, 128 + signals[i]);
    snprintf(expected, sizeof expected, "interrupted by signal %d:", signals[i]);
    assert_non_null(strstr(output, expected));
    /* It stopped where it was told to: never reached its own stop. */
    assert_null(strstr(output, "stopping:"));
    assert_int_equal(left_after_removing(name), 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_signal_cancels_and_exits_128_plus_it),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
