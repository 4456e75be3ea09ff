// Network calls: create, inspect, list, remove.
#include "engine/answers.h"
#include "engine/engine_client.h"

namespace dm::engine {

std::string EngineClient::network_create(const std::string& name, const Labels& labels) {
  return create_network(name, "bridge", /*attachable=*/false, labels);
}

std::string EngineClient::create_network(const std::string& name, const char* driver,
                                         bool attachable, const Labels& labels) {
  std::string what =
      std::string("create ") + (attachable ? "overlay " : "") + "network '" + name + "'";
  return guarded(what, [&] {
    Json body = Json::object();
    body.set("Name", name);
    body.set("Driver", driver);
    if (attachable) body.set("Attachable", true);
    // Refuse a second network of the same name (engines before API 1.44
    // would otherwise create it; newer ones always check and ignore this).
    body.set("CheckDuplicate", true);
    if (!labels.empty()) body.set("Labels", labels);
    Request r = request("POST", versioned("/networks/create"), what);
    r.body = body.dump();
    r.content_type = "application/json";
    return parse_created_id(send(r).body, "POST /networks/create");
  });
}

NetworkSummary EngineClient::network_inspect(const std::string& id_or_name) {
  std::string what = "inspect network '" + id_or_name + "'";
  return guarded(what, [&] {
    Response answer = send(request("GET", versioned("/networks/" + path_encode(id_or_name)), what));
    return parse_network_inspect(answer.body, "GET /networks/" + id_or_name);
  });
}

std::vector<NetworkSummary> EngineClient::network_list(const Labels& label_filters) {
  std::string what = "list networks";
  return guarded(what, [&] {
    std::string path = versioned("/networks");
    std::string filters = label_filters_query(label_filters);
    if (!filters.empty()) path += "?" + filters;
    return parse_network_list(send(request("GET", path, what)).body);
  });
}

void EngineClient::network_remove(const std::string& id_or_name) {
  std::string what = "remove network '" + id_or_name + "'";
  guarded(what, [&] {
    send(request("DELETE", versioned("/networks/" + path_encode(id_or_name)), what));
  });
}

}  // namespace dm::engine
