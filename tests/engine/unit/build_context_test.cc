#include "engine/build_context.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "common/error.h"
#include "engine/engine_fixture.h"

namespace fs = std::filesystem;

namespace dm::engine {
namespace {

TEST(DockerIgnore, PatternsAndNegation) {
  DockerIgnore ignore({"# comment", "*.log", "build/", "/secret.txt", "docs/**/*.tmp", "cache",
                       "!cache/keep.me", "  ", "./node_modules"});
  EXPECT_TRUE(ignore.excluded("a.log"));
  EXPECT_FALSE(ignore.excluded("dir/a.log"));  // '*' does not cross '/'
  EXPECT_TRUE(ignore.excluded("build"));
  EXPECT_TRUE(ignore.excluded("build/out/x.o"));  // under an excluded directory
  EXPECT_TRUE(ignore.excluded("secret.txt"));
  EXPECT_TRUE(ignore.excluded("docs/a/b/c.tmp"));
  EXPECT_TRUE(ignore.excluded("docs/c.tmp"));
  EXPECT_FALSE(ignore.excluded("docs/c.md"));
  EXPECT_TRUE(ignore.excluded("cache/other"));
  EXPECT_FALSE(ignore.excluded("cache/keep.me"));
  EXPECT_TRUE(ignore.excluded("node_modules/x/y.js"));
  EXPECT_FALSE(ignore.excluded("src/main.c"));
  EXPECT_TRUE(ignore.has_negations());
  EXPECT_FALSE(DockerIgnore({"*.log"}).has_negations());
}

TEST(DockerIgnore, PatternsFullOfDoubleStarsAreMatchedInLinearSteps) {
  // Found by fuzzing: "**/**/.../x" against a deep path that does not match
  // tried every way of splitting the path among the "**"s (exponential).
  std::string pattern, path;
  for (int i = 0; i < 40; ++i) pattern += "**/";
  for (int i = 0; i < 60; ++i) path += "d/";
  DockerIgnore ignore({pattern + "nomatch", "!" + pattern + "keep"});
  EXPECT_FALSE(ignore.excluded(path + "file"));
  EXPECT_TRUE(DockerIgnore({pattern + "file"}).excluded(path + "file"));
  EXPECT_TRUE(DockerIgnore({"**"}).excluded("a/b"));
  EXPECT_TRUE(DockerIgnore({"a/**/b"}).excluded("a/b"));
  EXPECT_TRUE(DockerIgnore({"a/**/b"}).excluded("a/x/y/b/c"));
  EXPECT_FALSE(DockerIgnore({"a/**/b"}).excluded("a/x/y/c"));
}

class BuildContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("dm-ctx-" + testing::random_suffix());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& relative, const std::string& text) {
    fs::path p = dir_ / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }

  // Names of the entries of a tar, with the content of "Dockerfile".
  std::set<std::string> entries(const std::string& tar, std::string* dockerfile = nullptr) {
    std::set<std::string> names;
    struct archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    EXPECT_EQ(archive_read_open_memory(a, tar.data(), tar.size()), ARCHIVE_OK);
    struct archive_entry* e;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      std::string name = archive_entry_pathname(e);
      EXPECT_EQ(archive_entry_uid(e), 0);
      if (dockerfile && name == "Dockerfile") {
        std::string content(static_cast<size_t>(archive_entry_size(e)), '\0');
        archive_read_data(a, content.data(), content.size());
        *dockerfile = content;
      }
      if (name.back() == '/') name.pop_back();
      names.insert(name);
    }
    archive_read_free(a);
    return names;
  }

  fs::path dir_;
};

TEST_F(BuildContextTest, ArchivesTheDirectoryHonouringDockerignore) {
  write("Dockerfile", "FROM scratch\n");
  write("app/main.sh", "echo hi\n");
  write("app/debug.log", "noise");
  write("tmp/big.bin", "xxxx");
  write(".dockerignore", "**/*.log\ntmp\n");
  fs::create_symlink("app/main.sh", dir_ / "link");
  std::string dockerfile;
  auto names = entries(make_build_context(dir_.string(), "Dockerfile"), &dockerfile);
  EXPECT_EQ(names,
            (std::set<std::string>{"Dockerfile", ".dockerignore", "app", "app/main.sh", "link"}));
  EXPECT_EQ(dockerfile, "FROM scratch\n");
}

TEST_F(BuildContextTest, TheDockerfileIsSentEvenWhenIgnored) {
  write("docker/Dockerfile.dev", "FROM scratch\n");
  write("other.txt", "x");
  write(".dockerignore", "*\n");
  auto names = entries(make_build_context(dir_.string(), "docker/Dockerfile.dev"));
  EXPECT_EQ(names, (std::set<std::string>{".dockerignore", "docker/Dockerfile.dev"}));
}

// Docker's classic builder skips an excluded directory unless a negation
// starts with its path, so "!**/keep" loses src/keep; the rules (and
// BuildKit) take it back, and so does drillmaster.
TEST_F(BuildContextTest, ANegationTakesBackFilesBelowAnExcludedDirectory) {
  write("Dockerfile", "FROM scratch\n");
  write("src/keep", "k");
  write("src/drop", "d");
  write("src/deep/er/keep", "k");
  write(".dockerignore", "*\n!**/keep\n");
  auto names = entries(make_build_context(dir_.string(), "Dockerfile"));
  EXPECT_EQ(names,
            (std::set<std::string>{"Dockerfile", ".dockerignore", "src/keep", "src/deep/er/keep"}));
}

TEST_F(BuildContextTest, AMalformedDockerignoreNamesTheFileAndLine) {
  write("Dockerfile", "FROM scratch\n");
  write(".dockerignore", "# ok\n*.log\nsrc/[oops\n");
  try {
    make_build_context(dir_.string(), "Dockerfile");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    std::string message = e.what();
    EXPECT_NE(message.find((dir_ / ".dockerignore").string() + " line 3: pattern 'src/[oops'"),
              std::string::npos)
        << message;
  }
}

TEST_F(BuildContextTest, MissingContextOrDockerfileNamesThePath) {
  try {
    make_build_context((dir_ / "nope").string(), "Dockerfile");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find((dir_ / "nope").string()), std::string::npos) << e.what();
  }
  try {
    make_build_context(dir_.string(), "Dockerfile");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find((dir_ / "Dockerfile").string()), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace dm::engine
