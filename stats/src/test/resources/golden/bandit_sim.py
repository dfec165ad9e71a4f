#!/usr/bin/python3
"""Independent numpy implementation of Loupe's bandit simulator (stationary scenarios).

Vectorised across replications: each step of the loop serves one visitor in every replication.
Policies: ab (equal split, round robin), epsilon-greedy:EPS, ucb1, thompson (Beta(1,1) prior).
Metrics: pseudo-regret (money), P(declared best = true best), share of traffic per arm per period,
power and coverage of the end-of-test two-sided Wald z-test of the best non-control arm against
arm 0 (alpha = 0.05).

  /usr/bin/python3 bandit_sim.py golden > bandit_sim.csv      # golden data for SimulatorGoldenTest
  /usr/bin/python3 bandit_sim.py bench --policy thompson        # timing, the seed's scenario
"""
import argparse
import json
import math
import sys
import time

import numpy as np

Z = 1.959963984540054  # two-sided 5% critical value


def simulate(rates, visitors, periods, value, policy, cadence, reps, seed):
    rng = np.random.default_rng(seed)
    rates = np.asarray(rates, dtype=float)
    k = rates.size
    best_rate = rates.max()
    gaps = best_rate - rates
    n = np.zeros((reps, k))  # committed pulls
    s = np.zeros((reps, k))  # committed conversions
    pn = np.zeros((reps, k))  # pending (per-period updates)
    ps = np.zeros((reps, k))
    counts = np.zeros((periods, reps, k))
    rows = np.arange(reps)
    eps = None
    if policy.startswith("epsilon-greedy"):
        eps = float(policy.split(":")[1])
    t_global = 0
    for p in range(periods):
        for _ in range(visitors):
            if policy == "ab":
                arm = np.full(reps, t_global % k)
            elif eps is not None:
                means = np.where(n > 0, s / np.maximum(n, 1), np.inf)
                lead = means == means.max(axis=1, keepdims=True)
                greedy = (rng.random((reps, k)) * lead).argmax(axis=1)
                explore = rng.random(reps) < eps
                arm = np.where(explore, rng.integers(0, k, reps), greedy)
            elif policy == "ucb1":
                tot = n.sum(axis=1, keepdims=True)
                with np.errstate(divide="ignore", invalid="ignore"):
                    idx = s / n + np.sqrt(2 * np.log(np.maximum(tot, 1)) / n)
                idx = np.where(n == 0, np.inf, idx)
                arm = idx.argmax(axis=1)
            elif policy == "thompson":
                arm = rng.beta(1 + s, 1 + n - s).argmax(axis=1)
            else:
                raise SystemExit("unknown policy " + policy)
            conv = rng.random(reps) < rates[arm]
            counts[p, rows, arm] += 1
            if cadence == "per-visitor":
                n[rows, arm] += 1
                s[rows, arm] += conv
            else:
                pn[rows, arm] += 1
                ps[rows, arm] += conv
            t_global += 1
        n += pn
        s += ps
        pn[:] = 0
        ps[:] = 0
    regret = value * (counts.sum(axis=0) * gaps).sum(axis=1)
    means = np.where(n > 0, s / np.maximum(n, 1), -np.inf)
    lead = means == means.max(axis=1, keepdims=True)
    declared = (rng.random((reps, k)) * lead).argmax(axis=1)
    correct = rates[declared] == best_rate
    t = 1 + int(np.argmax(rates[1:]))
    true_diff = rates[t] - rates[0]
    nt, nc = n[:, t], n[:, 0]
    testable = (nt > 0) & (nc > 0)
    pt = np.where(nt > 0, s[:, t] / np.maximum(nt, 1), 0)
    pc = np.where(nc > 0, s[:, 0] / np.maximum(nc, 1), 0)
    diff = pt - pc
    se = np.sqrt(pt * (1 - pt) / np.maximum(nt, 1) + pc * (1 - pc) / np.maximum(nc, 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, diff / se, 0.0)
    reject = testable & (se > 0) & (z > Z if true_diff > 0 else np.abs(z) > Z)
    covered = testable & np.where(se > 0, np.abs(diff - true_diff) <= Z * se, diff == true_diff)
    share = counts.mean(axis=1) / visitors
    return {
        "policy": policy,
        "cadence": cadence,
        "replications": reps,
        "mean_regret": float(regret.mean()),
        "sd_regret": float(regret.std(ddof=1)),
        "p05_regret": float(np.percentile(regret, 5)),
        "p50_regret": float(np.percentile(regret, 50)),
        "p95_regret": float(np.percentile(regret, 95)),
        "p_best_at_end": float(correct.mean()),
        "power": float(reject.mean()),
        "coverage": float(covered.sum() / max(testable.sum(), 1)),
        "share_by_period": share.tolist(),
        "sd_share_by_period": (counts.std(axis=1, ddof=1) / visitors).tolist(),
    }


GOLDEN_SCENARIO = {"rates": [0.04, 0.05, 0.06], "visitors": 1500, "periods": 3, "value": 10.0}
GOLDEN_RUNS = [
    ("ab", "per-visitor"),
    ("epsilon-greedy:0.1", "per-visitor"),
    ("ucb1", "per-visitor"),
    ("thompson", "per-visitor"),
    ("thompson", "per-period"),
    ("epsilon-greedy:0.2", "per-period"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["golden", "bench"])
    ap.add_argument("--policy", default="thompson")
    ap.add_argument("--replications", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20261126)
    a = ap.parse_args()
    if a.mode == "golden":
        # key,value lines: POLICY|CADENCE|METRIC (share and its sd: METRIC.pP.aA, 0-based)
        g = GOLDEN_SCENARIO
        print("key,value")
        print(f"numpy_version|{np.__version__.replace('.', '_')},0")
        for i, (policy, cadence) in enumerate(GOLDEN_RUNS):
            r = simulate(g["rates"], g["visitors"], g["periods"], g["value"], policy, cadence,
                         4000, a.seed + i)
            for key, v in r.items():
                if key in ("policy", "cadence"):
                    continue
                if isinstance(v, list):
                    for p, row in enumerate(v):
                        for arm, x in enumerate(row):
                            print(f"{policy}|{cadence}|{key}.p{p}.a{arm},{x!r}")
                else:
                    print(f"{policy}|{cadence}|{key},{float(v)!r}")
    else:
        t0 = time.perf_counter()
        c0 = time.process_time()
        r = simulate([0.03, 0.03, 0.03, 0.035], 10000, 4, 50.0, a.policy, "per-visitor",
                     a.replications, a.seed)
        secs = time.perf_counter() - t0
        cpu = time.process_time() - c0
        print(json.dumps({"policy": a.policy, "seconds": secs, "cpu_seconds": cpu,
                          "mean_regret": r["mean_regret"], "p_best_at_end": r["p_best_at_end"]}))


if __name__ == "__main__":
    main()
