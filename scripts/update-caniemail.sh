#!/usr/bin/env bash
# Regenerates resources/caniemail/caniemail.json (the data of the HTML compatibility check)
# from the npm package `caniemail`, which ships caniemail.com's data under the MIT licence.
# Only maintainers run this; the build reads the committed file and never needs npm.
# Usage: scripts/update-caniemail.sh [VERSION]   (default: the newest)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/resources/caniemail"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund "caniemail@${1:-latest}" >/dev/null
package="$work/node_modules/caniemail"
# Only the fields the check reads, so the resource stays small and its diffs readable.
node -e '
const fs = require("fs");
const [source, target, version] = process.argv.slice(1);
const all = JSON.parse(fs.readFileSync(source, "utf8"));
const keep = ["slug", "title", "description", "url", "category", "tags", "keywords", "stats",
              "notes_by_num"];
const data = all.data.map(f => Object.fromEntries(keep.filter(k => k in f).map(k => [k, f[k]])));
const out = {package_version: version, api_version: all.api_version,
             last_update_date: all.last_update_date, nicenames: all.nicenames, data};
fs.writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
' "$package/data/caniemail.json" "$out/caniemail.json" \
  "$(node -p "require('$package/package.json').version")"
cp "$package/LICENSE" "$out/LICENSE"
echo "caniemail data of $(node -p "require('$out/caniemail.json').last_update_date") in $out"
