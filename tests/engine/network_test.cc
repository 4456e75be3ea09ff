#include <gtest/gtest.h>

#include <algorithm>

#include "engine_fixture.h"

namespace dm::engine {
namespace {

using NetworkTest = testing::EngineTest;

TEST_F(NetworkTest, CreateInspectListRemove) {
  std::string name = unique("net");
  Labels labels = labels_;
  labels["io.drillmaster.group"] = "g1";
  std::string id = client_->network_create(name, labels);
  ASSERT_FALSE(id.empty());

  NetworkSummary info = client_->network_inspect(name);
  EXPECT_EQ(info.id, id);
  EXPECT_EQ(info.name, name);
  EXPECT_EQ(info.labels, labels);
  EXPECT_TRUE(info.container_ids.empty());

  auto by_value = client_->network_list({{kRunLabel, run_}, {"io.drillmaster.group", "g1"}});
  ASSERT_EQ(by_value.size(), 1u);
  EXPECT_EQ(by_value[0].id, id);
  EXPECT_EQ(client_->network_list({{kRunLabel, run_}, {"io.drillmaster.group", ""}}).size(), 1u);
  EXPECT_TRUE(client_->network_list({{kRunLabel, run_}, {"io.drillmaster.group", "g2"}}).empty());

  // Same name again: the engine refuses.
  try {
    client_->network_create(name, labels_);
    ADD_FAILURE() << "created a duplicate network";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Conflict) << e.what();
  }

  client_->network_remove(id);
  EXPECT_TRUE(client_->network_list(labels_).empty());
  try {
    client_->network_inspect(id);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::NotFound);
    EXPECT_EQ(e.http_status(), 404);
  }
}

TEST_F(NetworkTest, InspectListsAttachedContainers) {
  std::string net = unique("net");
  client_->network_create(net, labels_);
  ContainerSpec spec = sh_spec(kSleeper);
  Json host = Json::object();
  host.set("NetworkMode", net);
  spec.body.set("HostConfig", std::move(host));
  std::string id = client_->container_create(spec);
  client_->container_start(id);
  NetworkSummary info = client_->network_inspect(net);
  EXPECT_EQ(info.container_ids, std::vector<std::string>{id});
}

}  // namespace
}  // namespace dm::engine
