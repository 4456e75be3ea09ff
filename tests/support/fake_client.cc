#include "support/fake_client.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "engine/deadline.h"

namespace dm::testing {

using Clock = std::chrono::steady_clock;

namespace {

// What the create request says, read back from its body as the engine would.
std::string image_of(const engine::ContainerSpec& spec) { return spec.body.view()["Image"].str(); }
std::string network_of(const engine::ContainerSpec& spec) {
  return spec.body.view()["HostConfig"]["NetworkMode"].str();
}
std::vector<engine::PortBinding> ports_of(const engine::ContainerSpec& spec) {
  std::vector<engine::PortBinding> out;
  for (const JsonView& port : spec.body.view()["HostConfig"]["PortBindings"].items())
    for (const JsonView& binding : port.items()) {
      engine::PortBinding p;
      p.container_port = port.key();
      p.host_ip = binding["HostIp"].str();
      p.host_port =
          static_cast<int>(std::strtol(binding["HostPort"].str("0").c_str(), nullptr, 10));
      out.push_back(p);
    }
  return out;
}

constexpr const char* kServiceLabel = "io.drillmaster.service";

bool labels_match(const engine::Labels& labels, const engine::Labels& filters) {
  for (const auto& [key, value] : filters) {
    auto it = labels.find(key);
    if (it == labels.end() || (!value.empty() && it->second != value)) return false;
  }
  return true;
}

std::string last_lines(const std::string& text, int lines) {
  if (lines < 0) return text;
  size_t at = text.size();
  if (at > 0 && text[at - 1] == '\n') at--;
  for (int n = 0; n < lines; n++) {
    size_t nl = at == 0 ? std::string::npos : text.rfind('\n', at - 1);
    if (nl == std::string::npos) return lines == 0 ? "" : text;
    at = nl;
  }
  return text.substr(at + 1);
}

}  // namespace

Script delay(double seconds) {
  Script s;
  s.delay = seconds;
  return s;
}

Script hang() {
  Script s;
  s.hang = true;
  return s;
}

Script fail(Error::Code code, const std::string& message) {
  Script s;
  s.error = Error(code, message);
  return s;
}

// One call: logged and counted while it runs; applies the call's script.
class FakeClient::Visit {
 public:
  // `bounded`: the request has a deadline of its own (not a wait, a follow,
  // a pull or a build), so the thread's engine deadline cuts it.
  Visit(FakeClient& fake, const std::string& call, const std::string& id_or_name, bool bounded,
        const CancelToken* cancel = nullptr)
      : fake_(fake), call_(call), lock_(fake.mutex_) {
    if (fake_.closing_) throw Error(Error::Code::Unreachable, "the fake engine is gone");
    fake_.in_calls_++;
    subject_ = fake_.subject_of(id_or_name);
    fake_.calls_.push_back({call, subject_});
    size_t& running = fake_.running_calls_[call];
    running++;
    fake_.most_calls_[call] = std::max(fake_.most_calls_[call], running);
    try {
      apply(id_or_name, bounded, cancel);
    } catch (...) {
      leave();
      throw;
    }
  }
  ~Visit() { leave(); }

  // The call was cancelled while its script held it.
  bool cancelled() const { return cancelled_; }
  Lock& lock() { return lock_; }

 private:
  void apply(const std::string& id_or_name, bool bounded, const CancelToken* cancel) {
    std::string what = call_ + " " + (id_or_name.empty() ? subject_ : id_or_name);
    std::optional<Clock::time_point> until;
    if (bounded) until = fake_.limit(what);
    std::optional<Script> s = fake_.take_script(call_, subject_, id_or_name);
    if (!s) return;
    if (s->before) {
      lock_.unlock();
      s->before();
      lock_.lock();
    }
    if (s->hang || s->delay > 0) {
      std::optional<Clock::time_point> answer_at;
      if (!s->hang)
        answer_at = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(s->delay));
      std::optional<Clock::time_point> wake = until;
      if (answer_at && (!wake || *answer_at < *wake)) wake = answer_at;
      fake_.block(lock_, wake, cancel, [] { return false; });
      if (fake_.closing_) throw Error(Error::Code::Unreachable, "the fake engine is gone");
      if (cancel && cancel->cancelled()) {
        cancelled_ = true;
        return;
      }
      if (until && Clock::now() >= *until && (!answer_at || *answer_at > *until))
        throw timeout(what);
    }
    if (s->error) throw *s->error;
  }

  void leave() {
    if (!lock_.owns_lock()) lock_.lock();
    fake_.running_calls_[call_]--;
    fake_.in_calls_--;
    fake_.changed_.notify_all();
  }

  Error timeout(const std::string& what) const {
    const engine::Deadline* deadline = engine::ScopedDeadline::current();
    return Error(Error::Code::Timeout,
                 "the engine at fake did not answer in time while trying to " + what +
                     (deadline ? " (" + deadline->budget + " ran out)" : ""));
  }

  FakeClient& fake_;
  std::string call_;
  std::string subject_;
  Lock lock_;
  bool cancelled_ = false;
};

FakeClient::FakeClient() {
  address_.kind = engine::Address::Kind::Unix;
  address_.socket_path = "/fake";
  address_.text = "unix:///fake";
}

FakeClient::~FakeClient() {
  Lock lock(mutex_);
  closing_ = true;
  changed_.notify_all();
  changed_.wait(lock, [&] { return in_calls_ == 0; });
}

// ---- the world ----

std::string FakeClient::next_id() {
  char text[80];
  std::snprintf(text, sizeof text, "%012x%052x", ++counter_, 0xfa6eu);
  return text;
}

std::string FakeClient::add_image(const std::string& name) {
  Lock lock(mutex_);
  std::string id = "sha256:" + next_id();
  images_[name] = {id, name};
  return id;
}

void FakeClient::pullable(const std::string& name) {
  Lock lock(mutex_);
  pullable_[name] = "sha256:" + next_id();
}

std::string FakeClient::add_container(const engine::ContainerSpec& spec, const std::string& state,
                                      int exit_code) {
  Lock lock(mutex_);
  FakeContainer c;
  c.id = next_id();
  c.name = spec.name;
  auto label = spec.labels.find(kServiceLabel);
  c.service = label == spec.labels.end() ? "" : label->second;
  c.state = state;
  c.exit_code = exit_code;
  c.spec = spec;
  auto image = images_.find(image_of(spec));
  c.image_id = image == images_.end() ? "sha256:gone" : image->second.id;
  c.starts = state == "created" ? 0 : 1;
  containers_.push_back(c);
  return c.id;
}

void FakeClient::exits_on_start(const std::string& subject, int code, const std::string& logs) {
  Lock lock(mutex_);
  exits_on_start_[subject] = {code, logs};
}

void FakeClient::exit(const std::string& subject, int code, const std::string& state) {
  Lock lock(mutex_);
  FakeContainer& c = get(subject, "exit");
  if (c.state == "running") {
    c.state = state;
    c.exit_code = code;
  }
  changed_.notify_all();
}

void FakeClient::script(const std::string& call, const std::string& subject, Script script) {
  Lock lock(mutex_);
  scripts_.push_back({call, subject, std::move(script)});
}

void FakeClient::set_timeout(double seconds) {
  Lock lock(mutex_);
  timeout_ = seconds;
}

// ---- looking ----

std::vector<FakeClient::Call> FakeClient::calls() const {
  Lock lock(mutex_);
  return calls_;
}

std::vector<std::string> FakeClient::subjects(const std::string& call) const {
  Lock lock(mutex_);
  std::vector<std::string> out;
  for (const auto& c : calls_)
    if (c.call == call) out.push_back(c.subject);
  return out;
}

size_t FakeClient::count(const std::string& call, const std::string& subject) const {
  Lock lock(mutex_);
  return std::count_if(calls_.begin(), calls_.end(), [&](const Call& c) {
    return c.call == call && (subject.empty() || c.subject == subject);
  });
}

long FakeClient::first(const std::string& call, const std::string& subject) const {
  Lock lock(mutex_);
  for (size_t i = 0; i < calls_.size(); i++)
    if (calls_[i].call == call && calls_[i].subject == subject) return static_cast<long>(i);
  return -1;
}

size_t FakeClient::max_concurrent(const std::string& call) const {
  Lock lock(mutex_);
  auto it = most_calls_.find(call);
  return it == most_calls_.end() ? 0 : it->second;
}

std::vector<FakeContainer> FakeClient::containers() const {
  Lock lock(mutex_);
  return containers_;
}

std::optional<FakeContainer> FakeClient::container(const std::string& subject) const {
  Lock lock(mutex_);
  for (auto it = containers_.rbegin(); it != containers_.rend(); ++it)
    if (it->service == subject || it->name == subject || it->id == subject) return *it;
  return std::nullopt;
}

bool FakeClient::has_image(const std::string& name) const {
  Lock lock(mutex_);
  return images_.count(name) > 0;
}

bool FakeClient::has_network(const std::string& name) const {
  Lock lock(mutex_);
  return networks_.count(name) > 0;
}

// ---- helpers (the lock held) ----

FakeContainer* FakeClient::find(const std::string& id_or_name) {
  if (id_or_name.empty()) return nullptr;
  for (auto& c : containers_)
    if (c.name == id_or_name || c.id == id_or_name) return &c;
  for (auto& c : containers_)  // an id prefix, as the engine takes it
    if (c.id.rfind(id_or_name, 0) == 0) return &c;
  return nullptr;
}

FakeContainer& FakeClient::get(const std::string& id_or_name, const std::string& what) {
  FakeContainer* c = find(id_or_name);
  if (c == nullptr)
    for (auto it = containers_.rbegin(); it != containers_.rend() && !c; ++it)
      if (it->service == id_or_name) c = &*it;
  if (c == nullptr)
    throw Error(Error::Code::NotFound,
                "engine refused to " + what + " (404): No such container: " + id_or_name, 404);
  return *c;
}

std::string FakeClient::subject_of(const std::string& id_or_name) {
  if (FakeContainer* c = find(id_or_name)) return c->service.empty() ? c->name : c->service;
  return id_or_name;
}

std::optional<Script> FakeClient::take_script(const std::string& call, const std::string& subject,
                                              const std::string& id_or_name) {
  FakeContainer* c = find(id_or_name);
  for (auto it = scripts_.rbegin(); it != scripts_.rend(); ++it) {
    if (it->call != call || it->script.times == 0) continue;
    const std::string& s = it->subject;
    bool match = s.empty() || s == subject || s == id_or_name ||
                 (c && (s == c->name || s == c->id || s == c->service));
    if (!match) continue;
    Script out = it->script;
    if (it->script.times > 0) it->script.times--;
    return out;
  }
  return std::nullopt;
}

bool FakeClient::block(Lock& lock, std::optional<Clock::time_point> until,
                       const CancelToken* cancel, const std::function<bool()>& done) {
  std::optional<CancelWatcher> watcher;
  CancelWatcher::Subscription wake;
  if (cancel) {
    lock.unlock();  // subscribing takes the watcher's lock, which then takes ours
    watcher.emplace(*cancel);
    wake = watcher->wake(mutex_, changed_);
    lock.lock();
  }
  auto stop = [&] { return closing_ || (cancel && cancel->cancelled()) || done(); };
  bool ended = true;
  if (until)
    ended = changed_.wait_until(lock, *until, stop);
  else
    changed_.wait(lock, stop);
  if (cancel) {
    lock.unlock();
    wake.reset();
    watcher.reset();
    lock.lock();
  }
  return ended;
}

Clock::time_point FakeClient::limit(const std::string& what) const {
  Clock::time_point at = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(timeout_));
  if (const engine::Deadline* deadline = engine::ScopedDeadline::current()) {
    if (deadline->at <= Clock::now())
      throw Error(Error::Code::Timeout, "no time was left to " + what + " (the engine at fake): " +
                                            deadline->budget + " had run out");
    at = std::min(at, deadline->at);
  }
  return at;
}

// ---- engine::Client ----

void FakeClient::ping() { Visit visit(*this, "ping", "", true); }

engine::VersionInfo FakeClient::version() {
  Visit visit(*this, "version", "", true);
  return {"20.10.24", "1.41", "1.12", "linux", "amd64"};
}

std::string FakeClient::network_create(const std::string& name, const engine::Labels& labels) {
  Visit visit(*this, "network_create", name, true);
  if (networks_.count(name))
    throw Error(Error::Code::Conflict,
                "engine refused to create network '" + name + "' (409): network with name " + name +
                    " already exists",
                409);
  std::string id = next_id();
  networks_[name] = {id, name, labels};
  return id;
}

engine::NetworkSummary FakeClient::network_inspect(const std::string& id_or_name) {
  Visit visit(*this, "network_inspect", id_or_name, true);
  for (const auto& [name, n] : networks_) {
    if (name != id_or_name && n.id != id_or_name) continue;
    engine::NetworkSummary out{n.id, n.name, n.labels, {}};
    for (const auto& c : containers_)
      if (network_of(c.spec) == name && c.state == "running") out.container_ids.push_back(c.id);
    return out;
  }
  throw Error(Error::Code::NotFound,
              "engine refused to inspect network '" + id_or_name + "' (404): network " +
                  id_or_name + " not found",
              404);
}

std::vector<engine::NetworkSummary> FakeClient::network_list(const engine::Labels& label_filters) {
  Visit visit(*this, "network_list", "", true);
  std::vector<engine::NetworkSummary> out;
  for (const auto& [name, n] : networks_)
    if (labels_match(n.labels, label_filters)) out.push_back({n.id, n.name, n.labels, {}});
  return out;
}

void FakeClient::network_remove(const std::string& id_or_name) {
  Visit visit(*this, "network_remove", id_or_name, true);
  for (auto it = networks_.begin(); it != networks_.end(); ++it) {
    if (it->first != id_or_name && it->second.id != id_or_name) continue;
    for (const auto& c : containers_)
      if (network_of(c.spec) == it->first && c.state == "running")
        throw Error(Error::Code::Conflict,
                    "engine refused to remove network '" + id_or_name +
                        "' (409): network has active endpoints",
                    409);
    networks_.erase(it);
    changed_.notify_all();
    return;
  }
  throw Error(Error::Code::NotFound, "engine refused to remove network '" + id_or_name + "' (404)",
              404);
}

std::string FakeClient::container_create(const engine::ContainerSpec& spec) {
  auto label = spec.labels.find(kServiceLabel);
  Visit visit(*this, "container_create", label == spec.labels.end() ? spec.name : label->second,
              true);
  if (find(spec.name))
    throw Error(Error::Code::Conflict,
                "engine refused to create container '" + spec.name +
                    "' (409): Conflict. The container name \"/" + spec.name +
                    "\" is already in use",
                409);
  auto image = images_.find(image_of(spec));
  if (image == images_.end())
    throw Error(Error::Code::NotFound,
                "engine refused to create container '" + spec.name +
                    "' (404): No such image: " + image_of(spec),
                404);
  if (!network_of(spec).empty() && !networks_.count(network_of(spec)))
    throw Error(Error::Code::NotFound,
                "engine refused to create container '" + spec.name + "' (404): network " +
                    network_of(spec) + " not found",
                404);
  FakeContainer c;
  c.id = next_id();
  c.name = spec.name;
  c.service = label == spec.labels.end() ? "" : label->second;
  c.state = "created";
  c.spec = spec;
  c.image_id = image->second.id;
  containers_.push_back(c);
  changed_.notify_all();
  return c.id;
}

void FakeClient::container_start(const std::string& id) {
  Visit visit(*this, "container_start", id, true);
  FakeContainer& c = get(id, "start container '" + id + "'");
  if (c.state == "running") return;  // 304
  c.starts++;
  c.state = "running";
  for (const std::string& key : {c.service, c.name}) {
    auto exits = exits_on_start_.find(key);
    if (key.empty() || exits == exits_on_start_.end()) continue;
    c.state = "exited";
    c.exit_code = exits->second.first;
    c.logs += exits->second.second;
    break;
  }
  changed_.notify_all();
}

void FakeClient::container_stop(const std::string& id, int grace_seconds) {
  Visit visit(*this, "container_stop", id, true);
  FakeContainer& c = get(id, "stop container '" + id + "'");
  c.last_grace = grace_seconds;
  if (c.state != "running") return;  // 304
  c.state = "exited";
  c.exit_code = 0;
  changed_.notify_all();
}

void FakeClient::container_kill(const std::string& id, const std::string&) {
  Visit visit(*this, "container_kill", id, true);
  FakeContainer& c = get(id, "kill container '" + id + "'");
  if (c.state != "running")
    throw Error(Error::Code::Conflict,
                "engine refused to kill container '" + id + "' (409): is not running", 409);
  c.state = "exited";
  c.exit_code = 137;
  changed_.notify_all();
}

std::optional<int64_t> FakeClient::container_wait(const std::string& id,
                                                  const CancelToken* cancel) {
  Visit visit(*this, "container_wait", id, false, cancel);
  if (visit.cancelled()) return std::nullopt;
  std::string key = get(id, "wait for container '" + id + "'").id;
  int code = 0;
  bool gone = false;
  block(visit.lock(), std::nullopt, cancel, [&] {
    FakeContainer* c = find(key);
    gone = c == nullptr;
    if (c) code = c->exit_code;
    return gone || c->state != "running";
  });
  if (closing_) throw Error(Error::Code::Unreachable, "the fake engine is gone");
  if (cancel && cancel->cancelled()) return std::nullopt;
  return code;
}

void FakeClient::container_remove(const std::string& id, bool force, bool) {
  Visit visit(*this, "container_remove", id, true);
  FakeContainer& c = get(id, "remove container '" + id + "'");
  if (c.state == "running" && !force)
    throw Error(Error::Code::Conflict,
                "engine refused to remove container '" + id +
                    "' (409): You cannot remove a running container",
                409);
  std::string key = c.id;
  containers_.erase(std::remove_if(containers_.begin(), containers_.end(),
                                   [&](const FakeContainer& x) { return x.id == key; }),
                    containers_.end());
  changed_.notify_all();
}

void FakeClient::container_rename(const std::string& id, const std::string& name) {
  Visit visit(*this, "container_rename", id, true);
  FakeContainer& c = get(id, "rename container '" + id + "'");
  FakeContainer* holder = find(name);
  if (holder && holder->id != c.id)
    throw Error(Error::Code::Conflict,
                "engine refused to rename container '" + id + "' to '" + name +
                    "' (409): Conflict. The container name \"/" + name + "\" is already in use",
                409);
  c.name = name;
  changed_.notify_all();
}

engine::ContainerInfo FakeClient::container_inspect(const std::string& id) {
  Visit visit(*this, "container_inspect", id, true);
  const FakeContainer& c = get(id, "inspect container '" + id + "'");
  engine::ContainerInfo info;
  info.id = c.id;
  info.name = c.name;
  info.image_id = c.image_id;
  info.state = c.state;
  info.running = c.state == "running";
  info.exit_code = c.exit_code;
  info.labels = c.spec.labels;
  JsonView body = c.spec.body.view();
  info.image = body["Image"].str();
  info.tty = body["Tty"].boolean();
  info.env = body["Env"].string_list();
  info.user = body["User"].str();
  info.stop_signal = body["StopSignal"].str();
  return info;
}

void FakeClient::container_health(const std::string& id, const std::string&,
                                  const std::function<bool(const std::string&)>&,
                                  const CancelToken* cancel) {
  Visit visit(*this, "container_health", id, false, cancel);
  if (visit.cancelled()) return;
  block(visit.lock(), std::nullopt, cancel, [] { return false; });
  if (closing_) throw Error(Error::Code::Unreachable, "the fake engine is gone");
}

std::vector<engine::ContainerSummary> FakeClient::container_list(
    const engine::Labels& label_filters, bool all) {
  Visit visit(*this, "container_list", "", true);
  std::vector<engine::ContainerSummary> out;
  for (auto it = containers_.rbegin(); it != containers_.rend(); ++it) {  // newest first
    const FakeContainer& c = *it;
    if (!all && c.state != "running") continue;
    if (!labels_match(c.spec.labels, label_filters)) continue;
    engine::ContainerSummary s;
    s.id = c.id;
    s.names = {c.name};
    s.image = image_of(c.spec);
    s.image_id = c.image_id;
    s.state = c.state;
    s.status = c.state == "running" ? "Up" : "Exited (" + std::to_string(c.exit_code) + ")";
    s.labels = c.spec.labels;
    s.ports = ports_of(c.spec);
    out.push_back(s);
  }
  return out;
}

std::optional<engine::ImageInfo> FakeClient::image_inspect(const std::string& name) {
  Visit visit(*this, "image_inspect", name, true);
  auto it = images_.find(name);
  if (it == images_.end()) return std::nullopt;
  return engine::ImageInfo{it->second.id, {name}, {}};
}

void FakeClient::image_pull(const std::string& reference, const engine::LineFn& on_progress,
                            const CancelToken* cancel) {
  Visit visit(*this, "image_pull", reference, false, cancel);
  if (visit.cancelled())
    throw Error(Error::Code::Cancelled, "pull of '" + reference + "' cancelled");
  auto it = pullable_.find(reference);
  if (it == pullable_.end())
    throw Error(Error::Code::Engine,
                "pull access denied for " + reference +
                    ", repository does not exist or may require 'docker login'");
  images_[reference] = {it->second, reference};
  changed_.notify_all();
  if (on_progress) {
    visit.lock().unlock();
    on_progress("Status: Downloaded newer image for " + reference);
    visit.lock().lock();
  }
}

std::string FakeClient::image_build(const engine::BuildOptions& options,
                                    const engine::LineFn& on_output) {
  Visit visit(*this, "image_build", options.tag, false, options.cancel);
  if (visit.cancelled())
    throw Error(Error::Code::Cancelled, "build of '" + options.tag + "' cancelled");
  std::string id = "sha256:" + next_id();
  images_[options.tag] = {id, options.tag};
  changed_.notify_all();
  if (on_output) {
    visit.lock().unlock();
    on_output("Successfully built " + id.substr(7, 12));
    visit.lock().lock();
  }
  return id;
}

void FakeClient::image_tag(const std::string& source, const std::string& repository,
                           const std::string& tag) {
  Visit visit(*this, "image_tag", repository + ":" + tag, true);
  auto it = images_.find(source);
  if (it == images_.end())
    for (auto i = images_.begin(); i != images_.end(); ++i)
      if (i->second.id == source) it = i;
  if (it == images_.end())
    throw Error(Error::Code::NotFound,
                "engine refused to tag image '" + source + "' (404): No such image", 404);
  std::string id = it->second.id;
  images_[repository + ":" + tag] = {id, repository + ":" + tag};
  changed_.notify_all();
}

void FakeClient::image_push(const std::string& repository, const std::string& tag,
                            const engine::LineFn& on_progress, const CancelToken* cancel) {
  const std::string reference = repository + ":" + tag;
  Visit visit(*this, "image_push", reference, false, cancel);
  if (visit.cancelled())
    throw Error(Error::Code::Cancelled, "push of '" + reference + "' cancelled");
  if (images_.count(reference) == 0)
    throw Error(Error::Code::Engine, "push of '" + reference + "' failed: tag does not exist");
  for (const std::string& registry : unreachable_)
    if (repository.rfind(registry, 0) == 0)
      throw Error(Error::Code::Engine, "push of '" + reference + "' failed: Get \"http://" +
                                           registry + "/v2/\": dial tcp " + registry +
                                           ": connect: connection refused");
  pushed_.push_back(reference);
  if (on_progress) {
    visit.lock().unlock();
    on_progress(tag + ": digest: sha256:0123 size: 527");
    visit.lock().lock();
  }
}

std::vector<std::string> FakeClient::pushed() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pushed_;
}

void FakeClient::unreachable(const std::string& registry) {
  std::lock_guard<std::mutex> lock(mutex_);
  unreachable_.push_back(registry);
}

void FakeClient::image_remove(const std::string& name, bool force) {
  Visit visit(*this, "image_remove", name, true);
  auto it = images_.find(name);
  if (it == images_.end())
    for (auto i = images_.begin(); i != images_.end(); ++i)
      if (i->second.id == name) it = i;
  if (it == images_.end())
    throw Error(Error::Code::NotFound,
                "engine refused to remove image '" + name + "' (404): No such image", 404);
  if (!force)
    for (const auto& c : containers_)
      if (c.image_id == it->second.id)
        throw Error(Error::Code::Conflict,
                    "engine refused to remove image '" + name +
                        "' (409): image is being used by container " + c.id.substr(0, 12),
                    409);
  images_.erase(it);
  changed_.notify_all();
}

void FakeClient::container_logs(const std::string& id, const engine::LogOptions& options,
                                const engine::LogFn& fn, const CancelToken* cancel) {
  Visit visit(*this, "container_logs", id, !options.follow, cancel);
  if (visit.cancelled()) return;
  std::string key = get(id, "read the logs of container '" + id + "'").id;
  std::string text = last_lines(find(key)->logs, options.tail);
  visit.lock().unlock();
  bool more = text.empty() || fn(engine::LogStream::Stdout, text);
  visit.lock().lock();
  if (!more || !options.follow) return;
  block(visit.lock(), std::nullopt, cancel, [&] {
    FakeContainer* c = find(key);
    return c == nullptr || c->state != "running";
  });
}

std::string FakeClient::logs_tail(const std::string& id, int lines) {
  Visit visit(*this, "logs_tail", id, true);
  return last_lines(get(id, "read the logs of container '" + id + "'").logs, lines);
}

}  // namespace dm::testing
