"""Reference for the DiD benchmark: statsmodels OLS y ~ treated * post with cluster-robust errors
(cov_type="cluster", use_t=True), from reading the CSV with pandas to the result.

Usage: /usr/bin/python3 statsmodels_did.py FILE REPEATS
"""
import statistics
import sys
import time

import pandas as pd
import statsmodels.formula.api as smf

path, repeats = sys.argv[1], int(sys.argv[2])
secs = []
for r in range(repeats):
    t0 = time.perf_counter()
    df = pd.read_csv(path)
    res = smf.ols("y ~ treated * post", df).fit(
        cov_type="cluster", cov_kwds={"groups": df["cluster"]}, use_t=True)
    est, se = res.params["treated:post"], res.bse["treated:post"]
    secs.append(time.perf_counter() - t0)
    print(f"statsmodels run {r + 1}: {secs[-1]:.3f} s", flush=True)
    del df, res
print(f"statsmodels median_s={statistics.median(secs):.3f} estimate={est:.17g} std_error={se:.17g}")
