// The registry setting on the swarm target (registry_push.h) over the
// in-process fake engine: which image a service's tasks run, what is tagged
// and pushed, and what a failed push says and leaves.
#include "orchestrator/registry_push.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "support/fake_client.h"

namespace dm::orchestrator {
namespace {

model::GroupDef shop() {
  model::GroupDef g;
  g.name = "shop";
  g.network = "drillmaster-shop";
  model::ServiceDef web;
  web.name = "web";
  web.image = "drillmaster-shop-web:latest";
  web.build_context = "web";
  model::ServiceDef db;
  db.name = "db";
  db.image = "postgres:16";
  g.services = {web, db};
  return g;
}

bool says(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RegistryPushes, ABuiltImageIsTaggedByItsIdAndPushedOnce) {
  testing::FakeClient engine;
  std::string id = engine.add_image("drillmaster-shop-web:latest");
  model::GroupDef g = shop();
  Events events(nullptr);
  RegistryPushes pushes(engine, events, g, "127.0.0.1:5000/team");
  std::string want = "127.0.0.1:5000/team/shop_web:" + id.substr(7, 12);
  EXPECT_EQ(pushes.image_for(g.services[0], id), want);
  EXPECT_EQ(pushes.image_for(g.services[0], id), want);  // from the first push
  EXPECT_EQ(engine.pushed(), std::vector<std::string>{want});
  EXPECT_TRUE(engine.has_image(want));
}

TEST(RegistryPushes, ANamedImageAndNoRegistryLeaveTheImageAsWritten) {
  testing::FakeClient engine;
  model::GroupDef g = shop();
  Events events(nullptr);
  RegistryPushes with(engine, events, g, "127.0.0.1:5000/team");
  EXPECT_EQ(with.image_for(g.services[1], "sha256:0123456789abcdef"), "postgres:16");
  RegistryPushes without(engine, events, g, "");
  EXPECT_EQ(without.image_for(g.services[0], "sha256:0123456789abcdef"),
            "drillmaster-shop-web:latest");
  EXPECT_EQ(engine.count("image_push"), 0u);
  EXPECT_EQ(engine.count("image_tag"), 0u);
}

TEST(RegistryPushes, AFailedPushNamesServiceImageAndRegistryAndRemovesItsTag) {
  testing::FakeClient engine;
  std::string id = engine.add_image("drillmaster-shop-web:latest");
  engine.unreachable("127.0.0.1:1");
  model::GroupDef g = shop();
  Events events(nullptr);
  RegistryPushes pushes(engine, events, g, "127.0.0.1:1");
  std::string reference = "127.0.0.1:1/shop_web:" + id.substr(7, 12);
  try {
    pushes.image_for(g.services[0], id);
    FAIL() << "a push to a registry that is down passed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    std::string message = e.what();
    EXPECT_TRUE(
        says(message, "service 'web': pushing its image 'drillmaster-shop-web:latest' as '" +
                          reference + "' to registry '127.0.0.1:1' failed"))
        << message;
    EXPECT_TRUE(says(message, "connection refused")) << message;
    EXPECT_TRUE(says(message, "check that the registry runs")) << message;
  }
  EXPECT_FALSE(engine.has_image(reference)) << "the tag of a failed push was left behind";
  EXPECT_TRUE(engine.has_image("drillmaster-shop-web:latest"));
}

TEST(RequireRegistry, TheLocalTargetRefusesARegistry) {
  try {
    require_registry("127.0.0.1:5000", TargetKind::Local, shop());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_TRUE(says(e.what(), "applies to the swarm target only (--target swarm")) << e.what();
  }
  EXPECT_NO_THROW(require_registry("", TargetKind::Local, shop()));
}

TEST(RequireRegistry, ABadValueOrAnUnpushableNameIsRefusedBeforeAnything) {
  EXPECT_NO_THROW(require_registry("127.0.0.1:5000/team", TargetKind::Swarm, shop()));
  try {
    require_registry("http://127.0.0.1:5000", TargetKind::Swarm, shop());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_TRUE(says(e.what(), "has a scheme")) << e.what();
  }
  model::GroupDef odd = shop();
  odd.name = "shop..v2";
  try {
    require_registry("127.0.0.1:5000", TargetKind::Swarm, odd);
    FAIL();
  } catch (const Error& e) {
    EXPECT_TRUE(says(e.what(), "service 'web'")) << e.what();
    EXPECT_FALSE(says(e.what(), "service 'db'")) << "db is not built: " << e.what();
  }
}

}  // namespace
}  // namespace dm::orchestrator
