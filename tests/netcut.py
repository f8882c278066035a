"""A relay in front of a server whose line can be cut, as a phone loses its signal.

For browsers that cannot be told to go offline (WebKit through WebDriver): while the line is cut
every open connection is reset and new ones are reset as soon as they arrive, so the page's
requests fail as they do on a dead network, and the browser still believes it is online (as
iOS Safari does on a captive network).
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import struct
import threading


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        # Linger 0: close with a reset, not a polite goodbye.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()


class NetworkCut:
    def __init__(self, listen_port: int, target_port: int) -> None:
        self.listen_port = listen_port
        self.target_port = target_port
        self.url = f"http://127.0.0.1:{listen_port}"
        self._up = threading.Event()
        self._up.set()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._server = socket.create_server(("127.0.0.1", listen_port), reuse_port=False)
        self._stopped = False

    def start(self) -> NetworkCut:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def cut(self) -> None:
        self._up.clear()
        with self._lock:
            for sock in self._open:
                _reset(sock)
            self._open.clear()

    def restore(self) -> None:
        self._up.set()

    def stop(self) -> None:
        self._stopped = True
        self.cut()
        self._server.close()

    def _accept(self) -> None:
        while not self._stopped:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self._up.is_set():
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
            except OSError:
                _reset(client)
                continue
            with self._lock:
                self._open |= {client, upstream}
            threading.Thread(target=self._relay, args=(client, upstream), daemon=True).start()

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        peers = {client: upstream, upstream: client}
        with selectors.DefaultSelector() as selector:
            for sock in peers:
                selector.register(sock, selectors.EVENT_READ)
            try:
                while self._up.is_set():
                    for key, _ in selector.select(timeout=0.2):
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                        if not data:
                            return
                        peers[key.fileobj].sendall(data)  # type: ignore[index]
            except OSError:
                return
            finally:
                with self._lock:
                    self._open -= {client, upstream}
                for sock in peers:
                    if self._up.is_set():
                        sock.close()
                    else:
                        _reset(sock)
