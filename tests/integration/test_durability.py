#!/usr/bin/env python3
"""Durability: SIGKILL the headless server (SQLite store) while several clients send in a loop.
Every message that got `250 ... queued as ID` must be in the database, byte-exact, both as the
file was left by the kill (read with sqlite3) and after restarting smtpeek on the same file.
Nothing partial may be there either."""

import hashlib
import os
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402

SENDERS = 4
ACKS_BEFORE_KILL = 120


def make_message(thread, seq):
    rng = random.Random(thread * 100003 + seq)
    size = rng.choice((200, 2000, 20000, 120000))
    body = bytearray()
    while len(body) < size:
        line = bytes(rng.randrange(32, 127) for _ in range(rng.randrange(0, 120)))
        if rng.random() < 0.1:
            line = b"." + line                  # needs stuffing
        if rng.random() < 0.05:
            line += bytes([rng.randrange(128, 256)])
        body += line + b"\r\n"
    tag = b"%d-%d" % (thread, seq)
    return (b"Subject: durable " + tag + b"\r\nX-Digest: "
            + hashlib.sha1(bytes(body)).hexdigest().encode() + b"\r\n\r\n" + bytes(body))


class Sender(threading.Thread):
    """Sends messages in a loop until the server goes away; records what was acknowledged."""

    def __init__(self, server, index, mode, stop):
        super().__init__(daemon=True)
        self.server, self.index, self.mode, self.stop_event = server, index, mode, stop
        self.acked = {}          # id -> (mail_from, raw)
        self.unacked = 0
        self.error = None

    def run(self):
        seq = 0
        c = None
        try:
            while not self.stop_event.is_set():
                if c is None:
                    c = fx.RawClient(self.server.host, self.server.port, timeout=60)
                    c.greet("sender%d.test" % self.index)
                raw = make_message(self.index, seq)
                mail_from = "t%d-%d@example.org" % (self.index, seq)
                seq += 1
                if self.mode == "bdat":
                    c.expect(250, "MAIL FROM:<%s>" % mail_from)
                    c.expect(250, "RCPT TO:<r@example.org>")
                    half = len(raw) // 2
                    c.send(b"BDAT %d\r\n" % half + raw[:half])
                    c.expect(250)
                    c.send(b"BDAT %d LAST\r\n" % (len(raw) - half) + raw[half:])
                    r = c.reply()
                else:
                    r = c.send_message(mail_from, ["r@example.org", "s@example.org"],
                                       fx.dot_stuff(raw[:-2]))
                if r.code != 250:
                    raise AssertionError("message refused: %r" % r)
                self.acked[fx.queued_id(r)] = (mail_from, raw)
                if self.mode == "reconnect":
                    c.cmd("QUIT")
                    c.close()
                    c = None
        except (fx.ConnectionClosed, ConnectionError, OSError):
            pass                             # the server was killed
        except BaseException as e:  # noqa: B902
            if not self.stop_event.is_set():
                self.error = repr(e)
        finally:
            if c is not None:
                c.close()


class DurabilityTest(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="smtpeek-it-")
        self.addCleanup(self.tmp.cleanup)
        self.db = os.path.join(self.tmp.name, "durable.sqlite")

    def snapshot(self, name):
        """Copy the database files as the kill left them (WAL included)."""
        d = os.path.join(self.tmp.name, name)
        os.mkdir(d)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.db + suffix):
                shutil.copy(self.db + suffix, os.path.join(d, "durable.sqlite" + suffix))
        return os.path.join(d, "durable.sqlite")

    def check_db(self, path, acked, label):
        conn = sqlite3.connect(path)
        try:
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone()[0], "ok", label)
            rows = {r[0]: (bytes(r[1] or b""), r[2]) for r in
                    conn.execute("SELECT id, mail_from, size FROM messages")}
            raws = {r[0]: bytes(r[1]) for r in conn.execute("SELECT id, raw FROM message_raw")}
        finally:
            conn.close()
        missing = sorted(set(acked) - set(rows))
        self.assertEqual(missing, [], "%s: acknowledged but missing: %s" % (label, missing[:20]))
        for msg_id, (mail_from, raw) in acked.items():
            self.assertEqual(rows[msg_id][0], mail_from.encode(), (label, msg_id))
            self.assertIn(msg_id, raws, "%s: message %d has no raw bytes" % (label, msg_id))
            self.assertTrue(raws[msg_id] == raw, "%s: message %d raw differs at %d"
                            % (label, msg_id, fx.first_diff(raws[msg_id], raw)))
        # nothing partial: every message row has its raw bytes, of the recorded size
        for msg_id, (_, size) in rows.items():
            self.assertIn(msg_id, raws, "%s: message %d stored without raw bytes" % (label, msg_id))
            self.assertEqual(len(raws[msg_id]), size, (label, msg_id))
        self.assertEqual(sorted(raws), sorted(rows), "%s: raw rows without messages" % label)
        sys.stderr.write("%s: %d acknowledged, %d stored\n" % (label, len(acked), len(rows)))
        return rows

    def kill_cycle(self, args, modes, acked_before):
        server = fx.Server(args=args, db=self.db)
        self.addCleanup(server.kill)
        server.start()
        stop = threading.Event()
        senders = [Sender(server, i, modes[i % len(modes)], stop) for i in range(SENDERS)]
        for s in senders:
            s.start()
        # wait (bounded) until enough messages are acknowledged, then kill mid-traffic
        deadline_hit = not wait_until(lambda: sum(len(s.acked) for s in senders)
                                      >= ACKS_BEFORE_KILL, timeout=120)
        rc = server.stop(signal.SIGKILL)
        stop.set()
        for s in senders:
            s.join(timeout=60)
        self.assertEqual(rc, -signal.SIGKILL)
        errors = [s.error for s in senders if s.error]
        self.assertEqual(errors, [])
        self.assertFalse(deadline_hit, "clients never reached %d acknowledgements"
                         % ACKS_BEFORE_KILL)
        acked = dict(acked_before)
        for s in senders:
            overlap = set(s.acked) & set(acked)
            self.assertEqual(overlap, set(), "an id was acknowledged twice")
            acked.update(s.acked)
        return acked

    def reopen_and_check(self, acked, label):
        server = fx.Server(db=self.db)
        self.addCleanup(server.kill)
        server.start()
        with server.connect() as c:
            c.greet()
            r = c.send_message("after@example.org", ["r@example.org"], b"Subject: after kill")
            self.assertEqual(r.code, 250, r)
            new_id = fx.queued_id(r)
            c.cmd("QUIT")
        self.assertNotIn(new_id, acked, "%s: an acknowledged id was reused" % label)
        rc = server.stop()
        self.assertIsNone(server.sanitizer_report(), server.sanitizer_report())
        self.assertTrue(server.exit_ok(rc), rc)
        acked = dict(acked)
        acked[new_id] = ("after@example.org", b"Subject: after kill\r\n")
        self.check_db(self.db, acked, label + " after restart")
        return acked

    def test_sigkill_while_sending(self):
        acked = self.kill_cycle((), ["data", "bdat", "reconnect", "data"], {})
        self.check_db(self.snapshot("kill1"), acked, "kill 1 (as left)")
        acked = self.reopen_and_check(acked, "kill 1")
        # a second kill on the same, now non-empty file, with synchronous=FULL
        acked = self.kill_cycle(("--sync", "full"), ["reconnect", "data"], acked)
        self.check_db(self.snapshot("kill2"), acked, "kill 2 (as left)")
        self.reopen_and_check(acked, "kill 2")


def wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()


if __name__ == "__main__":
    fx.main()
