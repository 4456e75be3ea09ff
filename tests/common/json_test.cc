#include "common/json.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace dm {
namespace {

TEST(Json, ReadsWhatIsThereAndFallsBackForTheRest) {
  Json json = Json::parse(R"({"Id":"abc","State":{"Running":true,"ExitCode":3},
      "Labels":{"a":"1","n":2},"Names":["/x",7],"Nothing":null})");
  JsonView v = json.view();
  EXPECT_EQ(v["Id"].str(), "abc");
  EXPECT_TRUE(v["State"]["Running"].boolean());
  EXPECT_EQ(v["State"]["ExitCode"].integer(), 3);
  EXPECT_EQ(v["Labels"].string_map(), (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_EQ(v["Names"].string_list(), (std::vector<std::string>{"/x"}));
  EXPECT_EQ(v["Missing"]["Deeper"].str("fallback"), "fallback");
  EXPECT_EQ(v["Nothing"].integer(-1), -1);
  EXPECT_FALSE(v["Id"]["x"].valid());
  EXPECT_EQ(v["Labels"].items()[0].key(), "a");
}

TEST(Json, IntegersOutOfRangeOrWithAFractionAreNotIntegers) {
  // Converting 1e300 to int64_t is undefined behaviour: it must never happen.
  Json json = Json::parse(R"([1e300,-1e300,9223372036854775808,-9223372036854775808,2.5,-0.0,7])");
  std::vector<JsonView> v = json.view().items();
  EXPECT_EQ(v[0].integer(-1), -1);
  EXPECT_EQ(v[1].integer(-1), -1);
  EXPECT_EQ(v[2].integer(-1), -1);
  EXPECT_EQ(v[3].integer(-1), INT64_MIN);
  EXPECT_FALSE(v[4].is_integer());
  EXPECT_EQ(v[4].number(), 2.5);
  EXPECT_EQ(v[5].integer(-1), 0);
  EXPECT_EQ(v[6].integer(-1), 7);
}

TEST(Json, BuildsBodies) {
  Json inner = Json::object();
  inner.set("Aliases", std::vector<std::string>{"db"});
  Json body = Json::object();
  body.set("Image", "busybox").set("Tty", false).set("N", 3).set("Net", std::move(inner));
  body.set("Image", "other");  // replaces
  body.set("Labels", std::map<std::string, std::string>{{"k", "v"}});
  EXPECT_EQ(body.dump(),
            R"({"Image":"other","Tty":false,"N":3,"Net":{"Aliases":["db"]},"Labels":{"k":"v"}})");
}

TEST(Json, BadTextIsAnEngineError) {
  try {
    Json::parse("<html>");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), Error::Code::Engine);
    EXPECT_NE(std::string(e.what()).find("<html>"), std::string::npos);
  }
}

}  // namespace
}  // namespace dm
