#!/usr/bin/env bash
# ExecStopPost for the standx-mm units. systemd runs it after every stop; it cancels the account's
# orders only when the daemon could not have done it itself (SIGKILL, OOM kill, stop timeout, crash
# before cleanup). A clean exit already cancelled and confirmed everything, so nothing is sent then.
#
# usage: stop-post.sh /path/to/.env.accountN
set -u
config="${1:?usage: stop-post.sh CONFIG_FILE}"
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ "${SERVICE_RESULT:-}" = "success" ]; then
  exit 0
fi
echo "standx-mm: unclean stop (result=${SERVICE_RESULT:-unknown} code=${EXIT_CODE:-unknown} status=${EXIT_STATUS:-unknown}); cancelling open orders"
exec "${NODE:-node}" "$here/dist/main.js" cancel-all --flatten --config "$config"
