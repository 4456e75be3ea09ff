// .dockerignore: which paths of a build context stay out of it, by the rules
// of Docker's CLI (moby's ignorefile and patternmatcher):
//
//   - one pattern a line; a line starting with '#' is a comment; white space
//     around a pattern is dropped, and a UTF-8 byte order mark at the start;
//   - "!pattern" takes back what earlier patterns excluded: the last pattern
//     that matches a path decides;
//   - each pattern is cleaned like a path ("a/../b" is "b", "./a/" is "a",
//     a leading '/' is dropped), then matched by common/glob.h: it covers a
//     path or any of the path's parent directories;
//   - a malformed pattern (an unclosed '[', a lone '!') is an error, as it is
//     for `docker build` (which checks less of each pattern: common/glob.h).
#ifndef DM_COMMON_DOCKERIGNORE_H
#define DM_COMMON_DOCKERIGNORE_H

#include <string>
#include <vector>

#include "common/glob.h"

namespace dm {

class DockerIgnore {
 public:
  DockerIgnore() = default;
  // The lines of a .dockerignore; `source` names it in error messages.
  // Throws dm::Error(Code::Invalid) naming the line of a malformed pattern.
  explicit DockerIgnore(const std::vector<std::string>& lines,
                        const std::string& source = ".dockerignore");
  // Reads <dir>/.dockerignore; no file means nothing is excluded.
  static DockerIgnore load(const std::string& dir);

  // `path` is relative to the context, '/'-separated.
  bool excluded(const std::string& path) const;
  // Whether some pattern can take back a path under an excluded directory
  // (then excluded directories must still be walked).
  bool has_negations() const;

 private:
  struct Pattern {
    Glob glob;
    bool negate;
  };
  std::vector<Pattern> patterns_;
};

}  // namespace dm

#endif
