#include "orchestrator/identity.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "drillmaster/common.h"
#include "model/validate.h"

namespace dm::orchestrator {

std::string container_name(const model::GroupDef& group, const model::ServiceDef& service) {
  return group.name + "-" + service.name + "-1";
}

std::string setup_name(const std::string& final_name) { return final_name + ".setup"; }

bool set_up(const engine::ContainerSummary& c, const std::string& final_name) {
  return c.state != "created" &&
         std::find(c.names.begin(), c.names.end(), final_name) != c.names.end();
}

engine::Labels network_labels(const model::GroupDef& group) {
  return {{kGroupLabel, group.name}, {kVersionLabel, DM_VERSION_STRING}};
}

engine::Labels group_filter(const model::GroupDef& group) { return {{kGroupLabel, group.name}}; }

engine::ContainerSpec container_spec(const model::GroupDef& group, const model::ServiceDef& service) {
  engine::ContainerSpec spec;
  spec.name = container_name(group, service);
  spec.image = service.image;
  for (const auto& [name, value] : service.env) spec.env.push_back(name + "=" + value);
  for (const auto& port : service.ports)
    spec.ports.push_back({model::canonical_port(port.container_port), "", port.host_port});
  for (const auto& volume : model::resolve_volumes(service, group.directory))
    spec.mounts.push_back({volume.source, volume.target, volume.read_only});
  spec.entrypoint = service.entrypoint;
  spec.cmd = service.cmd;
  spec.user = service.user;
  spec.stop_signal = model::canonical_signal(service.stop_signal);
  spec.network = group.network;
  spec.network_aliases = {service.name};
  spec.labels = {{kGroupLabel, group.name},
                 {kServiceLabel, service.name},
                 {kVersionLabel, DM_VERSION_STRING}};
  spec.labels[kConfigHashLabel] = config_hash(spec);
  return spec;
}

namespace {

// FNV-1a, 64 bits: a change detector, not a security boundary.
class Digest {
 public:
  void add(const std::string& s) {
    for (unsigned char c : s) mix(c);
    mix(0xff);  // field separator: ("ab","c") and ("a","bc") differ
  }
  void add_list(const std::vector<std::string>& items) {
    add(std::to_string(items.size()));
    for (const auto& item : items) add(item);
  }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h_));
    return out;
  }

 private:
  void mix(unsigned char c) {
    h_ ^= c;
    h_ *= 1099511628211ull;
  }
  uint64_t h_ = 14695981039346656037ull;
};

}  // namespace

std::string config_hash(const engine::ContainerSpec& spec) {
  Digest d;
  d.add(spec.image);
  d.add_list(spec.env);
  d.add(std::to_string(spec.ports.size()));
  for (const auto& p : spec.ports) {
    d.add(p.container_port);
    d.add(p.host_ip);
    d.add(std::to_string(p.host_port));
  }
  d.add(std::to_string(spec.mounts.size()));
  for (const auto& m : spec.mounts) {
    d.add(m.source);
    d.add(m.target);
    d.add(m.read_only ? "ro" : "rw");
  }
  d.add(spec.entrypoint ? "entrypoint" : "-");
  if (spec.entrypoint) d.add_list(*spec.entrypoint);
  d.add(spec.cmd ? "cmd" : "-");
  if (spec.cmd) d.add_list(*spec.cmd);
  d.add(spec.user);
  d.add(spec.stop_signal);
  d.add(spec.network);
  d.add_list(spec.network_aliases);
  return d.hex();
}

std::string definition_hash(const model::GroupDef& group, const model::ServiceDef& service) {
  return container_spec(group, service).labels.at(kConfigHashLabel);
}

}  // namespace dm::orchestrator
