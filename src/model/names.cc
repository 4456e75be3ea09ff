#include "model/names.h"

#include <algorithm>

#include "common/text.h"

namespace dm::model {

namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

constexpr size_t kMaxLabel = 63;

}  // namespace

bool is_dns_label(const std::string& name) {
  if (name.empty() || name.size() > kMaxLabel) return false;
  if (name.front() == '-' || name.back() == '-') return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_lower_alnum(c) || c == '-'; });
}

std::string suggest_dns_label(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!is_lower_alnum(c)) c = '-';
    if (c == '-' && (out.empty() || out.back() == '-')) continue;
    out += c;
  }
  if (out.size() > kMaxLabel) out.resize(kMaxLabel);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

bool is_docker_name(const std::string& name) {
  if (name.empty() || !is_alnum(name.front())) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

std::string docker_name_problem(const std::string& what, const std::string& name) {
  if (is_docker_name(name)) return "";
  return what + " '" + name +
         "' is not a valid Docker name: use letters, digits, '_', '.' and '-', starting with a "
         "letter or digit";
}

std::string group_name_problem(const std::string& name) {
  if (name.size() > kMaxGroupName) {
    // Quoting all of a name this long would bury the point.
    return "group name '" + name.substr(0, 20) + "...' is " + std::to_string(name.size()) +
           " characters long; at most " + std::to_string(kMaxGroupName) +
           " are allowed, because it becomes part of the container names, the network name and "
           "the lock file's name";
  }
  return docker_name_problem("group name", name);
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_name(const std::string& typed, const std::vector<std::string>& candidates,
                         const std::string& skip) {
  std::string best;
  size_t best_distance = 3;  // farther than this is not a typo
  for (const auto& candidate : candidates) {
    if (candidate.empty() || candidate == skip) continue;
    // The distance is at least the difference in length: skip the names
    // that cannot win without computing it.
    size_t longer = std::max(typed.size(), candidate.size());
    if (longer - std::min(typed.size(), candidate.size()) >= best_distance) continue;
    size_t d = edit_distance(typed, candidate);
    // Two edits turn "a" into "db": only suggest when most of the name stays.
    if (d < best_distance && 2 * d <= std::max(typed.size(), candidate.size())) {
      best = candidate;
      best_distance = d;
    }
  }
  return best;
}

std::string sorted_list(std::vector<std::string> names) {
  names.erase(std::remove(names.begin(), names.end(), std::string()), names.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return join(names, ", ");
}

}  // namespace dm::model
