// DOCKER_HOST forms, one table row each: what is accepted (and what it means)
// and what is refused (and the reason the message gives).
#include <gtest/gtest.h>

#include <string>

#include "common/error.h"
#include "engine/client.h"

namespace dm::engine {
namespace {

struct Accepted {
  const char* text;
  bool tls;
  Address::Kind kind;
  const char* host_or_path;  // Address::host for tcp, socket_path for unix
  int port;                  // 0 for unix
  const char* normalised;    // Address::text
};

const Accepted kAccepted[] = {
    {"unix:///var/run/docker.sock", false, Address::Kind::Unix, "/var/run/docker.sock", 0,
     "unix:///var/run/docker.sock"},
    {"unix:///s", true, Address::Kind::Unix, "/s", 0, "unix:///s"},
    {"unix:///run/user/1000/docker.sock", false, Address::Kind::Unix, "/run/user/1000/docker.sock",
     0, "unix:///run/user/1000/docker.sock"},
    {"tcp://10.0.0.5:2375", false, Address::Kind::Tcp, "10.0.0.5", 2375, "tcp://10.0.0.5:2375"},
    {"tcp://docker.example", false, Address::Kind::Tcp, "docker.example", 2375,
     "tcp://docker.example:2375"},
    {"tcp://docker.example", true, Address::Kind::Tcp, "docker.example", 2376,
     "tcp://docker.example:2376"},
    {"tcp://h:1/", false, Address::Kind::Tcp, "h", 1, "tcp://h:1"},
    {"tcp://h:65535", false, Address::Kind::Tcp, "h", 65535, "tcp://h:65535"},
    {"tcp://h:02375", false, Address::Kind::Tcp, "h", 2375, "tcp://h:2375"},
    {"tcp://my_host-1.example:9", false, Address::Kind::Tcp, "my_host-1.example", 9,
     "tcp://my_host-1.example:9"},
    {"tcp://[::1]:2375", false, Address::Kind::Tcp, "::1", 2375, "tcp://[::1]:2375"},
    {"tcp://[::1]", true, Address::Kind::Tcp, "::1", 2376, "tcp://[::1]:2376"},
    {"tcp://[2001:db8::7]:2376/", false, Address::Kind::Tcp, "2001:db8::7", 2376,
     "tcp://[2001:db8::7]:2376"},
    {"localhost:1234", false, Address::Kind::Tcp, "localhost", 1234, "tcp://localhost:1234"},
    {"[::1]:2375", false, Address::Kind::Tcp, "::1", 2375, "tcp://[::1]:2375"},
};

TEST(ParseAddress, AcceptsEachFormMeaningWhatTheTableSays) {
  for (const Accepted& row : kAccepted) {
    SCOPED_TRACE(row.text);
    Address a = parse_address(row.text, row.tls);
    EXPECT_EQ(a.kind, row.kind);
    if (row.kind == Address::Kind::Unix) {
      EXPECT_EQ(a.socket_path, row.host_or_path);
    } else {
      EXPECT_EQ(a.host, row.host_or_path);
      EXPECT_EQ(a.port, row.port);
    }
    EXPECT_EQ(a.text, row.normalised);
    // The normalised text means the same address.
    Address again = parse_address(a.text, row.tls);
    EXPECT_EQ(again.text, a.text);
  }
}

struct Refused {
  const char* text;
  const char* reason;
};

const Refused kRefused[] = {
    {"", "it is empty"},
    {"foo", "an address without tcp:// needs a port (host:port)"},
    {"host:", "the port after ':' is empty"},
    {"http://x", "drillmaster speaks unix:// and tcp://, not 'http://'"},
    {"ssh://me@host", "drillmaster speaks unix:// and tcp://, not 'ssh://'"},
    {"TCP://h:1", "drillmaster speaks unix:// and tcp://, not 'TCP://'"},
    {"unix://", "unix:// must be followed by the socket's absolute path"},
    {"unix:///", "unix:// must be followed by the socket's absolute path"},
    {"unix://relative", "unix:// must be followed by the socket's absolute path"},
    {"tcp://", "it names no host"},
    {"tcp:///var/run/docker.sock", "it names no host"},
    {"tcp://:2375", "it names no host"},
    {"tcp://:x", "the port must be a number from 1 to 65535"},
    {"tcp://h:", "the port after ':' is empty"},
    {"tcp://[::1]:", "the port after ':' is empty"},
    {"tcp://h:0", "the port must be a number from 1 to 65535"},
    {"tcp://h:99999", "the port must be a number from 1 to 65535"},
    {"tcp://h:12ab", "the port must be a number from 1 to 65535"},
    {"tcp://h:+1", "the port must be a number from 1 to 65535"},
    {"tcp://h:1:2", "the port must be a number from 1 to 65535"},
    {"tcp://::1:2375", "the port must be a number from 1 to 65535"},
    {"tcp://a b:1", "the host name holds characters no host name has"},
    {"tcp://h;x:1", "the host name holds characters no host name has"},
    {"tcp://[::1", "the IPv6 address in brackets is malformed"},
    {"tcp://[1.2.3.4]:1", "the IPv6 address in brackets is malformed"},
    {"tcp://[fe80::1%25eth0]:1", "IPv6 zone ids ('%25eth0') are not supported"},
    {"tcp://me@h:1", "it holds a user name or password, which an engine address cannot carry"},
    {"tcp://me:secret@h:1",
     "it holds a user name or password, which an engine address cannot carry"},
    {"tcp://h:1/v1.41", "it has a path ('/v1.41'): an engine address ends after the port"},
    {"tcp://h//", "it has a path ('//'): an engine address ends after the port"},
    {"h:1/x", "it has a path ('/x'): an engine address ends after the port"},
    {"tcp://h:1?tls=1",
     "it has a query or fragment ('?' or '#'): an engine address ends after "
     "the port"},
    {"tcp://h:1#x",
     "it has a query or fragment ('?' or '#'): an engine address ends after the "
     "port"},
};

TEST(ParseAddress, RefusesEachOtherFormSayingWhy) {
  for (const Refused& row : kRefused) {
    SCOPED_TRACE(row.text);
    try {
      parse_address(row.text, false);
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Error::Code::Invalid);
      EXPECT_EQ(std::string(e.what()), std::string("DOCKER_HOST '") + row.text +
                                           "' is not a valid engine address: " + row.reason +
                                           "; use unix:///path/to/docker.sock or tcp://host:port");
    }
  }
}

TEST(ParseAddress, RefusesEverythingElseNamingTheValue) {
  for (const char* bad : {"http://x", "unix://", "unix://relative", "tcp://", "tcp://:x",
                          "tcp://:2375", "tcp://h:99999", "tcp://h:0", "tcp://h:12ab", "foo", "",
                          "host:", "ssh://me@host", "tcp://a b:1", "tcp://h:1:2"}) {
    try {
      parse_address(bad, false);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), Error::Code::Invalid) << bad;
      std::string message = e.what();
      std::string start = std::string("DOCKER_HOST '") + bad + "' is not a valid engine address";
      std::string end = "use unix:///path/to/docker.sock or tcp://host:port";
      EXPECT_EQ(message.substr(0, start.size()), start);
      EXPECT_EQ(message.substr(message.size() - end.size()), end);
    }
  }
}

TEST(ParseAddress, AQuotedValueStaysShortWhateverItsLength) {
  std::string long_host = "tcp://" + std::string(5000, 'h') + ":1/x";
  try {
    parse_address(long_host, false);
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_LT(std::string(e.what()).size(), 1000u) << e.what();
  }
}

}  // namespace
}  // namespace dm::engine
