#!/usr/bin/env bash
# Runs a command where the OS keychain works: on Linux without a desktop session, inside a
# D-Bus session of its own with a throwaway, unlocked gnome-keyring (the user's keyrings are
# never touched). Elsewhere, or when a session is already there, it just runs the command.
set -euo pipefail

# INKSTONE_KEYRING=session: use the desktop session's own keyring when there is one
# (npm run start:browser); tests always get a throwaway keyring.
if [[ "${INKSTONE_KEYRING:-}" == session && -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]]; then
  exec "$@"
fi

if [[ "$(uname)" == "Linux" && -z "${INKSTONE_KEYRING_UP:-}" && -z "${INKSTONE_IN_DBUS:-}" ]] && command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  export INKSTONE_IN_DBUS=1
  # (dbus-daemon warns that it may not raise its fd limit in a container; that is harmless.)
  exec dbus-run-session -- "$0" "$@" 2> >(grep -v --line-buffered 'Failed to set fd limit' >&2)
fi
if [[ "${INKSTONE_IN_DBUS:-}" == 1 && -z "${INKSTONE_KEYRING_UP:-}" ]]; then
  keyring_home="$(mktemp -d)"
  trap 'rm -rf "$keyring_home"' EXIT
  eval "$(printf 'inkstone-test-keyring\n' | XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --unlock --components=secrets)" >/dev/null
  eval "$(XDG_DATA_HOME="$keyring_home" gnome-keyring-daemon --start --components=secrets)" >/dev/null
  export INKSTONE_KEYRING_UP=1
fi
"$@"
