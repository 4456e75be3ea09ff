// Many threads on one Client: requests run in parallel, not one after another.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine_fixture.h"

namespace dm::engine {
namespace {

using ConcurrencyTest = testing::EngineTest;

TEST_F(ConcurrencyTest, EightThreadsPingAndList) {
  std::atomic<int> done{0};
  std::vector<std::thread> threads;
  std::vector<std::string> failures(8);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < 25; ++i) {
          client_->ping();
          client_->container_list(labels_, true);
          if (i % 5 == 0) client_->version();
          ++done;
        }
      } catch (const Error& e) {
        failures[t] = e.what();
      }
    });
  for (std::thread& t : threads) t.join();
  for (const std::string& f : failures) EXPECT_EQ(f, "");
  EXPECT_EQ(done, 200);
}

TEST_F(ConcurrencyTest, BlockedWaitsDoNotHoldUpOtherRequests) {
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(client_->container_create(sh_spec(kSleeper)));
    client_->container_start(ids.back());
  }
  std::vector<std::thread> waiters;
  std::vector<std::optional<int64_t>> codes(ids.size());
  for (size_t i = 0; i < ids.size(); ++i)
    waiters.emplace_back([&, i] { codes[i] = client_->container_wait(ids[i]); });

  // Four requests are parked in waits; ordinary calls still go through at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 10; ++i) client_->ping();
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 2.0);

  // Stop them in parallel too.
  std::vector<std::thread> stoppers;
  for (const std::string& id : ids)
    stoppers.emplace_back([&, id] { client_->container_stop(id, 5); });
  for (std::thread& t : stoppers) t.join();
  for (std::thread& t : waiters) t.join();
  for (const auto& code : codes) EXPECT_EQ(code.value_or(-1), 0);
}

TEST_F(ConcurrencyTest, ParallelCreatesAndRemoves) {
  std::vector<std::thread> threads;
  std::vector<std::string> failures(6);
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      try {
        std::string id = client_->container_create(sh_spec("exit 0"));
        client_->container_start(id);
        client_->container_wait(id);
        client_->container_remove(id, false, true);
      } catch (const Error& e) {
        failures[t] = e.what();
      }
    });
  for (std::thread& t : threads) t.join();
  for (const std::string& f : failures) EXPECT_EQ(f, "");
  EXPECT_TRUE(client_->container_list(labels_, true).empty());
}

}  // namespace
}  // namespace dm::engine
