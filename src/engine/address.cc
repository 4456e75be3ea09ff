// parse_address: DOCKER_HOST text -> Address.
//
// Accepted: "unix:///abs/path", "tcp://host:port", "tcp://host" (2375, or
// 2376 with TLS, Docker's conventions) and a bare "host:port". IPv6 hosts go
// in brackets: "tcp://[::1]:2375". Anything else is refused up front with the
// reason, so a typo never turns into a confusing connection error later.
//
// tcp:// addresses are read by libcurl's URL parser, the one that later
// connects to them: host names, IPv6 brackets and ports mean to us what they
// mean to it. unix:// keeps its own rule, as a URL parser reads
// "unix:///var/run/docker.sock" as the host "var" and the path
// "/run/docker.sock".
#include <curl/curl.h>

#include <memory>
#include <string>

#include "common/error.h"
#include "common/excerpt.h"
#include "engine/client.h"

namespace dm::engine {

namespace {

constexpr const char* kForms = "use unix:///path/to/docker.sock or tcp://host:port";

[[noreturn]] void invalid(const std::string& text, const std::string& reason) {
  throw Error(Error::Code::Invalid, "DOCKER_HOST '" + excerpt(text) +
                                        "' is not a valid engine address: " + reason + "; " +
                                        kForms);
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using Url = std::unique_ptr<CURLU, UrlDeleter>;

// One part of a parsed URL; "" when the URL has none.
std::string part(CURLU* url, CURLUPart which) {
  char* value = nullptr;
  if (curl_url_get(url, which, &value, 0) != CURLUE_OK || value == nullptr) return "";
  std::string text = value;
  curl_free(value);
  return text;
}

// libcurl's refusal of a URL, in our words.
std::string refusal(CURLUcode code) {
  switch (code) {
    case CURLUE_NO_HOST:
      return "it names no host";
    case CURLUE_BAD_PORT_NUMBER:
      return "the port must be a number from 1 to 65535";
    case CURLUE_BAD_HOSTNAME:
      return "the host name holds characters no host name has";
    case CURLUE_BAD_IPV6:
      return "the IPv6 address in brackets is malformed";
    default:
      return std::string("libcurl cannot read it (") + curl_url_strerror(code) + ")";
  }
}

// What libcurl accepts in a URL but an engine address must not have.
void refuse_extras(const std::string& text, CURLU* url) {
  if (!part(url, CURLUPART_USER).empty() || !part(url, CURLUPART_PASSWORD).empty())
    invalid(text, "it holds a user name or password, which an engine address cannot carry");
  if (!part(url, CURLUPART_ZONEID).empty())
    invalid(text,
            "IPv6 zone ids ('%25" + excerpt(part(url, CURLUPART_ZONEID)) + "') are not supported");
  std::string path = part(url, CURLUPART_PATH);
  if (!path.empty() && path != "/")  // "tcp://h:1/" is common
    invalid(text, "it has a path ('" + excerpt(path) + "'): an engine address ends after the port");
  if (!part(url, CURLUPART_QUERY).empty() || !part(url, CURLUPART_FRAGMENT).empty())
    invalid(text, "it has a query or fragment ('?' or '#'): an engine address ends after the port");
}

// "tcp://" followed by what `text` gives as host and port.
Address parse_tcp(const std::string& text, const std::string& url_text, int default_port) {
  // What libcurl reads kindly but a person most likely mistyped: "tcp:///x"
  // (libcurl reads the host "x") and an empty port ("tcp://h:").
  std::string authority = url_text.substr(6, url_text.find_first_of("/?#", 6) - 6);
  if (authority.empty()) invalid(text, "it names no host");
  if (authority.back() == ':') invalid(text, "the port after ':' is empty");

  Url url(curl_url());
  if (!url) throw Error(Error::Code::NoMemory, "cannot create a libcurl URL handle");
  CURLUcode code =
      curl_url_set(url.get(), CURLUPART_URL, url_text.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (code != CURLUE_OK) invalid(text, refusal(code));
  refuse_extras(text, url.get());

  std::string host = part(url.get(), CURLUPART_HOST);
  bool v6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
  if (v6) host = host.substr(1, host.size() - 2);
  if (host.empty()) invalid(text, "it names no host");
  std::string port_text = part(url.get(), CURLUPART_PORT);
  if (port_text.empty() && default_port == 0)
    invalid(text, "an address without tcp:// needs a port (host:port)");
  int port = port_text.empty() ? default_port : std::stoi(port_text);  // libcurl checked digits
  if (port < 1 || port > 65535) invalid(text, "the port must be a number from 1 to 65535");

  Address address;
  address.kind = Address::Kind::Tcp;
  address.host = host;
  address.port = port;
  address.text = "tcp://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
  return address;
}

Address parse_unix(const std::string& text) {
  std::string path = text.substr(7);
  if (path.size() < 2 || path[0] != '/')
    invalid(text, "unix:// must be followed by the socket's absolute path");
  Address address;
  address.kind = Address::Kind::Unix;
  address.socket_path = path;
  address.text = "unix://" + path;
  return address;
}

}  // namespace

Address parse_address(const std::string& text, bool tls) {
  if (starts_with(text, "unix://")) return parse_unix(text);
  if (starts_with(text, "tcp://")) return parse_tcp(text, text, tls ? 2376 : 2375);
  size_t scheme_end = text.find("://");
  if (scheme_end != std::string::npos)
    invalid(text, "drillmaster speaks unix:// and tcp://, not '" +
                      excerpt(text.substr(0, scheme_end)) + "://'");
  if (text.empty()) invalid(text, "it is empty");
  // A bare "host:port": no scheme at all, and the port is required.
  return parse_tcp(text, "tcp://" + text, 0);
}

}  // namespace dm::engine
