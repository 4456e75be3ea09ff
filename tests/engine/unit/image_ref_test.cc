#include "engine/image_ref.h"

#include <gtest/gtest.h>

namespace dm::engine {
namespace {

void expect_split(const std::string& ref, const std::string& name, const std::string& tag) {
  ImageRef r = split_image_reference(ref);
  EXPECT_EQ(r.name, name) << ref;
  EXPECT_EQ(r.tag, tag) << ref;
}

TEST(ImageRef, SplitsNameAndTag) {
  expect_split("busybox", "busybox", "latest");
  expect_split("busybox:1.36", "busybox", "1.36");
  expect_split("team/app:v2", "team/app", "v2");
  expect_split("registry:5000/team/app", "registry:5000/team/app", "latest");
  expect_split("registry:5000/team/app:v2", "registry:5000/team/app", "v2");
  expect_split("app@sha256:abcd", "app", "sha256:abcd");
  expect_split("registry:5000/app@sha256:abcd", "registry:5000/app", "sha256:abcd");
}

TEST(ImageRef, TheFamiliarNameLeavesOutDockerHubsPrefixOnly) {
  EXPECT_EQ(familiar_image_name("docker.io/library/busybox:1.36"), "busybox:1.36");
  EXPECT_EQ(familiar_image_name("docker.io/team/app:v2"), "team/app:v2");
  EXPECT_EQ(familiar_image_name("docker.io/library/team/app"), "library/team/app");
  EXPECT_EQ(familiar_image_name("busybox"), "busybox");
  EXPECT_EQ(familiar_image_name("registry:5000/team/app"), "registry:5000/team/app");
  EXPECT_EQ(familiar_image_name("localhost/app:dev"), "localhost/app:dev");
  EXPECT_EQ(familiar_image_name("docker.io/"), "docker.io/");
  EXPECT_EQ(familiar_image_name(""), "");
}

}  // namespace
}  // namespace dm::engine
