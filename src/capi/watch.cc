// include/drillmaster/watch.h: the rules (a field of a service) and their
// routing (model/watch.h). The actions live in their own file.
#include "capi/watch.h"

#include <memory>
#include <string>
#include <vector>

#include "capi/boundary.h"
#include "capi/handles.h"
#include "drillmaster/watch.h"
#include "model/validate.h"

using dm::capi::guard;

// The C numbers are the model's (model/service.h): one meaning for both.
static_assert(DM_WATCH_SYNC == static_cast<int>(dm::model::WatchAction::Sync));
static_assert(DM_WATCH_SYNC_RESTART == static_cast<int>(dm::model::WatchAction::SyncRestart));
static_assert(DM_WATCH_REBUILD == static_cast<int>(dm::model::WatchAction::Rebuild));

namespace {

const dm::model::WatchEntry* entry(const dm_watch_batch* batch, size_t index) {
  if (batch == nullptr || index >= batch->batch.entries.size()) return nullptr;
  return &batch->batch.entries[index];
}

const dm::model::WatchFile* entry_file(const dm_watch_batch* batch, size_t index, size_t file) {
  const dm::model::WatchEntry* e = entry(batch, index);
  if (e == nullptr || file >= e->files.size()) return nullptr;
  return &e->files[file];
}

const dm::model::WatchSkip* skip(const dm_watch_batch* batch, size_t index) {
  if (batch == nullptr || index >= batch->batch.skipped.size()) return nullptr;
  return &batch->batch.skipped[index];
}

}  // namespace

extern "C" {

const char* dm_watch_action_name(int action) { return dm::model::watch_action_name(action); }

int dm_service_add_watch(dm_service* service, const char* path, int action, const char* target,
                         const char* const* ignore, size_t ignore_count) {
  return guard([&] {
    DM_REQUIRE(service, "service");
    DM_REQUIRE(path, "path");
    dm::model::WatchRule rule;
    rule.path = path;
    rule.action = action;
    rule.target = target ? target : "";
    rule.ignore = dm::capi::strings(ignore, ignore_count, "ignore");
    service->def.watch.push_back(std::move(rule));
    return DM_OK;
  });
}

int dm_watcher_new(dm_watcher** out, dm_group* group, const char* const* services,
                   size_t service_count) {
  return guard([&] {
    DM_REQUIRE(out, "out");
    *out = nullptr;
    DM_REQUIRE(group, "group");
    std::vector<std::string> names = dm::capi::strings(services, service_count, "services");
    dm::model::GroupDef def = group->snapshot();
    dm::model::check(def, {});
    *out = new dm_watcher{dm::model::Watcher(def, names)};
    return DM_OK;
  });
}

void dm_watcher_free(dm_watcher* watcher) { delete watcher; }

size_t dm_watcher_root_count(const dm_watcher* watcher) {
  return watcher ? watcher->watcher.roots().size() : 0;
}

const char* dm_watcher_root(const dm_watcher* watcher, size_t index) {
  if (watcher == nullptr || index >= watcher->watcher.roots().size()) return nullptr;
  return watcher->watcher.roots()[index].c_str();
}

int dm_watcher_route(dm_watch_batch** out, const dm_watcher* watcher, const char* const* paths,
                     size_t count) {
  return guard([&] {
    DM_REQUIRE(out, "out");
    *out = nullptr;
    DM_REQUIRE(watcher, "watcher");
    std::vector<std::string> changed = dm::capi::strings(paths, count, "paths");
    *out = new dm_watch_batch{watcher->watcher.route(changed)};
    return DM_OK;
  });
}

int dm_watcher_initial(dm_watch_batch** out, const dm_watcher* watcher) {
  return guard([&] {
    DM_REQUIRE(out, "out");
    *out = nullptr;
    DM_REQUIRE(watcher, "watcher");
    *out = new dm_watch_batch{watcher->watcher.initial()};
    return DM_OK;
  });
}

size_t dm_watch_batch_count(const dm_watch_batch* batch) {
  return batch ? batch->batch.entries.size() : 0;
}

const char* dm_watch_batch_service(const dm_watch_batch* batch, size_t index) {
  const dm::model::WatchEntry* e = entry(batch, index);
  return e ? e->service.c_str() : nullptr;
}

int dm_watch_batch_action(const dm_watch_batch* batch, size_t index) {
  const dm::model::WatchEntry* e = entry(batch, index);
  return e ? e->action : 0;
}

size_t dm_watch_batch_file_count(const dm_watch_batch* batch, size_t index) {
  const dm::model::WatchEntry* e = entry(batch, index);
  return e ? e->files.size() : 0;
}

const char* dm_watch_batch_file(const dm_watch_batch* batch, size_t index, size_t file) {
  const dm::model::WatchFile* f = entry_file(batch, index, file);
  return f ? f->host.c_str() : nullptr;
}

const char* dm_watch_batch_target(const dm_watch_batch* batch, size_t index, size_t file) {
  const dm::model::WatchFile* f = entry_file(batch, index, file);
  return f ? f->target.c_str() : nullptr;
}

int dm_watch_batch_removed(const dm_watch_batch* batch, size_t index, size_t file) {
  const dm::model::WatchFile* f = entry_file(batch, index, file);
  return f && f->removed ? 1 : 0;
}

size_t dm_watch_batch_skipped_count(const dm_watch_batch* batch) {
  return batch ? batch->batch.skipped.size() : 0;
}

const char* dm_watch_batch_skipped(const dm_watch_batch* batch, size_t index) {
  const dm::model::WatchSkip* s = skip(batch, index);
  return s ? s->path.c_str() : nullptr;
}

const char* dm_watch_batch_skipped_reason(const dm_watch_batch* batch, size_t index) {
  const dm::model::WatchSkip* s = skip(batch, index);
  return s ? s->reason.c_str() : nullptr;
}

void dm_watch_batch_free(dm_watch_batch* batch) { delete batch; }

}  // extern "C"
