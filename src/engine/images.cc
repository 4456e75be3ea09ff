// Image calls: inspect, remove, pull and build. Pull and build answer 200 and
// then stream NDJSON; a failure arrives as an "error"/"errorDetail" line
// inside that stream, never as a status, so every line is checked.
#include "engine/build_context.h"
#include "engine/engine_client.h"
#include "engine/image_ref.h"
#include "engine/log_frames.h"

namespace dm::engine {

namespace {

// A stream line's error message, or "" when the line reports no error.
std::string stream_error(JsonView line) {
  std::string message = line["errorDetail"]["message"].str();
  if (message.empty()) message = line["error"].str();
  if (message.empty() && (line["error"].valid() || line["errorDetail"].valid()))
    message = "unknown error";
  return message;
}

// Turns the builder's NDJSON into output lines and finds the image id.
class BuildStream {
 public:
  BuildStream(std::string tag, const LineFn& on_output) : tag_(std::move(tag)), out_(on_output) {}

  void line(const std::string& text) {
    Json json = parse_line(text);
    JsonView v = json.view();
    std::string error = stream_error(v);
    if (!error.empty()) {
      flush();
      throw Error(DM_EENGINE, "build of '" + tag_ + "' failed: " + error);
    }
    std::string aux_id = v["aux"]["ID"].str();
    if (!aux_id.empty()) id_ = aux_id;
    // "stream" carries console text in arbitrary pieces; emit whole lines.
    pending_ += v["stream"].str();
    for (size_t nl; (nl = pending_.find('\n')) != std::string::npos;) {
      emit(pending_.substr(0, nl));
      pending_.erase(0, nl + 1);
    }
  }

  void flush() {
    if (!pending_.empty()) emit(pending_);
    pending_.clear();
  }

  const std::string& id() const { return id_; }

 private:
  static Json parse_line(const std::string& text) {
    try {
      return Json::parse(text);
    } catch (const Error&) {
      Json wrapped = Json::object();  // not JSON: show it as output
      wrapped.set("stream", text + "\n");
      return wrapped;
    }
  }

  void emit(const std::string& line) {
    static const std::string kBuilt = "Successfully built ";
    if (line.rfind(kBuilt, 0) == 0 && id_.empty()) id_ = line.substr(kBuilt.size());
    if (out_) out_(line);
  }

  std::string tag_;
  const LineFn& out_;
  std::string pending_;
  std::string id_;
};

}  // namespace

std::optional<ImageInfo> EngineClient::image_inspect(const std::string& name) {
  std::string what = "inspect image '" + name + "'";
  return guarded(what, [&]() -> std::optional<ImageInfo> {
    Response answer =
        send(request("GET", versioned("/images/" + path_encode(name) + "/json"), what), {404});
    if (answer.status == 404) return std::nullopt;
    Json json = Json::parse(answer.body);
    JsonView v = json.view();
    ImageInfo info;
    info.id = v["Id"].str();
    info.tags = v["RepoTags"].string_list();
    info.labels = v["Config"]["Labels"].string_map();
    return info;
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
                              const std::atomic<bool>* cancel) {
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
    LineSplitter lines;
    auto on_line = [&](const std::string& text) {
      Json json = Json::object();
      try {
        json = Json::parse(text);
      } catch (const Error&) {  // not JSON: pass it on as it is
        if (on_progress) on_progress(text);
        return;
      }
      JsonView v = json.view();
      std::string error = stream_error(v);
      if (!error.empty()) throw Error(DM_EENGINE, "pull of '" + reference + "' failed: " + error);
      std::string line = v["status"].str();
      if (!v["id"].str().empty()) line = v["id"].str() + ": " + line;
      if (!v["progress"].str().empty()) line += " " + v["progress"].str();
      if (on_progress && !line.empty()) on_progress(line);
    };
    r.on_data = [&](const char* data, size_t size) {
      lines.feed(data, size, on_line);
      return true;
    };
    Response answer = send(r);
    if (answer.cancelled) throw Error(DM_ECANCELLED, "pull of '" + reference + "' cancelled");
    lines.finish(on_line);
  });
}

std::string EngineClient::image_build(const BuildOptions& options, const LineFn& on_output) {
  std::string what = "build image '" + options.tag + "'";
  return guarded(what, [&] {
    // Checked before anything is sent: DM_EINVALID naming the path.
    std::string context = make_build_context(options.context_dir, options.dockerfile);
    std::string query = "?dockerfile=" + url_encode(options.dockerfile) +
                        "&forcerm=1&rm=1&version=1";  // version=1: the classic builder
    if (!options.tag.empty()) query += "&t=" + url_encode(options.tag);
    if (options.no_cache) query += "&nocache=1";
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
    LineSplitter lines;
    auto on_line = [&](const std::string& text) { stream.line(text); };
    r.on_data = [&](const char* data, size_t size) {
      lines.feed(data, size, on_line);
      return true;
    };
    Response answer = send(r);
    if (answer.cancelled) throw Error(DM_ECANCELLED, "build of '" + options.tag + "' cancelled");
    lines.finish(on_line);
    stream.flush();
    if (!stream.id().empty()) return stream.id();
    std::optional<ImageInfo> built;
    if (!options.tag.empty()) built = image_inspect(options.tag);
    if (!built)
      throw Error(DM_EENGINE, "build of '" + options.tag + "' ended without naming an image");
    return built->id;
  });
}

}  // namespace dm::engine
