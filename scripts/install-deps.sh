#!/usr/bin/env bash
# install-deps.sh -- installs the Debian 12 packages summit builds and tests with.
# Runs apt-get directly as root, through sudo otherwise.
set -euo pipefail
pkgs=(build-essential cmake pkg-config libicu-dev libsqlite3-dev sqlite3 libcriterion-dev)
if [ "$(id -u)" -eq 0 ]; then as_root=(); else as_root=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
echo "install-deps: ${pkgs[*]} present"
