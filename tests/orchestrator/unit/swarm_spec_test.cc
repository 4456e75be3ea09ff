// What a service becomes on a swarm (swarm_target.h): the ServiceSpec that
// POST /services/create gets, from the same field table as a container.
#include <gtest/gtest.h>

#include "common/error.h"
#include "orchestrator/identity.h"
#include "orchestrator/local_target.h"
#include "orchestrator/swarm_target.h"

namespace dm::orchestrator {
namespace {

model::GroupDef shop() {
  model::GroupDef g;
  g.name = "shop";
  g.network = "drillmaster-shop";
  model::ServiceDef web;
  web.name = "web";
  web.image = "web:1";
  web.env = {{"MODE", "test"}};
  web.entrypoint = std::vector<std::string>{"/bin/sh", "-c"};
  web.cmd = std::vector<std::string>{"exec httpd -f"};
  web.user = "nobody";
  web.stop_signal = "SIGKILL";
  web.ports.emplace_back("8080/tcp", 18099);
  g.services.push_back(web);
  return g;
}

TEST(SwarmSpec, MapsTheDefinitionToATaskTemplateOnTheGroupsOverlayNetwork) {
  model::GroupDef g = shop();
  Json spec = swarm_service_spec(g, g.services[0], {{kGroupLabel, "shop"}}, 0);
  JsonView s = spec.view();
  EXPECT_EQ(s["Name"].str(), "shop_web");
  EXPECT_EQ(s["Labels"][kGroupLabel].str(), "shop");
  EXPECT_EQ(s["Mode"]["Replicated"]["Replicas"].integer(-1), 0);
  JsonView container = s["TaskTemplate"]["ContainerSpec"];
  EXPECT_EQ(container["Image"].str(), "web:1");
  EXPECT_EQ(container["Env"].string_list(), std::vector<std::string>{"MODE=test"});
  EXPECT_EQ(container["Command"].string_list(), (std::vector<std::string>{"/bin/sh", "-c"}));
  EXPECT_EQ(container["Args"].string_list(), std::vector<std::string>{"exec httpd -f"});
  EXPECT_EQ(container["User"].str(), "nobody");
  EXPECT_EQ(container["StopSignal"].str(), "SIGKILL");
  // A failing task fails the service instead of restarting in a loop.
  EXPECT_EQ(s["TaskTemplate"]["RestartPolicy"]["Condition"].str(), "none");
  JsonView network = s["TaskTemplate"]["Networks"].items().at(0);
  EXPECT_EQ(network["Target"].str(), "drillmaster-shop");
  EXPECT_EQ(network["Aliases"].string_list(), std::vector<std::string>{"web"});
}

// A port goes through the routing mesh unless it says mode=host; the mesh
// needs a virtual IP, and a service without an ingress port resolves to its
// tasks (dnsrr).
TEST(SwarmSpec, PublishesThroughTheMeshUnlessAPortSaysModeHost) {
  model::GroupDef g = shop();
  Json spec = swarm_service_spec(g, g.services[0], {}, 1);
  JsonView endpoint = spec.view()["EndpointSpec"];
  EXPECT_EQ(endpoint["Mode"].str(), "vip");
  JsonView port = endpoint["Ports"].items().at(0);
  EXPECT_EQ(port["TargetPort"].integer(), 8080);
  EXPECT_EQ(port["PublishedPort"].integer(), 18099);
  EXPECT_EQ(port["Protocol"].str(), "tcp");
  EXPECT_EQ(port["PublishMode"].str(), "ingress");

  g.services[0].ports = {model::PortSpec::compose("published=18099,target=8080,mode=host"),
                         model::PortSpec::compose("target=53,protocol=udp,mode=host")};
  spec = swarm_service_spec(g, g.services[0], {}, 1);
  endpoint = spec.view()["EndpointSpec"];
  EXPECT_EQ(endpoint["Mode"].str(), "dnsrr");
  std::vector<JsonView> ports = endpoint["Ports"].items();
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_EQ(ports[0]["PublishMode"].str(), "host");
  EXPECT_EQ(ports[0]["PublishedPort"].integer(), 18099);
  EXPECT_EQ(ports[1]["Protocol"].str(), "udp");
  EXPECT_FALSE(ports[1]["PublishedPort"].valid());  // the swarm picks one

  g.services[0].ports.clear();
  spec = swarm_service_spec(g, g.services[0], {}, 1);
  EXPECT_EQ(spec.view()["EndpointSpec"]["Mode"].str(), "dnsrr");
  EXPECT_FALSE(spec.view()["EndpointSpec"]["Ports"].valid());
}

// What a swarm cannot publish is refused by service and port before
// anything is made.
TEST(SwarmSpec, APortASwarmCannotPublishIsRefusedByName) {
  model::GroupDef g = shop();
  g.services[0].ports = {model::PortSpec::compose("127.0.0.1:5433:5432"),
                         model::PortSpec::compose("9000-9010:80")};
  try {
    require_carried_fields(g);
    FAIL() << "a host address and a host range were not refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    std::string message = e.what();
    EXPECT_NE(message.find("service 'web': ports '127.0.0.1:5433:5432' names a host address"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("ports '9000-9010:80' gives a host port range"), std::string::npos)
        << message;
  }
}

// A field a swarm service does not carry is refused by name before anything
// is made, not dropped unseen; the fields it carries pass.
TEST(SwarmSpec, AFieldASwarmServiceDoesNotCarryIsRefusedByName) {
  model::GroupDef g = shop();
  g.services[0].labels = {{"team", "data"}};
  EXPECT_NO_THROW(require_carried_fields(g));
  g.services[0].privileged = true;
  g.services[0].cap_add = {"NET_ADMIN"};
  try {
    require_carried_fields(g);
    FAIL() << "privileged and cap_add were not refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    std::string message = e.what();
    EXPECT_NE(message.find("service 'web': field 'privileged' is not carried"), std::string::npos)
        << message;
    EXPECT_NE(message.find("field 'cap_add'"), std::string::npos) << message;
  }
}

// replicas is carried: the swarm service is made at 0 replicas and scaled to
// the service's count by its start; nothing of it is in the task's container.
TEST(SwarmSpec, ReplicasAreCarriedAndLeaveTheContainerSpecAlone) {
  model::GroupDef g = shop();
  Json one = swarm_service_spec(g, g.services[0], {}, 0);
  g.services[0].replicas = 3;
  EXPECT_NO_THROW(require_carried_fields(g));
  Json three = swarm_service_spec(g, g.services[0], {}, 0);
  EXPECT_EQ(Json::copy(three.view()["TaskTemplate"]).dump(),
            Json::copy(one.view()["TaskTemplate"]).dump());
  EXPECT_EQ(three.view()["Mode"]["Replicated"]["Replicas"].integer(-1), 0);
  Json scaled = swarm_service_spec(g, g.services[0], {}, g.services[0].replicas);
  EXPECT_EQ(scaled.view()["Mode"]["Replicated"]["Replicas"].integer(-1), 3);
}

// The local target runs one container per service: more replicas are
// refused by service, field and value, saying where they run.
TEST(LocalTarget, MoreThanOneReplicaIsRefusedSayingItRunsOnASwarm) {
  model::GroupDef g = shop();
  EXPECT_NO_THROW(require_local_fields(g));
  g.services[0].replicas = 3;
  try {
    require_local_fields(g);
    FAIL() << "replicas 3 was not refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    EXPECT_EQ(std::string(e.what()),
              "service 'web': replicas 3: replicas > 1 runs on a swarm target only (--target "
              "swarm); the local target runs one container per service; set replicas to 1 to run "
              "it here");
  }
}

}  // namespace
}  // namespace dm::orchestrator
