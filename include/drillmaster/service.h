/*
 * drillmaster/service.h: one service of a group, and its host-side hooks.
 *
 * A dm_service is created by dm_group_add_service() and belongs to its group:
 * the handle is borrowed and lives as long as the group. The setters only
 * record values; dm_group_validate() (which every operation runs first)
 * checks them all and reports every problem at once, before anything touches
 * the engine. Setters return DM_EINVALID only for NULL arguments.
 *
 * Threading: define services from one thread, before any operation runs on
 * the group. Hooks run on threads of their own, never on the thread that
 * called dm_group_start(); hooks of different services may run at the same
 * time, the hooks of one service never overlap.
 *
 * Deadlines: a hook still running when its service's timeout passes (or, for
 * ping, when the operation is cancelled) is abandoned: the service fails and
 * the operation goes on without waiting for it. The abandoned call keeps
 * running on its own thread until it returns, possibly after the operation
 * and even dm_group_free(): its user_data must stay valid until then (keep it
 * for the life of the process, or make the hook check that it is still
 * wanted).
 */
#ifndef DRILLMASTER_SERVICE_H
#define DRILLMASTER_SERVICE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dm_service dm_service;

/* The service's name (a DNS label, unique in its group). Borrowed: lives as
 * long as the group. Since 0.1. */
DM_EXTERN(const char*) dm_service_name(const dm_service* service);

/* The image to run, e.g. "postgres:16" (built under this tag when the service
 * has a build context). Since 0.1. */
DM_EXTERN(int) dm_service_set_image(dm_service* service, const char* image);

/* Adds a service that must be running before this one starts. Since 0.1. */
DM_EXTERN(int) dm_service_add_dependency(dm_service* service, const char* name);

/* Publishes `container_port` ("80", "80/tcp" or "53/udp") on `host_port` of
 * every host address. A host_port of 0 lets the engine pick a free port each
 * time the container starts (so groups started at once never clash);
 * dm_client_host_port() says which it picked. Since 0.1. */
DM_EXTERN(int) dm_service_add_port(dm_service* service, const char* container_port, int host_port);

/* Sets an environment variable of the container (a later value replaces an
 * earlier one). Since 0.1. */
DM_EXTERN(int) dm_service_set_env(dm_service* service, const char* name, const char* value);

/* Mounts a volume, Docker's short form: "host:container", "host:container:ro"
 * or ":rw". A host path starting with "." is relative to the group directory;
 * one without "/" names a Docker volume. Since 0.1. */
DM_EXTERN(int) dm_service_add_volume(dm_service* service, const char* spec);

/* The same in parts; `mode` may be NULL ("rw"). Since 0.1. */
DM_EXTERN(int) dm_service_add_bind(dm_service* service, const char* host_path,
                                   const char* container_path, const char* mode);

/* Non-zero: every start creates a new container, never reusing one.
 * Since 0.1. */
DM_EXTERN(int) dm_service_set_always_start_new(dm_service* service, int on);

/* The signal that stops the container: "SIGTERM" (default), "SIGINT",
 * "SIGQUIT", "SIGKILL", "SIGHUP", "SIGUSR1" or "SIGUSR2". Since 0.1. */
DM_EXTERN(int) dm_service_set_stop_signal(dm_service* service, const char* signal);

/* Builds the image from a context directory (relative paths are relative to
 * the group directory) with the given Dockerfile (NULL: "Dockerfile").
 * An empty context_dir is DM_EINVALID, naming the service (the group's
 * directory is "."), and the service's build is left as it was.
 * Since 0.1. */
DM_EXTERN(int) dm_service_set_build(dm_service* service, const char* context_dir,
                                    const char* dockerfile);

/* Overrides the image's entrypoint / command with `argc` arguments.
 * Since 0.1. */
DM_EXTERN(int) dm_service_set_entrypoint(dm_service* service, const char* const* argv, size_t argc);
DM_EXTERN(int) dm_service_set_cmd(dm_service* service, const char* const* argv, size_t argc);

/* The user the container runs as ("name", "uid" or "uid:gid"). Since 0.1. */
DM_EXTERN(int) dm_service_set_user(dm_service* service, const char* user);

/* Seconds this service may take to become ready (its ping loop and init);
 * overrides the timeout of the start options. 0 or less: use those. It also
 * bounds each engine request made for the service (at least 10 s each).
 * Since 0.1. */
DM_EXTERN(int) dm_service_set_timeout(dm_service* service, double seconds);

/* What a hook knows about the service it runs for. Borrowed for the call. */
typedef struct dm_hook_info {
  unsigned int version;     /* DM_HOOK_INFO_VERSION */
  const char* group;        /* the group's name */
  const char* service;      /* the service's name */
  const char* network;      /* the group's network */
  const char* container_id; /* NULL in prepare and pre_start: no container yet */
  /* NULL in prepare and pre_start. The container's final name,
   * <group>-<service>-1, the one status shows and values derived from it
   * (stored in a context) stay true of. While a new container is pinged
   * and initialised the engine still knows it by its setup name (see
   * group.h): address it through container_id then. */
  const char* container_name;
  /* Since version 2. In prepare: this operation's copy of the service's
   * definition, on which dm_service_set_env() may be called (other changes
   * are ignored). NULL in every other hook. */
  dm_service* definition;
} dm_hook_info;

#define DM_HOOK_INFO_VERSION 2

/* A lifecycle hook. Return 0 on success; non-zero fails the service (call
 * dm_error_set() first to give the reason). */
typedef int (*dm_hook_fn)(const dm_hook_info* info, void* user_data);

/* A readiness check: return DM_PING_READY, DM_PING_NOT_READY, or a negative
 * value to fail the service at once (after dm_error_set() for the reason). */
typedef int (*dm_ping_fn)(const dm_hook_info* info, void* user_data);

#define DM_PING_NOT_READY 0
#define DM_PING_READY 1

/* Runs once the service's dependencies are ready and before anything is
 * decided about its container, in start and reload (also in status, on the
 * calling thread, to tell whether a container is outdated). It may fill in
 * environment values known only now, e.g. ones a dependency's
 * post_start_init produced, with dm_service_set_env(info->definition, ...).
 * A service with a prepare hook is created only after it has run. Since 0.1. */
DM_EXTERN(int) dm_service_set_prepare(dm_service* service, dm_hook_fn fn, void* user_data);

/* Runs before a new container is created (never when one is reused).
 * Since 0.1. */
DM_EXTERN(int) dm_service_set_pre_start(dm_service* service, dm_hook_fn fn, void* user_data);

/* Polled right after the container starts (once it is healthy, when it has
 * a health check), then every 0.1 s until it returns
 * DM_PING_READY or the service's timeout passes. Without it a service is ready
 * when its container still runs once started (see dm_group_start()). Also
 * runs when an exited container is started again. Since 0.1. */
DM_EXTERN(int) dm_service_set_ping(dm_service* service, dm_ping_fn fn, void* user_data);

/* Runs once after a new container's first successful ping: initialise state
 * (schemas, fixtures). Not run when an existing container is reused.
 * Since 0.1. */
DM_EXTERN(int) dm_service_set_post_start_init(dm_service* service, dm_hook_fn fn, void* user_data);

/* The container's health check, as Compose's healthcheck: the engine runs
 * `test` in the container every `interval_s` seconds, gives each run
 * `timeout_s` seconds, and reports the container unhealthy after `retries`
 * failures in a row; failures during the first `start_period_s` seconds do
 * not count. `test` (`test_count` strings, copied) is {"CMD", program,
 * argument...}, {"CMD-SHELL", "shell command"}, {"NONE"} (no health check,
 * not even the image's HEALTHCHECK), or empty (keep the image's test). A
 * duration or retries of 0 keeps the image's value, else the engine's
 * default (30 s, 30 s, 3, 0 s). dm_group_validate() checks the values.
 *
 * A service whose container has a health check (this one or its image's)
 * is ready only once the engine reports it healthy; it fails when the
 * engine reports it unhealthy, with the last check's output. Its ping, when
 * it has one, runs after that. Since 0.2. */
DM_EXTERN(int) dm_service_set_healthcheck(dm_service* service, const char* const* test,
                                          size_t test_count, double interval_s, double timeout_s,
                                          int retries, double start_period_s);

/* The container's host name (Config.Hostname), as Compose's hostname;
 * "" keeps the engine's (the container id's start). The service's name
 * stays its DNS name on the group's network. Since 0.2. */
DM_EXTERN(int) dm_service_set_hostname(dm_service* service, const char* hostname);

/* The directory the container's command runs in (Config.WorkingDir), as
 * Compose's working_dir: an absolute path in the container; "" keeps the
 * image's. Since 0.2. */
DM_EXTERN(int) dm_service_set_working_dir(dm_service* service, const char* path);

/* Adds a DNS name the container answers to on the group's network, besides
 * the service's name (Compose's networks.aliases): a host name such as
 * "db.local", not the name of another service. Since 0.2. */
DM_EXTERN(int) dm_service_add_alias(dm_service* service, const char* alias);

/* Sets a label of the container (a later value replaces an earlier one),
 * beside drillmaster's own. Names starting "io.drillmaster." are
 * drillmaster's and refused by dm_group_validate(). Since 0.2. */
DM_EXTERN(int) dm_service_set_label(dm_service* service, const char* name, const char* value);

/* Sets a build argument (a Dockerfile ARG) of the service's image build, as
 * Compose's build.args (a later value replaces an earlier one); needs
 * dm_service_set_build(). The build arguments and target are part of the
 * image's identity: an image built with others is built again on start.
 * Since 0.2. */
DM_EXTERN(int) dm_service_set_build_arg(dm_service* service, const char* name, const char* value);

/* The stage of a multi-stage Dockerfile to build, as Compose's
 * build.target; "" builds the last. Needs dm_service_set_build().
 * Since 0.2. */
DM_EXTERN(int) dm_service_set_build_target(dm_service* service, const char* target);

/* Adds an env file (Compose's env_file): NAME=value lines, '#' comments,
 * `export ` prefixes, single- or double-quoted values. A relative path
 * starts at the group directory. The files are read when an operation
 * starts (a missing one fails it, naming the file); their values come
 * before the service's env, which wins, and a later file wins over an
 * earlier one. What they hold is part of the definition hash, so an edited
 * file recreates the container. Since 0.2. */
DM_EXTERN(int) dm_service_add_env_file(dm_service* service, const char* path);

/* Mounts the file at `path` (relative to the group directory) read-only at
 * /run/secrets/<name> in the container, as Compose's file secrets. The file
 * must exist when an operation starts (else it fails, naming the file).
 * Since 0.2. */
DM_EXTERN(int) dm_service_add_secret(dm_service* service, const char* name, const char* path);

/* Publishes a port given as Compose's short syntax, host before container:
 * "[ip:][host:]container[/tcp|/udp]", each port or a range "8000-8002":
 * "127.0.0.1:5433:5432" (on one host address), "53:53/udp",
 * "8000-8002:8000-8002", "5432" (a free host port, as host_port 0 of
 * dm_service_add_port()), "127.0.0.1::5432", "[::1]:5433:5432". A string
 * that does not parse is reported by dm_group_validate(). Since 0.2. */
DM_EXTERN(int) dm_service_add_port_spec(dm_service* service, const char* spec);

/* More of the engine's container create request (POST /containers/create,
 * known to work with Engine API 1.41), as the text of a JSON object merged
 * into the request drillmaster makes: objects member by member, anything
 * else (lists too) replaced; e.g. {"HostConfig": {"OomScoreAdj": 100}}. It
 * is part of the definition hash. A member another field sets (Env,
 * HostConfig.Binds...) or that drillmaster manages (Labels,
 * NetworkingConfig, the name), or text that is not a JSON object, is
 * reported by dm_group_validate(). "" sets nothing. Since 0.2. */
DM_EXTERN(int) dm_service_set_create_options(dm_service* service, const char* json);

/* The engine's restart policy for the container, as Compose's restart:
 * "no" (the default: never restarted), "always", "unless-stopped",
 * "on-failure" or "on-failure:N" (at most N restarts). A container stopped
 * by dm_group_stop() stays stopped whatever its policy. The policy changes
 * nothing of dm_group_start()'s rules: a container that exits before it is
 * ready fails its service (and a new one is removed) even when the engine
 * would restart it. Since 0.2. */
DM_EXTERN(int) dm_service_set_restart(dm_service* service, const char* policy);

/* Mounts a tmpfs (a file system in memory) in the container: an absolute
 * path, optionally followed by ':' and mount options, as Compose's tmpfs
 * ("/run", "/tmp:size=64m,mode=1777"). Since 0.2. */
DM_EXTERN(int) dm_service_add_tmpfs(dm_service* service, const char* mount);

/* Non-zero: the container's root file system is read-only (Compose's
 * read_only). Since 0.2. */
DM_EXTERN(int) dm_service_set_read_only(dm_service* service, int on);

/* Non-zero: an init process runs as PID 1 and reaps zombies (Compose's
 * init). Since 0.2. */
DM_EXTERN(int) dm_service_set_init(dm_service* service, int on);

/* Non-zero: the container runs privileged (Compose's privileged). Since 0.2. */
DM_EXTERN(int) dm_service_set_privileged(dm_service* service, int on);

/* Adds a Linux capability to / drops one from the container's default set:
 * "NET_ADMIN" or "CAP_NET_ADMIN", upper case, or "ALL" (Compose's cap_add,
 * cap_drop). Since 0.2. */
DM_EXTERN(int) dm_service_add_cap_add(dm_service* service, const char* capability);
DM_EXTERN(int) dm_service_add_cap_drop(dm_service* service, const char* capability);

/* The size of /dev/shm, and the container's memory limit, as Compose's
 * shm_size and mem_limit: a number of bytes ("67108864") or a number with a
 * unit k, m, g, t or p, powers of 1024 ("64m", "1g", "1.5g"). Since 0.2. */
DM_EXTERN(int) dm_service_set_shm_size(dm_service* service, const char* size);
DM_EXTERN(int) dm_service_set_mem_limit(dm_service* service, const char* size);

/* The CPUs the container may use, above 0 ("0.5": half of one CPU), as
 * Compose's cpus. Since 0.2. */
DM_EXTERN(int) dm_service_set_cpus(dm_service* service, double cpus);

/* Sets a ulimit of the container ("nofile", "nproc", "core", ...): its soft
 * and hard limits, soft at most hard, -1 for unlimited (Compose's ulimits). A
 * later value for the same name replaces an earlier one. Since 0.2. */
DM_EXTERN(int) dm_service_set_ulimit(dm_service* service, const char* name, long long soft,
                                     long long hard);

/* Adds a line to the container's /etc/hosts: `host` resolves to `address`,
 * an IP address or "host-gateway" (the host's address), as Compose's
 * extra_hosts. Since 0.2. */
DM_EXTERN(int) dm_service_add_extra_host(dm_service* service, const char* host,
                                         const char* address);

/* Seconds the container gets between its stop signal and SIGKILL, whenever
 * drillmaster stops it (stop, reload, the replacement of an outdated
 * container); it wins over the stop timeout of the operation's options. Also
 * the container's own stop timeout (rounded up to whole seconds), for a stop
 * by hand. 0 kills at once. As Compose's stop_grace_period. Since 0.2. */
DM_EXTERN(int) dm_service_set_stop_grace_period(dm_service* service, double seconds);

/* Makes the service a job (on != 0; default 0), as a Compose service that
 * dependants wait for with `service_completed_successfully`: its container
 * runs to completion, and the service is ready when it exits with 0; then
 * its post_start_init runs and its dependants start. Any other exit code
 * fails the service with that code and the container's last log lines (its
 * container is kept, for `docker logs`, until the next start). The service's
 * timeout bounds the run. A job that completed with 0 is not run again by
 * the next start, unless its definition or image changed, one of its
 * dependencies got a new container in that start, or a new container is
 * asked for (run_new_containers, always_start_new); a job that failed runs
 * again. Stop leaves a completed job's container alone; stop with remove
 * removes it. Status reports its state as "completed" or "failed", with the
 * text "completed (0)" / "failed (3)". A job takes no ping and
 * no restart policy but "no" (dm_group_validate() reports them). Since 0.2. */
DM_EXTERN(int) dm_service_set_oneshot(dm_service* service, int on);

/* Runs on the host before the service's running container is stopped: by
 * dm_group_stop() (removing or not), dm_group_reload(), and a start that
 * replaces an outdated container; dependants' pre_stop hooks run (and their
 * containers stop) before their dependencies'. Not run for a container that
 * is not running. A failure, or a hook still running after the service's
 * timeout (else the operation's), is reported as an event
 * (DM_PHASE_DETAIL, naming the service and the reason) and the stop goes
 * on. `info` has the container's id and name. Since 0.2. */
DM_EXTERN(int) dm_service_set_pre_stop(dm_service* service, dm_hook_fn fn, void* user_data);

/* Adds a profile (copied) to the service, as Compose's `profiles`: a
 * service with profiles is started only when one of them is enabled
 * (dm_start_options.profiles) or when it is named in
 * dm_start_options.only; one without is always started. A name is a
 * letter or digit, then letters, digits, '_', '.' and '-'
 * (dm_group_validate() checks it). Since 0.2. */
DM_EXTERN(int) dm_service_add_profile(dm_service* service, const char* profile);

/* How many copies of the service run at once (default 1), as Compose's
 * deploy.replicas: from 1 to 1000 (dm_group_validate() reports any other
 * value). On a swarm target (dm_start_options.target) the swarm service is
 * scaled to that many tasks, and the service is ready when all of them run
 * (and its ping answers); a task that fails fails the service with its
 * error. A changed count updates the swarm service in place. The local
 * target runs one container per service: a start or reload there refuses a
 * service with more than 1 (DM_EINVALID, naming the service) before
 * anything is made. At 1 nothing is sent, so containers and swarm services
 * made before this field existed stay up to date. Since 0.2. */
DM_EXTERN(int) dm_service_set_replicas(dm_service* service, int replicas);

#ifdef __cplusplus
}
#endif

#endif
