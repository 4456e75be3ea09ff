// Which services a start brings up, as Compose's `up SERVICE...` and
// profiles decide: with services named, those and everything they depend
// on; without, every service. A service with profiles is brought up only
// when one of them is enabled or it is named (naming a service enables its
// profiles, as Compose does); one without profiles always is. A service
// brought up whose dependency is left out by its profiles is an error: it
// would start without what it needs. Pure: the unit tests check every rule.
#ifndef DM_MODEL_SELECTION_H
#define DM_MODEL_SELECTION_H

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/service.h"

namespace dm::model {

struct Selection {
  std::set<size_t> services;               // brought up, by index in the group
  std::map<size_t, std::string> left_out;  // the others: why, for their outcome
};

// `group` must be valid (model/validate.h). Throws dm::Error(Code::Invalid)
// with one line per problem: a named service that is not defined, a profile
// or a dependency left out.
Selection select_services(const GroupDef& group, const std::vector<std::string>& only,
                          const std::vector<std::string>& profiles);

}  // namespace dm::model

#endif
