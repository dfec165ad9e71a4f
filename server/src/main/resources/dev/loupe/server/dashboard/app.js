// Loupe dashboard: a small single-page app over the JSON API (see /openapi.json).
// Pages: #overview (polls /v1/metrics/live every second), #report, #sql.
'use strict';

const POLL_MS = 1000;
const COLORS = ['#3b5bdb', '#f08c00', '#2b8a3e', '#c2255c', '#1098ad', '#7048e8', '#e8590c', '#5c940d', '#868e96', '#d6336c'];
const state = { key: localStorage.getItem('loupe.readKey'), header: 'X-Loupe-Read-Key', charts: {}, pollTimer: null, lastSql: null, config: null };

const $ = (id) => document.getElementById(id);
const fmt = new Intl.NumberFormat('en-US');
const fmt1 = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const pct = (x) => (100 * x).toFixed(2) + '%';

function show(el, on) { el.hidden = !on; }
function setStatus(ok, text) { const s = $('status'); s.className = 'status ' + (ok ? 'ok' : 'bad'); s.textContent = text; }
function hhmm(iso) { return iso.substring(11, 16); }
function ms(x) {
  if (x < 1000) return Math.round(x) + ' ms';
  if (x < 120000) return (x / 1000).toFixed(1) + ' s';
  if (x < 7200000) return Math.round(x / 60000) + ' min';
  if (x < 172800000) return (x / 3600000).toFixed(1) + ' h';
  return (x / 86400000).toFixed(1) + ' d';
}
function esc(s) { return String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }

class ApiError extends Error { constructor(status, message) { super(message); this.status = status; } }

async function api(path, options = {}) {
  const headers = Object.assign({}, options.headers || {});
  if (state.key) headers[state.header] = state.key;
  let res;
  try {
    res = await fetch(path, Object.assign({}, options, { headers, cache: 'no-store' }));
  } catch (e) {
    throw new ApiError(0, 'The server cannot be reached (' + e.message + '). Is loupe serve running?');
  }
  if (res.status === 401) { show($('keybox'), true); }
  if (res.ok && !state.pollTimer) setStatus(true, 'connected');
  if (!res.ok) {
    let msg = res.status + ' ' + res.statusText;
    try { const body = await res.json(); if (body.error) msg = body.error; } catch (_) { /* not JSON */ }
    throw new ApiError(res.status, msg);
  }
  return res;
}

function chart(id, type, options) {
  if (state.charts[id]) return state.charts[id];
  const c = new Chart($(id), {
    type,
    data: { labels: [], datasets: [] },
    options: Object.assign({ animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } } }, options || {}),
  });
  state.charts[id] = c;
  return c;
}

// ---------------------------------------------------------------- overview

async function refreshOverview() {
  const minutes = $('window').value;
  try {
    const res = await api('/v1/metrics/live?minutes=' + minutes);
    const m = await res.json();
    show($('overview-error'), false);
    setStatus(true, 'live');
    renderOverview(m);
  } catch (e) {
    $('overview-error').textContent = 'Live metrics are unavailable: ' + e.message;
    show($('overview-error'), true);
    setStatus(false, e.status === 401 ? 'read key needed' : 'disconnected');
  }
}

function renderOverview(m) {
  const t = m.totals, ing = m.ingestion;
  $('m-events').textContent = fmt.format(t.events);
  $('m-users').textContent = fmt.format(Math.round(t.unique_users));
  $('m-users-ci').textContent = t.unique_users > 0 ? '95%: ' + fmt.format(Math.floor(t.unique_users_lower)) + '–' + fmt.format(Math.ceil(t.unique_users_upper)) : '';
  $('m-today').textContent = fmt.format(m.today.events);
  $('m-today-users').textContent = fmt.format(Math.round(m.today.unique_users)) + ' unique users';
  $('m-rate').textContent = fmt1.format(ing.events_per_second);
  $('m-flush-lag').textContent = ms(ing.flush_lag_ms);
  $('m-event-lag').textContent = 'event time → receipt: mean ' + ms(ing.event_lag_ms_mean) + ', max ' + ms(ing.event_lag_ms_max);
  $('m-rejected').textContent = fmt.format(ing.rejected_in_window);
  $('m-rejection-rate').textContent = pct(ing.rejection_rate) + ' of received';
  $('updated').textContent = 'updated ' + m.generated_at.substring(11, 19) + ' UTC';
  $('hll-note').textContent = 'Unique users are HyperLogLog estimates (lgK ' + m.hll.lg_k + ', relative standard error ' + pct(m.hll.relative_standard_error)
    + '); counts are exact. Events are placed in the minute they happened (late events update their minute).';
  show($('overview-empty'), m.event_types.length === 0 && ing.accepted_in_window === 0 && ing.rejected_in_window === 0);

  // Events per minute by type: one line per type over every minute of the window.
  const start = Date.parse(m.window.from), n = m.window.minutes;
  const labels = [], index = new Map();
  for (let i = 0; i < n; i++) { const iso = new Date(start + i * 60000).toISOString(); labels.push(hhmm(iso)); index.set(iso.substring(0, 16), i); }
  const byType = new Map();
  for (const s of m.series) {
    if (!byType.has(s.event_type)) byType.set(s.event_type, new Array(n).fill(0));
    const i = index.get(s.minute.substring(0, 16));
    if (i !== undefined) byType.get(s.event_type)[i] = s.events;
  }
  const ce = chart('chart-events', 'line', { elements: { point: { radius: 0 } }, scales: { y: { beginAtZero: true } } });
  ce.data.labels = labels;
  ce.data.datasets = [...byType.keys()].sort().map((type, k) => ({ label: type, data: byType.get(type), borderColor: COLORS[k % COLORS.length], backgroundColor: COLORS[k % COLORS.length], borderWidth: 1.5, tension: 0.2 }));
  ce.update('none');

  const acc = new Array(n).fill(0), rej = new Array(n).fill(0);
  for (const s of m.ingest_series) { const i = index.get(s.minute.substring(0, 16)); if (i !== undefined) { acc[i] = s.accepted; rej[i] = s.rejected; } }
  const ci = chart('chart-ingest', 'bar', { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } });
  ci.data.labels = labels;
  ci.data.datasets = [{ label: 'accepted', data: acc, backgroundColor: '#74c0fc' }, { label: 'rejected', data: rej, backgroundColor: '#ff8787' }];
  ci.update('none');

  const tbody = $('rejections').querySelector('tbody');
  tbody.innerHTML = m.rejections.map((r) => '<tr><td>' + esc(r.reason) + '</td><td class="num">' + fmt.format(r.count) + '</td></tr>').join('');
  show($('rejections-empty'), m.rejections.length === 0);
  show($('rejections'), m.rejections.length > 0);
}

function startPolling() {
  stopPolling();
  const tick = async () => { await refreshOverview(); state.pollTimer = setTimeout(tick, POLL_MS); };
  tick();
}
function stopPolling() { if (state.pollTimer) clearTimeout(state.pollTimer); state.pollTimer = null; }

// ---------------------------------------------------------------- daily report

function yesterdayUtc() { return new Date(Date.now() - 86400000).toISOString().substring(0, 10); }

async function loadReportDates() {
  try {
    const d = await (await api('/v1/reports/daily/dates')).json();
    $('report-dates').innerHTML = d.dates.slice(0, 31).map((x) =>
      '<button data-date="' + x.date + '" class="' + (x.report_written ? 'written' : '') + '" title="' + (x.report_written ? 'report written' : 'events in the lake, no report yet') + '">' + x.date + '</button>').join('');
    for (const b of $('report-dates').querySelectorAll('button')) b.onclick = () => { $('report-date').value = b.dataset.date; loadReport(); };
  } catch (e) { /* the report itself shows the error */ }
}

let reportRequest = 0; // only the latest request's answer is shown (answers can arrive out of order)

async function loadReport(write) {
  const request = ++reportRequest;
  const date = $('report-date').value;
  show($('report-error'), false);
  if (!date) { $('report-error').textContent = 'Pick a day.'; show($('report-error'), true); return; }
  const seg = $('report-segment').value.trim();
  const q = '?date=' + encodeURIComponent(date) + (seg && !write ? '&segment_property=' + encodeURIComponent(seg) : '');
  $('report-status').textContent = write ? 'writing…' : 'loading…';
  try {
    const r = await (await api('/v1/reports/daily' + q, { method: write ? 'POST' : 'GET' })).json();
    if (request !== reportRequest) return;
    renderReport(r);
    if (write) loadReportDates();
    loadSessions(date);
  } catch (e) {
    if (request !== reportRequest) return;
    $('report-status').textContent = '';
    $('report-error').textContent = 'The report cannot be shown: ' + e.message;
    show($('report-error'), true);
  }
}

function renderReport(r) {
  const status = { written: 'Written ' + (r.written_at || '').replace('T', ' ').substring(0, 19) + ' UTC (reports/daily/metric_date=' + r.date + ')',
    computed: 'Computed now from the lake for ' + r.date + ' (no report written for this day yet)' + (r.closed ? '' : '; the day has not closed, so it is partial'),
    no_data: 'No events in the lake for ' + r.date + '.' }[r.status];
  $('report-status').innerHTML = esc(status) + ' · segment: <code>' + esc(r.segment_property) + '</code> · ' + fmt.format(r.totals.events) + ' events';
  show($('report-empty'), r.status === 'no_data');
  $('report-rows').querySelector('tbody').innerHTML = r.rows.map((x) => '<tr><td>' + x.metric_date + '</td><td>' + esc(x.user_segment) + '</td><td>' + esc(x.event_type)
    + '</td><td class="num">' + fmt.format(x.total_events) + '</td><td class="num">' + fmt.format(x.unique_users) + '</td></tr>').join('');
  $('report-check').querySelector('tbody').innerHTML = r.live.by_event_type.map((x) => {
    const same = x.events === x.report_events;
    return '<tr><td>' + esc(x.event_type) + '</td><td class="num">' + fmt.format(x.report_events) + '</td><td class="num ' + (same ? 'ok' : 'bad') + '">'
      + fmt.format(x.events) + (same ? ' ✓' : '') + '</td><td class="num">' + fmt.format(Math.round(x.unique_users)) + '</td></tr>';
  }).join('');

  const types = [...new Set(r.rows.map((x) => x.event_type))].sort();
  const segs = [...new Set(r.rows.map((x) => x.user_segment))].sort();
  const c = chart('chart-report', 'bar', { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } });
  c.data.labels = types;
  c.data.datasets = segs.map((s, k) => ({ label: s, backgroundColor: COLORS[k % COLORS.length],
    data: types.map((t) => { const row = r.rows.find((x) => x.event_type === t && x.user_segment === s); return row ? row.total_events : 0; }) }));
  c.update('none');
}

let sessionsRequest = 0; // as for the report: only the latest answer is shown

async function loadSessions(date) {
  const request = ++sessionsRequest;
  show($('sessions-error'), false);
  try {
    const s = await (await api('/v1/sessions/summary?date=' + encodeURIComponent(date))).json();
    if (request !== sessionsRequest) return;
    $('s-count').textContent = fmt.format(s.sessions);
    $('s-duration').textContent = s.mean_duration_min === null ? '–' : fmt1.format(s.mean_duration_min) + ' min';
    $('s-events').textContent = s.mean_events_per_session === null ? '–' : fmt1.format(s.mean_events_per_session);
    const c = chart('chart-sessions', 'bar', { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } });
    c.data.labels = s.duration_buckets.map((b) => b.upper_min === null ? '≥ ' + b.lower_min + ' min' : b.lower_min + '–' + b.upper_min + ' min');
    c.data.datasets = [{ label: 'sessions', data: s.duration_buckets.map((b) => b.sessions), backgroundColor: '#7048e8' }];
    c.update('none');
  } catch (e) {
    if (request !== sessionsRequest) return;
    $('sessions-error').textContent = 'Sessions are unavailable: ' + e.message;
    show($('sessions-error'), true);
  }
}

// ---------------------------------------------------------------- SQL console

async function runSql() {
  const sql = $('sql-text').value;
  show($('sql-error'), false);
  $('sql-info').textContent = 'running…';
  $('sql-run').disabled = true;
  try {
    const r = await (await api('/v1/query', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql }) })).json();
    state.lastSql = sql;
    $('sql-csv').disabled = false;
    $('sql-info').textContent = fmt.format(r.rows.length) + ' row' + (r.rows.length === 1 ? '' : 's') + (r.truncated ? ' (truncated)' : '') + ' in ' + r.elapsed_ms + ' ms';
    renderSql(r);
  } catch (e) {
    $('sql-info').textContent = '';
    $('sql-error').textContent = e.message;
    show($('sql-error'), true);
    // An old result under a new error would read as the answer to the failed query.
    $('sql-result').querySelector('thead').innerHTML = '';
    $('sql-result').querySelector('tbody').innerHTML = '';
    show($('sql-chart-panel'), false);
    show($('sql-result-panel'), false);
    $('sql-csv').disabled = true;
  } finally {
    $('sql-run').disabled = false;
  }
}

function renderSql(r) {
  show($('sql-result-panel'), true);
  const t = $('sql-result');
  const numericCol = r.columns.map((_, i) => r.rows.length > 0 && r.rows.every((row) => row[i] === null || typeof row[i] === 'number'));
  t.querySelector('thead').innerHTML = '<tr>' + r.columns.map((c, i) => '<th' + (numericCol[i] ? ' class="num"' : '') + '>' + esc(c) + '</th>').join('') + '</tr>';
  t.querySelector('tbody').innerHTML = r.rows.length === 0 ? '<tr><td colspan="' + r.columns.length + '" class="muted">The query returned no rows.</td></tr>'
    : r.rows.slice(0, 1000).map((row) => '<tr>' + row.map((v) => typeof v === 'number' ? '<td class="num">' + fmt.format(v) + '</td>' : '<td>' + (v === null ? '<span class="muted">NULL</span>' : esc(v)) + '</td>').join('') + '</tr>').join('');
  // A simple chart: the first column as labels, every numeric column as a series (up to 100 rows).
  const series = numericCol.map((isNum, i) => (isNum && i > 0 ? i : -1)).filter((i) => i > 0);
  const chartable = r.columns.length >= 2 && series.length > 0 && r.rows.length <= 100;
  show($('sql-chart-panel'), chartable);
  if (!chartable) return;
  const c = chart('chart-sql', 'bar', { scales: { y: { beginAtZero: true } } });
  c.data.labels = r.rows.map((row) => String(row[0]));
  c.data.datasets = series.map((i, k) => ({ label: r.columns[i], data: r.rows.map((row) => row[i]), backgroundColor: COLORS[k % COLORS.length] }));
  c.update('none');
}

async function downloadCsv() {
  try {
    const res = await api('/v1/query?format=csv', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sql: state.lastSql }) });
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url; a.download = 'loupe-query.csv'; document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) {
    $('sql-error').textContent = 'CSV download failed: ' + e.message;
    show($('sql-error'), true);
  }
}

// ---------------------------------------------------------------- routing and start

function route() {
  const page = (location.hash || '#overview').substring(1);
  const name = ['overview', 'report', 'sql'].includes(page) ? page : 'overview';
  for (const p of ['overview', 'report', 'sql']) { show($('page-' + p), p === name); $('nav-' + p).classList.toggle('active', p === name); }
  if (name === 'overview') startPolling(); else stopPolling();
  if (name === 'report') { if (!$('report-date').value) $('report-date').value = yesterdayUtc(); loadReportDates(); loadReport(); }
}

async function start() {
  try {
    const cfg = await (await fetch('/v1/dashboard/config', { cache: 'no-store' })).json();
    state.config = cfg;
    state.header = cfg.read_key_header || state.header;
    if (!state.key && cfg.dev_read_key) state.key = cfg.dev_read_key;
    $('report-segment').placeholder = cfg.segment_property;
  } catch (e) {
    setStatus(false, 'disconnected');
  }
  show($('keybox'), !state.key);
  $('save-key').onclick = () => { state.key = $('read-key').value.trim(); localStorage.setItem('loupe.readKey', state.key); show($('keybox'), false); route(); };
  $('window').onchange = () => refreshOverview();
  $('report-load').onclick = () => loadReport(false);
  $('report-write').onclick = () => loadReport(true);
  $('sql-run').onclick = runSql;
  $('sql-csv').onclick = downloadCsv;
  $('sql-text').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runSql(); } });
  window.addEventListener('hashchange', route);
  route();
}

start();
