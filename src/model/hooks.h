// A service's hooks: code of the user's that runs on the host around the
// life of the container. Here they are C++ callables, so the model needs
// nothing of whoever provides them; the C API wraps its callbacks into these
// (src/capi/hooks.h). src/orchestrator/hooks.h says on which thread they run
// and what happens when one does not return in time.
#ifndef DM_MODEL_HOOKS_H
#define DM_MODEL_HOOKS_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dm::model {

struct ServiceDef;

// A command a hook runs in its service's container, and what came of it.
struct ExecRequest {
  std::vector<std::string> argv;
  double timeout = 0;       // seconds; 0: none
  std::string user;         // "": the container's
  std::string working_dir;  // "": the container's
  int stdin_fd = -1;        // copied to its stdin until the end; -1: none
  bool tty = false;
  // Receives the output as it comes (stream 1 stdout, 2 stderr); returns
  // false to stop reading. Empty: the output is collected in ExecResult.
  std::function<bool(int stream, const std::string& data)> on_output;
};

struct ExecResult {
  int64_t exit_code = 0;
  std::string out, err;
};

// Runs a command in the container the hook runs for; throws dm::Error
// (common/error.h): Code::Timeout, Code::Cancelled, the engine's failures.
using Exec = std::function<ExecResult(const ExecRequest& request)>;

// What a hook is told about the service it runs for.
struct HookContext {
  std::string group;
  std::string service;
  std::string network;         // the group's
  std::string container_id;    // "" before the container exists (prepare, pre_start)
  std::string container_name;  // its final name; "" before the container exists
  // Runs commands in the container (orchestrator/hooks.h says until when);
  // empty when the hook's runner has no engine to ask.
  Exec exec;
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
