#include "model/defined_names.h"

#include <algorithm>

#include "common/text.h"
#include "model/names.h"

namespace dm::model {

DefinedNames::DefinedNames(const GroupDef& group) {
  for (size_t i = 0; i < group.services.size(); ++i) {
    const std::string& name = group.services[i].name;
    if (name.empty()) continue;
    names_.push_back(name);
    auto [it, inserted] = uses_.emplace(name, Uses{i, 0});
    ++it->second.count;
  }
  std::sort(names_.begin(), names_.end());
  names_.erase(std::unique(names_.begin(), names_.end()), names_.end());
}

bool DefinedNames::has(const std::string& name) const {
  return std::binary_search(names_.begin(), names_.end(), name);
}

std::string DefinedNames::listed(const std::string& except) const {
  std::vector<std::string> shown;
  size_t left = 0;
  for (const auto& name : names_) {
    if (name == except) continue;
    if (shown.size() == kListed) {
      left = names_.size() - shown.size() - (has(except) ? 1 : 0);
      break;
    }
    shown.push_back(name);
  }
  if (left > 0) shown.push_back("and " + std::to_string(left) + " more");
  return join(shown, ", ");
}

std::string DefinedNames::did_you_mean(const std::string& typed, const std::string& except) {
  auto it = guesses_.find(typed);
  if (it == guesses_.end()) {
    if (guesses_.size() >= kGuessed) return "";
    it = guesses_.emplace(typed, closest_name(typed, names_)).first;
  }
  std::string guess = it->second;
  if (!except.empty() && guess == except) guess = closest_name(typed, names_, except);
  return guess.empty() ? "" : " (did you mean " + quoted(guess) + "?)";
}

}  // namespace dm::model
