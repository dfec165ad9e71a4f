#!/usr/bin/env bash
# DiD with cluster-robust standard errors on 10 million rows and 1,000 clusters: Loupe against
# statsmodels on the same CSV file, in the same run. Usage (from the repository root):
#   bench/did/run.sh [ROWS] [CLUSTERS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-10000000}
clusters=${2:-1000}
repeats=${3:-5}
mkdir -p bench/out
csv=bench/out/did_${rows}.csv
pq=bench/out/did_${rows}.parquet
mvn -B -q -DskipTests -pl bench -am package
cp="bench/target/classes:bench/target/lib/*"
[ -f "$csv" ] || java -cp "$cp" dev.loupe.bench.DidClusterBench generate "$csv" "$rows" "$clusters"
[ -f "$pq" ] || java -cp "$cp" dev.loupe.bench.DidClusterBench generate "$pq" "$rows" "$clusters"
echo "== $(date -u +%FT%TZ) $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== Loupe in-process, CSV"
java -Xmx2g -cp "$cp" dev.loupe.bench.DidClusterBench run "$csv" "$repeats" | tee bench/out/did_loupe_csv.txt
echo "== Loupe in-process, Parquet copy of the same data"
java -Xmx2g -cp "$cp" dev.loupe.bench.DidClusterBench run "$pq" "$repeats" | tee bench/out/did_loupe_parquet.txt
echo "== Loupe CLI wall clock (JVM start included), CSV"
# The command ./loupe runs once built (calling ./loupe itself could time a rebuild as well).
for i in 1 2 3; do
  /usr/bin/time -f "loupe cli run $i: %e s, max RSS %M KB" java -Xmx4g \
    -cp "cli/target/loupe-cli.jar:cli/target/lib/*" dev.loupe.cli.Loupe did --data "$csv" --outcome y \
    --treated treated --post post --cluster cluster --format json > bench/out/did_cli.json
done 2>&1 | tee bench/out/did_loupe_cli.txt
echo "== statsmodels (pandas read_csv + OLS cluster), CSV"
/usr/bin/time -f "statsmodels process: %e s, max RSS %M KB" \
  /usr/bin/python3 bench/did/statsmodels_did.py "$csv" 3 2>&1 | tee bench/out/did_statsmodels.txt
echo "== exact rational reference (decimal values of the CSV, exact sums)"
/usr/bin/python3 bench/did/exact_reference.py "$csv" | tee bench/out/did_exact.txt
/usr/bin/python3 - <<'PY'
import re
def grab(f):
    s = open(f).read().splitlines()
    d = dict(kv.split("=") for kv in [l for l in s if "median_s" in l][0].split()[1:])
    return {k: float(v) for k, v in d.items()}
l, p, s = grab("bench/out/did_loupe_csv.txt"), grab("bench/out/did_loupe_parquet.txt"), grab("bench/out/did_statsmodels.txt")
print(f"ratio statsmodels/loupe (CSV, in-process medians): {s['median_s'] / l['median_s']:.1f}x")
print(f"ratio statsmodels CSV / loupe Parquet: {s['median_s'] / p['median_s']:.1f}x")
x = dict(kv.split("=") for kv in open("bench/out/did_exact.txt").read().split()[1:])
for k in ["estimate", "std_error"]:
    e = float(x[k])
    print(f"{k}: exact {e!r}; loupe {l[k]!r} (rel. error {abs(l[k] - e) / abs(e):.1e});"
          f" statsmodels {s[k]!r} (rel. error {abs(s[k] - e) / abs(e):.1e})")
PY
