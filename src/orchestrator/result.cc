#include "orchestrator/operation.h"

namespace dm::orchestrator {

size_t Result::failures() const {
  size_t n = 0;
  for (const Outcome& o : services)
    if (o.outcome == Outcome::Kind::Failed || o.outcome == Outcome::Kind::Skipped) n++;
  return n;
}

}  // namespace dm::orchestrator
