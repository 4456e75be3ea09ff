// The field table. Each field's check, its place in the create request and
// its 0.1 digest sit together under its name; the table at the end lists
// them in order. The checks' messages are part of the interface: tests spell
// them out.
#include "model/fields.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>
#include <unordered_set>

#include "common/text.h"
#include "model/ports.h"
#include "model/signals.h"
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
  if (request.use == Use::Service) endpoint.set("Aliases", Strings{service.name});
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
      // How drillmaster runs the service, not what the container is: not written, not hashed.
      {"always_start_new", nullptr, nullptr, nullptr, sample_always_start_new},
      {"build_from", check_build, nullptr, nullptr, sample_build},
      {"timeout", check_timeout, nullptr, nullptr, sample_timeout},
  };
  return table;
}

}  // namespace dm::model
