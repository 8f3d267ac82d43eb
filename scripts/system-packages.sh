#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium for the browser tests (Playwright cannot
# download its own browser here) and the Pango/HarfBuzz libraries and a font for WeasyPrint's
# PDF documents. Installs only what is missing.
set -euo pipefail
wanted=(chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Missing Debian packages: ${missing[*]} (as root: apt-get install ${missing[*]})." >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
