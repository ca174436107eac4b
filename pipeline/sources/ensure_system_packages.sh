#!/usr/bin/env bash
# Make sure the system packages the pipeline and its evaluation use are installed:
# tesseract with Spanish and English data (OCR), and poppler-utils (pdftotext, the yardstick
# `make evaluate` and the tests measure text-layer word recall against). Install Debian's
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
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
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
error: ${need[*]} are required and could not be installed here.
Install them, then re-run make:
  Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-spa tesseract-ocr-eng poppler-utils
  macOS:         brew install tesseract tesseract-lang poppler
MSG
exit 1
