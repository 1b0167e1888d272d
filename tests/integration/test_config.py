#!/usr/bin/env python3
"""The config file with the real binary: the default per-user file and --config, layered under
the environment and the command line, and bad keys refused by name with exit code 2."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import smtpeek_fixture as fx  # noqa: E402


class ConfigFileTest(fx.ProcessTestCase):

    def write(self, name, text):
        path = os.path.join(self.tmp.name, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def greeting_and_size(self, s):
        c = self.connect(s)
        greeting = c.reply().lines[0]
        size = [line for line in c.cmd("EHLO x").lines if line.startswith("SIZE ")]
        c.cmd("QUIT")
        return greeting, size

    def test_default_file_in_the_config_folder(self):
        self.write("xdg/smtpeek/smtpeek.ini",
                   "listen=127.0.0.1:0\nhostname=file.example\nmax-size=1111\nmemory=true\n")
        s = self.start(env={"XDG_CONFIG_HOME": os.path.join(self.tmp.name, "xdg")},
                       memory=False, listen=False)
        self.assertEqual(self.greeting_and_size(s), ("file.example ESMTP smtpeek", ["SIZE 1111"]))
        self.stop_ok(s)

    def test_environment_then_command_line_win(self):
        path = self.write("a.ini", "hostname=file.example\nmax-size=1111\nmax-recipients=1\n")
        s = self.start(args=("--config", path, "--max-size", "3333"),
                       env={"SMTPEEK_HOSTNAME": "env.example", "SMTPEEK_MAX_SIZE": "2222"})
        self.assertEqual(self.greeting_and_size(s), ("env.example ESMTP smtpeek", ["SIZE 3333"]))
        c = self.connect(s)
        c.greet()
        c.expect(250, "MAIL FROM:<a@example.org>")
        c.expect(250, "RCPT TO:<b@example.org>")
        self.assertEqual(c.cmd("RCPT TO:<c@example.org>").code, 452)  # max-recipients, file
        self.stop_ok(s)

    def test_config_from_environment(self):
        path = self.write("b.ini", "hostname=b.example\n")
        s = self.start(env={"SMTPEEK_CONFIG": path})
        self.assertEqual(self.greeting_and_size(s)[0], "b.example ESMTP smtpeek")
        self.stop_ok(s)

    def test_bad_keys_exit_2_by_name(self):
        cases = [("colour=blue\n", "unknown key 'colour'"),
                 ("max-size=lots\n", "max-size in "),
                 ("strict=sometimes\n", "strict in "),
                 ("[smtp]\nlisten=127.0.0.1:0\n", "unknown key 'smtp/listen'")]
        for text, named in cases:
            path = self.write("bad.ini", text)
            p = fx.run_binary(["--headless", "--memory", "--config", path])
            err = p.stderr.decode(errors="replace")
            self.assertEqual(p.returncode, 2, (text, err))
            self.assertIn(named, err, text)
            self.assertIn(path, err, text)
            self.assertNotIn(b"listening on", p.stdout, text)

    def test_missing_config_exits_2(self):
        missing = os.path.join(self.tmp.name, "absent.ini")
        p = fx.run_binary(["--headless", "--memory", "--config", missing])
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(b"does not exist", p.stderr)

    def test_version_names_the_licence(self):
        p = fx.run_binary(["--version"])
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn(b"License: MIT", p.stdout)


if __name__ == "__main__":
    fx.main()
