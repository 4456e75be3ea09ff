// Container port text ("80", "80/tcp", "53/udp") parsed.
#ifndef DM_MODEL_PORTS_H
#define DM_MODEL_PORTS_H

#include <optional>
#include <string>

#include "model/service.h"

namespace dm::model {

struct ContainerPort {
  int number = 0;        // 1-65535
  std::string protocol;  // "tcp" or "udp"
};

// `text` parsed: a number 1-65535 optionally followed by "/tcp" or "/udp";
// nullopt when it is anything else.
std::optional<ContainerPort> parse_container_port(const std::string& text);

// Can `port` be published on the host? 0 means "the engine picks a free one".
bool is_host_port(int port);

// The container port in canonical form: "80" -> "80/tcp", "53/udp" stays.
// Assumes a valid port (validate() first).
std::string canonical_port(const std::string& container_port);

// A published port in either form (PortSpec), read into its parts. A range
// publishes container_first..container_last on host_first..host_last; one
// container port may take a host range (the engine picks a free port in it).
struct PortParts {
  std::string host_ip;  // "" : every host address
  int host_first = 0;   // 0: a free port the engine picks
  int host_last = 0;    // == host_first, or the end of a host range
  int container_first = 0;
  int container_last = 0;
  std::string protocol;  // "tcp" or "udp"
  // How a swarm publishes it: "host" (on the node that runs the task),
  // "ingress" (the routing mesh: every node), or "" (unsaid: ingress on a
  // swarm). A container publishes on its engine's host whatever it says.
  std::string mode;
};

// The port's parts; nullopt when its text does not parse as
// [[ip:][host[-host]]:]container[-container][/tcp|/udp] (an IPv6 address in
// brackets), or as the engine CLI's long form, comma-separated key=value
// pairs: target=PORT[-PORT] (required), published=PORT[-PORT],
// protocol=tcp|udp, mode=host|ingress, host_ip=IP (`docker service create
// --publish published=8080,target=80,mode=host`); or when a number is out of
// range, a range runs backwards, or the host and container ranges differ in
// length. The dict form's host port range is
// not checked here (check_ports says so apart).
std::optional<PortParts> port_parts(const PortSpec& port);

// The port as the user wrote it, for messages: the Compose string, or the
// container port.
std::string port_text(const PortSpec& port);

}  // namespace dm::model

#endif
