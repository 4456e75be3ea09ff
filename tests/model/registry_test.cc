// The registry setting's value and the names drillmaster pushes under it
// (model/registry.h).
#include "model/registry.h"

#include <gtest/gtest.h>

#include <string>

namespace dm::model {
namespace {

bool says(const std::string& problem, const std::string& part) {
  return problem.find(part) != std::string::npos;
}

TEST(Registry, AHostAPortAndAPathAreAccepted) {
  EXPECT_EQ(registry_problem(""), "");
  EXPECT_EQ(registry_problem("127.0.0.1:5000"), "");
  EXPECT_EQ(registry_problem("127.0.0.1:5000/myteam"), "");
  EXPECT_EQ(registry_problem("registry.example.org/team/sub-team"), "");
  EXPECT_EQ(registry_problem("localhost/ci"), "");
  EXPECT_EQ(registry_problem("[::1]:5000/a_b.c"), "");
}

TEST(Registry, ASchemeIsRefusedSayingWhatToWrite) {
  std::string problem = registry_problem("http://127.0.0.1:5000/myteam");
  EXPECT_TRUE(says(problem, "registry 'http://127.0.0.1:5000/myteam' has a scheme")) << problem;
  EXPECT_TRUE(says(problem, "e.g. 127.0.0.1:5000/myteam")) << problem;
  EXPECT_TRUE(says(problem, "without http://")) << problem;
}

TEST(Registry, ATagOrADigestIsRefused) {
  std::string tag = registry_problem("127.0.0.1:5000/myteam:1.0");
  EXPECT_TRUE(says(tag, "has a tag ('myteam:1.0')")) << tag;
  EXPECT_TRUE(says(tag, "drillmaster tags each image it pushes itself")) << tag;
  EXPECT_TRUE(says(registry_problem("127.0.0.1:5000/a@sha256:00"), "'@'"));
}

TEST(Registry, AFirstPartThatIsNoHostIsRefused) {
  // Docker would take "myteam" for a Docker Hub account.
  std::string problem = registry_problem("myteam/app");
  EXPECT_TRUE(says(problem, "does not begin with a registry host")) << problem;
  EXPECT_NE(registry_problem("/myteam"), "");
  EXPECT_NE(registry_problem("bad host:5000"), "");
}

TEST(Registry, APathPartThatIsNoRepositoryNameIsRefused) {
  EXPECT_TRUE(says(registry_problem("127.0.0.1:5000/MyTeam"), "path part 'MyTeam'"));
  EXPECT_TRUE(says(registry_problem("127.0.0.1:5000/"), "path part ''"));
  EXPECT_TRUE(says(registry_problem("127.0.0.1:5000/a//b"), "path part ''"));
  EXPECT_TRUE(says(registry_problem("127.0.0.1:5000/a..b"), "path part 'a..b'"));
  EXPECT_TRUE(says(registry_problem("127.0.0.1:5000/-a"), "path part '-a'"));
}

TEST(Registry, TheRepositoryIsTheRegistryAndTheLowerCasedSwarmServiceName) {
  EXPECT_EQ(pushed_repository("127.0.0.1:5000/myteam", "Shop", "web"),
            "127.0.0.1:5000/myteam/shop_web");
  EXPECT_EQ(pushed_repository("127.0.0.1:5000", "g", "api-1"), "127.0.0.1:5000/g_api-1");
}

TEST(Registry, TheTagIsTheImageIdsFirstTwelveHexDigits) {
  EXPECT_EQ(pushed_tag("sha256:3f4e5a6b7c8d9e0f1a2b"), "3f4e5a6b7c8d");
  EXPECT_EQ(pushed_tag("3f4e5a6b7c8d9e0f"), "3f4e5a6b7c8d");
}

TEST(Registry, AGroupNameARegistryRefusesIsNamed) {
  EXPECT_EQ(pushed_name_problem("shop", "web"), "");
  EXPECT_EQ(pushed_name_problem("Shop.v2", "web"), "");
  std::string problem = pushed_name_problem("a..b", "web");
  EXPECT_TRUE(says(problem, "service 'web'")) << problem;
  EXPECT_TRUE(says(problem, "'a..b_web'")) << problem;
  EXPECT_EQ(pushed_name_problem("a_", "web"), "");  // "a__web": "__" separates too
  EXPECT_NE(pushed_name_problem("a.", "web"), "");  // "a._web": two separators
}

}  // namespace
}  // namespace dm::model
