#include "model/ports.h"

namespace dm::model {

std::optional<ContainerPort> parse_container_port(const std::string& text) {
  size_t slash = text.find('/');
  std::string number = text.substr(0, slash);
  ContainerPort port;
  port.protocol = slash == std::string::npos ? "tcp" : text.substr(slash + 1);
  if (port.protocol != "tcp" && port.protocol != "udp") return std::nullopt;
  if (number.empty() || number.size() > 5) return std::nullopt;
  for (char c : number) {
    if (c < '0' || c > '9') return std::nullopt;
    port.number = port.number * 10 + (c - '0');
  }
  if (port.number < 1 || port.number > 65535) return std::nullopt;
  return port;
}

bool is_host_port(int port) { return port >= 0 && port <= 65535; }

std::string canonical_port(const std::string& container_port) {
  auto port = parse_container_port(container_port);
  if (!port) return container_port;
  return std::to_string(port->number) + "/" + port->protocol;
}

}  // namespace dm::model
