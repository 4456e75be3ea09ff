#include "model/volumes.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "model/names.h"

namespace dm::model {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t begin = 0;
  for (;;) {
    size_t end = text.find(separator, begin);
    parts.push_back(text.substr(begin, end - begin));
    if (end == std::string::npos) return parts;
    begin = end + 1;
  }
}

std::string home_directory() {
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') return home;
  if (const passwd* entry = getpwuid(getuid()); entry != nullptr && entry->pw_dir != nullptr) {
    return entry->pw_dir;
  }
  return "/";
}

// std::filesystem's lexical normalisation: "." and repeated '/' go, ".."
// takes away the part before it; above the root of an absolute path it stays
// at the root, above the start of a relative one it is kept. Without the
// trailing '/' lexically_normal() keeps, so "/data/" and "/data" are one
// mount point.
std::string normalise(const std::string& path) {
  std::string out = std::filesystem::path(path).lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? "." : out;
}

}  // namespace

std::string volume_text(const VolumeSpec& volume) {
  if (!volume.spec.empty()) return volume.spec;
  std::string text = volume.host + ":" + volume.container;
  if (!volume.mode.empty()) text += ":" + volume.mode;
  return text;
}

bool split_volume(const VolumeSpec& volume, VolumeSpec* parts) {
  if (volume.spec.empty()) {
    *parts = volume;
    return true;
  }
  std::vector<std::string> fields = split(volume.spec, ':');
  if (fields.size() != 2 && fields.size() != 3) return false;
  parts->spec.clear();
  parts->host = fields[0];
  parts->container = fields[1];
  parts->mode = fields.size() == 3 ? fields[2] : "";
  return true;
}

bool is_host_path(const std::string& host) {
  return !host.empty() && (host.front() == '/' || host.front() == '.' || host.front() == '~' ||
                           host.find('/') != std::string::npos);
}

std::string volume_problem(const VolumeSpec& volume) {
  const std::string text = "volume '" + volume_text(volume) + "'";
  VolumeSpec parts;
  if (!split_volume(volume, &parts) || parts.host.empty() || parts.container.empty()) {
    return text + " must be host:container[:ro|rw]";
  }
  if (parts.container.front() != '/') {
    return text + " has container path '" + parts.container +
           "', which is not absolute; use a path starting with '/'";
  }
  if (!parts.mode.empty() && parts.mode != "ro" && parts.mode != "rw") {
    return text + " has mode '" + parts.mode + "'; use 'ro' or 'rw'";
  }
  if (is_host_path(parts.host)) {
    if (parts.host.front() == '~' && parts.host != "~" && parts.host.compare(0, 2, "~/") != 0) {
      return text + " has host path '" + parts.host + "'; only '~' and '~/...' are expanded";
    }
  } else if (!is_docker_name(parts.host)) {
    return text + " has host part '" + parts.host +
           "', which is neither a path (starting with '/', '.' or '~') nor a volume name "
           "(letters, digits, '_', '.' and '-', starting with a letter or digit)";
  }
  return "";
}

std::string resolve_path(const std::string& path, const std::string& directory) {
  if (path == "~" || path.compare(0, 2, "~/") == 0) {
    return normalise(home_directory() + "/" + path.substr(1));
  }
  if (!path.empty() && path.front() == '/') return normalise(path);
  if (directory.empty()) return normalise(path);
  return normalise(directory + "/" + path);
}

std::vector<Volume> resolve_volumes(const ServiceDef& service, const std::string& directory) {
  std::vector<Volume> volumes;
  for (const auto& spec : service.volumes) {
    VolumeSpec parts;
    if (!split_volume(spec, &parts)) continue;  // validate() reports it
    Volume volume;
    volume.source = is_host_path(parts.host) ? resolve_path(parts.host, directory) : parts.host;
    volume.target = parts.container;
    volume.read_only = parts.mode == "ro";
    volumes.push_back(volume);
  }
  return volumes;
}

std::string resolve_build_context(const ServiceDef& service, const std::string& directory) {
  if (service.build_context.empty()) return "";
  return resolve_path(service.build_context, directory);
}

}  // namespace dm::model
