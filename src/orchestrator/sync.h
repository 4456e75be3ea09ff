// Files into a service's running container, for the sync actions of watch
// rules: one archive upload for the copies (engine/build_context.h makes
// it), one exec of `rm -rf --` for the deletions (the engine has no delete
// through its archive endpoint).
#ifndef DM_ORCHESTRATOR_SYNC_H
#define DM_ORCHESTRATOR_SYNC_H

#include <string>
#include <vector>

#include "common/cancel.h"
#include "engine/build_context.h"
#include "engine/client.h"

namespace dm::orchestrator {

// Copies `files` into `container`, `service`'s, as its user (by number: its
// uid:gid, or what `id` says in it of a user given by name; root without
// one), then deletes `removed` (absolute
// container paths, directories with what is below them). Returns one line
// per host file skipped because it cannot be read. Code::Invalid for a
// target that is not absolute; Code::Engine naming the service when its
// image has no `rm` (the copies are done) or rm fails; Code::Cancelled.
std::vector<std::string> sync_files(engine::Client& engine, const std::string& service,
                                    const std::string& container,
                                    const std::vector<engine::CopiedFile>& files,
                                    const std::vector<std::string>& removed,
                                    const CancelToken& cancel);

}  // namespace dm::orchestrator

#endif
