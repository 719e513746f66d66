#!/usr/bin/env bash
# Installs standx-mm on a fresh Debian/Ubuntu server: a system user, the code in /opt/standx-mm,
# a production build, the log folder and the systemd units. Safe to run again to upgrade.
#
# usage: sudo deploy/install.sh [--accounts "account1 account2"] [--template] [--prefix /opt/standx-mm]
set -euo pipefail

prefix=/opt/standx-mm
accounts="account1"
use_template=false
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --accounts) accounts="$2"; shift 2 ;;
    --template) use_template=true; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo)" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js >= 20 is required: apt-get install nodejs npm" >&2; exit 1; }
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || { echo "Node.js >= 20 is required (found $(node --version))" >&2; exit 1; }

src="$(cd "$(dirname "$0")/.." && pwd)"
node_bin="$(command -v node)"
id -u standx >/dev/null 2>&1 || useradd --system --home-dir "$prefix" --shell /usr/sbin/nologin standx

mkdir -p "$prefix"
if [ "$src" != "$prefix" ]; then
  # Copy the code, never the operator's secrets or an old build.
  tar -C "$src" --exclude=node_modules --exclude=dist --exclude=logs --exclude='.env.account*[0-9]' \
      --exclude=.git -cf - . | tar -C "$prefix" -xf -
fi
cd "$prefix"
npm ci --no-audit --no-fund
npm run build
npm prune --omit=dev --no-audit --no-fund
mkdir -p logs
chown -R standx:standx logs
chmod +x deploy/stop-post.sh

for account in $accounts; do
  env_file="$prefix/.env.$account"
  if [ ! -f "$env_file" ]; then
    example="$prefix/.env.$account.example"
    [ -f "$example" ] || example="$prefix/.env.account1.example"
    cp "$example" "$env_file"
    echo "created $env_file from $(basename "$example"): edit it before starting"
  fi
  chown root:standx "$env_file"
  chmod 640 "$env_file"
  if [ "$use_template" = false ]; then
    sed -e "s/account1/$account/g" -e "s#/opt/standx-mm#$prefix#g" -e "s#/usr/bin/node#$node_bin#g" "$prefix/standx-account1.service" \
      > "/etc/systemd/system/standx-$account.service"
  fi
done
if [ "$use_template" = true ]; then
  sed -e "s#/opt/standx-mm#$prefix#g" -e "s#/usr/bin/node#$node_bin#g" "$prefix/deploy/standx-mm@.service" \
    > /etc/systemd/system/standx-mm@.service
fi
systemctl daemon-reload

echo
echo "Installed in $prefix. Next, for each account:"
for account in $accounts; do
  if [ "$use_template" = true ]; then unit="standx-mm@$account"; else unit="standx-$account"; fi
  echo "  sudo -u standx node $prefix/dist/main.js check --config $prefix/.env.$account"
  echo "  sudo systemctl enable --now $unit"
done
