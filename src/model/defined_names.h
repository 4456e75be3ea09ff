// The service names a group defines, with what the checks ask of them: is a
// name defined, where first and how often, the list of them for a message,
// and the closest one to a name that is not.
#ifndef DM_MODEL_DEFINED_NAMES_H
#define DM_MODEL_DEFINED_NAMES_H

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/service.h"

namespace dm::model {

// The defined names, sorted, without duplicates or empty ones. Every look-up
// is a binary search or a hash, so that no check walks every service once
// per service.
class DefinedNames {
 public:
  explicit DefinedNames(const GroupDef& group);

  bool has(const std::string& name) const;

  // The first service of that name and how many services have it; `name`
  // must be defined.
  size_t first(const std::string& name) const { return uses_.at(name).first; }
  size_t count(const std::string& name) const { return uses_.at(name).count; }

  // Whether `name` is the only name defined.
  bool only(const std::string& name) const { return names_.size() == 1 && names_[0] == name; }

  // "a, b, c": the names but `except`, sorted; a long list ends with how many
  // more there are.
  std::string listed(const std::string& except = std::string()) const;

  // " (did you mean 'appdb'?)" or "". Remembered per typed name, and only
  // worked out for the first few distinct ones: a generated spec with
  // thousands of wrong names must not cost thousands of passes over the
  // defined ones.
  std::string did_you_mean(const std::string& typed, const std::string& except = std::string());

  const std::vector<std::string>& sorted() const { return names_; }

 private:
  static constexpr size_t kListed = 30;
  static constexpr size_t kGuessed = 64;

  struct Uses {
    size_t first;
    size_t count;
  };

  std::vector<std::string> names_;
  std::unordered_map<std::string, Uses> uses_;
  std::unordered_map<std::string, std::string> guesses_;
};

}  // namespace dm::model

#endif
