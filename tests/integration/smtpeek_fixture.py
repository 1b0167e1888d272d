"""Shared fixture for smtpeek's black-box integration tests.

Starts the real `smtpeek --headless` binary on a free port (``--listen 127.0.0.1:0``), parses the
port from its first stdout line, collects every log line, and stops it with a signal.  Also a small
raw SMTP client (for pipelining, smuggling and bad-input cases real clients cannot produce) and a
read-only view of the SQLite file for checking stored bytes.

Stdlib only.  The binary comes from $SMTPEEK_BINARY (set by ctest); when run by hand it falls back
to the usual build directories.
"""

import atexit
import os
import re
import select
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Generous: the binary runs under AddressSanitizer on a small machine.  These bound how long a test
# waits for something that should happen; they never decide pass/fail on speed.
START_TIMEOUT = 30.0
IO_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0

LISTEN_RE = re.compile(r"^smtpeek \S+ listening on (\S+):(\d+)$")
STORED_RE = re.compile(
    r"^message (\d+) stored: session (\d+), from <(.*?)> to (.*), (\d+) bytes, subject \"(.*)\"$")
QUEUED_RE = re.compile(r"queued as (\d+)")


def binary_path():
    path = os.environ.get("SMTPEEK_BINARY")
    if path:
        return path
    # by hand: the most recently built of the usual build directories
    candidates = [os.path.join(REPO, build, "app", "smtpeek")
                  for build in ("build-test", "build", "build-it")]
    candidates = [c for c in candidates if os.access(c, os.X_OK)]
    if candidates:
        return max(candidates, key=os.path.getmtime)
    raise RuntimeError("set SMTPEEK_BINARY to the smtpeek executable")


def sanitizer_env():
    """Environment for an ASan/UBSan build unless the caller (scripts/test.sh) set it: leaks fail
    the process (exit != 0), known one-time library allocations are suppressed."""
    env = {}
    supp = os.path.join(REPO, "tests", "lsan.supp")
    if os.path.exists(supp):
        env["LSAN_OPTIONS"] = "suppressions=%s:print_suppressions=0" % supp
    env["ASAN_OPTIONS"] = "detect_leaks=1:new_delete_type_mismatch=0:abort_on_error=0"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
    return {k: v for k, v in env.items() if k not in os.environ}


# An empty config folder, so that the user's own smtpeek.ini never changes a test's server.
CONFIG_HOME = tempfile.mkdtemp(prefix="smtpeek-config-")
atexit.register(shutil.rmtree, CONFIG_HOME, ignore_errors=True)


def clean_env(extra=None):
    """The current environment without any SMTPEEK_* variable (they would change the server's
    options) and with an empty config folder, plus the sanitizer settings and `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SMTPEEK_") or k == "SMTPEEK_BINARY"}
    env.pop("SMTPEEK_BINARY", None)
    env["XDG_CONFIG_HOME"] = CONFIG_HOME
    env.update(sanitizer_env())
    env["QT_QPA_PLATFORM"] = "offscreen"
    if extra:
        env.update(extra)
    return env


def run_binary(args, env=None, timeout=START_TIMEOUT):
    """Run smtpeek to completion (for --help, bad options, ...)."""
    return subprocess.run([binary_path()] + list(args), env=clean_env(env),
                          stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)


class Server:
    """One running `smtpeek --headless` process."""

    def __init__(self, args=(), env=None, db=None, memory=False, listen=True):
        self.args = list(args)
        self.env = env
        self.db = db
        self.memory = memory
        self.listen = listen
        self.proc = None
        self.signalled = None
        self.host = "127.0.0.1"
        self.port = None
        self.lines = []          # stdout log lines, in order
        self.stderr = b""
        self._cond = threading.Condition()
        self._out_done = False
        self._threads = []

    # -- life cycle -------------------------------------------------------------------------
    def start(self):
        argv = [binary_path(), "--headless"]
        if "--api" not in self.args:
            argv += ["--no-api"]  # the API has its own tests; 8025 may be taken by another one
        if self.listen:
            argv += ["--listen", "127.0.0.1:0"]
        if self.db:
            argv += ["--db", self.db]
        elif self.memory:
            argv += ["--memory"]
        argv += self.args
        self.proc = subprocess.Popen(argv, env=clean_env(self.env), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        t1 = threading.Thread(target=self._read_stdout, daemon=True)
        t2 = threading.Thread(target=self._read_stderr, daemon=True)
        t1.start()
        t2.start()
        self._threads = [t1, t2]
        first = self.wait_line(LISTEN_RE, timeout=START_TIMEOUT, start=0)
        if first is None:
            self.kill()
            raise RuntimeError("smtpeek did not report a listening port; stdout=%r stderr=%r"
                               % (self.lines, self.stderr.decode(errors="replace")))
        m = LISTEN_RE.match(first)
        self.host, self.port = m.group(1).strip("[]"), int(m.group(2))
        return self

    def _read_stdout(self):
        for raw in self.proc.stdout:
            line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            with self._cond:
                self.lines.append(line)
                self._cond.notify_all()
        with self._cond:
            self._out_done = True
            self._cond.notify_all()

    def _read_stderr(self):
        data = self.proc.stderr.read()
        with self._cond:
            self.stderr = data
            self._cond.notify_all()

    def send_signal(self, sig):
        self.signalled = sig
        self.proc.send_signal(sig)

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT):
        """Send `sig` (unless send_signal already sent it: a second SIGTERM is a different
        test) and wait for exit; returns the exit code (negative: killed by a signal)."""
        if self.proc.poll() is None and self.signalled != sig:
            self.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("smtpeek did not exit within %.0fs after signal %d"
                                 % (timeout, sig))
        self._join()
        return rc

    def _join(self):
        for t in self._threads:
            t.join(timeout=10)
        for pipe in (self.proc.stdout, self.proc.stderr):
            try:
                pipe.close()
            except OSError:
                pass

    def kill(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._join()

    def alive(self):
        return self.proc.poll() is None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.kill()

    # -- log --------------------------------------------------------------------------------
    def wait_line(self, pattern, timeout=IO_TIMEOUT, start=0):
        """First log line at index >= start matching `pattern` (regex or compiled), or None."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for line in self.lines[start:]:
                    if rx.search(line):
                        return line
                if self._out_done:
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)

    def wait_count(self, pattern, count, timeout=IO_TIMEOUT, start=0):
        """Waits until at least `count` log lines from `start` on match; returns how many do."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                n = sum(1 for line in self.lines[start:] if rx.search(line))
                if n >= count or self._out_done:
                    return n
                left = deadline - time.monotonic()
                if left <= 0:
                    return n
                self._cond.wait(left)

    def log_mark(self):
        with self._cond:
            return len(self.lines)

    def stored_lines(self):
        with self._cond:
            return [STORED_RE.match(l) for l in self.lines if STORED_RE.match(l)]

    def stored_line(self, msg_id, timeout=IO_TIMEOUT):
        line = self.wait_line(r"^message %d stored: " % msg_id, timeout=timeout)
        return STORED_RE.match(line) if line else None

    def sanitizer_report(self):
        """The sanitizer output on stderr, or None."""
        text = self.stderr.decode(errors="replace")
        for marker in ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
            if marker in text:
                return text
        return None

    def exit_ok(self, rc):
        """rc is a clean exit (a leak report at exit makes ASan exit 1)."""
        return rc == 0

    # -- connecting ---------------------------------------------------------------------------
    def connect(self, timeout=IO_TIMEOUT):
        return RawClient(self.host, self.port, timeout=timeout)


class Reply:
    def __init__(self, code, lines, raw):
        self.code = code
        self.lines = lines    # text after "NNN-"/"NNN ", one per line
        self.raw = raw        # the reply bytes as received

    @property
    def text(self):
        return "\n".join(self.lines)

    def __repr__(self):
        return "Reply(%d, %r)" % (self.code, self.lines)


class ConnectionClosed(Exception):
    pass


class RawClient:
    """Byte-level SMTP client: send exactly what a test wants, read replies one at a time."""

    def __init__(self, host, port, timeout=IO_TIMEOUT):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.buf = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def cmd(self, line):
        """Send one command line (CRLF added) and read its reply."""
        if isinstance(line, str):
            line = line.encode()
        self.send(line + b"\r\n")
        return self.reply()

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionClosed("server closed the connection; unread %r" % self.buf)
        self.buf += chunk

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        lines, raw = [], b""
        while True:
            line = self._line()
            raw += line + b"\r\n"
            if len(line) < 3 or not line[:3].isdigit() or (len(line) > 3 and line[3:4] not in b" -"):
                raise AssertionError("malformed reply line %r" % line)
            lines.append(line[4:].decode("utf-8", errors="replace"))
            if len(line) == 3 or line[3:4] == b" ":
                return Reply(int(line[:3]), lines, raw)

    def expect(self, code, line=None):
        r = self.cmd(line) if line is not None else self.reply()
        if r.code != code:
            raise AssertionError("%r: expected %d, got %r" % (line, code, r))
        return r

    def greet(self, name="client.test"):
        self.expect(220)
        return self.expect(250, "EHLO " + name)

    def drain(self, timeout):
        """(bytes received, closed?) reading until the server closes or `timeout` passes with
        the connection still open."""
        self.sock.settimeout(timeout)
        data, self.buf = self.buf, b""
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return data, False
                self.sock.settimeout(left)
                chunk = self.sock.recv(65536)
                if not chunk:
                    return data, True
                data += chunk
        except socket.timeout:
            return data, False
        except ConnectionResetError:
            return data, True

    def salvage(self, timeout=2):
        """After a send failed (the server closed): whatever it had sent that is still unread,
        e.g. a 421 that arrived while we were writing."""
        data = self.buf
        self.buf = b""
        try:
            more, _ = self.drain(timeout)
            data += more
        except OSError:
            pass
        return data

    def read_until_closed(self, timeout=IO_TIMEOUT):
        """Everything the server sends until it closes the connection; fails the test if it
        stays open longer than `timeout`."""
        data, closed = self.drain(timeout)
        if not closed:
            raise AssertionError("server kept the connection open; received %r" % data[-500:])
        return data

    def send_message(self, mail_from, rcpts, body, mail_params=""):
        """MAIL/RCPT/DATA one at a time; `body` is dot-stuffed wire data WITHOUT the final
        CRLF.CRLF.  Returns the final reply."""
        self.expect(250, "MAIL FROM:<%s>%s" % (mail_from, mail_params))
        for r in rcpts:
            self.expect(250, "RCPT TO:<%s>" % r)
        self.expect(354, "DATA")
        self.send(body + b"\r\n.\r\n")
        return self.reply()


def queued_id(reply):
    """The message id from `250 2.0.0 Ok: queued as N`."""
    text = reply.text if isinstance(reply, Reply) else reply
    m = QUEUED_RE.search(text)
    if not m:
        raise AssertionError("no 'queued as' id in %r" % text)
    return int(m.group(1))


def dot_stuff(data):
    """RFC 5321 4.5.2 transparency for a CRLF message body."""
    out = re.sub(rb"(^|\r\n)\.", rb"\1..", data)
    return out


class Store:
    """Read-only view of smtpeek's SQLite file (safe while the server runs: WAL)."""

    def __init__(self, path):
        self.path = path

    def _conn(self):
        return sqlite3.connect("file:%s?mode=ro" % self.path, uri=True, timeout=30)

    def query(self, sql, args=()):
        conn = self._conn()
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()

    def raw(self, msg_id):
        rows = self.query("SELECT raw FROM message_raw WHERE id = ?", (msg_id,))
        return bytes(rows[0][0]) if rows else None

    def message(self, msg_id):
        conn = self._conn()
        conn.row_factory = sqlite3.Row
        try:
            row = conn.execute("SELECT * FROM messages WHERE id = ?", (msg_id,)).fetchone()
            return dict(row) if row else None
        finally:
            conn.close()

    def ids(self):
        return [r[0] for r in self.query("SELECT id FROM messages ORDER BY id")]

    def count(self):
        return self.query("SELECT COUNT(*) FROM messages")[0][0]

    def raw_count(self):
        return self.query("SELECT COUNT(*) FROM message_raw")[0][0]


class ServerTestCase(unittest.TestCase):
    """One server per test class, with an SQLite file in a temporary directory.  tearDownClass
    stops it with SIGTERM and requires exit code 0 and no sanitizer report."""

    server_args = ()
    server_env = None
    use_db = True

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="smtpeek-it-")
        cls.db_path = os.path.join(cls.tmp.name, "smtpeek.sqlite") if cls.use_db else None
        cls.server = Server(args=cls.server_args, env=cls.server_env, db=cls.db_path,
                            memory=not cls.use_db)
        cls.server.start()
        cls.store = Store(cls.db_path) if cls.use_db else None

    @classmethod
    def tearDownClass(cls):
        try:
            rc = cls.server.stop(signal.SIGTERM)
            report = cls.server.sanitizer_report()
            if report:
                raise AssertionError("sanitizer report from smtpeek:\n" + report[-6000:])
            if not cls.server.exit_ok(rc):
                raise AssertionError("smtpeek exited %d after SIGTERM; stderr:\n%s"
                                     % (rc, cls.server.stderr.decode(errors="replace")[-4000:]))
        finally:
            cls.server.kill()
            cls.tmp.cleanup()

    def setUp(self):
        self.assertTrue(self.server.alive(), "smtpeek died earlier in this module; stderr:\n"
                        + self.server.stderr.decode(errors="replace")[-4000:])

    def connect(self):
        c = self.server.connect()
        self.addCleanup(c.close)
        return c

    def assertStored(self, msg_id, raw):
        """Message `msg_id` is in the store with exactly these raw bytes."""
        got = self.store.raw(msg_id)
        self.assertIsNotNone(got, "message %d not in the store" % msg_id)
        if got != raw:
            self.fail("message %d raw differs (%d vs %d bytes): first difference at %d; "
                      "stored %r... expected %r..." % (
                          msg_id, len(got), len(raw), first_diff(got, raw),
                          got[max(0, first_diff(got, raw) - 20):first_diff(got, raw) + 40],
                          raw[max(0, first_diff(got, raw) - 20):first_diff(got, raw) + 40]))


class ProcessTestCase(unittest.TestCase):
    """A fresh server (or several) per test, started with start(); killed at the end."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="smtpeek-it-")
        self.addCleanup(self.tmp.cleanup)
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.kill()

    def start(self, args=(), env=None, db=None, memory=True, listen=True):
        s = Server(args=args, env=env, db=db, memory=memory and not db, listen=listen)
        self.servers.append(s)
        return s.start()

    def db(self, name="smtpeek.sqlite"):
        return os.path.join(self.tmp.name, name)

    def stop_ok(self, s, sig=signal.SIGTERM):
        rc = s.stop(sig)
        self.assertIsNone(s.sanitizer_report(), s.sanitizer_report())
        self.assertTrue(s.exit_ok(rc), "exit code %d; stderr:\n%s"
                        % (rc, s.stderr.decode(errors="replace")[-3000:]))

    def connect(self, s):
        c = s.connect()
        self.addCleanup(c.close)
        return c


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


def main():
    unittest.main(verbosity=2)
