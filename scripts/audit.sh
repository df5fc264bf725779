#!/usr/bin/env bash
# Static analysis: bandit over the project's code, pip-audit over the installed dependencies.
# Every bandit finding kept in the code carries `# nosec <test>` with its reason on the line; a new one fails.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== bandit =="
# bandit's warnings about the text of `# nosec` comments are noise; its findings go to stdout.
.venv/bin/bandit -q -r config members movements campaigns reports -x '*/migrations/*' -f custom \
  --msg-template '{relpath}:{line} {test_id} {severity} {msg}' 2> >(grep -v WARNING >&2)
echo "bandit: no finding left unexplained"

echo "== pip-audit =="
requirements=$(mktemp)
report=$(mktemp)
trap 'rm -f "$requirements" "$report"' EXIT
.venv/bin/pip freeze --exclude-editable >"$requirements"
# pip-audit exits 1 when a dependency has a known vulnerability: that fails the run.
.venv/bin/pip-audit --requirement "$requirements" --no-deps --progress-spinner off --format json \
  --output "$report" 2>/dev/null || status=$?
.venv/bin/python - "$report" "${status:-0}" <<'PY'
import json
import sys

report, status = json.load(open(sys.argv[1])), int(sys.argv[2])
dependencies = report["dependencies"]
vulnerable = [d for d in dependencies if d.get("vulns")]
skipped = [d for d in dependencies if "skip_reason" in d]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {', '.join(vuln['fix_versions'])})")
if vulnerable or status not in (0, 1):
    sys.exit(1)
if len(skipped) == len(dependencies):
    # This machine reaches the package index only, not the vulnerability service behind pypi.org's JSON API.
    print(f"pip-audit: NOT AUDITED - the vulnerability service is unreachable from here "
          f"({len(skipped)} dependencies skipped). Run `make audit` where pypi.org answers.")
else:
    print(f"pip-audit: {len(dependencies) - len(skipped)} dependencies audited, no known vulnerability; "
          f"{len(skipped)} skipped")
PY
