// Docker Engine API client: the only code that talks to the daemon.
//
// Client is thread-safe: every call may come from any thread; each call
// borrows a libcurl handle from a pool so connections stay open between calls
// (keep-alive) and parallel calls do not wait for each other.
//
// Every failure is a dm::Error, and nothing else leaves a method (not even an
// exception thrown by the caller's own callback: that is Error::Code::Internal):
// Error::Code::Unreachable when nothing answers at the address (the message names it
// and says how to start an engine), Error::Code::NotFound for 404, Error::Code::Conflict for
// 409, Error::Code::Engine for any other non-2xx answer, an error inside a streamed
// answer, or an answer whose required fields are missing or of the wrong type
// (engine/answers.h: the message names the request and the field),
// Error::Code::Timeout when a request's deadline passes. Engine text in a message is
// cut to a few hundred bytes (common/excerpt.h). 304 on start/stop is
// success. Every request has a deadline except wait and log follow, which end
// when the container does or when `cancel` is cancelled; a ScopedDeadline
// (engine/deadline.h) on the calling thread shortens it.
#ifndef DM_ENGINE_CLIENT_H
#define DM_ENGINE_CLIENT_H

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/cancel.h"
#include "common/json.h"

namespace dm::engine {

// Where the engine is, parsed from DOCKER_HOST or an explicit address.
struct Address {
  enum class Kind { Unix, Tcp };
  Kind kind = Kind::Unix;
  std::string socket_path;  // Kind::Unix
  std::string host;         // Kind::Tcp
  int port = 0;             // Kind::Tcp
  std::string text;         // as given, normalised: "unix:///var/run/docker.sock"
};

// Parses "unix:///path" or "tcp://host:port" (also "host:port" and
// "tcp://host", port 2375 / 2376 with TLS). Throws Error::Code::Invalid naming the
// value and the accepted forms.
Address parse_address(const std::string& text, bool tls);

// tls_verify's default: TLS when DOCKER_TLS_VERIFY asks for it.
inline constexpr int kTlsVerifyFromEnvironment = -1;

// Where the engine is looked for when `host` is empty: engine/discovery.h.
struct TlsFiles {
  bool enabled = false;
  std::string ca, cert, key;  // PEM files; "" : none (a docker context may omit some)
  // false only for a docker context with SkipTLSVerify: the engine's
  // certificate is then not checked, as the docker command does.
  bool verify = true;
};

struct ClientOptions {
  std::string host;                            // "" : found as the docker command finds it
  std::string context;                         // a docker context's name; "" : none
  std::string api_version;                     // "" : DOCKER_API_VERSION, else negotiated
  int tls_verify = kTlsVerifyFromEnvironment;  // 0 off; 1 on; anything else: Code::Invalid
  std::string cert_path;                       // "" : DOCKER_CERT_PATH, else ~/.docker
  double timeout = 60;                         // seconds for an ordinary request
  // TLS file by file, exactly as another client has it: connection_options()
  // sets it so that a docker context's files and its SkipTLSVerify reach a
  // second client (the reaper's). When set, tls_verify and cert_path are
  // not read.
  std::optional<TlsFiles> tls;
};

// Whether `value` is one of tls_verify's values, and those values in words
// for the message when it is not.
bool valid_tls_verify(int value);
extern const char* const kTlsVerifyValues;

// How a client with this address talks to the engine, in words:
// "unix socket", "tcp, plain (no TLS)", "tcp, TLS with verification" or
// (a docker context with SkipTLSVerify) "tcp, TLS without verification".
std::string describe_transport(const Address& address, bool tls, bool verify = true);

// A stop's grace period as the engine takes it, in whole seconds: a fraction
// is rounded up, so a container never gets less time than it was given (0.2
// -> 1, 10 -> 10). 0 or less, and NaN, give 0 (kill at once); more than an
// int holds gives the most it holds.
int whole_grace_seconds(double seconds);

struct VersionInfo {
  std::string version;          // engine version, "20.10.24"
  std::string api_version;      // highest API version it speaks, "1.41"
  std::string min_api_version;  // lowest, "1.12"
  std::string os, arch;
};

using Labels = std::map<std::string, std::string>;

struct NetworkSummary {
  std::string id;
  std::string name;
  Labels labels;
  std::vector<std::string> container_ids;  // attached containers (inspect only)
};

struct PortBinding {
  std::string container_port;  // "80/tcp", "53/udp"
  std::string host_ip;         // "" : every address
  int host_port = 0;           // 0 : the engine picks one
};

struct Mount {
  std::string source;  // absolute host path, or a volume name
  std::string target;  // path in the container
  bool read_only = false;
};

// What to create: the body of POST /containers/create as the model writes it
// (model/request.h: Image, Env, HostConfig, NetworkingConfig...), sent as it
// is with the labels added.
struct ContainerSpec {
  std::string name;
  Json body = Json::object();
  Labels labels;
};

struct ContainerSummary {  // from GET /containers/json
  std::string id;
  std::vector<std::string> names;  // without the leading '/'
  std::string image;
  std::string image_id;
  std::string state;    // "running", "exited", "created", ...
  std::string status;   // "Up 3 minutes"
  std::string command;  // "/bin/sh -c 'exit 3'", as the engine shows it
  Labels labels;
  std::vector<PortBinding> ports;  // published ones
};

// Config.Healthcheck as the engine made it: the service's merged with its
// image's. Durations in nanoseconds; 0 means the engine's default.
struct HealthcheckConfig {
  std::vector<std::string> test;  // {"CMD", ...}, {"CMD-SHELL", "..."}, {"NONE"}
  int64_t interval = 0;
  int64_t timeout = 0;
  int64_t start_period = 0;
  int retries = 0;
};

// One run of a health check (an entry of State.Health.Log).
struct HealthCheckRun {
  int64_t exit_code = 0;
  std::string output;
};

struct ContainerInfo {  // from GET /containers/{id}/json
  std::string id;
  std::string name;  // without the leading '/'
  std::string image_id;
  std::string state;  // "running", "exited", ...
  bool running = false;
  int exit_code = 0;
  std::string error;       // the engine's State.Error
  std::string health;      // "" without a health check
  std::string started_at;  // State.StartedAt, the engine's time as it writes it (RFC 3339)
  std::optional<HealthCheckRun> last_health_check;  // the newest of State.Health.Log
  std::optional<HealthcheckConfig> healthcheck;     // Config.Healthcheck
  Labels labels;
  std::vector<PortBinding> ports;  // NetworkSettings.Ports, with the host ports given
  std::map<std::string, std::string> network_ips;  // network name -> IP address
  // What it was created with (Config, HostConfig), for checks and reuse decisions.
  std::string image;  // Config.Image, the name given at create
  bool tty = false;
  std::vector<std::string> env;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string user;
  std::string stop_signal;
  std::vector<Mount> mounts;
  std::map<std::string, std::vector<std::string>> network_aliases;  // network name -> aliases
  std::optional<int64_t> stop_timeout;                              // Config.StopTimeout, when set
  // HostConfig
  std::string restart_policy;                // "no", "always", "on-failure:3"...; "" unset
  std::map<std::string, std::string> tmpfs;  // path -> options
  bool read_only = false;                    // ReadonlyRootfs
  bool init = false;
  bool privileged = false;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  int64_t shm_size = 0;
  int64_t memory = 0;
  int64_t nano_cpus = 0;
  std::vector<std::string> ulimits;  // "nofile=1024:2048"
  std::vector<std::string> extra_hosts;
  std::string hostname;       // Config.Hostname
  std::string working_dir;    // Config.WorkingDir
  std::string domainname;     // Config.Domainname
  int64_t oom_score_adj = 0;  // HostConfig.OomScoreAdj
};

struct ImageInfo {
  std::string id;
  std::vector<std::string> tags;
  Labels labels;
};

// A line of a streamed answer (build output, pull progress), for progress display.
using LineFn = std::function<void(const std::string& line)>;

struct BuildOptions {
  std::string context_dir;                // a directory; sent as a tar (.dockerignore honoured)
  std::string dockerfile = "Dockerfile";  // relative to the context
  std::string tag;
  Labels labels;
  bool no_cache = false;
  std::vector<std::pair<std::string, std::string>> build_args;  // the Dockerfile's ARG values
  std::string target;                                           // the stage to build; "" : the last
  // Once cancelled, the build stops at once with Error::Code::Cancelled.
  const CancelToken* cancel = nullptr;
};

enum class LogStream { Stdout = 1, Stderr = 2 };

struct LogOptions {
  bool stdout_ = true;
  bool stderr_ = true;
  bool follow = false;
  int tail = -1;  // negative: all
  bool timestamps = false;
  int tty = -1;  // whether the container has a TTY; -1: ask the engine (one inspect)
};

// A chunk of demultiplexed log output. Return false to stop reading.
using LogFn = std::function<bool(LogStream stream, const std::string& data)>;

// A command to run in a running container (POST /containers/{id}/exec).
struct ExecSpec {
  std::vector<std::string> cmd;
  bool attach_stdin = false;
  bool tty = false;
  std::string user;         // "": the container's
  std::string working_dir;  // "": the container's
};

// GET /exec/{id}/json.
struct ExecState {
  bool running = false;
  int64_t exit_code = 0;
};

// GET /info's Swarm part: whether this engine is a node of an active swarm
// and a manager of it (only a manager takes /services requests).
struct SwarmInfo {
  std::string local_node_state;  // "inactive", "pending", "active", "error", "locked"
  bool control_available = false;
  std::string node_id;
  std::string node_addr;  // the address it advertises to the swarm
};

// A swarm service (GET /services, /services/{id}).
struct ServiceInfo {
  std::string id;
  std::string name;
  uint64_t version = 0;        // Version.Index, which an update must name
  Labels labels;               // Spec.Labels
  int64_t replicas = 0;        // Spec.Mode.Replicated.Replicas; 1 for a global service
  Json spec = Json::object();  // Spec as the engine has it, for an update
  // Endpoint.Ports published through the routing mesh (PublishMode ingress):
  // every node answers on host_port ("8080/tcp" as container_port).
  std::vector<PortBinding> ingress_ports;
};

// A task of a swarm service (GET /tasks): one container on some node.
struct TaskInfo {
  std::string id;
  std::string service_id;
  std::string node_id;
  int64_t slot = 0;
  std::string desired_state;  // "running", "shutdown", ...
  std::string state;    // Status.State: "new" ... "running", "complete", "failed", "rejected"...
  std::string message;  // Status.Message
  std::string error;    // Status.Err
  std::optional<int64_t> exit_code;  // Status.ContainerStatus.ExitCode, once it ended
  std::string container_id;          // Status.ContainerStatus.ContainerID
  std::string updated_at;
  // Status.PortStatus.Ports: ports published in mode=host on its node
  // (container_port "8080/tcp", host_port the published one).
  std::vector<PortBinding> ports;

  bool ended() const;  // in a state it never leaves (complete, failed, rejected, shutdown...)
};

// A node of the swarm (GET /nodes/{id}).
struct NodeInfo {
  std::string id;
  std::string hostname;  // Description.Hostname
  std::string state;     // Status.State: "ready", "down", "disconnected", "unknown"
  std::string message;   // Status.Message: why, when it is not ready
  std::string address;   // Status.Addr: where its published ports answer
};

class HijackedConnection;  // engine/hijack.h

class Client {
 public:
  // Opens a client and negotiates the API version (GET /_ping, header
  // Api-Version; GET /version when absent); at least 1.40. Throws on an
  // unreachable engine.
  static std::unique_ptr<Client> open(const ClientOptions& options);
  virtual ~Client();

  virtual const Address& address() const = 0;
  virtual const std::string& api_version() const = 0;
  // Options that open another client to this same engine with nothing left
  // to the environment: the address, the API version in use, TLS on or off
  // and the certificate directory, this client's timeout. For a helper
  // process (drillmaster-reaper) that must reach the engine this client
  // reaches, whatever DOCKER_HOST says where it runs. The default (for
  // clients that are not a real connection): address and API version, no TLS.
  virtual ClientOptions connection_options() const;
  // describe_transport() of this client: how it reaches the engine.
  virtual const std::string& transport() const = 0;
  // How the engine was found (engine/discovery.h): "DOCKER_HOST",
  // "context 'colima' (DOCKER_CONTEXT)", "default socket"...; "" for
  // clients that are not a real connection.
  virtual const std::string& found_by() const;

  virtual void ping() = 0;
  virtual VersionInfo version() = 0;

  // Networks. `filters` are label filters: {"io.drillmaster.group", "x"} or
  // {"key", ""} for "has the label".
  virtual std::string network_create(const std::string& name, const Labels& labels) = 0;
  virtual NetworkSummary network_inspect(const std::string& id_or_name) = 0;
  virtual std::vector<NetworkSummary> network_list(const Labels& label_filters) = 0;
  virtual void network_remove(const std::string& id_or_name) = 0;

  // Containers.
  virtual std::string container_create(const ContainerSpec& spec) = 0;        // returns id
  virtual void container_start(const std::string& id) = 0;                    // 304 is fine
  virtual void container_stop(const std::string& id, int grace_seconds) = 0;  // 304 is fine
  virtual void container_kill(const std::string& id, const std::string& signal) = 0;
  // Blocks until the container is no longer running ("not-running") and returns
  // its exit code. Returns std::nullopt at once when `cancel` is cancelled first.
  virtual std::optional<int64_t> container_wait(const std::string& id,
                                                const CancelToken* cancel = nullptr) = 0;
  virtual void container_remove(const std::string& id, bool force, bool volumes) = 0;
  // Gives the container a new name; Error::Code::Conflict when another container has it.
  virtual void container_rename(const std::string& id, const std::string& name) = 0;
  virtual ContainerInfo container_inspect(const std::string& id) = 0;
  // Follows the engine's health reports of a container (its health_status
  // events, GET /events) from `since` (an RFC 3339 time as the engine
  // writes it, e.g. ContainerInfo::started_at; "" or any other text: from
  // now, which misses a report made before the engine takes the request): passes each reported
  // status
  // ("starting", "healthy", "unhealthy") to `fn` until it returns false, or
  // until `cancel` is cancelled. No deadline: the engine reports only when
  // a status changes. The engine ending the stream is Error::Code::Engine.
  virtual void container_health(const std::string& id, const std::string& since,
                                const std::function<bool(const std::string& status)>& fn,
                                const CancelToken* cancel) = 0;
  virtual std::vector<ContainerSummary> container_list(const Labels& label_filters, bool all) = 0;

  // Images. image_inspect returns nullopt for a missing image.
  virtual std::optional<ImageInfo> image_inspect(const std::string& name) = 0;
  // Pulls `reference` ("name", "name:tag", "registry:port/name:tag",
  // "name@sha256:..."; no tag means "latest"). Forwards each progress line;
  // an error inside the stream throws Error::Code::Engine. No overall deadline, but a
  // connection silent for 120 s fails; `cancel` stops it with Error::Code::Cancelled.
  virtual void image_pull(const std::string& reference, const LineFn& on_progress,
                          const CancelToken* cancel = nullptr) = 0;
  // Builds with the classic builder (forcerm, so a failed step leaves no
  // container behind) and returns the image id. An error line in the stream
  // throws Error::Code::Engine with the builder's message.
  virtual std::string image_build(const BuildOptions& options, const LineFn& on_output) = 0;
  virtual void image_remove(const std::string& name, bool force) = 0;
  // Gives image `source` (a name or an id) the name `repository`:`tag`
  // (POST /images/{source}/tag). Error::Code::NotFound when there is no
  // such image. A client that is no real connection throws Error::Code::Internal.
  virtual void image_tag(const std::string& source, const std::string& repository,
                         const std::string& tag);
  // Pushes `repository`:`tag` to the registry its name begins with (POST
  // /images/{repository}/push, with an empty X-Registry-Auth: no
  // credentials). Forwards each progress line; an error inside the stream
  // (the registry refused, or could not be reached) throws
  // Error::Code::Engine with the engine's words. No overall deadline, but a
  // connection silent for 120 s fails; `cancel` stops it with
  // Error::Code::Cancelled. A client that is no real connection throws
  // Error::Code::Internal.
  virtual void image_push(const std::string& repository, const std::string& tag,
                          const LineFn& on_progress, const CancelToken* cancel = nullptr);

  // Logs, demultiplexed from the 8-byte frame headers (raw when the container
  // has a TTY). With follow, returns when the container stops, `fn` returns
  // false, or `cancel` is cancelled.
  virtual void container_logs(const std::string& id, const LogOptions& options, const LogFn& fn,
                              const CancelToken* cancel = nullptr) = 0;
  // Convenience: the last `lines` lines of stdout and stderr, interleaved.
  virtual std::string logs_tail(const std::string& id, int lines) = 0;

  // Commands in a running container, and the hijacked connections of
  // engine/hijack.h. Error::Code::NotFound when the container (or exec
  // instance) does not exist, Error::Code::Conflict when it is not running
  // (exec_create) or it is paused. A client that is no real connection
  // throws Error::Code::Internal. exec_create returns the exec instance's id.
  virtual std::string exec_create(const std::string& container, const ExecSpec& spec);
  // Starts the exec instance, its stdin and output on the returned connection.
  virtual std::unique_ptr<HijackedConnection> exec_start(const std::string& exec_id, bool tty,
                                                         const CancelToken* cancel);
  virtual ExecState exec_inspect(const std::string& exec_id);
  virtual void exec_resize(const std::string& exec_id, int rows, int columns);
  // Attaches to a container's streams (before its start, to miss nothing);
  // `with_stdin`: the connection also carries its stdin.
  virtual std::unique_ptr<HijackedConnection> container_attach(const std::string& id,
                                                               bool with_stdin,
                                                               const CancelToken* cancel);
  virtual void container_resize(const std::string& id, int rows, int columns);

  // Extracts the tar `archive` into container `id` at directory `path`
  // (PUT /containers/{id}/archive), its files owned as the tar says (not
  // copyUIDGID: dockerd 20.10 looks the container's User up in its own
  // host's passwd and refuses "1000:1000"). Error::Code::NotFound when the
  // container or `path` does not exist. A client that is no real connection
  // throws Error::Code::Internal.
  virtual void container_put_archive(const std::string& id, const std::string& path,
                                     std::string archive);

  // Swarm (engine/services.cc). A client that is no real connection throws
  // Error::Code::Internal. Label filters as for networks.
  virtual SwarmInfo swarm_info();
  // An overlay network that standalone containers may join too (Attachable).
  virtual std::string overlay_network_create(const std::string& name, const Labels& labels);
  // POST /services/create with `spec` (a ServiceSpec); returns the id.
  virtual std::string service_create(const Json& spec);
  virtual ServiceInfo service_inspect(const std::string& id_or_name);
  virtual std::vector<ServiceInfo> service_list(const Labels& label_filters);
  // POST /services/{id}/update?version=N: `spec` replaces the service's.
  virtual void service_update(const std::string& id, uint64_t version, const Json& spec);
  virtual void service_remove(const std::string& id);
  // GET /tasks of the services `service_ids` (all tasks when empty).
  virtual std::vector<TaskInfo> task_list(const std::vector<std::string>& service_ids);
  // GET /nodes/{id}: Status.Addr, where its host-mode ports are published.
  virtual NodeInfo node_inspect(const std::string& node_id);
  // GET /services/{id}/logs: its tasks' last `lines` lines (all with a
  // negative count); `follow` as for containers.
  virtual void service_logs(const std::string& id, const LogOptions& options, const LogFn& fn,
                            const CancelToken* cancel = nullptr);
};

}  // namespace dm::engine

#endif
