/*
 * drillmaster/group.h: a group of services and what can be done with it.
 *
 * A group is a set of services on one private bridge network. Every container
 * and network drillmaster makes carries the labels io.drillmaster.group,
 * io.drillmaster.service, io.drillmaster.config-hash and
 * io.drillmaster.version, and is found again by those labels, never by name.
 * Containers are named <group>-<service>-1 once set up. A new container of a
 * service with a ping or a post_start_init hook is created as
 * <group>-<service>-1.setup and gets its final name only once it was
 * started, pinged and initialised. The engine keeps that name, so a container
 * whose setup was interrupted (the process was killed, the machine rebooted)
 * is never taken for a set-up one: the next start removes it and gives the
 * service a new container, and post_start_init runs exactly once per
 * container. A container that was never started is never reused either.
 * Containers made by drillmaster 0.1 carry their final name and are reused as
 * before. Services are reachable on the network under the service's name.
 *
 * Threading: a group is used by one operation at a time (a second operation
 * on the same group waits for the first); dm_group_cancel() may be called
 * from any thread or a signal handler. Different groups are independent.
 *
 * The group lock: start, stop and reload of the same group from different
 * processes of one user are serialised by a lock file, <group>.lock, held
 * with flock() for the length of the operation and removed at its end (the
 * kernel releases it when a process dies). It lives in a directory that only
 * the invoking user can write: $XDG_RUNTIME_DIR/drillmaster/ when
 * XDG_RUNTIME_DIR is set, absolute, owned by the user and not writable by
 * group or others; otherwise ${TMPDIR:-/tmp}/drillmaster-<uid>/. That
 * directory is created mode 0700 and checked (a real directory, not a
 * symbolic link, owned by the effective user, without group or other write
 * permission); the lock file is opened without following symbolic links and
 * must belong to the user. Anything else fails with DM_EINVALID and a
 * message naming the path and what to do (remove it, or set XDG_RUNTIME_DIR
 * or TMPDIR). Processes that should exclude each other must therefore see
 * the same XDG_RUNTIME_DIR and TMPDIR, as they would for any runtime file.
 * The holder writes its PID and command line into the file; an operation
 * that finds the group locked emits a DM_PHASE_WAITING event naming that
 * process ("group 'x' is locked by process 4242 (python3 spec.py start);
 * waiting up to 300 s"), and gives up with DM_ETIMEOUT naming the process
 * and the lock file after its time: the start or reload timeout, and for
 * stop DM_STOP_LOCK_WAIT_SECONDS. dm_group_cancel() ends the wait at once
 * (DM_ECANCELLED, every service DM_OUTCOME_CANCELLED). Status and logs take
 * no lock: they read what the engine has at that moment, even while another
 * process works on the group.
 */
#ifndef DRILLMASTER_GROUP_H
#define DRILLMASTER_GROUP_H

#include "client.h"
#include "common.h"
#include "service.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dm_group dm_group;

/* The per-user directory that holds drillmaster's runtime files (the group
 * locks), found, created and checked as the paragraph on the group lock
 * says. A front end that keeps runtime files of its own (the Python
 * package's context lock) asks for it here, so the rule lives once. Writes
 * the absolute path to *out, owned by the caller (dm_free()). Returns
 * DM_EINVALID, with a message naming the path and what to do, when no safe
 * directory can be had. Thread-safe. Since 0.2. */
DM_EXTERN(int) dm_runtime_directory(char** out);

/* The longest group name, in characters. The name becomes part of the
 * container names (<group>-<service>-1), of the network name
 * (drillmaster-<group>) and of the lock file's name (<group>.lock), which all
 * have length limits of their own; 63, as for a service name (a DNS label),
 * keeps each of them well inside its limit. */
#define DM_GROUP_NAME_MAX 63

/* Creates an empty group. `name` must be a valid Docker name
 * ([a-zA-Z0-9][a-zA-Z0-9_.-]*) of at most DM_GROUP_NAME_MAX characters: it is
 * checked here (DM_EINVALID), and again by dm_group_validate(). The network
 * name defaults to "drillmaster-<name>" and the directory to the current
 * one. Since 0.1. */
DM_EXTERN(int) dm_group_new(dm_group** out, const char* name);

/* Frees the group and its services. NULL is a no-op. Safe while an
 * operation runs on the group in another thread (or in one of its hooks):
 * the group is then released when the last operation that had begun, or was
 * waiting for its turn, returns; that operation returns normally, and
 * dm_group_cancel() may be called on the group until it has returned. Those
 * operations still waiting for their turn return DM_EINVALID without doing
 * anything. After dm_group_free() returns the caller must not use the handle
 * (nor its services' handles) in any other call. Since 0.1. */
DM_EXTERN(void) dm_group_free(dm_group* group);

/* Borrowed, live as long as the group (or until the next set call).
 * Since 0.1. */
DM_EXTERN(const char*) dm_group_name(const dm_group* group);
DM_EXTERN(const char*) dm_group_network_name(const dm_group* group);
DM_EXTERN(const char*) dm_group_directory(const dm_group* group);

/* Names the group's network (instead of "drillmaster-<name>"). Since 0.1. */
DM_EXTERN(int) dm_group_set_network_name(dm_group* group, const char* network);

/* The directory relative build contexts and volumes are resolved against
 * (usually the spec's directory). Since 0.1. */
DM_EXTERN(int) dm_group_set_directory(dm_group* group, const char* directory);

/* Adds a service and writes its handle (borrowed: it lives as long as the
 * group) to *out. Names are checked by dm_group_validate(), not here.
 * Since 0.1. */
DM_EXTERN(int) dm_group_add_service(dm_service** out, dm_group* group, const char* name,
                                    const char* image);

/* The services in the order they were added. Borrowed handles. Since 0.1. */
DM_EXTERN(size_t) dm_group_service_count(const dm_group* group);
DM_EXTERN(dm_service*) dm_group_service_at(const dm_group* group, size_t index);

/* The service of that name, or NULL. Since 0.1. */
DM_EXTERN(dm_service*) dm_group_find_service(const dm_group* group, const char* name);

/* Checks every definition and the dependency graph without touching the
 * engine; `exclude` lists services that would be left out (may be NULL when
 * `exclude_count` is 0). Returns DM_EINVALID with every problem in the
 * message, one per line, each naming the service and the field. Since 0.1. */
DM_EXTERN(int) dm_group_validate(dm_group* group, const char* const* exclude, size_t exclude_count);

/* dm_group_validate() for a stop, whose excluded services keep running
 * instead of being left out: the definitions and the graph are checked the
 * same way, but only excluded names that are not defined are wrong. Keeping
 * a dependency running while its dependants stop is allowed (stop every
 * service but the database). dm_group_stop() checks exactly this; a front
 * end calls it to refuse bad arguments before it does anything else.
 * Returns DM_EINVALID with every problem in the message, one per line.
 * Since 0.2. */
DM_EXTERN(int) dm_group_validate_stop(dm_group* group, const char* const* exclude,
                                      size_t exclude_count);

/* ---- progress events ---- */

/* Checks the values of one service's fields on their own, as
 * dm_group_validate() would in a group, and leaves out its name and what
 * needs the rest of the group (dependencies, cycles, a host port two services
 * publish) or is only known at start (files, an image a build will make): a
 * binding calls it when a service is defined, to name a bad value there
 * (a restart policy of "sometimes", cpus of -1). DM_EINVALID with every
 * problem, one per line, in dm_error_last(). Reads `service` only; call it
 * on the thread that sets the service's fields. Since 0.2. */
DM_EXTERN(int) dm_service_validate(const dm_service* service);

typedef enum dm_phase {
  DM_PHASE_BUILDING = 1,     /* building the service's image */
  DM_PHASE_PULLING = 2,      /* pulling the service's image */
  DM_PHASE_PRE_START = 3,    /* running the pre_start hook */
  DM_PHASE_CREATING = 4,     /* creating the container */
  DM_PHASE_STARTING = 5,     /* starting the container */
  DM_PHASE_PINGING = 6,      /* waiting for the ping hook */
  DM_PHASE_INITIALISING = 7, /* running the post_start_init hook */
  DM_PHASE_RUNNING = 8,      /* ready: dependants may start */
  DM_PHASE_STOPPING = 9,
  DM_PHASE_STOPPED = 10,
  DM_PHASE_REMOVED = 11,
  DM_PHASE_FAILED = 12,  /* message: the reason */
  DM_PHASE_SKIPPED = 13, /* not attempted: a dependency failed, or cancelled */
  DM_PHASE_DETAIL = 14,  /* engine-level detail: a build or pull output line */
  DM_PHASE_WAITING = 15  /* created, waiting for dependencies to be ready */
} dm_phase;

/* A short lower-case name of a phase ("building"); never NULL. Since 0.1. */
DM_EXTERN(const char*) dm_phase_name(int phase);

typedef struct dm_event {
  unsigned int version; /* DM_EVENT_VERSION */
  const char* service;  /* NULL for the group itself (its network) */
  int phase;            /* a dm_phase */
  const char* message;  /* never NULL; may be "" */
  double timestamp;     /* seconds since the Unix epoch */
} dm_event;

#define DM_EVENT_VERSION 1

/* Receives progress events. Called on worker threads, but never two calls at
 * once for one operation, so the callback needs no lock of its own. The event
 * is borrowed for the call. It must not call operations on the same group. */
typedef void (*dm_event_fn)(const dm_event* event, void* user_data);

/* ---- results ---- */

typedef enum dm_outcome {
  DM_OUTCOME_STARTED = 1,         /* a new container was created and is ready */
  DM_OUTCOME_ALREADY_RUNNING = 2, /* its container was running: untouched */
  DM_OUTCOME_RESTARTED = 3,       /* an exited container was started again */
  DM_OUTCOME_RELOADED = 4,        /* rebuilt and recreated by dm_group_reload() */
  DM_OUTCOME_FAILED = 5,          /* see dm_result_reason() */
  DM_OUTCOME_SKIPPED = 6,         /* not attempted: a dependency failed */
  DM_OUTCOME_EXCLUDED = 7,        /* left out by the options */
  DM_OUTCOME_CANCELLED = 8,       /* not attempted: the operation was cancelled */
  DM_OUTCOME_STOPPED = 9,         /* its container was stopped */
  DM_OUTCOME_REMOVED = 10,        /* its container was stopped and removed */
  DM_OUTCOME_NOT_RUNNING = 11,    /* nothing to stop */
  DM_OUTCOME_COMPLETED = 12,      /* a oneshot job that completed with 0 before, its
                                     definition unchanged: not run again (0.2) */
  DM_OUTCOME_SYNCED = 13          /* files copied into its running container by a
                                     watch rule (watch.h; 0.2) */
} dm_outcome;

/* A short lower-case name of an outcome ("already running"); never NULL.
 * Since 0.1. */
DM_EXTERN(const char*) dm_outcome_name(int outcome);

typedef struct dm_result dm_result;

/* One entry per service of the group, in the order they were added. Strings
 * are borrowed and live as long as the result. Since 0.1. */
DM_EXTERN(size_t) dm_result_count(const dm_result* result);
DM_EXTERN(const char*) dm_result_service(const dm_result* result, size_t index);
DM_EXTERN(int) dm_result_outcome(const dm_result* result, size_t index);
/* Why it failed or was skipped; "" otherwise. Since 0.1. */
DM_EXTERN(const char*) dm_result_reason(const dm_result* result, size_t index);
/* The container's id, "" when it has none. Since 0.1. */
DM_EXTERN(const char*) dm_result_container_id(const dm_result* result, size_t index);
/* Seconds the service took in this operation. Since 0.1. */
DM_EXTERN(double) dm_result_seconds(const dm_result* result, size_t index);
/* Non-zero when the operation was cancelled. Since 0.1. */
DM_EXTERN(int) dm_result_cancelled(const dm_result* result);
/* How many services failed (DM_OUTCOME_FAILED or SKIPPED). Since 0.1. */
DM_EXTERN(size_t) dm_result_failures(const dm_result* result);
DM_EXTERN(void) dm_result_free(dm_result* result);

/* ---- operations ----
 *
 * Each checks its options and validates the group first (nothing touches
 * the engine when that fails: DM_EINVALID, *out NULL; options of a version
 * the library does not know are refused so, naming the struct). Otherwise it
 * writes a result to *out and returns DM_OK when every service asked for
 * reached its goal, DM_EFAILED when some failed, DM_ECANCELLED when
 * dm_group_cancel() interrupted it, or DM_EUNREACHABLE / DM_EENGINE /
 * DM_ETIMEOUT when the engine failed (or did not answer in time) before any
 * service was attempted (then *out may be NULL). The caller frees the
 * result. They block the calling thread until done; event and hook
 * callbacks run on worker threads meanwhile. `opts` may be NULL (the
 * defaults). */

/* Where an operation runs the group's services (the `target` field of the
 * start, stop and reload options, since drillmaster 0.2):
 * DM_TARGET_LOCAL, the engine's own containers (the default), or
 * DM_TARGET_SWARM, services of the Docker Swarm the engine manages: each
 * service a swarm service "<group>_<service>" on an attachable overlay
 * network named as the group's, its ports published in mode=host on the
 * node that runs its task; hooks still run on this host. An engine that is
 * not a manager of an active swarm fails the operation at once with
 * DM_EUNREACHABLE, before anything is made, saying how to start one
 * (`docker swarm init`). README.md, "Swarm", has the mapping. */
typedef enum dm_target { DM_TARGET_LOCAL = 0, DM_TARGET_SWARM = 1 } dm_target;

typedef struct dm_start_options {
  unsigned int version;
  const char* const* exclude; /* services to leave out */
  size_t exclude_count;
  double timeout;           /* seconds a service may take to be ready (300 by
                               default; 0 leaves no time, so a service with hooks
                               fails at once unless it has a timeout of its own); it
                               also bounds each engine request (at least 10 s each):
                               an engine that stops answering fails the start within
                               about that long, plus 10 s to remove what did not
                               come up (plus the stop_timeout to stop a container
                               started again that did not) */
  int run_new_containers;   /* non-zero: never reuse a container */
  int build;                /* non-zero: rebuild images that have a context; a running
                               container whose image changed is replaced */
  unsigned int parallelism; /* services worked on at once; 0: all */
  dm_event_fn on_event;     /* may be NULL */
  void* event_user_data;
  /* Since version 2 (drillmaster 0.2): the grace period, in seconds, of a
   * running outdated container that the start replaces, and of an exited
   * container started again that did not come up, as the stop options'
   * timeout (10 by default; 0 kills it at once; a service's
   * dm_service_set_stop_grace_period() wins over it). */
  double stop_timeout;
  /* Since version 3 (drillmaster 0.2): non-zero removes the group's
   * containers (with their anonymous volumes) and its networks once the
   * watched process has exited without the group having been stopped with
   * remove or kept (dm_group_keep_on_exit()): however it exits, a kill -9
   * included. See "Removal on exit" below. Default 0. */
  int remove_on_exit;
  /* Since version 3, read only with remove_on_exit: the process whose exit
   * triggers the removal; 0 (the default): the calling process. Lets the
   * test-runner process of parallel workers own a group they share. It must
   * exist when the start begins (DM_EINVALID otherwise). */
  long watch_pid;
  /* Since version 4 (drillmaster 0.2): the services to start (`only_count`
   * names), with everything they depend on, as `docker compose up SERVICE...`;
   * none (the default): every service. Services the start leaves out are
   * reported DM_OUTCOME_EXCLUDED with the reason. An unknown name is
   * DM_EINVALID. */
  const char* const* only;
  size_t only_count;
  /* Since version 4: the profiles enabled (`profiles_count` names), as
   * Compose's --profile. A service with profiles (dm_service_add_profile())
   * starts only when one of them is enabled or when it is named in `only`
   * (naming a service enables its profiles); a service that starts while a
   * dependency of it is left out by its profiles is DM_EINVALID, naming
   * both. */
  const char* const* profiles;
  size_t profiles_count;
  /* Since version 5 (drillmaster 0.2): a dm_target; DM_TARGET_LOCAL (the
   * default) or DM_TARGET_SWARM (remove_on_exit is then DM_EINVALID). Any
   * other value is DM_EINVALID. */
  int target;
  /* Since version 6 (drillmaster 0.2): on DM_TARGET_SWARM, a registry that
   * every node of the swarm can pull from, as host[:port] and an optional
   * path ("127.0.0.1:5000/myteam"; no scheme, no tag). Each image the
   * operation builds (a service with a build context) is then tagged
   * "<registry>/<group>_<service>:<the first 12 hex digits of its image
   * id>" (lower-cased) and pushed there, with no credentials, before its
   * swarm service is made, and the service's tasks run that reference.
   * Images a service names without building them are left as written. A
   * push that fails fails the service, naming it, the image and the
   * registry, before its swarm service is made. NULL or "" (the default):
   * nothing is pushed, and the tasks run the image built on the manager,
   * which only a single-node swarm has. Set with DM_TARGET_LOCAL, or a
   * value that is not a registry reference, it is DM_EINVALID before
   * anything is made. Borrowed for the call. */
  const char* registry;
} dm_start_options;

#define DM_START_OPTIONS_VERSION 6
#define DM_START_OPTIONS_INIT                                                                    \
  {                                                                                              \
    DM_START_OPTIONS_VERSION, NULL, 0, 300.0, 0, 0, 0, NULL, NULL, 10.0, 0, 0, NULL, 0, NULL, 0, \
        0, NULL                                                                                  \
  }

/* Fills *opts with the defaults of `version` of the struct (pass
 * DM_START_OPTIONS_VERSION): the values of DM_START_OPTIONS_INIT. Writes only
 * the fields that version has. Returns DM_OK, or DM_EINVALID when opts is
 * NULL or the version is not one this library knows (the message names the
 * struct, the version and the ones it knows). Thread-safe. Since 0.2. */
DM_EXTERN(int) dm_start_options_init(dm_start_options* opts, unsigned int version);

/* Starts the group: creates the network when missing, builds or pulls missing
 * images, then brings every service up as soon as its dependencies are ready,
 * in parallel. A running container made from the same definition is left
 * alone (no hooks); an exited one with the same definition and image is
 * started again and pinged (no pre_start, no post_start_init); otherwise
 * pre_start, create, start, ping, post_start_init, and an outdated container
 * is removed. A service with a prepare hook runs it first, once its
 * dependencies are ready. A failure fails every dependant
 * (SKIPPED) while independent services go on. A container that did not come
 * up in this start (it failed, or the start was cancelled) is not left
 * running: one the start created is removed; an exited one it started again
 * is stopped and kept, so the next start starts it again and pings it; a
 * running one it left alone stays as it is. A container that exits while
 * being pinged fails at once, with its exit code and the end of its logs. A
 * service without a ping is ready when its container still runs once
 * started; one that has exited by then fails the same way. A container with
 * a health check (its image's, or dm_service_set_healthcheck()) is ready
 * only once the engine reports it healthy, before its ping (a running one
 * left alone too, while its check still says starting); unhealthy fails it
 * with the last check's output. Its container is
 * looked at again when the start ends: one that has exited meanwhile (its
 * dependants may have started already) is reported FAILED too, with its code
 * and logs, and removed when this start made it. While another process holds
 * the group lock it waits up to the options' timeout, then returns
 * DM_ETIMEOUT (*out NULL) naming that process. Since 0.1. */
DM_EXTERN(int) dm_group_start(dm_result** out, dm_group* group, dm_client* client,
                              const dm_start_options* opts);

/* ---- removal on exit ----
 *
 * A start with remove_on_exit registers the group, by its name and the
 * engine's address (dm_client_host()), for removal when this process exits,
 * the way Testcontainers' Ryuk does, but with no image: the first such start
 * of a group in this process starts one small helper process,
 * drillmaster-reaper, which outlives it; later starts of that group reuse it.
 * When this process exits (normally, by a crash or by kill -9), the kernel
 * closes the helper's control stream, and the helper removes every
 * container labelled io.drillmaster.group=<group> (forced, with its
 * anonymous volumes) and then the group's networks that nothing uses, under
 * the group lock (a start of the group by another process finishes first).
 * It sweeps again 2 and 6 s later, for containers whose create request
 * reached the engine after the kill, so nothing of the group is left about
 * ten seconds after the kill. Images stay, as with a stop that removes. With
 * watch_pid, the removal waits for that process to exit too (each start may
 * add one; the removal waits for all).
 *
 * The helper runs in a session of its own (a Ctrl-C or a signal to the test
 * run's process group does not reach it; SIGTERM ends it), shows what it
 * does as its process name (dm-reaper-owner, then dm-reaper-watch while it
 * waits for watched processes, then dm-reaper-sweep), holds no descriptor of this
 * process but its control stream (its stdout and stderr are /dev/null), and
 * is no child of this process once the start returns. It reaches the engine
 * exactly as `client` does (address, TLS settings), whatever DOCKER_HOST says,
 * and inherits this process's environment (XDG_RUNTIME_DIR and TMPDIR decide
 * the group lock's directory). The removal follows this process alone: a
 * child it forks does not hold the control stream (nor the registration),
 * and programs it executes never inherit it.
 *
 * Where the helper is looked for: $DRILLMASTER_REAPER (an absolute path;
 * when set, the only place); else beside the loaded libdrillmaster
 * (<dir>/drillmaster-reaper, where the build tree and the Python package put
 * it); else <dir>/../libexec/drillmaster/drillmaster-reaper; else the
 * libexec directory the library was configured with. When it is not found,
 * the start fails with DM_EINVALID before it touches the engine, naming
 * every place looked at.
 *
 * The registration ends, and the helper exits without touching anything,
 * when dm_group_keep_on_exit() is called, or when dm_group_stop() with
 * remove and no exclusion succeeds on the same engine (the group is gone: a
 * start of the same name by another process later is never removed when
 * this one exits). A later start with remove_on_exit registers it again.
 *
 * The removal goes by the group's name: another process's containers of a
 * group of the same name on the same engine go too. Give concurrent runs
 * their own group names. A reload creates containers under the group's
 * label, so they are covered when the group is registered; a program that
 * only reloads registers the group with a start with remove_on_exit first
 * (on a running group it changes nothing). */

/* Cancels the removal on exit that starts with remove_on_exit registered in
 * this process for the group's name, on every engine: the containers stay
 * when the process exits. Any dm_group handle of that name will do (it need
 * not be the one that was started). Returns DM_OK, also when nothing was
 * registered; DM_EINVALID for a NULL group. Thread-safe; it may run while an
 * operation runs on the group (a start with remove_on_exit that has not yet
 * registered the group registers it afterwards). Since 0.2. */
DM_EXTERN(int) dm_group_keep_on_exit(dm_group* group);

typedef struct dm_stop_options {
  unsigned int version;
  const char* const* exclude;
  size_t exclude_count;
  double timeout; /* the grace period: seconds each container has between
                     its stop signal and being killed (10 by default, as
                     with Docker and Compose; 0 kills at once). The engine
                     takes whole seconds: a fraction is rounded up. A
                     service's dm_service_set_stop_grace_period() wins
                     over it for its containers. A
                     container's stop fails when the engine has not
                     answered 10 s after that, any other request after
                     10 s */
  int remove;     /* non-zero: remove containers, then the network */
  dm_event_fn on_event;
  void* event_user_data;
  /* Since version 2 (drillmaster 0.2): a dm_target, as for start; it must
   * be the one the group was started on. */
  int target;
} dm_stop_options;

#define DM_STOP_OPTIONS_VERSION 2
#define DM_STOP_OPTIONS_INIT \
  { DM_STOP_OPTIONS_VERSION, NULL, 0, 10.0, 0, NULL, NULL, 0 }

/* Fills *opts with the defaults of `version` of the struct (pass
 * DM_STOP_OPTIONS_VERSION), as dm_start_options_init() does. Since 0.2. */
DM_EXTERN(int) dm_stop_options_init(dm_stop_options* opts, unsigned int version);

/* How long dm_group_stop() waits for another process's operation on the
 * group (see the group lock above) before it gives up with DM_ETIMEOUT: as
 * long as a start with the default timeout may take to give up on a service.
 * The stop options' timeout is the grace period of each container, not this. */
#define DM_STOP_LOCK_WAIT_SECONDS 300.0

/* Stops the group in reverse dependency order (dependants first), in parallel
 * where possible, with each service's stop signal. With `remove`, containers
 * are removed and then the group's networks: the one the group names and any
 * other labelled io.drillmaster.group=<group> (made by a start with another
 * network name), each unless something else still uses it; one of that name
 * that drillmaster did not make for the group is left in place. A stop with
 * remove and no exclusion that succeeds also ends this process's removal on
 * exit of the group on this engine (see "Removal on exit").
 * Stopping a group that is not running is not an error. While another
 * process holds the group lock it waits up to DM_STOP_LOCK_WAIT_SECONDS.
 * Excluded services keep running, even those the stopped ones need (see
 * dm_group_validate_stop()). Since 0.1. */
DM_EXTERN(int) dm_group_stop(dm_result** out, dm_group* group, dm_client* client,
                             const dm_stop_options* opts);

typedef struct dm_reload_options {
  unsigned int version;
  double timeout; /* readiness timeout, as for start */
  int remove;     /* non-zero: remove the old containers */
  dm_event_fn on_event;
  void* event_user_data;
  /* Since version 2 (drillmaster 0.2): the grace period, in seconds, of the
   * containers the reload stops (the service's and its dependants'), as
   * the stop options' timeout (10 by default; 0 kills them at once; a
   * service's dm_service_set_stop_grace_period() wins over it). */
  double stop_timeout;
  /* Since version 3 (drillmaster 0.2): non-zero gives the dependants the
   * reload restarts new containers, as dm_start_options' run_new_containers
   * does (pre_start, create, ping, post_start_init run for each); 0 (the
   * default) starts their containers again by the reuse rules. The
   * service's dependencies are never recreated. */
  int run_new_containers;
  /* Since version 4 (drillmaster 0.2): non-zero leaves the service's
   * dependants as they are: neither stopped nor started again (their
   * outcome is DM_OUTCOME_EXCLUDED, saying so), for a service whose
   * dependants do not need a restart when it is replaced. 0 (the default)
   * stops them first and starts them again. */
  int keep_dependants;
  /* Since version 5 (drillmaster 0.2): a dm_target, as for start. */
  int target;
  /* Since version 6 (drillmaster 0.2): the registry the rebuilt image is
   * pushed to on DM_TARGET_SWARM, as the start options' registry. */
  const char* registry;
} dm_reload_options;

#define DM_RELOAD_OPTIONS_VERSION 6
#define DM_RELOAD_OPTIONS_INIT \
  { DM_RELOAD_OPTIONS_VERSION, 300.0, 0, NULL, NULL, 10.0, 0, 0, 0, NULL }

/* Fills *opts with the defaults of `version` of the struct (pass
 * DM_RELOAD_OPTIONS_VERSION), as dm_start_options_init() does. Since 0.2. */
DM_EXTERN(int) dm_reload_options_init(dm_reload_options* opts, unsigned int version);

/* Rebuilds `service`'s image (it must have a build context), stops it and its
 * transitive dependants (dependants first), recreates it, and starts the
 * dependants again by the reuse rules (in new containers with the options'
 * run_new_containers; left running, untouched, with keep_dependants). Its
 * dependencies keep running (they
 * are started if they are not). The stopped containers get the options'
 * stop_timeout as their grace period. Waits for the group lock as start
 * does. Since 0.1. */
DM_EXTERN(int) dm_group_reload(dm_result** out, dm_group* group, dm_client* client,
                               const char* service, const dm_reload_options* opts);

/* Asks the operation in progress on the group (start, stop, reload, logs) to
 * stop scheduling new work; steps under way finish or time out, and the
 * operation returns DM_ECANCELLED with a result that says what was not done.
 * A no-op when nothing runs. Each operation clears the request when it
 * begins, so a cancel that comes before an operation does not cancel it.
 *
 * Thread-safe and async-signal-safe: it does one lock-free atomic store and
 * one write() to an eventfd, which wakes every wait of the operation at once
 * (no allocation, no lock; errno is left as it was), so it may be called
 * from a signal handler on any thread.
 *
 * Handling SIGINT, SIGTERM and SIGHUP as the drillmaster command line does
 * (the first signal cancels, the program says what was left and exits
 * 128 + the signal number; examples/c/start_group.c does exactly this):
 *
 *     static dm_group *running;            // set before the operation
 *     static volatile sig_atomic_t caught; // the signal, for the exit status
 *
 *     static void on_signal(int sig) {
 *         caught = sig;
 *         dm_group_cancel(running);         // async-signal-safe
 *     }
 *
 *     struct sigaction sa;
 *     memset(&sa, 0, sizeof sa);
 *     sa.sa_handler = on_signal;
 *     sa.sa_flags = SA_RESTART;
 *     sigemptyset(&sa.sa_mask);
 *     sigaction(SIGINT, &sa, NULL);
 *     sigaction(SIGTERM, &sa, NULL);
 *     sigaction(SIGHUP, &sa, NULL);
 *
 *     rc = dm_group_start(&result, running, client, &opts);
 *     if (rc == DM_ECANCELLED || caught) {
 *         // the result lists each service: DM_OUTCOME_CANCELLED ones were
 *         // not attempted; started ones are left running
 *         exit(128 + caught);
 *     }
 *
 * Check `caught` after every operation and before starting the next one: a
 * signal that arrives just before an operation begins is cleared by it, as
 * above. The handler may run on any thread, including the library's worker
 * threads; SA_RESTART keeps their system calls from failing with EINTR.
 * Since 0.1. */
DM_EXTERN(void) dm_group_cancel(dm_group* group);

/* ---- status ---- */

typedef struct dm_report dm_report;

/* What dm_group_status_with_options() takes; fields are appended with a
 * new version, as for the other operations. */
typedef struct dm_status_options {
  unsigned int version;
  /* Since version 2 (drillmaster 0.2): a dm_target, as for start. On
   * DM_TARGET_SWARM each service's row is its swarm service: the id and
   * name are the swarm service's, the state "running" when all its tasks
   * run, "exited" when it is scaled to 0 or its task failed. */
  int target;
} dm_status_options;

#define DM_STATUS_OPTIONS_VERSION 2
#define DM_STATUS_OPTIONS_INIT \
  { DM_STATUS_OPTIONS_VERSION, 0 }

/* Fills *opts with the defaults of `version` of the struct (pass
 * DM_STATUS_OPTIONS_VERSION), as dm_start_options_init() does. Since 0.2. */
DM_EXTERN(int) dm_status_options_init(dm_status_options* opts, unsigned int version);

/* What runs now: one entry per service of the group, in order, written to
 * *out (the caller frees it with dm_report_free()). Takes no group lock: it
 * answers at once, even while another process starts the group. `opts` may
 * be NULL (the defaults). Returns DM_OK; DM_EINVALID for an invalid group or
 * options (*out NULL); DM_EUNREACHABLE / DM_EENGINE / DM_ETIMEOUT when the
 * engine failed. Since 0.2. */
DM_EXTERN(int) dm_group_status_with_options(dm_report** out, dm_group* group, dm_client* client,
                                            const dm_status_options* opts);

/* dm_group_status_with_options() with the default options. Since 0.1. */
DM_EXTERN(int) dm_group_status(dm_report** out, dm_group* group, dm_client* client);

/* Strings are borrowed and live as long as the report; "" when unknown.
 * Since 0.1. */
DM_EXTERN(size_t) dm_report_count(const dm_report* report);
DM_EXTERN(const char*) dm_report_service(const dm_report* report, size_t index);
/* "running", "exited", "created", "restarting", "paused", "dead" or "missing";
 * for an exited oneshot job (dm_service_set_oneshot()), "completed" (exit
 * code 0) or "failed" (since 0.2). Since 0.1. */
DM_EXTERN(const char*) dm_report_state(const dm_report* report, size_t index);
/* The engine's status text, e.g. "Up 3 minutes"; for an exited oneshot job
 * "completed (0)" or "failed (3)" (since 0.2). Since 0.1. */
DM_EXTERN(const char*) dm_report_status_text(const dm_report* report, size_t index);
/* "healthy", "unhealthy", "starting", or "" without a health check.
 * Since 0.1. */
DM_EXTERN(const char*) dm_report_health(const dm_report* report, size_t index);
DM_EXTERN(const char*) dm_report_container_id(const dm_report* report, size_t index);
DM_EXTERN(const char*) dm_report_container_name(const dm_report* report, size_t index);
DM_EXTERN(const char*) dm_report_image(const dm_report* report, size_t index);
/* Published ports, e.g. "0.0.0.0:5433->5433/tcp, 53/udp". Since 0.1. */
DM_EXTERN(const char*) dm_report_ports(const dm_report* report, size_t index);
/* Non-zero when the container was made from a different definition.
 * Since 0.1. */
DM_EXTERN(int) dm_report_outdated(const dm_report* report, size_t index);
/* How many port bindings the service's container has: one per container
 * port and host address it is published on (the engine binds IPv4 and IPv6
 * separately; when it picks the host port it may pick a different one for
 * each). 0 when there is no container, or it is not running: a stopped
 * container publishes nothing, and the engine picks free host ports again
 * when it starts. Since 0.2. */
DM_EXTERN(size_t) dm_report_published_count(const dm_report* report, size_t index);
/* Binding `binding` (0 to count - 1) of that service's container, in a stable
 * order (by container port, IPv4 before IPv6): *container_port as the engine
 * names it ("5432/tcp"), *host_ip the address it is bound on as the engine
 * reports it ("0.0.0.0", "::", or one address), *host_port its port. The
 * strings are borrowed and live as long as the report. Any out-parameter may
 * be NULL. Returns DM_OK; DM_EINVALID for a NULL report or an index out of
 * range (the out-parameters are then "" and 0). To connect to a port from
 * this machine, dm_client_host_port() turns a binding into an address.
 * Since 0.2. */
DM_EXTERN(int) dm_report_published(const dm_report* report, size_t index, size_t binding,
                                   const char** container_port, const char** host_ip,
                                   int* host_port);
DM_EXTERN(void) dm_report_free(dm_report* report);

/* ---- graph ---- */

/* The text formats of dm_group_graph(). Since 0.2. */
typedef enum dm_graph_format {
  DM_GRAPH_MERMAID = 0, /* a Mermaid flowchart (GitHub renders ```mermaid) */
  DM_GRAPH_DOT = 1      /* Graphviz DOT (dot -Tsvg) */
} dm_graph_format;

/* What dm_group_graph() takes. Since 0.2. */
typedef struct dm_graph_options {
  unsigned int version;
  int format; /* a dm_graph_format; DM_GRAPH_MERMAID by default */
  /* NULL (the default): nodes are not coloured. A report of the group
   * (dm_group_status_with_options()): each node is coloured by its service's
   * state; a service the report does not list counts as "missing". Borrowed
   * for the length of the call. */
  const dm_report* status;
} dm_graph_options;

#define DM_GRAPH_OPTIONS_VERSION 1
#define DM_GRAPH_OPTIONS_INIT \
  { DM_GRAPH_OPTIONS_VERSION, DM_GRAPH_MERMAID, NULL }

/* Fills *opts with the defaults of `version` of the struct (pass
 * DM_GRAPH_OPTIONS_VERSION), as dm_start_options_init() does. Since 0.2. */
DM_EXTERN(int) dm_graph_options_init(dm_graph_options* opts, unsigned int version);

/* The group's dependency graph as text, written to *out (NUL-terminated,
 * ending with a newline; the caller frees it with dm_free()). One node per
 * service in definition order, labelled with its name and its image (or
 * "built from <dir>"); one edge per dependency, from the dependant to the
 * service it depends on (read an arrow as "depends on"; a start goes against
 * the arrows, a stop along them), in definition order. The same group gives
 * the same text. Labels are quoted and escaped for the format. With the
 * options' status, nodes carry the class of their state ("running",
 * "exited", "created", "restarting", "paused", "dead", "missing", or "other")
 * and are filled with its colour. Needs no engine: the status, when wanted,
 * is the caller's report. `opts` may be NULL (Mermaid, no colours).
 *
 * Returns DM_OK; DM_EINVALID (*out NULL) for NULL out or group, an unknown
 * format or options version, or a group that does not validate (the message
 * is dm_group_validate()'s: an unknown dependency, a cycle...). Threading:
 * as dm_group_validate() (it reads the definition and takes no group lock,
 * so it does not wait for an operation in progress). Since 0.2. */
DM_EXTERN(int) dm_group_graph(char** out, dm_group* group, const dm_graph_options* opts);

/* ---- logs ---- */

/* Receives one line of a container's output, without its newline. `stream` is
 * 1 for stdout, 2 for stderr. Return non-zero to stop. Called on worker
 * threads, never two calls at once. */
typedef int (*dm_log_fn)(const char* service, int stream, const char* line, size_t length,
                         void* user_data);

typedef struct dm_logs_options {
  unsigned int version;
  const char* const* services; /* NULL / 0: every service */
  size_t service_count;
  int follow; /* non-zero: keep going until cancelled or all stop */
  int tail;   /* last lines per service; negative: all (the
                 default); 0: none, only what follows */
  /* Since version 2 (drillmaster 0.2): a dm_target, as for start. On
   * DM_TARGET_SWARM a service's lines are its swarm service's
   * (GET /services/{id}/logs: every task's). */
  int target;
} dm_logs_options;

#define DM_LOGS_OPTIONS_VERSION 2
#define DM_LOGS_OPTIONS_INIT \
  { DM_LOGS_OPTIONS_VERSION, NULL, 0, 0, -1, 0 }

/* Fills *opts with the defaults of `version` of the struct (pass
 * DM_LOGS_OPTIONS_VERSION), as dm_start_options_init() does. Since 0.2. */
DM_EXTERN(int) dm_logs_options_init(dm_logs_options* opts, unsigned int version);

/* Streams the logs of the group's containers. Services without a container
 * are skipped. Takes no group lock (a follow may run beside a start). A
 * follow ends when every followed container stops, the callback returns
 * non-zero, or dm_group_cancel() is called (then DM_ECANCELLED). `opts` may
 * be NULL (the defaults). Since 0.1. */
DM_EXTERN(int) dm_group_logs(dm_group* group, dm_client* client, const dm_logs_options* opts,
                             dm_log_fn fn, void* user_data);

#ifdef __cplusplus
}
#endif

#endif
