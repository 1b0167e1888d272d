"""Fixture for smtpeek's API black-box tests.

Starts the real `smtpeek --headless` binary with SMTP and the API on free ports, reads both
ports from its log, and offers small HTTP (urllib), SMTP (smtplib) and WebSocket helpers.
Python 3 stdlib only. The binary comes from $SMTPEEK_BINARY (set by ctest).
"""

import base64
import hashlib
import json
import os
import re
import socket
import struct
import sys
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
# One way to find the binary, prepare its environment and run it: the integration fixture's.
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
from smtpeek_fixture import (  # noqa: E402,F401
    Server, binary_path, clean_env as server_env, run_binary)

# Generous: the binary may run under AddressSanitizer on a small machine. These bound waiting,
# they never judge speed.
START_TIMEOUT = 30.0
IO_TIMEOUT = 30.0

API_RE = re.compile(r"^api listening on (http://\S+)$")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")


class Smtpeek(Server):
    """One running `smtpeek --headless --memory` with its API on a free port (unless the test
    names one: 8025 may belong to another server or test). Starting, log reading, stopping
    and the sanitizer check are the integration fixture's."""

    def __init__(self, extra_args=()):
        args = list(extra_args)
        if "--api" not in args and "--no-api" not in args:
            args += ["--api", "127.0.0.1:0"]
        super().__init__(args=args, memory=True)

    def start(self):
        super().start()
        api = self.wait_line(API_RE, START_TIMEOUT)
        if not api:
            self.kill()
            raise RuntimeError("smtpeek did not start its API: %r %r" % (self.lines, self.stderr))
        self.base = API_RE.match(api).group(1)
        self.api_port = int(self.base.rsplit(":", 1)[1])
        return self

    @property
    def smtp_host(self):
        return self.host

    @property
    def smtp_port(self):
        return self.port

    # -- SMTP ---------------------------------------------------------------------------------
    def send(self, sender, recipients, data):
        """Sends one message with smtplib; returns its ID as the API spells it (a string)."""
        import smtplib
        with smtplib.SMTP(self.smtp_host, self.smtp_port, local_hostname="api-test.example",
                          timeout=IO_TIMEOUT) as client:
            client.ehlo()
            code, reply = client.mail(sender)
            assert code == 250, reply
            for rcpt in recipients:
                code, reply = client.rcpt(rcpt)
                assert code == 250, reply
            code, reply = client.data(data)
            assert code == 250, reply
        # The 250 comes only once the store has the message, so the API can serve it at once.
        return re.search(rb"queued as (\d+)", reply).group(1).decode()

    # -- HTTP ---------------------------------------------------------------------------------
    def request(self, method, path, body=None, headers=None, raw_body=None):
        data = raw_body if raw_body is not None else (
            None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers=headers or {})
        if body is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=IO_TIMEOUT) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def get_json(self, path):
        r = self.get(path)
        assert r.status == 200, (path, r.status, r.body)
        assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
        return r.json()

    def raw_http(self, data, timeout=IO_TIMEOUT):
        """Sends bytes on a fresh connection and returns everything until it closes."""
        with socket.create_connection(("127.0.0.1", self.api_port), timeout=timeout) as s:
            s.sendall(data)
            chunks = []
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
            except socket.timeout:
                pass
            return b"".join(chunks)

    def events(self, headers=None):
        return WebSocketClient("127.0.0.1", self.api_port, "/api/events", headers)

    def __exit__(self, *exc):
        self.stop()  # gracefully, so that a sanitizer report at exit reaches stderr


class WebSocketClient:
    """A minimal RFC 6455 client: the handshake, masked frames out, text frames in."""

    GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    def __init__(self, host, port, path, headers=None):
        self.sock = socket.create_connection((host, port), timeout=IO_TIMEOUT)
        key = base64.b64encode(os.urandom(16))
        lines = ["GET %s HTTP/1.1" % path, "Host: %s:%d" % (host, port), "Upgrade: websocket",
                 "Connection: Upgrade", "Sec-WebSocket-Key: %s" % key.decode(),
                 "Sec-WebSocket-Version: 13"]
        for name, value in (headers or {}).items():
            lines.append("%s: %s" % (name, value))
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        self.status_line = head.split(b"\r\n")[0].decode()
        self.status = int(self.status_line.split()[1]) if self.status_line else 0
        expected = base64.b64encode(hashlib.sha1(key + self.GUID).digest())
        self.accepted = self.status == 101 and expected in head

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def frame(self):
        b0, b1 = self._read(2)
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._read(8))[0]
        mask = self._read(4) if b1 & 0x80 else None
        payload = self._read(length)
        if mask:
            payload = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        return b0 & 0x0F, payload

    def event(self, timeout=IO_TIMEOUT):
        """The next text frame as parsed JSON; pings are answered, a close raises."""
        self.sock.settimeout(timeout)
        while True:
            opcode, payload = self.frame()
            if opcode == 0x1:
                return json.loads(payload.decode("utf-8"))
            if opcode == 0x8:
                raise ConnectionError("closed by server: %r" % payload)
            if opcode == 0x9:
                self.send(payload, opcode=0xA)

    def wait_for(self, event_type, timeout=IO_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            event = self.event(max(0.1, deadline - time.monotonic()))
            if event.get("Type") == event_type:
                return event

    def send(self, payload, opcode=0x1):
        mask = os.urandom(4)
        header = bytes([0x80 | opcode])
        if len(payload) < 126:
            header += bytes([0x80 | len(payload)])
        elif len(payload) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(payload))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(payload))
        masked = bytes(c ^ mask[i % 4] for i, c in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
