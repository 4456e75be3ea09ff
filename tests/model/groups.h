// Small builders for group definitions in the model tests.
#ifndef DM_TESTS_MODEL_GROUPS_H
#define DM_TESTS_MODEL_GROUPS_H

#include <initializer_list>
#include <string>
#include <vector>

#include "model/service.h"

namespace dm::model::testing {

// A valid service: a name, the busybox image, and these dependencies.
inline ServiceDef service(const std::string& name, std::vector<std::string> dependencies = {}) {
  ServiceDef s;
  s.name = name;
  s.image = "busybox:latest";
  s.dependencies = std::move(dependencies);
  return s;
}

// A valid group "demo" in /srv/demo holding `services`.
inline GroupDef group(std::vector<ServiceDef> services) {
  GroupDef g;
  g.name = "demo";
  g.directory = "/srv/demo";
  g.services = std::move(services);
  return g;
}

}  // namespace dm::model::testing

#endif
