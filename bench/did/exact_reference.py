"""Exact reference for the DiD benchmark: the 2x2 estimate and its cluster-robust standard error
(statsmodels' convention: G/(G-1)·(n-1)/(n-K), K = 4) computed in rational arithmetic from the
CSV's decimal values (y has at most 4 decimals, so 10^4·y is an integer and every sum is exact).
Only the final square root is rounded.

Usage: /usr/bin/python3 exact_reference.py FILE
"""
import sys
from fractions import Fraction

import numpy as np
import pandas as pd

df = pd.read_csv(sys.argv[1], dtype={"y": str})
parts = df.y.str.split(".", n=1, expand=True)
frac = parts[1].fillna("").str.ljust(4, "0")
neg = parts[0].str.startswith("-")
whole = parts[0].astype(np.int64).abs()
yi = (whole * 10000 + frac.astype(np.int64)) * np.where(neg, -1, 1)
df = pd.DataFrame({"g": df.cluster, "t": df.treated, "p": df.post, "yi": yi.astype(np.int64)})
df["yy"] = df.yi * df.yi  # < 2^63 for |y| < 3e5
cells = df.groupby(["g", "t", "p"]).agg(n=("yi", "size"), sy=("yi", "sum"), syy=("yy", "sum"))

S = 10000
def x(t, p):
    return [1, t, p, t * p]

K = 4
xtx = [[Fraction(0)] * K for _ in range(K)]
xty = [Fraction(0)] * K
by_cluster = {}
for (g, t, p), r in cells.iterrows():
    v = x(int(t), int(p))
    n, sy = int(r.n), Fraction(int(r.sy), S)
    c = by_cluster.setdefault(g, ([[Fraction(0)] * K for _ in range(K)], [Fraction(0)] * K))
    for i in range(K):
        xty[i] += v[i] * sy
        c[1][i] += v[i] * sy
        for j in range(K):
            xtx[i][j] += n * v[i] * v[j]
            c[0][i][j] += n * v[i] * v[j]

def inverse(a):
    m = [row[:] + [Fraction(int(i == j)) for j in range(K)] for i, row in enumerate(a)]
    for c in range(K):
        piv = next(r for r in range(c, K) if m[r][c] != 0)
        m[c], m[piv] = m[piv], m[c]
        f = m[c][c]
        m[c] = [v / f for v in m[c]]
        for r in range(K):
            if r != c and m[r][c] != 0:
                f = m[r][c]
                m[r] = [a_ - f * b_ for a_, b_ in zip(m[r], m[c])]
    return [row[K:] for row in m]

B = inverse(xtx)
b = [sum(B[i][j] * xty[j] for j in range(K)) for i in range(K)]
meat = [[Fraction(0)] * K for _ in range(K)]
for ctx, cty in by_cluster.values():
    s = [cty[i] - sum(ctx[i][j] * b[j] for j in range(K)) for i in range(K)]
    for i in range(K):
        for j in range(K):
            meat[i][j] += s[i] * s[j]
n, G = int(cells.n.sum()), len(by_cluster)
corr = Fraction(G, G - 1) * Fraction(n - 1, n - K)
BM = [[sum(B[i][k] * meat[k][j] for k in range(K)) for j in range(K)] for i in range(K)]
V33 = corr * sum(BM[3][k] * B[k][3] for k in range(K))
print(f"exact estimate={float(b[3])!r} std_error={float(V33) ** 0.5!r} n_obs={n} n_clusters={G}")
