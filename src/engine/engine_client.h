// The Client implementation shared by client.cc, containers.cc, networks.cc,
// images.cc and logs.cc. Not a public header: the rest of the library sees
// only engine/client.h.
#ifndef DM_ENGINE_ENGINE_CLIENT_H
#define DM_ENGINE_ENGINE_CLIENT_H

#include <initializer_list>
#include <new>
#include <string>

#include "common/error.h"
#include "common/json.h"
#include "engine/client.h"
#include "engine/transport.h"

namespace dm::engine {

// The highest API version whose reference we checked our requests against.
// 1.47 (Docker 27) rather than older: Docker 29 refuses anything below 1.44.
// Nothing we send or read changed meaning between 1.40 and 1.47.
constexpr int kMaxApiMinor = 47;
constexpr int kMinApiMinor = 40;

class EngineClient final : public Client {
 public:
  // `cert_path`: the directory the TLS files came from (for
  // connection_options()); "" without TLS.
  EngineClient(Address address, TlsFiles tls, std::string cert_path, double timeout,
               std::string found_by);

  // GET /_ping (proves the engine answers) and settles the API version:
  // `forced` as given, else min(engine's, 1.47), refusing below 1.40.
  void negotiate(const std::string& forced);

  const Address& address() const override { return transport_.address(); }
  const std::string& api_version() const override { return api_version_; }
  const std::string& transport() const override { return transport_description_; }
  const std::string& found_by() const override { return found_by_; }
  ClientOptions connection_options() const override;

  void ping() override;
  VersionInfo version() override;

  std::string network_create(const std::string& name, const Labels& labels) override;
  NetworkSummary network_inspect(const std::string& id_or_name) override;
  std::vector<NetworkSummary> network_list(const Labels& label_filters) override;
  void network_remove(const std::string& id_or_name) override;

  std::string container_create(const ContainerSpec& spec) override;
  void container_start(const std::string& id) override;
  void container_stop(const std::string& id, int grace_seconds) override;
  void container_kill(const std::string& id, const std::string& signal) override;
  std::optional<int64_t> container_wait(const std::string& id, const CancelToken* cancel) override;
  void container_remove(const std::string& id, bool force, bool volumes) override;
  void container_rename(const std::string& id, const std::string& name) override;
  ContainerInfo container_inspect(const std::string& id) override;
  void container_health(const std::string& id, const std::string& since,
                        const std::function<bool(const std::string& status)>& fn,
                        const CancelToken* cancel) override;
  std::vector<ContainerSummary> container_list(const Labels& label_filters, bool all) override;

  std::optional<ImageInfo> image_inspect(const std::string& name) override;
  void image_pull(const std::string& reference, const LineFn& on_progress,
                  const CancelToken* cancel) override;
  std::string image_build(const BuildOptions& options, const LineFn& on_output) override;
  void image_remove(const std::string& name, bool force) override;
  void image_tag(const std::string& source, const std::string& repository,
                 const std::string& tag) override;
  void image_push(const std::string& repository, const std::string& tag, const LineFn& on_progress,
                  const CancelToken* cancel) override;

  void container_logs(const std::string& id, const LogOptions& options, const LogFn& fn,
                      const CancelToken* cancel) override;
  std::string logs_tail(const std::string& id, int lines) override;

  std::string exec_create(const std::string& container, const ExecSpec& spec) override;
  std::unique_ptr<HijackedConnection> exec_start(const std::string& exec_id, bool tty,
                                                 const CancelToken* cancel) override;
  ExecState exec_inspect(const std::string& exec_id) override;
  void exec_resize(const std::string& exec_id, int rows, int columns) override;
  std::unique_ptr<HijackedConnection> container_attach(const std::string& id, bool with_stdin,
                                                       const CancelToken* cancel) override;
  void container_resize(const std::string& id, int rows, int columns) override;
  void container_put_archive(const std::string& id, const std::string& path,
                             std::string archive) override;

  SwarmInfo swarm_info() override;
  std::string overlay_network_create(const std::string& name, const Labels& labels) override;
  std::string service_create(const Json& spec) override;
  ServiceInfo service_inspect(const std::string& id_or_name) override;
  std::vector<ServiceInfo> service_list(const Labels& label_filters) override;
  void service_update(const std::string& id, uint64_t version, const Json& spec) override;
  void service_remove(const std::string& id) override;
  std::vector<TaskInfo> task_list(const std::vector<std::string>& service_ids) override;
  NodeInfo node_inspect(const std::string& node_id) override;
  void service_logs(const std::string& id, const LogOptions& options, const LogFn& fn,
                    const CancelToken* cancel) override;

 private:
  // "/v1.41" + path.
  std::string versioned(const std::string& path) const { return "/v" + api_version_ + path; }
  // A request with the client's timeout; `what` names it in errors.
  Request request(const char* method, const std::string& path, std::string what) const;
  // Sends and throws the mapped dm::Error for a non-2xx status not in `also_ok`.
  Response send(const Request& request, std::initializer_list<long> also_ok = {});
  // The same for a request whose connection the engine takes over.
  std::unique_ptr<HijackedConnection> hijack(const Request& request);
  // POST /networks/create with that driver ("bridge", "overlay"); an
  // attachable one lets standalone containers join (a swarm's overlay).
  std::string create_network(const std::string& name, const char* driver, bool attachable,
                             const Labels& labels);

  Transport transport_;
  std::string transport_description_;
  std::string api_version_;
  TlsFiles tls_;  // as the transport has them: connection_options() passes them on
  std::string cert_path_;
  double timeout_;
  std::string found_by_;
};

// The dm::Error for an engine answer with a failure status:
// "engine refused to <what> (<status>): <daemon's message>", the message
// quoted short (common/excerpt.h).
Error status_error(const Response& response, const std::string& what);

// ?filters={"label":["k=v","k"]}, url-encoded; "" when there are no filters.
std::string label_filters_query(const Labels& label_filters);

// Runs `body`, letting dm::Error through and turning anything else into one,
// so no other exception ever leaves a Client method.
template <typename F>
auto guarded(const std::string& what, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(Error::Code::NoMemory, "out of memory while trying to " + what);
  } catch (const std::exception& e) {
    throw Error(Error::Code::Internal,
                "unexpected failure while trying to " + what + ": " + e.what());
  } catch (...) {
    throw Error(Error::Code::Internal, "unexpected failure while trying to " + what);
  }
}

}  // namespace dm::engine

#endif
