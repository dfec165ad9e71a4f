"""Golden numbers for dev.loupe.stats.did.DiffInDiff, from statsmodels OLS.

Card & Krueger (1994): ../data/card_krueger_tidy.csv. Event study: writes event_panel.csv (seeded).
Regenerate: /usr/bin/python3 did.py > did.csv   (run in this directory)
"""
import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

print("key,value")
ck = pd.read_csv("../data/card_krueger_tidy.csv").dropna(subset=["fte"])
both = ck.groupby("store_id").fte.count()
balanced = ck[ck.store_id.isin(both[both == 2].index)]
for sample, d in [("all", ck), ("balanced", balanced)]:
    m = d.groupby(["nj", "after"]).fte.mean()
    print(f"ck.{sample}.means_did,{float((m[1, 1] - m[1, 0]) - (m[0, 1] - m[0, 0]))!r}")
    for cov in ["nonrobust", "HC1", "HC3", "cluster"]:
        kw = {"cov_kwds": {"groups": d.store_id}} if cov == "cluster" else {}
        r = smf.ols("fte ~ nj * after", d).fit(cov_type=cov, use_t=True, **kw)
        ci = r.conf_int()
        for k, v in [("b", r.params["nj:after"]), ("se", r.bse["nj:after"]),
                     ("p", r.pvalues["nj:after"]), ("lo", ci.loc["nj:after", 0]),
                     ("hi", ci.loc["nj:after", 1])]:
            print(f"ck.{sample}.{cov}.{k},{float(v)!r}")
        print(f"ck.{sample}.{cov}.df_resid,{r.df_resid!r}\nck.{sample}.{cov}.n,{r.nobs!r}")
    # Two-way fixed effects: store and wave effects, D = nj * after.
    d = d.assign(D=d.nj * d.after)
    for cov in ["nonrobust", "cluster"]:
        kw = {"cov_kwds": {"groups": d.store_id}} if cov == "cluster" else {}
        r = smf.ols("fte ~ D + C(store_id) + C(after)", d).fit(cov_type=cov, use_t=True, **kw)
        print(f"ck.{sample}.twfe.{cov}.b,{float(r.params['D'])!r}")
        print(f"ck.{sample}.twfe.{cov}.se,{float(r.bse['D'])!r}")
        print(f"ck.{sample}.twfe.{cov}.p,{float(r.pvalues['D'])!r}")
        print(f"ck.{sample}.twfe.{cov}.df_resid,{r.df_resid!r}")

# Event study: 60 units, periods 1..10; adoption at 4 (20 units), 7 (20 units), never (20 units).
rng = np.random.default_rng(7)
rows = []
for u in range(60):
    start = 4 if u < 20 else (7 if u < 40 else None)
    alpha = rng.normal(0, 2)
    for t in range(1, 11):
        rel = None if start is None else t - start
        effect = 0.0 if rel is None or rel < 0 else 1.0 + 0.5 * rel
        pre = 0.15 * rel if (rel is not None and rel < 0 and u < 20) else 0.0
        y = alpha + 0.3 * t + effect + pre + rng.normal(0, 1)
        rows.append((f"u{u}", t, round(y, 6), "" if rel is None else rel, 0 if rel is None or rel < 0 else 1))
panel = pd.DataFrame(rows, columns=["unit", "time", "y", "rel", "treated"])
panel.to_csv("event_panel.csv", index=False)
panel = pd.read_csv("event_panel.csv")
rels = sorted(int(v) for v in panel.rel.dropna().unique() if v != -1)
names = []
for k in rels:
    nm = f"rel_m{-k}" if k < 0 else f"rel_p{k}"
    panel[nm] = (panel.rel == k).astype(float)
    names.append((k, nm))
formula = "y ~ " + " + ".join(nm for _, nm in names) + " + C(unit) + C(time)"
r = smf.ols(formula, panel).fit(cov_type="cluster", cov_kwds={"groups": panel.unit}, use_t=True)
for k, nm in names:
    print(f"es.{k}.b,{float(r.params[nm])!r}\nes.{k}.se,{float(r.bse[nm])!r}\nes.{k}.p,{float(r.pvalues[nm])!r}")
leads = [nm for k, nm in names if k <= -2]
w = r.wald_test(", ".join(f"{nm} = 0" for nm in leads), use_f=True, scalar=True)
print(f"es.pretrend.F,{float(w.statistic)!r}\nes.pretrend.p,{float(w.pvalue)!r}\nes.pretrend.df1,{len(leads)}")
print(f"es.pretrend.df2,{float(w.df_denom)!r}")
r = smf.ols("y ~ treated + C(unit) + C(time)", panel).fit(cov_type="cluster", cov_kwds={"groups": panel.unit}, use_t=True)
print(f"es.twfe.b,{float(r.params['treated'])!r}\nes.twfe.se,{float(r.bse['treated'])!r}")
