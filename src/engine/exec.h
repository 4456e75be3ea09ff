// A command run in a running container to its end: exec create, start
// (its stdin and output on the hijacked connection, engine/hijack.h) and
// inspect for the exit code. The one home of that sequence, for hooks, the
// command line and anything else.
#ifndef DM_ENGINE_EXEC_H
#define DM_ENGINE_EXEC_H

#include <cstdint>
#include <string>

#include "engine/client.h"
#include "engine/hijack.h"

namespace dm::engine {

struct ExecOutcome {
  StreamEnd end = StreamEnd::Closed;
  int64_t exit_code = -1;  // known when `end` is Closed
  // The output, when the StreamIo given had no on_output.
  std::string out, err;
};

// Runs `spec` in `container` (an id or a name). With io.winsize_fd and a
// TTY the exec's TTY follows the terminal. When the pump ends early
// (cancelled, timed out) the command goes on running in the container: the
// engine cannot stop an exec; `end` says so.
ExecOutcome run_exec(Client& engine, const std::string& container, const ExecSpec& spec,
                     StreamIo io);

}  // namespace dm::engine

#endif
