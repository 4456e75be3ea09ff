/*
 * drillmaster/exec.h: commands in a service's running container (exec), from
 * a hook or from outside, and one-off containers of a service (run).
 *
 * Output: a command's stdout and stderr stay apart. Without an on_output
 * callback they are collected into the dm_exec_result; with one they are
 * passed to it as they come, on the thread that called the exec, and the
 * result's outputs stay empty.
 *
 * Since 0.2.
 */
#ifndef DRILLMASTER_EXEC_H
#define DRILLMASTER_EXEC_H

#include "client.h"
#include "common.h"
#include "group.h"
#include "service.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which output a chunk is. */
#define DM_OUTPUT_STDOUT 1
#define DM_OUTPUT_STDERR 2

/* Receives a chunk of a command's output (`stream` DM_OUTPUT_STDOUT or
 * DM_OUTPUT_STDERR; with a TTY all of it is stdout). Return 0 to go on,
 * non-zero to stop reading (the command goes on running). */
typedef int (*dm_output_fn)(int stream, const char* data, size_t size, void* user_data);

/* How to run a command in a container. Initialise with DM_EXEC_OPTIONS_INIT
 * or dm_exec_options_init().
 *   timeout      seconds the command may run; 0: no limit. Past it the exec
 *                returns DM_ETIMEOUT (the engine cannot stop a command it
 *                runs: it may go on in the container).
 *   user         "name", "uid" or "uid:gid"; NULL: the container's user.
 *   working_dir  NULL: the container's.
 *   stdin_fd     a descriptor copied to the command's stdin until its end;
 *                -1: no stdin.
 *   tty          non-zero: the command gets a TTY (its output all stdout);
 *                when stdin_fd is a terminal, the TTY follows its size.
 *   on_output, output_user_data: see the top of this file; NULL: collect. */
typedef struct dm_exec_options {
  unsigned int version;
  double timeout;
  const char* user;
  const char* working_dir;
  int stdin_fd;
  int tty;
  dm_output_fn on_output;
  void* output_user_data;
} dm_exec_options;

#define DM_EXEC_OPTIONS_VERSION 1
#define DM_EXEC_OPTIONS_INIT \
  { DM_EXEC_OPTIONS_VERSION, 0, NULL, NULL, -1, 0, NULL, NULL }

/* Fills *opts with the defaults of `version`, as dm_start_options_init()
 * does. Since 0.2. */
DM_EXTERN(int) dm_exec_options_init(dm_exec_options* opts, unsigned int version);

/* What a command that ran to its end gave: its exit code and its output. */
typedef struct dm_exec_result dm_exec_result;

/* Runs `argv` (`argc` strings, the program first, copied) in the container
 * of the hook that got `info`, from inside that hook (ping,
 * post_start_init: any hook called with a container), waiting for its end.
 * `info` must be the pointer the hook was called with, and the call made
 * before the hook returns (from the hook's thread or another); the command
 * then also ends with the operation: a dm_group_cancel() or the operation's
 * end (a hook abandoned past its deadline) stops the wait with
 * DM_ECANCELLED. `opts` may be NULL (no timeout, output collected).
 *
 * Returns DM_OK when the command ran to its end, whatever its exit code
 * (read it from *out, which the caller frees with dm_exec_result_free());
 * on failure *out is NULL and: DM_EINVALID for NULL arguments, an empty
 * argv, an `info` that is not a running hook's, or a hook without a
 * container yet (prepare, pre_start); DM_ETIMEOUT past opts->timeout;
 * DM_ECANCELLED; DM_ECONFLICT when the container is not running; the
 * engine's DM_EUNREACHABLE / DM_EENGINE. Thread-safe. Since 0.2. */
DM_EXTERN(int) dm_hook_exec(const dm_hook_info* info, const char* const* argv, size_t argc,
                            const dm_exec_options* opts, dm_exec_result** out);

/* The same in the running container of `service` of `group` on the engine
 * of `client`, from outside any operation (a command line's exec). A
 * dm_group_cancel() during the call stops the wait (DM_ECANCELLED). Runs as
 * an operation of the group: not while another operation runs on it, and
 * so never from a hook (use dm_hook_exec() there). Besides the statuses of
 * dm_hook_exec(): DM_ENOTFOUND when no such service is defined or it has no
 * container; DM_ECONFLICT when its container is not running (the message
 * names its state and says to start it). Since 0.2. */
DM_EXTERN(int) dm_group_exec(dm_group* group, dm_client* client, const char* service,
                             const char* const* argv, size_t argc, const dm_exec_options* opts,
                             dm_exec_result** out);

/* The command's exit code; -1 for NULL. Since 0.2. */
DM_EXTERN(int) dm_exec_result_exit_code(const dm_exec_result* result);

/* The collected stdout / stderr: `*size` bytes (may contain NUL bytes; a NUL
 * follows them). Borrowed: lives as long as the result. "" for NULL;
 * `size` may be NULL. Since 0.2. */
DM_EXTERN(const char*) dm_exec_result_stdout(const dm_exec_result* result, size_t* size);
DM_EXTERN(const char*) dm_exec_result_stderr(const dm_exec_result* result, size_t* size);

/* NULL is a no-op. Since 0.2. */
DM_EXTERN(void) dm_exec_result_free(dm_exec_result* result);

/* How to run a one-off container of a service. Initialise with
 * DM_RUN_OPTIONS_INIT or dm_run_options_init().
 *   argv, argc   the command instead of the service's (NULL, 0: its own).
 *   keep         non-zero: the container is left once it exited (else it
 *                is removed, also after a cancel or a failure).
 *   publish      non-zero: it publishes the service's ports (by default a
 *                one-off publishes none, as Compose's `run`).
 *   tty          non-zero: it gets a TTY (all output on stdout_fd); when
 *                stdin_fd is a terminal the TTY follows its size. Putting
 *                the terminal in raw mode is the caller's part.
 *   stdin_fd     copied to its stdin until the end of input, which closes
 *                its stdin; -1: no stdin.
 *   stdout_fd, stderr_fd  where its output is written; -1: discarded.
 *   timeout      seconds each dependency started first may take to be
 *                ready, as dm_start_options' timeout.
 *   stop_timeout grace seconds of the stop a cancel makes.
 *   on_event, event_user_data  the progress of the dependencies' start
 *                (dm_start_options); may be NULL. */
typedef struct dm_run_options {
  unsigned int version;
  const char* const* argv;
  size_t argc;
  int keep;
  int publish;
  int tty;
  int stdin_fd;
  int stdout_fd;
  int stderr_fd;
  double timeout;
  double stop_timeout;
  dm_event_fn on_event;
  void* event_user_data;
} dm_run_options;

#define DM_RUN_OPTIONS_VERSION 1
#define DM_RUN_OPTIONS_INIT \
  { DM_RUN_OPTIONS_VERSION, NULL, 0, 0, 0, 0, -1, -1, -1, 300, 10, NULL, NULL }

/* Fills *opts with the defaults of `version`, as dm_start_options_init()
 * does. Since 0.2. */
DM_EXTERN(int) dm_run_options_init(dm_run_options* opts, unsigned int version);

/* `run`: starts what `service` depends on (as dm_group_start() would, with
 * its reuse rules), then runs a one-off container of the service, as
 * Compose's `run`: its definition (with opts->argv as its command), on the
 * group's network but without the service's name as a DNS alias there, no
 * restart policy, no published ports unless opts->publish, and the label
 * io.drillmaster.oneoff=true, so that start, status and reuse never take
 * it for the service's container (dm_group_stop() with remove removes a
 * kept one). Named "<group>-<service>-run-<8 hex digits>". Its stdin and
 * output are attached (opts); the call returns once it exited and was
 * removed (unless kept). Runs as an operation of the group, holding the
 * group lock only while the dependencies start.
 *
 * *exit_code (may be NULL): the container's exit code once it ran, else -1.
 * *dependencies (may be NULL; freed with dm_result_free()): the outcome of
 * the dependencies' start, one entry per service of the group (those not
 * started: DM_OUTCOME_EXCLUDED).
 *
 * Returns DM_OK when the one-off ran to its exit, whatever its exit code;
 * DM_EFAILED when a dependency failed (nothing ran); DM_ECANCELLED after a
 * dm_group_cancel() (the one-off, when running, was stopped and removed;
 * *exit_code is what it exited with); DM_ENOTFOUND for an undefined
 * service; DM_EINVALID for NULL arguments or an invalid group; the engine's
 * failures. Since 0.2. */
DM_EXTERN(int) dm_group_run(dm_group* group, dm_client* client, const char* service,
                            const dm_run_options* opts, int* exit_code, dm_result** dependencies);

#ifdef __cplusplus
}
#endif

#endif
