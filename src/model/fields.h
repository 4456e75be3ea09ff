// THE field table: every field of a service definition, declared once. Each
// entry says what the field is called, what values it accepts (its check),
// where it goes in the engine's create request, and how it enters the
// definition hash. Validation (validate.h), the create request and the hash
// (request.h) loop over this table; nothing else lists the fields.
//
// Adding a field: docs/adding-a-field.md.
#ifndef DM_MODEL_FIELDS_H
#define DM_MODEL_FIELDS_H

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/json.h"
#include "model/defined_names.h"
#include "model/digest.h"
#include "model/request.h"
#include "model/service.h"

namespace dm::model {

// The engine's create request (POST /containers/create) in its three parts,
// as the fields write it; create_request() puts them together.
struct CreateRequest {
  Json config = Json::object();      // the body's top level: the container's Config
  Json host = Json::object();        // HostConfig
  Json networking = Json::object();  // NetworkingConfig
  // What a swarm service is deployed with besides its container (Compose's
  // deploy section: "Replicas"). No part of a container's create request,
  // but of the definition hash and of fields_written() (request.h).
  Json deploy = Json::object();
  Use use = Use::Service;  // what the container is for (request.h)
};

// What the check of one service's field sees, and where it reports.
struct FieldCheck {
  const GroupDef& group;
  const ServiceDef& service;
  // How messages name the service: "service 'app'", or "service #3" when it
  // has no name.
  const std::string& who;
  // The group's service names (dependencies are checked against them).
  DefinedNames& defined;
  // Host ports published by the services checked so far ("8080/tcp" ->
  // service), so that a port published twice is reported once.
  std::map<std::string, std::string>& published;
  // One sentence per problem, naming the service, the field and the value,
  // and saying what would be accepted.
  std::vector<std::string>& problems;
  // The service is checked on its own, when a binding defines it (a Python
  // class): checks leave out what needs the rest of the group (dependencies)
  // or what is only known at start (files, an image a build will make).
  bool alone = false;
};

struct Field {
  // The field as users write it (the Python attribute; the C setter is
  // dm_service_set_<name> or dm_service_add_<name>).
  const char* name;

  // Adds the problems of the field's value; nullptr when every value is fine.
  void (*check)(FieldCheck& field);

  // Writes the field into the create request; nothing when the field is at
  // its default, so that a default takes the image's own value. nullptr for
  // fields that do not shape the container (dependencies, timeout...): they
  // never enter the definition hash either.
  void (*write)(const GroupDef& group, const ServiceDef& service, CreateRequest& request);

  // The fields of drillmaster 0.1 only: how 0.1 digested the field, byte for
  // byte, so that an upgrade finds the containers 0.1 made up to date. Every
  // newer field leaves this nullptr and enters the hash by what it writes,
  // and only when it writes something (definition_hash() in request.h). Never
  // add one.
  void (*digest_01)(const GroupDef& group, const ServiceDef& service, Digest& digest);

  // Sets the field to a valid value other than its default (on `service`, or
  // on `group` for what the group decides, like the network): the tests loop
  // over the table with it, so a new field is tested for reaching the
  // request and the hash without a test of its own.
  void (*sample)(GroupDef& group, ServiceDef& service);
};

// The labels drillmaster puts on what it makes all start with this; a
// service's own labels may not.
inline constexpr const char* kLabelPrefix = "io.drillmaster.";

// Where secrets are mounted: <kSecretsDirectory>/<name>, as Compose does.
inline constexpr const char* kSecretsDirectory = "/run/secrets";

// The create_options text parsed: nullopt when it is not a JSON object.
std::optional<Json> parse_create_options(const std::string& text);

// Every field, in the order validation reports problems in. Those with a
// digest_01 are in the order 0.1 digested them, and newer ones come after.
const std::vector<Field>& fields();

}  // namespace dm::model

#endif
