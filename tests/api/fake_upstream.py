"""A scripted SMTP server for the relay tests that a real smtpeek cannot play: one that lacks
8BITMIME or SMTPUTF8, refuses a recipient for good, answers slowly, or misbehaves (garbage, an
endless line, silence, a close in the middle of DATA). Threads and sockets, stdlib only.
"""

import socket
import threading
import time


class FakeUpstream:
    """Listens on a free loopback port; each connection runs `behaviour` (see handle())."""

    def __init__(self, extensions=("PIPELINING", "8BITMIME", "SMTPUTF8", "SIZE 10485760"),
                 behaviour="normal", refuse=(), delay=0.0):
        self.extensions = list(extensions)
        self.behaviour = behaviour
        self.refuse = set(refuse)  # recipients answered 550
        self.delay = delay         # seconds before each reply
        self.messages = []         # (mail_from, [rcpt], data) in order
        self.connections = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.closing = False
        threading.Thread(target=self._accept, daemon=True).start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.closing = True
        try:
            self.sock.close()
        except OSError:
            pass

    def count(self):
        with self.lock:
            return len(self.messages)

    def _accept(self):
        while not self.closing:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        try:
            self.handle(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def handle(self, conn):
        if self.behaviour == "garbage":
            conn.sendall(b"HELLO? this is not SMTP\r\n")
            time.sleep(5)
            return
        if self.behaviour == "endless-line":
            conn.sendall(b"220 " + b"x" * (10 * 1024 * 1024) + b"\r\n")
            time.sleep(5)
            return
        if self.behaviour == "silent":
            time.sleep(30)
            return
        reader = conn.makefile("rb")

        def reply(text):
            if self.delay:
                time.sleep(self.delay)
            conn.sendall(text.encode() + b"\r\n")

        reply("220 fake.test ESMTP")
        mail_from, rcpts = None, []
        while True:
            line = reader.readline()
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                lines = ["fake.test"] + self.extensions
                reply("\r\n".join("250%s%s" % ("-" if i + 1 < len(lines) else " ", text)
                                  for i, text in enumerate(lines)))
            elif verb == b"HELO":
                reply("250 fake.test")
            elif verb == b"MAIL":
                mail_from, rcpts = line[10:].split(b">")[0].lstrip(b"<").decode(), []
                reply("250 2.1.0 Ok")
            elif verb == b"RCPT":
                address = line[8:].split(b">")[0].lstrip(b"<").decode()
                if address in self.refuse:
                    reply("550 5.1.1 No such user")
                else:
                    rcpts.append(address)
                    reply("250 2.1.5 Ok")
            elif verb == b"DATA":
                if not rcpts:
                    reply("554 5.5.1 No valid recipients")
                    continue
                reply("354 go ahead")
                if self.behaviour == "close-mid-data":
                    reader.readline()
                    return
                data = b""
                while True:
                    chunk = reader.readline()
                    if not chunk:
                        return
                    if chunk == b".\r\n":
                        break
                    data += chunk[1:] if chunk.startswith(b".") else chunk
                with self.lock:
                    self.messages.append((mail_from, rcpts, data))
                reply("250 2.0.0 Ok: queued")
            elif verb == b"RSET":
                mail_from, rcpts = None, []
                reply("250 2.0.0 Ok")
            elif verb == b"QUIT":
                reply("221 2.0.0 Bye")
                return
            else:
                reply("502 5.5.1 Not implemented")
