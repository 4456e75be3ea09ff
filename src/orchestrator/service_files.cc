#include "orchestrator/service_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/text.h"
#include "model/env_file.h"
#include "model/volumes.h"

namespace dm::orchestrator {
namespace {

std::string who(const model::ServiceDef& service) { return "service " + quoted(service.name); }

// The file's text; throws naming the service, the field and the path.
std::string read_text(const model::ServiceDef& service, const char* field,
                      const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(Error::Code::Invalid, who(service) + ": " + field + " " + quoted(path) +
                                          " cannot be read: " + std::strerror(errno) +
                                          "; create it, or correct the path (relative paths "
                                          "start at the spec's directory)");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void read_env_files(model::ServiceDef& service, const std::string& directory) {
  std::vector<std::pair<std::string, std::string>> values;
  for (const std::string& file : service.env_files) {
    std::string path = model::resolve_path(file, directory);
    model::EnvFileText parsed = model::parse_env_file(read_text(service, "env_file", path));
    if (!parsed.problems.empty())
      throw Error(Error::Code::Invalid, who(service) + ": env_file " + quoted(path) + " " +
                                            join(parsed.problems, "; ") +
                                            "; write NAME=value lines");
    for (auto& entry : parsed.values) {
      auto same = [&](const auto& e) { return e.first == entry.first; };
      auto it = std::find_if(values.begin(), values.end(), same);
      if (it != values.end())
        it->second = entry.second;
      else
        values.push_back(entry);
    }
  }
  for (auto& entry : service.env) {  // env wins
    auto same = [&](const auto& e) { return e.first == entry.first; };
    values.erase(std::remove_if(values.begin(), values.end(), same), values.end());
  }
  values.insert(values.end(), service.env.begin(), service.env.end());
  service.env = std::move(values);
}

void check_secrets(const model::ServiceDef& service, const std::string& directory) {
  for (const auto& [name, file] : service.secrets) {
    std::string path = model::resolve_path(file, directory);
    std::ifstream in(path, std::ios::binary);
    if (!in)
      throw Error(Error::Code::Invalid,
                  who(service) + ": secret " + quoted(name) + " file " + quoted(path) +
                      " cannot be read: " + std::strerror(errno) +
                      "; create it, or correct the path (relative paths start at the spec's "
                      "directory)");
  }
}

}  // namespace

model::GroupDef with_service_files(const model::GroupDef& group,
                                   const std::vector<std::string>& skip) {
  model::GroupDef out = group;
  for (model::ServiceDef& service : out.services) {
    if (std::find(skip.begin(), skip.end(), service.name) != skip.end()) continue;
    if (!service.env_files.empty()) read_env_files(service, group.directory);
    check_secrets(service, group.directory);
  }
  return out;
}

}  // namespace dm::orchestrator
