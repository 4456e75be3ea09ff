// Client: a connection to a Docker engine (dm_client).

#include "core.h"

#include <variant>

namespace dm_python {

namespace {

std::shared_ptr<Client> client_open(std::optional<std::string> host,
                                    std::optional<std::string> api_version,
                                    std::optional<bool> tls_verify,
                                    std::optional<std::string> cert_path, double timeout,
                                    std::optional<std::string> context) {
  dm_client_options opts = dm_client_options_defaults();
  opts.host = host ? host->c_str() : nullptr;
  opts.api_version = api_version ? api_version->c_str() : nullptr;
  opts.tls_verify = tls_verify ? (*tls_verify ? 1 : 0) : -1;
  opts.cert_path = cert_path ? cert_path->c_str() : nullptr;
  opts.timeout = timeout;
  opts.context = context ? context->c_str() : nullptr;
  auto client = std::make_shared<Client>();
  int status;
  std::string error;
  {
    py::gil_scoped_release nogil;
    status = dm_client_open(&client->handle, &opts);
    if (status != DM_OK) error = take_error(status);
  }
  if (status != DM_OK) raise_status(status, error);
  return client;
}

void client_ping(const Client& c) {
  dm_client* h = c.get();
  int status;
  std::string message;
  {
    py::gil_scoped_release nogil;
    status = dm_client_ping(h);
    if (status != DM_OK) message = take_error(status);
  }
  if (status != DM_OK) raise_status(status, message);
}

py::tuple client_engine_version(const Client& c) {
  dm_client* h = c.get();
  char *engine = nullptr, *api = nullptr;
  int status;
  std::string message;
  {
    py::gil_scoped_release nogil;
    status = dm_client_engine_version(h, &engine, &api);
    if (status != DM_OK) message = take_error(status);
  }
  std::string e = engine ? engine : "", a = api ? api : "";
  dm_free(engine);
  dm_free(api);
  if (status != DM_OK) raise_status(status, message);
  return py::make_tuple(e, a);
}

// dm_client_host_port(): (host, port); the container port may be an int.
py::tuple client_host_port(const Client& c, const std::string& container,
                           const std::variant<int, std::string>& container_port) {
  dm_client* h = c.get();
  std::string port_text = std::holds_alternative<int>(container_port)
                              ? std::to_string(std::get<int>(container_port))
                              : std::get<std::string>(container_port);
  char* host = nullptr;
  int port = 0;
  int status;
  std::string message;
  {
    py::gil_scoped_release nogil;
    status = dm_client_host_port(h, container.c_str(), port_text.c_str(), &host, &port);
    if (status != DM_OK) message = take_error(status);
  }
  std::string text = host ? host : "";
  dm_free(host);
  if (status != DM_OK) raise_status(status, message);
  return py::make_tuple(text, port);
}

void client_close(Client& c) {
  dm_client_free(c.handle);
  c.handle = nullptr;
}

}  // namespace

void bind_client(py::module_& m) {
  py::class_<Client, std::shared_ptr<Client>>(m, "Client",
                                              "A connection to a Docker engine (dm_client).")
      .def(py::init(&client_open), py::kw_only(), py::arg("host") = py::none(),
           py::arg("api_version") = py::none(), py::arg("tls_verify") = py::none(),
           py::arg("cert_path") = py::none(),
           py::arg("timeout") = dm_client_options_defaults().timeout,
           py::arg("context") = py::none(),
           "Opens a client and negotiates the API version; unset arguments come from "
           "the environment as for the docker command (DOCKER_HOST, a docker context, "
           "the local sockets; DOCKER_API_VERSION, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH).")
      .def("ping", &client_ping, "Asks the engine whether it is alive.")
      .def_property_readonly("host", [](const Client& c) { return dm_client_host(c.get()); })
      .def_property_readonly(
          "found_by", [](const Client& c) { return dm_client_found_by(c.get()); },
          "How the engine was found: 'DOCKER_HOST', \"context 'colima' (DOCKER_CONTEXT)\", "
          "'default socket', ...")
      .def_property_readonly(
          "transport", [](const Client& c) { return dm_client_transport(c.get()); },
          "How it connects: 'unix socket', 'tcp, plain (no TLS)', ...")
      .def_property_readonly("api_version",
                             [](const Client& c) { return dm_client_api_version(c.get()); })
      .def("engine_version", &client_engine_version,
           "The engine's version and the highest API version it speaks, as a tuple.")
      .def("host_port", &client_host_port, py::arg("container"), py::arg("container_port"),
           "Where a program on this machine connects to `container_port` (5432, '5432/tcp', "
           "'53/udp') of a running container (an id or a name), as the engine published it: "
           "(host, port). NotFound when the container does not exist, is not running or does "
           "not publish that port.")
      .def("close", &client_close)
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](Client& c, py::args) { client_close(c); });
}

}  // namespace dm_python
