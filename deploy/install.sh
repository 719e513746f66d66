#!/usr/bin/env bash
# Installs or upgrades standx-mm on a Debian/Ubuntu server: a system user, the code built in a new
# release folder beside the running one (never under running units), an atomic switch of the
# `current` link, the log folder, owner-only env files and the systemd units; then restarts the
# units that were running so that they pick up the new release.
#
# usage: sudo deploy/install.sh [--accounts "account1 account2"] [--template] [--prefix /opt/standx-mm] [--dry-run]
#   --dry-run   print what would be done, change nothing (needs no root)
set -euo pipefail

prefix=/opt/standx-mm
accounts="account1"
use_template=false
dry_run=false
keep_releases=3
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --accounts) accounts="$2"; shift 2 ;;
    --template) use_template=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

# Every change goes through `run` (or `write_to`), so that --dry-run shows it instead.
run() {
  if [ "$dry_run" = true ]; then echo "+ $*"; else "$@"; fi
}
write_to() {
  if [ "$dry_run" = true ]; then echo "+ write $1"; cat >/dev/null; else cat >"$1"; fi
}

[ "$dry_run" = true ] || [ "$(id -u)" -eq 0 ] || { echo "run as root (sudo), or try --dry-run" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js >= 20 is required: apt-get install nodejs npm" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "Node.js >= 20 is required (found $(node --version))" >&2; exit 1; }

src="$(cd "$(dirname "$0")/.." && pwd)"
node_bin="$(command -v node)"
release="$prefix/releases/$(date -u +%Y%m%d-%H%M%S)"
unit_dir=/etc/systemd/system

unit_of() {
  if [ "$use_template" = true ]; then echo "standx-mm@$1"; else echo "standx-$1"; fi
}

id -u standx >/dev/null 2>&1 || run useradd --system --home-dir "$prefix" --shell /usr/sbin/nologin standx

# 1. Build the new release beside the current one: the running daemons keep their files.
run mkdir -p "$release"
if [ "$dry_run" = true ]; then
  echo "+ copy $src into $release (without node_modules, dist, logs, releases, .git and env files)"
else
  tar -C "$src" --exclude=node_modules --exclude=dist --exclude=logs --exclude=releases --exclude=current \
      --exclude='.env.account*[0-9]' --exclude='.env.sim*' --exclude=.git -cf - . | tar -C "$release" -xf -
fi
run bash -c "cd '$release' && npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev --no-audit --no-fund"
run chmod +x "$release/deploy/stop-post.sh"

# 2. Switch `current` atomically: a rename over the old link, never a moment without one.
run ln -sfn "$release" "$prefix/current.new"
run mv -T "$prefix/current.new" "$prefix/current"

# 3. The log folder (lock, control socket and state live there too) and owner-only env files.
run mkdir -p "$prefix/logs"
run chown standx:standx "$prefix/logs"
run chmod 700 "$prefix/logs"
for account in $accounts; do
  env_file="$prefix/.env.$account"
  if [ ! -f "$env_file" ]; then
    example="$release/.env.$account.example"
    [ -f "$example" ] || [ "$dry_run" = true ] || example="$release/.env.account1.example"
    run cp "$example" "$env_file"
    echo "created $env_file from $(basename "$example"): edit it before starting"
  fi
  # The daemon refuses an env file holding a key that group or others can read.
  run chown standx:standx "$env_file"
  run chmod 600 "$env_file"
done

# 4. The units, pointing at $prefix/current.
fill() { sed -e "s#/opt/standx-mm#$prefix#g" -e "s#/usr/bin/node#$node_bin#g" "$@"; }
if [ "$use_template" = true ]; then
  fill "$src/deploy/standx-mm@.service" | write_to "$unit_dir/standx-mm@.service"
else
  for account in $accounts; do
    fill -e "s/account1/$account/g" "$src/standx-account1.service" | write_to "$unit_dir/standx-$account.service"
  done
fi
run systemctl daemon-reload

# 5. Restart what was running, one unit at a time, so that it runs the new release.
for account in $accounts; do
  unit="$(unit_of "$account")"
  if systemctl is-active --quiet "$unit" 2>/dev/null; then run systemctl restart "$unit"; fi
done

# 6. Keep the newest releases (the current one always among them).
if [ -d "$prefix/releases" ]; then
  ls -1d "$prefix"/releases/*/ 2>/dev/null | sort | head -n "-$keep_releases" | while read -r old; do
    [ "$(readlink -f "$old")" = "$(readlink -f "$prefix/current")" ] || run rm -rf "$old"
  done
fi

echo
echo "Installed $release in $prefix (current -> $(basename "$release")). Next, for each account:"
for account in $accounts; do
  echo "  sudo -u standx $node_bin $prefix/current/dist/main.js check --config $prefix/.env.$account"
  echo "  sudo systemctl enable --now $(unit_of "$account")"
done
