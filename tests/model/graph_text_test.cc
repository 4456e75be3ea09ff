// The graph as Mermaid and DOT text: order, edges, labels, escaping, and the
// state colours. The whole text is compared, so a change of the output is
// seen here first.
#include "model/graph_text.h"

#include <gtest/gtest.h>

#include "model/groups.h"

namespace dm::model {
namespace {

using testing::group;
using testing::service;

// db <- cache, db <- queue, {cache, queue} <- app: a diamond, defined with
// the dependant first so the order of the text is the definition's.
GroupDef diamond() {
  return group({service("app", {"queue", "cache"}), service("cache", {"db"}),
                service("queue", {"db"}), service("db")});
}

TEST(GraphText, MermaidDiamondInDefinitionOrder) {
  EXPECT_EQ(graph_text(diamond(), GraphFormat::Mermaid),
            "flowchart TD\n"
            "    svc_app[\"app<br/>busybox:latest\"]\n"
            "    svc_cache[\"cache<br/>busybox:latest\"]\n"
            "    svc_queue[\"queue<br/>busybox:latest\"]\n"
            "    svc_db[\"db<br/>busybox:latest\"]\n"
            // app's dependencies in definition order (cache before queue),
            // not in the order app lists them.
            "    svc_app --> svc_cache\n"
            "    svc_app --> svc_queue\n"
            "    svc_cache --> svc_db\n"
            "    svc_queue --> svc_db\n");
}

TEST(GraphText, DotDiamondInDefinitionOrder) {
  EXPECT_EQ(graph_text(diamond(), GraphFormat::Dot),
            "digraph \"demo\" {\n"
            "    node [shape=box];\n"
            "    \"app\" [label=\"app\\nbusybox:latest\"];\n"
            "    \"cache\" [label=\"cache\\nbusybox:latest\"];\n"
            "    \"queue\" [label=\"queue\\nbusybox:latest\"];\n"
            "    \"db\" [label=\"db\\nbusybox:latest\"];\n"
            "    \"app\" -> \"cache\";\n"
            "    \"app\" -> \"queue\";\n"
            "    \"cache\" -> \"db\";\n"
            "    \"queue\" -> \"db\";\n"
            "}\n");
}

TEST(GraphText, LoneServiceHasANodeAndNoEdge) {
  GroupDef g = group({service("solo")});
  EXPECT_EQ(graph_text(g, GraphFormat::Mermaid),
            "flowchart TD\n    svc_solo[\"solo<br/>busybox:latest\"]\n");
  EXPECT_EQ(graph_text(g, GraphFormat::Dot),
            "digraph \"demo\" {\n    node [shape=box];\n"
            "    \"solo\" [label=\"solo\\nbusybox:latest\"];\n}\n");
}

TEST(GraphText, HyphenatedNamesAndKeywordsMakeSafeMermaidIds) {
  GroupDef g = group({service("end"), service("app-db", {"end"})});
  std::string text = graph_text(g, GraphFormat::Mermaid);
  EXPECT_NE(text.find("    svc_app_db[\"app-db<br/>"), std::string::npos) << text;
  EXPECT_NE(text.find("    svc_app_db --> svc_end\n"), std::string::npos) << text;
}

TEST(GraphText, ImagesWithRegistryDigestAndQuotesAreEscaped) {
  ServiceDef s = service("db");
  s.image = "registry.example:5000/team/pg@sha256:ab#\"<x>\\";
  GroupDef g = group({s});
  EXPECT_EQ(
      graph_text(g, GraphFormat::Mermaid),
      "flowchart TD\n"
      "    svc_db[\"db<br/>registry.example:5000/team/pg@sha256:ab#35;#quot;#lt;x#gt;\\\"]\n");
  EXPECT_EQ(
      graph_text(g, GraphFormat::Dot),
      "digraph \"demo\" {\n    node [shape=box];\n"
      "    \"db\" [label=\"db\\nregistry.example:5000/team/pg@sha256:ab#\\\"<x>\\\\\"];\n}\n");
}

TEST(GraphText, BuiltServicesSayWhereFrom) {
  ServiceDef s = service("web");
  s.build_context = "/srv/demo/web";
  std::string text = graph_text(group({s}), GraphFormat::Mermaid);
  EXPECT_NE(text.find("svc_web[\"web<br/>built from /srv/demo/web\"]"), std::string::npos) << text;
}

TEST(GraphText, MermaidStatesBecomeClassesColouredOncePerUsedState) {
  ServiceStates states{{"app", "running"}, {"cache", "exited"}, {"queue", "sleepy"}};
  std::string text = graph_text(diamond(), GraphFormat::Mermaid, &states);
  std::string tail = text.substr(text.find("    class "));
  EXPECT_EQ(tail,
            "    class svc_app running\n"
            "    class svc_cache exited\n"
            "    class svc_queue other\n"
            // db is not in the report: it has no container.
            "    class svc_db missing\n"
            "    classDef running fill:#b7e1b0,stroke:#2e7d32\n"
            "    classDef exited fill:#f4b6b6,stroke:#c62828\n"
            "    classDef missing fill:#e0e0e0,stroke:#757575\n"
            "    classDef other fill:#e0e0e0,stroke:#757575\n");
}

TEST(GraphText, DotStatesFillTheNodes) {
  ServiceStates states{{"solo", "running"}};
  EXPECT_EQ(graph_text(group({service("solo")}), GraphFormat::Dot, &states),
            "digraph \"demo\" {\n    node [shape=box];\n"
            "    \"solo\" [label=\"solo\\nbusybox:latest\", class=\"running\", style=filled, "
            "fillcolor=\"#b7e1b0\", color=\"#2e7d32\"];\n}\n");
}

TEST(GraphText, WithoutStatesNothingIsColoured) {
  EXPECT_EQ(graph_text(diamond(), GraphFormat::Mermaid).find("class"), std::string::npos);
  EXPECT_EQ(graph_text(diamond(), GraphFormat::Dot).find("fillcolor"), std::string::npos);
}

}  // namespace
}  // namespace dm::model
