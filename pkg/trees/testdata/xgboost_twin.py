"""Trains with Python's xgboost (Debian's python3-xgboost: the same library) what package trees
trains, for the agreement test: the same rows, parameters, seed, rounds and early stopping.

Usage: xgboost_twin.py JOB.json
JOB.json: {"train": DIR, "test": DIR, "out": DIR, "params": [[name, value], ...],
           "rounds": N, "early_stopping_rounds": K (0: none)}
DIRs hold bench.ExportData's meta.json, hlf.f32 [rows, 14] and labels.i32 [rows]. Writes
OUT/probs.f32 (the test rows' probabilities [rows, 3], little-endian float32) and
OUT/result.json ({"version", "rounds", "kept", "best_iteration"}).
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb


def load(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        n = json.load(f)["rows"]
    x = np.fromfile(os.path.join(folder, "hlf.f32"), dtype="<f4").reshape(n, 14)
    y = np.fromfile(os.path.join(folder, "labels.i32"), dtype="<i4")
    return x, y


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    xt, yt = load(job["train"])
    xv, yv = load(job["test"])
    dtrain = xgb.DMatrix(xt, label=yt, missing=np.nan)
    dtest = xgb.DMatrix(xv, label=yv, missing=np.nan)
    params = [(name, value) for name, value in job["params"]]
    stop = job["early_stopping_rounds"] or None
    bst = xgb.train(params, dtrain, num_boost_round=job["rounds"],
                    evals=[(dtrain, "train"), (dtest, "test")],
                    early_stopping_rounds=stop, verbose_eval=False)
    kept = bst.best_iteration + 1 if stop else bst.num_boosted_rounds()
    probs = bst.predict(dtest, iteration_range=(0, kept)).astype("<f4")
    probs.tofile(os.path.join(job["out"], "probs.f32"))
    result = {"version": xgb.__version__, "rounds": bst.num_boosted_rounds(), "kept": kept,
              "best_iteration": bst.best_iteration if stop else -1}
    with open(os.path.join(job["out"], "result.json"), "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
