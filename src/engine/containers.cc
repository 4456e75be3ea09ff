// Container calls: create, start, stop, kill, wait, remove, rename, inspect, list.
#include <cmath>
#include <limits>

#include "common/text.h"
#include "engine/answers.h"
#include "engine/engine_client.h"
#include "engine/streams.h"

namespace dm::engine {

int whole_grace_seconds(double seconds) {
  if (!(seconds > 0)) return 0;  // also NaN
  double whole = std::ceil(seconds);
  constexpr int kMost = std::numeric_limits<int>::max();
  return whole >= static_cast<double>(kMost) ? kMost : static_cast<int>(whole);
}

std::string EngineClient::container_create(const ContainerSpec& spec) {
  std::string what = "create container " + quoted(spec.name);
  return guarded(what, [&] {
    std::string path = versioned("/containers/create");
    if (!spec.name.empty()) path += "?name=" + url_encode(spec.name);
    Request r = request("POST", path, what);
    Json body = spec.body;
    if (!spec.labels.empty()) body.set("Labels", spec.labels);
    r.body = body.dump();
    r.content_type = "application/json";
    return parse_created_id(send(r).body, "POST /containers/create");
  });
}

void EngineClient::container_start(const std::string& id) {
  std::string what = "start container " + quoted(id);
  guarded(what, [&] {
    send(request("POST", versioned("/containers/" + path_encode(id) + "/start"), what), {304});
  });
}

void EngineClient::container_stop(const std::string& id, int grace_seconds) {
  std::string what = "stop container " + quoted(id);
  guarded(what, [&] {
    Request r = request("POST",
                        versioned("/containers/" + path_encode(id) + "/stop?t=" +
                                  std::to_string(grace_seconds < 0 ? 0 : grace_seconds)),
                        what);
    // The engine answers only after the grace period and the kill.
    if (r.timeout > 0) r.timeout += grace_seconds > 0 ? grace_seconds : 0;
    send(r, {304});
  });
}

void EngineClient::container_kill(const std::string& id, const std::string& signal) {
  std::string what = "kill container " + quoted(id);
  guarded(what, [&] {
    std::string path = versioned("/containers/" + path_encode(id) + "/kill");
    if (!signal.empty()) path += "?signal=" + url_encode(signal);
    send(request("POST", path, what));
  });
}

std::optional<int64_t> EngineClient::container_wait(const std::string& id,
                                                    const CancelToken* cancel) {
  std::string what = "wait for container " + quoted(id);
  return guarded(what, [&]() -> std::optional<int64_t> {
    Request r = request(
        "POST", versioned("/containers/" + path_encode(id) + "/wait?condition=not-running"), what);
    r.timeout = 0;  // ends when the container does
    r.cancel = cancel;
    Response answer = send(r);
    if (answer.cancelled) return std::nullopt;
    // Never "exited with 0" unless the engine said so: StatusCode is required.
    return parse_container_wait(answer.body, "POST /containers/" + id + "/wait");
  });
}

void EngineClient::container_remove(const std::string& id, bool force, bool volumes) {
  std::string what = "remove container " + quoted(id);
  guarded(what, [&] {
    std::string path = versioned("/containers/" + path_encode(id)) +
                       "?force=" + (force ? "1" : "0") + "&v=" + (volumes ? "1" : "0");
    send(request("DELETE", path, what));
  });
}

void EngineClient::container_rename(const std::string& id, const std::string& name) {
  std::string what = "rename container " + quoted(id) + " to " + quoted(name);
  guarded(what, [&] {
    send(request("POST",
                 versioned("/containers/" + path_encode(id) + "/rename?name=" + url_encode(name)),
                 what));
  });
}

ContainerInfo EngineClient::container_inspect(const std::string& id) {
  std::string what = "inspect container " + quoted(id);
  return guarded(what, [&] {
    std::string path = versioned("/containers/" + path_encode(id) + "/json");
    return parse_container_inspect(send(request("GET", path, what)).body,
                                   "GET /containers/" + id + "/json");
  });
}

void EngineClient::container_health(const std::string& id, const std::string& since,
                                    const std::function<bool(const std::string& status)>& fn,
                                    const CancelToken* cancel) {
  std::string what = "follow the health reports of container " + quoted(id);
  guarded(what, [&] {
    Json filters = Json::object();
    filters.set("type", std::vector<std::string>{"container"});
    filters.set("container", std::vector<std::string>{id});
    // The engine matches "health_status" with any status after it.
    filters.set("event", std::vector<std::string>{"health_status"});
    std::string path = versioned("/events?filters=" + url_encode(filters.dump()));
    std::string from = unix_timestamp(since);
    if (!from.empty()) path += "&since=" + from;
    Request r = request("GET", path, what);
    r.timeout = 0;  // reports come only when the status changes
    r.cancel = cancel;
    LineSplitter lines;
    bool more = true;
    r.on_data = [&](const char* data, size_t size) {
      if (lines.pending() + size > kMaxStreamLine)
        throw Error(Error::Code::Engine, "engine sent an event line longer than " +
                                             std::to_string(kMaxStreamLine) +
                                             " bytes to GET /events");
      lines.feed(data, size, [&](const std::string& line) {
        std::string status = parse_health_event(line);
        if (more && !status.empty()) more = fn(status);
      });
      return more;
    };
    Response answer = send(r);
    if (answer.cancelled || answer.stopped) return;
    throw Error(Error::Code::Engine,
                "the engine ended its events stream while drillmaster "
                "waited for the health of container " +
                    quoted(id));
  });
}

std::vector<ContainerSummary> EngineClient::container_list(const Labels& label_filters, bool all) {
  std::string what = "list containers";
  return guarded(what, [&] {
    std::string path = versioned("/containers/json?all=") + (all ? "1" : "0");
    std::string filters = label_filters_query(label_filters);
    if (!filters.empty()) path += "&" + filters;
    return parse_container_list(send(request("GET", path, what)).body);
  });
}

void Client::container_put_archive(const std::string&, const std::string&, std::string) {
  throw Error(Error::Code::Internal, "this engine client cannot copy files into containers");
}

void EngineClient::container_put_archive(const std::string& id, const std::string& path,
                                         std::string archive) {
  std::string what = "copy files into container " + quoted(id) + " at " + quoted(path);
  guarded(what, [&] {
    std::string query = "?path=" + url_encode(path);
    Request r =
        request("PUT", versioned("/containers/" + path_encode(id) + "/archive" + query), what);
    r.body = std::move(archive);
    r.content_type = "application/x-tar";
    send(r);
  });
}

}  // namespace dm::engine
