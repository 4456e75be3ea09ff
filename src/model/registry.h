// The `registry` setting of a start or reload on a swarm target: where the
// images drillmaster builds are pushed so that every node of the swarm can
// pull them. Its value is a registry's host[:port] and an optional path
// prefix ("127.0.0.1:5000/myteam"); a built image of service S of group G is
// pushed as "<registry>/<g>_<s>:<tag>", the tag the first 12 hex digits of
// the image id: a new build gets a new tag, and a tag names one build only,
// so the task on any node runs exactly the image this start built.
#ifndef DM_MODEL_REGISTRY_H
#define DM_MODEL_REGISTRY_H

#include <string>

namespace dm::model {

// What is wrong with `registry` as that setting's value, as a sentence that
// says what to write instead; "" when nothing is (also for "": no registry).
std::string registry_problem(const std::string& registry);

// The repository a built image of `service` in group `group` is pushed to:
// "<registry>/<group>_<service>", lower-cased as repository names must be.
std::string pushed_repository(const std::string& registry, const std::string& group,
                              const std::string& service);

// The tag of a pushed build: the first 12 hex digits of `image_id`
// ("sha256:3f4e..." -> "3f4e..."), as `docker images` shows an image id.
std::string pushed_tag(const std::string& image_id);

// What is wrong with pushed_repository()'s last component for `group` and
// `service` (a group name with "..", say, which the registry's name rules
// refuse); "" when nothing is.
std::string pushed_name_problem(const std::string& group, const std::string& service);

}  // namespace dm::model

#endif
