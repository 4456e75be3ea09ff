// Removal of a group when the process that started it exits without
// stopping it: the job Ryuk does for Testcontainers, without an image.
//
// A process-wide registry, keyed by engine address and group name. The first
// start with remove_on_exit of a key spawns one drillmaster-reaper for it
// (reaper_spawn.h); later starts of the key reuse it, adding the process they
// watch. When the process ends, however it ends (exit, crash, kill -9), the
// kernel closes its end of the control stream and the reaper removes the
// group (src/reaper/), once every watched process has exited too. keep()
// and release() tell the reaper to leave the group alone and forget it.
//
// The registry is never destroyed: its descriptors must stay open until the
// process ends, whatever static destructors run at exit. The removal follows
// the registering process alone: a child it forks closes its copies at once
// (pthread_atfork) and starts with an empty registry, and programs it
// executes never inherit them (close-on-exec).
#ifndef DM_ORCHESTRATOR_REMOVAL_ON_EXIT_H
#define DM_ORCHESTRATOR_REMOVAL_ON_EXIT_H

#include <string>

#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/events.h"

namespace dm::orchestrator {

// What a start needs for the removal, found before it touches the engine.
struct RemovalOnExit {
  std::string reaper;  // the executable (reaper_location.h)
  long watch_pid = 0;  // 0: none beyond this process

  // Checks the request: `watch_pid` is 0 (this process) or a process that
  // exists, and the reaper executable is found. Throws dm::Error(Code::Invalid)
  // naming the value or every place looked at.
  static RemovalOnExit prepare(long watch_pid);
};

// Registers the group on `engine` for removal: spawns its reaper, or tells
// the running one to wait for `removal.watch_pid` too. A reaper that died
// since is replaced. Emits a Detail event when it spawns one. Throws
// dm::Error when the reaper cannot be started. Thread-safe.
void arm_removal_on_exit(const engine::Client& engine, const model::GroupDef& group,
                         const RemovalOnExit& removal, Events& events);

// Cancels the removal of every registration of `group`, on any engine: each
// reaper is told "keep" and forgotten. Returns how many there were.
// Thread-safe.
size_t keep_on_exit(const std::string& group);

// Cancels the removal of `group` on the engine at `engine_address`, after a
// stop removed the group: the group is gone, and a later start under the
// same name by another process must not be removed when this one exits.
// Thread-safe.
void release_removal_on_exit(const std::string& engine_address, const std::string& group);

}  // namespace dm::orchestrator

#endif
