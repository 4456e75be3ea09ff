#include "engine/image_ref.h"

namespace dm::engine {

ImageRef split_image_reference(const std::string& reference) {
  size_t at = reference.find('@');
  if (at != std::string::npos) return {reference.substr(0, at), reference.substr(at + 1)};
  // A ':' before the last '/' belongs to a registry's port, not to a tag.
  size_t slash = reference.rfind('/');
  size_t colon = reference.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    return {reference.substr(0, colon), reference.substr(colon + 1)};
  return {reference, "latest"};
}

std::string familiar_image_name(const std::string& name) {
  for (const char* prefix : {"docker.io/library/", "docker.io/"}) {
    std::string p = prefix;
    // "docker.io/library/a/b" is not an official image: only one level there.
    if (name.rfind(p, 0) == 0 && name.size() > p.size() &&
        (p != "docker.io/library/" || name.find('/', p.size()) == std::string::npos))
      return name.substr(p.size());
  }
  return name;
}

}  // namespace dm::engine
