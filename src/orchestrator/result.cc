#include "orchestrator/operation.h"

namespace dm::orchestrator {

size_t Result::failures() const {
  size_t n = 0;
  for (const Outcome& o : services)
    if (o.outcome == DM_OUTCOME_FAILED || o.outcome == DM_OUTCOME_SKIPPED) n++;
  return n;
}

}  // namespace dm::orchestrator
