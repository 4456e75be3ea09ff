#include "model/request.h"

#include "model/digest.h"
#include "model/fields.h"

namespace dm::model {

namespace {

bool is_empty(const Json& object) { return object.view().items().empty(); }

}  // namespace

Json create_request(const GroupDef& group, const ServiceDef& service, Use use) {
  CreateRequest request;
  request.use = use;
  for (const Field& field : fields())
    if (field.write) field.write(group, service, request);
  if (use == Use::OneOff) {  // whatever a field said: the one-off's exit is the run's end
    Json never = Json::object();
    never.set("Name", "no");
    request.host.set("RestartPolicy", std::move(never));
  }
  Json body = std::move(request.config);
  body.set("HostConfig", std::move(request.host));
  if (!is_empty(request.networking)) body.set("NetworkingConfig", std::move(request.networking));
  return body;
}

std::vector<std::string> fields_written(const GroupDef& group, const ServiceDef& service) {
  std::vector<std::string> names;
  for (const Field& field : fields()) {
    if (!field.write) continue;
    CreateRequest written;
    field.write(group, service, written);
    if (!is_empty(written.config) || !is_empty(written.host) || !is_empty(written.networking))
      names.push_back(field.name);
  }
  return names;
}

std::string definition_hash(const GroupDef& group, const ServiceDef& service) {
  Digest digest;
  for (const Field& field : fields())
    if (field.digest_01) field.digest_01(group, service, digest);
  for (const Field& field : fields()) {
    if (field.digest_01 || !field.write) continue;
    CreateRequest written;
    field.write(group, service, written);
    if (is_empty(written.config) && is_empty(written.host) && is_empty(written.networking))
      continue;
    digest.add(field.name);
    digest.add(written.config.dump());
    digest.add(written.host.dump());
    digest.add(written.networking.dump());
  }
  return digest.hex();
}

}  // namespace dm::model
