#include "model/selection.h"

#include <algorithm>

#include "common/error.h"
#include "common/text.h"
#include "model/defined_names.h"
#include "model/graph.h"

namespace dm::model {
namespace {

std::string profiles_text(const ServiceDef& service) {
  std::vector<std::string> quoted_names;
  for (const auto& p : service.profiles) quoted_names.push_back(quoted(p));
  return (service.profiles.size() == 1 ? "profile " : "profiles ") + join(quoted_names, ", ");
}

class Selecting {
 public:
  Selecting(const GroupDef& group, const std::vector<std::string>& only,
            const std::vector<std::string>& profiles)
      : group_(group), graph_(group), enabled_(profiles.begin(), profiles.end()) {
    DefinedNames defined(group);
    for (const std::string& name : only) {
      if (std::optional<size_t> found = graph_.find(name)) {
        named_.insert(*found);
        const auto& own = group.services[*found].profiles;
        enabled_.insert(own.begin(), own.end());
      } else {
        problems_.push_back("cannot start " + quoted(name) + ": no such service; defined: " +
                            defined.listed() + defined.did_you_mean(name));
      }
    }
    choose(only.empty());
  }

  Selection result() {
    if (!problems_.empty()) throw Error(Error::Code::Invalid, join(problems_, "\n"));
    Selection out;
    out.services = wanted_;
    for (size_t i = 0; i < group_.services.size(); i++) {
      if (wanted_.count(i)) continue;
      out.left_out[i] = active(i) ? "not named, nor needed by a service named"
                                  : "its " + profiles_text(group_.services[i]) + " not enabled";
    }
    return out;
  }

 private:
  bool active(size_t i) const {
    const auto& own = group_.services[i].profiles;
    return own.empty() || named_.count(i) ||
           std::any_of(own.begin(), own.end(), [&](const auto& p) { return enabled_.count(p); });
  }

  void choose(bool everything) {
    for (size_t i = 0; i < group_.services.size(); i++)
      if (everything ? active(i) : named_.count(i) > 0) {
        wanted_.insert(i);
        for (size_t d : graph_.transitive_dependencies(i)) wanted_.insert(d);
      }
    for (size_t i : wanted_)
      if (active(i))
        for (size_t d : graph_.dependencies(i))
          if (!active(d)) problems_.push_back(left_out_dependency(i, d));
  }

  std::string left_out_dependency(size_t i, size_t d) const {
    const ServiceDef& dependency = group_.services[d];
    return "service " + quoted(group_.services[i].name) + " depends on " + quoted(dependency.name) +
           ", which starts only with its " + profiles_text(dependency) +
           ", not enabled; enable one of them, or name " + quoted(dependency.name) +
           " among the services to start";
  }

  const GroupDef& group_;
  Graph graph_;
  std::set<std::string> enabled_;
  std::set<size_t> named_;
  std::set<size_t> wanted_;
  std::vector<std::string> problems_;
};

}  // namespace

Selection select_services(const GroupDef& group, const std::vector<std::string>& only,
                          const std::vector<std::string>& profiles) {
  return Selecting(group, only, profiles).result();
}

}  // namespace dm::model
