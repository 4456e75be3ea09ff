#include "engine/answers.h"

#include <string.h>  // sigabbrev_np

#include <cctype>
#include <cstdio>
#include <ctime>

#include "common/error.h"
#include "common/excerpt.h"
#include "engine/answer.h"
#include "engine/image_ref.h"

namespace dm::engine {

namespace {

std::string entry(size_t index) { return "entry #" + std::to_string(index + 1); }

// "49153" -> 49153; 0 (the engine's pick, or unreadable) for anything that
// is not a port number.
int port_number(const std::string& text) {
  if (text.empty() || text.size() > 5) return 0;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + (c - '0');
  }
  return value <= 65535 ? value : 0;
}

// A binding's host address as Docker gives it: Podman leaves it empty for
// a port bound on every address, where Docker says "0.0.0.0".
std::string binding_address(const std::string& ip) { return ip.empty() ? "0.0.0.0" : ip; }

// A container's state in Docker's words (created, running, paused,
// restarting, removing, exited, dead). Podman's list also says "stopped"
// (exited, its clean-up not yet done: briefly, right after the exit, while
// its inspect already says "exited"), "configured" (created) and
// "stopping" (still running).
std::string docker_state(const std::string& state) {
  if (state == "stopped") return "exited";
  if (state == "configured") return "created";
  if (state == "stopping") return "running";
  return state;
}

// Whether a container in this state holds its host ports. Docker lists none
// for a stopped container (it hands them back at the stop); Podman lists
// the ones it had, which no longer lead anywhere.
bool holds_ports(const std::string& state) {
  return state == "running" || state == "paused" || state == "restarting";
}

// Config.StopSignal as it was given: Podman answers with the signal's
// number ("10"), Docker with the name it was created with ("SIGUSR1").
std::string signal_name(const std::string& signal) {
  if (signal.empty() || signal.size() > 2 ||
      signal.find_first_not_of("0123456789") != std::string::npos)
    return signal;
  const char* abbrev = sigabbrev_np(std::stoi(signal));
  return abbrev ? std::string("SIG") + abbrev : signal;
}

// NetworkSettings.Ports: {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "49153"}], "81/tcp": null}
std::vector<PortBinding> published_ports(JsonView ports) {
  std::vector<PortBinding> out;
  for (const JsonView& port : ports.items())
    for (const JsonView& binding : port.items()) {
      PortBinding b;
      b.container_port = port.key();
      b.host_ip = binding_address(binding["HostIp"].str());
      b.host_port = port_number(binding["HostPort"].str());
      out.push_back(b);
    }
  return out;
}

ContainerSummary summary(const Answer& answer, JsonView c, const std::string& subject) {
  ContainerSummary s;
  s.id = answer.nonempty_string(c, "Id", subject);
  for (std::string name : answer.string_list(c, "Names", subject)) {
    if (!name.empty() && name[0] == '/') name.erase(0, 1);
    s.names.push_back(name);
  }
  s.state = docker_state(answer.string(c, "State", subject));
  s.image = familiar_image_name(c["Image"].str());
  s.image_id = c["ImageID"].str();
  s.status = c["Status"].str();
  s.command = c["Command"].str();
  s.labels = c["Labels"].string_map();
  for (const JsonView& p : c["Ports"].items()) {
    if (!holds_ports(s.state)) break;
    int64_t public_port = p["PublicPort"].integer(-1);
    int64_t private_port = p["PrivatePort"].integer(-1);
    // Exposed but not published, or not a port at all.
    if (public_port < 0 || public_port > 65535 || private_port < 0 || private_port > 65535)
      continue;
    PortBinding b;
    b.container_port = std::to_string(private_port) + "/" + p["Type"].str("tcp");
    b.host_ip = binding_address(p["IP"].str());
    b.host_port = static_cast<int>(public_port);
    s.ports.push_back(b);
  }
  return s;
}

NetworkSummary network(const Answer& answer, JsonView n, const std::string& subject) {
  NetworkSummary s;
  s.id = answer.nonempty_string(n, "Id", subject);
  s.name = answer.string(n, "Name", subject);
  s.labels = n["Labels"].string_map();
  // Keys are container ids; only inspect fills this map.
  for (const JsonView& c : n["Containers"].items()) s.container_ids.push_back(c.key());
  return s;
}

// Config.Healthcheck; nullopt when the container has none.
std::optional<HealthcheckConfig> healthcheck_config(JsonView check) {
  if (!check.is_object()) return std::nullopt;
  HealthcheckConfig out;
  out.test = check["Test"].string_list();
  out.interval = check["Interval"].integer();
  out.timeout = check["Timeout"].integer();
  out.start_period = check["StartPeriod"].integer();
  out.retries = static_cast<int>(check["Retries"].integer());
  return out;
}

// The newest entry of State.Health.Log (the engine appends, keeping five).
std::optional<HealthCheckRun> last_health_check(JsonView health) {
  std::optional<HealthCheckRun> last;
  for (const JsonView& run : health["Log"].items())
    last = HealthCheckRun{run["ExitCode"].integer(), run["Output"].str()};
  return last;
}

}  // namespace

VersionInfo parse_version(const std::string& body, const std::string& request) {
  Answer answer(request, body);
  JsonView v = answer.object(answer.root());
  VersionInfo info;
  info.version = answer.string(v, "Version");
  info.api_version = answer.string(v, "ApiVersion");
  info.min_api_version = v["MinAPIVersion"].str();
  info.os = v["Os"].str();
  info.arch = v["Arch"].str();
  return info;
}

std::vector<ContainerSummary> parse_container_list(const std::string& body,
                                                   const std::string& request) {
  Answer answer(request, body);
  std::vector<ContainerSummary> out;
  size_t index = 0;
  for (const JsonView& c : answer.list(answer.root()).items()) {
    out.push_back(summary(answer, c, entry(index)));
    ++index;
  }
  return out;
}

namespace {

// What a container's HostConfig says of the fields that shape it.
void read_host_config(const JsonView& host, ContainerInfo& info) {
  JsonView restart = host["RestartPolicy"];
  info.restart_policy = restart["Name"].str();
  if (int64_t most = restart["MaximumRetryCount"].integer(); most > 0)
    info.restart_policy += ":" + std::to_string(most);
  info.tmpfs = host["Tmpfs"].string_map();
  info.read_only = host["ReadonlyRootfs"].boolean();
  info.init = host["Init"].boolean();
  info.privileged = host["Privileged"].boolean();
  info.cap_add = host["CapAdd"].string_list();
  info.cap_drop = host["CapDrop"].string_list();
  info.shm_size = host["ShmSize"].integer();
  info.memory = host["Memory"].integer();
  info.nano_cpus = host["NanoCpus"].integer();
  for (const JsonView& u : host["Ulimits"].items())
    info.ulimits.push_back(u["Name"].str() + "=" + std::to_string(u["Soft"].integer()) + ":" +
                           std::to_string(u["Hard"].integer()));
  info.extra_hosts = host["ExtraHosts"].string_list();
}

}  // namespace

ContainerInfo parse_container_inspect(const std::string& body, const std::string& request) {
  Answer answer(request, body);
  JsonView c = answer.object(answer.root());
  ContainerInfo info;
  info.id = answer.nonempty_string(c, "Id");
  info.name = answer.string(c, "Name");
  if (!info.name.empty() && info.name[0] == '/') info.name.erase(0, 1);
  info.state = docker_state(answer.string(c, "State.Status"));
  info.running = answer.boolean(c, "State.Running");
  int64_t exit_code = answer.integer(c, "State.ExitCode");
  if (exit_code < INT32_MIN || exit_code > INT32_MAX)
    answer.wrong("", "State.ExitCode", std::to_string(exit_code), "an exit code");
  info.exit_code = static_cast<int>(exit_code);
  JsonView config = answer.object_member(c, "Config");
  JsonView state = c["State"];
  info.image_id = c["Image"].str();
  info.error = state["Error"].str();
  info.health = state["Health"]["Status"].str();
  info.started_at = state["StartedAt"].str();
  info.last_health_check = last_health_check(state["Health"]);
  info.healthcheck = healthcheck_config(config["Healthcheck"]);
  info.labels = config["Labels"].string_map();
  info.image = familiar_image_name(config["Image"].str());
  info.tty = config["Tty"].boolean();
  info.env = config["Env"].string_list();
  info.entrypoint = config["Entrypoint"].string_list();
  info.cmd = config["Cmd"].string_list();
  info.user = config["User"].str();
  info.hostname = config["Hostname"].str();
  info.working_dir = config["WorkingDir"].str();
  info.domainname = config["Domainname"].str();
  info.oom_score_adj = c["HostConfig"]["OomScoreAdj"].integer();
  info.stop_signal = signal_name(config["StopSignal"].str());
  for (const JsonView& m : c["Mounts"].items())
    info.mounts.push_back(Mount{m["Type"].str() == "volume" ? m["Name"].str() : m["Source"].str(),
                                m["Destination"].str(), !m["RW"].boolean(true)});
  JsonView settings = c["NetworkSettings"];
  info.ports = published_ports(settings["Ports"]);
  for (const JsonView& network : settings["Networks"].items()) {
    info.network_ips[network.key()] = network["IPAddress"].str();
    info.network_aliases[network.key()] = network["Aliases"].string_list();
  }
  if (config["StopTimeout"].is_integer()) info.stop_timeout = config["StopTimeout"].integer();
  read_host_config(c["HostConfig"], info);
  return info;
}

std::string parse_health_event(const std::string& line, const std::string& request) {
  Answer answer(request, line);
  JsonView event = answer.object(answer.root());
  std::string action = answer.string(event, "Action");
  const std::string prefix = "health_status: ";
  if (action.compare(0, prefix.size(), prefix) == 0) return action.substr(prefix.size());
  // Podman's compatible API: the status is an attribute of the event.
  if (action == "health_status") return event["Actor"]["Attributes"]["health_status"].str();
  return "";
}

std::string unix_timestamp(const std::string& rfc3339) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(rfc3339.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return "";
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::string rest = rfc3339.substr(static_cast<size_t>(consumed));
  std::string nanos = "000000000";
  size_t i = 0;
  if (!rest.empty() && rest[0] == '.')
    for (i = 1; i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])); i++)
      if (i <= 9) nanos[i - 1] = rest[i];
  rest = rest.substr(i);
  long offset = 0;  // seconds east of UTC
  int hours = 0, minutes = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') &&
      std::sscanf(rest.c_str() + 1, "%2d:%2d", &hours, &minutes) == 2)
    offset = (rest[0] == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
  else if (rest != "Z")
    return "";
  return std::to_string(static_cast<long long>(timegm(&tm)) - offset) + "." + nanos;
}

int64_t parse_container_wait(const std::string& body, const std::string& request) {
  Answer answer(request, body);
  JsonView v = answer.object(answer.root());
  // {"Error": {"Message": "..."}}: the wait itself failed; no exit code to read.
  std::string error = v["Error"]["Message"].str();
  if (!error.empty())
    throw Error(Error::Code::Engine, "engine answered " + request + ": " + excerpt(error));
  return answer.integer(v, "StatusCode");
}

ExecState parse_exec_inspect(const std::string& body, const std::string& request) {
  Answer answer(request, body);
  JsonView v = answer.object(answer.root());
  ExecState state;
  state.running = answer.boolean(v, "Running");
  if (!state.running) state.exit_code = answer.integer(v, "ExitCode");
  return state;
}

std::string parse_created_id(const std::string& body, const std::string& request) {
  Answer answer(request, body);
  return answer.nonempty_string(answer.root(), "Id");
}

std::vector<NetworkSummary> parse_network_list(const std::string& body,
                                               const std::string& request) {
  Answer answer(request, body);
  std::vector<NetworkSummary> out;
  size_t index = 0;
  for (const JsonView& n : answer.list(answer.root()).items()) {
    out.push_back(network(answer, n, entry(index)));
    ++index;
  }
  return out;
}

NetworkSummary parse_network_inspect(const std::string& body, const std::string& request) {
  Answer answer(request, body);
  return network(answer, answer.root(), "");
}

ImageInfo parse_image_inspect(const std::string& body, const std::string& request) {
  Answer answer(request, body);
  JsonView v = answer.object(answer.root());
  ImageInfo info;
  info.id = answer.nonempty_string(v, "Id");
  info.tags = v["RepoTags"].string_list();
  info.labels = v["Config"]["Labels"].string_map();
  return info;
}

std::string error_message(const std::string& body, size_t total) {
  std::string message;
  try {
    message = Json::parse(body).view()["message"].str();
  } catch (const Error&) {  // not JSON: a proxy, an old engine, or a cut body
  }
  if (!message.empty()) return excerpt(message);
  return excerpt(body, total);
}

bool podman_conflict(const std::string& body) {
  static const char* const kCauses[] = {
      "that name is already in use",  // create with a container name in use
      "container already exists",     // the same, from libpod itself
      "network already exists",       // network create with a name in use
      "network is being used",        // network remove while containers use it
      "container state improper",     // kill of a container that does not run
  };
  std::string cause;
  try {
    cause = Json::parse(body).view()["cause"].str();
  } catch (const Error&) {
    return false;
  }
  for (const char* known : kCauses)
    if (cause == known) return true;
  return false;
}

}  // namespace dm::engine
