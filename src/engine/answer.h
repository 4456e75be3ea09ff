// An engine answer read with its shape checked.
//
// JsonView's accessors tolerate anything, which is right for optional fields:
// the engine adds and drops fields between API versions and leaves others
// null. A field the caller cannot do without is read through an Answer
// instead: when it is missing or of the wrong type, the read throws
// dm::Error(Code::Engine) naming the request and the field, e.g.
//
//   engine answered GET /containers/json with entry #1 whose 'Names' is an
//   object, not a list
//
// so a broken or hostile engine (or a proxy in between) ends in a message,
// never in a wrong decision or a crash.
#ifndef DM_ENGINE_ANSWER_H
#define DM_ENGINE_ANSWER_H

#include <cstdint>
#include <string>
#include <vector>

#include "common/json.h"

namespace dm::engine {

class Answer {
 public:
  // Parses `body`, the answer to `request` ("GET /containers/json"). Text
  // that is not JSON is Error::Code::Engine quoting the start of it.
  Answer(std::string request, const std::string& body);

  const std::string& request() const { return request_; }
  JsonView root() const { return json_.view(); }

  // A node that must be an object or a list. `subject` says what the node is
  // in messages: "" for the whole answer, "entry #2", "'State'".
  JsonView object(JsonView node, const std::string& subject = "") const;
  JsonView list(JsonView node, const std::string& subject = "") const;

  // Required members of the object `node` (`subject` as above). `path` may
  // go deeper with dots: "State.Running".
  std::string string(JsonView node, const char* path, const std::string& subject = "") const;
  // A string that must not be empty either (ids).
  std::string nonempty_string(JsonView node, const char* path,
                              const std::string& subject = "") const;
  // A number without a fraction that fits in int64_t.
  int64_t integer(JsonView node, const char* path, const std::string& subject = "") const;
  bool boolean(JsonView node, const char* path, const std::string& subject = "") const;
  JsonView object_member(JsonView node, const char* path, const std::string& subject = "") const;
  // A list whose items are all strings.
  std::vector<std::string> string_list(JsonView node, const char* path,
                                       const std::string& subject = "") const;

  // Throws the Error::Code::Engine for member `path` of `subject` being `found`
  // ("missing", "a string", ...) where `wanted` ("a list") was needed.
  [[noreturn]] void wrong(const std::string& subject, const std::string& path,
                          const std::string& found, const char* wanted) const;

  // What a node is, for messages: "an object", "a list", "a string",
  // "a number", "true", "false", "null", "missing".
  static std::string kind_of(JsonView node);

 private:
  JsonView member(JsonView node, const char* path, const std::string& subject) const;

  std::string request_;
  Json json_;
};

}  // namespace dm::engine

#endif
