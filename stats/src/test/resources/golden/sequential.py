"""Golden numbers for dev.loupe.stats.sequential.GroupSequential: Lan-DeMets two-sided boundaries,
computed independently with scipy's multivariate normal CDF (Genz integration) and brentq.

Z_k at information fractions t_k has corr(Z_j, Z_k) = sqrt(t_j / t_k). Spending is applied to each side at alpha/2 (the gsDesign/rpact convention for two-sided
symmetric designs). The boundary c_k solves
P(|Z_j| < c_j for all j <= k) = 1 - alpha*(t_k).
Regenerate: /usr/bin/python3 sequential.py > sequential.csv   (run in this directory)
"""
import numpy as np
from scipy import stats, optimize

Z = stats.norm()


def spend(kind, alpha, t):
    if kind == "obf":
        return 4 * Z.sf(Z.isf(alpha / 4) / np.sqrt(t))  # alpha/2 per side, one-sided OBF spending
    return alpha * np.log(1 + (np.e - 1) * t)


def boundaries(kind, K, alpha):
    t = np.arange(1, K + 1) / K
    c = []
    for k in range(K):
        target = 1 - spend(kind, alpha, t[k])
        if k == 0:
            c.append(Z.isf((1 - target) / 2))
            continue
        tt = t[: k + 1]
        cov = np.sqrt(np.minimum.outer(tt, tt) / np.maximum.outer(tt, tt))

        def stay(ck):
            up = np.array(c + [ck])
            return stats.multivariate_normal.cdf(
                up, mean=np.zeros(k + 1), cov=cov, lower_limit=-up, abseps=1e-10, releps=1e-10,
                maxpts=2_000_000) - target

        c.append(optimize.brentq(stay, 0.5, 12, xtol=1e-10))
    return c


print("key,value")
for kind in ["obf", "pocock"]:
    for K in [3, 5]:
        for k, v in enumerate(boundaries(kind, K, 0.05), start=1):
            print(f"{kind}.{K}.{k},{float(v)!r}")
for k, v in enumerate(boundaries("obf", 4, 0.01), start=1):
    print(f"obf_a01.4.{k},{float(v)!r}")
