// What a service's container is created with, and the hash that tells whether
// an existing container was made from the same definition. Both come from the
// field table (fields.h); drillmaster's own labels are not part of either.
#ifndef DM_MODEL_REQUEST_H
#define DM_MODEL_REQUEST_H

#include <string>
#include <vector>

#include "common/json.h"
#include "model/service.h"

namespace dm::model {

// What a container is created for: the service itself, or a one-off run of
// its definition (`run`), which, as Compose's, has no DNS alias of the
// service on the group network and no restart policy.
enum class Use { Service, OneOff };

// The body of the engine's POST /containers/create for `service` of `group`
// (Config at the top level, HostConfig, NetworkingConfig), without labels.
// Assumes a valid definition (validate.h).
Json create_request(const GroupDef& group, const ServiceDef& service, Use use = Use::Service);

// What a swarm service of `service` is deployed with besides its container
// (fields.h's CreateRequest::deploy: {"Replicas": 3}); an empty object at
// every default.
Json deploy_request(const GroupDef& group, const ServiceDef& service);

// Sixteen hex digits that change whenever the container `service` would be
// created with changes. 0.1's digest of the fields 0.1 knew, in 0.1's order,
// then each newer field that is set (that writes to the request): its name
// and what it writes (its deploy part too, when it has one). So a field at
// its default contributes nothing, adding fields never changes the hash of an
// existing definition, and containers made by 0.1 stay up to date.
std::string definition_hash(const GroupDef& group, const ServiceDef& service);

// The names of the fields (as the field table names them) that shape the
// container of `service`: those that write something to its create request,
// in the table's order. A target that carries only some of them (a swarm)
// refuses the others by name.
std::vector<std::string> fields_written(const GroupDef& group, const ServiceDef& service);

}  // namespace dm::model

#endif
