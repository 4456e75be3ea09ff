// What an image built for a service is built with besides its context: the
// build's ARG values and target stage. They are part of the image's
// identity: an image built with other ones is built again.
#ifndef DM_MODEL_BUILD_H
#define DM_MODEL_BUILD_H

#include <string>

#include "model/service.h"

namespace dm::model {

// The label an image built for a service carries with build_hash(), and so
// does a container made from one: a change of the build changes the
// container's definition too, and both are made again.
inline constexpr const char* kBuildLabel = "io.drillmaster.build-hash";

// Sixteen hex digits that change with the service's build_args and
// build_target; "" when neither is set, as for images built before they
// existed.
std::string build_hash(const ServiceDef& service);

}  // namespace dm::model

#endif
