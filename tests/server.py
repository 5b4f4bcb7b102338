#!/usr/bin/env python3
"""A local HTTP/1.1 server for sendnews's tests: Python standard library only.

    python3 tests/server.py --root DIR --port-file FILE [--latency-ms N] [--log FILE]

Binds 127.0.0.1 on a free port and writes the port to FILE (atomically) once
it accepts connections.  Files under DIR are served with an ETag (a hash of
the content) and Last-Modified (the file's mtime), and a matching
If-None-Match / If-Modified-Since gets 304.  Special paths:

    /status/NNN[?reason=TEXT]  that status with a short body (reason may hold
                               control bytes, to test sanitising)
    /delay/MS/PATH             waits MS milliseconds, then answers PATH
    /redirect/N/PATH           N redirect hops (302), then PATH; each hop
                               carries ETag "redirect-hop"
    /redirect-to?url=URL[&status=NNN]   redirects anywhere (file:, ftp:, ...)
    /loop                      redirects to itself
    /big/BYTES                 a body of BYTES with Content-Length
    /chunked-big/BYTES         the same, chunked, no length
    /gzip-bomb/BYTES           gzip body inflating to BYTES (built on the fly)
    /truncated/PATH            announces PATH's length, closes after half
    /slow/BPS/PATH             sends PATH at BPS bytes per second
    /hang                      reads the request, never answers (logged
                               again, status "closed", when the client goes)
    /reset                     resets the connection without answering
    /close                     closes the connection without answering
    /type/CT/PATH              PATH with Content-Type CT (percent-encoded)
    /announce/BYTES            announces BYTES in Content-Length (2 GB ...),
                               sends 64 KB, then waits for the client to go
    /endless                   a chunked body that never ends, sent as fast
                               as the client reads
    /reset-mid/PATH            announces PATH's length, sends half, then
                               resets the connection (RST)

Used as an HTTP proxy (http_proxy=http://127.0.0.1:PORT), it answers a
request line with an absolute URL from the URL's path, and logs that path
as the absolute URL, so a test can see the proxy was used.

Every request is appended to --log as one JSON line (path, if_none_match,
if_modified_since, status, user_agent), flushed at once and written before
the answer goes out, so a client that has its answer finds the line.
--latency-ms delays every answer; each connection has its own thread.
"""

import argparse
import email.utils
import hashlib
import http.server
import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import zlib

CHUNK = 64 * 1024
TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".rdf": "application/rdf+xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
}


class Stop(Exception):
    """The client went away; end this request quietly."""


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "sendnews-test/1"
    # Headers and body go out in separate writes: without TCP_NODELAY the
    # body waits for the client's delayed ACK, 40 ms a request.
    disable_nagle_algorithm = True

    # --- plumbing -------------------------------------------------------

    def log_message(self, fmt, *args):
        pass  # the JSON log is the record; stderr stays quiet

    def record(self, status):
        srv = self.server
        if not srv.log_file:
            return
        # A request that did not parse (send_error) has no path or headers.
        headers = getattr(self, "headers", None) or {}
        line = json.dumps({
            "path": getattr(self, "path", None),
            "if_none_match": headers.get("If-None-Match"),
            "if_modified_since": headers.get("If-Modified-Since"),
            "status": status,
            "user_agent": headers.get("User-Agent"),
        })
        with srv.log_lock:
            try:
                srv.log_file.write(line + "\n")
                srv.log_file.flush()
            except ValueError:
                pass  # closed: the server is stopping

    def send_response(self, code, message=None):
        # Logged before anything is sent: see the module docstring.
        self.record(code)
        super().send_response(code, message)

    def write(self, data):
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError,
                socket.timeout, OSError):
            self.close_connection = True
            raise Stop()

    def simple(self, code, body=b"", ctype="text/plain; charset=utf-8",
               headers=(), reason=None):
        self.send_response(code, reason)
        for k, v in headers:
            self.send_header(k, v)
        if code == 304 or code == 204 or 100 <= code < 200:
            self.end_headers()
            self.write(b"")
            return
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.write(body)

    def sleep(self, seconds):
        """Sleeps, but returns early when the server stops."""
        if self.server.stopping.wait(seconds):
            self.close_connection = True
            raise Stop()

    # --- entry ----------------------------------------------------------

    def do_GET(self):
        try:
            if self.server.latency:
                self.sleep(self.server.latency)
            parsed = urllib.parse.urlsplit(self.path)
            segs = [urllib.parse.unquote(s) for s in parsed.path.split("/")[1:]]
            query = urllib.parse.parse_qs(parsed.query)
            self.dispatch(segs, query)
        except Stop:
            self.close_connection = True

    def do_HEAD(self):
        self.simple(405, b"HEAD is not supported here\n")

    def dispatch(self, segs, query):
        name = segs[0] if segs else ""
        rest = segs[1:]
        handler = getattr(self, "route_" + name.replace("-", "_"), None)
        if name and handler and not name.startswith("_"):
            try:
                handler(rest, query)
            except (ValueError, IndexError):
                self.simple(400, b"bad special path\n")
            return
        self.serve_file("/".join(segs))

    # --- files ----------------------------------------------------------

    def file_path(self, rel):
        root = self.server.root
        full = os.path.realpath(os.path.join(root, rel))
        if full != root and not full.startswith(root + os.sep):
            return None
        return full if os.path.isfile(full) else None

    def read_file(self, rel):
        full = self.file_path(rel)
        if full is None:
            return None, None
        with open(full, "rb") as fp:
            data = fp.read()
        return data, os.stat(full).st_mtime

    def content_type(self, rel):
        ext = os.path.splitext(rel)[1].lower()
        return TYPES.get(ext, "application/octet-stream")

    def serve_file(self, rel, ctype=None):
        data, mtime = self.read_file(rel)
        if data is None:
            self.simple(404, b"not found\n")
            return
        etag = '"%s"' % hashlib.sha1(data).hexdigest()[:16]
        modified = email.utils.formatdate(mtime, usegmt=True)
        validators = [("ETag", etag), ("Last-Modified", modified)]
        if self.not_modified(etag, mtime):
            self.simple(304, headers=validators)
            return
        self.simple(200, data, ctype or self.content_type(rel), validators)

    def not_modified(self, etag, mtime):
        inm = self.headers.get("If-None-Match")
        if inm is not None:
            # RFC 9110: If-None-Match wins; weak comparison.
            tags = [t.strip() for t in inm.split(",")]
            plain = [t[2:] if t.startswith("W/") else t for t in tags]
            return "*" in plain or etag in plain
        ims = self.headers.get("If-Modified-Since")
        if ims is not None:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
            return int(mtime) <= since
        return False

    # --- special paths --------------------------------------------------

    def route_status(self, rest, query):
        code = int(rest[0])
        reason = query.get("reason", [None])[0]
        if reason is not None:
            # Raw bytes on the status line, control characters included.
            reason = reason.encode("latin-1", "replace").decode("latin-1")
        self.simple(code, b"status %d\n" % code, reason=reason)

    def route_delay(self, rest, query):
        self.sleep(int(rest[0]) / 1000.0)
        self.dispatch(rest[1:], query)

    def route_redirect(self, rest, query):
        n = int(rest[0])
        target = rest[1:]
        if n <= 0:
            self.dispatch(target, query)
            return
        path = "/".join(urllib.parse.quote(s, safe="") for s in target)
        loc = "/redirect/%d/%s" % (n - 1, path) if n > 1 else "/" + path
        self.redirect(302, loc, [("ETag", '"redirect-hop"')])

    def route_redirect_to(self, rest, query):
        url = query.get("url", [""])[0]
        code = int(query.get("status", ["302"])[0])
        self.redirect(code, url)

    def route_loop(self, rest, query):
        self.redirect(302, "/loop")

    def redirect(self, code, location, extra=()):
        body = b"moved\n"
        self.send_response(code)
        self.send_header("Location", location)
        for k, v in extra:
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.write(body)

    @staticmethod
    def filler(total):
        """Yields total bytes of well-formed-looking XML, CHUNK at a time."""
        head = b'<?xml version="1.0"?>\n<rss version="2.0"><channel>'
        block = b" " * CHUNK
        sent = 0
        first = head[:total]
        if first:
            yield first
            sent = len(first)
        while sent < total:
            n = min(CHUNK, total - sent)
            yield block[:n]
            sent += n

    def route_big(self, rest, query):
        total = int(rest[0])
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        for piece in self.filler(total):
            self.write(piece)

    def start_chunked(self, extra=()):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()

    def chunk(self, data):
        if data:
            self.write(b"%x\r\n%s\r\n" % (len(data), data))

    def route_chunked_big(self, rest, query):
        self.start_chunked()
        for piece in self.filler(int(rest[0])):
            self.chunk(piece)
        self.write(b"0\r\n\r\n")

    def route_gzip_bomb(self, rest, query):
        # Compressed as it is sent, so memory stays at a few blocks.
        comp = zlib.compressobj(9, zlib.DEFLATED, 31)
        self.start_chunked([("Content-Encoding", "gzip")])
        for piece in self.filler(int(rest[0])):
            self.chunk(comp.compress(piece))
        self.chunk(comp.flush())
        self.write(b"0\r\n\r\n")

    def route_truncated(self, rest, query):
        rel = "/".join(rest)
        data, _ = self.read_file(rel)
        if data is None:
            self.simple(404, b"not found\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", self.content_type(rel))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.write(data[:len(data) // 2])
        self.close_connection = True

    def route_slow(self, rest, query):
        bps = max(1, int(rest[0]))
        rel = "/".join(rest[1:])
        data, _ = self.read_file(rel)
        if data is None:
            self.simple(404, b"not found\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", self.content_type(rel))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        step = max(1, bps // 10)  # ten sends a second
        for i in range(0, len(data), step):
            self.write(data[i:i + step])
            self.sleep(step / bps)

    def route_type(self, rest, query):
        self.serve_file("/".join(rest[1:]), ctype=rest[0])

    def route_hang(self, rest, query):
        self.record(None)
        # Wait until the client gives up (EOF) or the server stops.
        sock = self.connection
        while not self.server.stopping.is_set():
            r, _, _ = select.select([sock], [], [], 0.2)
            if r:
                try:
                    if not sock.recv(4096):
                        break
                except OSError:
                    break
        # A second line when the client gives up, so a test can see
        # whether two hanging requests overlapped.
        self.record("closed")
        raise Stop()

    def route_reset(self, rest, query):
        self.record(None)
        # SO_LINGER with a zero timeout turns close() into a RST, as long as
        # no orderly shutdown() comes first (see Server.shutdown_request).
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        with self.server.reset_lock:
            self.server.to_reset.add(self.connection)
        raise Stop()

    def wait_for_client(self):
        """Waits until the client closes the connection or the server stops."""
        sock = self.connection
        while not self.server.stopping.is_set():
            r, _, _ = select.select([sock], [], [], 0.2)
            if r:
                try:
                    if not sock.recv(4096):
                        break
                except OSError:
                    break
        raise Stop()

    def route_announce(self, rest, query):
        total = int(rest[0])
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(total))
        self.end_headers()
        for piece in self.filler(min(total, CHUNK)):
            self.write(piece)
        self.wait_for_client()

    def route_endless(self, rest, query):
        self.start_chunked()
        for piece in self.filler(CHUNK):
            self.chunk(piece)
        block = b" " * CHUNK
        while not self.server.stopping.is_set():
            self.chunk(block)  # raises Stop when the client goes
        raise Stop()

    def route_reset_mid(self, rest, query):
        rel = "/".join(rest)
        data, _ = self.read_file(rel)
        if data is None:
            self.simple(404, b"not found\n")
            return
        self.send_response(200)
        self.send_header("Content-Type", self.content_type(rel))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.write(data[:len(data) // 2])
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        with self.server.reset_lock:
            self.server.to_reset.add(self.connection)
        raise Stop()

    def route_close(self, rest, query):
        self.record(None)
        raise Stop()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # 200+ clients connect at the same moment

    def __init__(self, *args, **kwargs):
        self.to_reset = set()
        self.reset_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def shutdown_request(self, request):
        with self.reset_lock:
            reset = request in self.to_reset
            self.to_reset.discard(request)
        if reset:
            self.close_request(request)
        else:
            super().shutdown_request(request)

    def handle_error(self, request, client_address):
        # A client that vanishes mid-answer is normal here; anything else
        # is worth a line on stderr, but never ends the server.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, socket.timeout, Stop)):
            return
        sys.stderr.write("server.py: %r\n" % (exc,))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--latency-ms", type=int, default=0)
    ap.add_argument("--log")
    args = ap.parse_args()

    srv = Server(("127.0.0.1", 0), Handler)
    srv.root = os.path.realpath(args.root)
    srv.latency = args.latency_ms / 1000.0
    srv.stopping = threading.Event()
    srv.log_lock = threading.Lock()
    srv.log_file = open(args.log, "a", encoding="utf-8") if args.log else None

    def on_term(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)

    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as fp:
        fp.write("%d\n" % srv.server_address[1])
    os.replace(tmp, args.port_file)
    try:
        srv.serve_forever(poll_interval=0.1)
    finally:
        srv.stopping.set()
        srv.server_close()
        if srv.log_file:
            srv.log_file.close()


if __name__ == "__main__":
    main()
