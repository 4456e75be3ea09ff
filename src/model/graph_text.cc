#include "model/graph_text.h"

#include <cstddef>
#include <iterator>
#include <set>
#include <vector>

#include "model/graph.h"

namespace dm::model {
namespace {

// The colours of each state class: fill, border. Anything else the engine
// may say falls into "other".
struct StateColour {
  const char* state;
  const char* fill;
  const char* stroke;
};
constexpr StateColour kColours[] = {
    {"running", "#b7e1b0", "#2e7d32"},    {"created", "#fff3b0", "#b08800"},
    {"restarting", "#fff3b0", "#b08800"}, {"paused", "#fff3b0", "#b08800"},
    {"exited", "#f4b6b6", "#c62828"},     {"dead", "#f4b6b6", "#c62828"},
    {"missing", "#e0e0e0", "#757575"},    {"other", "#e0e0e0", "#757575"},
};

std::string state_class(const ServiceStates& states, const std::string& service) {
  auto it = states.find(service);
  if (it == states.end() || it->second.empty()) return "missing";
  for (const StateColour& c : kColours)
    if (it->second == c.state) return c.state;
  return "other";
}

std::string what_runs(const ServiceDef& s) {
  if (!s.build_context.empty()) return "built from " + s.build_context;
  return s.image;
}

// Mermaid node text inside ["..."]: entity codes for what would end the
// string or be read as markup; '#' first, as it starts an entity code.
std::string mermaid_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '#':
        out += "#35;";
        break;
      case '"':
        out += "#quot;";
        break;
      case '<':
        out += "#lt;";
        break;
      case '>':
        out += "#gt;";
        break;
      case '\n':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A DOT quoted string's content: backslash and quote escaped; a newline kept
// as the label line break \n.
std::string dot_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

// A Mermaid node id: the service name is a DNS label ([a-z0-9-]); '-' is
// not safe in an id, '_' never occurs in a label, and the prefix keeps
// keywords ("end", "graph") from being taken as ids.
std::string mermaid_id(const std::string& service) {
  std::string id = "svc_";
  for (char c : service) id += c == '-' ? '_' : c;
  return id;
}

struct Edge {
  size_t from;
  size_t to;
};

std::vector<Edge> edges(const Graph& graph) {
  std::vector<Edge> out;
  for (size_t s = 0; s < graph.size(); s++)
    for (size_t d : graph.dependencies(s)) out.push_back({s, d});
  return out;
}

std::string mermaid(const GroupDef& group, const Graph& graph, const ServiceStates* states) {
  std::string out = "flowchart TD\n";
  for (const ServiceDef& s : group.services)
    out += "    " + mermaid_id(s.name) + "[\"" + mermaid_escaped(s.name) + "<br/>" +
           mermaid_escaped(what_runs(s)) + "\"]\n";
  for (const Edge& e : edges(graph))
    out += "    " + mermaid_id(graph.name(e.from)) + " --> " + mermaid_id(graph.name(e.to)) + "\n";
  if (states == nullptr) return out;
  std::set<std::string> used;
  for (const ServiceDef& s : group.services) {
    std::string cls = state_class(*states, s.name);
    used.insert(cls);
    out += "    class " + mermaid_id(s.name) + " " + cls + "\n";
  }
  for (const StateColour& c : kColours)
    if (used.count(c.state))
      out +=
          "    classDef " + std::string(c.state) + " fill:" + c.fill + ",stroke:" + c.stroke + "\n";
  return out;
}

const StateColour& colour_of(const std::string& cls) {
  for (const StateColour& c : kColours)
    if (cls == c.state) return c;
  return kColours[std::size(kColours) - 1];
}

std::string dot(const GroupDef& group, const Graph& graph, const ServiceStates* states) {
  std::string out = "digraph \"" + dot_escaped(group.name) + "\" {\n";
  out += "    node [shape=box];\n";
  for (const ServiceDef& s : group.services) {
    out += "    \"" + dot_escaped(s.name) + "\" [label=\"" + dot_escaped(s.name) + "\\n" +
           dot_escaped(what_runs(s)) + "\"";
    if (states != nullptr) {
      const StateColour& c = colour_of(state_class(*states, s.name));
      out += ", class=\"" + std::string(c.state) + "\", style=filled, fillcolor=\"" + c.fill +
             "\", color=\"" + c.stroke + "\"";
    }
    out += "];\n";
  }
  for (const Edge& e : edges(graph))
    out += "    \"" + dot_escaped(graph.name(e.from)) + "\" -> \"" + dot_escaped(graph.name(e.to)) +
           "\";\n";
  return out + "}\n";
}

}  // namespace

std::string graph_text(const GroupDef& group, GraphFormat format, const ServiceStates* states) {
  Graph graph(group);
  return format == GraphFormat::Dot ? dot(group, graph, states) : mermaid(group, graph, states);
}

}  // namespace dm::model
