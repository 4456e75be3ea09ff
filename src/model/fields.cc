// The field table. Each field's check, its place in the create request and
// its 0.1 digest sit together under its name; the table at the end lists
// them in order. The checks' messages are part of the interface: tests spell
// them out.
#include "model/fields.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_set>

#include "common/text.h"
#include "model/ports.h"
#include "model/signals.h"
#include "model/sizes.h"
#include "model/volumes.h"

namespace dm::model {

namespace {

using Strings = std::vector<std::string>;

// ---- image ----

// Docker references are [domain/]path[:tag][@digest]; the path must be lower
// case, the domain and the tag need not be.
bool has_upper_case_path(const std::string& image) {
  std::string name = image.substr(0, image.find('@'));
  size_t last_slash = name.rfind('/');
  size_t colon = name.find(':', last_slash == std::string::npos ? 0 : last_slash);
  name = name.substr(0, colon);
  size_t first_slash = name.find('/');
  if (first_slash != std::string::npos) {
    std::string domain = name.substr(0, first_slash);
    if (domain.find_first_of(".:") != std::string::npos || domain == "localhost") {
      name = name.substr(first_slash + 1);
    }
  }
  return std::any_of(name.begin(), name.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

void check_image(FieldCheck& f) {
  const std::string& image = f.service.image;
  if (image.empty()) {
    f.problems.push_back(f.who + ": image is empty");
  } else if (std::any_of(image.begin(), image.end(),
                         [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    f.problems.push_back(f.who + ": image " + quoted(image) + " contains white space");
  } else if (has_upper_case_path(image)) {
    f.problems.push_back(f.who + ": image " + quoted(image) +
                         " must be lower-case (Docker image names are)");
  }
}

void write_image(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  r.config.set("Image", s.image);
}

void digest_image(const GroupDef&, const ServiceDef& s, Digest& d) { d.add(s.image); }

void sample_image(GroupDef&, ServiceDef& s) { s.image = "redis:7"; }

// ---- dependencies ----

void check_dependencies(FieldCheck& f) {
  const ServiceDef& service = f.service;
  std::unordered_set<std::string> seen;
  for (const auto& dependency : service.dependencies) {
    if (!seen.insert(dependency).second) continue;
    if (!service.name.empty() && dependency == service.name) {
      f.problems.push_back(f.who + " depends on itself");
    } else if (dependency.empty() || !f.defined.has(dependency)) {
      bool none = f.defined.sorted().empty() || f.defined.only(service.name);
      f.problems.push_back(f.who + " depends on " + quoted(dependency) +
                           ", which is not defined; " +
                           (none ? std::string("no other service is defined")
                                 : "defined: " + f.defined.listed(service.name)) +
                           f.defined.did_you_mean(dependency, service.name));
    }
  }
}

// Another service to depend on.
void sample_dependencies(GroupDef& g, ServiceDef& s) {
  g.services.push_back(s);
  g.services.back().name = "other";
  s.dependencies = {"other"};
}

// ---- env ----

void check_env(FieldCheck& f) {
  std::map<std::string, int> count;
  for (const auto& entry : f.service.env) ++count[entry.first];
  std::set<std::string> reported;
  for (const auto& [name, value] : f.service.env) {
    if (name.empty()) {
      if (reported.insert(name).second) f.problems.push_back(f.who + ": env name '' is empty");
    } else if (name.find('=') != std::string::npos) {
      if (reported.insert(name).second) {
        f.problems.push_back(f.who + ": env name " + quoted(name) + " contains '='");
      }
    } else if (count[name] > 1 && reported.insert(name).second) {
      f.problems.push_back(f.who + ": env name " + quoted(name) + " is set " +
                           std::to_string(count[name]) + " times");
    }
  }
}

// "NAME=value", in the order given.
Strings env_entries(const ServiceDef& service) {
  Strings entries;
  for (const auto& [name, value] : service.env) entries.push_back(name + "=" + value);
  return entries;
}

void write_env(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.env.empty()) r.config.set("Env", env_entries(s));
}

void digest_env(const GroupDef&, const ServiceDef& s, Digest& d) { d.add_list(env_entries(s)); }

void sample_env(GroupDef&, ServiceDef& s) { s.env = {{"A", "1"}}; }

// ---- ports ----

void check_ports(FieldCheck& f) {
  const ServiceDef& service = f.service;
  for (const auto& port : service.ports) {
    auto parsed = parse_container_port(port.container_port);
    if (!parsed) {
      f.problems.push_back(f.who + ": port " + quoted(port.container_port) +
                           " must be a number 1-65535 optionally followed by /tcp or /udp");
      continue;
    }
    const std::string canonical = canonical_port(port.container_port);
    if (!is_host_port(port.host_port)) {
      f.problems.push_back(f.who + ": host port " + std::to_string(port.host_port) + " for " +
                           quoted(canonical) + " is out of range (1-65535)");
      continue;
    }
    if (port.host_port == 0) continue;  // the engine picks a free one
    const std::string host = std::to_string(port.host_port) + "/" + parsed->protocol;
    auto [it, inserted] = f.published.emplace(host, service.name);
    if (inserted) continue;
    if (it->second == service.name) {
      f.problems.push_back("host port " + host + " is published twice by " + quoted(service.name));
    } else {
      f.problems.push_back("host port " + host + " is published by both " + quoted(it->second) +
                           " and " + quoted(service.name));
    }
  }
}

// Each container port exposed, and bound to its host port on every address
// ("" lets the engine pick a free port).
void write_ports(const GroupDef&, const ServiceDef& service, CreateRequest& request) {
  if (service.ports.empty()) return;
  Json exposed = Json::object();
  std::map<std::string, Json> bindings;  // one list per container port
  for (const PortSpec& port : service.ports) {
    std::string key = canonical_port(port.container_port);
    exposed.set(key.c_str(), Json::object());
    Json binding = Json::object();
    binding.set("HostIp", "");
    binding.set("HostPort", port.host_port > 0 ? std::to_string(port.host_port) : "");
    auto it = bindings.find(key);
    if (it == bindings.end()) it = bindings.emplace(key, Json::array()).first;
    it->second.push(std::move(binding));
  }
  request.config.set("ExposedPorts", std::move(exposed));
  Json port_bindings = Json::object();
  for (auto& [key, list] : bindings) port_bindings.set(key.c_str(), std::move(list));
  request.host.set("PortBindings", std::move(port_bindings));
}

void digest_ports(const GroupDef&, const ServiceDef& service, Digest& d) {
  d.add(std::to_string(service.ports.size()));
  for (const auto& port : service.ports) {
    d.add(canonical_port(port.container_port));
    d.add("");  // the host address, always every one
    d.add(std::to_string(port.host_port));
  }
}

void sample_ports(GroupDef&, ServiceDef& s) { s.ports = {{"80", 8080}}; }

// ---- volumes ----

void check_volumes(FieldCheck& f) {
  std::map<std::string, std::string> targets;  // container path -> volume text
  for (const auto& volume : f.service.volumes) {
    std::string problem = volume_problem(volume);
    if (!problem.empty()) {
      f.problems.push_back(f.who + ": " + problem);
      continue;
    }
    VolumeSpec parts;
    split_volume(volume, &parts);
    const std::string target = resolve_path(parts.container, "/");
    auto [it, inserted] = targets.emplace(target, volume_text(volume));
    if (!inserted) {
      f.problems.push_back(f.who + ": volumes " + quoted(it->second) + " and " +
                           quoted(volume_text(volume)) + " both mount on " + quoted(target));
    }
  }
}

// Binds take both host paths and volume names: "source:target[:ro]".
void write_volumes(const GroupDef& group, const ServiceDef& service, CreateRequest& request) {
  Strings binds;
  for (const Volume& v : resolve_volumes(service, group.directory))
    binds.push_back(v.source + ":" + v.target + (v.read_only ? ":ro" : ""));
  if (!binds.empty()) request.host.set("Binds", binds);
}

void digest_volumes(const GroupDef& group, const ServiceDef& service, Digest& d) {
  std::vector<Volume> volumes = resolve_volumes(service, group.directory);
  d.add(std::to_string(volumes.size()));
  for (const Volume& v : volumes) {
    d.add(v.source);
    d.add(v.target);
    d.add(v.read_only ? "ro" : "rw");
  }
}

void sample_volumes(GroupDef&, ServiceDef& s) { s.volumes = {{"./data:/data", "", "", ""}}; }

// ---- entrypoint, cmd: unset keeps the image's; set to nothing clears it ----

void digest_argv(const char* name, const std::optional<Strings>& argv, Digest& d) {
  d.add(argv ? name : "-");
  if (argv) d.add_list(*argv);
}

void write_entrypoint(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.entrypoint) r.config.set("Entrypoint", *s.entrypoint);
}

void digest_entrypoint(const GroupDef&, const ServiceDef& s, Digest& d) {
  digest_argv("entrypoint", s.entrypoint, d);
}

void sample_entrypoint(GroupDef&, ServiceDef& s) { s.entrypoint = Strings{"/bin/sh", "-c"}; }

void write_cmd(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.cmd) r.config.set("Cmd", *s.cmd);
}

void digest_cmd(const GroupDef&, const ServiceDef& s, Digest& d) { digest_argv("cmd", s.cmd, d); }

void sample_cmd(GroupDef&, ServiceDef& s) { s.cmd = Strings{"sleep", "1000"}; }

// ---- user ----

void write_user(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.user.empty()) r.config.set("User", s.user);
}

void digest_user(const GroupDef&, const ServiceDef& s, Digest& d) { d.add(s.user); }

void sample_user(GroupDef&, ServiceDef& s) { s.user = "1000:1000"; }

// ---- stop_signal ----

void check_stop_signal(FieldCheck& f) {
  if (!canonical_signal(f.service.stop_signal).empty()) return;
  f.problems.push_back(f.who + ": stop_signal " + quoted(f.service.stop_signal) +
                       " is not supported; use one of " + join(supported_signals(), ", "));
}

// Always written, SIGTERM by default, as 0.1 did.
void write_stop_signal(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  r.config.set("StopSignal", canonical_signal(s.stop_signal));
}

void digest_stop_signal(const GroupDef&, const ServiceDef& s, Digest& d) {
  d.add(canonical_signal(s.stop_signal));
}

void sample_stop_signal(GroupDef&, ServiceDef& s) { s.stop_signal = "SIGKILL"; }

// ---- network: the group's network, the service's name as its alias there ----

void write_network(const GroupDef& group, const ServiceDef& service, CreateRequest& request) {
  if (group.network.empty()) return;
  // Only this network: not also the default bridge.
  request.host.set("NetworkMode", group.network);
  Json endpoint = Json::object();
  endpoint.set("Aliases", Strings{service.name});
  Json endpoints = Json::object();
  endpoints.set(group.network.c_str(), std::move(endpoint));
  request.networking.set("EndpointsConfig", std::move(endpoints));
}

void digest_network(const GroupDef& g, const ServiceDef& s, Digest& d) {
  d.add(g.network);
  d.add_list({s.name});
}

void sample_network(GroupDef& g, ServiceDef&) { g.network = "another-network"; }

// ---- tty: newer than 0.1; no setter yet ----

// A container with a terminal: its logs are raw, not framed.
void write_tty(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.tty) r.config.set("Tty", true);
}

void sample_tty(GroupDef&, ServiceDef& s) { s.tty = true; }

// ---- healthcheck: newer than 0.1 ----

// The test as messages show it: ["CMD", "pg_isready"].
std::string test_text(const Strings& test) {
  Strings items;
  for (const auto& item : test) items.push_back("\"" + item + "\"");
  return "[" + join(items, ", ") + "]";
}

// What is wrong with the form of a test; "" when nothing is. An empty test
// keeps the image's.
std::string test_problem(const Strings& test) {
  if (test.empty()) return "";
  const std::string& kind = test.front();
  if (kind == "NONE") {
    if (test.size() == 1) return "";
    return "turns the check off with \"NONE\", which takes nothing after it; write [\"NONE\"] "
           "alone";
  }
  if (kind == "CMD") {
    if (test.size() > 1 && !test[1].empty()) return "";
    return "names no program after \"CMD\"; write [\"CMD\", \"program\", \"argument\", ...]";
  }
  if (kind == "CMD-SHELL") {
    if (test.size() == 2 && !test[1].empty()) return "";
    return "must be \"CMD-SHELL\" and one shell command; write [\"CMD-SHELL\", \"command && "
           "other\"] (or the command as a plain string)";
  }
  return "must start with \"CMD\" (a program and its arguments), \"CMD-SHELL\" (a shell "
         "command) or \"NONE\" (no check); write [\"CMD\", " +
         (kind.empty() ? std::string("\"program\"") : "\"" + kind + "\"") +
         ", ...] to run it as a program";
}

// Zero leaves the duration to the image or the engine; the engine takes
// nothing below a millisecond.
constexpr double kShortestHealthSeconds = 0.001;
constexpr double kLongestHealthSeconds = 1e9;  // nanoseconds in an int64, with room

void check_health_seconds(FieldCheck& f, const char* name, double seconds) {
  if (seconds == 0 || (seconds >= kShortestHealthSeconds && seconds <= kLongestHealthSeconds))
    return;
  f.problems.push_back(f.who + ": healthcheck " + name + " " + seconds_text(seconds) +
                       " s is not a duration the engine takes; use a number of seconds from " +
                       seconds_text(kShortestHealthSeconds) + " to " +
                       seconds_text(kLongestHealthSeconds) +
                       " (or leave it unset for the image's or the engine's default)");
}

bool has_settings(const Healthcheck& h) {
  return h.interval != 0 || h.timeout != 0 || h.retries != 0 || h.start_period != 0;
}

void check_healthcheck(FieldCheck& f) {
  if (!f.service.healthcheck) return;
  const Healthcheck& h = *f.service.healthcheck;
  std::string problem = test_problem(h.test);
  if (!problem.empty())
    f.problems.push_back(f.who + ": healthcheck test " + test_text(h.test) + " " + problem);
  else if (h.test.size() == 1 && h.test.front() == "NONE" && has_settings(h))
    f.problems.push_back(f.who +
                         ": healthcheck test [\"NONE\"] turns the health check off, so its "
                         "interval, timeout, retries and start_period have nothing to time; drop "
                         "them, or give a test");
  check_health_seconds(f, "interval", h.interval);
  check_health_seconds(f, "timeout", h.timeout);
  check_health_seconds(f, "start_period", h.start_period);
  if (h.retries < 0)
    f.problems.push_back(f.who + ": healthcheck retries " + std::to_string(h.retries) +
                         " must be at least 1 (or leave it unset for the image's or the "
                         "engine's default, 3)");
}

int64_t nanoseconds(double seconds) { return std::llround(seconds * 1e9); }

// Config.Healthcheck with only what was set: the engine takes the rest from
// the image, then from its defaults.
void write_healthcheck(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.healthcheck) return;
  const Healthcheck& h = *s.healthcheck;
  Json check = Json::object();
  if (!h.test.empty()) check.set("Test", h.test);
  if (h.interval > 0) check.set("Interval", nanoseconds(h.interval));
  if (h.timeout > 0) check.set("Timeout", nanoseconds(h.timeout));
  if (h.retries > 0) check.set("Retries", h.retries);
  if (h.start_period > 0) check.set("StartPeriod", nanoseconds(h.start_period));
  if (!h.test.empty() || has_settings(h)) r.config.set("Healthcheck", std::move(check));
}

void sample_healthcheck(GroupDef&, ServiceDef& s) {
  s.healthcheck = Healthcheck{{"CMD-SHELL", "test -f /ready"}, 0.5, 2, 3, 1};
}

// ---- restart ----

// The engine's RestartPolicy: its name and the most restarts (0: no limit);
// nullopt for what is not a policy. "" and "no" are Name "no".
std::optional<std::pair<std::string, int64_t>> restart_policy(const std::string& restart) {
  if (restart.empty() || restart == "no" || restart == "always" || restart == "unless-stopped" ||
      restart == "on-failure")
    return std::make_pair(restart.empty() ? std::string("no") : restart, int64_t{0});
  const std::string prefix = "on-failure:";
  if (restart.compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  std::string count = restart.substr(prefix.size());
  if (count.empty() || count.size() > 9 ||
      !std::all_of(count.begin(), count.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::make_pair(std::string("on-failure"), static_cast<int64_t>(std::stol(count)));
}

void check_restart(FieldCheck& f) {
  if (restart_policy(f.service.restart)) return;
  f.problems.push_back(f.who + ": restart " + quoted(f.service.restart) +
                       " is not a restart policy; use one of 'no', 'always', 'unless-stopped', "
                       "'on-failure' or 'on-failure:N' (at most N restarts)");
}

// Nothing for "no": the engine's default.
void write_restart(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  auto policy = restart_policy(s.restart);
  if (!policy || policy->first == "no") return;
  Json restart = Json::object();
  restart.set("Name", policy->first);
  restart.set("MaximumRetryCount", policy->second);
  r.host.set("RestartPolicy", std::move(restart));
}

void sample_restart(GroupDef&, ServiceDef& s) { s.restart = "on-failure:3"; }

// ---- tmpfs: "/path" or "/path:options" ----

void check_tmpfs(FieldCheck& f) {
  std::set<std::string> paths;
  for (const auto& mount : f.service.tmpfs) {
    std::string path = mount.substr(0, mount.find(':'));
    if (path.empty() || path[0] != '/') {
      f.problems.push_back(f.who + ": tmpfs " + quoted(mount) +
                           " must start with an absolute path in the container, such as '/tmp' "
                           "(optionally followed by ':' and mount options: '/tmp:size=64m')");
    } else if (!paths.insert(path).second) {
      f.problems.push_back(f.who + ": tmpfs " + quoted(path) + " is mounted twice");
    }
  }
}

void write_tmpfs(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.tmpfs.empty()) return;
  Json tmpfs = Json::object();
  for (const auto& mount : s.tmpfs) {
    size_t colon = mount.find(':');
    tmpfs.set(mount.substr(0, colon).c_str(),
              colon == std::string::npos ? std::string() : mount.substr(colon + 1));
  }
  r.host.set("Tmpfs", std::move(tmpfs));
}

void sample_tmpfs(GroupDef&, ServiceDef& s) { s.tmpfs = {"/run", "/tmp:size=64m"}; }

// ---- read_only, init, privileged: off unless set ----

void write_read_only(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.read_only) r.host.set("ReadonlyRootfs", true);
}

void sample_read_only(GroupDef&, ServiceDef& s) { s.read_only = true; }

void write_init(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.init) r.host.set("Init", true);
}

void sample_init(GroupDef&, ServiceDef& s) { s.init = true; }

void write_privileged(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.privileged) r.host.set("Privileged", true);
}

void sample_privileged(GroupDef&, ServiceDef& s) { s.privileged = true; }

// ---- cap_add, cap_drop ----

// "NET_ADMIN", "CAP_NET_ADMIN" or "ALL", as the engine takes them.
bool is_capability(const std::string& name) {
  std::string bare = name.compare(0, 4, "CAP_") == 0 ? name.substr(4) : name;
  return !bare.empty() && bare.front() != '_' && std::all_of(bare.begin(), bare.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || c == '_';
  });
}

void check_capabilities(FieldCheck& f, const char* field, const Strings& names) {
  for (const auto& name : names) {
    if (is_capability(name)) continue;
    f.problems.push_back(f.who + ": " + field + " " + quoted(name) +
                         " is not a capability name; write it in upper case, such as "
                         "'NET_ADMIN' or 'CAP_NET_ADMIN' (or 'ALL' for every one)");
  }
}

void check_cap_add(FieldCheck& f) { check_capabilities(f, "cap_add", f.service.cap_add); }

void write_cap_add(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.cap_add.empty()) r.host.set("CapAdd", s.cap_add);
}

void sample_cap_add(GroupDef&, ServiceDef& s) { s.cap_add = {"NET_ADMIN"}; }

void check_cap_drop(FieldCheck& f) { check_capabilities(f, "cap_drop", f.service.cap_drop); }

void write_cap_drop(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (!s.cap_drop.empty()) r.host.set("CapDrop", s.cap_drop);
}

void sample_cap_drop(GroupDef&, ServiceDef& s) { s.cap_drop = {"CAP_CHOWN"}; }

// ---- shm_size, mem_limit: Compose's byte values ----

void check_bytes(FieldCheck& f, const char* field, const std::string& value) {
  if (value.empty() || parse_bytes(value)) return;
  f.problems.push_back(f.who + ": " + field + " " + quoted(value) + " is not a size; use " +
                       kBytesForm);
}

void write_bytes(const char* member, const std::string& value, Json& host) {
  if (auto bytes = value.empty() ? std::nullopt : parse_bytes(value)) host.set(member, *bytes);
}

void check_shm_size(FieldCheck& f) { check_bytes(f, "shm_size", f.service.shm_size); }

void write_shm_size(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  write_bytes("ShmSize", s.shm_size, r.host);
}

void sample_shm_size(GroupDef&, ServiceDef& s) { s.shm_size = "128m"; }

void check_mem_limit(FieldCheck& f) { check_bytes(f, "mem_limit", f.service.mem_limit); }

void write_mem_limit(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  write_bytes("Memory", s.mem_limit, r.host);
}

void sample_mem_limit(GroupDef&, ServiceDef& s) { s.mem_limit = "1.5g"; }

// ---- cpus ----

constexpr double kMostCpus = 1e6;  // NanoCpus in an int64, with room

void check_cpus(FieldCheck& f) {
  if (!f.service.cpus) return;
  double cpus = *f.service.cpus;
  if (cpus > 0 && cpus <= kMostCpus) return;
  f.problems.push_back(f.who + ": cpus " + seconds_text(cpus) +
                       " is not a number of CPUs; use a number above 0, such as 0.5 or 2 (or "
                       "leave it unset for no limit)");
}

void write_cpus(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.cpus) r.host.set("NanoCpus", static_cast<int64_t>(std::llround(*s.cpus * 1e9)));
}

void sample_cpus(GroupDef&, ServiceDef& s) { s.cpus = 0.5; }

// ---- ulimits ----

const Strings& ulimit_names() {
  static const Strings names = {"core",    "cpu",      "data",   "fsize",      "locks",
                                "memlock", "msgqueue", "nice",   "nofile",     "nproc",
                                "rss",     "rtprio",   "rttime", "sigpending", "stack"};
  return names;
}

void check_ulimits(FieldCheck& f) {
  for (const Ulimit& u : f.service.ulimits) {
    const Strings& names = ulimit_names();
    std::string what = f.who + ": ulimit " + quoted(u.name);
    if (std::find(names.begin(), names.end(), u.name) == names.end()) {
      f.problems.push_back(what + " is not a ulimit; use one of " + join(names, ", "));
    } else if (u.soft < -1 || u.hard < -1) {
      f.problems.push_back(what + " must be 0 or more (or -1 for unlimited), not soft " +
                           std::to_string(u.soft) + ", hard " + std::to_string(u.hard));
    } else if (u.hard != -1 && (u.soft == -1 || u.soft > u.hard)) {
      f.problems.push_back(what + " has a soft limit " + std::to_string(u.soft) +
                           " above its hard limit " + std::to_string(u.hard) +
                           "; the soft limit must be at most the hard one");
    }
  }
}

void write_ulimits(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.ulimits.empty()) return;
  Json ulimits = Json::array();
  for (const Ulimit& u : s.ulimits) {
    Json ulimit = Json::object();
    ulimit.set("Name", u.name);
    ulimit.set("Soft", u.soft);
    ulimit.set("Hard", u.hard);
    ulimits.push(std::move(ulimit));
  }
  r.host.set("Ulimits", std::move(ulimits));
}

void sample_ulimits(GroupDef&, ServiceDef& s) { s.ulimits = {{"nofile", 1024, 2048}}; }

// ---- extra_hosts: host -> IP address or "host-gateway" ----

bool is_ip_address(const std::string& text) {
  unsigned char address[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, text.c_str(), address) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address) == 1;
}

void check_extra_hosts(FieldCheck& f) {
  for (const auto& [host, ip] : f.service.extra_hosts) {
    if (host.empty() || host.find_first_of(": \t\n") != std::string::npos) {
      f.problems.push_back(f.who + ": extra_hosts name " + quoted(host) +
                           " is not a host name; use one such as 'db.local'");
    } else if (ip != "host-gateway" && !is_ip_address(ip)) {
      f.problems.push_back(f.who + ": extra_hosts address " + quoted(ip) + " for " + quoted(host) +
                           " is not an IP address; use one such as '10.0.0.5' or '::1', or "
                           "'host-gateway' for the host");
    }
  }
}

void write_extra_hosts(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  Strings hosts;
  for (const auto& [host, ip] : s.extra_hosts) hosts.push_back(host + ":" + ip);
  if (!hosts.empty()) r.host.set("ExtraHosts", hosts);
}

void sample_extra_hosts(GroupDef&, ServiceDef& s) { s.extra_hosts = {{"db.local", "10.0.0.5"}}; }

// ---- stop_grace_period ----

constexpr double kLongestGraceSeconds = 86400;  // a day

void check_stop_grace_period(FieldCheck& f) {
  if (!f.service.stop_grace_period) return;
  double seconds = *f.service.stop_grace_period;
  if (seconds >= 0 && seconds <= kLongestGraceSeconds) return;
  f.problems.push_back(f.who + ": stop_grace_period " + seconds_text(seconds) +
                       " s is not a grace period; use a number of seconds from 0 to " +
                       seconds_text(kLongestGraceSeconds) +
                       " (or leave it unset for the operation's)");
}

// The engine's own stop timeout too, so that a stop by hand gives it as long.
void write_stop_grace_period(const GroupDef&, const ServiceDef& s, CreateRequest& r) {
  if (s.stop_grace_period)
    r.config.set("StopTimeout", static_cast<int64_t>(std::ceil(*s.stop_grace_period)));
}

void sample_stop_grace_period(GroupDef&, ServiceDef& s) { s.stop_grace_period = 90; }

// ---- always_start_new ----

void sample_always_start_new(GroupDef&, ServiceDef& s) { s.always_start_new = true; }

// ---- build_from, dockerfile ----

void check_build(FieldCheck& f) {
  if (!f.service.dockerfile.empty() && f.service.build_context.empty()) {
    f.problems.push_back(f.who + ": dockerfile " + quoted(f.service.dockerfile) +
                         " is set but build_from is not");
  }
}

void sample_build(GroupDef&, ServiceDef& s) {
  s.build_context = "app";
  s.dockerfile = "Dockerfile.dev";
}

// ---- timeout ----

void check_timeout(FieldCheck& f) {
  double timeout = f.service.timeout;
  if (std::isfinite(timeout)) return;
  std::string value = std::isnan(timeout) ? "nan" : timeout > 0 ? "inf" : "-inf";
  f.problems.push_back(f.who + ": timeout must be a finite number of seconds, not " + value);
}

void sample_timeout(GroupDef&, ServiceDef& s) { s.timeout = 5; }

}  // namespace

const std::vector<Field>& fields() {
  static const std::vector<Field> table = {
      // name, check, write, digest_01, sample
      {"image", check_image, write_image, digest_image, sample_image},
      {"dependencies", check_dependencies, nullptr, nullptr, sample_dependencies},
      {"env", check_env, write_env, digest_env, sample_env},
      {"ports", check_ports, write_ports, digest_ports, sample_ports},
      {"volumes", check_volumes, write_volumes, digest_volumes, sample_volumes},
      {"entrypoint", nullptr, write_entrypoint, digest_entrypoint, sample_entrypoint},
      {"cmd", nullptr, write_cmd, digest_cmd, sample_cmd},
      {"user", nullptr, write_user, digest_user, sample_user},
      {"stop_signal", check_stop_signal, write_stop_signal, digest_stop_signal, sample_stop_signal},
      {"network", nullptr, write_network, digest_network, sample_network},
      // Newer than 0.1: no digest_01, hashed only when set.
      {"tty", nullptr, write_tty, nullptr, sample_tty},
      {"healthcheck", check_healthcheck, write_healthcheck, nullptr, sample_healthcheck},
      {"restart", check_restart, write_restart, nullptr, sample_restart},
      {"tmpfs", check_tmpfs, write_tmpfs, nullptr, sample_tmpfs},
      {"read_only", nullptr, write_read_only, nullptr, sample_read_only},
      {"init", nullptr, write_init, nullptr, sample_init},
      {"privileged", nullptr, write_privileged, nullptr, sample_privileged},
      {"cap_add", check_cap_add, write_cap_add, nullptr, sample_cap_add},
      {"cap_drop", check_cap_drop, write_cap_drop, nullptr, sample_cap_drop},
      {"shm_size", check_shm_size, write_shm_size, nullptr, sample_shm_size},
      {"mem_limit", check_mem_limit, write_mem_limit, nullptr, sample_mem_limit},
      {"cpus", check_cpus, write_cpus, nullptr, sample_cpus},
      {"ulimits", check_ulimits, write_ulimits, nullptr, sample_ulimits},
      {"extra_hosts", check_extra_hosts, write_extra_hosts, nullptr, sample_extra_hosts},
      {"stop_grace_period", check_stop_grace_period, write_stop_grace_period, nullptr,
       sample_stop_grace_period},
      // How drillmaster runs the service, not what the container is: not written, not hashed.
      {"always_start_new", nullptr, nullptr, nullptr, sample_always_start_new},
      {"build_from", check_build, nullptr, nullptr, sample_build},
      {"timeout", check_timeout, nullptr, nullptr, sample_timeout},
  };
  return table;
}

}  // namespace dm::model
