#!/usr/bin/env bash
# ExecStopPost for the standx-mm units. systemd runs it after every stop; it cancels the account's
# orders only when the daemon could not have done it itself (SIGKILL, OOM kill, stop timeout, crash
# before cleanup), and alerts what it cancelled and flattened through the account's Telegram settings.
# A clean exit already cancelled and confirmed everything, so nothing is sent then; nor after a
# refused start (73: another daemon holds the account and is trading; 78: invalid configuration).
#
# usage: stop-post.sh /path/to/.env.accountN
set -u
config="${1:?usage: stop-post.sh CONFIG_FILE}"
here="$(cd "$(dirname "$0")/.." && pwd)"

if [ "${SERVICE_RESULT:-}" = "success" ]; then
  exit 0
fi
case "${EXIT_STATUS:-}" in
  73|78)
    echo "standx-mm: the daemon refused to start (status ${EXIT_STATUS}): nothing to clean up"
    exit 0 ;;
esac
reason="unclean stop (result=${SERVICE_RESULT:-unknown} code=${EXIT_CODE:-unknown} status=${EXIT_STATUS:-unknown})"
echo "standx-mm: $reason; cancelling open orders"
exec "${NODE:-node}" "$here/dist/main.js" cancel-all --flatten --reason "$reason" --config "$config"
