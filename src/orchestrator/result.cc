#include "orchestrator/operation.h"

namespace dm::orchestrator {

size_t Result::failures() const {
  size_t n = 0;
  for (const Outcome& o : services)
    if (o.outcome == DM_OUTCOME_FAILED || o.outcome == DM_OUTCOME_SKIPPED) n++;
  return n;
}

int Result::status() const {
  if (cancelled) return DM_ECANCELLED;
  return failures() > 0 ? DM_EFAILED : DM_OK;
}

}  // namespace dm::orchestrator
