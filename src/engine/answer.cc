#include "engine/answer.h"

#include <utility>

#include "common/error.h"
#include "common/excerpt.h"

namespace dm::engine {

namespace {

Json parse_or_explain(const std::string& request, const std::string& body) {
  try {
    return Json::parse(body);
  } catch (const Error&) {
    if (body.empty())
      throw Error(Error::Code::Engine, "engine answered " + request + " with an empty body");
    throw Error(Error::Code::Engine, "engine answered " + request +
                                         " with text that is not JSON: '" + excerpt(body) + "'");
  }
}

}  // namespace

Answer::Answer(std::string request, const std::string& body)
    : request_(std::move(request)), json_(parse_or_explain(request_, body)) {}

std::string Answer::kind_of(JsonView node) {
  if (!node.valid()) return "missing";
  if (node.is_object()) return "an object";
  if (node.is_array()) return "a list";
  if (node.is_string()) return "a string";
  if (node.is_number()) return "a number";
  if (node.is_bool()) return node.boolean() ? "true" : "false";
  return "null";
}

void Answer::wrong(const std::string& subject, const std::string& path, const std::string& found,
                   const char* wanted) const {
  std::string message = "engine answered " + request_ + " with ";
  if (path.empty()) {  // the subject itself has the wrong type
    message += (subject.empty() ? found : subject + " that is " + found) + ", not " + wanted;
  } else {
    std::string whose = subject.empty() ? "an answer" : subject;
    if (found == "missing")
      message += whose + " without '" + path + "' (" + wanted + ")";
    else
      message += whose + " whose '" + path + "' is " + found + ", not " + wanted;
  }
  throw Error(Error::Code::Engine, message);
}

JsonView Answer::object(JsonView node, const std::string& subject) const {
  if (!node.is_object()) wrong(subject, "", kind_of(node), "an object");
  return node;
}

JsonView Answer::list(JsonView node, const std::string& subject) const {
  if (!node.is_array()) wrong(subject, "", kind_of(node), "a list");
  return node;
}

JsonView Answer::member(JsonView node, const char* path, const std::string& subject) const {
  object(node, subject);
  std::string rest = path;
  std::string walked;
  for (;;) {
    size_t dot = rest.find('.');
    std::string key = rest.substr(0, dot);
    walked += (walked.empty() ? "" : ".") + key;
    node = node[key];
    if (dot == std::string::npos) return node;
    if (!node.is_object()) wrong(subject, walked, kind_of(node), "an object");
    rest.erase(0, dot + 1);
  }
}

std::string Answer::string(JsonView node, const char* path, const std::string& subject) const {
  JsonView value = member(node, path, subject);
  if (!value.is_string()) wrong(subject, path, kind_of(value), "a string");
  return value.str();
}

std::string Answer::nonempty_string(JsonView node, const char* path,
                                    const std::string& subject) const {
  std::string value = string(node, path, subject);
  if (value.empty()) wrong(subject, path, "an empty string", "a non-empty string");
  return value;
}

int64_t Answer::integer(JsonView node, const char* path, const std::string& subject) const {
  JsonView value = member(node, path, subject);
  if (!value.is_number()) wrong(subject, path, kind_of(value), "an integer");
  if (!value.is_integer())
    wrong(subject, path, "a number that is not a 64-bit integer", "an integer");
  return value.integer();
}

bool Answer::boolean(JsonView node, const char* path, const std::string& subject) const {
  JsonView value = member(node, path, subject);
  if (!value.is_bool()) wrong(subject, path, kind_of(value), "true or false");
  return value.boolean();
}

JsonView Answer::object_member(JsonView node, const char* path, const std::string& subject) const {
  JsonView value = member(node, path, subject);
  if (!value.is_object()) wrong(subject, path, kind_of(value), "an object");
  return value;
}

std::vector<std::string> Answer::string_list(JsonView node, const char* path,
                                             const std::string& subject) const {
  JsonView value = member(node, path, subject);
  if (!value.is_array()) wrong(subject, path, kind_of(value), "a list");
  std::vector<std::string> out;
  size_t index = 0;
  for (const JsonView& item : value.items()) {
    if (!item.is_string())
      wrong(subject, std::string(path) + "[" + std::to_string(index) + "]", kind_of(item),
            "a string");
    out.push_back(item.str());
    ++index;
  }
  return out;
}

}  // namespace dm::engine
