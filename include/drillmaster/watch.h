/*
 * drillmaster/watch.h: the inner loop of development. A service's watch
 * rules say what a saved file does to it:
 *
 *   DM_WATCH_SYNC          copy changed and new files into its running
 *                          container and delete removed ones there;
 *   DM_WATCH_SYNC_RESTART  the same, then restart the container and wait for
 *                          its ping (no post_start_init);
 *   DM_WATCH_REBUILD       rebuild it and restart it and its dependants, as
 *                          dm_group_reload() does.
 *
 * The library decides which rule a changed path triggers (dm_watcher_route())
 * and carries the actions out (dm_group_watch_apply(), made of
 * dm_group_copy_files(), dm_group_restart_service() and dm_group_reload()).
 * Watching the file system is the binding's, on its ecosystem's watcher:
 * it watches dm_watcher_root() paths, collects the paths that changed until
 * the files are quiet, routes them and applies each entry of the batch.
 *
 * Since 0.2.
 */
#ifndef DRILLMASTER_WATCH_H
#define DRILLMASTER_WATCH_H

#include "client.h"
#include "common.h"
#include "group.h"
#include "service.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- rules: a field of a service ---- */

/* What a watch rule does; a rule's number is also its weight: a batch that
 * triggers several rules of one service does the heaviest. */
#define DM_WATCH_SYNC 1
#define DM_WATCH_SYNC_RESTART 2
#define DM_WATCH_REBUILD 3

/* "sync", "sync+restart", "rebuild"; "unknown" for another number; never
 * NULL. Since 0.2. */
DM_EXTERN(const char*) dm_watch_action_name(int action);

/* Adds a watch rule to `service` (Compose's develop.watch):
 *   path    a directory or a file on the host, relative to the group's
 *           directory (dm_group_set_directory()) unless absolute, as a build
 *           context is;
 *   action  DM_WATCH_SYNC, DM_WATCH_SYNC_RESTART or DM_WATCH_REBUILD;
 *   target  the absolute path in the container that `path` is copied to
 *           (the sync actions); NULL for DM_WATCH_REBUILD;
 *   ignore  `ignore_count` patterns in .dockerignore syntax, relative to
 *           `path`, of files the rule leaves alone (may be NULL when 0). A
 *           rebuild rule also honours its build context's .dockerignore.
 * All strings are copied. The values are checked by dm_service_validate()
 * and dm_group_validate(), which name the service, the rule's path and the
 * value: a path that does not exist, a target that is not absolute, an
 * unknown action, a sync rule on a read_only service (the engine refuses to
 * copy into one), a rebuild rule on a service without a build context.
 * A service with a build context and no rule is watched with a rebuild rule
 * on its context. Returns DM_EINVALID only for NULL `service` or `path`.
 * Call on the thread that defines the service. Since 0.2. */
DM_EXTERN(int) dm_service_add_watch(dm_service* service, const char* path, int action,
                                    const char* target, const char* const* ignore,
                                    size_t ignore_count);

/* ---- routing: which rule a changed path triggers ---- */

/* The watch rules of some services of a group, resolved to absolute paths:
 * a snapshot taken by dm_watcher_new(); later changes of the group's
 * definition do not reach it. Immutable, so thread-safe to read. */
typedef struct dm_watcher dm_watcher;

/* Takes the watch rules of the services named in `services`
 * (`service_count` names; NULL and 0: every service of the group; the
 * services they depend on are not watched). Validates the group first, as
 * dm_group_validate() does, so a bad rule is DM_EINVALID here with every
 * problem in the message; DM_ENOTFOUND for a name that is not a service.
 * *out is freed with dm_watcher_free(). Since 0.2. */
DM_EXTERN(int) dm_watcher_new(dm_watcher** out, dm_group* group, const char* const* services,
                              size_t service_count);

/* NULL is a no-op. Since 0.2. */
DM_EXTERN(void) dm_watcher_free(dm_watcher* watcher);

/* The absolute paths (directories or files) a file watcher must watch,
 * recursively, each once: none lies inside another. Borrowed: lives as long
 * as the watcher. 0 / NULL for NULL or an index out of range. Since 0.2. */
DM_EXTERN(size_t) dm_watcher_root_count(const dm_watcher* watcher);
DM_EXTERN(const char*) dm_watcher_root(const dm_watcher* watcher, size_t index);

/* What a set of changed paths asks of each watched service: one entry per
 * service with work, in the group's order. */
typedef struct dm_watch_batch dm_watch_batch;

/* Routes `paths` (`count` absolute host paths that were created, changed or
 * removed; duplicates are fine, a directory stands for the files below it)
 * to the rules. For each service, a path triggers only its most specific
 * rule (the one with the longest path containing it), and none when that
 * rule's ignore patterns or (rebuild) its context's .dockerignore exclude
 * it. The entry's action is the heaviest rule a path triggered; its files
 * are the paths each sync rule maps (a path that no longer exists on the
 * host is marked removed). Paths no rule of any service watches are left
 * out silently; paths refused are listed as skipped with the reason: a
 * symbolic link that leads out of its rule's path, a path with a ".."
 * component, a file that cannot be read. *out is freed with
 * dm_watch_batch_free(); it may have no entry. Reads the file system (the
 * files' kind), nothing else. Thread-safe. Since 0.2. */
DM_EXTERN(int) dm_watcher_route(dm_watch_batch** out, const dm_watcher* watcher,
                                const char* const* paths, size_t count);

/* The first sync of a watch: an entry for each service with sync rules,
 * listing every file under those rules that they do not ignore, so that the
 * containers match the files even if they changed while nobody watched.
 * The entries' action is DM_WATCH_SYNC (no restart, no rebuild). Since 0.2. */
DM_EXTERN(int) dm_watcher_initial(dm_watch_batch** out, const dm_watcher* watcher);

/* The batch's entries. Strings are borrowed: they live as long as the
 * batch. 0, NULL or "" for NULL or an index out of range. Since 0.2. */
DM_EXTERN(size_t) dm_watch_batch_count(const dm_watch_batch* batch);
DM_EXTERN(const char*) dm_watch_batch_service(const dm_watch_batch* batch, size_t index);
DM_EXTERN(int) dm_watch_batch_action(const dm_watch_batch* batch, size_t index);
/* The entry's files: host path, container path ("" for a path only a
 * rebuild rule matched), and whether it was removed from the host. A
 * removed path may have been a directory (the host cannot tell any more):
 * its target is removed recursively. 0 for NULL or an index out of range;
 * the strings are NULL then. */
DM_EXTERN(size_t) dm_watch_batch_file_count(const dm_watch_batch* batch, size_t index);
DM_EXTERN(const char*) dm_watch_batch_file(const dm_watch_batch* batch, size_t index, size_t file);
DM_EXTERN(const char*) dm_watch_batch_target(const dm_watch_batch* batch, size_t index,
                                             size_t file);
DM_EXTERN(int) dm_watch_batch_removed(const dm_watch_batch* batch, size_t index, size_t file);
/* Paths refused, and why ("a symbolic link that leads out of 'site'"). */
DM_EXTERN(size_t) dm_watch_batch_skipped_count(const dm_watch_batch* batch);
DM_EXTERN(const char*) dm_watch_batch_skipped(const dm_watch_batch* batch, size_t index);
DM_EXTERN(const char*) dm_watch_batch_skipped_reason(const dm_watch_batch* batch, size_t index);

/* NULL is a no-op. Since 0.2. */
DM_EXTERN(void) dm_watch_batch_free(dm_watch_batch* batch);

/* ---- actions ---- */

/* How the actions run. Initialise with DM_WATCH_OPTIONS_INIT or
 * dm_watch_options_init().
 *   timeout       seconds a restarted or rebuilt service may take to be
 *                 ready, as dm_start_options' timeout.
 *   stop_timeout  grace seconds of the containers an action stops, as
 *                 dm_reload_options' (a service's stop_grace_period wins).
 *   on_event, event_user_data  progress, as for dm_group_start(). */
typedef struct dm_watch_options {
  unsigned int version;
  double timeout;
  double stop_timeout;
  dm_event_fn on_event;
  void* event_user_data;
} dm_watch_options;

#define DM_WATCH_OPTIONS_VERSION 1
#define DM_WATCH_OPTIONS_INIT \
  { DM_WATCH_OPTIONS_VERSION, 300.0, 10.0, NULL, NULL }

/* Fills *opts with the defaults of `version`, as dm_start_options_init()
 * does. Since 0.2. */
DM_EXTERN(int) dm_watch_options_init(dm_watch_options* opts, unsigned int version);

/* Copies files into the running container of `service`: host file
 * `host_paths[i]` to the absolute container path `targets[i]` (`count`
 * pairs; missing directories are made), then deletes the `removed_count`
 * absolute container paths of `removed` (rm -rf, so a directory goes with
 * what is below it; one exec for all of them). A host directory is copied
 * with what is below it. Copied files keep their host mode and belong to the container's user (the
 * service's user, else its image's). One archive upload for all the
 * copies. A host file that cannot be read (permissions, deleted meanwhile)
 * is skipped, not fatal: *skipped (may be NULL; freed with dm_free())
 * receives one line per skipped file with the reason, or NULL when none
 * was. Runs as an operation of the group (takes the group lock; never from
 * a hook; dm_group_cancel() stops it). Returns DM_OK when the copy and
 * deletions were done; DM_ENOTFOUND for an undefined service or one
 * without a container; DM_ECONFLICT when its container is not running;
 * DM_EENGINE with the reason when the image has no `rm` to delete with
 * (the copies are done); DM_EINVALID for NULL arguments or a relative
 * target. Since 0.2. */
DM_EXTERN(int) dm_group_copy_files(dm_group* group, dm_client* client, const char* service,
                                   const char* const* host_paths, const char* const* targets,
                                   size_t count, const char* const* removed, size_t removed_count,
                                   char** skipped);

/* Restarts the running (or exited) container of `service` in place: stops
 * it with the grace period (opts->stop_timeout; the service's
 * stop_grace_period wins), starts it and waits for its ping, without
 * pre_start or post_start_init (its dependants keep running). *out (freed
 * with dm_result_free()) has one entry for the service: DM_OUTCOME_RESTARTED
 * or DM_OUTCOME_FAILED with the reason. Runs as an operation of the group
 * (takes the group lock; dm_group_cancel() stops it). Returns DM_OK,
 * DM_EFAILED (see the result), DM_ENOTFOUND (no such service, or no
 * container to restart: start it first), DM_ECANCELLED, or the engine's
 * failures. `opts` may be NULL (the defaults). Since 0.2. */
DM_EXTERN(int) dm_group_restart_service(dm_result** out, dm_group* group, dm_client* client,
                                        const char* service, const dm_watch_options* opts);

/* Carries out entry `index` of `batch` on the group: DM_WATCH_SYNC copies
 * and deletes its files (dm_group_copy_files()); DM_WATCH_SYNC_RESTART does
 * that and then dm_group_restart_service(); DM_WATCH_REBUILD runs
 * dm_group_reload() of the service with opts' timeout and stop_timeout.
 * *out (freed with dm_result_free()): one entry per service the action
 * touched (DM_OUTCOME_SYNCED for a sync; RESTARTED, RELOADED...; files
 * skipped are named in the service's reason). *out may be NULL on
 * DM_EINVALID. A failure leaves the old container running: a failed build
 * changes nothing. Returns as the function it runs; DM_ECONFLICT with a
 * message naming the service when a sync finds no running container. Takes
 * the group lock for the action only. Since 0.2. */
DM_EXTERN(int) dm_group_watch_apply(dm_result** out, dm_group* group, dm_client* client,
                                    const dm_watch_batch* batch, size_t index,
                                    const dm_watch_options* opts);

#ifdef __cplusplus
}
#endif

#endif
