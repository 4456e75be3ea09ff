// Volume specs ("host:container[:ro|rw]" or parts) checked and parsed, and
// host paths resolved against the group directory.
#ifndef DM_MODEL_VOLUMES_H
#define DM_MODEL_VOLUMES_H

#include <string>
#include <vector>

#include "model/service.h"

namespace dm::model {

// The volume as the user wrote it, for messages: the spec, or the parts
// joined like one.
std::string volume_text(const VolumeSpec& volume);

// The volume split into host, container and mode (spec form or parts form);
// false when the spec does not have two or three ':'-separated parts.
bool split_volume(const VolumeSpec& volume, VolumeSpec* parts);

// What is wrong with `volume`, as the end of a sentence starting with
// "service 'x': " ("volume 'foo' must be host:container[:ro|rw]"); "" when
// it is fine.
std::string volume_problem(const VolumeSpec& volume);

// Is the host part a path (starts with '/', '.' or '~', or contains '/')
// rather than a Docker volume name?
bool is_host_path(const std::string& host);

// `path` with "." and ".." and repeated '/' removed lexically; "~" and "~/x"
// expand to $HOME; a relative path is taken relative to `directory`.
std::string resolve_path(const std::string& path, const std::string& directory);

// The volumes of `service` parsed, relative host paths ("./x", "../x", "x/y")
// resolved against `directory`, "~" and "~/x" against $HOME; a host part
// without '/' that does not start with '.' or '~' is a volume name. Assumes
// valid volumes.
std::vector<Volume> resolve_volumes(const ServiceDef& service, const std::string& directory);

// The build context as an absolute path, resolved against `directory`; ""
// when the service has none.
std::string resolve_build_context(const ServiceDef& service, const std::string& directory);

}  // namespace dm::model

#endif
