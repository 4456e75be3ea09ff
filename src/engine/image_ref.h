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

}  // namespace dm::engine

#endif
