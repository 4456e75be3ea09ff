// Exec, attach and resize: the requests of engine/client.h whose connection
// the engine takes over, and run_exec().
#include "engine/exec.h"

#include "common/text.h"
#include "engine/answers.h"
#include "engine/engine_client.h"

namespace dm::engine {

namespace {

Error unsupported(const std::string& what) {
  return Error(Error::Code::Internal, "this engine client cannot " + what);
}

// How many times run_exec() asks again for an exit code the engine has not
// recorded yet, when the output already ended (the engine closes the
// stream just before it records the exit).
constexpr int kExitCodeAsks = 100;

}  // namespace

std::string Client::exec_create(const std::string&, const ExecSpec&) {
  throw unsupported("run commands in containers");
}
std::unique_ptr<HijackedConnection> Client::exec_start(const std::string&, bool,
                                                       const CancelToken*) {
  throw unsupported("run commands in containers");
}
ExecState Client::exec_inspect(const std::string&) {
  throw unsupported("run commands in containers");
}
void Client::exec_resize(const std::string&, int, int) { throw unsupported("resize a TTY"); }
std::unique_ptr<HijackedConnection> Client::container_attach(const std::string&, bool,
                                                             const CancelToken*) {
  throw unsupported("attach to containers");
}
void Client::container_resize(const std::string&, int, int) { throw unsupported("resize a TTY"); }

std::unique_ptr<HijackedConnection> EngineClient::hijack(const Request& request) {
  Transport::Hijack answer = transport_.hijack(request);
  if (!answer.connection) throw status_error(answer.response, request.what);
  return std::move(answer.connection);
}

std::string EngineClient::exec_create(const std::string& container, const ExecSpec& spec) {
  std::string what = "run " + quoted(join(spec.cmd, " ")) + " in container " + quoted(container);
  return guarded(what, [&] {
    Json body = Json::object();
    body.set("Cmd", spec.cmd);
    body.set("AttachStdin", spec.attach_stdin);
    body.set("AttachStdout", true);
    body.set("AttachStderr", true);
    body.set("Tty", spec.tty);
    if (!spec.user.empty()) body.set("User", spec.user);
    if (!spec.working_dir.empty()) body.set("WorkingDir", spec.working_dir);
    Request r = request("POST", versioned("/containers/" + path_encode(container) + "/exec"), what);
    r.body = body.dump();
    r.content_type = "application/json";
    return parse_created_id(send(r).body, "POST /containers/" + container + "/exec");
  });
}

std::unique_ptr<HijackedConnection> EngineClient::exec_start(const std::string& exec_id, bool tty,
                                                             const CancelToken* cancel) {
  std::string what = "start exec instance " + quoted(exec_id);
  return guarded(what, [&] {
    Json body = Json::object();
    body.set("Detach", false);
    body.set("Tty", tty);
    Request r = request("POST", versioned("/exec/" + path_encode(exec_id) + "/start"), what);
    r.body = body.dump();
    r.cancel = cancel;
    return hijack(r);
  });
}

ExecState EngineClient::exec_inspect(const std::string& exec_id) {
  std::string what = "inspect exec instance " + quoted(exec_id);
  return guarded(what, [&] {
    return parse_exec_inspect(
        send(request("GET", versioned("/exec/" + path_encode(exec_id) + "/json"), what)).body,
        "GET /exec/" + exec_id + "/json");
  });
}

void EngineClient::exec_resize(const std::string& exec_id, int rows, int columns) {
  std::string what = "resize the TTY of exec instance " + quoted(exec_id);
  guarded(what, [&] {
    send(request("POST",
                 versioned("/exec/" + path_encode(exec_id) + "/resize?h=" + std::to_string(rows) +
                           "&w=" + std::to_string(columns)),
                 what));
  });
}

std::unique_ptr<HijackedConnection> EngineClient::container_attach(const std::string& id,
                                                                   bool with_stdin,
                                                                   const CancelToken* cancel) {
  std::string what = "attach to container " + quoted(id);
  return guarded(what, [&] {
    std::string query =
        std::string("?stream=1&stdout=1&stderr=1&stdin=") + (with_stdin ? "1" : "0");
    Request r =
        request("POST", versioned("/containers/" + path_encode(id) + "/attach" + query), what);
    r.cancel = cancel;
    return hijack(r);
  });
}

void EngineClient::container_resize(const std::string& id, int rows, int columns) {
  std::string what = "resize the TTY of container " + quoted(id);
  guarded(what, [&] {
    send(request("POST",
                 versioned("/containers/" + path_encode(id) + "/resize?h=" + std::to_string(rows) +
                           "&w=" + std::to_string(columns)),
                 what));
  });
}

ExecOutcome run_exec(Client& engine, const std::string& container, const ExecSpec& spec,
                     StreamIo io) {
  std::string exec_id = engine.exec_create(container, spec);
  ExecOutcome outcome;
  if (!io.on_output)
    io.on_output = [&outcome](LogStream stream, const std::string& data) {
      (stream == LogStream::Stderr ? outcome.err : outcome.out) += data;
      return true;
    };
  if (spec.tty && io.winsize_fd >= 0)
    io.on_resize = [&engine, &exec_id](int rows, int columns) {
      engine.exec_resize(exec_id, rows, columns);
    };
  const CancelToken* cancel = io.cancel.empty() ? nullptr : io.cancel.front();
  {
    std::unique_ptr<HijackedConnection> connection = engine.exec_start(exec_id, spec.tty, cancel);
    outcome.end = pump(*connection, spec.tty, io);
  }
  if (outcome.end != StreamEnd::Closed) return outcome;
  for (int ask = 0; ask < kExitCodeAsks; ask++) {
    ExecState state = engine.exec_inspect(exec_id);
    if (!state.running) {
      outcome.exit_code = state.exit_code;
      return outcome;
    }
  }
  throw Error(Error::Code::Engine, "the output of " + quoted(join(spec.cmd, " ")) +
                                       " in container " + quoted(container) +
                                       " ended, but the engine still says it runs");
}

}  // namespace dm::engine
