"""A SPARQL endpoint that misbehaves, for the endpoint tests: ``python misbehaving_server.py
MODE`` binds 127.0.0.1 on a free port, prints the port, and serves until killed.

Modes: ``trickle`` (a valid answer, one byte a second), ``trickle-headers`` (the status line and
headers one byte a second), ``html`` (an HTML page with status 200), ``shape`` (JSON that is
not SPARQL results), ``count`` (accepts every write, then says the graph holds 0 triples).
Every request is appended to the log file named by the second argument.
"""

from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1]
LOG = sys.argv[2]
RESULTS = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": []}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args: object) -> None:
        pass

    def _record(self) -> bytes:
        size = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(size) if size else b""
        with open(LOG, "a", encoding="utf-8") as log:  # noqa: PTH123
            log.write(f"{self.command} {self.path} {len(body)}\n")
        return body

    def do_GET(self) -> None:
        self._record()
        self._answer()

    def do_POST(self) -> None:
        body = self._record()
        self._answer(body)

    def do_PUT(self) -> None:
        self._record()
        self._answer()

    def _answer(self, body: bytes = b"") -> None:
        if MODE == "trickle-headers":
            head = b"HTTP/1.0 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(1)
            return
        if MODE == "count" and b"COUNT" not in body:
            self.send_response(204)
            self.end_headers()
            return
        kind, payload = "application/sparql-results+json", RESULTS
        if MODE == "html":
            kind, payload = "text/html", b"<html><body><h1>Welcome to nginx!</h1></body></html>"
        elif MODE == "shape":
            payload = json.dumps({"results": [1, 2, 3]}).encode()
        elif MODE == "count":
            cell = {"type": "literal", "value": "0"}
            payload = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": cell}]}})
            payload = payload.encode()
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if MODE == "trickle":
            for byte in payload:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(1)
            return
        self.wfile.write(payload)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
sys.stdout.write(f"{server.server_address[1]}\n")
sys.stdout.flush()
server.serve_forever()
