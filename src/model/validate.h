// Checks a group definition before anything touches the engine. Every problem
// is reported, each as one sentence that names the service, the field and the
// value, and says what would be accepted.
#ifndef DM_MODEL_VALIDATE_H
#define DM_MODEL_VALIDATE_H

#include <string>
#include <vector>

#include "model/service.h"

namespace dm::model {

// Every problem of `group` with the services in `exclude` left out; empty when
// the group is valid. Checks: group and network names; per service: name (a
// DNS label: [a-z0-9] and '-', 1-63 chars, not starting or ending with '-';
// upper case is an error that suggests the lower-case name), unique names,
// then each field's check in the order of the field table (fields.h); the
// graph: no dependency cycle, printed as "a -> b -> c -> a". Exclusions: every
// excluded name must be defined; a service that stays in may not depend on an
// excluded one.
std::vector<std::string> validate(const GroupDef& group, const std::vector<std::string>& exclude);

// validate(), throwing dm::Error(Code::Invalid) with the problems one per line.
void check(const GroupDef& group, const std::vector<std::string>& exclude);

// validate() for a stop, where an excluded service keeps running instead of
// being left out: only excluded names that are not defined are wrong. A
// service may stop while a dependency it needs keeps running (`stop --exclude
// db` stops the others and keeps the database), so the start rule "a service
// that stays in may not need an excluded one" does not apply.
std::vector<std::string> validate_stop(const GroupDef& group,
                                       const std::vector<std::string>& exclude);

// The problems of `service`'s fields on its own, as validate() would report
// them in a group, leaving out its name (the group checks names) and what
// needs the other services (dependencies, cycles, a host port published
// twice) or is only known at start (files, an image a build makes): what a
// binding can tell its user when the service is defined.
std::vector<std::string> validate_alone(const ServiceDef& service);

// validate_stop(), throwing as check() does.
void check_stop(const GroupDef& group, const std::vector<std::string>& exclude);

}  // namespace dm::model

#endif
