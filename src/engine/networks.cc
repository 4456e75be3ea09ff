// Network calls: create, inspect, list, remove.
#include "engine/engine_client.h"

namespace dm::engine {

namespace {

NetworkSummary parse_network(JsonView n) {
  NetworkSummary s;
  s.id = n["Id"].str();
  s.name = n["Name"].str();
  s.labels = n["Labels"].string_map();
  // Keys are container ids; only inspect fills this map.
  for (const JsonView& c : n["Containers"].items()) s.container_ids.push_back(c.key());
  return s;
}

}  // namespace

std::string EngineClient::network_create(const std::string& name, const Labels& labels) {
  std::string what = "create network '" + name + "'";
  return guarded(what, [&] {
    Json body = Json::object();
    body.set("Name", name);
    body.set("Driver", "bridge");
    // Refuse a second network of the same name (engines before API 1.44
    // would otherwise create it; newer ones always check and ignore this).
    body.set("CheckDuplicate", true);
    if (!labels.empty()) body.set("Labels", labels);
    Request r = request("POST", versioned("/networks/create"), what);
    r.body = body.dump();
    r.content_type = "application/json";
    Json answer = send_json(r);
    std::string id = answer.view()["Id"].str();
    if (id.empty())
      throw Error(DM_EENGINE, "the engine did not say the id of network '" + name + "'");
    return id;
  });
}

NetworkSummary EngineClient::network_inspect(const std::string& id_or_name) {
  std::string what = "inspect network '" + id_or_name + "'";
  return guarded(what, [&] {
    Json json = send_json(request("GET", versioned("/networks/" + path_encode(id_or_name)), what));
    return parse_network(json.view());
  });
}

std::vector<NetworkSummary> EngineClient::network_list(const Labels& label_filters) {
  std::string what = "list networks";
  return guarded(what, [&] {
    std::string path = versioned("/networks");
    std::string filters = label_filters_query(label_filters);
    if (!filters.empty()) path += "?" + filters;
    Json json = send_json(request("GET", path, what));
    std::vector<NetworkSummary> out;
    for (const JsonView& n : json.view().items()) out.push_back(parse_network(n));
    return out;
  });
}

void EngineClient::network_remove(const std::string& id_or_name) {
  std::string what = "remove network '" + id_or_name + "'";
  guarded(what, [&] {
    send(request("DELETE", versioned("/networks/" + path_encode(id_or_name)), what));
  });
}

}  // namespace dm::engine
