#!/usr/bin/python3
"""Writes the edge-case inputs for the seed-vs-Loupe golden tests (deterministic, seed 7).

  user_events.csv   Q7: event_id,user_id,event_type,event_time (the seed's schema)
  raw_events.csv    Q8: event_id,user_id,event_data,created_at,updated_at
  employees.csv     Q9: an acyclic org (deep chain, wide team, random tree)
  employees_cyclic.csv  Q9: self-management, a 3-cycle with a team below it, an orphan
Run from this directory: /usr/bin/python3 gen_data.py (seed_golden.sh does it).
"""
import csv
import random
from datetime import datetime, timedelta

rnd = random.Random(7)
T0 = datetime(2024, 1, 1, 9, 0, 0)
TYPES = ["page_view", "click", "add_to_cart", "purchase", "search"]


def ts(t):
    return t.strftime("%Y-%m-%d %H:%M:%S.%f")


def events():
    rows = []
    eid = [0]

    def add(user, t, typ=None):
        eid[0] += 1
        rows.append((eid[0], user, typ or rnd.choice(TYPES), ts(t)))

    # 101: gaps of exactly 30 minutes never split; 30 min + 1 s splits.
    t = T0
    for gap in [0, 30 * 60, 30 * 60, 30 * 60 + 1, 30 * 60, 30 * 60 + 1, 10]:
        t += timedelta(seconds=gap)
        add(101, t)
    # 102: equal timestamps, also at a session start and at a session end.
    t = T0
    for gap in [0, 0, 0, 60, 31 * 60, 0, 0, 120, 0]:
        t += timedelta(seconds=gap)
        add(102, t)
    # 103: a single event.
    add(103, T0 + timedelta(hours=3))
    # 104: crosses midnight, and a second session after midnight.
    t = datetime(2024, 1, 1, 23, 45)
    for gap in [0, 10 * 60, 10 * 60, 10 * 60, 45 * 60, 5 * 60]:
        t += timedelta(seconds=gap)
        add(104, t)
    # 105: 30 min + 1 microsecond splits, 30 min exactly does not.
    t = T0
    for gap in [0, 1800, 1800.000001, 1800]:
        t += timedelta(seconds=gap)
        add(105, t)
    # 106..160: random users, exponential gaps around the threshold, some ties.
    for user in range(106, 161):
        t = T0 + timedelta(seconds=rnd.randrange(0, 3 * 86400))
        for _ in range(rnd.randrange(1, 40)):
            r = rnd.random()
            if r < 0.1:
                gap = 0
            elif r < 0.15:
                gap = 1800
            elif r < 0.2:
                gap = 1801
            else:
                gap = int(rnd.expovariate(1 / 1500))
            t += timedelta(seconds=gap)
            add(user, t)
    # Shuffle the file order: nothing may depend on it.
    rnd.shuffle(rows)
    with open("user_events.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event_id", "user_id", "event_type", "event_time"])
        w.writerows(rows)


def raw_events():
    rows = []

    def add(key, user, data, created, updated):
        rows.append((key, user, data, ts(created), "" if updated is None else ts(updated)))

    base = datetime(2024, 3, 1, 12, 0, 0)
    # Keys with one version.
    for i in range(1, 21):
        add(f"e{i:03d}", i, '{"v": 1}', base, base + timedelta(minutes=i))
    # Keys with 2..4 distinct versions.
    for i in range(21, 41):
        for v in range(rnd.randrange(2, 5)):
            add(f"e{i:03d}", i, '{"v": %d}' % v, base, base + timedelta(minutes=v * 7 + i))
    # Ties at the latest version: identical rows, and rows that differ in their data.
    add("e041", 41, '{"v": 1}', base, base + timedelta(hours=1))
    add("e041", 41, '{"v": 2}', base, base + timedelta(hours=2))
    add("e041", 41, '{"v": 2}', base, base + timedelta(hours=2))
    add("e042", 42, '{"v": "a"}', base, base + timedelta(hours=2))
    add("e042", 42, '{"v": "b"}', base, base + timedelta(hours=2))
    add("e043", 43, '{"v": "x"}', base, base + timedelta(hours=1))
    add("e043", 43, '{"v": "z"}', base, base + timedelta(hours=3))
    add("e043", 43, '{"v": "y"}', base, base + timedelta(hours=3))
    add("e043", 43, '{"v": "w"}', base, base + timedelta(hours=3))
    # NULL versions: beside a dated version, alone, and two NULLs only.
    add("e044", 44, '{"v": "dated"}', base, base + timedelta(hours=1))
    add("e044", 44, '{"v": "null"}', base, None)
    add("e045", 45, '{"v": "only-null"}', base, None)
    add("e046", 46, '{"v": "n1"}', base, None)
    add("e046", 46, '{"v": "n2"}', base, None)
    add("e047", 47, '{"v": "old"}', base, base)
    add("e047", 47, '{"v": "null"}', base, None)
    add("e047", 47, '{"v": "new"}', base, base + timedelta(days=1))
    rnd.shuffle(rows)
    with open("raw_events.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["event_id", "user_id", "event_data", "created_at", "updated_at"])
        w.writerows(rows)


def employees():
    rows = [(1, "CEO Jane", None, "Exec", 300000)]
    nid = [1]

    def add(name, manager, dept, salary):
        nid[0] += 1
        rows.append((nid[0], name, manager, dept, salary))
        return nid[0]

    # Deep: a chain of 40 below the CEO.
    m = 1
    for i in range(40):
        m = add(f"Deep {i + 1}", m, "Eng", 100000 + i * 100)
    # Wide: one manager with 150 direct reports.
    wide = add("VP Sales", 1, "Sales", 200000)
    for i in range(150):
        add(f"Rep {i + 1}", wide, "Sales", 50000 + i)
    # Random tree of 200 under the CEO's other VPs.
    vps = [add(f"VP {d}", 1, d, 180000) for d in ["Ops", "Finance", "HR"]]
    pool = list(vps)
    for i in range(200):
        mgr = rnd.choice(pool)
        e = add(f"Emp {i + 1}", mgr, "Ops", rnd.randrange(40000, 150000, 500))
        pool.append(e)
    # A second root (a board member) with a small team, and duplicate names.
    b = add("Board Chair", None, "Board", 10000)
    add("Rep 1", b, "Board", 10000)
    rows.sort()
    with open("employees.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["employee_id", "name", "manager_id", "department", "salary"])
        for r in rows:
            w.writerow(["" if v is None else v for v in r])

    cyc = [
        (1, "Root", None, "Exec", 100),
        (2, "A", 1, "Exec", 10),
        (3, "B", 2, "Exec", 20),
        (4, "Self", 4, "Ops", 30),  # manages themselves
        (5, "Self report", 4, "Ops", 31),  # hangs below the self-cycle
        (6, "C1", 8, "Loop", 40),  # 6 -> 8 -> 7 -> 6
        (7, "C2", 6, "Loop", 41),
        (8, "C3", 7, "Loop", 42),
        (9, "Below loop", 7, "Loop", 43),
        (10, "Below below", 9, "Loop", 44),
        (11, "Orphan", 99, "Lost", 50),  # manager 99 does not exist
        (12, "Orphan report", 11, "Lost", 51),
    ]
    with open("employees_cyclic.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["employee_id", "name", "manager_id", "department", "salary"])
        for r in cyc:
            w.writerow(["" if v is None else v for v in r])


events()
raw_events()
employees()
