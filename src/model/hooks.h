// A service's hooks: code of the user's that runs on the host around the
// life of the container. Here they are C++ callables, so the model needs
// nothing of whoever provides them; the C API wraps its callbacks into these
// (src/capi/hooks.h). src/orchestrator/hooks.h says on which thread they run
// and what happens when one does not return in time.
#ifndef DM_MODEL_HOOKS_H
#define DM_MODEL_HOOKS_H

#include <functional>
#include <string>

namespace dm::model {

struct ServiceDef;

// What a hook is told about the service it runs for.
struct HookContext {
  std::string group;
  std::string service;
  std::string network;         // the group's
  std::string container_id;    // "" before the container exists (prepare, pre_start)
  std::string container_name;  // its final name; "" before the container exists
};

// What a hook answered, and the reason it gave ("" for none): why it failed,
// or a ping's last word on why it is not ready yet.
struct HookAnswer {
  int code = 0;
  std::string reason;
};

// pre_start, post_start_init and pre_stop: 0 succeeds, anything else fails the service.
// ping: kPingReady, kPingNotReady, or a negative value that fails at once.
using Hook = std::function<HookAnswer(const HookContext& context)>;

// prepare: as Hook, and it may change the environment of `definition`, this
// operation's working copy of the service (nothing else of it counts).
using PrepareHook = std::function<HookAnswer(const HookContext& context, ServiceDef& definition)>;

inline constexpr int kPingNotReady = 0;
inline constexpr int kPingReady = 1;

// Each may be empty: the service has no such hook.
struct Hooks {
  PrepareHook prepare;   // before anything is decided about the container
  Hook pre_start;        // before a new container is created
  Hook ping;             // until the container is ready
  Hook post_start_init;  // once, after a new container's first ready ping
  Hook pre_stop;         // before its running container is stopped
};

}  // namespace dm::model

#endif
