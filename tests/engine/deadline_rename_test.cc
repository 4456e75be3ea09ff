// Two small parts of the client the orchestrator stands on: renaming a
// container (how a container is marked as set up), and the per-thread
// deadline that bounds every request of an operation.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/deadline.h"
#include "engine_fixture.h"

namespace dm::engine {
namespace {

using RenameTest = testing::EngineTest;
using DeadlineTest = testing::EngineTest;

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(RenameTest, ARenamedContainerKeepsItsIdAndATakenNameIsAConflict) {
  ContainerSpec spec = sh_spec(kSleeper);
  std::string id = client_->container_create(spec);
  client_->container_start(id);
  std::string final_name = unique("final");
  client_->container_rename(id, final_name);
  ContainerInfo info = client_->container_inspect(final_name);
  EXPECT_EQ(info.id, id);
  EXPECT_TRUE(info.running);

  std::string other = client_->container_create(sh_spec(kSleeper));
  try {
    client_->container_rename(other, final_name);
    FAIL() << "renaming to a taken name succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Conflict) << e.what();
    EXPECT_TRUE(has(e.what(), "rename container '" + other + "' to '" + final_name + "'"))
        << e.what();
  }
}

TEST_F(DeadlineTest, ARequestWhoseDeadlinePassedFailsAtOnceNamingTheBudget) {
  ScopedDeadline deadline(0.001, "the test's 1 ms limit");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // let it run out
  auto began = std::chrono::steady_clock::now();
  try {
    client_->container_list(labels_, true);
    FAIL() << "a request ran after its deadline";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Timeout) << e.what();
    EXPECT_TRUE(has(e.what(), "list containers")) << e.what();
    EXPECT_TRUE(has(e.what(), "the test's 1 ms limit had run out")) << e.what();
  }
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count(), 1.0);
}

TEST_F(DeadlineTest, TheInnermostDeadlineRulesAndTheOuterOneIsBackAfterIt) {
  ScopedDeadline outer(600, "the outer limit");
  {
    ScopedDeadline inner(0, "the inner limit");
    EXPECT_EQ(ScopedDeadline::current()->budget, "the inner limit");
    EXPECT_THROW(client_->ping(), Error);
  }
  EXPECT_EQ(ScopedDeadline::current()->budget, "the outer limit");
  EXPECT_NO_THROW(client_->ping());
}

TEST_F(DeadlineTest, AWaitIsNotBoundedByTheDeadline) {
  std::string id = client_->container_create(sh_spec("sleep 1; exit 7"));
  client_->container_start(id);
  ScopedDeadline deadline(0.2, "a limit shorter than the container's life");
  // A wait has no timeout of its own: it ends when the container does.
  std::optional<int64_t> code = client_->container_wait(id);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 7);
  EXPECT_EQ(ScopedDeadline::current()->budget, "a limit shorter than the container's life");
}

TEST_F(DeadlineTest, ADeadlineBelongsToTheThreadThatSetItOnly) {
  ScopedDeadline deadline(0, "this thread's limit");
  bool other_thread_had_one = true;
  std::thread([&] { other_thread_had_one = ScopedDeadline::current() != nullptr; }).join();
  EXPECT_FALSE(other_thread_had_one);
}

}  // namespace
}  // namespace dm::engine
