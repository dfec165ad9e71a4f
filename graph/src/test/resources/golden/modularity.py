#!/usr/bin/python3
"""Golden graphs and modularity values for dev.loupe.graph tests, from networkx and igraph.

Run from this directory with Debian's Python (python3-networkx, python3-igraph):
    /usr/bin/python3 modularity.py
Writes karate.csv, lesmis.csv, planted.csv, planted_groups.csv, modularity.json, modularity.csv
and partitions_<graph>.csv (node and one column of cluster labels per partition). When
loupe_<graph>.csv files (node,cluster: partitions found by Loupe, written by
CommunityGoldenTest#writeLoupePartitions) are present, their modularity is scored too.
"""
import csv, json, os, random
import networkx as nx
import igraph as ig
from networkx.algorithms.community import modularity as nx_modularity, louvain_communities


def write_edges(path, G, weighted):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "weight"] if weighted else ["source", "target"])
        for u, v, d in G.edges(data=True):
            w.writerow([u, v, d.get("weight", 1)] if weighted else [u, v])


def read_edges(path):
    with open(path) as f:
        r = csv.DictReader(f)
        rows = list(r)
    G = nx.Graph()
    for row in rows:
        G.add_edge(row["source"], row["target"], weight=float(row.get("weight") or 1))
    return G


def to_igraph(G):
    names = list(G.nodes())
    idx = {n: i for i, n in enumerate(names)}
    g = ig.Graph(n=len(names), edges=[(idx[u], idx[v]) for u, v in G.edges()])
    g.vs["name"] = names
    g.es["weight"] = [d["weight"] for _, _, d in G.edges(data=True)]
    return g, idx


def score(G, labels, weighted, resolution=1.0):
    """labels: dict node -> cluster label."""
    groups = {}
    for n, c in labels.items():
        groups.setdefault(c, set()).add(n)
    wkey = "weight" if weighted else None
    q_nx = nx_modularity(G, list(groups.values()), weight=wkey, resolution=resolution)
    g, idx = to_igraph(G)
    ids = {c: i for i, c in enumerate(sorted(groups, key=str))}
    membership = [0] * len(idx)
    for n, c in labels.items():
        membership[idx[n]] = ids[c]
    # python-igraph 0.10.2's Graph.modularity drops its resolution argument; call the C core.
    q_ig = ig.GraphBase.modularity(g, membership, "weight" if weighted else None, resolution)
    return {"networkx": q_nx, "igraph": q_ig, "clusters": len(groups),
            "labels": {str(n): str(c) for n, c in labels.items()}}


def igraph_leiden(G, weighted, seed):
    random.seed(seed)
    g, idx = to_igraph(G)
    part = g.community_leiden(objective_function="modularity", weights="weight" if weighted else None,
                              n_iterations=-1)
    names = g.vs["name"]
    return {names[i]: m for i, m in enumerate(part.membership)}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    os.chdir(here)
    karate = nx.karate_club_graph()
    write_edges("karate.csv", karate, weighted=False)
    lesmis = nx.les_miserables_graph()
    write_edges("lesmis.csv", lesmis, weighted=True)
    planted = nx.planted_partition_graph(12, 40, 0.25, 0.004, seed=7)
    write_edges("planted.csv", planted, weighted=False)
    with open("planted_groups.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["node", "group"])
        for n in planted.nodes():
            w.writerow([n, n // 40])

    out = {}
    for name, weighted in [("karate", False), ("lesmis", True), ("planted", False)]:
        G = read_edges(name + ".csv")
        entry = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(), "partitions": {}}
        if name == "karate":
            club = {str(n): karate.nodes[n]["club"] for n in karate.nodes()}
            entry["partitions"]["club"] = score(G, club, weighted)
            entry["partitions"]["club_resolution_0.5"] = score(G, club, weighted, 0.5)
        if name == "planted":
            entry["partitions"]["planted"] = score(G, {n: int(n) // 40 for n in G.nodes()}, weighted)
        louv = louvain_communities(G, weight="weight" if weighted else None, seed=1)
        entry["partitions"]["networkx_louvain"] = score(
            G, {n: i for i, c in enumerate(louv) for n in c}, weighted)
        entry["partitions"]["igraph_leiden"] = score(G, igraph_leiden(G, weighted, 1), weighted)
        loupe = "loupe_" + name + ".csv"
        if os.path.exists(loupe):
            with open(loupe) as f:
                labels = {row["node"]: row["cluster"] for row in csv.DictReader(f)}
            entry["partitions"]["loupe_leiden"] = score(G, labels, weighted)
        out[name] = entry
    with open("modularity.json", "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    # The same numbers as CSV for the Java tests: one row per (graph, partition) and the labels.
    with open("modularity.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["graph", "partition", "resolution", "clusters", "networkx", "igraph"])
        for name, e in out.items():
            for pname, p in e["partitions"].items():
                res = 0.5 if pname.endswith("_0.5") else 1.0
                w.writerow([name, pname, res, p["clusters"], repr(p["networkx"]), repr(p["igraph"])])
    for name, e in out.items():
        pnames = sorted(e["partitions"])
        with open("partitions_" + name + ".csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["node"] + pnames)
            for n in e["partitions"][pnames[0]]["labels"]:
                w.writerow([n] + [e["partitions"][p]["labels"][n] for p in pnames])
    for name, e in out.items():
        print(name, {k: round(v["networkx"], 6) for k, v in e["partitions"].items()})


main()
