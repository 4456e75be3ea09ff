// dm_group_graph(): the group's dependency graph as text. The text is
// model/graph_text.h's; this file converts the options and the report.
#include <string>

#include "capi/boundary.h"
#include "capi/handles.h"
#include "capi/options.h"
#include "drillmaster/group.h"
#include "model/graph_text.h"
#include "model/validate.h"

using dm::capi::guard;

namespace {

dm::model::GraphFormat graph_format(int format) {
  if (format == DM_GRAPH_MERMAID) return dm::model::GraphFormat::Mermaid;
  if (format == DM_GRAPH_DOT) return dm::model::GraphFormat::Dot;
  throw dm::capi::ArgumentError("format " + std::to_string(format) +
                                " is not a dm_graph_format: use DM_GRAPH_MERMAID (0) or "
                                "DM_GRAPH_DOT (1)");
}

dm::model::ServiceStates states_of(const dm_report& report) {
  dm::model::ServiceStates states;
  for (const auto& s : report.services) states[s.service] = s.state;
  return states;
}

}  // namespace

extern "C" {

int dm_group_graph(char** out, dm_group* group, const dm_graph_options* opts) {
  if (out != nullptr) *out = nullptr;
  return guard([&] {
    DM_REQUIRE(out, "out");
    DM_REQUIRE(group, "group");
    dm_graph_options defaults = DM_GRAPH_OPTIONS_INIT;
    if (opts == nullptr) opts = &defaults;
    dm::capi::check_version("dm_graph_options", opts->version, DM_GRAPH_OPTIONS_VERSION);
    dm::model::GraphFormat format = graph_format(opts->format);
    dm::model::GroupDef def = group->snapshot();
    dm::model::check(def, {});
    if (opts->status == nullptr) {
      *out = dm::capi::copy_for_caller(dm::model::graph_text(def, format));
    } else {
      dm::model::ServiceStates states = states_of(*opts->status);
      *out = dm::capi::copy_for_caller(dm::model::graph_text(def, format, &states));
    }
    return DM_OK;
  });
}

}  // extern "C"
