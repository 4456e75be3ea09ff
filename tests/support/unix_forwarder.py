"""A second engine address for tests: listens on a Unix socket and forwards
every connection to another one (the real engine's), counting them.

    python3 unix_forwarder.py LISTEN_PATH TARGET_PATH

Prints "ready" once it listens, then one line "connection" for each
connection it forwards, so a test knows its requests went this way (and not
to the engine's own socket). Runs until killed or its stdin closes.
"""

import contextlib
import socket
import sys
import threading


def pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for s in (source, sink):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)


def serve(server: socket.socket, target: str) -> None:
    while True:
        client, _ = server.accept()
        engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        engine.connect(target)
        print("connection", flush=True)
        threading.Thread(target=pump, args=(client, engine), daemon=True).start()
        threading.Thread(target=pump, args=(engine, client), daemon=True).start()


def main() -> None:
    listen, target = sys.argv[1], sys.argv[2]
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen)
    server.listen(64)
    threading.Thread(target=serve, args=(server, target), daemon=True).start()
    print("ready", flush=True)
    sys.stdin.read()  # until the test closes our stdin (or kills us)


if __name__ == "__main__":
    main()
