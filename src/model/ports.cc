#include "model/ports.h"

#include <arpa/inet.h>

#include <algorithm>
#include <map>

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

namespace {

// "8000" or "8000-8002", each 1-65535, the range not backwards.
bool parse_range(const std::string& text, int* first, int* last) {
  size_t dash = text.find('-');
  auto one = [](const std::string& number, int* out) {
    auto port = parse_container_port(number);
    if (!port || number.find('/') != std::string::npos) return false;
    *out = port->number;
    return true;
  };
  if (dash == std::string::npos) {
    if (!one(text, first)) return false;
    *last = *first;
    return true;
  }
  return one(text.substr(0, dash), first) && one(text.substr(dash + 1), last) && *first <= *last;
}

bool is_ip(const std::string& text) {
  unsigned char address[16];
  return inet_pton(AF_INET, text.c_str(), address) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address) == 1;
}

// "ip:" or "[ipv6]:" at the front of `rest` taken off into `ip`.
bool take_ip(std::string& rest, std::string* ip) {
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find("]:");
    if (close == std::string::npos) return false;
    *ip = rest.substr(1, close - 1);
    rest = rest.substr(close + 2);
    return is_ip(*ip);
  }
  size_t first = rest.find(':');
  if (first == std::string::npos || rest.find(':', first + 1) == std::string::npos) return true;
  *ip = rest.substr(0, first);
  rest = rest.substr(first + 1);
  return is_ip(*ip);
}

std::optional<PortParts> parse_port_text(const std::string& text) {
  PortParts parts;
  std::string rest = text;
  size_t slash = rest.rfind('/');
  parts.protocol = slash == std::string::npos ? "tcp" : rest.substr(slash + 1);
  if (parts.protocol != "tcp" && parts.protocol != "udp") return std::nullopt;
  rest = rest.substr(0, slash);
  if (!take_ip(rest, &parts.host_ip)) return std::nullopt;
  size_t colon = rest.find(':');
  std::string container = colon == std::string::npos ? rest : rest.substr(colon + 1);
  if (!parse_range(container, &parts.container_first, &parts.container_last)) return std::nullopt;
  std::string host = colon == std::string::npos ? "" : rest.substr(0, colon);
  if (host.empty()) return parts;  // a free port (or ports) the engine picks
  if (!parse_range(host, &parts.host_first, &parts.host_last)) return std::nullopt;
  bool one_container = parts.container_first == parts.container_last;
  if (!one_container &&
      parts.host_last - parts.host_first != parts.container_last - parts.container_first)
    return std::nullopt;
  return parts;
}

// "key=value,key=value" as a map: nullopt for a pair without "=", a key
// given twice or one the long form does not have.
std::optional<std::map<std::string, std::string>> long_port_pairs(const std::string& text) {
  static const char* const kKeys[] = {"target", "published", "protocol", "mode", "host_ip"};
  std::map<std::string, std::string> values;
  for (size_t start = 0; start <= text.size();) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string pair = text.substr(start, comma - start);
    start = comma + 1;
    size_t equals = pair.find('=');
    if (equals == std::string::npos) return std::nullopt;
    std::string key = pair.substr(0, equals);
    if (std::find(std::begin(kKeys), std::end(kKeys), key) == std::end(kKeys) ||
        !values.emplace(key, pair.substr(equals + 1)).second)
      return std::nullopt;
  }
  return values;
}

// The long form: "published=8080,target=80,protocol=udp,mode=host,host_ip=IP",
// keys in any order, each once, target required; read as the short form it
// says, plus its mode.
std::optional<PortParts> parse_long_port(const std::string& text) {
  auto values = long_port_pairs(text);
  if (!values || !values->count("target")) return std::nullopt;
  std::map<std::string, std::string>& v = *values;
  std::string compose = v["target"];
  bool on_ip = v.count("host_ip") != 0;
  // "ip::target" (a free port on that address) when only the address is said.
  if (v.count("published") || on_ip) compose = v["published"] + ":" + compose;
  if (on_ip)
    compose =
        (v["host_ip"].find(':') != std::string::npos ? "[" + v["host_ip"] + "]" : v["host_ip"]) +
        ":" + compose;
  if (v.count("protocol")) compose += "/" + v["protocol"];
  auto parts = parse_port_text(compose);
  if (!parts || !(v["mode"].empty() || v["mode"] == "host" || v["mode"] == "ingress"))
    return std::nullopt;
  parts->mode = v["mode"];
  return parts;
}

}  // namespace

std::optional<PortParts> port_parts(const PortSpec& port) {
  if (port.text.find('=') != std::string::npos) return parse_long_port(port.text);
  if (!port.text.empty()) return parse_port_text(port.text);
  auto container = parse_container_port(port.container_port);
  if (!container) return std::nullopt;
  PortParts parts;
  parts.container_first = parts.container_last = container->number;
  parts.protocol = container->protocol;
  parts.host_first = parts.host_last = port.host_port;
  return parts;
}

std::string port_text(const PortSpec& port) {
  return port.text.empty() ? port.container_port : port.text;
}

}  // namespace dm::model
