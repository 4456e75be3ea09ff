// Where drillmaster-reaper is looked for (reaper_location.h): the variable
// alone when set, else beside the library, then the libexec directory
// relative to it, then the configured one; a miss names every place and
// what to do.
#include "orchestrator/reaper_location.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "common/error.h"

namespace dm::orchestrator {
namespace {

std::string refusal(const ReaperSearch& search) {
  try {
    locate_reaper(search);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Invalid);
    return e.what();
  }
  ADD_FAILURE() << "found one";
  return "";
}

// A temporary tree: <root>/lib/libdrillmaster.so.0, and executables made on demand.
class Tree : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dm-reaper-location-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    root = pattern;
    ::mkdir((root + "/lib").c_str(), 0700);
  }
  void TearDown() override { ::system(("rm -rf '" + root + "'").c_str()); }

  void file(const std::string& relative, mode_t mode) {
    std::string path = root + "/" + relative;
    ::system(("mkdir -p \"$(dirname '" + path + "')\"").c_str());
    std::ofstream(path) << "#!/bin/sh\n";
    ::chmod(path.c_str(), mode);
  }

  ReaperSearch search() const {
    ReaperSearch s;
    s.library = root + "/lib/libdrillmaster.so.0";
    s.libexec_from_library = "../libexec/drillmaster";
    s.installed = root + "/usr/libexec/drillmaster/drillmaster-reaper";
    return s;
  }

  std::string root;
};

TEST_F(Tree, ThePlacesInOrder) {
  EXPECT_EQ(reaper_candidates(search()),
            (std::vector<std::string>{root + "/lib/drillmaster-reaper",
                                      root + "/lib/../libexec/drillmaster/drillmaster-reaper",
                                      root + "/usr/libexec/drillmaster/drillmaster-reaper"}));
  ReaperSearch with_variable = search();
  with_variable.variable = "/opt/reaper";
  EXPECT_EQ(reaper_candidates(with_variable), (std::vector<std::string>{"/opt/reaper"}))
      << "a set variable is the only place looked at";
  ReaperSearch no_library = search();
  no_library.library = "";
  EXPECT_EQ(reaper_candidates(no_library),
            (std::vector<std::string>{root + "/usr/libexec/drillmaster/drillmaster-reaper"}));
}

TEST_F(Tree, TheFirstExecutableFileWins) {
  file("usr/libexec/drillmaster/drillmaster-reaper", 0755);
  EXPECT_EQ(locate_reaper(search()), root + "/usr/libexec/drillmaster/drillmaster-reaper");
  file("libexec/drillmaster/drillmaster-reaper", 0755);
  EXPECT_EQ(locate_reaper(search()), root + "/lib/../libexec/drillmaster/drillmaster-reaper");
  file("lib/drillmaster-reaper", 0644);  // not executable: passed over
  EXPECT_EQ(locate_reaper(search()), root + "/lib/../libexec/drillmaster/drillmaster-reaper");
  ::chmod((root + "/lib/drillmaster-reaper").c_str(), 0755);
  EXPECT_EQ(locate_reaper(search()), root + "/lib/drillmaster-reaper");
  ::mkdir((root + "/dir").c_str(), 0755);
  ReaperSearch directory = search();
  directory.variable = root + "/dir";
  EXPECT_NE(refusal(directory).find("not an executable file"), std::string::npos)
      << "a directory is not a program";
}

TEST_F(Tree, AMissNamesEveryPlaceAndWhatToDo) {
  std::string message = refusal(search());
  for (const std::string& place : reaper_candidates(search()))
    EXPECT_NE(message.find(place), std::string::npos) << message;
  EXPECT_NE(message.find("DRILLMASTER_REAPER"), std::string::npos) << message;
  EXPECT_NE(message.find("when this process exits"), std::string::npos) << message;
}

TEST_F(Tree, TheVariableIsTheOnlyPlaceWhenSet) {
  file("lib/drillmaster-reaper", 0755);  // would be found without the variable
  ReaperSearch s = search();
  s.variable = root + "/nowhere/drillmaster-reaper";
  std::string message = refusal(s);
  EXPECT_NE(message.find("DRILLMASTER_REAPER is '" + root + "/nowhere/drillmaster-reaper'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("unset it"), std::string::npos) << message;
  s.variable = "relative/drillmaster-reaper";
  EXPECT_NE(refusal(s).find("not an absolute path"), std::string::npos);
  s.variable = "";
  EXPECT_NE(refusal(s).find("not an absolute path"), std::string::npos);
  file("mine", 0755);
  s.variable = root + "/mine";
  EXPECT_EQ(locate_reaper(s), root + "/mine");
}

}  // namespace
}  // namespace dm::orchestrator
