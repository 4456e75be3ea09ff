#include "model/registry.h"

#include <cctype>
#include <vector>

#include "common/text.h"

namespace dm::model {
namespace {

constexpr size_t kTagDigits = 12;

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// A path component as the distribution spec allows it:
// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool path_component_ok(const std::string& part) {
  size_t i = 0;
  const size_t n = part.size();
  for (;;) {
    size_t start = i;
    while (i < n && alnum_lower(part[i])) i++;
    if (i == start) return false;  // empty, or a separator where letters must be
    if (i == n) return true;
    if (part[i] == '.') {
      i++;
    } else if (part[i] == '_') {
      i += (i + 1 < n && part[i + 1] == '_') ? 2 : 1;
    } else if (part[i] == '-') {
      while (i < n && part[i] == '-') i++;
    } else {
      return false;
    }
  }
}

// host, host:port, [v6]:port: letters, digits, '.', '-', ':' and brackets.
bool host_ok(const std::string& host) {
  if (host.empty() || host.front() == '.' || host.front() == '-') return false;
  for (char c : host)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != ':' &&
        c != '[' && c != ']')
      return false;
  return true;
}

std::vector<std::string> components(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t slash; (slash = text.find('/', start)) != std::string::npos; start = slash + 1)
    out.push_back(text.substr(start, slash - start));
  out.push_back(text.substr(start));
  return out;
}

}  // namespace

std::string registry_problem(const std::string& registry) {
  if (registry.empty()) return "";
  const std::string example =
      "write the registry's host[:port] and an optional path, e.g. "
      "127.0.0.1:5000/myteam";
  std::string said = "registry " + quoted(registry);
  if (registry.find("://") != std::string::npos)
    return said + " has a scheme: " + example +
           " (without http:// or https://; the engine picks the protocol)";
  if (registry.find('@') != std::string::npos)
    return said + " has a digest or user part ('@'): " + example;
  std::vector<std::string> parts = components(registry);
  const std::string& host = parts.front();
  // Without a '.', a ':' or "localhost" the engine reads the first part as a
  // Docker Hub account, not as a registry: the images would go elsewhere.
  if (!host_ok(host) || (host.find('.') == std::string::npos &&
                         host.find(':') == std::string::npos && host != "localhost"))
    return said + " does not begin with a registry host: " + example;
  for (size_t i = 1; i < parts.size(); i++) {
    if (parts[i].find(':') != std::string::npos)
      return said + " has a tag (" + quoted(parts[i]) +
             "): drillmaster tags each image it pushes itself; " + example;
    if (!path_component_ok(parts[i]))
      return said + ": path part " + quoted(parts[i]) +
             " is not a valid repository name (lower-case letters and digits, separated by "
             "'.', '_' or '-'); " +
             example;
  }
  return "";
}

std::string pushed_repository(const std::string& registry, const std::string& group,
                              const std::string& service) {
  return registry + "/" + lower(group + "_" + service);
}

std::string pushed_tag(const std::string& image_id) {
  size_t colon = image_id.find(':');
  std::string hex = colon == std::string::npos ? image_id : image_id.substr(colon + 1);
  return hex.substr(0, kTagDigits);
}

std::string pushed_name_problem(const std::string& group, const std::string& service) {
  std::string name = lower(group + "_" + service);
  if (path_component_ok(name)) return "";
  return "service " + quoted(service) + ": its image would be pushed as " + quoted(name) +
         ", which a registry refuses as a repository name (lower-case letters and digits, "
         "separated by '.', '_' or '-'); give the group a name of letters, digits and single "
         "'-' or '_'";
}

}  // namespace dm::model
