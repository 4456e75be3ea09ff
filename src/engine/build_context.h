// The tar archive sent as the body of POST /build.
//
// The context directory is archived with paths relative to it, owner 0:0,
// symlinks kept as links, leaving out what its .dockerignore excludes
// (common/dockerignore.h). The Dockerfile and .dockerignore are always sent,
// as the daemon needs them.
#ifndef DM_ENGINE_BUILD_CONTEXT_H
#define DM_ENGINE_BUILD_CONTEXT_H

#include <string>
#include <vector>

#include "common/dockerignore.h"

namespace dm::engine {

// Checks that `context_dir` is a directory holding `dockerfile` and returns
// the tar of it. Throws dm::Error(Code::Invalid) naming the path otherwise,
// when a file cannot be read, or when the .dockerignore is malformed.
std::string make_build_context(const std::string& context_dir, const std::string& dockerfile);

// A host file (or directory, with what is below it) and the absolute path
// it gets in a container.
struct CopiedFile {
  std::string host;
  std::string target;
};

// Who copied files belong to in the container, by number.
struct FileOwner {
  long uid = 0;
  long gid = 0;
};

// The tar of PUT /containers/{id}/archive extracted at "/": each file at its
// target path relative to "/", with its host mode and `owner` (the engine
// makes the missing parent directories, owned by root). A host path that
// cannot be read is left out with a line in *skipped. Throws
// dm::Error(Code::Invalid) for a target that is not absolute.
std::string make_copy_archive(const std::vector<CopiedFile>& files, const FileOwner& owner,
                              std::vector<std::string>* skipped);

}  // namespace dm::engine

#endif
