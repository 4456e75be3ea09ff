// Watcher and WatchBatch: which watch rule a changed path triggers
// (drillmaster/watch.h's routing). Watching the file system is the Python
// package's.

#include "watch.h"

namespace dm_python {

namespace {

using File = std::tuple<std::string, std::string, bool>;
using Entry = std::tuple<std::string, int, std::vector<File>>;

std::vector<Entry> entries(const WatchBatch& b) {
  const dm_watch_batch* batch = b.batch();
  std::vector<Entry> out;
  for (size_t i = 0; i < dm_watch_batch_count(batch); ++i) {
    std::vector<File> files;
    for (size_t f = 0; f < dm_watch_batch_file_count(batch, i); ++f)
      files.emplace_back(dm_watch_batch_file(batch, i, f), dm_watch_batch_target(batch, i, f),
                         dm_watch_batch_removed(batch, i, f) != 0);
    out.emplace_back(dm_watch_batch_service(batch, i), dm_watch_batch_action(batch, i),
                     std::move(files));
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> skipped(const WatchBatch& b) {
  const dm_watch_batch* batch = b.batch();
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < dm_watch_batch_skipped_count(batch); ++i)
    out.emplace_back(dm_watch_batch_skipped(batch, i), dm_watch_batch_skipped_reason(batch, i));
  return out;
}

class Watcher {
 public:
  Watcher(py::handle group, const std::optional<std::vector<std::string>>& services) {
    std::vector<std::string> names = to_strings(services);
    std::vector<const char*> c_names = c_strings(names);
    dm_watcher* handle = nullptr;
    check(dm_watcher_new(&handle, group_handle(group), c_names.data(), c_names.size()));
    watcher_.reset(handle, dm_watcher_free);
  }

  std::vector<std::string> roots() const {
    std::vector<std::string> out;
    for (size_t i = 0; i < dm_watcher_root_count(watcher_.get()); ++i)
      out.emplace_back(dm_watcher_root(watcher_.get(), i));
    return out;
  }

  WatchBatch route(const std::vector<std::string>& paths) const {
    std::vector<const char*> c_paths = c_strings(paths);
    dm_watch_batch* batch = nullptr;
    int status;
    {
      py::gil_scoped_release nogil;
      status = dm_watcher_route(&batch, watcher_.get(), c_paths.data(), c_paths.size());
    }
    check(status);
    return WatchBatch(batch);
  }

  WatchBatch initial() const {
    dm_watch_batch* batch = nullptr;
    int status;
    {
      py::gil_scoped_release nogil;
      status = dm_watcher_initial(&batch, watcher_.get());
    }
    check(status);
    return WatchBatch(batch);
  }

 private:
  std::shared_ptr<dm_watcher> watcher_;
};

}  // namespace

void bind_watch(py::module_& m) {
  m.def(
      "watch_action_name", [](int action) { return std::string(dm_watch_action_name(action)); },
      py::arg("action"), "'sync', 'sync+restart', 'rebuild'; 'unknown' for another number.");
  py::class_<WatchBatch>(m, "WatchBatch",
                         "What changed paths ask of the watched services (dm_watch_batch).")
      .def("entries", &entries,
           "[(service, action, [(host_path, target, removed), ...]), ...] in the group's "
           "order; action is WATCH_SYNC, WATCH_SYNC_RESTART or WATCH_REBUILD; target is '' "
           "for a path only a rebuild rule matched; a removed target is removed recursively.")
      .def("skipped", &skipped, "[(path, reason), ...]: the paths refused.")
      .def("__len__", [](const WatchBatch& b) { return dm_watch_batch_count(b.batch()); });
  py::class_<Watcher>(m, "Watcher",
                      "The watch rules of some services of a group, resolved (dm_watcher).")
      .def(py::init<py::handle, const std::optional<std::vector<std::string>>&>(), py::arg("group"),
           py::arg("services") = py::none(),
           "Validates the group; services: the names to watch (None or empty: every one).")
      .def("roots", &Watcher::roots, "The absolute paths to watch recursively; none nested.")
      .def("route", &Watcher::route, py::arg("paths"),
           "What the changed absolute paths ask of each service (dm_watcher_route).")
      .def("initial", &Watcher::initial,
           "The first sync: every file the sync rules map (dm_watcher_initial).");
}

}  // namespace dm_python
