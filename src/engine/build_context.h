// The tar archive sent as the body of POST /build.
//
// The context directory is archived with paths relative to it, owner 0:0,
// symlinks kept as links, leaving out what its .dockerignore excludes
// (common/dockerignore.h). The Dockerfile and .dockerignore are always sent,
// as the daemon needs them.
#ifndef DM_ENGINE_BUILD_CONTEXT_H
#define DM_ENGINE_BUILD_CONTEXT_H

#include <string>

#include "common/dockerignore.h"

namespace dm::engine {

// Checks that `context_dir` is a directory holding `dockerfile` and returns
// the tar of it. Throws dm::Error(Code::Invalid) naming the path otherwise,
// when a file cannot be read, or when the .dockerignore is malformed.
std::string make_build_context(const std::string& context_dir, const std::string& dockerfile);

}  // namespace dm::engine

#endif
