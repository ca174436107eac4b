#!/usr/bin/env bash
# Make sure tesseract with Spanish and English data is installed; install Debian's
# packages when missing and apt-get is usable, else say how to install them.
set -euo pipefail
need=()
if ! command -v tesseract >/dev/null 2>&1; then
  need=(tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng)
else
  langs="$(tesseract --list-langs 2>/dev/null || true)"
  grep -qx spa <<<"$langs" || need+=(tesseract-ocr-spa)
  grep -qx eng <<<"$langs" || need+=(tesseract-ocr-eng)
fi
[ ${#need[@]} -eq 0 ] && exit 0
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"; fi
fi
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; }; then
  echo "installing ${need[*]} with apt-get" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  exit 0
fi
cat >&2 <<MSG
error: tesseract with Spanish and English data is required and could not be installed here.
Install it, then re-run make:
  Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng
  macOS:         brew install tesseract tesseract-lang
MSG
exit 1
