#!/usr/bin/env bash
# Runs a command where the OS keychain works: on Linux without a usable keychain, inside a
# D-Bus session of its own with a throwaway, unlocked gnome-keyring (the user's keyrings are
# never touched). Elsewhere, or when a usable keyring is already there, it just runs the command.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

# INKSTONE_KEYRING=session (npm start, npm run start:browser): use the session's own keyring
# when it can keep a secret. A headless machine often has a session bus whose Secret Service
# has no unlocked "login" collection (nothing unlocks it without a desktop login): then this
# run gets a throwaway keyring, and its data folder goes with it, since a local copy whose key
# is gone could never be opened again. Tests always get a throwaway keyring.
if [[ "${INKSTONE_KEYRING:-}" == session && -z "${INKSTONE_KEYRING_FALLBACK:-}" ]]; then
  if [[ "$(uname)" != "Linux" ]]; then exec "$@"; fi
  reason="no D-Bus session"
  if [[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
    if reason="$(node "$here/keychain-probe.mjs" 2>&1)"; then exec "$@"; fi
  fi
  if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
    echo "No usable keychain in this session (${reason:-no answer}), and no dbus-run-session and gnome-keyring-daemon to start one: signing in fails until a Secret Service keyring is installed." >&2
    exec "$@"
  fi
  echo "No usable keychain in this session (${reason:-no answer}): this run keeps its sign-in and local copy in a throwaway keyring and folder, gone when Inkstone stops." >&2
  export INKSTONE_KEYRING_FALLBACK=1
  unset DBUS_SESSION_BUS_ADDRESS INKSTONE_KEYRING_UP INKSTONE_IN_DBUS
fi

if [[ "$(uname)" == "Linux" && -z "${INKSTONE_KEYRING_UP:-}" && -z "${INKSTONE_IN_DBUS:-}" ]] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  export INKSTONE_IN_DBUS=1
  # (dbus-daemon warns that it may not raise its fd limit in a container; that is harmless.)
  exec dbus-run-session -- "$0" "$@" 2> >(grep -v --line-buffered 'Failed to set fd limit' >&2)
fi
if [[ "${INKSTONE_IN_DBUS:-}" == 1 && -z "${INKSTONE_KEYRING_UP:-}" ]]; then
  keyring_home="$(mktemp -d)"
  trap 'rm -rf "$keyring_home"' EXIT
  start_keyring() {
    eval "$(printf 'inkstone-test-keyring\n' | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon "$@" --unlock --components=secrets 2>/dev/null)" >/dev/null
    eval "$(XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --start --components=secrets)" >/dev/null
  }
  start_keyring
  # Now and then the daemon answers before its collection is there ("Secret Service: no result
  # found"), and every sign-in of the run then failed (two whole CI runs, sessions 12 and 13):
  # it is asked to keep a secret first, and started again if it cannot.
  for attempt in 1 2 3 4 5; do
    if node "$here/keychain-probe.mjs" >/dev/null 2>&1; then break; fi
    sleep 1
    start_keyring --replace
  done
  export INKSTONE_KEYRING_UP=1
  if [[ -n "${INKSTONE_KEYRING_FALLBACK:-}" && -z "${INKSTONE_HOME:-}" ]]; then
    export INKSTONE_HOME="$keyring_home/app-data"
  fi
fi
# In the background with stdin passed on explicitly, so that a TERM or INT reaches the command
# and the EXIT trap still removes the throwaway keyring.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' TERM INT HUP
status=0
wait "$child" || status=$?
# A trapped signal interrupts the first wait; the second collects the command's own status.
if kill -0 "$child" 2>/dev/null; then wait "$child" || status=$?; fi
exit "$status"
