// Client::open (options, environment, version negotiation), ping, version,
// and the request helpers every other call goes through.
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "common/excerpt.h"
#include "engine/answers.h"
#include "engine/discovery.h"
#include "engine/engine_client.h"

namespace dm::engine {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

bool valid_api_version(const std::string& text) {
  size_t dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text.size() || text.size() > 9)
    return false;
  for (size_t i = 0; i < text.size(); ++i)
    if (i != dot && (text[i] < '0' || text[i] > '9')) return false;
  return true;
}

// "1.41" -> 41; -1 when `text` is not of the form 1.NN.
int api_minor(const std::string& text) {
  if (!valid_api_version(text) || text.rfind("1.", 0) != 0) return -1;
  return std::stoi(text.substr(2));
}

TlsFiles tls_files(bool enabled, const std::string& cert_path) {
  TlsFiles tls;
  tls.enabled = enabled;
  if (!enabled) return tls;
  namespace fs = std::filesystem;
  tls.ca = (fs::path(cert_path) / "ca.pem").string();
  tls.cert = (fs::path(cert_path) / "cert.pem").string();
  tls.key = (fs::path(cert_path) / "key.pem").string();
  for (const std::string* file : {&tls.ca, &tls.cert, &tls.key}) {
    std::error_code ec;
    if (!fs::is_regular_file(*file, ec))
      throw Error(Error::Code::Invalid,
                  "TLS is on but '" + *file +
                      "' does not exist: set DOCKER_CERT_PATH to the directory "
                      "holding ca.pem, cert.pem and key.pem");
  }
  return tls;
}

}  // namespace

const char* const kTlsVerifyValues =
    "-1 (follow DOCKER_TLS_VERIFY), 0 (plain TCP, no TLS) or 1 (TLS, verifying the engine's "
    "certificate)";

bool valid_tls_verify(int value) { return value >= -1 && value <= 1; }

std::string describe_transport(const Address& address, bool tls, bool verify) {
  if (address.kind == Address::Kind::Unix) return "unix socket";
  if (!tls) return "tcp, plain (no TLS)";
  return verify ? "tcp, TLS with verification" : "tcp, TLS without verification";
}

Client::~Client() = default;

namespace {

// What the options and the environment say beyond the address, checked once
// before any engine is tried.
struct Settings {
  std::string api_version;
  bool tls = false;
  std::string cert_path;
  std::optional<TlsFiles> exact_tls;
  double timeout = 60;
};

Settings settings(const ClientOptions& options) {
  Settings s;
  s.api_version = !options.api_version.empty() ? options.api_version : env("DOCKER_API_VERSION");
  if (!s.api_version.empty() && !valid_api_version(s.api_version))
    throw Error(Error::Code::Invalid, "DOCKER_API_VERSION '" + s.api_version +
                                          "' is not an API version: use the form 1.41");
  if (!valid_tls_verify(options.tls_verify))
    throw Error(Error::Code::Invalid, "tls_verify " + std::to_string(options.tls_verify) +
                                          " is not a TLS setting: use " + kTlsVerifyValues);
  if (options.tls_verify >= 0) {
    s.tls = options.tls_verify == 1;
  } else {
    std::string verify = env("DOCKER_TLS_VERIFY");
    s.tls = !verify.empty() && verify != "0" && verify != "false";
  }
  s.cert_path = !options.cert_path.empty() ? options.cert_path : env("DOCKER_CERT_PATH");
  if (s.cert_path.empty()) s.cert_path = env("HOME") + "/.docker";
  s.exact_tls = options.tls;
  s.timeout = options.timeout;
  return s;
}

// A docker context's TLS: its files where it has them, TLS whenever it has
// any or asks to skip verification (as the docker command decides).
TlsFiles context_tls(const Endpoint::ContextTls& context) {
  TlsFiles tls;
  tls.verify = !context.skip_verify;
  std::error_code ec;
  for (auto [file, name] : {std::pair{&tls.ca, "ca.pem"}, std::pair{&tls.cert, "cert.pem"},
                            std::pair{&tls.key, "key.pem"}}) {
    std::filesystem::path path = std::filesystem::path(context.dir) / name;
    if (!context.dir.empty() && std::filesystem::is_regular_file(path, ec)) *file = path.string();
  }
  tls.enabled = context.skip_verify || !tls.ca.empty() || !tls.cert.empty();
  return tls;
}

std::unique_ptr<Client> connect(const Endpoint& endpoint, const Settings& s) {
  TlsFiles tls;
  std::string cert_path;
  Address address;
  if (endpoint.context_tls) {
    tls = context_tls(*endpoint.context_tls);
    address = parse_address(endpoint.host, tls.enabled);
    cert_path = endpoint.context_tls->dir;
  } else {
    address = parse_address(endpoint.host, s.exact_tls ? s.exact_tls->enabled : s.tls);
    if (address.kind == Address::Kind::Tcp)
      tls = s.exact_tls ? *s.exact_tls : tls_files(s.tls, s.cert_path);
    cert_path = s.cert_path;
  }
  if (address.kind == Address::Kind::Unix) tls = TlsFiles{};  // TLS is for TCP only
  auto client = std::make_unique<EngineClient>(address, tls, tls.enabled ? cert_path : "",
                                               s.timeout, endpoint.found_by);
  client->negotiate(s.api_version);
  return client;
}

// Why an endpoint that did not answer was passed over, in a few words.
std::string why_unreachable(const Endpoint& endpoint, const Error& error) {
  std::error_code ec;
  if (endpoint.host.rfind("unix://", 0) == 0 &&
      !std::filesystem::exists(endpoint.host.substr(7), ec))
    return "no such file";
  if (std::string(error.what()).rfind(kTlsFailed, 0) == 0) return "TLS failed";
  return "refused";
}

std::string looked_at(const std::vector<std::string>& tried) {
  std::string text = " Places looked at, in order: ";
  for (size_t i = 0; i < tried.size(); ++i) text += (i ? "; " : "") + tried[i];
  return text + ".";
}

}  // namespace

std::unique_ptr<Client> Client::open(const ClientOptions& options) {
  return guarded("open a Docker engine client", [&]() -> std::unique_ptr<Client> {
    Settings s = settings(options);
    DiscoveryInput input;
    input.host = options.host;
    input.context = options.context;
    input.env = [](const std::string& name) { return env(name.c_str()); };
    std::vector<std::string> tried;
    std::optional<Error> last;
    for (const Place& place : discover(input)) {
      if (!place.endpoint) {
        tried.push_back(place.name + ": " + place.passed_over);
        continue;
      }
      try {
        return connect(*place.endpoint, s);
      } catch (const Error& e) {
        if (e.code() != Error::Code::Unreachable) throw;
        tried.push_back(place.name + " (" + place.endpoint->host +
                        "): " + why_unreachable(*place.endpoint, e));
        last = e;
      }
    }
    if (last) throw Error(Error::Code::Unreachable, last->what() + looked_at(tried));
    throw Error(Error::Code::Unreachable,
                "cannot reach a Docker engine: no engine socket exists. Is dockerd running? "
                "Start it (`sudo dockerd &`, or scripts/engine in a drillmaster checkout), or "
                "set DOCKER_HOST or a docker context to a running engine's address." +
                    looked_at(tried));
  });
}

const std::string& Client::found_by() const {
  static const std::string kNone;
  return kNone;
}

ClientOptions Client::connection_options() const {
  ClientOptions options;
  options.host = address().text;
  options.api_version = api_version();
  options.tls_verify = 0;
  return options;
}

EngineClient::EngineClient(Address address, TlsFiles tls, std::string cert_path, double timeout,
                           std::string found_by)
    : transport_(address, tls),
      transport_description_(describe_transport(address, tls.enabled, tls.verify)),
      tls_(std::move(tls)), cert_path_(std::move(cert_path)), timeout_(timeout),
      found_by_(std::move(found_by)) {}

ClientOptions EngineClient::connection_options() const {
  ClientOptions options = Client::connection_options();
  options.tls_verify = tls_.enabled ? 1 : 0;
  options.cert_path = cert_path_;
  if (tls_.enabled) options.tls = tls_;
  options.timeout = timeout_;
  return options;
}

void EngineClient::negotiate(const std::string& forced) {
  Request ping = request("GET", "/_ping", "ping the engine");
  Response answer = send(ping);
  if (!forced.empty()) {
    api_version_ = forced;
    return;
  }
  std::string engine = answer.headers["api-version"];
  if (engine.empty()) {  // an old or unusual engine: ask /version instead
    Response version = send(request("GET", "/version", "read the engine's version"));
    engine = parse_version(version.body).api_version;
  }
  int minor = api_minor(engine);
  if (minor < 0)
    throw Error(Error::Code::Engine, "the engine at " + address().text + " reports API version '" +
                                         excerpt(engine) +
                                         "', which drillmaster does not understand");
  if (minor < kMinApiMinor)
    throw Error(Error::Code::Engine, "engine speaks API " + engine +
                                         ", drillmaster needs at least 1." +
                                         std::to_string(kMinApiMinor));
  api_version_ = minor > kMaxApiMinor ? "1." + std::to_string(kMaxApiMinor) : engine;
}

void EngineClient::ping() {
  guarded("ping the engine", [&] { send(request("GET", versioned("/_ping"), "ping the engine")); });
}

VersionInfo EngineClient::version() {
  return guarded("read the engine's version", [&] {
    Response answer = send(request("GET", versioned("/version"), "read the engine's version"));
    return parse_version(answer.body);
  });
}

// ---- helpers ----

Request EngineClient::request(const char* method, const std::string& path, std::string what) const {
  Request r;
  r.method = method;
  r.path = path;
  r.timeout = timeout_ > 0 ? timeout_ : 0;
  r.what = std::move(what);
  return r;
}

Response EngineClient::send(const Request& request, std::initializer_list<long> also_ok) {
  Response response = transport_.perform(request);
  if (response.cancelled || (response.status >= 200 && response.status < 300)) return response;
  for (long ok : also_ok)
    if (response.status == ok) return response;
  throw status_error(response, request.what);
}

Error status_error(const Response& response, const std::string& what) {
  std::string message = error_message(response.body, response.body_size);
  if (message.empty()) message = "no message";
  // Podman says 500 for some conflicts (answers.h, podman_conflict).
  bool conflict =
      response.status == 409 || (response.status == 500 && podman_conflict(response.body));
  Error::Code code = response.status == 404 ? Error::Code::NotFound
                     : conflict             ? Error::Code::Conflict
                                            : Error::Code::Engine;
  return Error(
      code, "engine refused to " + what + " (" + std::to_string(response.status) + "): " + message,
      response.status);
}

std::string label_filters_query(const Labels& label_filters) {
  if (label_filters.empty()) return "";
  Json labels = Json::array();
  for (const auto& [key, value] : label_filters)
    labels.push(value.empty() ? key : key + "=" + value);
  Json filters = Json::object();
  filters.set("label", std::move(labels));
  return "filters=" + url_encode(filters.dump());
}

}  // namespace dm::engine
