// Service: one service of a Group (a borrowed dm_service), its definition's
// setters and its hooks.

#include "core.h"

namespace dm_python {

void* Service::slot(py::object fn) {
  uintptr_t token = register_hook(std::move(fn));
  group->hook_tokens.push_back(token);
  return reinterpret_cast<void*>(token);
}

namespace {

using ServiceClass = py::class_<Service>;

// The setters of the container's definition, one per dm_service_set_*/add_*:
// what it is made of and reached by...
void bind_definition(ServiceClass& cls) {
  cls.def(
         "set_image",
         [](Service& s, const std::string& v) { check(dm_service_set_image(s.handle, v.c_str())); })
      .def("add_dependency",
           [](Service& s, const std::string& v) {
             check(dm_service_add_dependency(s.handle, v.c_str()));
           })
      .def(
          "add_port",
          [](Service& s, const std::string& container_port, int host_port) {
            check(dm_service_add_port(s.handle, container_port.c_str(), host_port));
          },
          py::arg("container_port"), py::arg("host_port"))
      .def("set_env",
           [](Service& s, const std::string& k, const std::string& v) {
             check(dm_service_set_env(s.handle, k.c_str(), v.c_str()));
           })
      .def("add_volume",
           [](Service& s, const std::string& spec) {
             check(dm_service_add_volume(s.handle, spec.c_str()));
           })
      .def(
          "add_bind",
          [](Service& s, const std::string& host, const std::string& container,
             std::optional<std::string> mode) {
            check(dm_service_add_bind(s.handle, host.c_str(), container.c_str(),
                                      mode ? mode->c_str() : nullptr));
          },
          py::arg("host_path"), py::arg("container_path"), py::arg("mode") = py::none());
}

// ...and how it is built, run and waited for.
void bind_running(ServiceClass& cls) {
  cls.def("set_always_start_new",
          [](Service& s, bool on) { check(dm_service_set_always_start_new(s.handle, on ? 1 : 0)); })
      .def("set_stop_signal",
           [](Service& s, const std::string& v) {
             check(dm_service_set_stop_signal(s.handle, v.c_str()));
           })
      .def(
          "set_build",
          [](Service& s, const std::string& context, std::optional<std::string> dockerfile) {
            check(dm_service_set_build(s.handle, context.c_str(),
                                       dockerfile ? dockerfile->c_str() : nullptr));
          },
          py::arg("context_dir"), py::arg("dockerfile") = py::none())
      .def("set_entrypoint",
           [](Service& s, const std::vector<std::string>& argv) {
             auto c = c_strings(argv);
             check(dm_service_set_entrypoint(s.handle, c.data(), c.size()));
           })
      .def("set_cmd",
           [](Service& s, const std::vector<std::string>& argv) {
             auto c = c_strings(argv);
             check(dm_service_set_cmd(s.handle, c.data(), c.size()));
           })
      .def(
          "set_user",
          [](Service& s, const std::string& v) { check(dm_service_set_user(s.handle, v.c_str())); })
      .def("set_healthcheck",
           [](Service& s, const std::vector<std::string>& test, double interval, double timeout,
              int retries, double start_period) {
             auto c = c_strings(test);
             check(dm_service_set_healthcheck(s.handle, c.data(), c.size(), interval, timeout,
                                              retries, start_period));
           })
      .def("set_timeout",
           [](Service& s, double seconds) { check(dm_service_set_timeout(s.handle, seconds)); })
      .def("set_oneshot",
           [](Service& s, bool on) { check(dm_service_set_oneshot(s.handle, on ? 1 : 0)); })
      .def("add_profile", [](Service& s, const std::string& profile) {
        check(dm_service_add_profile(s.handle, profile.c_str()));
      });
}

// ...and the fields of Compose's service that shape the container's host
// side: restart, tmpfs, limits, capabilities, /etc/hosts, the grace period.
void bind_host_fields(ServiceClass& cls) {
  cls.def("set_restart",
          [](Service& s, const std::string& v) {
            check(dm_service_set_restart(s.handle, v.c_str()));
          })
      .def("add_tmpfs",
           [](Service& s, const std::string& v) {
             check(dm_service_add_tmpfs(s.handle, v.c_str()));
           })
      .def("set_read_only",
           [](Service& s, bool on) { check(dm_service_set_read_only(s.handle, on ? 1 : 0)); })
      .def("set_init",
           [](Service& s, bool on) { check(dm_service_set_init(s.handle, on ? 1 : 0)); })
      .def("set_privileged",
           [](Service& s, bool on) { check(dm_service_set_privileged(s.handle, on ? 1 : 0)); })
      .def("add_cap_add",
           [](Service& s, const std::string& v) {
             check(dm_service_add_cap_add(s.handle, v.c_str()));
           })
      .def("add_cap_drop",
           [](Service& s, const std::string& v) {
             check(dm_service_add_cap_drop(s.handle, v.c_str()));
           })
      .def("set_shm_size",
           [](Service& s, const std::string& v) {
             check(dm_service_set_shm_size(s.handle, v.c_str()));
           })
      .def("set_mem_limit",
           [](Service& s, const std::string& v) {
             check(dm_service_set_mem_limit(s.handle, v.c_str()));
           })
      .def("set_cpus", [](Service& s, double cpus) { check(dm_service_set_cpus(s.handle, cpus)); })
      .def("set_ulimit",
           [](Service& s, const std::string& name, long long soft, long long hard) {
             check(dm_service_set_ulimit(s.handle, name.c_str(), soft, hard));
           })
      .def("add_extra_host",
           [](Service& s, const std::string& host, const std::string& address) {
             check(dm_service_add_extra_host(s.handle, host.c_str(), address.c_str()));
           })
      .def("set_stop_grace_period", [](Service& s, double seconds) {
        check(dm_service_set_stop_grace_period(s.handle, seconds));
      });
}

// The fields of 0.2, appended: one string, or a name and a value.
void bind_fields_02(ServiceClass& cls) {
  using Set = int (*)(dm_service*, const char*);
  using SetPair = int (*)(dm_service*, const char*, const char*);
  auto one = [&cls](const char* name, Set set) {
    cls.def(name, [set](Service& s, const std::string& v) { check(set(s.handle, v.c_str())); });
  };
  auto pair = [&cls](const char* name, SetPair set) {
    cls.def(name, [set](Service& s, const std::string& k, const std::string& v) {
      check(set(s.handle, k.c_str(), v.c_str()));
    });
  };
  one("set_hostname", dm_service_set_hostname);
  one("set_working_dir", dm_service_set_working_dir);
  one("add_alias", dm_service_add_alias);
  pair("set_label", dm_service_set_label);
  pair("set_build_arg", dm_service_set_build_arg);
  one("set_build_target", dm_service_set_build_target);
  one("add_env_file", dm_service_add_env_file);
  pair("add_secret", dm_service_add_secret);
  one("add_port_spec", dm_service_add_port_spec);
  one("set_create_options", dm_service_set_create_options);
  cls.def("set_replicas",
          [](Service& s, int replicas) { check(dm_service_set_replicas(s.handle, replicas)); });
  cls.def(
      "add_watch",
      [](Service& s, const std::string& path, int action, std::optional<std::string> target,
         const std::vector<std::string>& ignore) {
        std::vector<const char*> patterns = c_strings(ignore);
        check(dm_service_add_watch(s.handle, path.c_str(), action,
                                   target ? target->c_str() : nullptr, patterns.data(),
                                   patterns.size()));
      },
      py::arg("path"), py::arg("action"), py::arg("target") = py::none(),
      py::arg("ignore") = std::vector<std::string>{},
      "A watch rule (dm_service_add_watch): action WATCH_SYNC, WATCH_SYNC_RESTART or "
      "WATCH_REBUILD; target the absolute container path of a sync rule.");
}

// The hooks: each Python callable is kept in the group's hook table and
// reaches the library as a token (Service::slot).
void bind_hooks_of(ServiceClass& cls) {
  cls.def(
         "set_prepare",
         [](Service& s, py::object fn) {
           check(dm_service_set_prepare(s.handle, prepare_trampoline, s.slot(std::move(fn))));
         },
         "fn(HookInfo) -> dict | None runs once the dependencies are ready, before the "
         "container is chosen; the environment values it returns are set.")
      .def(
          "set_pre_start",
          [](Service& s, py::object fn) {
            check(dm_service_set_pre_start(s.handle, hook_trampoline, s.slot(std::move(fn))));
          },
          "fn(HookInfo) runs before a new container is created; raising fails the service.")
      .def(
          "set_ping",
          [](Service& s, py::object fn) {
            check(dm_service_set_ping(s.handle, ping_trampoline, s.slot(std::move(fn))));
          },
          "fn(HookInfo) -> bool is polled until true; raising fails the service at once.")
      .def(
          "set_post_start_init",
          [](Service& s, py::object fn) {
            check(dm_service_set_post_start_init(s.handle, hook_trampoline, s.slot(std::move(fn))));
          },
          "fn(HookInfo) runs after a new container's first successful ping.")
      .def(
          "set_pre_stop",
          [](Service& s, py::object fn) {
            check(dm_service_set_pre_stop(s.handle, hook_trampoline, s.slot(std::move(fn))));
          },
          "fn(HookInfo) runs before the running container is stopped; raising is reported and "
          "the stop goes on.");
}

}  // namespace

void bind_service(py::module_& m) {
  ServiceClass cls(m, "Service", "One service of a Group (a borrowed dm_service).");
  cls.def_property_readonly("name", &Service::name).def("__repr__", [](const Service& s) {
    return "<Service " + s.name() + ">";
  });
  cls.def(
      "validate", [](const Service& s) { check(dm_service_validate(s.handle)); },
      "Raises InvalidArgument with the problems of the service's own values "
      "(dm_service_validate).");
  bind_definition(cls);
  bind_running(cls);
  bind_host_fields(cls);
  bind_hooks_of(cls);
  bind_fields_02(cls);
}

}  // namespace dm_python
