// parse_address: DOCKER_HOST text -> Address.
//
// Accepted: "unix:///abs/path", "tcp://host:port", "tcp://host" (2375, or
// 2376 with TLS, Docker's conventions) and a bare "host:port". IPv6 hosts go
// in brackets: "tcp://[::1]:2375". Anything else is refused up front, so a
// typo never turns into a confusing connection error later.
#include <cctype>
#include <string>

#include "common/error.h"
#include "engine/client.h"

namespace dm::engine {

namespace {

[[noreturn]] void invalid(const std::string& text) {
  throw Error(Error::Code::Invalid, "DOCKER_HOST '" + text +
                                        "' is not a valid engine address: use "
                                        "unix:///path/to/docker.sock or tcp://host:port");
}

bool starts_with(const std::string& s, const char* prefix) {
  return s.rfind(prefix, 0) == 0;
}

// A port is 1-65535 written in decimal digits only.
bool parse_port(const std::string& s, int* port) {
  if (s.empty() || s.size() > 5) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  int value = std::stoi(s);
  if (value < 1 || value > 65535) return false;
  *port = value;
  return true;
}

bool valid_host(const std::string& host) {
  if (host.empty()) return false;
  for (char c : host) {
    unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '.' || c == '-' || c == '_' || c == ':')) return false;
  }
  return true;
}

// "host", "host:port", "[v6]" or "[v6]:port"; port_required for the bare form.
bool parse_host_port(const std::string& rest, int default_port, Address* out) {
  std::string host, port_text;
  if (starts_with(rest, "[")) {
    size_t close = rest.find(']');
    if (close == std::string::npos) return false;
    host = rest.substr(1, close - 1);
    std::string tail = rest.substr(close + 1);
    if (!tail.empty()) {
      if (tail[0] != ':') return false;
      port_text = tail.substr(1);
      if (port_text.empty()) return false;
    }
  } else {
    size_t colon = rest.find(':');
    host = rest.substr(0, colon);
    if (colon != std::string::npos) {
      port_text = rest.substr(colon + 1);
      if (port_text.empty()) return false;
    }
    if (host.find(':') != std::string::npos) return false;
  }
  if (!valid_host(host)) return false;
  int port = default_port;
  if (!port_text.empty() && !parse_port(port_text, &port)) return false;
  if (port == 0) return false;
  out->kind = Address::Kind::Tcp;
  out->host = host;
  out->port = port;
  bool v6 = host.find(':') != std::string::npos;
  out->text = "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  return true;
}

}  // namespace

Address parse_address(const std::string& text, bool tls) {
  Address address;
  if (starts_with(text, "unix://")) {
    std::string path = text.substr(7);
    if (path.size() < 2 || path[0] != '/') invalid(text);
    address.kind = Address::Kind::Unix;
    address.socket_path = path;
    address.text = "unix://" + path;
    return address;
  }
  if (starts_with(text, "tcp://")) {
    std::string rest = text.substr(6);
    if (!rest.empty() && rest.back() == '/') rest.pop_back();  // "tcp://h:1/" is common
    if (!parse_host_port(rest, tls ? 2376 : 2375, &address)) invalid(text);
    return address;
  }
  // A bare "host:port": no scheme at all, and the port is required.
  if (text.find("://") != std::string::npos) invalid(text);
  if (!parse_host_port(text, 0, &address)) invalid(text);
  return address;
}

}  // namespace dm::engine
