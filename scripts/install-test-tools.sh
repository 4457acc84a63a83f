#!/usr/bin/env bash
# Debian tools that give the test suite independent second opinions: xmllint (libxml2's XSD validator, the
# oracle for DUIS schema checks) and tshark (Wireshark's GBCS dissector, for GBCS and GBT bytes); and the PostgreSQL
# server binaries (initdb, pg_ctl, postgres), with which the Store tests start a throwaway server. Tests that need
# them skip with a printed reason where they are missing, so this script is optional on a developer machine. Debian's
# Chromium is the browser the scenario report test opens report.html in (through playwright-core).
set -uo pipefail
need=()
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v tshark >/dev/null 2>&1 || need+=(tshark)
# Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<version>/bin.
{ command -v initdb >/dev/null 2>&1 || compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; } || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"; } >/dev/null 2>&1; then
  echo "warning: could not install ${need[*]}; the tests that need them will skip" >&2
fi
exit 0
