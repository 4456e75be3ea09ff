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

/* The engine's restart policy for the container, as Compose's restart:
 * "no" (the default: never restarted), "always", "unless-stopped",
 * "on-failure" or "on-failure:N" (at most N restarts). A container stopped
 * by dm_group_stop() stays stopped whatever its policy. Since 0.2. */
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

#ifdef __cplusplus
}
#endif

#endif
