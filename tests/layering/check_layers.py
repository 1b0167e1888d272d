#!/usr/bin/env python3
"""Fails when a source file includes from a layer it may not use (docs/architecture.md).

Every folder of core/, and ui/ and app/, is a layer; RULES says which others each may include.
A quoted include names its folder ("store/MessageStore.h") or is a bare name that resolves to
the including file's own folder or, through the include paths, to another layer's folder.
A folder without a rule fails too, so a new layer states its place when it is added.

Usage: check_layers.py [ROOT]   (default: the repository this file is in)
"""

import os
import re
import sys

CORE = "core"
# layer -> the layers it may include (besides itself)
RULES = {
    "records": set(),
    "protocol": {"records"},
    "mime": {"records"},
    "checks": {"records", "mime"},
    "store": {"records", "mime"},
    "server": {"records", "protocol", "store"},
    # the outbound client: SMTP from the protocol layer, deliveries and messages in the store
    "relay": {"records", "protocol", "store"},
    "rules": {"records", "protocol", "mime", "checks", "server"},
    # POP3 over the store's mailboxes, with SMTP's TLS credentials and AUTH policy
    "pop3": {"records", "protocol", "store", "server"},
    "api": {"records", "protocol", "mime", "checks", "store", "server", "rules", "relay"},
    "config": {"records", "store", "server", "rules", "relay", "api"},
    # the command-line tools: SMTP through the relay's client, HTTP to a running API
    "cli": {"records", "protocol", "mime", "store", "relay"},
    "ui": {"records", "protocol", "mime", "checks", "store", "server", "rules", "relay", "api",
           "config", "pop3"},
    "app": {"records", "protocol", "mime", "checks", "store", "server", "rules", "relay", "api",
            "config", "ui", "pop3", "cli"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
SOURCE = (".h", ".cpp")


def layers(root):
    found = {}
    core = os.path.join(root, CORE)
    for name in sorted(os.listdir(core)):
        if os.path.isdir(os.path.join(core, name)):
            found[name] = os.path.join(core, name)
    for name in ("ui", "app"):
        found[name] = os.path.join(root, name)
    return found


def files_of(folder):
    return {f for f in os.listdir(folder) if f.endswith(SOURCE)}


def check(root):
    folders = layers(root)
    contents = {layer: files_of(path) for layer, path in folders.items()}
    problems = [f"{CORE}/{layer}/ has no rule in {__file__}" for layer in folders
                if layer not in RULES]
    for layer, path in folders.items():
        allowed = RULES.get(layer, set()) | {layer}
        for name in sorted(contents[layer]):
            text = open(os.path.join(path, name), encoding="utf-8", errors="replace").read()
            for included in INCLUDE.findall(text):
                if "/" in included:
                    target = included.split("/", 1)[0]
                elif included in contents[layer]:
                    target = layer
                else:
                    owners = [other for other, names in contents.items() if included in names]
                    target = owners[0] if owners else None
                if target in folders and target not in allowed:
                    where = os.path.relpath(os.path.join(path, name), root)
                    problems.append(f"{where}: includes \"{included}\" from {target}, which "
                                    f"{layer} may not use")
    return problems


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    problems = check(root)
    for p in problems:
        print(p)
    print(f"layering: {len(problems)} problem(s) in {len(layers(root))} layers")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
