#include "engine/streams.h"

#include <utility>

#include "common/error.h"
#include "common/excerpt.h"
#include "engine/answer.h"

namespace dm::engine {

namespace {

// Build output held back waiting for a line break is passed on once it is
// this long, so a step printing without line breaks cannot fill memory.
constexpr size_t kMaxPendingOutput = 64 << 10;

// A stream line as a JSON object; Error::Code::Engine naming the request otherwise.
Answer read_line(const std::string& request, const std::string& text) {
  Answer answer(request, text);
  answer.object(answer.root(), "a line");
  return answer;
}

// A stream line's error message, or "" when the line reports no error.
std::string stream_error(JsonView line) {
  std::string message = line["errorDetail"]["message"].str();
  if (message.empty()) message = line["error"].str();
  if (message.empty() && (line["error"].valid() || line["errorDetail"].valid()))
    message = "unknown error";
  return message;
}

// A line longer than any progress line: the stream is broken, or hostile.
void check_line_length(const LineSplitter& lines, const std::string& request) {
  if (lines.pending() > kMaxStreamLine)
    throw Error(Error::Code::Engine, "engine answered " + request + " with a line longer than " +
                                         std::to_string(kMaxStreamLine >> 20) + " MiB");
}

}  // namespace

// ---- BuildStream ----

BuildStream::BuildStream(std::string tag, LineFn on_output, std::string request)
    : tag_(std::move(tag)), out_(std::move(on_output)), request_(std::move(request)) {}

void BuildStream::feed(const char* data, size_t size) {
  lines_.feed(data, size, [this](const std::string& text) { line(text); });
  check_line_length(lines_, request_);
}

void BuildStream::finish() {
  lines_.finish([this](const std::string& text) { line(text); });
  flush();
}

void BuildStream::line(const std::string& text) {
  Answer answer = read_line(request_, text);
  JsonView v = answer.root();
  std::string error = stream_error(v);
  if (!error.empty()) {
    flush();
    throw Error(Error::Code::Engine, "build of '" + tag_ + "' failed: " + excerpt(error));
  }
  std::string aux_id = v["aux"]["ID"].str();
  if (!aux_id.empty()) id_ = aux_id;
  // "stream" carries console text in arbitrary pieces; emit whole lines.
  pending_ += v["stream"].str();
  size_t start = 0;
  for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1)
    emit(pending_.substr(start, nl - start));
  pending_.erase(0, start);
  if (pending_.size() > kMaxPendingOutput) flush();
}

void BuildStream::flush() {
  if (!pending_.empty()) emit(pending_);
  pending_.clear();
}

void BuildStream::emit(const std::string& line) {
  static const std::string kBuilt = "Successfully built ";
  if (line.rfind(kBuilt, 0) == 0 && id_.empty()) id_ = line.substr(kBuilt.size());
  if (out_) out_(line);
}

// ---- PullStream ----

PullStream::PullStream(std::string reference, LineFn on_progress, std::string request,
                       std::string verb)
    : reference_(std::move(reference)), out_(std::move(on_progress)), request_(std::move(request)),
      verb_(std::move(verb)) {}

void PullStream::feed(const char* data, size_t size) {
  lines_.feed(data, size, [this](const std::string& text) { line(text); });
  check_line_length(lines_, request_);
}

void PullStream::finish() {
  lines_.finish([this](const std::string& text) { line(text); });
}

void PullStream::line(const std::string& text) {
  Answer answer = read_line(request_, text);
  JsonView v = answer.root();
  std::string error = stream_error(v);
  if (!error.empty())
    throw Error(Error::Code::Engine, verb_ + " of '" + reference_ + "' failed: " + excerpt(error));
  std::string line = v["status"].str();
  if (!v["id"].str().empty()) line = v["id"].str() + ": " + line;
  if (!v["progress"].str().empty()) line += " " + v["progress"].str();
  if (out_ && !line.empty()) out_(line);
}

}  // namespace dm::engine
