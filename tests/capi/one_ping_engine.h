/*
 * A one-request engine on a loopback TCP port, for the C API tests: it
 * answers the /_ping of dm_client_open() with API 1.41, then closes. Enough
 * to hold a real dm_client where no Docker engine is needed (calls refused
 * before they would reach it), and to see how a tcp:// address is reached.
 * Include after <cmocka.h>.
 */
#ifndef DM_TESTS_CAPI_ONE_PING_ENGINE_H
#define DM_TESTS_CAPI_ONE_PING_ENGINE_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct tcp_engine {
  int listener;
  int port;
  char host[64]; /* "tcp://127.0.0.1:<port>" */
  pthread_t thread;
};

static void* tcp_engine_serve(void* arg) {
  struct tcp_engine* engine = arg;
  int fd = accept(engine->listener, NULL, NULL);
  if (fd < 0) return NULL;
  char request[4096];
  size_t got = 0;
  while (got < sizeof request - 1) { /* up to the end of the head */
    ssize_t n = read(fd, request + got, sizeof request - 1 - got);
    if (n <= 0) break;
    got += (size_t)n;
    request[got] = '\0';
    if (strstr(request, "\r\n\r\n")) break;
  }
  const char* answer =
      "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\nOK";
  (void)!write(fd, answer, strlen(answer));
  close(fd);
  return NULL;
}

/* Listens and serves one request on a thread; tcp_engine_stop() waits for
 * that request, so exactly one client must be opened on it. */
static void tcp_engine_start(struct tcp_engine* engine) {
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  engine->listener = socket(AF_INET, SOCK_STREAM, 0);
  assert_true(engine->listener >= 0);
  assert_int_equal(bind(engine->listener, (struct sockaddr*)&addr, sizeof addr), 0);
  assert_int_equal(listen(engine->listener, 4), 0);
  socklen_t len = sizeof addr;
  getsockname(engine->listener, (struct sockaddr*)&addr, &len);
  engine->port = ntohs(addr.sin_port);
  snprintf(engine->host, sizeof engine->host, "tcp://127.0.0.1:%d", engine->port);
  assert_int_equal(pthread_create(&engine->thread, NULL, tcp_engine_serve, engine), 0);
}

static void tcp_engine_stop(struct tcp_engine* engine) {
  pthread_join(engine->thread, NULL);
  close(engine->listener);
}

#endif
