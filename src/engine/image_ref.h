// Splitting an image reference into the fromImage/tag pair POST
// /images/create wants. Without a tag the engine would pull every tag of the
// repository, so "latest" is made explicit.
#ifndef DM_ENGINE_IMAGE_REF_H
#define DM_ENGINE_IMAGE_REF_H

#include <string>

namespace dm::engine {

struct ImageRef {
  std::string name;  // "registry:5000/team/app"
  std::string tag;   // "1.2", "latest" or a digest "sha256:..."
};

// "app" -> {app, latest}; "reg:5000/app:1" -> {reg:5000/app, 1};
// "reg:5000/app" -> {reg:5000/app, latest}; "app@sha256:ab" -> {app, sha256:ab}.
ImageRef split_image_reference(const std::string& reference);

// An image name as the docker command shows it: Docker Hub's prefix left
// out ("docker.io/library/busybox:1" -> "busybox:1", "docker.io/team/app"
// -> "team/app"); any other name unchanged. Docker's answers give a
// container's image as it was named at create; Podman's name every image of
// Docker Hub in full (docs/podman.md).
std::string familiar_image_name(const std::string& name);

}  // namespace dm::engine

#endif
