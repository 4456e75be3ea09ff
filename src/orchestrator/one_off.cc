#include "orchestrator/one_off.h"

#include <unistd.h>

#include <cerrno>

#include "common/error.h"
#include "common/text.h"
#include "engine/hijack.h"
#include "orchestrator/identity.h"

namespace dm::orchestrator {
namespace {

// Writes all of `data` to `fd` (nothing when it is -1); a reader that went
// away loses the rest, the container goes on.
void write_all(int fd, const std::string& data) {
  size_t done = 0;
  while (fd >= 0 && done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

engine::ContainerSpec spec_for(const model::GroupDef& group, const model::ServiceDef& service,
                               const RunOptions& options) {
  model::ServiceDef def = service;
  if (!options.command.empty()) def.cmd = options.command;
  if (!options.publish) def.ports.clear();
  engine::ContainerSpec spec = one_off_spec(group, def);
  bool with_stdin = options.stdin_fd >= 0;
  spec.body.set("Tty", options.tty);
  spec.body.set("OpenStdin", with_stdin);
  spec.body.set("StdinOnce", with_stdin);  // the end of our input is the end of its stdin
  spec.body.set("AttachStdin", with_stdin);
  spec.body.set("AttachStdout", true);
  spec.body.set("AttachStderr", true);
  return spec;
}

// Removes the one-off when the run ends, however it ends, unless kept.
class Removal {
 public:
  Removal(engine::Client& engine, std::string id, bool keep)
      : engine_(engine), id_(std::move(id)), keep_(keep) {}
  ~Removal() {
    if (keep_) return;
    try {
      engine_.container_remove(id_, /*force=*/true, /*volumes=*/false);
    } catch (const Error&) {  // gone already, or the engine went away: nothing left to do
    }
  }
  Removal(const Removal&) = delete;
  Removal& operator=(const Removal&) = delete;

 private:
  engine::Client& engine_;
  std::string id_;
  bool keep_;
};

}  // namespace

void run_one_off(engine::Client& engine, const model::GroupDef& group,
                 const model::ServiceDef& service, const RunOptions& options,
                 const CancelToken& cancel, RunResult& out) {
  engine::ContainerSpec spec = spec_for(group, service, options);
  out.container_id = engine.container_create(spec);
  out.container_name = spec.name;
  out.ran = true;
  Removal removal(engine, out.container_id, options.keep);
  auto connection = engine.container_attach(out.container_id, options.stdin_fd >= 0, &cancel);
  try {
    engine.container_start(out.container_id);
  } catch (const Error& e) {
    throw Error(e.code(), "service '" + service.name + "': its one-off container " +
                              quoted(spec.name) + " did not start: " + e.what());
  }

  engine::StreamIo io;
  io.in_fd = options.stdin_fd;
  io.on_output = [&options](engine::LogStream stream, const std::string& data) {
    write_all(stream == engine::LogStream::Stderr ? options.stderr_fd : options.stdout_fd, data);
    return true;
  };
  if (options.tty && options.stdin_fd >= 0 && isatty(options.stdin_fd)) {
    io.winsize_fd = options.stdin_fd;
    io.on_resize = [&engine, &out](int rows, int columns) {
      try {
        engine.container_resize(out.container_id, rows, columns);
      } catch (const Error&) {  // it exited meanwhile: nothing to resize
      }
    };
  }
  io.cancel = {&cancel};
  engine::StreamEnd end = engine::pump(*connection, options.tty, io);
  connection.reset();
  if (end == engine::StreamEnd::Cancelled) {
    out.cancelled = true;
    engine.container_stop(out.container_id, engine::whole_grace_seconds(options.stop_timeout));
  }
  out.exit_code = engine.container_wait(out.container_id, nullptr);
}

}  // namespace dm::orchestrator
