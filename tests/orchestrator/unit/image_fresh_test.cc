// When an existing image of a service with a build is taken as it is
// (images.h, image_fresh): the service's containers tell which build hash
// made the image they run, as images carry no label of drillmaster's.
#include "orchestrator/images.h"

#include <gtest/gtest.h>

#include "orchestrator/identity.h"

namespace dm::orchestrator {
namespace {

engine::ContainerSummary container(const std::string& image_id, const std::string& hash) {
  engine::ContainerSummary c;
  c.id = image_id + "-" + hash;
  c.image_id = image_id;
  if (!hash.empty()) c.labels[kBuildLabel] = hash;
  return c;
}

TEST(ImageFresh, WithoutBuildArgsOrTargetAnImageIsTakenAsItIs) {
  EXPECT_TRUE(image_fresh("sha256:a", "", {}));
  EXPECT_TRUE(image_fresh("sha256:a", "", {container("sha256:a", "")}));
  EXPECT_TRUE(image_fresh("sha256:a", "", {container("sha256:b", "h1")}));
}

TEST(ImageFresh, AnImageBuiltWithArgsThatAreGoneNowIsStale) {
  EXPECT_FALSE(image_fresh("sha256:a", "", {container("sha256:a", "h1")}));
}

TEST(ImageFresh, WithABuildHashAContainerRunningTheImageMustRecordIt) {
  EXPECT_TRUE(image_fresh("sha256:a", "h1", {container("sha256:a", "h1")}));
  EXPECT_TRUE(
      image_fresh("sha256:a", "h1", {container("sha256:b", "h2"), container("sha256:a", "h1")}));
  // Another hash, or the hash on a container of another image: built again.
  EXPECT_FALSE(image_fresh("sha256:a", "h1", {container("sha256:a", "h2")}));
  EXPECT_FALSE(image_fresh("sha256:a", "h1", {container("sha256:b", "h1")}));
  // No container says (removed by stop --remove): built again, from the cache.
  EXPECT_FALSE(image_fresh("sha256:a", "h1", {}));
}

}  // namespace
}  // namespace dm::orchestrator
