// A one-off container of a service (`run`): created from the service's
// definition (identity.h, one_off_spec), attached before it starts so no
// output is missed, its stdin and output copied through the engine's
// hijacked attach connection (engine/hijack.h) until it exits, then removed
// unless kept. The dependencies' start is orchestrator.h's run().
#ifndef DM_ORCHESTRATOR_ONE_OFF_H
#define DM_ORCHESTRATOR_ONE_OFF_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "engine/client.h"
#include "model/service.h"
#include "orchestrator/defaults.h"
#include "orchestrator/operation.h"

namespace dm::orchestrator {

struct RunOptions {
  std::vector<std::string> command;  // empty: the service's own
  bool keep = false;                 // not removed once it exited
  bool publish = false;              // publishes the service's ports
  bool tty = false;                  // a TTY (its output all on stdout)
  // Copied to its stdin until the end (then its stdin closes); -1: none.
  // With `tty` and a terminal here, the TTY follows the terminal's size.
  int stdin_fd = -1;
  int stdout_fd = -1;  // where its output goes; -1: nowhere
  int stderr_fd = -1;
  double timeout = defaults::kReadySeconds;  // per dependency started first
  // Grace seconds of the stop a cancel makes.
  double stop_timeout = defaults::kStopGraceSeconds;
  EventSink on_event;  // the dependencies' start
};

struct RunResult {
  Result dependencies;  // their start: one outcome per service of the group
  bool ran = false;     // the one-off was created (the dependencies started)
  std::optional<int64_t> exit_code;
  bool cancelled = false;  // stopped by a cancel
  std::string container_id, container_name;
};

// Creates, attaches, starts and follows the one-off container of `service`
// until it exits; on a cancel stops it (its stop signal, then SIGKILL after
// options.stop_timeout). Fills `out`'s run fields. The image must be there
// and the network made.
void run_one_off(engine::Client& engine, const model::GroupDef& group,
                 const model::ServiceDef& service, const RunOptions& options,
                 const CancelToken& cancel, RunResult& out);

}  // namespace dm::orchestrator

#endif
