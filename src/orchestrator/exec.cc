#include "orchestrator/exec.h"

#include <unistd.h>

#include <algorithm>

#include "common/error.h"
#include "common/text.h"
#include "engine/exec.h"
#include "orchestrator/inventory.h"

namespace dm::orchestrator {

model::ExecResult exec_in(engine::Client& engine, const std::string& service,
                          const std::string& container, const model::ExecRequest& request,
                          const std::vector<const CancelToken*>& cancel) {
  std::string command = quoted(join(request.argv, " "));
  if (request.argv.empty())
    throw Error(Error::Code::Invalid,
                "service '" + service + "': exec needs a command (the program and its arguments)");
  engine::ExecSpec spec;
  spec.cmd = request.argv;
  spec.user = request.user;
  spec.working_dir = request.working_dir;
  spec.tty = request.tty;
  spec.attach_stdin = request.stdin_fd >= 0;
  engine::StreamIo io;
  io.in_fd = request.stdin_fd;
  if (request.tty && request.stdin_fd >= 0 && isatty(request.stdin_fd))
    io.winsize_fd = request.stdin_fd;
  if (request.on_output)
    io.on_output = [&request](engine::LogStream stream, const std::string& data) {
      return request.on_output(static_cast<int>(stream), data);
    };
  io.cancel = cancel;
  io.timeout = request.timeout;
  engine::ExecOutcome outcome = engine::run_exec(engine, container, spec, io);
  std::string still = "; it may still be running in container " + quoted(container) +
                      " (the engine cannot stop a command it runs)";
  switch (outcome.end) {
    case engine::StreamEnd::Closed:
    case engine::StreamEnd::Stopped:
      return {outcome.exit_code, std::move(outcome.out), std::move(outcome.err)};
    case engine::StreamEnd::TimedOut:
      throw Error(Error::Code::Timeout, "service '" + service + "': " + command +
                                            " did not end within " + seconds_text(request.timeout) +
                                            " s" + still);
    case engine::StreamEnd::Cancelled:
      break;
  }
  throw Error(Error::Code::Cancelled,
              "service '" + service + "': " + command + " cancelled" + still);
}

std::string running_container(engine::Client& engine, const model::GroupDef& group,
                              const std::string& service) {
  bool defined = std::any_of(group.services.begin(), group.services.end(),
                             [&](const model::ServiceDef& s) { return s.name == service; });
  if (!defined) {
    std::vector<std::string> names;
    for (const auto& s : group.services) names.push_back(s.name);
    std::sort(names.begin(), names.end());
    throw Error(Error::Code::NotFound, "no service " + quoted(service) + " in group " +
                                           quoted(group.name) + "; defined: " + join(names, ", "));
  }
  Inventory inventory = take_inventory(engine, group);
  const auto& containers = inventory.of(service);
  std::string start = "; start it first (start " + service + ")";
  if (containers.empty())
    throw Error(Error::Code::NotFound, "service " + quoted(service) + " of group " +
                                           quoted(group.name) + " has no container" + start);
  const engine::ContainerSummary& c = containers.front();  // running ones come first
  if (c.state != "running")
    throw Error(Error::Code::Conflict, "service " + quoted(service) + " of group " +
                                           quoted(group.name) + " is not running: its container " +
                                           quoted(c.names.empty() ? c.id : c.names.front()) +
                                           " is " + c.state +
                                           (c.status.empty() ? "" : " (" + c.status + ")") + start);
  return c.id;
}

model::ExecResult exec(engine::Client& engine, const model::GroupDef& group,
                       const std::string& service, const model::ExecRequest& request,
                       const CancelToken& cancel) {
  return exec_in(engine, service, running_container(engine, group, service), request, {&cancel});
}

}  // namespace dm::orchestrator
