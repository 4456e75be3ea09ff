// Removing whatever a group left on the engine when no definition of it is at
// hand: what drillmaster-reaper does once the process that started the group
// is gone. It goes by the group label alone, as everything drillmaster makes
// carries it (identity.h).
#ifndef DM_ORCHESTRATOR_SWEEP_H
#define DM_ORCHESTRATOR_SWEEP_H

#include <string>

#include "common/cancel.h"
#include "engine/client.h"

namespace dm::orchestrator {

// Under the group lock (lock.h; a start of the group in progress in another
// process finishes first, waited for up to GroupLock::kStopWaitSeconds),
// removes every container labelled io.drillmaster.group=<group>, forced and
// with its anonymous volumes, then the group's networks (`network`, and any
// other labelled for the group) that drillmaster made for it and nothing
// uses any more. Images stay, as with a stop that removes. Returns how many
// containers it could not remove (the engine refused; they are tried again
// by the next sweep). Throws dm::Error when the lock cannot be had or the
// engine fails to list or to remove a network.
size_t sweep_group(engine::Client& engine, const std::string& group, const std::string& network,
                   const CancelToken& cancel);

}  // namespace dm::orchestrator

#endif
