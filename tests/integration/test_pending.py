#!/usr/bin/env python3
"""Cases that fail against the current engine, each written up in /tmp/smtpeek-bugs.md.
NOT registered with ctest until the engine is fixed; then each moves to its proper module.
Run by hand: SMTPEEK_BINARY=.../smtpeek python3 test_pending.py"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402
import unittest  # noqa: E402


class PendingTest(unittest.TestCase):

    def test_shutdown_without_leak(self):
        """Strict: ten start/EHLO/QUIT/SIGTERM cycles, every one exits 0 with no sanitizer
        output at all (the fixture otherwise tolerates the known shutdown leak)."""
        for i in range(10):
            s = fx.Server(memory=True).start()
            with s.connect() as c:
                c.greet()
                c.cmd("QUIT")
            rc = s.stop()
            self.assertEqual(rc, 0, "cycle %d: exit %d\n%s"
                             % (i, rc, s.stderr.decode(errors="replace")[-3000:]))

    def test_sigterm_right_after_listening(self):
        """SIGTERM as soon as the listening line is out: graceful stop, exit 0."""
        for i in range(10):
            s = fx.Server(memory=True).start()
            rc = s.stop()
            self.assertTrue(rc == 0 or s.exit_ok(rc), "cycle %d: exit %d, log %r"
                            % (i, rc, s.lines))
            self.assertIsNotNone(s.wait_line(r"^stopped: "), s.lines)


if __name__ == "__main__":
    fx.main()
