// The library's version, for what drillmaster writes down about itself (the
// version label on its containers and networks). It comes from CMake's
// project() version; src/capi checks that the public header's
// DM_VERSION_STRING says the same.
#ifndef DM_COMMON_VERSION_H
#define DM_COMMON_VERSION_H

namespace dm {

inline constexpr const char* kVersion = DM_LIBRARY_VERSION;

}  // namespace dm

#endif
