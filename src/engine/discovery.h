// Where the engine is: the places the docker command looks, in its order.
//
// The order follows the docker CLI (cli/command/cli.go, resolveContextName
// and the default context's endpoint):
//   1. an explicit context (ClientOptions::context, the CLI's --context);
//      giving both it and an explicit host is refused, as docker refuses
//      --host with --context;
//   2. an explicit host (ClientOptions::host, the CLI's --host);
//   3. DOCKER_HOST;
//   4. DOCKER_CONTEXT;
//   5. currentContext in $DOCKER_CONFIG/config.json (default ~/.docker);
//   6. the rootless socket $XDG_RUNTIME_DIR/docker.sock, the default socket
//      /var/run/docker.sock, then Podman's sockets
//      ($XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock): the
//      first of these that answers.
// The context named "default" means "no context": the search goes on from
// the next step. Steps 1-5 settle the endpoint: it is used whether it
// answers or not (as with docker), so a configured engine that is down is
// reported as down instead of quietly replaced by another one.
//
// discover() only reads files; it connects to nothing, so it is unit-tested
// with a made-up environment and a temporary DOCKER_CONFIG.
#ifndef DM_ENGINE_DISCOVERY_H
#define DM_ENGINE_DISCOVERY_H

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dm::engine {

struct DiscoveryInput {
  std::string host;     // explicit address; "" : none
  std::string context;  // explicit context name; "" : none
  // The environment: the value of a variable, "" when it is not set.
  std::function<std::string(const std::string& name)> env;
  // The sockets of step 6 that do not come from the environment.
  std::string default_socket = "/var/run/docker.sock";
  std::string system_podman_socket = "/run/podman/podman.sock";
};

// An address to try and how it was found.
struct Endpoint {
  std::string host;      // "unix:///run/user/1000/docker.sock", "tcp://h:2376"
  std::string found_by;  // "DOCKER_HOST", "context 'colima' (DOCKER_CONTEXT)", ...
  bool settled = false;  // steps 1-5: no other place is tried after it
  // A context's TLS material (its contexts/tls/<id>/docker directory);
  // unset for anything else, which follows DOCKER_TLS_VERIFY and
  // DOCKER_CERT_PATH.
  struct ContextTls {
    std::string dir;  // "" : the context has no TLS files
    bool skip_verify = false;
  };
  std::optional<ContextTls> context_tls;
};

// One place looked at, in order: either an endpoint to try or the reason
// it was passed over ("not set", "no such file").
struct Place {
  std::string name;  // "DOCKER_HOST", "rootless socket /run/user/1000/docker.sock"
  std::optional<Endpoint> endpoint;
  std::string passed_over;  // why, when there is no endpoint
};

// The places in order, up to and including the one that settles the
// endpoint (or every socket of step 6). Throws Error::Code::Invalid for a
// host and a context given together, or a config.json / meta.json that
// cannot be read; Error::Code::NotFound for a named context that does not
// exist (the message names it and the file looked for).
std::vector<Place> discover(const DiscoveryInput& input);

// The directory docker keeps its configuration in: $DOCKER_CONFIG, else
// $HOME/.docker.
std::string docker_config_dir(const std::function<std::string(const std::string&)>& env);

// The directory name docker gives a context: the SHA-256 of its name, in
// lower-case hex.
std::string context_id(const std::string& name);

}  // namespace dm::engine

#endif
