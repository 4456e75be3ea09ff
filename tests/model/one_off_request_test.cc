// A one-off's create request (`run`): the service's own, as Compose's `run`
// makes it, without the service's DNS alias and with no restart policy.
#include <gtest/gtest.h>

#include "model/request.h"

namespace dm::model {
namespace {

GroupDef group() {
  GroupDef g;
  g.name = "shop";
  g.network = "drillmaster-shop";
  g.directory = "/srv/spec";
  return g;
}

ServiceDef app() {
  ServiceDef s;
  s.name = "app";
  s.image = "app:1";
  s.env = {{"MODE", "dev"}};
  return s;
}

JsonView endpoint(const Json& body) {
  return body.view()["NetworkingConfig"]["EndpointsConfig"]["drillmaster-shop"];
}

TEST(OneOffRequest, IsTheServicesRequestWithoutItsAlias) {
  Json service = create_request(group(), app());
  Json one_off = create_request(group(), app(), Use::OneOff);
  EXPECT_EQ(endpoint(service)["Aliases"].string_list(), std::vector<std::string>{"app"});
  EXPECT_TRUE(endpoint(one_off).is_object()) << one_off.dump();
  EXPECT_FALSE(endpoint(one_off)["Aliases"].valid()) << one_off.dump();
  // On the group's network all the same, with the service's definition.
  EXPECT_EQ(one_off.view()["HostConfig"]["NetworkMode"].str(), "drillmaster-shop");
  EXPECT_EQ(one_off.view()["Env"].string_list(), std::vector<std::string>{"MODE=dev"});
  EXPECT_EQ(one_off.view()["Image"].str(), "app:1");
}

TEST(OneOffRequest, HasNoRestartPolicy) {
  Json one_off = create_request(group(), app(), Use::OneOff);
  EXPECT_EQ(one_off.view()["HostConfig"]["RestartPolicy"]["Name"].str(), "no");
}

TEST(OneOffRequest, LeavesTheServicesRequestAndHashAsTheyWere) {
  Json service = create_request(group(), app());
  EXPECT_FALSE(service.view()["HostConfig"]["RestartPolicy"].valid()) << service.dump();
  EXPECT_EQ(create_request(group(), app(), Use::Service).dump(), service.dump());
}

}  // namespace
}  // namespace dm::model
