// Image calls: inspect, remove, tag, pull, push and build. Pull, push and
// build answer 200 and then stream NDJSON, read by engine/streams.h.
#include "engine/answers.h"
#include "engine/build_context.h"
#include "engine/engine_client.h"
#include "engine/image_ref.h"
#include "engine/streams.h"

namespace dm::engine {
namespace {

// X-Registry-Auth for a push without credentials: base64url of "{}". The
// engine refuses a push without the header, even to a registry that needs
// no login.
constexpr const char* kNoRegistryAuth = "X-Registry-Auth: e30=";

}  // namespace

void Client::image_tag(const std::string&, const std::string&, const std::string&) {
  throw Error(Error::Code::Internal, "this engine client cannot tag images");
}

void Client::image_push(const std::string&, const std::string&, const LineFn&, const CancelToken*) {
  throw Error(Error::Code::Internal, "this engine client cannot push images");
}

void EngineClient::image_tag(const std::string& source, const std::string& repository,
                             const std::string& tag) {
  std::string what = "tag image '" + source + "' as '" + repository + ":" + tag + "'";
  guarded(what, [&] {
    send(request("POST",
                 versioned("/images/" + path_encode(source) +
                           "/tag?repo=" + url_encode(repository) + "&tag=" + url_encode(tag)),
                 what));
  });
}

void EngineClient::image_push(const std::string& repository, const std::string& tag,
                              const LineFn& on_progress, const CancelToken* cancel) {
  std::string reference = repository + ":" + tag;
  std::string what = "push image '" + reference + "'";
  guarded(what, [&] {
    Request r = request(
        "POST", versioned("/images/" + path_encode(repository) + "/push?tag=" + url_encode(tag)),
        what);
    r.headers.push_back(kNoRegistryAuth);
    r.timeout = 0;          // big images take as long as they take...
    r.stall_timeout = 120;  // ...but a connection silent this long is dead
    r.cancel = cancel;
    PullStream stream(reference, on_progress, "POST /images/" + repository + "/push", "push");
    r.on_data = [&](const char* data, size_t size) {
      stream.feed(data, size);
      return true;
    };
    Response answer = send(r);
    if (answer.cancelled)
      throw Error(Error::Code::Cancelled, "push of '" + reference + "' cancelled");
    stream.finish();
  });
}

std::optional<ImageInfo> EngineClient::image_inspect(const std::string& name) {
  std::string what = "inspect image '" + name + "'";
  return guarded(what, [&]() -> std::optional<ImageInfo> {
    Response answer =
        send(request("GET", versioned("/images/" + path_encode(name) + "/json"), what), {404});
    if (answer.status == 404) return std::nullopt;
    return parse_image_inspect(answer.body, "GET /images/" + name + "/json");
  });
}

void EngineClient::image_remove(const std::string& name, bool force) {
  std::string what = "remove image '" + name + "'";
  guarded(what, [&] {
    std::string path = versioned("/images/" + path_encode(name)) + "?force=" + (force ? "1" : "0");
    send(request("DELETE", path, what));
  });
}

void EngineClient::image_pull(const std::string& reference, const LineFn& on_progress,
                              const CancelToken* cancel) {
  std::string what = "pull image '" + reference + "'";
  guarded(what, [&] {
    ImageRef ref = split_image_reference(reference);
    Request r = request("POST",
                        versioned("/images/create?fromImage=" + url_encode(ref.name) +
                                  "&tag=" + url_encode(ref.tag)),
                        what);
    r.timeout = 0;          // big images take as long as they take...
    r.stall_timeout = 120;  // ...but a connection silent this long is dead
    r.cancel = cancel;
    PullStream stream(reference, on_progress);
    r.on_data = [&](const char* data, size_t size) {
      stream.feed(data, size);
      return true;
    };
    Response answer = send(r);
    if (answer.cancelled)
      throw Error(Error::Code::Cancelled, "pull of '" + reference + "' cancelled");
    stream.finish();
  });
}

std::string EngineClient::image_build(const BuildOptions& options, const LineFn& on_output) {
  std::string what = "build image '" + options.tag + "'";
  return guarded(what, [&] {
    // Checked before anything is sent: Error::Code::Invalid naming the path.
    std::string context = make_build_context(options.context_dir, options.dockerfile);
    std::string query = "?dockerfile=" + url_encode(options.dockerfile) +
                        "&forcerm=1&rm=1&version=1";  // version=1: the classic builder
    if (!options.tag.empty()) query += "&t=" + url_encode(options.tag);
    if (options.no_cache) query += "&nocache=1";
    if (!options.build_args.empty()) {
      Json args = Json::object();
      for (const auto& [k, v] : options.build_args) args.set(k.c_str(), v);
      query += "&buildargs=" + url_encode(args.dump());
    }
    if (!options.target.empty()) query += "&target=" + url_encode(options.target);
    if (!options.labels.empty()) {
      Json labels = Json::object();
      for (const auto& [k, v] : options.labels) labels.set(k.c_str(), v);
      query += "&labels=" + url_encode(labels.dump());
    }
    Request r = request("POST", versioned("/build" + query), what);
    r.timeout = 0;  // a RUN step may be silent for long; `cancel` can stop it
    r.cancel = options.cancel;
    r.body = std::move(context);
    r.content_type = "application/x-tar";
    BuildStream stream(options.tag, on_output);
    r.on_data = [&](const char* data, size_t size) {
      stream.feed(data, size);
      return true;
    };
    Response answer = send(r);
    if (answer.cancelled)
      throw Error(Error::Code::Cancelled, "build of '" + options.tag + "' cancelled");
    stream.finish();
    if (!stream.id().empty()) return stream.id();
    std::optional<ImageInfo> built;
    if (!options.tag.empty()) built = image_inspect(options.tag);
    if (!built)
      throw Error(Error::Code::Engine,
                  "build of '" + options.tag + "' ended without naming an image");
    return built->id;
  });
}

}  // namespace dm::engine
