// Files copied into a running container (engine/build_context.h's copy
// archive, PUT /containers/{id}/archive extracted at "/"), against the real
// engine: a changed file, a new file in directories that do not exist yet,
// the host mode kept, the owner given, a vanished host file skipped.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "engine/build_context.h"
#include "engine/exec.h"
#include "engine_fixture.h"

namespace fs = std::filesystem;

namespace dm::engine {
namespace {

class ArchiveTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    dir_ = fs::temp_directory_path() / unique("archive");
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    EngineTest::TearDown();
  }

  std::string write(const std::string& name, const std::string& text, mode_t mode) {
    fs::path path = dir_ / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
    return path.string();
  }

  // A running container of the test image as user 1000:1000.
  std::string running_as_user() {
    ContainerSpec spec = sh_spec(kSleeper);
    spec.body.set("User", "1000:1000");
    std::string id = client_->container_create(spec);
    client_->container_start(id);
    return id;
  }

  std::string in_container(const std::string& id, const std::string& script) {
    ExecSpec spec;
    spec.cmd = {"sh", "-c", script};
    ExecOutcome outcome = run_exec(*client_, id, spec, {});
    EXPECT_EQ(outcome.exit_code, 0) << script << ": " << outcome.err;
    return outcome.out;
  }

  void copy(const std::string& id, const std::vector<CopiedFile>& files,
            std::vector<std::string>* skipped) {
    client_->container_put_archive(id, "/", make_copy_archive(files, {1000, 1000}, skipped));
  }

  fs::path dir_;
};

TEST_F(ArchiveTest, CopiesChangedAndNewFilesWithTheirModeAndTheOwnerGiven) {
  std::string id = running_as_user();
  std::vector<std::string> skipped;
  std::string page = write("index.html", "first", 0644);
  copy(id, {{page, "/tmp/www/index.html"}}, &skipped);
  EXPECT_EQ(in_container(id, "cat /tmp/www/index.html"), "first");

  write("index.html", "second", 0644);
  std::string script = write("bin/run.sh", "#!/bin/sh\necho ran\n", 0750);
  copy(id, {{page, "/tmp/www/index.html"}, {script, "/srv/new/deep/run.sh"}}, &skipped);
  EXPECT_TRUE(skipped.empty());
  EXPECT_EQ(in_container(id, "cat /tmp/www/index.html"), "second");
  EXPECT_EQ(in_container(id, "stat -c '%u:%g %a' /srv/new/deep/run.sh"), "1000:1000 750\n");
  EXPECT_EQ(in_container(id, "stat -c '%u:%g %a' /tmp/www/index.html"), "1000:1000 644\n");
  EXPECT_EQ(in_container(id, "/srv/new/deep/run.sh"), "ran\n");
}

TEST_F(ArchiveTest, AHostDirectoryIsCopiedWithWhatIsBelowIt) {
  std::string id = running_as_user();
  write("site/a.txt", "a", 0644);
  write("site/sub/b.txt", "b", 0600);
  std::vector<std::string> skipped;
  copy(id, {{(dir_ / "site").string(), "/tmp/site"}}, &skipped);
  EXPECT_EQ(in_container(id, "cat /tmp/site/a.txt /tmp/site/sub/b.txt"), "ab");
  EXPECT_EQ(in_container(id, "stat -c '%u %a' /tmp/site/sub/b.txt"), "1000 600\n");
}

TEST_F(ArchiveTest, AHostFileThatVanishedIsSkippedWithALine) {
  std::string id = running_as_user();
  std::string kept = write("kept.txt", "kept", 0644);
  std::string gone = (dir_ / "gone.txt").string();
  std::vector<std::string> skipped;
  copy(id, {{gone, "/tmp/gone.txt"}, {kept, "/tmp/kept.txt"}}, &skipped);
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_NE(skipped[0].find(gone), std::string::npos) << skipped[0];
  EXPECT_EQ(in_container(id, "cat /tmp/kept.txt; test ! -e /tmp/gone.txt && echo absent"),
            "keptabsent\n");
}

TEST_F(ArchiveTest, ARelativeTargetIsRefused) {
  std::vector<std::string> skipped;
  try {
    make_copy_archive({{write("x", "x", 0644), "tmp/x"}}, {}, &skipped);
    FAIL() << "a relative target was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("tmp/x"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace dm::engine
