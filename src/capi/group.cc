// dm_group: naming, services and validation. The operations are in
// operations.cc.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "capi/boundary.h"
#include "capi/group_lifetime.h"
#include "capi/handles.h"
#include "common/error.h"
#include "common/text.h"
#include "drillmaster/group.h"
#include "model/names.h"
#include "model/validate.h"
#include "orchestrator/runtime_dir.h"

using dm::capi::guard;

dm::model::GroupDef dm_group::snapshot() const {
  dm::model::GroupDef def;
  def.name = name;
  def.network = network;
  def.directory = directory;
  def.services.reserve(services.size());
  for (const auto& service : services) def.services.push_back(service->def);
  return def;
}

extern "C" {

int dm_runtime_directory(char** out) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    dm::orchestrator::RuntimeDir dir;
    *out = dm::capi::copy_for_caller(dir.path());
    return DM_OK;
  });
}

int dm_group_new(dm_group** out, const char* name) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    DM_REQUIRE(name, "name");
    std::string problem = dm::model::group_name_problem(name);
    if (!problem.empty()) throw dm::Error(dm::Error::Code::Invalid, problem);
    auto group = std::make_unique<dm_group>();
    group->name = name;
    group->network = std::string("drillmaster-") + name;
    group->directory = std::filesystem::current_path().string();
    *out = group.release();
    return DM_OK;
  });
}

void dm_group_free(dm_group* group) { dm::capi::free_group(group); }

const char* dm_group_name(const dm_group* group) { return group ? group->name.c_str() : ""; }

const char* dm_group_network_name(const dm_group* group) {
  return group ? group->network.c_str() : "";
}

const char* dm_group_directory(const dm_group* group) {
  return group ? group->directory.c_str() : "";
}

int dm_group_set_network_name(dm_group* group, const char* network) {
  return guard([&] {
    DM_REQUIRE(group, "group");
    DM_REQUIRE(network, "network");
    group->network = network;
    return DM_OK;
  });
}

int dm_group_set_directory(dm_group* group, const char* directory) {
  return guard([&] {
    DM_REQUIRE(group, "group");
    DM_REQUIRE(directory, "directory");
    std::error_code ec;
    auto path = std::filesystem::absolute(directory, ec);
    if (ec)
      throw dm::Error(dm::Error::Code::Invalid,
                      std::string("group directory '") + directory + "': " + ec.message());
    group->directory = path.lexically_normal().string();
    if (group->directory.size() > 1 && group->directory.back() == '/') group->directory.pop_back();
    return DM_OK;
  });
}

int dm_group_add_service(dm_service** out, dm_group* group, const char* name, const char* image) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    DM_REQUIRE(group, "group");
    DM_REQUIRE(name, "name");
    DM_REQUIRE(image, "image");
    auto service = std::make_unique<dm_service>();
    service->def.name = name;
    service->def.image = image;
    group->services.push_back(std::move(service));
    *out = group->services.back().get();
    return DM_OK;
  });
}

size_t dm_group_service_count(const dm_group* group) { return group ? group->services.size() : 0; }

dm_service* dm_group_service_at(const dm_group* group, size_t index) {
  if (group == nullptr || index >= group->services.size()) return nullptr;
  return group->services[index].get();
}

dm_service* dm_group_find_service(const dm_group* group, const char* name) {
  if (group == nullptr || name == nullptr) return nullptr;
  for (const auto& service : group->services)
    if (service->def.name == name) return service.get();
  return nullptr;
}

int dm_group_validate(dm_group* group, const char* const* exclude, size_t exclude_count) {
  return guard([&] {
    DM_REQUIRE(group, "group");
    dm::model::check(group->snapshot(), dm::capi::strings(exclude, exclude_count, "exclude"));
    return DM_OK;
  });
}

int dm_service_validate(const dm_service* service) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    auto problems = dm::model::validate_alone(service->def);
    if (!problems.empty()) throw dm::Error(dm::Error::Code::Invalid, dm::join(problems, "\n"));
    return DM_OK;
  });
}

int dm_group_validate_stop(dm_group* group, const char* const* exclude, size_t exclude_count) {
  return guard([&] {
    DM_REQUIRE(group, "group");
    dm::model::check_stop(group->snapshot(), dm::capi::strings(exclude, exclude_count, "exclude"));
    return DM_OK;
  });
}

}  // extern "C"
