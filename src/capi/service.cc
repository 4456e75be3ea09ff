// dm_service: setters that record a service's definition. Checking happens
// in dm_group_validate(), so every problem is reported at once; a setter
// refuses only what the definition cannot hold (a NULL, an empty build
// context, which would read as "no build").
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "capi/boundary.h"
#include "capi/handles.h"
#include "capi/hooks.h"
#include "drillmaster/service.h"

using dm::capi::guard;

namespace {

std::vector<std::string> argv_vector(const char* const* argv, size_t argc) {
  if (argc > 0 && argv == nullptr)
    throw dm::capi::ArgumentError("argv is NULL but argc is " + std::to_string(argc));
  std::vector<std::string> out;
  for (size_t i = 0; i < argc; i++) {
    if (argv[i] == nullptr)
      throw dm::capi::ArgumentError("argv[" + std::to_string(i) + "] is NULL");
    out.emplace_back(argv[i]);
  }
  return out;
}

// Sets `name` in name -> value pairs: a later value replaces an earlier one.
void set_pair(std::vector<std::pair<std::string, std::string>>& pairs, const char* name,
              const char* value) {
  for (auto& entry : pairs) {
    if (entry.first == name) {
      entry.second = value;
      return;
    }
  }
  pairs.emplace_back(name, value);
}

}  // namespace

extern "C" {

const char* dm_service_name(const dm_service* service) {
  return service ? service->def.name.c_str() : "";
}

int dm_service_set_image(dm_service* service, const char* image) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(image, "image");
    service->def.image = image;
    return DM_OK;
  });
}

int dm_service_add_dependency(dm_service* service, const char* name) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(name, "name");
    service->def.dependencies.emplace_back(name);
    return DM_OK;
  });
}

int dm_service_add_port(dm_service* service, const char* container_port, int host_port) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(container_port, "container_port");
    service->def.ports.push_back({container_port, host_port});
    return DM_OK;
  });
}

int dm_service_set_env(dm_service* service, const char* name, const char* value) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(name, "name");
    DM_REQUIRE(value, "value");
    for (auto& entry : service->def.env) {
      if (entry.first == name) {
        entry.second = value;
        return DM_OK;
      }
    }
    service->def.env.emplace_back(name, value);
    return DM_OK;
  });
}

int dm_service_add_volume(dm_service* service, const char* spec) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(spec, "spec");
    dm::model::VolumeSpec volume;
    volume.spec = spec;
    service->def.volumes.push_back(volume);
    return DM_OK;
  });
}

int dm_service_add_bind(dm_service* service, const char* host_path, const char* container_path,
                        const char* mode) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(host_path, "host_path");
    DM_REQUIRE(container_path, "container_path");
    dm::model::VolumeSpec volume;
    volume.host = host_path;
    volume.container = container_path;
    volume.mode = mode ? mode : "";
    service->def.volumes.push_back(volume);
    return DM_OK;
  });
}

int dm_service_set_always_start_new(dm_service* service, int on) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.always_start_new = on != 0;
    return DM_OK;
  });
}

int dm_service_set_stop_signal(dm_service* service, const char* signal) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(signal, "signal");
    service->def.stop_signal = signal;
    return DM_OK;
  });
}

int dm_service_set_build(dm_service* service, const char* context_dir, const char* dockerfile) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(context_dir, "context_dir");
    if (*context_dir == '\0') {
      const dm::model::ServiceDef& def = service->def;
      throw dm::capi::ArgumentError("service '" + def.name +
                                    "': context_dir (its build_from) is empty: name the directory "
                                    "that holds the Dockerfile (\".\" for the group's directory), "
                                    "or leave the build unset to run the image '" +
                                    def.image + "'");
    }
    service->def.build_context = context_dir;
    service->def.dockerfile = dockerfile ? dockerfile : "";
    return DM_OK;
  });
}

int dm_service_set_entrypoint(dm_service* service, const char* const* argv, size_t argc) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.entrypoint = argv_vector(argv, argc);
    return DM_OK;
  });
}

int dm_service_set_cmd(dm_service* service, const char* const* argv, size_t argc) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.cmd = argv_vector(argv, argc);
    return DM_OK;
  });
}

int dm_service_set_user(dm_service* service, const char* user) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(user, "user");
    service->def.user = user;
    return DM_OK;
  });
}

int dm_service_set_healthcheck(dm_service* service, const char* const* test, size_t test_count,
                               double interval_s, double timeout_s, int retries,
                               double start_period_s) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.healthcheck = dm::model::Healthcheck{argv_vector(test, test_count), interval_s,
                                                      timeout_s, retries, start_period_s};
    return DM_OK;
  });
}

int dm_service_set_timeout(dm_service* service, double seconds) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.timeout = seconds;
    return DM_OK;
  });
}

int dm_service_set_prepare(dm_service* service, dm_hook_fn fn, void* user_data) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.hooks.prepare = dm::capi::wrap_prepare(fn, user_data);
    return DM_OK;
  });
}

int dm_service_set_pre_start(dm_service* service, dm_hook_fn fn, void* user_data) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.hooks.pre_start = dm::capi::wrap_hook(fn, user_data);
    return DM_OK;
  });
}

int dm_service_set_ping(dm_service* service, dm_ping_fn fn, void* user_data) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.hooks.ping = dm::capi::wrap_hook(fn, user_data);
    return DM_OK;
  });
}

int dm_service_set_post_start_init(dm_service* service, dm_hook_fn fn, void* user_data) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.hooks.post_start_init = dm::capi::wrap_hook(fn, user_data);
    return DM_OK;
  });
}

int dm_service_set_oneshot(dm_service* service, int on) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.oneshot = on != 0;
    return DM_OK;
  });
}

int dm_service_set_pre_stop(dm_service* service, dm_hook_fn fn, void* user_data) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.hooks.pre_stop = dm::capi::wrap_hook(fn, user_data);
    return DM_OK;
  });
}

int dm_service_add_profile(dm_service* service, const char* profile) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(profile, "profile");
    service->def.profiles.emplace_back(profile);
    return DM_OK;
  });
}

}  // extern "C"

namespace {

// The setters' common bodies. `function` is the exported function that
// calls one (guard() names it in argument errors).

// Records a text value; the pointers are required.
int set_text(dm_service* service, const char* value, const char* what,
             std::string dm::model::ServiceDef::*member,
             const char* function = __builtin_FUNCTION()) {
  return guard(
      [&] {
        DM_REQUIRE(service, "service");
        DM_REQUIRE(value, what);
        service->def.*member = value;
        return DM_OK;
      },
      function);
}

int add_text(dm_service* service, const char* value, const char* what,
             std::vector<std::string> dm::model::ServiceDef::*member,
             const char* function = __builtin_FUNCTION()) {
  return guard(
      [&] {
        DM_REQUIRE(service, "service");
        DM_REQUIRE(value, what);
        (service->def.*member).emplace_back(value);
        return DM_OK;
      },
      function);
}

int set_flag(dm_service* service, int on, bool dm::model::ServiceDef::*member,
             const char* function = __builtin_FUNCTION()) {
  return guard(
      [&] {
        DM_REQUIRE(service, "service");
        service->def.*member = on != 0;
        return DM_OK;
      },
      function);
}

}  // namespace

extern "C" {

int dm_service_set_restart(dm_service* service, const char* policy) {
  return set_text(service, policy, "policy", &dm::model::ServiceDef::restart);
}

int dm_service_add_tmpfs(dm_service* service, const char* mount) {
  return add_text(service, mount, "mount", &dm::model::ServiceDef::tmpfs);
}

int dm_service_set_read_only(dm_service* service, int on) {
  return set_flag(service, on, &dm::model::ServiceDef::read_only);
}

int dm_service_set_init(dm_service* service, int on) {
  return set_flag(service, on, &dm::model::ServiceDef::init);
}

int dm_service_set_privileged(dm_service* service, int on) {
  return set_flag(service, on, &dm::model::ServiceDef::privileged);
}

int dm_service_add_cap_add(dm_service* service, const char* capability) {
  return add_text(service, capability, "capability", &dm::model::ServiceDef::cap_add);
}

int dm_service_add_cap_drop(dm_service* service, const char* capability) {
  return add_text(service, capability, "capability", &dm::model::ServiceDef::cap_drop);
}

int dm_service_set_shm_size(dm_service* service, const char* size) {
  return set_text(service, size, "size", &dm::model::ServiceDef::shm_size);
}

int dm_service_set_mem_limit(dm_service* service, const char* size) {
  return set_text(service, size, "size", &dm::model::ServiceDef::mem_limit);
}

int dm_service_set_cpus(dm_service* service, double cpus) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.cpus = cpus;
    return DM_OK;
  });
}

int dm_service_set_ulimit(dm_service* service, const char* name, long long soft, long long hard) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(name, "name");
    auto& ulimits = service->def.ulimits;
    auto same = std::find_if(ulimits.begin(), ulimits.end(),
                             [&](const dm::model::Ulimit& u) { return u.name == name; });
    dm::model::Ulimit ulimit{name, soft, hard};
    if (same != ulimits.end())
      *same = ulimit;
    else
      ulimits.push_back(ulimit);
    return DM_OK;
  });
}

int dm_service_add_extra_host(dm_service* service, const char* host, const char* address) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(host, "host");
    DM_REQUIRE(address, "address");
    service->def.extra_hosts.emplace_back(host, address);
    return DM_OK;
  });
}

int dm_service_set_stop_grace_period(dm_service* service, double seconds) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.stop_grace_period = seconds;
    return DM_OK;
  });
}

int dm_service_set_hostname(dm_service* service, const char* hostname) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(hostname, "hostname");
    service->def.hostname = hostname;
    return DM_OK;
  });
}

int dm_service_set_working_dir(dm_service* service, const char* path) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(path, "path");
    service->def.working_dir = path;
    return DM_OK;
  });
}

int dm_service_add_alias(dm_service* service, const char* alias) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(alias, "alias");
    service->def.aliases.emplace_back(alias);
    return DM_OK;
  });
}

int dm_service_set_label(dm_service* service, const char* name, const char* value) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(name, "name");
    DM_REQUIRE(value, "value");
    set_pair(service->def.labels, name, value);
    return DM_OK;
  });
}

int dm_service_set_build_arg(dm_service* service, const char* name, const char* value) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(name, "name");
    DM_REQUIRE(value, "value");
    set_pair(service->def.build_args, name, value);
    return DM_OK;
  });
}

int dm_service_set_build_target(dm_service* service, const char* target) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(target, "target");
    service->def.build_target = target;
    return DM_OK;
  });
}

int dm_service_add_env_file(dm_service* service, const char* path) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(path, "path");
    service->def.env_files.emplace_back(path);
    return DM_OK;
  });
}

int dm_service_add_secret(dm_service* service, const char* name, const char* path) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(name, "name");
    DM_REQUIRE(path, "path");
    service->def.secrets.emplace_back(name, path);
    return DM_OK;
  });
}

int dm_service_add_port_spec(dm_service* service, const char* spec) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(spec, "spec");
    service->def.ports.push_back(dm::model::PortSpec::compose(spec));
    return DM_OK;
  });
}

int dm_service_set_create_options(dm_service* service, const char* json) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(json, "json");
    service->def.create_options = json;
    return DM_OK;
  });
}

int dm_service_set_replicas(dm_service* service, int replicas) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    service->def.replicas = replicas;
    return DM_OK;
  });
}

}  // extern "C"
