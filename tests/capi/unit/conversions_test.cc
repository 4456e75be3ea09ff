// The C boundary's conversions: every C++ code, outcome and phase has its own
// C value, the one of the same name.
#include "capi/conversions.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace dm::capi {
namespace {

using orchestrator::Outcome;
using orchestrator::Phase;

TEST(Conversions, EachErrorCodeIsTheStatusOfTheSameName) {
  const std::pair<Error::Code, const char*> pairs[] = {
      {Error::Code::Invalid, "DM_EINVALID"},   {Error::Code::NotFound, "DM_ENOTFOUND"},
      {Error::Code::Conflict, "DM_ECONFLICT"}, {Error::Code::Unreachable, "DM_EUNREACHABLE"},
      {Error::Code::Engine, "DM_EENGINE"},     {Error::Code::Timeout, "DM_ETIMEOUT"},
      {Error::Code::Hook, "DM_EHOOK"},         {Error::Code::Cancelled, "DM_ECANCELLED"},
      {Error::Code::Failed, "DM_EFAILED"},     {Error::Code::NoMemory, "DM_ENOMEM"},
      {Error::Code::Internal, "DM_EINTERNAL"},
  };
  for (const auto& [code, name] : pairs)
    EXPECT_STREQ(dm_status_name(to_status(code)), name) << code;
}

TEST(Conversions, EachOutcomeIsTheCOutcomeOfTheSameName) {
  const std::pair<Outcome::Kind, const char*> pairs[] = {
      {Outcome::Kind::Started, "started"},
      {Outcome::Kind::AlreadyRunning, "already running"},
      {Outcome::Kind::Restarted, "restarted"},
      {Outcome::Kind::Reloaded, "reloaded"},
      {Outcome::Kind::Failed, "failed"},
      {Outcome::Kind::Skipped, "skipped"},
      {Outcome::Kind::Excluded, "excluded"},
      {Outcome::Kind::Cancelled, "cancelled"},
      {Outcome::Kind::Stopped, "stopped"},
      {Outcome::Kind::Removed, "removed"},
      {Outcome::Kind::NotRunning, "not running"},
      {Outcome::Kind::Completed, "completed"},
  };
  std::set<int> seen;
  for (const auto& [kind, name] : pairs) {
    EXPECT_STREQ(dm_outcome_name(to_outcome(kind)), name);
    EXPECT_TRUE(seen.insert(to_outcome(kind)).second) << name;
  }
}

TEST(Conversions, EachPhaseIsTheCPhaseOfTheSameName) {
  const std::pair<Phase, const char*> pairs[] = {
      {Phase::Building, "building"},         {Phase::Pulling, "pulling"},
      {Phase::PreStart, "pre-start"},        {Phase::Creating, "creating"},
      {Phase::Starting, "starting"},         {Phase::Pinging, "pinging"},
      {Phase::Initialising, "initialising"}, {Phase::Running, "running"},
      {Phase::Stopping, "stopping"},         {Phase::Stopped, "stopped"},
      {Phase::Removed, "removed"},           {Phase::Failed, "failed"},
      {Phase::Skipped, "skipped"},           {Phase::Detail, "detail"},
      {Phase::Waiting, "waiting"},
  };
  std::set<int> seen;
  for (const auto& [phase, name] : pairs) {
    EXPECT_STREQ(dm_phase_name(to_phase(phase)), name);
    EXPECT_TRUE(seen.insert(to_phase(phase)).second) << name;
  }
}

TEST(Conversions, AResultIsCancelledThenFailedThenFine) {
  orchestrator::Result result;
  result.services.push_back({"db", Outcome::Kind::Started, "", "", 0});
  EXPECT_EQ(to_status(result), DM_OK);
  result.services.push_back({"app", Outcome::Kind::Skipped, "dependency 'x' failed", "", 0});
  EXPECT_EQ(to_status(result), DM_EFAILED);
  result.cancelled = true;
  EXPECT_EQ(to_status(result), DM_ECANCELLED);
}

}  // namespace
}  // namespace dm::capi
