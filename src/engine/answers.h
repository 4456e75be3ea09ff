// The engine's JSON answers turned into the client's structs.
//
// One free function per kind of answer, apart from the socket, so each can be
// unit-tested and fuzzed on its own. `body` is the answer's text; `request`
// ("GET /containers/json", "POST /containers/abc/wait") names it in errors.
//
// Fields the library relies on are required: missing, null or of the wrong
// type, they are dm::Error(Code::Engine) naming the request and the field
// (engine/answer.h). Every other field is optional and read tolerantly,
// because the engine adds and drops fields between versions.
#ifndef DM_ENGINE_ANSWERS_H
#define DM_ENGINE_ANSWERS_H

#include <cstdint>
#include <string>
#include <vector>

#include "engine/client.h"

namespace dm::engine {

// GET /version. Required: Version, ApiVersion.
VersionInfo parse_version(const std::string& body, const std::string& request = "GET /version");

// GET /containers/json: a list. Required per entry: Id, Names (a list of
// strings, possibly empty), State.
std::vector<ContainerSummary> parse_container_list(
    const std::string& body, const std::string& request = "GET /containers/json");

// GET /containers/{id}/json. Required: Id, Name, State.Status,
// State.Running, State.ExitCode, Config (an object).
ContainerInfo parse_container_inspect(const std::string& body,
                                      const std::string& request = "GET /containers/{id}/json");

// A line of GET /events: the status a health_status event reports
// ("healthy" from the Action "health_status: healthy", or from
// Actor.Attributes.health_status when the Action is only "health_status", as
// Podman writes it); "" for any other event. Required: Action (a string).
std::string parse_health_event(const std::string& line, const std::string& request = "GET /events");

// A time as the engine writes it (RFC 3339: "2026-12-02T22:55:20.123456789Z",
// State.StartedAt) as GET /events takes it (`since`: "1796338520.123456789");
// "" when the text is not such a time.
std::string unix_timestamp(const std::string& rfc3339);

// POST /containers/{id}/wait: the exit code (StatusCode, required). An
// Error.Message the engine reports instead is Error::Code::Engine quoting it.
int64_t parse_container_wait(const std::string& body,
                             const std::string& request = "POST /containers/{id}/wait");

// GET /exec/{id}/json. Required: Running; ExitCode once it is not running.
ExecState parse_exec_inspect(const std::string& body,
                             const std::string& request = "GET /exec/{id}/json");

// POST /containers/create and /networks/create: the new object's Id.
std::string parse_created_id(const std::string& body, const std::string& request);

// GET /networks: a list. Required per entry: Id, Name.
std::vector<NetworkSummary> parse_network_list(const std::string& body,
                                               const std::string& request = "GET /networks");

// GET /networks/{id}. Required: Id, Name.
NetworkSummary parse_network_inspect(const std::string& body,
                                     const std::string& request = "GET /networks/{id}");

// GET /images/{name}/json. Required: Id.
ImageInfo parse_image_inspect(const std::string& body,
                              const std::string& request = "GET /images/{name}/json");

// The engine's own words in an error answer: {"message": "..."} when it is
// JSON, else the text itself; "" when there is nothing. Quoted short and on
// one line (common/excerpt.h); `total` as in excerpt().
std::string error_message(const std::string& body, size_t total = 0);

// Whether an error answer's body reports a conflict in Podman's words.
// Podman's Docker-compatible API answers some conflicts with 500 where
// Docker answers 409 (a network or container name in use, a network still
// used, a kill of a container that does not run) and names the reason in
// "cause", one of libpod's fixed error texts (libpod/define/errors.go,
// containers/storage's ErrDuplicateName); docs/podman.md lists them.
bool podman_conflict(const std::string& body);

}  // namespace dm::engine

#endif
