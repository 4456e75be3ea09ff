// Container logs: GET /containers/{id}/logs, demultiplexed (log_frames.h).
#include "engine/engine_client.h"
#include "engine/log_frames.h"

namespace dm::engine {

void EngineClient::container_logs(const std::string& id, const LogOptions& options, const LogFn& fn,
                                  const CancelToken* cancel) {
  std::string what = "read the logs of container '" + id + "'";
  guarded(what, [&] {
    // Framed or raw depends on the container's TTY, which only inspect tells.
    bool tty = options.tty >= 0 ? options.tty == 1 : container_inspect(id).tty;
    std::string query = std::string("?stdout=") + (options.stdout_ ? "1" : "0") +
                        "&stderr=" + (options.stderr_ ? "1" : "0") +
                        "&follow=" + (options.follow ? "1" : "0") +
                        "&timestamps=" + (options.timestamps ? "1" : "0") +
                        "&tail=" + (options.tail < 0 ? "all" : std::to_string(options.tail));
    Request r = request("GET", versioned("/containers/" + path_encode(id) + "/logs" + query), what);
    if (options.follow) r.timeout = 0;  // ends with the container or `cancel`
    r.cancel = cancel;
    LogDemuxer demuxer(tty, "GET /containers/" + id + "/logs");
    r.on_data = [&](const char* data, size_t size) { return demuxer.feed(data, size, fn); };
    Response answer = send(r);
    if (!answer.cancelled && !answer.stopped) demuxer.finish();
  });
}

std::string EngineClient::logs_tail(const std::string& id, int lines) {
  return guarded("read the logs of container '" + id + "'", [&] {
    std::string text;
    LogOptions options;
    options.tail = lines < 0 ? 0 : lines;
    container_logs(
        id, options,
        [&](LogStream, const std::string& data) {
          text += data;
          return true;
        },
        nullptr);
    return text;
  });
}

}  // namespace dm::engine
