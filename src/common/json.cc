#include "common/json.h"

#include <cjson/cJSON.h>

#include <cmath>
#include <new>
#include <utility>

#include "common/error.h"
#include "common/excerpt.h"

namespace dm {

// ---- JsonView ----

bool JsonView::is_object() const { return node_ && cJSON_IsObject(node_); }
bool JsonView::is_array() const { return node_ && cJSON_IsArray(node_); }
bool JsonView::is_string() const { return node_ && cJSON_IsString(node_); }
bool JsonView::is_number() const { return node_ && cJSON_IsNumber(node_); }
bool JsonView::is_bool() const { return node_ && cJSON_IsBool(node_); }

JsonView JsonView::operator[](const char* key) const {
  if (!is_object()) return JsonView();
  return JsonView(cJSON_GetObjectItemCaseSensitive(node_, key));
}

std::string JsonView::str(const std::string& fallback) const {
  if (is_string() && node_->valuestring) return node_->valuestring;
  return fallback;
}

bool JsonView::is_integer() const {
  if (!is_number()) return false;
  double value = node_->valuedouble;
  // Converting a double that int64_t cannot hold is undefined behaviour;
  // 2^63 is exact as a double, so the bounds are too.
  return std::isfinite(value) && std::floor(value) == value && value >= -9223372036854775808.0 &&
         value < 9223372036854775808.0;
}

int64_t JsonView::integer(int64_t fallback) const {
  return is_integer() ? static_cast<int64_t>(node_->valuedouble) : fallback;
}

double JsonView::number(double fallback) const {
  return is_number() ? node_->valuedouble : fallback;
}

bool JsonView::boolean(bool fallback) const {
  if (!node_ || !cJSON_IsBool(node_)) return fallback;
  return cJSON_IsTrue(node_);
}

std::string JsonView::key() const { return node_ && node_->string ? node_->string : ""; }

std::vector<JsonView> JsonView::items() const {
  std::vector<JsonView> out;
  if (!is_object() && !is_array()) return out;
  for (const cJSON* c = node_->child; c; c = c->next) out.emplace_back(c);
  return out;
}

std::map<std::string, std::string> JsonView::string_map() const {
  std::map<std::string, std::string> out;
  if (!is_object()) return out;
  for (const JsonView& item : items())
    if (item.is_string()) out[item.key()] = item.str();
  return out;
}

std::vector<std::string> JsonView::string_list() const {
  std::vector<std::string> out;
  if (!is_array()) return out;
  for (const JsonView& item : items())
    if (item.is_string()) out.push_back(item.str());
  return out;
}

// ---- Json ----

namespace {
cJSON* checked(cJSON* node) {
  if (!node) throw std::bad_alloc();
  return node;
}
}  // namespace

Json::Json(cJSON* root) : root_(root) {}
Json::Json(const Json& other)
    : root_(other.root_ ? checked(cJSON_Duplicate(other.root_, /*recurse=*/true)) : nullptr) {}
Json& Json::operator=(const Json& other) {
  if (this != &other) *this = Json(other);
  return *this;
}
Json::Json(Json&& other) noexcept : root_(std::exchange(other.root_, nullptr)) {}
Json& Json::operator=(Json&& other) noexcept {
  if (this != &other) {
    cJSON_Delete(root_);
    root_ = std::exchange(other.root_, nullptr);
  }
  return *this;
}
Json::~Json() { cJSON_Delete(root_); }

cJSON* Json::release() { return std::exchange(root_, nullptr); }

Json Json::parse(const std::string& text) {
  cJSON* root = cJSON_ParseWithLength(text.data(), text.size());
  if (!root)
    throw Error(Error::Code::Engine,
                "the engine's answer is not valid JSON: '" + excerpt(text) + "'");
  return Json(root);
}

Json Json::object() { return Json(checked(cJSON_CreateObject())); }
Json Json::array() { return Json(checked(cJSON_CreateArray())); }

static Json& replace_member(Json& self, cJSON* root, const char* key, cJSON* value) {
  if (cJSON_GetObjectItemCaseSensitive(root, key))
    cJSON_ReplaceItemInObjectCaseSensitive(root, key, value);
  else
    cJSON_AddItemToObject(root, key, value);
  return self;
}

Json& Json::set(const char* key, const std::string& value) {
  return replace_member(*this, root_, key, checked(cJSON_CreateString(value.c_str())));
}

Json& Json::set(const char* key, int64_t value) {
  return replace_member(*this, root_, key, checked(cJSON_CreateNumber(static_cast<double>(value))));
}

Json& Json::set(const char* key, bool value) {
  return replace_member(*this, root_, key, checked(cJSON_CreateBool(value)));
}

Json Json::copy(const JsonView& view) {
  const cJSON* node = view.node();
  return node ? Json(checked(cJSON_Duplicate(node, /*recurse=*/true))) : Json::object();
}

namespace {

void merge_into(cJSON* target, const cJSON* patch) {
  for (const cJSON* item = patch->child; item; item = item->next) {
    cJSON* mine = cJSON_GetObjectItemCaseSensitive(target, item->string);
    if (mine && cJSON_IsObject(mine) && cJSON_IsObject(item)) {
      merge_into(mine, item);
      continue;
    }
    cJSON* copy = checked(cJSON_Duplicate(item, /*recurse=*/true));
    if (mine)
      cJSON_ReplaceItemViaPointer(target, mine, copy);
    else
      cJSON_AddItemToObject(target, item->string, copy);
  }
}

}  // namespace

Json& Json::merge(const JsonView& patch) {
  if (patch.is_object()) merge_into(root_, patch.node());
  return *this;
}

Json& Json::set(const char* key, Json child) {
  return replace_member(*this, root_, key, child.release());
}

Json& Json::set(const char* key, const std::vector<std::string>& list) {
  Json array = Json::array();
  for (const std::string& item : list) array.push(item);
  return set(key, std::move(array));
}

Json& Json::set(const char* key, const std::map<std::string, std::string>& map) {
  Json object = Json::object();
  for (const auto& [k, v] : map) object.set(k.c_str(), v);
  return set(key, std::move(object));
}

Json& Json::push(const std::string& value) {
  cJSON_AddItemToArray(root_, checked(cJSON_CreateString(value.c_str())));
  return *this;
}

Json& Json::push(Json item) {
  cJSON_AddItemToArray(root_, item.release());
  return *this;
}

std::string Json::dump() const {
  char* text = cJSON_PrintUnformatted(root_);
  if (!text) throw std::bad_alloc();
  std::string out(text);
  cJSON_free(text);
  return out;
}

}  // namespace dm
