#include "orchestrator/target.h"

#include "common/error.h"

namespace dm::orchestrator {

const std::vector<Instance>& Instances::of(const std::string& service) const {
  static const std::vector<Instance> none;
  auto it = by_service.find(service);
  return it == by_service.end() ? none : it->second;
}

model::ExecResult Target::exec(const std::string& service, const std::string&,
                               const model::ExecRequest&, const std::vector<const CancelToken*>&) {
  throw Error(Error::Code::Invalid,
              "service '" + service + "': this target cannot run commands in containers");
}

}  // namespace dm::orchestrator
