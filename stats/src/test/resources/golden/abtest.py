"""Golden numbers for dev.loupe.stats.abtest.AbTest, from statsmodels and scipy.

Writes abtest_users.csv (per-user rows, seeded) and prints key,value lines.
Regenerate: /usr/bin/python3 abtest.py > abtest.csv   (run in this directory)
"""
import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportions_ztest, confint_proportions_2indep
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

print("key,value")
# Conversions: control first.
arms = [("control", 10000, 300), ("b", 10000, 350), ("c", 9800, 330), ("d", 10100, 290)]
n0, x0 = arms[0][1], arms[0][2]
ps = []
for name, n1, x1 in arms[1:]:
    z, p = proportions_ztest([x1, x0], [n1, n0])
    lo, hi = confint_proportions_2indep(x1, n1, x0, n0, method="wald", compare="diff", alpha=0.05)
    rlo, rhi = confint_proportions_2indep(x1, n1, x0, n0, method="log", compare="ratio", alpha=0.05)
    ps.append(p)
    for k, v in [("z", z), ("p", p), ("lo", lo), ("hi", hi), ("rlo", rlo - 1), ("rhi", rhi - 1)]:
        print(f"prop.{name}.{k},{float(v)!r}")
for method, key in [("bonferroni", "bonferroni"), ("holm", "holm"), ("fdr_bh", "bh")]:
    adj = multipletests(ps, method=method)[1]
    for (name, _, _), v in zip(arms[1:], adj):
        print(f"prop.{name}.{key},{float(v)!r}")
chi2, p = stats.chisquare([a[1] for a in arms])
print(f"srm.chi2,{chi2!r}\nsrm.p,{p!r}")
chi2, p = stats.chisquare([10000, 10000, 9800, 10100], f_exp=np.array([0.26, 0.25, 0.245, 0.245]) * 39900)
print(f"srm_split.chi2,{chi2!r}\nsrm_split.p,{p!r}")

# Continuous metric with a pre-period covariate, per-user rows.
rng = np.random.default_rng(20261126)
rows = []
for arm, n, effect in [("control", 400, 0.0), ("b", 380, 0.3), ("c", 420, 0.1)]:
    pre = rng.gamma(2.0, 2.0, n)
    y = 1.0 + 0.8 * pre + effect + rng.normal(0, 1.5, n)
    rows.append(pd.DataFrame({"arm": arm, "revenue": np.round(y, 6), "pre_revenue": np.round(pre, 6)}))
df = pd.concat(rows, ignore_index=True)
df.to_csv("abtest_users.csv", index=False)
df = pd.read_csv("abtest_users.csv")
c = df[df.arm == "control"]
theta = np.cov(df.revenue, df.pre_revenue, ddof=1)[0, 1] / np.var(df.pre_revenue, ddof=1)
df["adj"] = df.revenue - theta * (df.pre_revenue - df.pre_revenue.mean())
print(f"cuped.theta,{theta!r}")
for name in ["b", "c"]:
    for col, key in [("revenue", "welch"), ("adj", "cuped")]:
        t_ = df[df.arm == name][col]
        c_ = df[df.arm == "control"][col]
        t, p = stats.ttest_ind(t_, c_, equal_var=False)
        cm = CompareMeans(DescrStatsW(t_), DescrStatsW(c_))
        lo, hi = cm.tconfint_diff(alpha=0.05, usevar="unequal")
        print(f"{key}.{name}.diff,{float(t_.mean() - c_.mean())!r}")
        for k, v in [("t", t), ("p", p), ("lo", lo), ("hi", hi)]:
            print(f"{key}.{name}.{k},{float(v)!r}")
