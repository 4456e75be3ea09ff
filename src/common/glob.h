// One .dockerignore pattern, compiled, in the language of Docker's CLI
// (moby's patternmatcher, which turns a pattern into a regular expression):
//
//   *      any run of characters but '/'     ?    one character but '/'
//   **     any run of whole directories: "**/x" matches x, a/x and a/b/x;
//          at the end ("a/**") anything at all below; a pattern that starts
//          with "**" and has no other wildcard ("**.log", "**/x") matches
//          by suffix, as Docker's does
//   [a-z]  one character of a class ('^' after '[' negates it), by Go's
//          filepath.Match syntax; \c   the character c itself
//
// A pattern matches a path or any of its parent directories, so "build"
// also covers build/out/x.o.
//
// Matching runs over (pattern token, path position) pairs once each: time
// is the pattern's length times the path's, whatever the pattern (a
// backtracking matcher takes exponential time on "**/**/.../x").
//
// Where Docker's regular expressions leak through, drillmaster keeps to the
// syntax Docker documents and validates (tests/common/
// dockerignore_reference_test.cc shows each case):
//   - "\c" is the character c, also for letters ("\d" is not a digit class
//     and "\b" not a word boundary);
//   - inside [...] every character is a member ("[*]" is a star, "[?]" a
//     question mark, "[[:alpha:]]" the characters '[', ':', 'a', ...);
//   - '^' outside a class is a character, not an anchor;
//   - "**" crosses a newline in a file name, and a byte that is not UTF-8
//     matches only itself;
//   - the whole pattern is checked when it is read (Docker's check stops at
//     its first wildcard, and a bad range fails only when a path reaches it).
#ifndef DM_COMMON_GLOB_H
#define DM_COMMON_GLOB_H

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dm {

// A pattern Go's filepath.Match calls malformed (Docker's CLI refuses it
// too); what() says what is wrong with it.
class GlobSyntaxError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

class Glob {
 public:
  // `pattern` as code points (common/utf8.h), already cleaned like a path.
  // Throws GlobSyntaxError.
  explicit Glob(std::u32string_view pattern);

  // Whether the pattern matches `path` ('/'-separated, cleaned) or one of
  // its parent directories.
  bool matches(std::u32string_view path) const;

 private:
  enum class Kind {
    Character,    // c
    AnyOne,       // ? : one character but '/'
    AnyRun,       // * : characters but '/'
    Class,        // [...]
    Anything,     // ** at the end: any characters
    Directories,  // **/ : nothing, or any characters ending in '/'
  };
  struct Token {
    explicit Token(Kind kind, char32_t c = 0) : kind(kind), c(c) {}
    Kind kind;
    char32_t c;
    bool negated = false;
    std::vector<std::pair<char32_t, char32_t>> ranges;  // inclusive
  };
  struct Scanner;
  enum class Shape;

  Shape add_double_star(Scanner& scan, bool first, Shape shape);
  Shape add_token(char32_t c, Scanner& scan, Shape shape);
  Token parse_class(Scanner& scan) const;

  bool takes(const Token& token, char32_t c) const;
  void step(const Token& token, std::u32string_view path, const std::vector<char>& from,
            std::vector<char>& to) const;

  std::vector<Token> tokens_;
};

}  // namespace dm

#endif
