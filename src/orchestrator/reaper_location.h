// Where the drillmaster-reaper executable is found. Looked for, in order:
//   1. $DRILLMASTER_REAPER, an absolute path. When it is set it is the only
//      place looked at: a wrong override is reported, not silently replaced
//      by another copy.
//   2. beside the loaded libdrillmaster (found with dladdr):
//      <dir>/drillmaster-reaper; the build tree puts it there, and the Python
//      wheel ships it there, in the package directory;
//   3. the libexec directory of an installed tree, relative to the library's
//      directory: <dir>/../libexec/drillmaster/drillmaster-reaper for the usual
//      layout (computed from the install directories, so a tree installed
//      with another prefix is found too);
//   4. where `cmake --install` put it, as configured (CMAKE_INSTALL_LIBEXECDIR).
#ifndef DM_ORCHESTRATOR_REAPER_LOCATION_H
#define DM_ORCHESTRATOR_REAPER_LOCATION_H

#include <optional>
#include <string>
#include <vector>

namespace dm::orchestrator {

// The environment variable of place 1.
inline constexpr const char* kReaperVariable = "DRILLMASTER_REAPER";

// What the search starts from; locate_reaper() fills it from the process.
struct ReaperSearch {
  std::optional<std::string> variable;  // $DRILLMASTER_REAPER, when set
  std::string library;                  // the loaded library's file; "" when unknown
  std::string libexec_from_library;     // place 3's directory, relative to the library's
  std::string installed;                // place 4
};

// The places of the search, in order (only the variable's when it is set).
std::vector<std::string> reaper_candidates(const ReaperSearch& search);

// The first candidate that is an executable regular file. Throws
// dm::Error(Code::Invalid) naming every place tried and what to do, when
// there is none (or when the variable holds a relative path).
std::string locate_reaper(const ReaperSearch& search);

// locate_reaper() for this process: the variable, the library this code was
// loaded from, the directories configured at build time.
std::string locate_reaper();

}  // namespace dm::orchestrator

#endif
