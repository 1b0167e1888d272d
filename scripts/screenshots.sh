#!/usr/bin/env bash
# Makes the README's screenshots from the real app: builds smtpeek (Release), runs it under
# Xvfb, sends it real mail with Python's smtplib, and saves docs/screenshots/*.png.
#   scripts/screenshots.sh
# The app runs twice on one database: first to receive the mail, then once per screenshot with
# the window state (tab, selected message or session) it restores from its settings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SMTPEEK_BUILD_DIR:-$root/build}"
out="$root/docs/screenshots"

"$root/scripts/deps.sh" test
command -v import >/dev/null || { echo "screenshots.sh needs ImageMagick's import" >&2; exit 1; }
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMTPEEK_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target smtpeek >/dev/null
mkdir -p "$out"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SMTPEEK_BINARY="$build/app/smtpeek" SMTPEEK_WORK="$work" SMTPEEK_OUT="$out"

xvfb-run -a -s "-screen 0 1280x800x24" bash -euo pipefail <<'INNER'
export XDG_CONFIG_HOME="$SMTPEEK_WORK/config" XDG_DATA_HOME="$SMTPEEK_WORK/data"
export XDG_RUNTIME_DIR="$SMTPEEK_WORK/runtime" QTWEBENGINE_CHROMIUM_FLAGS="--disable-gpu"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
db="$SMTPEEK_WORK/mail.sqlite"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
settings="$XDG_CONFIG_HOME/smtpeek/smtpeek.conf"
mkdir -p "$(dirname "$settings")"

launch() { # window settings as INI lines
    printf '[window]\n%s\n' "$1" > "$settings"
    "$SMTPEEK_BINARY" --db "$db" --listen "127.0.0.1:$port" >"$SMTPEEK_WORK/app.log" 2>&1 &
    app=$!
    # Probing with a connection would add a session to the screenshots: ask the kernel instead.
    for _ in $(seq 100); do
        ss -ltnH "sport = :$port" | grep -q LISTEN && return
        sleep 0.2
    done
    echo "smtpeek did not start:" >&2; cat "$SMTPEEK_WORK/app.log" >&2; exit 1
}
quit() { kill "$app"; wait "$app" || true; }
shoot() { sleep "$2"; import -window root "$SMTPEEK_OUT/$1"; echo "wrote docs/screenshots/$1"; }

launch "geometry="
python3 - "$port" <<'PY'
import smtplib, struct, sys, time, zlib
from email.message import EmailMessage
from email.utils import make_msgid, formatdate
port = int(sys.argv[1])

def send(msg, sender, rcpts):
    with smtplib.SMTP("127.0.0.1", port, local_hostname="app.dev.example") as s:
        s.send_message(msg, sender, rcpts)
    time.sleep(0.3)

def base(subject, sender, to):
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = sender, to, subject
    m["Date"] = formatdate(localtime=True)
    m["Message-ID"] = make_msgid(domain="app.dev.example")
    return m

m = base("Your order #1042 has shipped", "Acme Store <orders@acme.test>", "Dana Lee <dana@example.com>")
m.set_content("Hi Dana,\n\nYour order #1042 is on its way.\nTrack it at https://acme.test/track/1042\n")
send(m, "orders@acme.test", ["dana@example.com"])

m = base("Reset your password", "Acme Accounts <no-reply@acme.test>", "sam@example.com")
m.set_content("Someone asked to reset your password.\n\nhttps://acme.test/reset?token=8f2c1a\n\n"
              "If it was not you, ignore this message.\n")
m.add_alternative("""<html><body style="font-family:sans-serif">
<h2>Reset your password</h2><p>Someone asked to reset the password of <b>sam@example.com</b>.</p>
<p><a href="https://acme.test/reset?token=8f2c1a" style="background:#2f74e0;color:#fff;
padding:10px 18px;border-radius:4px;text-decoration:none">Choose a new password</a></p>
<p style="color:#777">If it was not you, ignore this message.</p></body></html>""", subtype="html")
send(m, "no-reply@acme.test", ["sam@example.com"])

def png(width, height, rgb):
    # A solid-colour PNG with a white diagonal, small enough to build here.
    rows = b"".join(b"\0" + b"".join(bytes((255, 255, 255)) if abs(x - y) < 4 else bytes(rgb)
                                      for x in range(width)) for y in range(height))
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data +
                                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))

logo = png(48, 48, (232, 89, 12))
m = base("Spring sale: 30% off everything", "Acme News <news@acme.test>",
         "Dana Lee <dana@example.com>, Sam Rivera <sam@example.com>")
m.set_content("Our spring sale starts today: 30% off everything until Sunday.\n")
cid = make_msgid(domain="acme.test")
m.add_alternative(f"""<html><body style="margin:0;font-family:sans-serif;background:#f4f6fa">
<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center">
<table width="520" style="background:#ffffff;margin:24px;border-radius:8px" cellpadding="24">
<tr><td style="background:#2f74e0;color:#fff;border-radius:8px 8px 0 0">
<img src="cid:{cid[1:-1]}" width="48" height="48" style="vertical-align:middle;border-radius:6px">
<span style="font-size:26px;font-weight:bold;vertical-align:middle;margin-left:12px">Acme Spring Sale</span></td></tr>
<tr><td><h1 style="margin:0 0 8px 0;color:#1b2a41">30% off everything</h1>
<p style="color:#44546a;font-size:15px">Until Sunday, every item in the store is 30% off.
No code needed: the discount shows at checkout.</p>
<img src="https://cdn.acme.test/banners/spring.jpg" width="470" height="120" alt="[spring banner]"
     style="background:#dfe8f7;display:block">
<p><a href="https://acme.test/sale" style="background:#e8590c;color:#fff;padding:12px 22px;
border-radius:4px;text-decoration:none;font-weight:bold">Shop the sale</a></p>
<p style="color:#8a97a8;font-size:12px">You get this mail because you signed up at acme.test.
<a href="https://acme.test/unsubscribe">Unsubscribe</a></p>
<img src="https://track.acme.test/open.gif?u=dana" width="1" height="1">
</td></tr></table></td></tr></table></body></html>""", subtype="html")
m.get_payload()[1].add_related(logo, "image", "png", cid=cid)
send(m, "news@acme.test", ["dana@example.com", "sam@example.com"])

m = base("Invoice INV-2024-0042", "Acme Billing <billing@acme.test>", "accounts@example.com")
m.set_content("Please find attached invoice INV-2024-0042 (EUR 1,250.00), due in 30 days.\n")
m.add_attachment(b"%PDF-1.4\n% invoice\n", maintype="application", subtype="pdf",
                 filename="INV-2024-0042.pdf")
m.add_attachment(b"item,amount\nConsulting,1250.00\n", maintype="text", subtype="csv",
                 filename="details.csv")
send(m, "billing@acme.test", ["accounts@example.com"])

m = base("[CI] Nightly build failed on main", "CI <ci@build.dev.example>", "team@example.com")
m.set_content("Build #381 failed at step 'unit tests'.\n\n  tst_parser: 2 failures\n")
send(m, "ci@build.dev.example", ["team@example.com", "oncall@example.com"])
PY
sleep 1
quit

# The newsletter (message 3) in the inspector, remote content blocked.
launch "selectedMessage=3
listTab=0
inspectorTab=0"
shoot main-window.png 6
quit

# The Sessions tab with the newsletter's session and its transcript.
launch "selectedSession=3
listTab=1
inspectorTab=4
selectedMessage=3"
shoot sessions.png 5
quit
INNER
