#!/usr/bin/env bash
# Installs the Debian packages the portal needs when they are missing and we may (root); otherwise says what
# is missing and carries on, so that `make run` still works where the browser tests cannot.
set -euo pipefail

packages=(
  gettext            # msgfmt, for the Vietnamese catalogue
  chromium           # browser tests (playwright drives Debian's Chromium; it never downloads one)
  fonts-liberation2  # Liberation Serif, the metric twin of Times New Roman, for PDFs
  fonts-noto-core    # every Vietnamese mark
  poppler-utils      # pdftotext/pdftoppm, to read back the PDFs the portal issues
  libpango-1.0-0     # WeasyPrint lays out the PDFs with Pango
  libpangoft2-1.0-0
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ! command -v pg_ctl >/dev/null && ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages (install them as root): ${missing[*]}" >&2
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
