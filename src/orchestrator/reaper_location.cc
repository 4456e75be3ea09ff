#include "orchestrator/reaper_location.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "common/error.h"
#include "common/text.h"
#include "orchestrator/reaper_protocol.h"

// Set by CMakeLists.txt from the install directories.
#ifndef DM_REAPER_LIBEXEC_FROM_LIBDIR
#  define DM_REAPER_LIBEXEC_FROM_LIBDIR "../libexec/drillmaster"
#endif
#ifndef DM_REAPER_INSTALLED
#  define DM_REAPER_INSTALLED "/usr/local/libexec/drillmaster/drillmaster-reaper"
#endif

namespace dm::orchestrator {
namespace {

std::string directory_of(const std::string& file) {
  size_t slash = file.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : file.substr(0, slash);
}

bool executable_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// The file this code was loaded from (libdrillmaster.so.0, or the program a
// static copy is linked into), with symbolic links resolved, so that the
// directory is the real one; "" when the loader cannot say.
std::string loaded_library() {
  Dl_info info{};
  if (::dladdr(reinterpret_cast<void*>(&loaded_library), &info) == 0 || info.dli_fname == nullptr ||
      info.dli_fname[0] == '\0')
    return "";
  char* real = ::realpath(info.dli_fname, nullptr);
  if (real == nullptr) return "";
  std::string out(real);
  std::free(real);
  return out;
}

}  // namespace

std::vector<std::string> reaper_candidates(const ReaperSearch& search) {
  if (search.variable) return {*search.variable};
  std::vector<std::string> out;
  if (!search.library.empty()) {
    std::string dir = directory_of(search.library);
    out.push_back(dir + "/" + kReaperName);
    if (!search.libexec_from_library.empty())
      out.push_back(dir + "/" + search.libexec_from_library + "/" + kReaperName);
  }
  if (!search.installed.empty()) out.push_back(search.installed);
  return out;
}

std::string locate_reaper(const ReaperSearch& search) {
  if (search.variable && (search.variable->empty() || search.variable->front() != '/'))
    throw Error(Error::Code::Invalid, std::string(kReaperVariable) + " is '" + *search.variable +
                                          "', not an absolute path; set it to the absolute "
                                          "path of drillmaster-reaper, or unset it");
  std::vector<std::string> tried = reaper_candidates(search);
  for (const std::string& path : tried)
    if (executable_file(path)) return path;
  if (search.variable)
    throw Error(Error::Code::Invalid,
                "cannot remove the group's containers when this process exits: " +
                    std::string(kReaperVariable) + " is '" + *search.variable +
                    "', which is not an executable file; point it at drillmaster-reaper, or "
                    "unset it to use the copy installed with drillmaster");
  throw Error(Error::Code::Invalid,
              "cannot remove the group's containers when this process exits: drillmaster-reaper "
              "was not found (looked for " +
                  join(tried, ", ") + "); install drillmaster completely, or set " +
                  kReaperVariable + " to its absolute path");
}

std::string locate_reaper() {
  ReaperSearch search;
  if (const char* variable = std::getenv(kReaperVariable)) search.variable = variable;
  search.library = loaded_library();
  search.libexec_from_library = DM_REAPER_LIBEXEC_FROM_LIBDIR;
  search.installed = DM_REAPER_INSTALLED;
  return locate_reaper(search);
}

}  // namespace dm::orchestrator
