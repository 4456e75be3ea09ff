#include "model/request.h"

#include "model/digest.h"
#include "model/fields.h"

namespace dm::model {

namespace {

bool is_empty(const Json& object) { return object.view().items().empty(); }

bool wrote_nothing(const CreateRequest& r) {
  return is_empty(r.config) && is_empty(r.host) && is_empty(r.networking) && is_empty(r.deploy);
}

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

Json deploy_request(const GroupDef& group, const ServiceDef& service) {
  CreateRequest request;
  for (const Field& field : fields())
    if (field.write) field.write(group, service, request);
  return std::move(request.deploy);
}

std::vector<std::string> fields_written(const GroupDef& group, const ServiceDef& service) {
  std::vector<std::string> names;
  for (const Field& field : fields()) {
    if (!field.write) continue;
    CreateRequest written;
    field.write(group, service, written);
    if (!wrote_nothing(written)) names.push_back(field.name);
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
    if (wrote_nothing(written)) continue;
    digest.add(field.name);
    digest.add(written.config.dump());
    digest.add(written.host.dump());
    digest.add(written.networking.dump());
    // Only when there is one, so that the fields before it keep their hashes.
    if (!is_empty(written.deploy)) digest.add(written.deploy.dump());
  }
  return digest.hex();
}

}  // namespace dm::model
