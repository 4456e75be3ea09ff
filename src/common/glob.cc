#include "common/glob.h"

#include "common/utf8.h"

namespace dm {

namespace {

[[noreturn]] void malformed(const std::string& reason) { throw GlobSyntaxError(reason); }

[[noreturn]] void unclosed() { malformed("a '[' opens a character class that is never closed"); }

}  // namespace

struct Glob::Scanner {
  std::u32string_view text;
  size_t at = 0;

  bool done() const { return at >= text.size(); }
  bool next_is(char32_t c) const { return !done() && text[at] == c; }
  char32_t next() { return text[at++]; }

  // One member of a [...] class, by Go's filepath.Match rules: '-' and ']'
  // must be escaped, and the class must go on after it.
  char32_t class_member() {
    if (done()) unclosed();
    char32_t c = next();
    if (c == '-' || c == ']')
      malformed(
          "write '\\-' or '\\]' for a '-' or ']' inside [...] that is not a range or the end");
    if (c == '\\') {
      if (done()) unclosed();
      c = next();
    }
    if (c >= kNotUtf8) malformed("a [...] class holds bytes that are not UTF-8");
    if (done()) unclosed();
    return c;
  }
};

// How Docker's compiler classifies a pattern. Only Suffix changes the
// meaning: "**" followed by plain characters is matched there as "the path
// ends with them", so "**.log" matches a/b.log although "**" elsewhere
// stands for whole directories.
enum class Glob::Shape { Exact, Prefix, Suffix, Expression };

Glob::Glob(std::u32string_view pattern) {
  Scanner scan{pattern};
  Shape shape = Shape::Exact;
  for (size_t i = 0; !scan.done(); ++i) {
    char32_t c = scan.next();
    if (c == '*' && scan.next_is('*'))
      shape = add_double_star(scan, i == 0, shape);
    else
      shape = add_token(c, scan, shape);
  }
  if (shape == Shape::Suffix && pattern.size() > 2 && pattern[2] != '/')
    tokens_.front().kind = Kind::Anything;
}

// After "*", the second '*' is next.
Glob::Shape Glob::add_double_star(Scanner& scan, bool first, Shape shape) {
  scan.next();
  if (scan.next_is('/')) scan.next();  // "**/" is "**"
  bool at_end = scan.done();
  tokens_.emplace_back(at_end ? Kind::Anything : Kind::Directories);
  if (first) return Shape::Suffix;
  return at_end && shape == Shape::Exact ? Shape::Prefix : Shape::Expression;
}

Glob::Shape Glob::add_token(char32_t c, Scanner& scan, Shape shape) {
  switch (c) {
    case '*':
      tokens_.emplace_back(Kind::AnyRun);
      return Shape::Expression;
    case '?':
      tokens_.emplace_back(Kind::AnyOne);
      return Shape::Expression;
    case '[':
      tokens_.push_back(parse_class(scan));
      return Shape::Expression;
    case '\\':
      if (scan.done()) malformed("it ends in a '\\' that escapes nothing");
      tokens_.emplace_back(Kind::Character, scan.next());
      return Shape::Expression;
    default:
      tokens_.emplace_back(Kind::Character, c);
      return c == ']' ? Shape::Expression : shape;
  }
}

Glob::Token Glob::parse_class(Scanner& scan) const {
  Token token(Kind::Class);
  if (scan.next_is('^')) {
    token.negated = true;
    scan.next();
  }
  while (token.ranges.empty() || !scan.next_is(']')) {
    char32_t first = scan.class_member();
    char32_t last = first;
    if (scan.next_is('-')) {
      scan.next();
      last = scan.class_member();
    }
    // Docker's regular expression refuses such a range when it is used.
    if (last < first) malformed("a range inside [...] ends before it starts");
    token.ranges.emplace_back(first, last);
  }
  scan.next();  // ']'
  return token;
}

// Whether a token that takes one character takes `c`.
bool Glob::takes(const Token& token, char32_t c) const {
  if (token.kind == Kind::Character) return c == token.c;
  if (token.kind == Kind::AnyOne) return c != '/';
  bool member = false;  // Kind::Class
  for (const auto& [first, last] : token.ranges) member = member || (c >= first && c <= last);
  return member != token.negated;
}

// from[j]: the tokens before `token` match path[0, j). Sets to[j]: the
// tokens up to and including `token` match path[0, j).
void Glob::step(const Token& token, std::u32string_view path, const std::vector<char>& from,
                std::vector<char>& to) const {
  size_t n = path.size();
  bool seen = false;  // from[k] for some k <= j
  for (size_t j = 0; j <= n; ++j) {
    bool before = seen;  // from[k] for some k < j
    seen = seen || from[j];
    bool after_slash = j > 0 && path[j - 1] == '/';
    switch (token.kind) {
      case Kind::AnyRun:  // characters but '/'
        to[j] = from[j] || (j > 0 && to[j - 1] && !after_slash);
        break;
      case Kind::Anything:
        to[j] = seen;
        break;
      case Kind::Directories:  // nothing, or anything up to and including a '/'
        to[j] = from[j] || (after_slash && before);
        break;
      default:  // one character
        to[j] = j > 0 && from[j - 1] && takes(token, path[j - 1]);
        break;
    }
  }
}

bool Glob::matches(std::u32string_view path) const {
  size_t n = path.size();
  std::vector<char> from(n + 1, 0), to(n + 1, 0);
  from[0] = 1;
  for (const Token& token : tokens_) {
    step(token, path, from, to);
    from.swap(to);
  }
  // The whole path, or a parent directory: a prefix followed by '/'.
  for (size_t j = 0; j <= n; ++j)
    if (from[j] && (j == n || path[j] == '/')) return true;
  return false;
}

}  // namespace dm
