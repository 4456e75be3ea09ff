#include "model/watch.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>

#include "common/error.h"
#include "common/text.h"
#include "model/volumes.h"

namespace fs = std::filesystem;

namespace dm::model {

namespace {

bool has_parent_component(const std::string& path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (path.compare(start, end - start, "..") == 0 && end - start == 2) return true;
    start = end + 1;
  }
  return false;
}

// The path without ".", repeated '/' or a trailing '/'.
std::string clean(const std::string& path) {
  std::string out = fs::path(path).lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

// Whether `path` is `root` or lies below it (both absolute and cleaned).
bool inside(const std::string& path, const std::string& root) {
  if (root == "/") return !path.empty() && path[0] == '/';
  return path.compare(0, root.size(), root) == 0 &&
         (path.size() == root.size() || path[root.size()] == '/');
}

// `path` relative to `root`, which contains it: "" for the root itself.
std::string relative(const std::string& path, const std::string& root) {
  if (path.size() == root.size()) return "";
  return path.substr(root == "/" ? 1 : root.size() + 1);
}

std::string real_path(const std::string& path) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(path, ec);
  return ec ? path : clean(real.generic_string());
}

std::string error_text(int code) { return std::strerror(code); }

// Why a file cannot be copied ("" when it can): it must be a regular file
// that opens for reading.
std::string unreadable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return "a file that cannot be read (" + error_text(errno) + ")";
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "a file that cannot be read (" + error_text(errno) + ")";
  ::close(fd);
  return "";
}

}  // namespace

const char* watch_action_name(int action) {
  switch (action) {
    case static_cast<int>(WatchAction::Sync):
      return "sync";
    case static_cast<int>(WatchAction::SyncRestart):
      return "sync+restart";
    case static_cast<int>(WatchAction::Rebuild):
      return "rebuild";
    default:
      return "unknown";
  }
}

std::vector<WatchRule> watch_rules(const ServiceDef& service) {
  if (!service.watch.empty() || service.build_context.empty()) return service.watch;
  WatchRule rule;
  rule.path = service.build_context;
  rule.action = static_cast<int>(WatchAction::Rebuild);
  return {rule};
}

// One route() or initial(): the entries as they grow, the paths skipped.
class Watcher::Routing {
 public:
  explicit Routing(const Watcher& watcher)
      : watcher_(watcher), entries_(watcher.services_.size()) {}

  // A path as the caller gave it.
  void path(const std::string& raw) {
    if (raw.empty() || raw[0] != '/') return skip(raw, "not an absolute path");
    if (has_parent_component(raw)) return skip(raw, "a path with a '..' component");
    std::string path = clean(raw);
    if (!seen_.insert(path).second || !watched(path)) return;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return file(path, true);
      return skip(path, "a file that cannot be read (" + error_text(errno) + ")");
    }
    if (S_ISDIR(st.st_mode)) return directory(path, nullptr);
    file(path, false);
  }

  // The first sync of service `index`: every file under its sync rules.
  void initial(size_t index) {
    only_ = static_cast<long>(index);
    files_.clear();
    bool any = false;
    for (const Rule& rule : watcher_.services_[index].rules) {
      if (rule.action == WatchAction::Rebuild) continue;
      any = true;
      std::error_code ec;
      if (fs::is_directory(fs::symlink_status(rule.path, ec)))
        directory(rule.path, &rule);
      else if (fs::exists(fs::symlink_status(rule.path, ec)))
        file(rule.path, false);
    }
    if (any) entries_[index].action = static_cast<int>(WatchAction::Sync);
  }

  WatchBatch finish() {
    WatchBatch batch;
    for (size_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].action == 0) continue;
      WatchEntry entry;
      entry.service = watcher_.services_[i].name;
      entry.action = entries_[i].action;
      for (auto& [host, file] : entries_[i].files) entry.files.push_back(std::move(file));
      batch.entries.push_back(std::move(entry));
    }
    batch.skipped = std::move(skipped_);
    return batch;
  }

 private:
  struct Building {
    int action = 0;
    std::map<std::string, WatchFile> files;  // by host path: each once
  };

  void skip(const std::string& path, const std::string& reason) {
    if (skipped_paths_.insert(path).second) skipped_.push_back({path, reason});
  }

  bool watched(const std::string& path) const {
    return std::any_of(watcher_.roots_.begin(), watcher_.roots_.end(),
                       [&](const std::string& root) { return inside(path, root); });
  }

  // The files below `dir` (the directory itself is no file to copy). In the
  // first sync, `pruning` is the rule walked: directories its ignore
  // patterns exclude are not entered.
  void directory(const std::string& dir, const Rule* pruning) {
    std::error_code ec;
    auto options = fs::directory_options::skip_permission_denied;
    fs::recursive_directory_iterator it(dir, options, ec), end;
    if (ec) return skip(dir, "a directory that cannot be read (" + ec.message() + ")");
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      std::string path = it->path().generic_string();
      if (!it->is_directory(ec) || it->is_symlink(ec)) {
        file(path, false);
      } else if (pruning && pruning->has_ignore && !pruning->ignore.has_negations() &&
                 pruning->ignore.excluded(relative(path, pruning->path))) {
        it.disable_recursion_pending();
      }
    }
  }

  // One file (or a removed path) for every service watching it.
  void file(const std::string& path, bool removed) {
    if (!files_.insert(path).second) return;
    const auto& services = watcher_.services_;
    for (size_t i = 0; i < services.size(); ++i) {
      if (only_ >= 0 && i != static_cast<size_t>(only_)) continue;
      const Rule* rule = specific(services[i], path);
      if (!rule || ignored(*rule, path)) continue;
      if (only_ >= 0 && rule->action == WatchAction::Rebuild) continue;
      if (!removed && refused(*rule, path)) continue;
      if (removed && path == rule->path && rule->action != WatchAction::Rebuild) {
        // Never `rm -rf` a rule's whole target (it may be /www, /etc, /):
        // the container keeps it until the path is back or the service restarts.
        skip(path, "the whole path of a watch rule was removed; its target " +
                       quoted(rule->target) + " is left in the container");
        continue;
      }
      add(i, *rule, path, removed);
    }
  }

  // The rule with the longest path containing `path`.
  static const Rule* specific(const Service& service, const std::string& path) {
    const Rule* best = nullptr;
    for (const Rule& rule : service.rules)
      if (inside(path, rule.path) && (!best || rule.path.size() > best->path.size())) best = &rule;
    return best;
  }

  bool ignored(const Rule& rule, const std::string& path) {
    std::string own = relative(path, rule.path);
    if (own.empty()) own = fs::path(path).filename().generic_string();
    if (rule.has_ignore && rule.ignore.excluded(own)) return true;
    if (rule.action != WatchAction::Rebuild || rule.context.empty() || !inside(path, rule.context))
      return false;
    std::string in_context = relative(path, rule.context);
    // The build reads these whatever the .dockerignore says.
    if (in_context.empty() || in_context == ".dockerignore" || in_context == rule.dockerfile)
      return false;
    return context_ignore(rule.context).excluded(in_context);
  }

  // The context's .dockerignore as it is now (a change to it is a change
  // of the build); a malformed one excludes nothing here: the build says
  // what is wrong with it.
  const DockerIgnore& context_ignore(const std::string& context) {
    auto found = context_ignores_.find(context);
    if (found != context_ignores_.end()) return found->second;
    DockerIgnore ignore;
    try {
      ignore = DockerIgnore::load(context);
    } catch (const Error&) {
    }
    return context_ignores_.emplace(context, std::move(ignore)).first->second;
  }

  bool refused(const Rule& rule, const std::string& path) {
    if (!inside(real_path(path), rule.real)) {
      skip(path, "a symbolic link that leads out of " + quoted(rule.given));
      return true;
    }
    if (rule.action == WatchAction::Rebuild) return false;
    std::string reason = unreadable(path);
    if (!reason.empty()) skip(path, reason);
    return !reason.empty();
  }

  void add(size_t index, const Rule& rule, const std::string& path, bool removed) {
    Building& entry = entries_[index];
    int weight = only_ >= 0 ? static_cast<int>(WatchAction::Sync) : static_cast<int>(rule.action);
    entry.action = std::max(entry.action, weight);
    WatchFile file{path, "", removed};
    if (rule.action != WatchAction::Rebuild) {
      std::string below = relative(path, rule.path);
      file.target = below.empty()        ? rule.target
                    : rule.target == "/" ? "/" + below
                                         : rule.target + "/" + below;
    }
    entry.files.emplace(path, std::move(file));
  }

  const Watcher& watcher_;
  std::vector<Building> entries_;
  std::vector<WatchSkip> skipped_;
  std::set<std::string> skipped_paths_;
  std::set<std::string> seen_;
  std::set<std::string> files_;
  std::map<std::string, DockerIgnore> context_ignores_;
  long only_ = -1;
};

Watcher::Watcher(const GroupDef& group, const std::vector<std::string>& services) {
  std::set<std::string> wanted(services.begin(), services.end());
  for (const std::string& name : wanted) {
    bool defined = std::any_of(group.services.begin(), group.services.end(),
                               [&](const ServiceDef& s) { return s.name == name; });
    if (!defined)
      throw Error(Error::Code::NotFound, "watch: service " + quoted(name) +
                                             " is not defined in group " + quoted(group.name));
  }
  for (const ServiceDef& def : group.services) {
    if (!wanted.empty() && !wanted.count(def.name)) continue;
    Service service{def.name, {}};
    for (const WatchRule& given : watch_rules(def)) {
      Rule rule;
      rule.given = given.path;
      rule.path = clean(resolve_path(given.path, group.directory));
      rule.real = real_path(rule.path);
      rule.action = static_cast<WatchAction>(given.action);
      rule.target = clean(given.target);
      rule.has_ignore = !given.ignore.empty();
      if (rule.has_ignore)
        rule.ignore = DockerIgnore(given.ignore, "watch ignore of " + quoted(given.path));
      if (rule.action == WatchAction::Rebuild && !def.build_context.empty()) {
        rule.context = clean(resolve_build_context(def, group.directory));
        rule.dockerfile = clean(def.dockerfile.empty() ? "Dockerfile" : def.dockerfile);
      }
      roots_.push_back(rule.path);
      service.rules.push_back(std::move(rule));
    }
    services_.push_back(std::move(service));
  }
  std::sort(roots_.begin(), roots_.end());
  roots_.erase(std::unique(roots_.begin(), roots_.end()), roots_.end());
  std::vector<std::string> outer;
  for (const std::string& root : roots_)  // sorted: a root's parents come before it
    if (std::none_of(outer.begin(), outer.end(),
                     [&](const std::string& o) { return inside(root, o); }))
      outer.push_back(root);
  roots_ = std::move(outer);
}

WatchBatch Watcher::route(const std::vector<std::string>& paths) const {
  Routing routing(*this);
  for (const std::string& path : paths) routing.path(path);
  return routing.finish();
}

WatchBatch Watcher::initial() const {
  Routing routing(*this);
  for (size_t i = 0; i < services_.size(); ++i) routing.initial(i);
  return routing.finish();
}

}  // namespace dm::model
