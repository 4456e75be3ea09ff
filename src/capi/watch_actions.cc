// The actions of drillmaster/watch.h: dm_group_copy_files(),
// dm_group_restart_service() and dm_group_watch_apply(). Each converts the
// C arguments and hands over to src/orchestrator (orchestrator.h).
#include <string>
#include <vector>

#include "capi/boundary.h"
#include "capi/operation_run.h"
#include "capi/options.h"
#include "capi/watch.h"
#include "common/text.h"
#include "drillmaster/watch.h"
#include "model/validate.h"
#include "orchestrator/orchestrator.h"

using dm::capi::check_version;
using dm::capi::guard;
namespace orch = dm::orchestrator;

namespace {

orch::WatchOptions watch_options(const dm_watch_options* opts) {
  dm_watch_options defaults = DM_WATCH_OPTIONS_INIT;
  if (opts == nullptr) opts = &defaults;
  check_version("dm_watch_options", opts->version, DM_WATCH_OPTIONS_VERSION);
  orch::WatchOptions options;
  options.timeout = opts->timeout;
  options.stop_timeout = opts->stop_timeout;
  options.on_event = dm::capi::event_sink(opts->on_event, opts->event_user_data);
  return options;
}

std::vector<dm::engine::CopiedFile> copied_files(const char* const* host_paths,
                                                 const char* const* targets, size_t count) {
  if (count == 0) return {};
  DM_REQUIRE(host_paths, "host_paths");
  DM_REQUIRE(targets, "targets");
  std::vector<std::string> hosts = dm::capi::strings(host_paths, count, "host_paths");
  std::vector<std::string> to = dm::capi::strings(targets, count, "targets");
  std::vector<dm::engine::CopiedFile> files;
  for (size_t i = 0; i < count; i++) {
    if (to[i].empty() || to[i].front() != '/')
      throw dm::capi::ArgumentError("targets[" + std::to_string(i) + "] " + dm::quoted(to[i]) +
                                    " is not an absolute container path");
    files.push_back({hosts[i], to[i]});
  }
  return files;
}

std::vector<std::string> removed_paths(const char* const* removed, size_t count) {
  if (count == 0) return {};
  DM_REQUIRE(removed, "removed");
  std::vector<std::string> out = dm::capi::strings(removed, count, "removed");
  for (size_t i = 0; i < count; i++)
    if (out[i].empty() || out[i].front() != '/')
      throw dm::capi::ArgumentError("removed[" + std::to_string(i) + "] " + dm::quoted(out[i]) +
                                    " is not an absolute container path");
  return out;
}

}  // namespace

extern "C" {

int dm_group_copy_files(dm_group* group, dm_client* client, const char* service,
                        const char* const* host_paths, const char* const* targets, size_t count,
                        const char* const* removed, size_t removed_count, char** skipped) {
  if (skipped != nullptr) *skipped = nullptr;
  return guard([&] {
    DM_REQUIRE(service, "service");
    std::vector<dm::engine::CopiedFile> files = copied_files(host_paths, targets, count);
    std::vector<std::string> deletions = removed_paths(removed, removed_count);
    return dm::capi::run_operation(group, client, [&] {
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, {});
      std::vector<std::string> lines =
          orch::copy_files(*client->engine, def, service, files, deletions, group->cancel);
      if (skipped != nullptr && !lines.empty())
        *skipped = dm::capi::copy_for_caller(dm::join(lines, "\n"));
      return DM_OK;
    });
  });
}

int dm_group_restart_service(dm_result** out, dm_group* group, dm_client* client,
                             const char* service, const dm_watch_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    DM_REQUIRE(service, "service");
    orch::WatchOptions options = watch_options(opts);
    return dm::capi::run_operation(group, client, [&] {
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, {});
      return dm::capi::finish(
          out, orch::restart_service(*client->engine, def, service, options, group->cancel));
    });
  });
}

int dm_group_watch_apply(dm_result** out, dm_group* group, dm_client* client,
                         const dm_watch_batch* batch, size_t index, const dm_watch_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    DM_REQUIRE(batch, "batch");
    if (index >= batch->batch.entries.size())
      throw dm::capi::ArgumentError("index " + std::to_string(index) + " is out of range (" +
                                    std::to_string(batch->batch.entries.size()) + " entries)");
    orch::WatchOptions options = watch_options(opts);
    return dm::capi::run_operation(group, client, [&] {
      dm::model::GroupDef def = group->snapshot();
      dm::model::check(def, {});
      return dm::capi::finish(
          out, orch::watch_apply(*client->engine, def, batch->batch.entries[index], options,
                                 group->cancel));
    });
  });
}

}  // extern "C"
