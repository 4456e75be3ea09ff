#include "orchestrator/local_target.h"

#include <cctype>

#include "common/error.h"
#include "common/excerpt.h"
#include "common/text.h"
#include "engine/deadline.h"
#include "orchestrator/exec.h"
#include "orchestrator/identity.h"
#include "orchestrator/inventory.h"
#include "orchestrator/runs.h"

namespace dm::orchestrator {
namespace {

Error name_taken(const std::string& name) {
  return Error(Error::Code::Conflict,
               "container name '" + name +
                   "' is taken by a container drillmaster did not make for this "
                   "group; remove it (docker rm -f " +
                   name + ") or choose another group name");
}

std::string label(const engine::Labels& labels, const char* key) {
  auto it = labels.find(key);
  return it == labels.end() ? "" : it->second;
}

Instance instance_of(const engine::ContainerSummary& c, const std::string& final_name) {
  Instance out;
  out.id = c.id;
  out.name = c.names.empty() ? c.id : c.names.front();
  out.service = label(c.labels, kServiceLabel);
  out.state = c.state;
  out.health = health_of(c);
  out.set_up = !final_name.empty() && set_up(c, final_name);
  out.definition_hash = label(c.labels, kConfigHashLabel);
  out.image_id = c.image_id;
  out.exit_code = exit_code_of(c);
  return out;
}

}  // namespace

void require_local_fields(const model::GroupDef& group) {
  std::vector<std::string> problems;
  for (const model::ServiceDef& service : group.services)
    if (service.replicas > 1)
      problems.push_back("service " + quoted(service.name) + ": replicas " +
                         std::to_string(service.replicas) +
                         ": replicas > 1 runs on a swarm target only (--target swarm); the "
                         "local target runs one container per service; set replicas to 1 to "
                         "run it here");
  if (!problems.empty()) throw Error(Error::Code::Invalid, join(problems, "\n"));
}

LocalTarget::LocalTarget(engine::Client& engine, const model::GroupDef& group, Events& events,
                         std::set<std::string> rebuild, const CancelToken* cancel)
    : engine_(engine), group_(group), events_(events),
      images_(engine, events, group, std::move(rebuild), cancel) {}

Instances LocalTarget::inventory() {
  Inventory found = take_inventory(engine_, group_);
  Instances out;
  for (const auto& service : group_.services) {
    std::string final_name = container_name(group_, service);
    for (const auto& c : found.of(service.name))
      out.by_service[service.name].push_back(instance_of(c, final_name));
  }
  for (const auto& c : found.orphans) out.orphans.push_back(instance_of(c, ""));
  return out;
}

void LocalTarget::ensure_network() { orchestrator::ensure_network(engine_, group_); }

// The group's network under its name, and any other network labelled for
// the group (one an earlier start made under another name, say): each
// removed when drillmaster made it for this group and nothing uses it.
void LocalTarget::remove_network() {
  std::set<std::string> seen;  // ids
  try {
    engine::NetworkSummary named = engine_.network_inspect(group_.network);
    seen.insert(named.id);
    remove_unused_network(named);
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;
  }
  for (const engine::NetworkSummary& listed : engine_.network_list(group_filter(group_))) {
    if (!seen.insert(listed.id).second) continue;
    try {
      // A list does not say which containers use a network; an inspect does.
      remove_unused_network(engine_.network_inspect(listed.id));
    } catch (const Error& e) {
      if (e.code() != Error::Code::NotFound) throw;  // gone meanwhile
    }
  }
}

void LocalTarget::remove_unused_network(const engine::NetworkSummary& network) {
  if (label(network.labels, kGroupLabel) != group_.name) {
    events_.emit(
        "", Phase::Detail,
        "network '" + network.name + "' was not made by drillmaster for this group; left in place");
    return;
  }
  if (!network.container_ids.empty()) {
    events_.emit("", Phase::Detail,
                 "network '" + network.name + "' is still used by " +
                     std::to_string(network.container_ids.size()) + " container(s); left in place");
    return;
  }
  try {
    engine_.network_remove(network.id);
    events_.emit("", Phase::Removed, "network " + network.name);
  } catch (const Error& e) {
    // Something attached meanwhile (409) or it went away (404): not our failure.
    if (e.code() != Error::Code::Conflict && e.code() != Error::Code::NotFound) throw;
  }
}

std::string LocalTarget::ensure_image(const model::ServiceDef& service) {
  return images_.ensure(service);
}

void LocalTarget::remove_replaced_images() { images_.remove_replaced(); }

// A container of this service may hold the name although the inventory did
// not list it: a killed start's create request that the engine finished
// after the kill. It is a leftover like any other and gives way; a container
// that is not the service's keeps the name and the service fails, saying so.
std::string LocalTarget::create(const model::ServiceDef& service, bool with_setup) {
  engine::ContainerSpec spec = container_spec(group_, service);
  if (with_setup) spec.name = setup_name(spec.name);
  try {
    return engine_.container_create(spec);
  } catch (const Error& e) {
    if (e.code() != Error::Code::Conflict) throw;
  }
  free_name(spec.name, service);
  try {
    return engine_.container_create(spec);
  } catch (const Error& e) {
    if (e.code() == Error::Code::Conflict) throw name_taken(spec.name);
    throw;
  }
}

std::string LocalTarget::instance_name(const model::ServiceDef& service) const {
  return container_name(group_, service);
}

void LocalTarget::start(const model::ServiceDef& service, const std::string& id) {
  if (service.ports.empty()) {
    engine_.container_start(id);
    return;
  }
  std::lock_guard<std::mutex> lock(port_start_mutex_);
  engine_.container_start(id);
}

Target::Status LocalTarget::inspect(const std::string& id) {
  engine::ContainerInfo info = engine_.container_inspect(id);
  Status status{info.running, info.exit_code, info.health, "", info.started_at};
  if (info.last_health_check) {
    const engine::HealthCheckRun& run = *info.last_health_check;
    std::string output = run.output;
    while (!output.empty() && std::isspace(static_cast<unsigned char>(output.back())))
      output.pop_back();
    output = excerpt(output);
    status.last_check = "exit code " + std::to_string(run.exit_code) +
                        (output.empty() ? ", no output" : ": " + output);
  }
  return status;
}

void LocalTarget::follow_health(const std::string& id, const std::string& since,
                                const std::function<bool(const std::string& health)>& fn,
                                const CancelToken& stop) {
  engine_.container_health(id, since, fn, &stop);
}

std::optional<int64_t> LocalTarget::wait_exit(const std::string& id, const CancelToken& stop) {
  return engine_.container_wait(id, &stop);
}

// The container gets its final name. An outdated container of the service
// still holding that name (made meanwhile by a drillmaster that did not take
// the lock) gives way; one that is not the service's is left alone and the
// service fails, saying so.
void LocalTarget::mark_set_up(const std::string& id, const model::ServiceDef& service) {
  std::string final_name = container_name(group_, service);
  try {
    engine_.container_rename(id, final_name);
    return;
  } catch (const Error& e) {
    if (e.code() != Error::Code::Conflict) throw;
  }
  free_name(final_name, service);
  engine_.container_rename(id, final_name);
}

// Removes the container holding `name` if it is this service's; throws the
// name_taken error if it is anyone else's.
void LocalTarget::free_name(const std::string& name, const model::ServiceDef& service) {
  try {
    engine::ContainerInfo holder = engine_.container_inspect(name);
    bool ours = label(holder.labels, kGroupLabel) == group_.name &&
                label(holder.labels, kServiceLabel) == service.name;
    if (!ours) throw name_taken(name);
    engine_.container_remove(holder.id, /*force=*/true, /*volumes=*/false);
    events_.emit(service.name, Phase::Removed, "leftover container " + holder.id.substr(0, 12));
  } catch (const Error& e) {
    if (e.code() != Error::Code::NotFound) throw;  // gone meanwhile: the name is free
  }
}

void LocalTarget::stop(const std::string& id, int grace_seconds) {
  engine_.container_stop(id, grace_seconds);
}

void LocalTarget::remove(const std::string& id) {
  engine_.container_remove(id, /*force=*/true, /*volumes=*/false);
}

std::string LocalTarget::logs_tail(const std::string& id, int lines) {
  return engine_.logs_tail(id, lines);
}

model::ExecResult LocalTarget::exec(const std::string& service, const std::string& id,
                                    const model::ExecRequest& request,
                                    const std::vector<const CancelToken*>& cancel) {
  return exec_in(engine_, service, id, request, cancel);
}

}  // namespace dm::orchestrator
