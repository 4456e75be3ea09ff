// An in-process engine::Client for the scheduler's unit tests: containers,
// networks and images kept in maps, with the state changes a Docker engine
// makes (create -> created, start -> running, stop -> exited, rename, a wait
// that returns when the container stops, label-filtered lists), so the plan
// and the executor run in milliseconds without an engine.
//
// Each call can be scripted: answer late, never answer, or fail, for the
// calls that match a subject. Like the real client, a call that takes too
// long ends at the calling thread's engine deadline (engine/deadline.h) with
// Error::Code::Timeout, and a call given a cancellation token ends once it is
// cancelled. Every call is logged, in the order the calls began.
//
// A subject names what a call is about: for container calls the container's
// service (its io.drillmaster.service label) when it has one, else its name;
// the image for image calls, the network for network calls, "" for lists.
// A script's subject also matches a container's name or id.
//
// For faults a real engine gives only as bytes (malformed answers, cut
// connections), see fake_engine.h, which speaks HTTP on a socket.
#ifndef DM_TESTS_SUPPORT_FAKE_CLIENT_H
#define DM_TESTS_SUPPORT_FAKE_CLIENT_H

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/client.h"

namespace dm::testing {

// What a scripted call does before (or instead of) its usual effect.
struct Script {
  double delay = 0;   // seconds before it answers
  bool hang = false;  // never answers: ends at the deadline, on cancel, or when the fake goes
  std::optional<Error> error;    // thrown instead of the usual effect
  std::function<void()> before;  // runs first, on the calling thread, without the fake's lock
  int times = -1;                // how many matching calls it applies to; -1: every one
};

Script delay(double seconds);
Script hang();
Script fail(Error::Code code, const std::string& message);

struct FakeContainer {
  std::string id;
  std::string name;
  std::string service;  // its io.drillmaster.service label, or ""
  std::string state;    // "created", "running", "exited"
  int exit_code = 0;
  engine::ContainerSpec spec;
  std::string image_id;
  std::string logs;     // what it wrote, lines ending in '\n'
  int starts = 0;       // how often it was started
  int last_grace = -1;  // the grace period of its last stop
};

class FakeClient : public engine::Client {
 public:
  FakeClient();
  // Ends every call still waiting (with Error::Code::Unreachable) and waits for them.
  ~FakeClient() override;

  // ---- the world ----
  // An image present on the engine; returns its id.
  std::string add_image(const std::string& name);
  // An image a pull can fetch (pulls of any other fail as a registry would).
  void pullable(const std::string& name);
  // A container as an earlier start left it; returns its id.
  std::string add_container(const engine::ContainerSpec& spec, const std::string& state,
                            int exit_code = 0);
  // Containers whose service (or name) is `subject` exit with `code` right
  // after they start, having written `logs`.
  void exits_on_start(const std::string& subject, int code, const std::string& logs = "");
  // A running container exits now; `state` "restarting" is what an engine
  // shows of one whose restart policy brings it back after a pause.
  void exit(const std::string& subject, int code, const std::string& state = "exited");

  // ---- scripting ----
  // `call` is the Client method's name ("container_start"); `subject` ""
  // matches every call of it. Later scripts are tried first.
  void script(const std::string& call, const std::string& subject, Script script);
  // The timeout of a request with a deadline of its own, as
  // ClientOptions::timeout; a thread's engine deadline may cut it shorter.
  void set_timeout(double seconds);

  // ---- looking ----
  struct Call {
    std::string call;
    std::string subject;
  };
  std::vector<Call> calls() const;
  // The subjects of every call of `call`, in order.
  std::vector<std::string> subjects(const std::string& call) const;
  size_t count(const std::string& call, const std::string& subject = "") const;
  // Where in calls() the first `call` of `subject` is; -1 when none.
  long first(const std::string& call, const std::string& subject) const;
  // The most calls of `call` that were under way at once.
  size_t max_concurrent(const std::string& call) const;
  std::vector<FakeContainer> containers() const;
  // The newest container whose service, name or id is `subject`.
  std::optional<FakeContainer> container(const std::string& subject) const;
  bool has_image(const std::string& name) const;
  // "repository:tag" of each push that succeeded, in order.
  std::vector<std::string> pushed() const;
  // Pushes to repositories that begin with `registry` fail.
  void unreachable(const std::string& registry);
  bool has_network(const std::string& name) const;

  // ---- engine::Client ----
  const engine::Address& address() const override { return address_; }
  const std::string& api_version() const override { return api_version_; }
  const std::string& transport() const override { return transport_; }
  void ping() override;
  engine::VersionInfo version() override;

  std::string network_create(const std::string& name, const engine::Labels& labels) override;
  engine::NetworkSummary network_inspect(const std::string& id_or_name) override;
  std::vector<engine::NetworkSummary> network_list(const engine::Labels& label_filters) override;
  void network_remove(const std::string& id_or_name) override;

  std::string container_create(const engine::ContainerSpec& spec) override;
  void container_start(const std::string& id) override;
  void container_stop(const std::string& id, int grace_seconds) override;
  void container_kill(const std::string& id, const std::string& signal) override;
  std::optional<int64_t> container_wait(const std::string& id, const CancelToken* cancel) override;
  void container_remove(const std::string& id, bool force, bool volumes) override;
  void container_rename(const std::string& id, const std::string& name) override;
  engine::ContainerInfo container_inspect(const std::string& id) override;
  // Its containers have no health check: it reports nothing, until cancelled.
  void container_health(const std::string& id, const std::string& since,
                        const std::function<bool(const std::string& status)>& fn,
                        const CancelToken* cancel) override;
  std::vector<engine::ContainerSummary> container_list(const engine::Labels& label_filters,
                                                       bool all) override;

  std::optional<engine::ImageInfo> image_inspect(const std::string& name) override;
  void image_pull(const std::string& reference, const engine::LineFn& on_progress,
                  const CancelToken* cancel) override;
  std::string image_build(const engine::BuildOptions& options,
                          const engine::LineFn& on_output) override;
  void image_remove(const std::string& name, bool force) override;
  // Names the image (found by name or id) `repository`:`tag` too.
  void image_tag(const std::string& source, const std::string& repository,
                 const std::string& tag) override;
  // Records the push in pushed(); fails as a registry that does not answer
  // would for a repository under a registry unreachable() names.
  void image_push(const std::string& repository, const std::string& tag,
                  const engine::LineFn& on_progress, const CancelToken* cancel) override;

  void container_logs(const std::string& id, const engine::LogOptions& options,
                      const engine::LogFn& fn, const CancelToken* cancel) override;
  std::string logs_tail(const std::string& id, int lines) override;

 private:
  using Lock = std::unique_lock<std::mutex>;
  struct Network {
    std::string id, name;
    engine::Labels labels;
  };
  struct Image {
    std::string id;
    std::string name;
  };
  struct Scripted {
    std::string call, subject;
    Script script;
  };
  class Visit;  // one call: logged, counted, scripted

  FakeContainer* find(const std::string& id_or_name);  // with the lock held
  FakeContainer& get(const std::string& id_or_name, const std::string& what);
  std::string subject_of(const std::string& id_or_name);
  std::optional<Script> take_script(const std::string& call, const std::string& subject,
                                    const std::string& id_or_name);
  // Blocks until `until`, `done()`, a cancel, or the fake goes; the lock is
  // held on return. Returns false when it ended by the time running out.
  bool block(Lock& lock, std::optional<std::chrono::steady_clock::time_point> until,
             const CancelToken* cancel, const std::function<bool()>& done);
  // When a request with a deadline of its own must have answered.
  std::chrono::steady_clock::time_point limit(const std::string& what) const;
  std::string next_id();

  engine::Address address_;
  std::string api_version_ = "1.41";
  std::string transport_ = "in-process fake";
  mutable std::mutex mutex_;
  std::condition_variable changed_;  // any state change, a cancel, or the end
  bool closing_ = false;
  size_t in_calls_ = 0;
  double timeout_ = 60;
  unsigned counter_ = 0;
  std::vector<Call> calls_;
  std::map<std::string, size_t> running_calls_, most_calls_;
  std::vector<Scripted> scripts_;
  std::vector<FakeContainer> containers_;    // in creation order
  std::map<std::string, Network> networks_;  // by name
  std::map<std::string, Image> images_;      // by name
  std::map<std::string, std::string> pullable_;
  std::vector<std::string> pushed_;
  std::vector<std::string> unreachable_;
  std::map<std::string, std::pair<int, std::string>> exits_on_start_;
};

}  // namespace dm::testing

#endif
