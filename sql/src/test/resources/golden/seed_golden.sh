#!/usr/bin/env bash
# Regenerates the golden outputs of the seed's own SQL (seed-exercises.md, Q7-Q9), run verbatim by
# a real PostgreSQL over the inputs written by gen_data.py. Needs Debian's postgresql package.
#   cd sql/src/test/resources/golden && ./seed_golden.sh
# Runs the server as the postgres system user when started as root (PostgreSQL refuses root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
/usr/bin/python3 gen_data.py
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
dir="$(mktemp -d /tmp/loupe-golden-pg.XXXXXX)"
as=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; as=(runuser -u postgres --); fi
port=$((20000 + RANDOM % 20000))
"${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -o "-p $port -h 127.0.0.1 -k $dir -c TimeZone=UTC" -w start >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null; rm -rf "$dir"' EXIT
psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres)
out() { "${psql[@]}" -c "\\copy ($1) TO STDOUT WITH (FORMAT csv, HEADER)" > "$2"; }

"${psql[@]}" <<SQL
CREATE TABLE user_events (event_id SERIAL PRIMARY KEY, user_id INTEGER, event_type VARCHAR(50), event_time TIMESTAMP);
\\copy user_events FROM '$here/user_events.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE raw_events (event_id VARCHAR(50), user_id INTEGER, event_data JSONB, created_at TIMESTAMP, updated_at TIMESTAMP);
\\copy raw_events FROM '$here/raw_events.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE employees (employee_id INTEGER PRIMARY KEY, name VARCHAR(100), manager_id INTEGER REFERENCES employees(employee_id), department VARCHAR(50), salary INTEGER);
\\copy employees FROM '$here/employees.csv' WITH (FORMAT csv, HEADER)
-- The cyclic org breaks the seed's REFERENCES (its orphan's manager does not exist): no foreign key.
CREATE TABLE employees_cyclic (employee_id INTEGER PRIMARY KEY, name VARCHAR(100), manager_id INTEGER, department VARCHAR(50), salary INTEGER);
\\copy employees_cyclic FROM '$here/employees_cyclic.csv' WITH (FORMAT csv, HEADER)
SQL

# Q7 step 4, verbatim.
out "WITH event_gaps AS ( SELECT event_id, user_id, event_type, event_time, EXTRACT(EPOCH FROM ( event_time - LAG(event_time) OVER ( PARTITION BY user_id ORDER BY event_time ) )) / 60.0 AS minutes_since_last FROM user_events ), session_flags AS ( SELECT *, CASE WHEN minutes_since_last IS NULL THEN 1 WHEN minutes_since_last > 30 THEN 1 ELSE 0 END AS is_session_start FROM event_gaps ), sessionized AS ( SELECT *, SUM(is_session_start) OVER ( PARTITION BY user_id ORDER BY event_time ) AS session_num FROM session_flags ) SELECT user_id, session_num, MIN(event_time) AS session_start, MAX(event_time) AS session_end, EXTRACT(EPOCH FROM (MAX(event_time) - MIN(event_time))) / 60.0 AS session_duration_min, COUNT(*) AS events_in_session, ARRAY_AGG(event_type ORDER BY event_time) AS event_sequence FROM sessionized GROUP BY user_id, session_num ORDER BY user_id, session_num" q7_seed_sessions.csv

# Q8 steps 1 and 2, verbatim.
out "SELECT event_id, COUNT(*) AS duplicate_count FROM raw_events GROUP BY event_id HAVING COUNT(*) > 1 ORDER BY duplicate_count DESC, event_id" q8_seed_duplicates.csv
out "WITH ranked_events AS ( SELECT *, ROW_NUMBER() OVER ( PARTITION BY event_id ORDER BY updated_at DESC ) AS rn FROM raw_events ) SELECT * FROM ranked_events WHERE rn = 1 ORDER BY event_id" q8_seed_latest.csv
# Q8 step 4 (self-join DELETE) then step 6 (the unique constraint), verbatim; the constraint fails.
"${psql[@]}" -c "DELETE FROM raw_events r1 USING raw_events r2 WHERE r1.event_id = r2.event_id AND r1.updated_at < r2.updated_at;"
out "SELECT * FROM raw_events ORDER BY event_id, updated_at NULLS FIRST, event_data::text" q8_seed_after_delete.csv
{ "${psql[@]}" -c "ALTER TABLE raw_events ADD CONSTRAINT unique_event_id UNIQUE (event_id);" 2>&1 || true; } \
  | sed -e 's/^psql:[^E]*ERROR/ERROR/' > q8_seed_constraint.txt

# Q9 steps 1-3 on the acyclic org, verbatim but for one cast: as written, step 1 fails on PostgreSQL
# ("recursive query column 7 has type character varying(100)[] in non-recursive term but type
# character varying[] overall"), so its base case says ARRAY[name]::VARCHAR[].
out "WITH RECURSIVE org_tree AS ( SELECT employee_id, name, manager_id, department, salary, 1 AS level, ARRAY[name]::VARCHAR[] AS management_chain, ARRAY[employee_id] AS id_chain FROM employees WHERE manager_id IS NULL UNION ALL SELECT e.employee_id, e.name, e.manager_id, e.department, e.salary, ot.level + 1 AS level, ot.management_chain || e.name, ot.id_chain || e.employee_id FROM employees e JOIN org_tree ot ON e.manager_id = ot.employee_id ) SELECT employee_id, name, level, REPEAT(' ', level - 1) || name AS indented_name, ARRAY_TO_STRING(management_chain, ' → ') AS full_chain FROM org_tree ORDER BY id_chain" q9_seed_org_chart.csv
out "WITH RECURSIVE org_tree AS ( SELECT employee_id, name, manager_id, salary, employee_id AS root_manager_id FROM employees UNION ALL SELECT e.employee_id, e.name, e.manager_id, e.salary, ot.root_manager_id FROM employees e JOIN org_tree ot ON e.manager_id = ot.employee_id ), manager_totals AS ( SELECT root_manager_id AS manager_id, SUM(salary) AS total_team_salary, COUNT(*) AS team_size FROM org_tree GROUP BY root_manager_id ) SELECT e.employee_id, e.name, e.salary AS own_salary, mt.team_size, mt.total_team_salary, mt.total_team_salary - e.salary AS reports_salary FROM employees e JOIN manager_totals mt ON e.employee_id = mt.manager_id ORDER BY mt.total_team_salary DESC, e.employee_id" q9_seed_team_salary.csv
out "WITH RECURSIVE all_reports AS ( SELECT manager_id, employee_id AS report_id, name AS report_name, 1 AS distance FROM employees WHERE manager_id IS NOT NULL UNION ALL SELECT ar.manager_id, e.employee_id, e.name, ar.distance + 1 FROM employees e JOIN all_reports ar ON e.manager_id = ar.report_id ) SELECT e.employee_id, e.name AS manager_name, COUNT(*) AS total_reports, COUNT(*) FILTER (WHERE distance = 1) AS direct_reports, COUNT(*) FILTER (WHERE distance > 1) AS indirect_reports FROM all_reports ar JOIN employees e ON ar.manager_id = e.employee_id GROUP BY e.employee_id, e.name ORDER BY total_reports DESC, e.employee_id" q9_seed_reports.csv

# Q9 on the cyclic org: step 1 terminates but silently leaves out everyone in or under a cycle and
# the orphan's team; step 4 (the cycle check) starts from the roots and finds nothing; step 2 never
# ends (stopped by a 5 s statement_timeout).
c="s/FROM employees /FROM employees_cyclic /g; s/JOIN employees /JOIN employees_cyclic /g"
q1="WITH RECURSIVE org_tree AS ( SELECT employee_id, name, manager_id, department, salary, 1 AS level, ARRAY[name]::VARCHAR[] AS management_chain, ARRAY[employee_id] AS id_chain FROM employees WHERE manager_id IS NULL UNION ALL SELECT e.employee_id, e.name, e.manager_id, e.department, e.salary, ot.level + 1 AS level, ot.management_chain || e.name, ot.id_chain || e.employee_id FROM employees e JOIN org_tree ot ON e.manager_id = ot.employee_id ) SELECT employee_id, name, level, REPEAT(' ', level - 1) || name AS indented_name, ARRAY_TO_STRING(management_chain, ' → ') AS full_chain FROM org_tree ORDER BY id_chain"
out "$(sed -e "$c" <<<"$q1")" q9_seed_cyclic_org_chart.csv
q4="WITH RECURSIVE org_tree AS ( SELECT employee_id, manager_id, ARRAY[employee_id] AS path, FALSE AS has_cycle FROM employees WHERE manager_id IS NULL UNION ALL SELECT e.employee_id, e.manager_id, ot.path || e.employee_id, e.employee_id = ANY(ot.path) FROM employees e JOIN org_tree ot ON e.manager_id = ot.employee_id WHERE NOT ot.has_cycle ) SELECT * FROM org_tree WHERE has_cycle"
out "$(sed -e "$c" <<<"$q4")" q9_seed_cyclic_check.csv
q2="WITH RECURSIVE org_tree AS ( SELECT employee_id, name, manager_id, salary, employee_id AS root_manager_id FROM employees UNION ALL SELECT e.employee_id, e.name, e.manager_id, e.salary, ot.root_manager_id FROM employees e JOIN org_tree ot ON e.manager_id = ot.employee_id ), manager_totals AS ( SELECT root_manager_id AS manager_id, SUM(salary) AS total_team_salary, COUNT(*) AS team_size FROM org_tree GROUP BY root_manager_id ) SELECT e.employee_id, mt.team_size, mt.total_team_salary FROM employees e JOIN manager_totals mt ON e.employee_id = mt.manager_id"
{ "${psql[@]}" -c "SET statement_timeout = '5s'; $(sed -e "$c" <<<"$q2")" 2>&1 || true; } \
  | sed -e 's/^psql:[^E]*ERROR/ERROR/' > q9_seed_cyclic_rollup.txt
echo "golden files written to $here"
