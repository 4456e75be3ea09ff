#include "orchestrator/sync.h"

#include <map>
#include <mutex>
#include <sstream>

#include "common/error.h"
#include "common/text.h"
#include "orchestrator/exec.h"

namespace dm::orchestrator {
namespace {

Error no_rm(const std::string& service) {
  return Error(Error::Code::Engine,
               "service " + quoted(service) +
                   ": its image has no 'rm', so deletions cannot be synced into its container "
                   "(the copies were made); add rm to the image (e.g. busybox) or use a rebuild "
                   "rule");
}

// The container's user by number: its User ("uid", "uid:gid", names), else
// root. Numbers are taken as they are; names are asked of the container
// (`id`), once per container. (The engine's copyUIDGID would look the user
// up in the passwd file of the engine's host, and fails on "1000:1000".)
engine::FileOwner owner_of(engine::Client& engine, const std::string& service,
                           const std::string& container, const CancelToken& cancel) {
  static std::mutex mutex;
  static std::map<std::string, engine::FileOwner> known;
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto found = known.find(container);
    if (found != known.end()) return found->second;
  }
  std::string user = engine.container_inspect(container).user;
  engine::FileOwner owner;
  size_t colon = user.find(':');
  std::string uid = user.substr(0, colon);
  std::string gid = colon == std::string::npos ? "" : user.substr(colon + 1);
  auto number = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (user.empty()) {
    // root
  } else if (number(uid) && number(gid)) {
    owner = {std::stol(uid), std::stol(gid)};
  } else {
    model::ExecRequest request;
    request.argv = {"sh", "-c", "id -u; id -g"};
    model::ExecResult ids = exec_in(engine, service, container, request, {&cancel});
    std::istringstream out(ids.out);
    if (ids.exit_code != 0 || !(out >> owner.uid >> owner.gid))
      throw Error(Error::Code::Engine,
                  "service " + quoted(service) + ": cannot tell which numbers its user " +
                      quoted(user) + " has in its container (id said: " + ids.err +
                      "), so files cannot be copied as that user; give the user as uid:gid");
  }
  std::lock_guard<std::mutex> lock(mutex);
  known[container] = owner;
  return owner;
}

bool rm_missing(const std::string& text) {
  return text.find("executable file not found") != std::string::npos ||
         text.find("no such file or directory") != std::string::npos;
}

void delete_in(engine::Client& engine, const std::string& service, const std::string& container,
               const std::vector<std::string>& removed, const CancelToken& cancel) {
  for (const std::string& path : removed)
    if (path.empty() || path.front() != '/' || path == "/")
      throw Error(Error::Code::Invalid, "service " + quoted(service) + ": cannot delete " +
                                            quoted(path) +
                                            " in its container: give an absolute path below /");
  model::ExecRequest request;
  request.argv = {"rm", "-rf", "--"};
  request.argv.insert(request.argv.end(), removed.begin(), removed.end());
  request.user = "0";  // whoever owns them: the rule's targets are the user's to replace
  model::ExecResult result;
  try {
    result = exec_in(engine, service, container, request, {&cancel});
  } catch (const Error& e) {
    if (rm_missing(e.what())) throw no_rm(service);
    throw;
  }
  if (result.exit_code == 0) return;
  if (result.exit_code == 126 || result.exit_code == 127 || rm_missing(result.err + result.out))
    throw no_rm(service);
  throw Error(Error::Code::Engine, "service " + quoted(service) + ": deleting " +
                                       join(removed, ", ") + " in its container failed (exit " +
                                       std::to_string(result.exit_code) + "): " + result.err);
}

}  // namespace

std::vector<std::string> sync_files(engine::Client& engine, const std::string& service,
                                    const std::string& container,
                                    const std::vector<engine::CopiedFile>& files,
                                    const std::vector<std::string>& removed,
                                    const CancelToken& cancel) {
  std::vector<std::string> skipped;
  if (!files.empty()) {
    engine::FileOwner owner = owner_of(engine, service, container, cancel);
    std::string archive = engine::make_copy_archive(files, owner, &skipped);
    if (cancel.cancelled())
      throw Error(Error::Code::Cancelled, "service " + quoted(service) + ": copy cancelled");
    engine.container_put_archive(container, "/", std::move(archive));
  }
  if (!removed.empty()) delete_in(engine, service, container, removed, cancel);
  return skipped;
}

}  // namespace dm::orchestrator
