#include "orchestrator/target.h"

namespace dm::orchestrator {

const std::vector<Instance>& Instances::of(const std::string& service) const {
  static const std::vector<Instance> none;
  auto it = by_service.find(service);
  return it == by_service.end() ? none : it->second;
}

}  // namespace dm::orchestrator
