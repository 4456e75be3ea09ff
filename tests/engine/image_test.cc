// Builds with the classic builder and pulls, against the real engine (which
// has no registry: every pull must fail, and fail quickly).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "engine_fixture.h"

namespace fs = std::filesystem;

namespace dm::engine {
namespace {

class ImageTest : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    dir_ = fs::temp_directory_path() / unique("ctx");
    fs::create_directories(dir_);
  }
  void TearDown() override {
    EngineTest::TearDown();
    fs::remove_all(dir_);
  }

  void dockerfile(const std::string& text) { std::ofstream(dir_ / "Dockerfile") << text; }

  std::string tag() {
    std::string t = "drillmaster-test/build-" + testing::random_suffix() + ":latest";
    images_.push_back(t);
    return t;
  }

  // The containers (all states) whose command mentions `marker`.
  size_t containers_mentioning(const std::string& marker) {
    size_t n = 0;
    for (const ContainerSummary& c : client_->container_list({}, true))
      if (c.command.find(marker) != std::string::npos) ++n;
    return n;
  }

  fs::path dir_;
};

TEST_F(ImageTest, BuildReturnsTheImageIdAndStreamsOutput) {
  std::string marker = "built-" + run_;
  dockerfile(std::string("FROM ") + DM_TEST_IMAGE + "\nRUN echo " + marker + "\n");
  std::ofstream(dir_ / "payload.txt") << "x";
  BuildOptions options;
  options.context_dir = dir_.string();
  options.tag = tag();
  options.labels = {{"io.drillmaster.group", "g"}};
  std::vector<std::string> lines;
  std::string id = client_->image_build(options, [&](const std::string& l) { lines.push_back(l); });
  EXPECT_EQ(id.rfind("sha256:", 0), 0u) << id;
  bool echoed = false;
  for (const std::string& l : lines) echoed = echoed || l == marker;
  EXPECT_TRUE(echoed);

  std::optional<ImageInfo> info = client_->image_inspect(options.tag);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->id, id);
  EXPECT_EQ(info->labels["io.drillmaster.group"], "g");
  EXPECT_EQ(info->tags, std::vector<std::string>{options.tag});

  client_->image_remove(options.tag, false);
  EXPECT_FALSE(client_->image_inspect(options.tag).has_value());
}

TEST_F(ImageTest, AFailingStepIsAnEngineErrorAndLeavesNoContainer) {
  std::string marker = "failing-" + run_;
  dockerfile(std::string("FROM ") + DM_TEST_IMAGE + "\nRUN echo " + marker + " && exit 7\n");
  BuildOptions options;
  options.context_dir = dir_.string();
  options.tag = tag();
  auto start = std::chrono::steady_clock::now();
  try {
    client_->image_build(options, nullptr);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    std::string message = e.what();
    EXPECT_EQ(message.rfind("build of '" + options.tag + "' failed: ", 0), 0u) << message;
    EXPECT_NE(message.find("non-zero code: 7"), std::string::npos) << message;
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 60);
  EXPECT_EQ(containers_mentioning(marker), 0u);  // forcerm removed the step's container
  EXPECT_FALSE(client_->image_inspect(options.tag).has_value());
}

TEST_F(ImageTest, ABadInstructionIsAnEngineError) {
  dockerfile(std::string("FROM ") + DM_TEST_IMAGE + "\nNOSUCHINSTRUCTION foo\n");
  BuildOptions options;
  options.context_dir = dir_.string();
  options.tag = tag();
  try {
    client_->image_build(options, nullptr);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_NE(std::string(e.what()).find(options.tag), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("unknown instruction"), std::string::npos) << e.what();
  }
}

TEST_F(ImageTest, AMissingBaseImageIsAnEngineError) {
  dockerfile("FROM drillmaster-test/no-such-base:" + run_ + "\n");
  BuildOptions options;
  options.context_dir = dir_.string();
  options.tag = tag();
  try {
    client_->image_build(options, nullptr);
    FAIL();
  } catch (const Error& e) {
    // The daemon's words name the registry it could not reach, not the image.
    EXPECT_EQ(e.code(), Error::Code::Engine) << e.what();
    EXPECT_NE(std::string(e.what()).find("build of '" + options.tag + "' failed: "),
              std::string::npos)
        << e.what();
  }
}

TEST_F(ImageTest, MissingContextOrDockerfileIsInvalid) {
  BuildOptions options;
  options.context_dir = (dir_ / "nope").string();
  options.tag = tag();
  try {
    client_->image_build(options, nullptr);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find(options.context_dir), std::string::npos);
  }
  options.context_dir = dir_.string();
  options.dockerfile = "Dockerfile.missing";
  try {
    client_->image_build(options, nullptr);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_NE(std::string(e.what()).find("Dockerfile.missing"), std::string::npos);
  }
}

TEST_F(ImageTest, BuildCanBeCancelled) {
  std::string marker = "cancelled-" + run_;
  dockerfile(std::string("FROM ") + DM_TEST_IMAGE + "\nRUN sleep 30 # " + marker + "\n");
  CancelToken cancel;
  BuildOptions options;
  options.context_dir = dir_.string();
  options.tag = tag();
  options.cancel = &cancel;
  auto start = std::chrono::steady_clock::now();
  try {
    client_->image_build(options, [&](const std::string& line) {
      if (line.find("Running in") != std::string::npos) cancel.cancel();
    });
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Cancelled) << e.what();
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 20);
  // The daemon cleans up the step's container once it notices the hang-up.
  for (int i = 0; i < 100 && containers_mentioning(marker) > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(containers_mentioning(marker), 0u);
}

TEST_F(ImageTest, InspectOfAMissingImageIsEmpty) {
  EXPECT_FALSE(client_->image_inspect("drillmaster-test/absent:" + run_).has_value());
  auto present = client_->image_inspect(DM_TEST_IMAGE);
  ASSERT_TRUE(present.has_value());
  EXPECT_EQ(present->id.rfind("sha256:", 0), 0u);
}

TEST_F(ImageTest, PullOfAMissingImageFailsQuickly) {
  std::string ref = "drillmaster-test/not-in-any-registry-" + run_ + ":1.0";
  auto start = std::chrono::steady_clock::now();
  try {
    client_->image_pull(ref, nullptr);
    FAIL();
  } catch (const Error& e) {
    // No registry here: the engine answers 500 (or 404 when a registry says
    // there is no such repository), or reports the failure in the stream.
    EXPECT_TRUE(e.code() == Error::Code::Engine || e.code() == Error::Code::NotFound) << e.what();
    EXPECT_NE(std::string(e.what()).find(ref), std::string::npos) << e.what();
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 60);
}

}  // namespace
}  // namespace dm::engine
