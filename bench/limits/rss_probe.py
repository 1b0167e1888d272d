#!/usr/bin/env python3
"""Drives a running smtpeek into one of the situations issue 20 bounds and reports the server's
peak and current resident memory (VmHWM, VmRSS from /proc) before and after. Not a test.

  rss_probe.py PID PORT idle      [--sessions N]
  rss_probe.py PID PORT big-slow  [--sessions N] [--megabytes M]   # each sends M MB of DATA
  rss_probe.py PID PORT pipelining [--megabytes M]                 # NOOPs, replies never read
"""

import argparse
import selectors
import socket
import time


def memory(pid):
    fields = {}
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                fields[key] = int(value.split()[0]) // 1024  # MB
    return fields


def connect(port, count):
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        sockets.append(s)
    for s in sockets:
        s.recv(4096)  # the greeting
        s.sendall(b"EHLO probe.test\r\n")
    for s in sockets:
        s.recv(4096)
    return sockets


def big_slow(port, sessions, megabytes):
    sockets = connect(port, sessions)
    for s in sockets:
        s.sendall(b"MAIL FROM:<probe@example.org>\r\nRCPT TO:<r@example.org>\r\nDATA\r\n")
    for s in sockets:
        got = b""
        while got.count(b"\r\n") < 3:
            got += s.recv(4096)
    line = b"x" * 998 + b"\r\n"
    chunk = line * 64  # 64 KB
    rounds = megabytes * 16
    # Round robin, one 64 KB chunk per session per round: every session is mid-DATA at once.
    for _ in range(rounds):
        for s in sockets:
            s.sendall(chunk)
    codes = {}
    for s in sockets:
        s.sendall(b".\r\n")
    for s in sockets:
        s.settimeout(120)
        reply = s.recv(4096)
        codes[reply[:9]] = codes.get(reply[:9], 0) + 1
    return sockets, codes


def pipelining(port, megabytes):
    [s] = connect(port, 1)
    noops = b"NOOP\r\n" * (1024 * 1024 // 6)
    s.setblocking(False)
    sent = 0
    deadline = time.monotonic() + 60
    while sent < megabytes * 1024 * 1024 and time.monotonic() < deadline:
        try:
            sent += s.send(noops)
        except BlockingIOError:
            time.sleep(0.01)  # the server stopped reading: back-pressure, as it should
    return [s], {"sent MB": sent // (1024 * 1024)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("pid", type=int)
    parser.add_argument("port", type=int)
    parser.add_argument("scenario", choices=("idle", "big-slow", "pipelining"))
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--megabytes", type=int, default=25)
    args = parser.parse_args()
    before = memory(args.pid)
    started = time.monotonic()
    if args.scenario == "idle":
        sockets, outcome = connect(args.port, args.sessions), {}
        time.sleep(2)
    elif args.scenario == "big-slow":
        sockets, outcome = big_slow(args.port, args.sessions, args.megabytes)
    else:
        sockets, outcome = pipelining(args.port, args.megabytes)
    during = memory(args.pid)
    for s in sockets:
        s.close()
    print("%s: %.0f s, before %s MB, peak %s MB, rss at the end %s MB, %s" % (
        args.scenario, time.monotonic() - started, before["VmRSS"], during["VmHWM"],
        during["VmRSS"], outcome))


if __name__ == "__main__":
    main()
