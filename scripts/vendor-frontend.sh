#!/usr/bin/env bash
# Refresh the vendored GOV.UK Frontend (static/govuk) and axe-core (tests/browser/vendor) from npm.
# Run by hand when upgrading: `make frontend`. Nothing here runs at serve time.
set -euo pipefail
GOVUK_FRONTEND_VERSION=6.6.0
AXE_CORE_VERSION=4.11.0
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund "govuk-frontend@$GOVUK_FRONTEND_VERSION" "axe-core@$AXE_CORE_VERSION" >/dev/null
dist=node_modules/govuk-frontend/dist/govuk
rm -rf "$root/static/govuk"
mkdir -p "$root/static/govuk"
cp "$dist"/govuk-frontend.min.css "$dist"/govuk-frontend.min.css.map \
   "$dist"/govuk-frontend.min.js "$dist"/govuk-frontend.min.js.map "$root/static/govuk/"
cp -r "$dist/assets" "$root/static/govuk/assets"
# The compiled CSS points at /assets/...; make it relative so collectstatic can hash the files.
sed -i 's#url(/assets/#url(assets/#g' "$root/static/govuk/govuk-frontend.min.css"
echo "$GOVUK_FRONTEND_VERSION" > "$root/static/govuk/VERSION"
mkdir -p "$root/tests/browser/vendor"
cp node_modules/axe-core/axe.min.js "$root/tests/browser/vendor/axe.min.js"
echo "$AXE_CORE_VERSION" > "$root/tests/browser/vendor/AXE_VERSION"
echo "Vendored govuk-frontend $GOVUK_FRONTEND_VERSION and axe-core $AXE_CORE_VERSION."
