#include "orchestrator/reuse.h"

namespace dm::orchestrator {
namespace {

// Only a set-up instance made from this definition (and, when known, this
// image) may serve the service again.
bool reusable(const Instance& instance, const std::string& definition_hash,
              const std::string& image_id) {
  return instance.set_up && !definition_hash.empty() &&
         instance.definition_hash == definition_hash &&
         (image_id.empty() || instance.image_id == image_id);
}

}  // namespace

Reuse choose_reuse(const std::vector<Instance>& existing, const std::string& definition_hash,
                   const std::string& image_id, bool recreate) {
  if (!recreate)
    for (const Instance& instance : existing)
      if (reusable(instance, definition_hash, image_id))
        return {instance.running() ? Reuse::Kind::KeepRunning : Reuse::Kind::StartAgain, &instance};
  return {Reuse::Kind::New, nullptr};
}

bool untouched(const std::vector<Instance>& existing, const std::string& definition_hash,
               bool recreate, bool rebuild) {
  if (recreate || rebuild || existing.empty() || !existing.front().running()) return false;
  return reusable(existing.front(), definition_hash, "");
}

Reuse choose_job_reuse(const std::vector<Instance>& existing, const std::string& definition_hash,
                       const std::string& image_id, bool rerun) {
  if (!rerun)
    for (const Instance& instance : existing)
      if (instance.completed() && reusable(instance, definition_hash, image_id))
        return {Reuse::Kind::Completed, &instance};
  return {Reuse::Kind::New, nullptr};
}

bool job_untouched(const std::vector<Instance>& existing, const std::string& definition_hash,
                   bool rerun, bool rebuild) {
  if (rebuild) return false;
  return choose_job_reuse(existing, definition_hash, "", rerun).kind == Reuse::Kind::Completed;
}

}  // namespace dm::orchestrator
