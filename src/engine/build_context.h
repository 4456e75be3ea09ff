// The tar archive sent as the body of POST /build.
//
// The context directory is archived with paths relative to it, owner 0:0,
// symlinks kept as links. A .dockerignore at its root excludes paths the
// simple way Docker's CLI does: one pattern a line, '#' comments, globs
// matched with fnmatch per path segment, "**" for any number of segments, a
// pattern that matches a directory excludes everything under it, and a
// later "!pattern" takes a path back in. The Dockerfile and .dockerignore
// are always sent, as the daemon needs them.
#ifndef DM_ENGINE_BUILD_CONTEXT_H
#define DM_ENGINE_BUILD_CONTEXT_H

#include <string>
#include <vector>

namespace dm::engine {

class DockerIgnore {
 public:
  DockerIgnore() = default;
  explicit DockerIgnore(const std::vector<std::string>& lines);
  // Reads <dir>/.dockerignore; no file means nothing is excluded.
  static DockerIgnore load(const std::string& dir);

  // `path` is relative to the context, '/'-separated.
  bool excluded(const std::string& path) const;
  // Whether some pattern can take back a path under an excluded directory
  // (then excluded directories must still be walked).
  bool has_negations() const;

 private:
  struct Pattern {
    std::vector<std::string> segments;
    bool negate = false;
  };
  std::vector<Pattern> patterns_;
};

// Checks that `context_dir` is a directory holding `dockerfile` and returns
// the tar of it. Throws dm::Error(Code::Invalid) naming the path otherwise, or
// when a file cannot be read.
std::string make_build_context(const std::string& context_dir, const std::string& dockerfile);

}  // namespace dm::engine

#endif
