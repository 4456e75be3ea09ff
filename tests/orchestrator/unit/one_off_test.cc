// One-off containers (`run`) are never a service's container: the inventory
// start, status and reuse decide from sets them apart with the orphans
// (which stop --remove removes), and their names and labels say what they are.
#include <gtest/gtest.h>

#include "orchestrator/identity.h"
#include "orchestrator/inventory.h"
#include "support/fake_client.h"

namespace dm::orchestrator {
namespace {

model::GroupDef shop() {
  model::GroupDef g;
  g.name = "shop";
  g.network = "drillmaster-shop";
  model::ServiceDef app;
  app.name = "app";
  app.image = "app:1";
  g.services.push_back(app);
  return g;
}

TEST(OneOff, IsNamedAndLabelledAsAOneOffOfItsService) {
  model::GroupDef g = shop();
  engine::ContainerSpec spec = one_off_spec(g, g.services[0]);
  EXPECT_EQ(spec.name.rfind("shop-app-run-", 0), 0u) << spec.name;
  EXPECT_EQ(spec.name.size(), std::string("shop-app-run-").size() + 8);
  EXPECT_EQ(spec.labels.at(kOneOffLabel), "true");
  EXPECT_EQ(spec.labels.at(kGroupLabel), "shop");
  EXPECT_EQ(spec.labels.at(kServiceLabel), "app");
  EXPECT_EQ(spec.labels.count(kConfigHashLabel), 0u);
  EXPECT_NE(one_off_spec(g, g.services[0]).name, spec.name);  // each run its own
}

TEST(OneOff, IsNeverAmongTheServicesContainers) {
  model::GroupDef g = shop();
  testing::FakeClient engine;
  engine.add_container(container_spec(g, g.services[0]), "exited");
  std::string one_off = engine.add_container(one_off_spec(g, g.services[0]), "running");
  Inventory inventory = take_inventory(engine, g);
  ASSERT_EQ(inventory.of("app").size(), 1u);
  EXPECT_EQ(inventory.of("app").front().state, "exited");  // the running one-off is not it
  ASSERT_EQ(inventory.orphans.size(), 1u);
  EXPECT_EQ(inventory.orphans.front().id, one_off);
}

}  // namespace
}  // namespace dm::orchestrator
