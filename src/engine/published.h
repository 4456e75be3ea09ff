// Where a program on this machine connects to reach a port a container
// publishes: the engine's answer (container inspect's NetworkSettings.Ports)
// read with the rules below, the one place they are written.
//
// Among the bindings of the port, an IPv4 one is preferred (the engine binds
// IPv4 and IPv6 separately and, when it picks the host port, may pick two
// different ones). Its address becomes the host to connect to:
//   "0.0.0.0" or ""  "127.0.0.1" when the engine is local (a unix socket);
//   "::"             "::1" when the engine is local;
//   either of these  the engine's host name when the client talks to a
//                    tcp:// engine: the ports are published on that machine;
//   anything else    that address itself (the port was bound on it only).
// A container that is not running publishes nothing: the engine hands its
// host ports back when it stops, and picks free ones again at every start.
#ifndef DM_ENGINE_PUBLISHED_H
#define DM_ENGINE_PUBLISHED_H

#include <string>
#include <vector>

#include "engine/client.h"

namespace dm::engine {

struct HostAddress {
  std::string host;  // "127.0.0.1", "::1", a host name or an address
  int port = 0;
};

// The address for `container_port` (canonical: "5432/tcp", "53/udp") of the
// container `info` describes, reached through an engine at `engine`.
// `container` names it in messages as the caller did. Throws
// Error::Code::NotFound naming the container and the port when the container
// is not running or does not publish that port (the message lists the ports it
// does publish).
HostAddress connect_address(const ContainerInfo& info, const std::string& container_port,
                            const Address& engine, const std::string& container);

// connect_address() of the container `container` (an id or a name) as the
// engine reports it now: one inspect. Error::Code::NotFound also when no such
// container exists; any other engine failure as the client reports it.
HostAddress published_address(Client& client, const std::string& container,
                              const std::string& container_port);

// Where the swarm service `service` publishes, as status lists it: its
// routing mesh ports on every address (host_ip ""), then each running task's
// mode=host ports on its node's address (Status.Addr), each binding once (a
// task lists one per address family). When `mesh_node` is given and the
// service has mesh ports, it receives the address of the node of its first
// running task ("" when none runs), where those ports answer too.
std::vector<PortBinding> swarm_bindings(Client& client, const ServiceInfo& service,
                                        std::string* mesh_node = nullptr);

}  // namespace dm::engine

#endif
