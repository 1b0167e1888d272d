#!/usr/bin/env python3
"""The headless process itself: command line and environment variables, exit codes, port in use,
the log, one database per process, reopening, retention, session records, --strict.
(Signals and the per-server limits are in test_signals.py.)"""

import base64
import os
import socket
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402


class LifecycleTest(fx.ProcessTestCase):

    def test_help_and_version(self):
        p = fx.run_binary(["--help"])
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout.decode()
        for opt in ("--headless", "--listen", "--db", "--memory", "--max-size", "--hostname",
                    "--max-recipients", "--max-sessions", "--idle-timeout", "--strict"):
            self.assertIn(opt, out)
        p = fx.run_binary(["--version"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout.decode(), r"^smtpeek \d+\.\d+\.\d+")

    def test_bad_options_exit_2_with_usage(self):
        cases = [["--bogus"], ["--listen", "nonsense"], ["--listen", "127.0.0.1:99999"],
                 ["--max-size", "abc"], ["--max-size", "-1"], ["--sync", "sometimes"],
                 ["--idle-timeout", "x"], ["--max-sessions", "0"], ["--max-recipients", "-5"],
                 ["--db", self.db(), "--memory"], ["unexpected-positional"]]
        for args in cases:
            p = fx.run_binary(["--headless"] + args)
            err = p.stderr.decode(errors="replace")
            self.assertEqual(p.returncode, 2, (args, err[-500:], p.stdout[-500:]))
            self.assertIn("Usage:", err, args)
            self.assertIn("--listen", err, args)
            self.assertNotIn(b"listening on", p.stdout, args)
        self.assertFalse(os.path.exists(self.db()), "a refused command line created the db")

    def test_bad_option_from_environment_exits_2(self):
        p = fx.run_binary(["--headless", "--memory", "--listen", "127.0.0.1:0"],
                          env={"SMTPEEK_MAX_SIZE": "lots"})
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"max-size", p.stderr)

    def test_env_listen(self):
        s = self.start(env={"SMTPEEK_LISTEN": "127.0.0.1:0"}, listen=False)
        self.assertEqual(s.host, "127.0.0.1")
        c = self.connect(s)
        c.greet()
        r = c.send_message("env@example.org", ["r@example.org"], b"Subject: env\r\n")
        self.assertEqual(r.code, 250, r)
        self.stop_ok(s)

    def test_env_options(self):
        db = self.db("env.sqlite")
        s = self.start(env={"SMTPEEK_LISTEN": "127.0.0.1:0", "SMTPEEK_DB": db,
                            "SMTPEEK_MAX_SIZE": "4321", "SMTPEEK_HOSTNAME": "env.example",
                            "SMTPEEK_MAX_RECIPIENTS": "2"},
                       memory=False, listen=False)
        c = self.connect(s)
        r = c.reply()
        self.assertEqual(r.lines[0], "env.example ESMTP smtpeek")
        r = c.cmd("EHLO x")
        self.assertIn("SIZE 4321", r.lines)
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        c.expect(250, "RCPT TO:<c@example.org>")
        self.assertEqual(c.cmd("RCPT TO:<d@example.org>").code, 452)
        c.expect(354, "DATA")
        c.send(b"Subject: env db\r\n\r\nx\r\n.\r\n")
        msg_id = fx.queued_id(c.reply())
        c.cmd("QUIT")
        self.stop_ok(s)
        self.assertEqual(fx.Store(db).raw(msg_id), b"Subject: env db\r\n\r\nx\r\n")

    def test_command_line_overrides_environment(self):
        s = self.start(args=("--max-size", "2000"), env={"SMTPEEK_MAX_SIZE": "1000"})
        c = self.connect(s)
        self.assertIn("SIZE 2000", c.greet().lines)
        self.stop_ok(s)

    def test_listen_ipv6_loopback(self):
        try:
            probe = socket.socket(socket.AF_INET6)
            probe.bind(("::1", 0))
            probe.close()
        except OSError:
            self.skipTest("no IPv6 loopback here")
        s = self.start(args=("--listen", "[::1]:0"), listen=False)
        self.assertEqual(s.host, "::1")
        c = self.connect(s)
        c.greet()
        r = c.send_message("v6@example.org", ["r@example.org"], b"Subject: v6")
        self.assertEqual(r.code, 250, r)
        self.assertIsNotNone(s.wait_line(r"^session \d+ started from \[?::1\]?"), s.lines)
        self.stop_ok(s)

    def test_hostname(self):
        s = self.start(args=("--hostname", "capture.example"))
        c = self.connect(s)
        self.assertEqual(c.reply().lines[0], "capture.example ESMTP smtpeek")
        self.assertTrue(c.cmd("EHLO x").lines[0].startswith("capture.example"))
        self.stop_ok(s)

    def test_port_in_use(self):
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        self.addCleanup(busy.close)
        p = fx.run_binary(["--headless", "--memory", "--listen", "127.0.0.1:%d" % port])
        err = p.stderr.decode(errors="replace") + p.stdout.decode(errors="replace")
        self.assertNotEqual(p.returncode, 0, err)
        self.assertIn(str(port), err, "the error must name the address")
        self.assertNotIn("listening on", p.stdout.decode(errors="replace"))

    def test_usage_names_smtpeek(self):
        p = fx.run_binary(["--bogus"])
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"Usage: smtpeek", p.stderr)
        self.assertNotIn(b"<executable_name>", p.stderr)

    def test_two_processes_one_database(self):
        """A second smtpeek on the same file refuses to start (exit 1, clear message) instead
        of overwriting the first one's acknowledged messages (ids used to collide)."""
        db = self.db()
        a = self.start(db=db)
        with a.connect() as c:
            c.greet()
            r = c.send_message("a@example.org", ["r@example.org"], b"Subject: first")
            self.assertEqual(r.code, 250, r)
            first = fx.queued_id(r)
        p = fx.run_binary(["--headless", "--listen", "127.0.0.1:0", "--db", db])
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertNotIn(b"listening on", p.stdout)
        self.assertIn(b"in use", p.stderr)
        self.stop_ok(a)
        self.assertEqual(fx.Store(db).raw(first), b"Subject: first\r\n")
        # once the first has stopped, the file opens again
        b = self.start(db=db)
        self.stop_ok(b)

    def test_log_lines_cannot_be_forged(self):
        """A decoded Subject with line breaks or control characters cannot add or fake
        log lines (CI scripts parse them) or reach the terminal raw."""
        s = self.start()
        subjects = [b"=?utf-8?q?hello=0Amessage_99_stored:_session_1,_from_<x>?=",
                    b"=?utf-8?b?" + base64.b64encode(b"a\r\nsession 7 ended: quit") + b"?=",
                    b"\x1b[31mred",
                    b'quote " inside']
        with s.connect() as c:
            c.greet()
            for subj in subjects:
                r = c.send_message("a@example.org", ["b@example.org"],
                                   b"Subject: " + subj + b"\r\n\r\nx")
                self.assertEqual(r.code, 250, r)
            c.cmd("QUIT")
        self.stop_ok(s)
        self.assertEqual(len([l for l in s.lines if l.startswith("message ")]), len(subjects),
                         s.lines)
        self.assertFalse([l for l in s.lines if "session 7" in l and l.startswith("session 7")])
        self.assertFalse([l for l in s.lines if "\x1b" in l], s.lines)
        # a quote inside the quoted subject is escaped, so the line parses unambiguously
        self.assertTrue([l for l in s.lines if l.endswith('subject "quote \\" inside"')], s.lines)

    def test_strict_refuses_long_lines(self):
        s = self.start(args=("--strict",))
        c = self.connect(s)
        c.greet()
        r = c.send_message("a@example.org", ["b@example.org"],
                           b"Subject: long\r\n\r\n" + b"x" * 1200 + b"\r\nshort")
        self.assertEqual((r.code, r.lines[0][:5]), (554, "5.6.0"), r)
        # 998 octets + CRLF is within the limit
        r = c.send_message("a@example.org", ["b@example.org"],
                           b"Subject: ok\r\n\r\n" + b"y" * 998)
        self.assertEqual(r.code, 250, r)
        self.stop_ok(s)
        self.assertEqual(len(s.stored_lines()), 1, s.lines)

    def test_reopen_keeps_everything(self):
        db = self.db()
        s = self.start(db=db)
        sent = {}
        c = self.connect(s)
        c.greet()
        for i in range(5):
            raw = b"Subject: keep %d\r\n\r\n" % i + b"\x00\xff body\r\n" * i
            r = c.send_message("k%d@example.org" % i, ["r@example.org"], raw[:-2] if i else
                               raw[:-2])
            sent[fx.queued_id(r)] = raw
        c.cmd("QUIT")
        self.stop_ok(s)
        s2 = self.start(db=db)
        c = self.connect(s2)
        c.greet()
        r = c.send_message("new@example.org", ["r@example.org"], b"Subject: after reopen")
        new_id = fx.queued_id(r)
        self.assertNotIn(new_id, sent, "an id was reused after reopening")
        c.cmd("QUIT")
        self.stop_ok(s2)
        store = fx.Store(db)
        self.assertEqual(sorted(store.ids()), sorted(list(sent) + [new_id]))
        for msg_id, raw in sent.items():
            self.assertEqual(store.raw(msg_id), raw)

    def test_session_records(self):
        """Sessions are stored with HELO, peer, end state, counts, warnings and the transcript
        (message data as a marker, not duplicated)."""
        db = self.db()
        s = self.start(db=db)
        quitter = self.connect(s)
        quitter.greet("quitter.test")
        body = b"Subject: transcript\r\n\r\nSECRET-BODY-LINE\r\n"
        r = quitter.send_message("q@example.org", ["r@example.org"], body[:-2])
        msg_id = fx.queued_id(r)
        quitter.expect(221, "QUIT")
        dropper = self.connect(s)
        dropper.greet("dropper.test")
        dropper.expect(250, "MAIL FROM: <lenient@example.org>")   # lenient: space after colon
        dropper.close()
        stayer = self.connect(s)
        stayer.greet("stayer.test")
        self.assertEqual(s.wait_count(r"ended: dropped", 1), 1)
        self.stop_ok(s)
        store = fx.Store(db)
        conn_rows = store.query("SELECT helo, end_state, message_count, peer_address, "
                                "transcript, warnings, id FROM sessions ORDER BY id")
        by_helo = {bytes(r[0]): r for r in conn_rows}
        self.assertEqual(set(by_helo), {b"quitter.test", b"dropper.test", b"stayer.test"})
        self.assertEqual(by_helo[b"quitter.test"][1], "quit")
        self.assertEqual(by_helo[b"dropper.test"][1], "dropped")
        self.assertEqual(by_helo[b"stayer.test"][1], "shutdown")
        self.assertEqual(by_helo[b"quitter.test"][2], 1)
        self.assertEqual(by_helo[b"dropper.test"][2], 0)
        for row in conn_rows:
            self.assertEqual(row[3], "127.0.0.1")
        transcript = bytes(by_helo[b"quitter.test"][4])
        self.assertIn(b"MAIL FROM:<q@example.org>", transcript)
        self.assertIn(b"250 2.0.0 Ok: queued as %d" % msg_id, transcript)
        self.assertIn(b"[DATA: %d bytes" % len(body), transcript)
        self.assertNotIn(b"SECRET-BODY-LINE", transcript, "message data duplicated")
        self.assertGreater(len(bytes(by_helo[b"dropper.test"][5] or b"")), 4,
                           "lenient path syntax must leave a warning on the session")
        row = store.message(msg_id)
        self.assertEqual(row["session_id"], by_helo[b"quitter.test"][6])
        self.assertIsNotNone(row["transcript_first"])
        self.assertLessEqual(row["transcript_first"], row["transcript_last"])

    def test_retain_messages_and_sessions(self):
        """--retain-messages 10 --retain-sessions 5 with 20 clients sending 3 messages each:
        the newest 10 messages (with their raw bytes) and 5 sessions remain."""
        db = self.db()
        s = self.start(db=db, args=("--retain-messages", "10", "--retain-sessions", "5"))
        ids, lock, errors = [], threading.Lock(), []

        def client(i):
            try:
                with s.connect() as c:
                    c.greet()
                    for k in range(3):
                        r = c.send_message("a@example.org", ["b@example.org"],
                                           b"Subject: %d-%d" % (i, k))
                        if r.code != 250:
                            raise AssertionError(r)
                        with lock:
                            ids.append(fx.queued_id(r))
                    c.cmd("QUIT")
            except BaseException as e:  # noqa: B902
                errors.append(repr(e))
        threads = [threading.Thread(target=client, args=(i,)) for i in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(len(set(ids)), 60)
        self.stop_ok(s)
        store = fx.Store(db)
        self.assertEqual(store.ids(), sorted(ids)[-10:])
        self.assertEqual(store.raw_count(), 10, "raw bytes of pruned messages must go too")
        self.assertEqual(store.query("SELECT COUNT(*) FROM sessions")[0][0], 5)

    def test_memory_store_writes_no_file(self):
        cwd = os.path.join(self.tmp.name, "cwd")
        os.mkdir(cwd)
        home = os.path.join(self.tmp.name, "home")
        os.mkdir(home)
        s = fx.Server(args=(), memory=True,
                      env={"HOME": home, "XDG_DATA_HOME": os.path.join(home, "data")})
        self.servers.append(s)
        s.start()
        c = self.connect(s)
        c.greet()
        self.assertEqual(c.send_message("a@example.org", ["b@example.org"], b"S: m").code, 250)
        c.cmd("QUIT")
        self.stop_ok(s)
        written = [os.path.join(d, f) for d, _, fs in os.walk(home) for f in fs]
        self.assertFalse([w for w in written if "sqlite" in w], written)


if __name__ == "__main__":
    fx.main()
