#include "model/build.h"

#include "model/digest.h"

namespace dm::model {

std::string build_hash(const ServiceDef& service) {
  if (service.build_args.empty() && service.build_target.empty()) return "";
  Digest digest;
  digest.add(service.build_target);
  digest.add(std::to_string(service.build_args.size()));
  for (const auto& [name, value] : service.build_args) {
    digest.add(name);
    digest.add(value);
  }
  return digest.hex();
}

}  // namespace dm::model
