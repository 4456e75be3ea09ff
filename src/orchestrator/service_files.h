// The files a service's definition names besides its build context: its
// env files (read into its env, under the values `env` gives) and its
// secrets (which must exist to be mounted). Read when an operation starts,
// not when the service is defined: a spec loads without them, and an edited
// env file changes the definition hash (its values are in env), so the
// container is made again.
#ifndef DM_ORCHESTRATOR_SERVICE_FILES_H
#define DM_ORCHESTRATOR_SERVICE_FILES_H

#include <string>
#include <vector>

#include "model/service.h"

namespace dm::orchestrator {

// `group` with each service's env files read into its env (a file's values
// first, in order; a later file wins over an earlier one, and env over
// both). Services named in `skip` are left as they are. Throws
// Error(Code::Invalid) naming the service and the file when an env file or a
// secret's file cannot be read, or a line of an env file does not parse.
model::GroupDef with_service_files(const model::GroupDef& group,
                                   const std::vector<std::string>& skip = {});

}  // namespace dm::orchestrator

#endif
