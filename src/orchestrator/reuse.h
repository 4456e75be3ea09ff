// The reuse rules of a start (README, "The rules of start"): which existing
// instance of a service, if any, serves it again. Pure: the start's steps
// ask, the unit tests check every rule.
//   running, same definition          -> left alone, no hooks
//   exited, same definition and image -> started again and pinged
//   otherwise (none, outdated, a new container asked for, a setup that never
//   finished, never started)          -> a new one; the others are removed
// A job (a oneshot service) is never started again:
//   completed with 0, same definition and image, no rerun asked for
//                                     -> left alone, no hooks
//   otherwise (failed, outdated, a new container asked for, a dependency
//   that got a new container in this start) -> run again in a new one
#ifndef DM_ORCHESTRATOR_REUSE_H
#define DM_ORCHESTRATOR_REUSE_H

#include <string>
#include <vector>

#include "orchestrator/target.h"

namespace dm::orchestrator {

struct Reuse {
  enum class Kind { KeepRunning, StartAgain, New, Completed };
  Kind kind;
  const Instance* instance = nullptr;  // KeepRunning, StartAgain, Completed: which one
};

// `existing`: the service's instances, running ones first. `image_id`: its
// image as ensured now, "" when it was not looked at (then not compared).
// `recreate`: a new instance was asked for.
Reuse choose_reuse(const std::vector<Instance>& existing, const std::string& definition_hash,
                   const std::string& image_id, bool recreate);

// Whether the service's running instance can be left alone without even
// looking at its image: the warm path. Not when a new instance or a rebuild
// of its image was asked for.
bool untouched(const std::vector<Instance>& existing, const std::string& definition_hash,
               bool recreate, bool rebuild);

// A job's: Completed or New. `rerun`: a new instance was asked for, or one
// of its dependencies got a new instance in this start (a fresh database
// needs its migration again).
Reuse choose_job_reuse(const std::vector<Instance>& existing, const std::string& definition_hash,
                       const std::string& image_id, bool rerun);

// Whether a job's completed instance can be left alone without even looking
// at its image: the warm path.
bool job_untouched(const std::vector<Instance>& existing, const std::string& definition_hash,
                   bool rerun, bool rebuild);

}  // namespace dm::orchestrator

#endif
