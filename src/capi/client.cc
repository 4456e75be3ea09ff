// dm_client: the C face of dm::engine::Client.
#include <memory>
#include <string>

#include "capi/boundary.h"
#include "capi/handles.h"
#include "capi/options.h"
#include "common/excerpt.h"
#include "common/text.h"
#include "drillmaster/client.h"
#include "engine/published.h"
#include "model/ports.h"

using dm::capi::guard;

extern "C" {

int dm_client_open(dm_client** out, const dm_client_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    dm::engine::ClientOptions options;
    if (opts != nullptr) {
      dm::capi::check_version("dm_client_options", opts->version, DM_CLIENT_OPTIONS_VERSION);
      if (opts->host) options.host = opts->host;
      if (opts->api_version) options.api_version = opts->api_version;
      if (!dm::engine::valid_tls_verify(opts->tls_verify))
        throw dm::Error(dm::Error::Code::Invalid,
                        "dm_client_open: dm_client_options.tls_verify is " +
                            std::to_string(opts->tls_verify) + "; use " +
                            dm::engine::kTlsVerifyValues);
      options.tls_verify = opts->tls_verify;
      if (opts->cert_path) options.cert_path = opts->cert_path;
      if (opts->timeout > 0) options.timeout = opts->timeout;
      if (opts->version >= 2 && opts->context) options.context = opts->context;
    }
    auto client = std::make_unique<dm_client>();
    client->engine = dm::engine::Client::open(options);
    *out = client.release();
    return DM_OK;
  });
}

void dm_client_free(dm_client* client) { delete client; }

int dm_client_ping(dm_client* client) {
  return guard([&] {
    DM_REQUIRE(client, "client");
    client->engine->ping();
    return DM_OK;
  });
}

const char* dm_client_host(const dm_client* client) {
  return client ? client->engine->address().text.c_str() : "";
}

const char* dm_client_found_by(const dm_client* client) {
  return client ? client->engine->found_by().c_str() : "";
}

const char* dm_client_transport(const dm_client* client) {
  return client ? client->engine->transport().c_str() : "";
}

const char* dm_client_api_version(const dm_client* client) {
  return client ? client->engine->api_version().c_str() : "";
}

int dm_client_engine_version(dm_client* client, char** engine_version, char** api_version) {
  if (engine_version) *engine_version = nullptr;
  if (api_version) *api_version = nullptr;
  return guard([&] {
    DM_REQUIRE(client, "client");
    dm::engine::VersionInfo info = client->engine->version();
    char* engine = engine_version ? dm::capi::copy_for_caller(info.version) : nullptr;
    try {
      if (api_version) *api_version = dm::capi::copy_for_caller(info.api_version);
    } catch (...) {
      std::free(engine);
      throw;
    }
    if (engine_version) *engine_version = engine;
    return DM_OK;
  });
}

int dm_client_host_port(dm_client* client, const char* container, const char* container_port,
                        char** host, int* port) {
  if (host) *host = nullptr;
  if (port) *port = 0;
  return guard([&] {
    DM_REQUIRE(client, "client");
    DM_REQUIRE(container, "container");
    DM_REQUIRE(container_port, "container_port");
    if (*container == '\0')
      throw dm::capi::ArgumentError("container is empty; give a container's id or name");
    if (!dm::model::parse_container_port(container_port))
      throw dm::Error(dm::Error::Code::Invalid,
                      "container port " + dm::quoted(dm::excerpt(container_port)) +
                          " is not a port: use a number 1-65535, optionally followed by /tcp "
                          "or /udp (\"5432\", \"53/udp\")");
    dm::engine::HostAddress address = dm::engine::published_address(
        *client->engine, container, dm::model::canonical_port(container_port));
    if (host) *host = dm::capi::copy_for_caller(address.host);
    if (port) *port = address.port;
    return DM_OK;
  });
}

}  // extern "C"
