// Container port text ("80", "80/tcp", "53/udp") parsed.
#ifndef DM_MODEL_PORTS_H
#define DM_MODEL_PORTS_H

#include <optional>
#include <string>

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

}  // namespace dm::model

#endif
