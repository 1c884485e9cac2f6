#!/usr/bin/env bash
# Cold-build CPU time of the crate users vendor (generated/, default features) against a crate
# that progenitor (Oxide's OpenAPI client generator) generates for the same two operations.
# Both are built from empty target folders, in the same run, interleaved, RUNS times each; the
# CPU seconds (user + system) of each build are printed and their medians compared.
#
#   scripts/cold-build-vs-progenitor.sh            # RUNS=3, results in target/coldbuild/results.txt
#
# Needs network access to crates.io (cargo-progenitor and the crates' dependencies; downloads are
# warmed once before timing, so they are not measured) and python3 (PyYAML is installed if missing).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$ROOT/target/coldbuild}
RUNS=${RUNS:-3}
PROGENITOR_VERSION=${PROGENITOR_VERSION:-0.15.1}

export PATH="$WORK/bin/bin:$PATH"
mkdir -p "$WORK"
if ! command -v cargo-progenitor >/dev/null; then
  cargo install cargo-progenitor --version "$PROGENITOR_VERSION" --locked --root "$WORK/bin"
fi
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install --quiet pyyaml

rm -rf "$WORK/hwc-jobs" "$WORK/progenitor-jobs" "$WORK/spec30.json"
cp -r "$ROOT/generated" "$WORK/hwc-jobs"

# The two documents, merged and written down as OpenAPI 3.0 (progenitor reads 3.0 only):
# `const` becomes a one-value enum, 3.1-only keywords go, component names get the module's prefix.
python3 - "$ROOT" "$WORK/spec30.json" <<'PY'
import json, sys, yaml, pathlib
root, out = pathlib.Path(sys.argv[1]), sys.argv[2]
merged = {"openapi": "3.0.3", "info": {"title": "jobs", "version": "1"}, "paths": {},
          "components": {"schemas": {}}}
def walk(v, prefix):
    if isinstance(v, dict):
        v = {k: walk(x, prefix) for k, x in v.items()
             if k not in ("contentMediaType", "examples", "x-job") and not k.startswith("x-")}
        if "$ref" in v:
            v["$ref"] = v["$ref"].replace("#/components/schemas/", "#/components/schemas/" + prefix)
        if "const" in v:
            v["enum"] = [v.pop("const")]
        t = v.get("type")
        if isinstance(t, list):
            rest = [x for x in t if x != "null"]
            v["type"] = rest[0]
            if len(rest) != len(t):
                v["nullable"] = True
        return v
    if isinstance(v, list):
        return [walk(x, prefix) for x in v]
    return v
for f in sorted((root / "spec").glob("*.yaml")):
    prefix = f.stem.capitalize()
    doc = yaml.safe_load(f.read_text())
    for path, item in doc["paths"].items():
        for op in item.values():
            op["operationId"] = f.stem + "_" + op["operationId"]
            op.pop("security", None)
            # progenitor wants one success type: `default` (which may be a success) becomes
            # the error statuses it stands for.
            responses = op["responses"]
            if "default" in responses:
                d = responses.pop("default")
                for code in ("400", "500"):
                    responses.setdefault(code, d)
        merged["paths"][path] = walk(item, prefix)
    for name, schema in doc["components"]["schemas"].items():
        merged["components"]["schemas"][prefix + name] = walk(schema, prefix)
json.dump(merged, open(out, "w"), indent=1)
PY
cargo progenitor -i "$WORK/spec30.json" -o "$WORK/progenitor-jobs" -n progenitor-jobs -v 0.1.0 >/dev/null

# Each crate stands alone, as a vendored crate does (not a member of this workspace).
for crate in hwc-jobs progenitor-jobs; do
  grep -q '^\[workspace\]' "$WORK/$crate/Cargo.toml" || printf '\n[workspace]\n' >> "$WORK/$crate/Cargo.toml"
done

# Downloads once, so that only compiling is timed.
for crate in hwc-jobs progenitor-jobs; do
  (cd "$WORK/$crate" && cargo fetch --quiet)
done

cpu() { # crate → CPU seconds (user + system, children included) of a cold `cargo build`
  local target="$WORK/target-$1"
  rm -rf "$target"
  local TIMEFORMAT='%U %S'
  { time cargo build --quiet --manifest-path "$WORK/$1/Cargo.toml" --target-dir "$target" 2>/dev/null; } 2> "$WORK/time.txt"
  awk '{printf "%.1f\n", $1 + $2}' "$WORK/time.txt"
}

: > "$WORK/results.txt"
ours=(); theirs=()
for run in $(seq 1 "$RUNS"); do
  a=$(cpu hwc-jobs); b=$(cpu progenitor-jobs)
  ours+=("$a"); theirs+=("$b")
  echo "run $run: hwc-jobs ${a}s CPU, progenitor-jobs ${b}s CPU" | tee -a "$WORK/results.txt"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(median "${ours[@]}"); mt=$(median "${theirs[@]}")
ratio=$(awk -v a="$mo" -v b="$mt" 'BEGIN {printf "%.2f", a / b}')
echo "median: hwc-jobs ${mo}s, progenitor-jobs ${mt}s CPU: ratio ${ratio}x" | tee -a "$WORK/results.txt"
echo "machine: $(nproc) cores, $(rustc --version)" | tee -a "$WORK/results.txt"
