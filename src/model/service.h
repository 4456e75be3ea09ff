// Service and group definitions as the user gave them: plain values, no
// engine. fields.h says what each field means; validate.h checks them;
// graph.h orders them; request.h turns a validated definition into what its
// container is created with.
#ifndef DM_MODEL_SERVICE_H
#define DM_MODEL_SERVICE_H

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/hooks.h"

namespace dm::model {

// A published port as given: container port text ("80", "80/tcp", "53/udp")
// and the host port.
struct PortSpec {
  PortSpec() = default;
  PortSpec(std::string container, int host)
      : container_port(std::move(container)), host_port(host) {}
  // A port given as a Compose string.
  static PortSpec compose(std::string text) {
    PortSpec port;
    port.text = std::move(text);
    return port;
  }

  std::string container_port;
  int host_port = 0;
  // Since 0.2: a Compose port string instead ("127.0.0.1:5433:5432",
  // "53:53/udp", "8000-8002:8000-8002", "5432"); the two above are unused
  // then. ports.h reads both forms.
  std::string text;
};

// A volume as given: either the short form in `spec` ("host:container[:mode]")
// or the parts (spec empty).
struct VolumeSpec {
  std::string spec;
  std::string host;
  std::string container;
  std::string mode;  // "", "ro" or "rw"
};

// A volume after parsing: `source` is an absolute host path (relative ones
// resolved against the group directory) or a Docker volume name.
struct Volume {
  std::string source;
  std::string target;
  bool read_only = false;
};

// A health check as given (Compose's healthcheck): the engine runs `test` in
// the container every `interval`; after `retries` failures in a row it
// reports the container unhealthy. Zero (or an empty test) leaves that part
// to the image's HEALTHCHECK, then to the engine's default (30 s, 30 s, 3,
// 0 s). test {"NONE"} turns off the image's check.
struct Healthcheck {
  std::vector<std::string> test;  // {"CMD", ...}, {"CMD-SHELL", "..."} or {"NONE"}
  double interval = 0;            // seconds
  double timeout = 0;             // seconds
  int retries = 0;
  double start_period = 0;  // seconds
};

// A ulimit as Compose's ulimits give it; -1 is unlimited.
struct Ulimit {
  std::string name;  // "nofile", "nproc", ...
  int64_t soft = 0;
  int64_t hard = 0;
};

// What a watch rule does to its service when a file under its path changes;
// the number is the rule's weight (include/drillmaster/watch.h's
// DM_WATCH_*): a batch does the heaviest rule it triggered.
enum class WatchAction { Sync = 1, SyncRestart = 2, Rebuild = 3 };

// A watch rule as given (Compose's develop.watch): `path` relative to the
// group directory unless absolute; `target` the absolute container path of
// a sync rule; `ignore` .dockerignore patterns relative to `path`. The
// action is kept as given (an int) so that validation can name a bad one.
struct WatchRule {
  std::string path;
  int action = static_cast<int>(WatchAction::Sync);
  std::string target;  // "" for a rebuild rule
  std::vector<std::string> ignore;
};

struct ServiceDef {
  std::string name;
  std::string image;
  std::vector<std::string> dependencies;
  std::vector<PortSpec> ports;
  std::vector<std::pair<std::string, std::string>> env;  // in order, names unique
  std::vector<VolumeSpec> volumes;
  bool always_start_new = false;
  std::string stop_signal = "SIGTERM";
  std::string build_context;  // "" : no build
  std::string dockerfile;     // "" : "Dockerfile"
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::string user;
  bool tty = false;                        // a terminal for the container; no setter yet
  std::optional<Healthcheck> healthcheck;  // unset: the image's
  std::string restart;                     // "" or "no": never restarted by the engine
  std::vector<std::string> tmpfs;          // "/path" or "/path:options"
  bool read_only = false;
  bool init = false;
  bool privileged = false;
  std::vector<std::string> cap_add;  // "NET_ADMIN", "CAP_NET_ADMIN" or "ALL"
  std::vector<std::string> cap_drop;
  std::string shm_size;         // "": the engine's; else as parse_bytes() takes it
  std::string mem_limit;        // "": no limit; else as parse_bytes() takes it
  std::optional<double> cpus;   // unset: no limit
  std::vector<Ulimit> ulimits;  // in order, names unique
  std::vector<std::pair<std::string, std::string>> extra_hosts;  // host -> IP or "host-gateway"
  std::optional<double> stop_grace_period;                       // seconds; unset: the operation's
  // A job: its container runs to completion, and the service is ready when
  // it exits with 0 (orchestrator/reuse.h says when it runs again).
  bool oneshot = false;
  // Started only when one of them is enabled, or when named (start_selection.h).
  std::vector<std::string> profiles;
  double timeout = 0;                // <= 0: the operation's timeout
  std::string hostname;              // "" : the engine's (the container id)
  std::string working_dir;           // "" : the image's
  std::vector<std::string> aliases;  // DNS names on the group network besides the name
  std::vector<std::pair<std::string, std::string>> labels;      // user labels, in order
  std::vector<std::pair<std::string, std::string>> build_args;  // the build's ARG values
  std::string build_target;                                     // "" : the Dockerfile's last stage
  // Env files, relative to the group directory: read when an operation
  // starts (orchestrator/service_files.h), their values put under `env`'s.
  std::vector<std::string> env_files;
  std::vector<std::pair<std::string, std::string>> secrets;  // name -> file, mounted read-only
  std::string create_options;  // a JSON object merged into the create request; "" : none
  // Copies of the service run at once (Compose's deploy.replicas): each a
  // task of the swarm service on a swarm target; the local target runs one
  // container per service and refuses more (local_target.h).
  int replicas = 1;
  // What a changed file does to the running service (model/watch.h reads
  // them: watch_rules() adds the implicit rebuild of a build context). Not
  // part of the container's definition.
  std::vector<WatchRule> watch;
  Hooks hooks;
};

struct GroupDef {
  std::string name;
  std::string network;    // "drillmaster-<name>" unless set
  std::string directory;  // absolute; relative paths resolve against it
  std::vector<ServiceDef> services;
};

}  // namespace dm::model

#endif
