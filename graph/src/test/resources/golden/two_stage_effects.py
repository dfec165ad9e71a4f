#!/usr/bin/python3
"""Golden direct/spillover/total effects of a two-stage experiment, from statsmodels.

Run from this directory with Debian's Python (python3-numpy, python3-statsmodels):
    /usr/bin/python3 two_stage_effects.py
Writes two_stage_data.csv (user, cluster, arm, cluster_share, design, role, outcome: 24 clusters of
varying size, 12 treated at within-share 0.5) and two_stage_effects.csv (effect, estimate,
std_error, ci_low, ci_high, p_value) from OLS outcome ~ 1 + G1 + G0 with cov_type="cluster"
(groups = cluster, use_t=True); direct = G1 - G0 via t_test.
"""
import csv
import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(2026)
rows = []
clusters = 24
treated_clusters = set(rng.permutation(clusters)[:12].tolist())
for c in range(clusters):
    size = int(rng.integers(8, 30))
    share = 0.5 if c in treated_clusters else 0.0
    m = round(share * size)
    treated = set(rng.permutation(size)[:m].tolist())
    ce = rng.normal(0, 0.5)
    for k in range(size):
        t = k in treated
        y = 3 + ce + 0.8 * t + 0.6 * share + rng.normal(0, 1)
        rows.append({"user": "c%d_u%d" % (c, k), "cluster": "k%d" % c, "arm": "treatment" if t else "control",
                     "cluster_share": share, "design": "two-stage", "role": "", "outcome": repr(float(y))})
with open("two_stage_data.csv", "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)

y = np.array([float(r["outcome"]) for r in rows])
g1 = np.array([1.0 if r["cluster_share"] > 0 and r["arm"] == "treatment" else 0.0 for r in rows])
g0 = np.array([1.0 if r["cluster_share"] > 0 and r["arm"] == "control" else 0.0 for r in rows])
groups = np.array([int(r["cluster"][1:]) for r in rows])
X = np.column_stack([np.ones(len(y)), g1, g0])
fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": groups}, use_t=True)
out = []
ci = fit.conf_int(0.05)
out.append(["total", fit.params[1], fit.bse[1], ci[1][0], ci[1][1], fit.pvalues[1]])
out.append(["spillover", fit.params[2], fit.bse[2], ci[2][0], ci[2][1], fit.pvalues[2]])
tt = fit.t_test(np.array([[0, 1, -1]]))
tci = tt.conf_int(0.05)[0]
out.append(["direct", float(tt.effect[0]), float(tt.sd[0][0]), tci[0], tci[1], float(tt.pvalue)])
with open("two_stage_effects.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["effect", "estimate", "std_error", "ci_low", "ci_high", "p_value"])
    for r in out:
        w.writerow([r[0]] + [repr(float(v)) for v in r[1:]])
print(open("two_stage_effects.csv").read())
