// discover(): the docker command's search for the engine, as data.
#include "engine/discovery.h"

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/json.h"

namespace dm::engine {

namespace fs = std::filesystem;

namespace {

using Env = std::function<std::string(const std::string&)>;

constexpr const char* kNotSet = "not set";
constexpr const char* kDefaultContext = "default";

Place passed(std::string name, std::string why) {
  Place place;
  place.name = std::move(name);
  place.passed_over = std::move(why);
  return place;
}

Place settled(std::string name, std::string host, std::string found_by) {
  Place place;
  place.name = std::move(name);
  Endpoint endpoint;
  endpoint.host = std::move(host);
  endpoint.found_by = std::move(found_by);
  endpoint.settled = true;
  place.endpoint = std::move(endpoint);
  return place;
}

// The file's text; nullopt when it does not exist.
std::optional<std::string> read_text(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(Error::Code::Invalid, "cannot read '" + path.string() + "': check its permissions");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Json parse_file(const fs::path& path, const std::string& text) {
  try {
    return Json::parse(text);
  } catch (const Error&) {
    throw Error(Error::Code::Invalid, "'" + path.string() +
                                          "' is not JSON: fix it or remove it (docker "
                                          "writes it; `docker context ls` reads it too)");
  }
}

// A named context's endpoint, from contexts/meta/<id>/meta.json.
Place context_place(const std::string& name, const std::string& source, const fs::path& config) {
  std::string id = context_id(name);
  fs::path meta = config / "contexts" / "meta" / id / "meta.json";
  std::string label = "context '" + name + "' (" + source + ")";
  std::optional<std::string> text = read_text(meta);
  if (!text)
    throw Error(Error::Code::NotFound, "docker context '" + name + "' (named by " + source +
                                           ") does not exist: there is no '" + meta.string() +
                                           "'; `docker context ls` lists the contexts, or unset " +
                                           "it to use the default engine");
  Json json = parse_file(meta, *text);
  JsonView docker = json.view()["Endpoints"]["docker"];
  std::string host = docker["Host"].str();
  if (host.empty())
    throw Error(Error::Code::Invalid, label + ": '" + meta.string() +
                                          "' has no Endpoints.docker.Host: the context names "
                                          "no Docker engine");
  Place place = settled(label, host, label);
  Endpoint::ContextTls tls;
  tls.skip_verify = docker["SkipTLSVerify"].boolean(false);
  fs::path tls_dir = config / "contexts" / "tls" / id / "docker";
  std::error_code ec;
  if (fs::is_directory(tls_dir, ec)) tls.dir = tls_dir.string();
  place.endpoint->context_tls = tls;
  return place;
}

// Steps 4 and 5: DOCKER_CONTEXT, then currentContext in config.json. Appends
// the places passed over; returns the context's place when one is named.
std::optional<Place> configured_context(const Env& env, std::vector<Place>& places) {
  fs::path config = docker_config_dir(env);
  std::string name = env("DOCKER_CONTEXT");
  if (!name.empty() && name != kDefaultContext)
    return context_place(name, "DOCKER_CONTEXT", config);
  places.push_back(passed("DOCKER_CONTEXT", name.empty() ? kNotSet : "'default': no context"));

  fs::path file = config / "config.json";
  std::string where = "currentContext in " + file.string();
  std::optional<std::string> text = read_text(file);
  if (!text) {
    places.push_back(passed(where, "no such file"));
    return std::nullopt;
  }
  name = parse_file(file, *text).view()["currentContext"].str();
  if (!name.empty() && name != kDefaultContext) return context_place(name, file.string(), config);
  places.push_back(passed(where, name.empty() ? kNotSet : "'default': no context"));
  return std::nullopt;
}

// Step 6: a socket is tried when its file exists.
void add_socket(std::vector<Place>& places, const std::string& what, const std::string& path) {
  std::string name = what + " " + path;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    places.push_back(passed(name, "no such file"));
    return;
  }
  Place place;
  place.name = name;
  place.endpoint = Endpoint{"unix://" + path, what, false, std::nullopt};
  places.push_back(std::move(place));
}

void add_sockets(const DiscoveryInput& input, std::vector<Place>& places) {
  std::string runtime = input.env("XDG_RUNTIME_DIR");
  if (runtime.empty())
    places.push_back(passed("rootless socket $XDG_RUNTIME_DIR/docker.sock",
                            "XDG_RUNTIME_DIR " + std::string(kNotSet)));
  else
    add_socket(places, "rootless socket", (fs::path(runtime) / "docker.sock").string());
  add_socket(places, "default socket", input.default_socket);
  if (runtime.empty())
    places.push_back(passed("podman socket $XDG_RUNTIME_DIR/podman/podman.sock",
                            "XDG_RUNTIME_DIR " + std::string(kNotSet)));
  else
    add_socket(places, "podman socket", (fs::path(runtime) / "podman" / "podman.sock").string());
  add_socket(places, "podman socket", input.system_podman_socket);
}

}  // namespace

std::string docker_config_dir(const Env& env) {
  std::string dir = env("DOCKER_CONFIG");
  if (!dir.empty()) return dir;
  return (fs::path(env("HOME")) / ".docker").string();
}

std::string context_id(const std::string& name) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(name.data(), name.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw Error(Error::Code::Internal, "OpenSSL could not compute a SHA-256 digest");
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::vector<Place> discover(const DiscoveryInput& input) {
  std::vector<Place> places;
  bool explicit_context = !input.context.empty() && input.context != kDefaultContext;
  if (explicit_context && !input.host.empty())
    throw Error(Error::Code::Invalid, "both a host ('" + input.host + "') and a context ('" +
                                          input.context +
                                          "') were given: give one of them, as the docker "
                                          "command accepts --host or --context, not both");
  if (explicit_context) {
    places.push_back(context_place(input.context, "context option", docker_config_dir(input.env)));
    return places;
  }
  if (!input.host.empty()) {
    places.push_back(settled("host option", input.host, "host option"));
    return places;
  }
  places.push_back(passed("host option", kNotSet));
  std::string docker_host = input.env("DOCKER_HOST");
  if (!docker_host.empty()) {
    places.push_back(settled("DOCKER_HOST", docker_host, "DOCKER_HOST"));
    return places;
  }
  places.push_back(passed("DOCKER_HOST", kNotSet));
  if (input.context == kDefaultContext) {  // as docker's --context default
    places.push_back(passed("DOCKER_CONTEXT and currentContext", "context option 'default'"));
  } else if (std::optional<Place> context = configured_context(input.env, places)) {
    places.push_back(std::move(*context));
    return places;
  }
  add_sockets(input, places);
  return places;
}

}  // namespace dm::engine
