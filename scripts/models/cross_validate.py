#!/usr/bin/env python3
"""Leave-one-set-out cross-validation of the learned models over writer sets.

For each set in CV_SETS, runs `train_models --exclude SET --sweep` (models trained on every
other open split, then scored on SET for the grid of thresholds that `--sweep` prints) and
prints, per setting, the mean over the sets of complaint and symptom precision and recall
(each set weighs the same) and the pooled complaint counts.

    cargo build --release -p outcry-analyze --example train_models
    CV_SETS=holdout15,...,train28 python3 scripts/models/cross_validate.py LABEL \
        target/release/examples/train_models [more train_models flags]

CV_PAR (default 2) sets how many trainings run at once (about 40 s and 300 MB each).
The setting named `base` is the thresholds train_models writes by default.
"""
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor


def run(binary, extra, held_out):
    out = subprocess.run(
        [binary, "--exclude", held_out, "--sweep"] + extra,
        capture_output=True, text=True, check=False,
    )
    if out.returncode != 0:
        sys.exit(f"train_models --exclude {held_out} failed:\n{out.stderr[-2000:]}")
    counts = {}
    for line in out.stdout.splitlines():
        fields = line.split()
        if fields and fields[0] == "sweep":
            counts[fields[1]] = list(map(int, fields[2:8]))
    return held_out, counts


def precision_recall(tp, fp, fn):
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def main():
    if len(sys.argv) < 3 or "CV_SETS" not in os.environ:
        sys.exit(__doc__)
    label, binary, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
    sets = os.environ["CV_SETS"].split(",")
    with ThreadPoolExecutor(int(os.environ.get("CV_PAR", "2"))) as pool:
        rows = dict(pool.map(lambda s: run(binary, extra, s), sets))
    n = len(sets)
    for name in rows[sets[0]]:
        complaint = [precision_recall(*rows[s][name][0:3]) for s in sets]
        symptoms = [precision_recall(*rows[s][name][3:6]) for s in sets]
        pooled = [sum(rows[s][name][i] for s in sets) for i in range(3)]
        print(
            f"{label:<10} {name:<18} "
            f"complaint {sum(p for p, _ in complaint) / n:.4f}/{sum(r for _, r in complaint) / n:.4f}  "
            f"symptoms {sum(p for p, _ in symptoms) / n:.4f}/{sum(r for _, r in symptoms) / n:.4f}  "
            f"pooled complaint tp/fp/fn {pooled[0]}/{pooled[1]}/{pooled[2]}"
        )


if __name__ == "__main__":
    main()
