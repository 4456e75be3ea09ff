// The dependency graph as text for a picture: Mermaid or Graphviz DOT. A pure
// function of the definition (and, optionally, each service's state): the C
// API's dm_group_graph() returns it, so every binding prints the same graph.
#ifndef DM_MODEL_GRAPH_TEXT_H
#define DM_MODEL_GRAPH_TEXT_H

#include <map>
#include <string>

#include "model/service.h"

namespace dm::model {

enum class GraphFormat { Mermaid, Dot };

// Each service's container state by service name ("running", "exited",
// "missing", ...), as a status report says it.
using ServiceStates = std::map<std::string, std::string>;

// The graph of a valid group (validate() first: unknown dependencies are
// left out here). One node per service in definition order, labelled with
// its name and its image, or "built from <dir>" for a service with a build
// context. One edge per dependency, from the dependant to the service it
// depends on (as `docker compose alpha viz` draws depends_on), in definition
// order of both ends: the same group gives the same text. With `states`,
// each node carries the class of its state (a service not in `states` is
// "missing") and the classes are coloured; every label is quoted and escaped
// for the format. Ends with a newline.
std::string graph_text(const GroupDef& group, GraphFormat format,
                       const ServiceStates* states = nullptr);

}  // namespace dm::model

#endif
