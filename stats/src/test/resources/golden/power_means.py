"""Golden numbers for dev.loupe.stats.power.Power (means), from statsmodels NormalIndPower.

Regenerate: /usr/bin/python3 power_means.py > power_means.csv   (run in this directory)
"""
from statsmodels.stats.power import NormalIndPower

cases = [("m1", 2.0, 0.25, 500, 0.05, 0.8), ("m2", 10.0, 1.0, 1200, 0.01, 0.95)]
print("key,value")
p = NormalIndPower()
for cid, sd, mde, n, alpha, target in cases:
    pw = p.power(effect_size=mde / sd, nobs1=n, alpha=alpha, ratio=1.0)
    nn = p.solve_power(effect_size=mde / sd, alpha=alpha, power=target, ratio=1.0)
    print(f"{cid}.power,{pw!r}")
    print(f"{cid}.n,{float(nn)!r}")
