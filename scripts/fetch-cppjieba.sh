#!/usr/bin/env bash
# Fetches cppjieba (header-only C++, MIT) and jieba's dictionary and HMM model from the
# cppjieba source package on PyPI, pinned by version and SHA-256:
#   headers      → Shared/CJieba/vendor/{cppjieba,limonp}
#   dictionaries → Services/Analyze/Analyze/Resources/jieba (bundled with analyze)
# Both folders are generated, not committed. Does nothing when they are already present.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.1.1
SHA256=9af08d587416abb3bbb78ba55c106ebb65cda39e6a2cbd3dca0531c71f6e7c71
URL=https://files.pythonhosted.org/packages/80/85/13675cc872b4e90d2839a92cde0d8748285a9284120473fdf0f9a06417cc/cppjieba-$VERSION.tar.gz
HEADERS=Shared/CJieba/vendor
DICT=Services/Analyze/Analyze/Resources/jieba
STAMP=$HEADERS/.cppjieba-$VERSION

if [[ -f $STAMP && -f $DICT/jieba.dict.utf8 && -f $DICT/hmm_model.utf8 ]]; then exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fetching cppjieba $VERSION from PyPI"
curl -fsSL --retry 3 -o "$work/cppjieba.tar.gz" "$URL"
echo "$SHA256  $work/cppjieba.tar.gz" | sha256sum -c --quiet -
tar -xzf "$work/cppjieba.tar.gz" -C "$work"
src=$work/cppjieba-$VERSION

rm -rf "$HEADERS" "$DICT"
mkdir -p "$HEADERS" "$DICT"
cp -R "$src/include/cppjieba" "$HEADERS/cppjieba"
cp -R "$src/deps/limonp" "$HEADERS/limonp"
for file in jieba.dict.utf8 hmm_model.utf8; do
    cp "$src/python/cppjieba_module/cppjieba/dict/$file" "$DICT/$file"
done
touch "$STAMP"
