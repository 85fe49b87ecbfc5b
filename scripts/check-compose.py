#!/usr/bin/env python3
"""Validates compose/ without a Docker engine:
- compose.yaml against the compose-spec schema (check-jsonschema's vendored copy);
- every VOC_* variable a service is given is a documented key of docs/configuration.md;
- every long-running VOC service in compose.yaml is scraped by Prometheus (one-shot
  jobs, `restart: "no"`, serve no metrics);
- the Dockerfiles pass hadolint (compose/.hadolint.yaml);
- the Prometheus config and alert rules pass promtool, when PROMTOOL names it.
Exits non-zero naming each problem."""
import os
import re
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

root = Path(__file__).resolve().parent.parent
compose = root / "compose"
bin_dir = Path(sys.executable).parent
problems = []


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        problems.append(f"{' '.join(map(str, command))} failed:\n{result.stdout}{result.stderr}")
    return result.returncode == 0


run([bin_dir / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", compose / "compose.yaml"])

documented = set(re.findall(r"`(VOC_[A-Z0-9_]+)`", (root / "docs/configuration.md").read_text()))
spec = YAML(typ="safe").load((compose / "compose.yaml").read_text())
voc_services = []
for name, service in spec["services"].items():
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    keys = [key for key in environment if key.startswith("VOC_")]
    if str(service.get("image", "")).startswith("${VOC_IMAGE") and service.get("restart") != "no":
        voc_services.append(name)
    for key in keys:
        if key not in documented:
            problems.append(f"compose service {name}: {key} is not a key in docs/configuration.md")
if not voc_services:
    problems.append("compose.yaml runs no VOC service")

prometheus = (compose / "prometheus/prometheus.yml").read_text()
for name in voc_services:
    if f'"{name}:8080"' not in prometheus:
        problems.append(f"prometheus.yml does not scrape {name}:8080")

run([bin_dir / "hadolint", "--config", compose / ".hadolint.yaml", compose / "Dockerfile", compose / "asr/Dockerfile"])

promtool = os.environ.get("PROMTOOL")
if promtool:
    run([promtool, "check", "config", compose / "prometheus/prometheus.yml"])
else:
    print("promtool not given (PROMTOOL): Prometheus config not checked")

for problem in problems:
    print(problem, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"compose: schema, {len(voc_services)} VOC services' keys, Prometheus targets, Dockerfiles ok")
