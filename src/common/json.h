// A small RAII face over cJSON: the engine reads its answers with it, and the
// model builds the container create request with it (model/request.h).
//
// JsonView reads: every accessor tolerates a missing or mistyped node and
// returns the fallback, because the engine adds fields between API versions
// and leaves others null; that suits optional fields. Required fields are
// read through engine/answer.h, which checks them. Json owns a tree and
// builds request bodies; copying one copies the tree.
#ifndef DM_COMMON_JSON_H
#define DM_COMMON_JSON_H

#include <cstdint>
#include <map>
#include <string>
#include <vector>

struct cJSON;

namespace dm {

class JsonView {
 public:
  explicit JsonView(const cJSON* node = nullptr) : node_(node) {}

  bool valid() const { return node_ != nullptr; }
  // The node shown (for Json::copy and Json::merge); nullptr when none.
  const cJSON* node() const { return node_; }
  bool is_object() const;
  bool is_array() const;
  bool is_string() const;
  bool is_number() const;
  bool is_bool() const;
  // A number without a fraction that int64_t holds.
  bool is_integer() const;

  // Member of an object (case-sensitive); an invalid view when absent.
  JsonView operator[](const char* key) const;
  JsonView operator[](const std::string& key) const { return (*this)[key.c_str()]; }

  std::string str(const std::string& fallback = "") const;
  // The value when is_integer(), else the fallback.
  int64_t integer(int64_t fallback = 0) const;
  double number(double fallback = 0) const;
  bool boolean(bool fallback = false) const;

  // The member name of this node when it sits in an object.
  std::string key() const;
  // Children of an array or object, in order; empty for anything else.
  std::vector<JsonView> items() const;
  // {"k": "v", ...}; non-string values are skipped.
  std::map<std::string, std::string> string_map() const;
  // ["a", "b"]; non-string items are skipped.
  std::vector<std::string> string_list() const;

 private:
  const cJSON* node_;
};

class Json {
 public:
  // Throws dm::Error(Code::Engine) when `text` is not JSON: every text
  // drillmaster parses is an engine's answer. Callers add context.
  static Json parse(const std::string& text);
  static Json object();
  static Json array();
  // A copy of the tree `view` shows (an empty object when it shows nothing).
  static Json copy(const JsonView& view);

  Json(const Json& other);
  Json& operator=(const Json& other);
  Json(Json&&) noexcept;
  Json& operator=(Json&&) noexcept;
  ~Json();

  JsonView view() const { return JsonView(root_); }

  // Object members; `set` replaces an existing member of the same name.
  Json& set(const char* key, const std::string& value);
  Json& set(const char* key, const char* value) { return set(key, std::string(value)); }
  Json& set(const char* key, int64_t value);
  Json& set(const char* key, int value) { return set(key, static_cast<int64_t>(value)); }
  Json& set(const char* key, bool value);
  Json& set(const char* key, Json child);
  Json& set(const char* key, const std::vector<std::string>& list);
  Json& set(const char* key, const std::map<std::string, std::string>& map);

  // Merges the object `patch` into this object, deeply: a member that is an
  // object on both sides is merged key by key, any other member of `patch`
  // (a list too) replaces this one's.
  Json& merge(const JsonView& patch);

  // Array items.
  Json& push(const std::string& value);
  Json& push(Json item);

  std::string dump() const;  // compact

 private:
  explicit Json(cJSON* root);
  // Gives up ownership of the tree (to a parent that adopts it).
  cJSON* release();
  cJSON* root_;
};

}  // namespace dm

#endif
