"""Golden numbers for dev.loupe.stats.regression.LinearRegression, from statsmodels OLS.

Writes regression_data.csv (seeded) and prints key,value lines.
Regenerate: /usr/bin/python3 regression.py > regression.csv   (run in this directory)
"""
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

rng = np.random.default_rng(42)
n, G = 300, 25
g = rng.integers(0, G, n)
h = rng.integers(0, 8, n)
x1 = rng.normal(2.0, 1.5, n)
x2 = rng.integers(0, 2, n)
y = 1.0 + 0.5 * x1 - 0.8 * x2 + 0.3 * x1 * x2 + rng.normal(0, 1, G)[g] + 0.2 * h \
    + rng.normal(0, 1, n) * (0.5 + 0.3 * np.abs(x1))
df = pd.DataFrame({"y": np.round(y, 6), "x1": np.round(x1, 6), "x2": x2, "g": g, "h": h})
df.to_csv("regression_data.csv", index=False)
df = pd.read_csv("regression_data.csv")

print("key,value")
names = ["Intercept", "x1", "x2", "x1:x2"]
for cov in ["nonrobust", "HC0", "HC1", "HC2", "HC3", "cluster"]:
    kw = {"cov_kwds": {"groups": df.g}} if cov == "cluster" else {}
    r = smf.ols("y ~ x1 * x2", df).fit(cov_type=cov, use_t=True, **kw)
    ci = r.conf_int(0.05)
    for nm in names:
        for k, v in [("b", r.params[nm]), ("se", r.bse[nm]), ("p", r.pvalues[nm]),
                     ("lo", ci.loc[nm, 0]), ("hi", ci.loc[nm, 1])]:
            print(f"{cov}.{nm}.{k},{float(v)!r}")
    print(f"{cov}.r2,{r.rsquared!r}")
    if cov == "cluster":
        w = r.wald_test("x2 = 0, x1:x2 = 0", use_f=True, scalar=True)
        print(f"cluster.wald.F,{float(w.statistic)!r}\ncluster.wald.p,{float(w.pvalue)!r}")
        print(f"cluster.wald.df2,{float(w.df_denom)!r}")

# Absorbed fixed effect of g (explicit dummies in statsmodels), classical and clustered by g.
for cov in ["nonrobust", "cluster"]:
    kw = {"cov_kwds": {"groups": df.g}} if cov == "cluster" else {}
    r = smf.ols("y ~ x1 + x1:x2 + C(g)", df).fit(cov_type=cov, use_t=True, **kw)
    for nm in ["x1", "x1:x2"]:
        print(f"absorb_g.{cov}.{nm}.b,{float(r.params[nm])!r}")
        print(f"absorb_g.{cov}.{nm}.se,{float(r.bse[nm])!r}")
        print(f"absorb_g.{cov}.{nm}.p,{float(r.pvalues[nm])!r}")
    print(f"absorb_g.{cov}.r2,{r.rsquared!r}\nabsorb_g.{cov}.df_resid,{r.df_resid!r}")

# Absorbed h, clustered by g (clusters do not nest the absorbed groups).
r = smf.ols("y ~ x1 + x2 + C(h)", df).fit(cov_type="cluster", cov_kwds={"groups": df.g}, use_t=True)
for nm in ["x1", "x2"]:
    print(f"absorb_h.{nm}.b,{float(r.params[nm])!r}\nabsorb_h.{nm}.se,{float(r.bse[nm])!r}")
