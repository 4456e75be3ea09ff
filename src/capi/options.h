// The options structs of the C API, apart from the operations that take
// them: the version check every such operation makes first, and (in
// options.cc) the dm_*_options_init() functions with each struct's defaults
// by version. The default values themselves live in orchestrator/defaults.h
// and engine/client.h; options.cc checks at compile time that every
// DM_*_OPTIONS_INIT macro agrees with them. The operations convert the
// structs (operations.cc, client.cc), reading only the fields of the version
// a struct says it is.
#ifndef DM_CAPI_OPTIONS_H
#define DM_CAPI_OPTIONS_H

namespace dm::capi {

// Throws DM_EINVALID unless `version` is one the library knows of the struct
// `name` (1 to `latest`). The message names the struct, the version, the
// versions known and what to do: "dm_start_options version 0 is not
// supported by drillmaster 0.2.0, which knows versions 1 and 2: ...".
void check_version(const char* name, unsigned version, unsigned latest);

}  // namespace dm::capi

#endif
