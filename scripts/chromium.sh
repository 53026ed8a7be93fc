#!/usr/bin/env bash
# Headless Chromium for the console's end-to-end tests (playwright-core drives it;
# `npx playwright install` cannot download browsers here). Uses Debian's package:
# does nothing when it is already installed (or CHROMIUM_PATH points at one),
# otherwise installs it with apt-get, refreshing the package lists only if the
# first attempt cannot find it. Needs root (CI runs as root).
set -euo pipefail

target=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$target" ]; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "[chromium] $target is missing and there is no apt-get: install Chromium and set CHROMIUM_PATH" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" != "0" ]; then
  command -v sudo >/dev/null 2>&1 || { echo "[chromium] installing Chromium needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
echo "[chromium] installing Debian's chromium package"
if ! $sudo apt-get install -y --no-install-recommends chromium >/tmp/chromium-install.log 2>&1; then
  $sudo apt-get update >/dev/null
  $sudo apt-get install -y --no-install-recommends chromium >/tmp/chromium-install.log 2>&1 \
    || { tail -n 20 /tmp/chromium-install.log >&2; exit 1; }
fi
[ -x "$target" ] || { echo "[chromium] installed, but $target does not exist" >&2; exit 1; }
echo "[chromium] $("$target" --version 2>/dev/null || echo installed)"
