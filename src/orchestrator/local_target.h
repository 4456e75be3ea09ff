// The Target of a local Docker engine (engine::Client): an instance is a
// container, labelled for its group and service; one with setup steps is
// created under its setup name ("<group>-<service>-1.setup", identity.h) and
// renamed to its final name once set up, so the engine itself remembers
// whether a setup finished. Starts of containers that publish ports are
// serialised: the engine can hand one host port to two parallel starts.
#ifndef DM_ORCHESTRATOR_LOCAL_TARGET_H
#define DM_ORCHESTRATOR_LOCAL_TARGET_H

#include <mutex>
#include <set>
#include <string>

#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/events.h"
#include "orchestrator/images.h"
#include "orchestrator/target.h"

namespace dm::orchestrator {

// Throws Code::Invalid, naming each service, when a service asks for what
// the local target cannot run (more than one replica: one container per
// service), before anything is made.
void require_local_fields(const model::GroupDef& group);

class LocalTarget final : public Target {
 public:
  // `rebuild`: services whose images are built again even when present.
  // `cancel`: the operation's token, which also ends a build under way.
  LocalTarget(engine::Client& engine, const model::GroupDef& group, Events& events,
              std::set<std::string> rebuild = {}, const CancelToken* cancel = nullptr);

  Instances inventory() override;
  void ensure_network() override;
  void remove_network() override;
  std::string ensure_image(const model::ServiceDef& service) override;
  void remove_replaced_images() override;
  std::string create(const model::ServiceDef& service, bool with_setup) override;
  std::string instance_name(const model::ServiceDef& service) const override;
  void start(const model::ServiceDef& service, const std::string& id) override;
  Status inspect(const std::string& id) override;
  void follow_health(const std::string& id, const std::string& since,
                     const std::function<bool(const std::string& health)>& fn,
                     const CancelToken& stop) override;
  std::optional<int64_t> wait_exit(const std::string& id, const CancelToken& stop) override;
  void mark_set_up(const std::string& id, const model::ServiceDef& service) override;
  void stop(const std::string& id, int grace_seconds) override;
  void remove(const std::string& id) override;
  std::string logs_tail(const std::string& id, int lines) override;
  model::ExecResult exec(const std::string& service, const std::string& id,
                         const model::ExecRequest& request,
                         const std::vector<const CancelToken*>& cancel) override;

 private:
  // Removes the container holding `name` when it is this service's (a
  // leftover); a container that is not the service's keeps the name.
  void free_name(const std::string& name, const model::ServiceDef& service);
  // Removes `network` when it is labelled for this group and no container
  // uses it; says why when it stays.
  void remove_unused_network(const engine::NetworkSummary& network);

  engine::Client& engine_;
  const model::GroupDef& group_;
  Events& events_;
  Images images_;
  std::mutex port_start_mutex_;
};

}  // namespace dm::orchestrator

#endif
