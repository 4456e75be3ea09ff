// A node that drops out of the swarm while a task of it starts (swarm_target.h):
// the swarm keeps the task as it was, so the start must look at the node to
// end before its timeout. A single-node test swarm cannot lose its node, so
// the swarm's answers come from an in-process engine here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "engine/deadline.h"
#include "orchestrator/swarm_target.h"
#include "support/fake_client.h"

namespace dm::orchestrator {
namespace {

// One swarm service whose task is assigned to node "n1", which reads
// `node_state`; the task reads `task_state`.
class OneNodeSwarm : public testing::FakeClient {
 public:
  std::string node_state = "ready";
  std::string task_state = "starting";

  engine::ServiceInfo service_inspect(const std::string& id) override {
    engine::ServiceInfo info;
    info.id = id;
    info.name = "shop_web";
    info.version = 1;
    return info;
  }
  void service_update(const std::string&, uint64_t, const Json&) override {}
  std::vector<engine::TaskInfo> task_list(const std::vector<std::string>&) override {
    if (!scaled_) {  // the first look: before the scale, no task yet
      scaled_ = true;
      return {};
    }
    engine::TaskInfo task;
    task.id = "t1";
    task.node_id = "n1";
    task.slot = 1;
    task.desired_state = "running";
    task.state = task_state;
    return {task};
  }
  engine::NodeInfo node_inspect(const std::string& id) override {
    engine::NodeInfo node;
    node.id = id;
    node.hostname = "worker-2";
    node.address = "10.0.0.5";
    node.state = node_state;
    node.message = node_state == "ready" ? "" : "heartbeat failure";
    ++node_looks;
    return node;
  }
  int node_looks = 0;

 private:
  bool scaled_ = false;
};

model::GroupDef shop() {
  model::GroupDef g;
  g.name = "shop";
  g.network = "drillmaster-shop";
  model::ServiceDef web;
  web.name = "web";
  web.image = "web:1";
  g.services.push_back(web);
  return g;
}

TEST(SwarmNodes, ANodeThatDropsWhileItsTaskStartsFailsTheServiceNamingIt) {
  OneNodeSwarm swarm;
  swarm.node_state = "down";
  model::GroupDef g = shop();
  Events events(nullptr);
  SwarmTarget target(swarm, g, events);
  engine::ScopedDeadline deadline(30, "the test's 30 s");
  auto began = std::chrono::steady_clock::now();
  try {
    target.start(g.services[0], "s1");
    FAIL() << "the start did not fail";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Failed);
    std::string message = e.what();
    EXPECT_NE(message.find("swarm service 'shop_web': the node 'worker-2' (10.0.0.5) that runs "
                           "its task is down (heartbeat failure)"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("docker node update --availability drain worker-2"), std::string::npos)
        << message;
  }
  // Found by a look at the node, long before the deadline.
  EXPECT_LT(std::chrono::steady_clock::now() - began, std::chrono::seconds(10));
}

// A task that reads "running" on a node that is down is not running.
TEST(SwarmNodes, ARunningTaskOnANodeThatIsDownIsNotStarted) {
  OneNodeSwarm swarm;
  swarm.node_state = "disconnected";
  swarm.task_state = "running";
  model::GroupDef g = shop();
  Events events(nullptr);
  SwarmTarget target(swarm, g, events);
  engine::ScopedDeadline deadline(30, "the test's 30 s");
  EXPECT_THROW(target.start(g.services[0], "s1"), Error);
}

TEST(SwarmNodes, ATaskOnAReadyNodeStartsWithOneLookAtItsNode) {
  OneNodeSwarm swarm;
  swarm.task_state = "running";
  model::GroupDef g = shop();
  Events events(nullptr);
  SwarmTarget target(swarm, g, events);
  engine::ScopedDeadline deadline(30, "the test's 30 s");
  EXPECT_NO_THROW(target.start(g.services[0], "s1"));
  EXPECT_EQ(swarm.node_looks, 1);
}

}  // namespace
}  // namespace dm::orchestrator
