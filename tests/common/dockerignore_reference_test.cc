// .dockerignore against the reference rules: the test tables of moby's
// patternmatcher (patternmatcher_test.go, ignorefile/ignorefile_test.go)
// and of moby's builder/dockerignore (excluder_test.go), ported as data, then
// drillmaster's own cases for what those tables leave out (".." cleaning,
// slashes, escapes, "**" in every position, negation order, comments and
// white space), each checked against Docker's matcher when it was written.
// Last, the differences kept on purpose, each with Docker's answer and why.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/dockerignore.h"
#include "common/error.h"

namespace dm {
namespace {

enum class Answer { Kept, Excluded, Refused };

const char* name(Answer answer) {
  switch (answer) {
    case Answer::Kept:
      return "kept";
    case Answer::Excluded:
      return "excluded";
    case Answer::Refused:
      return "refused";
  }
  return "?";
}

// The .dockerignore `lines` applied to `path`.
Answer answer(const std::vector<std::string>& lines, const std::string& path) {
  try {
    return DockerIgnore(lines).excluded(path) ? Answer::Excluded : Answer::Kept;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    return Answer::Refused;
  }
}

struct Case {
  std::vector<std::string> lines;
  std::string path;
  Answer expected;
};

constexpr Answer K = Answer::Kept;
constexpr Answer X = Answer::Excluded;
constexpr Answer R = Answer::Refused;

void check(const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::string lines;
    for (const std::string& line : c.lines) lines += "\n  " + line;
    EXPECT_EQ(name(answer(c.lines, c.path)), std::string(name(c.expected)))
        << "path '" << c.path << "' with the lines:" << lines;
  }
}

// patternmatcher_test.go, TestMatches: one pattern, one path.
const std::string kWheel = "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl";

TEST(DockerIgnoreReference, PatternMatcherMatchesTable) {
  check({
      {{"**"}, "file", X},
      {{"**"}, "file/", X},
      {{"**/"}, "file", X},
      {{"**/"}, "file/", X},
      {{"**"}, "/", X},
      {{"**/"}, "/", X},
      {{"**"}, "dir/file", X},
      {{"**/"}, "dir/file", X},
      {{"**"}, "dir/file/", X},
      {{"**/"}, "dir/file/", X},
      {{"**/**"}, "dir/file", X},
      {{"**/**"}, "dir/file/", X},
      {{"dir/**"}, "dir/file", X},
      {{"dir/**"}, "dir/file/", X},
      {{"dir/**"}, "dir/dir2/file", X},
      {{"dir/**"}, "dir/dir2/file/", X},
      {{"**/dir"}, "dir", X},
      {{"**/dir"}, "dir/file", X},
      {{"**/dir2/*"}, "dir/dir2/file", X},
      {{"**/dir2/*"}, "dir/dir2/file/", X},
      {{"**/dir2/**"}, "dir/dir2/dir3/file", X},
      {{"**/dir2/**"}, "dir/dir2/dir3/file/", X},
      {{"**file"}, "file", X},
      {{"**file"}, "dir/file", X},
      {{"**/file"}, "dir/file", X},
      {{"**file"}, "dir/dir/file", X},
      {{"**/file"}, "dir/dir/file", X},
      {{"**/file*"}, "dir/dir/file", X},
      {{"**/file*"}, "dir/dir/file.txt", X},
      {{"**/file*txt"}, "dir/dir/file.txt", X},
      {{"**/file*.txt"}, "dir/dir/file.txt", X},
      {{"**/file*.txt*"}, "dir/dir/file.txt", X},
      {{"**/**/*.txt"}, "dir/dir/file.txt", X},
      {{"**/**/*.txt2"}, "dir/dir/file.txt", K},
      {{"**/*.txt"}, "file.txt", X},
      {{"**/**/*.txt"}, "file.txt", X},
      {{"a**/*.txt"}, "a/file.txt", X},
      {{"a**/*.txt"}, "a/dir/file.txt", X},
      {{"a**/*.txt"}, "a/dir/dir/file.txt", X},
      {{"a/*.txt"}, "a/dir/file.txt", K},
      {{"a/*.txt"}, "a/file.txt", X},
      {{"a/*.txt**"}, "a/file.txt", X},
      {{"a[b-d]e"}, "ae", K},
      {{"a[b-d]e"}, "ace", X},
      {{"a[b-d]e"}, "aae", K},
      {{"a[^b-d]e"}, "aze", X},
      {{".*"}, ".foo", X},
      {{".*"}, "foo", K},
      {{"abc.def"}, "abcdef", K},
      {{"abc.def"}, "abc.def", X},
      {{"abc.def"}, "abcZdef", K},
      {{"abc?def"}, "abcZdef", X},
      {{"abc?def"}, "abcdef", K},
      {{R"(a\\)"}, R"(a\)", X},
      {{"**/foo/bar"}, "foo/bar", X},
      {{"**/foo/bar"}, "dir/foo/bar", X},
      {{"**/foo/bar"}, "dir/dir2/foo/bar", X},
      {{"abc/**"}, "abc", K},
      {{"abc/**"}, "abc/def", X},
      {{"abc/**"}, "abc/def/ghi", X},
      {{"**/.foo"}, ".foo", X},
      {{"**/.foo"}, "bar.foo", K},
      {{"a(b)c/def"}, "a(b)c/def", X},
      {{"a(b)c/def"}, "a(b)c/xyz", K},
      {{"a.|)$(}+{bc"}, "a.|)$(}+{bc", X},
      {{kWheel}, kWheel, X},
      {{"dist/*.whl"}, kWheel, X},
      {{R"(a\*b)"}, "a*b", X},
  });
}

// patternmatcher_test.go, TestMatches' multiPatternTests and the small
// tests around it (wildcards, exclusions before and after, folders, ".",
// "!" alone, no patterns, a malformed one, the cleaned pattern list).
TEST(DockerIgnoreReference, PatternMatcherSeveralPatterns) {
  check({
      {{"**", "!util/docker/web"}, "util/docker/web/foo", K},
      {{"**", "!util/docker/web", "util/docker/web/foo"}, "util/docker/web/foo", X},
      {{"**", "!" + kWheel}, kWheel, K},
      {{"**", "!dist/*.whl"}, kWheel, K},
      {{"*"}, "fileutils.go", X},
      {{"*.go"}, "fileutils.go", X},
      {{"!fileutils.go", "*.go"}, "fileutils.go", X},
      {{"docs", "!docs/README.md"}, "docs/README.md", K},
      {{"docs/", "!docs/README.md"}, "docs/README.md", K},
      {{"docs/*", "!docs/README.md"}, "docs/README.md", K},
      {{"*.go", "!fileutils.go"}, "fileutils.go", K},
      {{"*.go"}, ".", K},
      {{"!"}, "fileutils.go", R},
      {{}, "/any/path/there", K},
      {{"["}, "/any/path/there", R},
      {{"docs", "config", ""}, "config", X},
      {{"docs", "  !docs/README.md"}, "docs/README.md", K},
      {{"docs", "!docs/README.md  "}, "docs/README.md", K},
      {{"[Local-Only]/"}, "x", R},  // TestMatchesOrParentMatchesMalformedPattern...
  });
}

// patternmatcher_test.go, TestMatch: Go's own filepath.Match table.
TEST(DockerIgnoreReference, PatternMatcherFilepathTable) {
  check({
      {{"abc"}, "abc", X},
      {{"*"}, "abc", X},
      {{"*c"}, "abc", X},
      {{"a*"}, "a", X},
      {{"a*"}, "abc", X},
      {{"a*"}, "ab/c", X},
      {{"a*/b"}, "abc/b", X},
      {{"a*/b"}, "a/c/b", K},
      {{"a*b*c*d*e*/f"}, "axbxcxdxe/f", X},
      {{"a*b*c*d*e*/f"}, "axbxcxdxexxx/f", X},
      {{"a*b*c*d*e*/f"}, "axbxcxdxe/xxx/f", K},
      {{"a*b*c*d*e*/f"}, "axbxcxdxexxx/fff", K},
      {{"a*b?c*x"}, "abxbbxdbxebxczzx", X},
      {{"a*b?c*x"}, "abxbbxdbxebxczzy", K},
      {{"ab[c]"}, "abc", X},
      {{"ab[b-d]"}, "abc", X},
      {{"ab[e-g]"}, "abc", K},
      {{"ab[^c]"}, "abc", K},
      {{"ab[^b-d]"}, "abc", K},
      {{"ab[^e-g]"}, "abc", X},
      {{R"(a\*b)"}, "a*b", X},
      {{R"(a\*b)"}, "ab", K},
      {{"a?b"}, "a☺b", X},
      {{"a[^a]b"}, "a☺b", X},
      {{"a???b"}, "a☺b", K},
      {{"a[^a][^a][^a]b"}, "a☺b", K},
      {{"[a-ζ]*"}, "α", X},
      {{"*[a-ζ]"}, "A", K},
      {{"a?b"}, "a/b", K},
      {{"a*b"}, "a/b", K},
      {{R"([\]a])"}, "]", X},
      {{R"([\-])"}, "-", X},
      {{R"([x\-])"}, "x", X},
      {{R"([x\-])"}, "-", X},
      {{R"([x\-])"}, "z", K},
      {{R"([\-x])"}, "x", X},
      {{R"([\-x])"}, "-", X},
      {{R"([\-x])"}, "a", K},
      {{"[]a]"}, "]", R},
      {{"[-]"}, "-", R},
      {{"[x-]"}, "x", R},
      {{"[x-]"}, "-", R},
      {{"[x-]"}, "z", R},
      {{"[-x]"}, "x", R},
      {{"[-x]"}, "-", R},
      {{"[-x]"}, "a", R},
      {{R"(\)"}, "a", R},
      {{"[a-b-c]"}, "a", R},
      {{"["}, "a", R},
      {{"[^"}, "a", R},
      {{"[^bc"}, "a", R},
      {{"a["}, "a", R},
      {{"a["}, "ab", R},
      {{"*x"}, "xxx", X},
  });
}

// ignorefile_test.go, TestReadAll: comments, leading '/', "! /x", "!".
TEST(DockerIgnoreReference, IgnoreFileReadAll) {
  const std::vector<std::string> file = {"test1",
                                         "/test2",
                                         "/a/file/here",
                                         "",
                                         "lastfile",
                                         "# this is a comment",
                                         "! /inverted/abs/path"};
  check({
      {file, "test1", X},
      {file, "test2", X},
      {file, "a/file/here", X},
      {file, "lastfile", X},
      {file, "# this is a comment", K},
      {file, "inverted/abs/path", K},
      {file, "other", K},
      {{"x", "!"}, "x", R},
      {{"x", "! "}, "x", R},
  });
}

// builder/dockerignore/excluder_test.go: what a walk keeps.
TEST(DockerIgnoreReference, BuilderExcluder) {
  const std::vector<std::string> negated = {"ignored-directory/", "!ignored-directory/not-ignored"};
  check({
      {{"ignored"}, "not-ignored", K},
      {{"ignored"}, "ignored", X},
      {{"foo"}, "foo", X},
      {{"foo"}, "directory/foo", K},  // a pattern applies at the root only
      {{"ignored-directory/"}, "not-ignored", K},
      {{"ignored-directory/"}, "ignored-directory/foo", X},
      {{"ignored-directory/"}, "ignored-directory/bar", X},
      {{"**/ignored"}, "not-ignored", K},
      {{"**/ignored"}, "directory/not-ignored", K},
      {{"**/ignored"}, "directory/directory/not-ignored", K},
      {{"**/ignored"}, "directory/ignored", X},
      {{"**/ignored"}, "directory/directory/ignored", X},
      {negated, "not-ignored", K},
      // The directory's own entry is left out; the walk goes on below it.
      {negated, "ignored-directory", X},
      {negated, "ignored-directory/ignored", X},
      {negated, "ignored-directory/not-ignored", K},
      {{"**/*.binary"}, "not-ignored", K},
      {{"**/*.binary"}, "test.binary", X},
      {{"**/*.binary"}, "test.binary/test", X},
      {{"**/*.binary"}, "directory/test.binary", X},
      {{"**/*.binary"}, "directory/directory/test.binary", X},
      {{"*.md", "!README*.md"}, "boring.md", X},
      {{"*.md", "!README*.md"}, "README.md", K},
      {{"*.md", "!README*.md"}, "README-interesting.md", K},
  });
}

TEST(DockerIgnoreReference, DotDotAndSlashesAreCleanedLikePaths) {
  check({
      {{"a/../b"}, "b", X},
      {{"a/../b"}, "a", K},
      {{"../x"}, "x", K},  // outside the context: names nothing in it
      {{"x/.."}, "x", K},  // the context itself: never excluded
      {{"a/.."}, "a/x", K},
      {{"."}, "x", K},
      {{"/../secret"}, "secret", X},
      {{"a/b/../../c"}, "c", X},
      {{"*", "!a/../b"}, "b", K},
      {{"*", "!a/../b"}, "a", X},
      {{"/build/"}, "build/x", X},
      {{"//a//b//"}, "a/b", X},
      {{"/"}, "x", K},
      {{"./a"}, "a", X},
      {{"a/./b"}, "a/b", X},
      {{"*", "!/"}, "x", R},  // "!/" cleans to "!" alone
  });
}

TEST(DockerIgnoreReference, EscapesMakeWildcardsPlainCharacters) {
  check({
      {{R"(\*)"}, "*", X},
      {{R"(\*)"}, "a", K},
      {{R"(\?)"}, "?", X},
      {{R"(\?)"}, "a", K},
      {{R"(a\[b)"}, "a[b", X},
      {{R"(\!keep)"}, "!keep", X},  // a first '!' that is not a negation
      {{R"(\#x)"}, "#x", X},        // a first '#' that is not a comment
      {{R"(a\\b)"}, R"(a\b)", X},
      {{R"(x\)"}, "x", R},
  });
}

TEST(DockerIgnoreReference, DoubleStarInEveryPosition) {
  check({
      {{"**"}, "a/b/c", X},
      {{"a/**"}, "a", K},
      {{"a/**"}, "a/b", X},
      {{"a/**/"}, "a/b", X},
      {{"**/a"}, "a", X},
      {{"**/a"}, "x/y/a", X},
      {{"**/a"}, "xa", K},
      {{"**/a"}, "a/z", X},
      {{"a/**/b"}, "a/b", X},
      {{"a/**/b"}, "a/x/y/b", X},
      {{"a/**/b"}, "a/x/y/c", K},
      {{"**/a/**"}, "x/a/y", X},
      {{"**/a/**"}, "x/a", K},
      {{"a/**/*.c"}, "a/b/c/d.c", X},
      {{"a/**/*.c"}, "a/d.c", X},
      {{"**/**/x"}, "x", X},
      {{"**/**/x"}, "a/b/x", X},
      {{"**/*"}, "a", X},
      {{"**/*"}, "a/b", X},
      {{"***"}, "a/b", X},
      // Starting a pattern with no other wildcard: matched as a suffix.
      {{"**a"}, "xa", X},
      {{"**a"}, "b/xa", X},
      {{"**.log"}, "x.log", X},
      {{"**.log"}, "a/b.log", X},
      // Inside a name: whole directories, or nothing.
      {{"a**"}, "a", X},
      {{"a**"}, "ab/c", X},
      {{"a**b"}, "ab", X},
      {{"a**b"}, "a/b", X},
      {{"a**b"}, "ax/b", X},
      {{"a**b"}, "axb", K},
  });
}

TEST(DockerIgnoreReference, TheLastMatchingPatternDecides) {
  check({
      {{"*.go", "!main.go", "main.go"}, "main.go", X},
      {{"!x", "x"}, "x", X},
      {{"x", "!x"}, "x", K},
      {{"dir", "!dir/keep"}, "dir/keep", K},
      {{"dir", "!dir/keep"}, "dir/keep/inner", K},
      {{"dir", "!dir/keep"}, "dir/other", X},
      {{"*", "!**/keep"}, "src/keep", K},
      {{"**", "!dir", "dir/sub"}, "dir/sub/x", X},
  });
}

TEST(DockerIgnoreReference, LinesCommentsAndWhiteSpace) {
  check({
      {{"\xEF\xBB\xBF*.tmp"}, "a.tmp", X},  // a byte order mark
      {{" # not a comment"}, "# not a comment", X},
      {{"#comment"}, "#comment", K},
      {{"\tspaced \r"}, "spaced", X},
      {{"\xC2\xA0x\xE3\x80\x80"}, "x", X},  // Unicode spaces: U+00A0, U+3000
      {{"*", "! x"}, "x", K},
      {{"[a-c]"}, "b", X},
      {{"[^a-c]"}, "d", X},
      {{"[^a-c]"}, "b", K},
      {{"a[/]b"}, "a/b", X},  // a class may hold '/', as in Docker
      {{"a[^x]b"}, "a/b", X},
  });
}

// Where Docker's matcher lets its regular expressions or its partial syntax
// check show through, drillmaster keeps to the syntax Docker documents and
// checks (Go's filepath.Match), and says so in common/glob.h.
struct Difference {
  std::vector<std::string> lines;
  std::string path;
  Answer ours, docker;
  const char* why;
};

TEST(DockerIgnoreReference, DifferencesKeptOnPurpose) {
  const Difference differences[] = {
      {{R"(a\b)"}, "ab", X, K, R"(Docker's regex reads \b as a word boundary)"},
      {{R"(a\d)"}, "ad", X, K, R"(Docker's regex reads \d as a digit)"},
      {{R"(a\c)"}, "ac", X, R, R"(Docker's regex refuses \c when matching)"},
      {{"[*]"}, "*", X, K, "inside [...] Docker turns '*' into a regex of its own"},
      {{"[?]"}, "?", X, K, "inside [...] Docker turns '?' into a regex of its own"},
      {{"[[:alpha:]]"}, "a", K, X, "Go's filepath.Match has no [:alpha:]"},
      {{"[[:alpha:]]"}, ":]", X, K, "a class of '[', ':', 'a', ... then a ']'"},
      {{"^a*"}, "^ab", X, K, "'^' outside a class is a character, not an anchor"},
      {{"x/**/y"}, "x/a\nb/y", X, K, "Docker's '.' stops at a newline in a name"},
      {{"\xFE*"}, "\xFFx", K, X, "a byte that is not UTF-8 matches only itself"},
      {{R"(a*\)"}, "ab", R, K, "Docker checks the syntax only up to the first '*'"},
      {{"*", "a[b-a]"}, "x", R, X, "an empty range is refused at once, not when first used"},
  };
  for (const Difference& d : differences) {
    EXPECT_EQ(name(answer(d.lines, d.path)), std::string(name(d.ours)))
        << "'" << d.lines.back() << "' on '" << d.path << "' (Docker: " << name(d.docker)
        << "): " << d.why;
  }
}

TEST(DockerIgnoreReference, AMalformedPatternIsRefusedNamingItsLine) {
  try {
    DockerIgnore({"*.log", "# fine", "  src/[a-", "tmp"}, "/ctx/.dockerignore");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_EQ(std::string(e.what()),
              "/ctx/.dockerignore line 3: pattern 'src/[a-' is malformed: a '[' opens a character "
              "class that is never closed; fix or remove the line");
  }
  try {
    DockerIgnore({"!"});
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              ".dockerignore line 1: pattern '!' is malformed: a '!' alone takes nothing back; "
              "write the pattern after it; fix or remove the line");
  }
}

}  // namespace
}  // namespace dm
