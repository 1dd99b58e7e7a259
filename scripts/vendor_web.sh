#!/usr/bin/env bash
# (Re)vendor the web UI's front-end assets from npm into src/marsad/web/static/vendor/.
# Everything the UI loads ships with the package: no CDN, works offline. Run from the repo root; needs npm.
set -euo pipefail
ECHARTS_VERSION="${ECHARTS_VERSION:-6.1.0}"
FONTSOURCE_VERSION="${FONTSOURCE_VERSION:-5.3.0}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
dest="$repo/src/marsad/web/static/vendor"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent \
  "echarts@$ECHARTS_VERSION" \
  "@fontsource/noto-naskh-arabic@$FONTSOURCE_VERSION" \
  "@fontsource/noto-sans-arabic@$FONTSOURCE_VERSION"
nm="$scratch/node_modules"
rm -rf "$dest"
mkdir -p "$dest/echarts" "$dest/fonts"
cp "$nm/echarts/dist/echarts.min.js" "$nm/echarts/LICENSE" "$nm/echarts/NOTICE" "$dest/echarts/"
for fam in noto-naskh-arabic noto-sans-arabic; do
  mkdir -p "$dest/fonts/$fam"
  cp "$nm/@fontsource/$fam/LICENSE" "$dest/fonts/$fam/LICENSE"
  for subset in arabic latin; do
    for w in 400 700; do
      cp "$nm/@fontsource/$fam/files/$fam-$subset-$w-normal.woff2" "$dest/fonts/$fam/"
    done
  done
done
cat > "$dest/README.md" <<MD
# Vendored front-end assets

Copied from npm by \`scripts/vendor_web.sh\` (do not edit by hand):

| what | npm package | version | licence |
|---|---|---|---|
| charts + interaction graph | echarts (dist/echarts.min.js) | $ECHARTS_VERSION | Apache-2.0 (echarts/LICENSE, NOTICE) |
| body font (Arabic + Latin, 400/700 woff2) | @fontsource/noto-naskh-arabic | $FONTSOURCE_VERSION | SIL OFL 1.1 (fonts/noto-naskh-arabic/LICENSE) |
| UI font (Arabic + Latin, 400/700 woff2) | @fontsource/noto-sans-arabic | $FONTSOURCE_VERSION | SIL OFL 1.1 (fonts/noto-sans-arabic/LICENSE) |
MD
echo "vendored into $dest"
