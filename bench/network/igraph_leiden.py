#!/usr/bin/python3
"""igraph's Leiden (objective modularity, n_iterations=2) on an edge-list CSV of integer ids.

Usage: /usr/bin/python3 igraph_leiden.py EDGES.csv SEED
Prints one JSON line: load_s, leiden_s, modularity, clusters, nodes, edges. Run by
dev.loupe.bench.NetworkClusterBench in the same run as Loupe.
"""
import json, random, sys, time
import numpy as np
import pandas as pd
import igraph as ig

path, seed = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
df = pd.read_csv(path, dtype=np.int64)
edges = df.iloc[:, :2].to_numpy()
n = int(edges.max()) + 1
g = ig.Graph(n=n, edges=edges)
load_s = time.perf_counter() - t0
random.seed(seed)
t1 = time.perf_counter()
part = g.community_leiden(objective_function="modularity", n_iterations=2)
leiden_s = time.perf_counter() - t1
print(json.dumps({"load_s": load_s, "leiden_s": leiden_s, "modularity": g.modularity(part.membership),
                  "clusters": len(part), "nodes": g.vcount(), "edges": g.ecount()}))
