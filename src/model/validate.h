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
// image (non-empty, no white space), dependencies (defined, not itself, no
// cycle, printed as "a -> b -> c -> a"), ports (container port 1-65535 with
// optional /tcp or /udp, host port 1-65535 or 0 for one the engine picks, one
// host port published once per protocol across the group), env names (non-empty, no '='), volumes
// (well-formed, absolute container path, mode ro/rw), stop signal, dockerfile
// without a build context, timeout (finite). Exclusions: every excluded name
// must be defined; a service that stays in may not depend on an excluded one.
std::vector<std::string> validate(const GroupDef& group, const std::vector<std::string>& exclude);

// validate(), throwing dm::Error(Code::Invalid) with the problems one per line.
void check(const GroupDef& group, const std::vector<std::string>& exclude);

// Is `name` a valid Docker object name ([a-zA-Z0-9][a-zA-Z0-9_.-]*)?
bool is_docker_name(const std::string& name);

// The container port in canonical form: "80" -> "80/tcp", "53/udp" stays.
// Assumes a valid port (validate() first).
std::string canonical_port(const std::string& container_port);

// The stop signal in canonical form ("term", "SIGTERM", "sigterm" ->
// "SIGTERM"); "" when it is not one of SIGTERM, SIGINT, SIGQUIT, SIGKILL,
// SIGHUP, SIGUSR1, SIGUSR2.
std::string canonical_signal(const std::string& signal);

// The volumes of `service` parsed, relative host paths ("./x", "../x", "x/y")
// resolved against `directory`, "~" and "~/x" against $HOME; a host part
// without '/' that does not start with '.' or '~' is a volume name. Assumes
// valid volumes.
std::vector<Volume> resolve_volumes(const ServiceDef& service, const std::string& directory);

// The build context as an absolute path, resolved against `directory`.
std::string resolve_build_context(const ServiceDef& service, const std::string& directory);

}  // namespace dm::model

#endif
