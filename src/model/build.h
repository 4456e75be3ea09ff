// What an image built for a service is built with besides its context: the
// build's ARG values and target stage. They are part of the image's
// identity: an image built with other ones is built again.
#ifndef DM_MODEL_BUILD_H
#define DM_MODEL_BUILD_H

#include <string>

#include "model/service.h"

namespace dm::model {

// The label a container of a service with a build carries with build_hash():
// a change of the build changes the container's definition, so it is made
// again, and the label with the container's image id tells whether an
// existing image was built with this build (orchestrator/images.h,
// image_fresh). Images themselves carry no label of drillmaster's: the
// engine's classic builder would spend a build step on each.
inline constexpr const char* kBuildLabel = "io.drillmaster.build-hash";

// Sixteen hex digits that change with the service's build_args and
// build_target; "" when neither is set, as for images built before they
// existed.
std::string build_hash(const ServiceDef& service);

}  // namespace dm::model

#endif
