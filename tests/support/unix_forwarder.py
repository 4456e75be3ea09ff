"""A second engine address for tests: listens on a Unix socket and forwards
every connection to another one (the real engine's), counting them.

    python3 unix_forwarder.py LISTEN_PATH TARGET_PATH
    python3 unix_forwarder.py --tls CERT KEY [--client-ca CA] TARGET_PATH

Prints "ready" once it listens, then one line "connection" for each
connection it forwards, so a test knows its requests went this way (and not
to the engine's own socket). Runs until killed or its stdin closes.

With --tls it is an engine reached over TCP with TLS instead, as a remote
engine is: it listens on a free port of 127.0.0.1 with the certificate and
key given, says "ready PORT", and forwards what it decrypts. With
--client-ca it also requires a client certificate signed by CA, as a daemon
started with --tlsverify does.
"""

import contextlib
import select
import socket
import ssl
import sys
import threading


def relay(client: socket.socket, engine: socket.socket) -> None:
    """Carries bytes both ways on one thread (a TLS socket must not be read
    and written from two threads at once) until either side closes."""
    peer = {client: engine, engine: client}
    try:
        while True:
            # A TLS socket may hold decrypted bytes that select cannot see.
            ready = [s for s in peer if isinstance(s, ssl.SSLSocket) and s.pending()]
            for source in ready or select.select(list(peer), [], [])[0]:
                data = source.recv(65536)
                if not data:
                    return
                peer[source].sendall(data)
    except OSError:
        pass
    finally:
        for s in peer:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            s.close()


def serve(server: socket.socket, target: str) -> None:
    while True:
        try:
            client, _ = server.accept()
        except ssl.SSLError:  # a client that gave up on the handshake
            continue
        engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        engine.connect(target)
        print("connection", flush=True)
        threading.Thread(target=relay, args=(client, engine), daemon=True).start()


def tls_server(cert: str, key: str, client_ca: str = "") -> socket.socket:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if client_ca:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(client_ca)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    return context.wrap_socket(server, server_side=True)


def main() -> None:
    if sys.argv[1] == "--tls":
        client_ca = sys.argv[5] if sys.argv[4] == "--client-ca" else ""
        server, target = tls_server(sys.argv[2], sys.argv[3], client_ca), sys.argv[-1]
        ready = f"ready {server.getsockname()[1]}"
    else:
        server, target = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM), sys.argv[2]
        server.bind(sys.argv[1])
        ready = "ready"
    server.listen(64)
    threading.Thread(target=serve, args=(server, target), daemon=True).start()
    print(ready, flush=True)
    sys.stdin.read()  # until the test closes our stdin (or kills us)


if __name__ == "__main__":
    main()
