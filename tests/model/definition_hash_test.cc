// The definition hash and the create request, both made from the field table.
// The hash must give drillmaster 0.1's values for every definition 0.1 could
// express (an upgrade then recreates no container and reruns no init); a
// newer field enters it only when set.
#include <gtest/gtest.h>

#include "model/fields.h"
#include "model/request.h"
#include "model/validate.h"

namespace dm::model {
namespace {

// The group 0.1's golden hashes were taken in.
GroupDef golden_group() {
  GroupDef g;
  g.name = "golden";
  g.network = "drillmaster-golden";
  g.directory = "/srv/spec";
  return g;
}

ServiceDef base() {
  ServiceDef s;
  s.name = "db";
  s.image = "postgres:16";
  return s;
}

VolumeSpec spec_volume(const std::string& spec) { return {spec, "", "", ""}; }

std::string hash(const ServiceDef& s) { return definition_hash(golden_group(), s); }

// Each expectation below is what drillmaster 0.1 (commit 67bcc20) computed
// for the same definition in the same group.

TEST(DefinitionHash, IsThatOf01ForAMinimalService) { EXPECT_EQ(hash(base()), "29858c3c3a0fa5bd"); }

TEST(DefinitionHash, IsThatOf01WithEnv) {
  ServiceDef s = base();
  s.env = {{"A", "1"}, {"B", "two words"}};
  EXPECT_EQ(hash(s), "7e6d5390a3e84696");
}

TEST(DefinitionHash, IsThatOf01WithPorts) {
  ServiceDef s = base();
  s.ports = {{"5432", 5433}, {"53/udp", 0}};
  EXPECT_EQ(hash(s), "bc5eb6060f6cf7d8");
}

TEST(DefinitionHash, IsThatOf01WithVolumesOfEachForm) {
  ServiceDef s = base();
  VolumeSpec parts;
  parts.host = "/etc/hosts";
  parts.container = "/etc/hosts";
  parts.mode = "ro";
  s.volumes = {spec_volume("./data:/var/lib/data"), spec_volume("cache:/cache:ro"), parts};
  EXPECT_EQ(hash(s), "31a337cf76b1029f");
}

TEST(DefinitionHash, IsThatOf01WithAnEntrypoint) {
  ServiceDef s = base();
  s.entrypoint = std::vector<std::string>{"sh", "-c"};
  EXPECT_EQ(hash(s), "a64a76d9c806c4cc");
}

TEST(DefinitionHash, IsThatOf01WithAnEmptyEntrypoint) {
  ServiceDef s = base();
  s.entrypoint = std::vector<std::string>{};
  EXPECT_EQ(hash(s), "47614b03cd467f21");
}

TEST(DefinitionHash, IsThatOf01WithACommand) {
  ServiceDef s = base();
  s.cmd = std::vector<std::string>{"sleep", "1000"};
  EXPECT_EQ(hash(s), "2456f2991abc2133");
}

TEST(DefinitionHash, IsThatOf01WithAUser) {
  ServiceDef s = base();
  s.user = "1000:1000";
  EXPECT_EQ(hash(s), "5f896e19ffe01ebb");
}

TEST(DefinitionHash, IsThatOf01WithAStopSignalInAnyForm) {
  ServiceDef s = base();
  s.stop_signal = "sigint";
  EXPECT_EQ(hash(s), "a4c45a7476194e02");
}

TEST(DefinitionHash, IsThatOf01WhateverTheFieldsThatDoNotShapeTheContainer) {
  ServiceDef s = base();
  s.always_start_new = true;
  s.build_context = "app";
  s.dockerfile = "Dockerfile.dev";
  s.timeout = 5;
  s.dependencies = {"x"};
  EXPECT_EQ(hash(s), "29858c3c3a0fa5bd");
}

TEST(DefinitionHash, IsThatOf01WithEveryField01Knew) {
  ServiceDef s = base();
  s.env = {{"PW", "secret"}};
  s.ports = {{"80/tcp", 8080}};
  s.volumes = {spec_volume("./data:/var/lib/data")};
  s.entrypoint = std::vector<std::string>{"/bin/sh"};
  s.cmd = std::vector<std::string>{"-c", "exec httpd -f"};
  s.user = "nobody";
  s.stop_signal = "SIGKILL";
  EXPECT_EQ(hash(s), "98788fe7b1ec04d7");
}

// ---- every field, from the table ----

// A field that shapes the container writes to the request when set, and then
// changes the hash; one that does not shape it writes nothing and leaves the
// hash alone. Loops over the table: a new field is covered by its sample.
TEST(DefinitionHash, EveryFieldThatWritesToTheRequestChangesTheHashWhenSet) {
  // The container's create request and the swarm service's deploy part.
  auto written = [](const GroupDef& group, const ServiceDef& service) {
    return create_request(group, service).dump() + deploy_request(group, service).dump();
  };
  const std::string before_request = written(golden_group(), base());
  const std::string before_hash = hash(base());
  for (const Field& field : fields()) {
    ASSERT_NE(field.sample, nullptr) << field.name << " has no sample value";
    GroupDef group = golden_group();
    ServiceDef service = base();
    field.sample(group, service);
    std::string request = written(group, service);
    std::string changed = definition_hash(group, service);
    if (field.write) {
      EXPECT_NE(request, before_request) << field.name << " writes nothing when set";
      EXPECT_NE(changed, before_hash) << field.name << " reaches the request but not the hash";
    } else {
      EXPECT_EQ(request, before_request) << field.name;
      EXPECT_EQ(changed, before_hash) << field.name << " does not shape the container";
    }
  }
}

// The samples the loop above relies on are definitions validation accepts.
TEST(DefinitionHash, EveryFieldsSampleIsValid) {
  for (const Field& field : fields()) {
    GroupDef group = golden_group();
    ServiceDef service = base();
    field.sample(group, service);
    group.services.insert(group.services.begin(), service);
    EXPECT_EQ(validate(group, {}), std::vector<std::string>{}) << field.name;
  }
}

// ---- tty: a field newer than 0.1 ----

TEST(CreateRequest, TtySetGivesTheContainerATerminalAndChangesTheHash) {
  ServiceDef s = base();
  s.tty = true;
  Json body = create_request(golden_group(), s);
  EXPECT_TRUE(body.view()["Tty"].is_bool());
  EXPECT_TRUE(body.view()["Tty"].boolean());
  EXPECT_NE(hash(s), hash(base()));
}

TEST(CreateRequest, TtyUnsetIsLeftToTheImageAndKeeps01sHash) {
  Json body = create_request(golden_group(), base());
  EXPECT_FALSE(body.view()["Tty"].valid()) << body.dump();
  EXPECT_EQ(hash(base()), "29858c3c3a0fa5bd");
}

// ---- the whole request ----

TEST(CreateRequest, SaysEverythingTheDefinitionSays) {
  ServiceDef s = base();
  s.env = {{"PW", "secret"}};
  s.ports = {{"80", 8080}, {"53/udp", 0}};
  s.volumes = {spec_volume("./data:/var/lib/data"), spec_volume("cache:/cache:ro")};
  s.entrypoint = std::vector<std::string>{"/bin/sh"};
  s.cmd = std::vector<std::string>{"-c", "exec httpd -f"};
  s.user = "nobody";
  s.stop_signal = "kill";
  EXPECT_EQ(create_request(golden_group(), s).dump(),
            R"({"Image":"postgres:16","Env":["PW=secret"],)"
            R"("ExposedPorts":{"80/tcp":{},"53/udp":{}},)"
            R"("Entrypoint":["/bin/sh"],"Cmd":["-c","exec httpd -f"],"User":"nobody",)"
            R"("StopSignal":"SIGKILL","HostConfig":{"PortBindings":{)"
            R"("53/udp":[{"HostIp":"","HostPort":""}],"80/tcp":[{"HostIp":"","HostPort":"8080"}]},)"
            R"("Binds":["/srv/spec/data:/var/lib/data","cache:/cache:ro"],)"
            R"("NetworkMode":"drillmaster-golden"},)"
            R"("NetworkingConfig":{"EndpointsConfig":{"drillmaster-golden":{"Aliases":["db"]}}}})");
}

TEST(CreateRequest, LeavesWhatIsNotSetToTheImage) {
  GroupDef group = golden_group();
  group.network = "";
  EXPECT_EQ(create_request(group, base()).dump(),
            R"({"Image":"postgres:16","StopSignal":"SIGTERM","HostConfig":{}})");
}

}  // namespace
}  // namespace dm::model
