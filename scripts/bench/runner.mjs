// Runs every benchmark case against Quorum and the two Node.js peers with the same driver
// (quorum-load), repeats each, and writes raw results, medians and a Markdown report.
// Started by scripts/bench/run-bench, which raises the file-descriptor limit and installs the
// peers' dependencies first. See docs/BENCHMARKS.md.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

const usage = `Usage: scripts/bench/run-bench [OPTIONS]

  --smoke              tiny N, one repetition, correctness checks only (for ctest)
  --repeat N           repetitions of each case (default 3)
  --cases A,B          only these cases (default: all; see --list)
  --servers A,B        only these servers: quorum-full, quorum-normal, peer-coalescing, peer-naive
  --out DIR            where results go (default build-bench/bench-results)
  --quorum BIN         the quorum binary (default build-bench/quorum)
  --load BIN           the quorum-load binary (default build-bench/scripts/bench/quorum-load)
  --no-pin             do not pin the server and the driver to different cores
  --report-only        rebuild the report from DIR/raw without running anything
  --list               list the cases and exit
`;

// --- Cases ------------------------------------------------------------------------------------

const QUORUM = ['quorum-full', 'quorum-normal'];
const PEERS = ['peer-coalescing', 'peer-naive'];
const ALL = [...QUORUM, ...PEERS];

const fullCases = [
  {
    name: 'closed-1k',
    what: '1,000 participants, closed loop, 120 votes each over 2 scenarios (cap 10 s), 2% comment',
    args: ['--mode', 'closed', '--participants', '1000', '--votes', '120', '--scenarios', '2', '--duration', '10', '--comment-share', '0.02'],
    servers: ALL,
  },
  {
    name: 'open-5k',
    what: 'open loop, Poisson 5,000 votes/s for 10 s, 1,000 participants',
    args: ['--mode', 'open', '--participants', '1000', '--rate', '5000', '--duration', '10'],
    servers: ['quorum-full', 'quorum-normal', 'peer-coalescing'],
  },
  {
    name: 'spike-1k',
    what: '1,000 participants each vote 3 times within 2 s of voting opening; 2% comment',
    args: ['--mode', 'spike', '--participants', '1000', '--spike-votes', '3', '--spike-window', '2', '--comment-share', '0.02', '--drain-timeout', '30'],
    servers: ALL,
  },
  {
    name: 'spike-10k',
    what: '10,000 participants each vote 3 times within 5 s of voting opening, no comments (comments-10k adds them)',
    args: ['--mode', 'spike', '--participants', '10000', '--spike-votes', '3', '--spike-window', '5', '--comment-share', '0', '--drain-timeout', '30'],
    servers: ['quorum-full', 'peer-coalescing'],
  },
  {
    name: 'comments-10k',
    what: '10,000 participants each vote 3 times within 5 s; 2% (200) also comment, and every comment goes to everyone',
    args: ['--mode', 'spike', '--participants', '10000', '--spike-votes', '3', '--spike-window', '5', '--comment-share', '0.02', '--drain-timeout', '60'],
    servers: ['quorum-full', 'peer-coalescing'],
  },
  {
    name: 'soak-10k',
    what: '10,000 participants connected and idle for 10 s, then one vote must reach all',
    args: ['--mode', 'soak', '--participants', '10000', '--soak', '10'],
    servers: ['quorum-full', 'peer-coalescing'],
  },
];

const smokeCases = [
  {
    name: 'smoke-closed',
    what: '20 participants, closed loop, 12 votes each over 2 scenarios',
    args: ['--mode', 'closed', '--participants', '20', '--votes', '12', '--scenarios', '2', '--comment-share', '0.1', '--verify'],
    servers: ALL,
  },
  {
    name: 'smoke-spike',
    what: '20 participants, 3 votes each within 0.3 s',
    args: ['--mode', 'spike', '--participants', '20', '--spike-votes', '3', '--spike-window', '0.3', '--comment-share', '0.1', '--verify'],
    servers: ['quorum-full', 'peer-naive'],
  },
  {
    name: 'smoke-soak',
    what: '20 participants idle for 1 s, then one vote must reach all',
    args: ['--mode', 'soak', '--participants', '20', '--soak', '1'],
    servers: ['quorum-full', 'peer-coalescing'],
  },
];

// --- Arguments ----------------------------------------------------------------------------------

function parseArgs(argv) {
  const o = { repeat: 3, pin: true, smoke: false, reportOnly: false };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--smoke') o.smoke = true;
    else if (a === '--repeat') o.repeat = Number(next());
    else if (a === '--cases') o.cases = next().split(',');
    else if (a === '--servers') o.servers = next().split(',');
    else if (a === '--out') o.out = path.resolve(next());
    else if (a === '--quorum') o.quorum = path.resolve(next());
    else if (a === '--load') o.load = path.resolve(next());
    else if (a === '--no-pin') o.pin = false;
    else if (a === '--report-only') o.reportOnly = true;
    else if (a === '--list') o.list = true;
    else if (a === '--help' || a === '-h') { process.stdout.write(usage); process.exit(0); }
    else fail(`unknown option ${a}`);
  }
  if (o.smoke && !argv.includes('--repeat')) o.repeat = 1;
  if (!Number.isInteger(o.repeat) || o.repeat < 1) fail('--repeat must be a whole number of at least 1');
  o.out ??= path.join(root, 'build-bench', o.smoke ? 'bench-smoke' : 'bench-results');
  o.quorum ??= path.join(root, 'build-bench', 'quorum');
  o.load ??= path.join(root, 'build-bench', 'scripts', 'bench', 'quorum-load');
  return o;
}

function fail(message) {
  process.stderr.write(`run-bench: ${message}\n`);
  process.exit(2);
}

// --- Processes ----------------------------------------------------------------------------------

const cores = os.cpus().length;
const haveTaskset = spawnSync('taskset', ['--version']).status === 0;

/** Pins to a core with taskset when asked and possible: servers on the last core, the driver on core 0. */
function pinned(pin, core, command, args) {
  if (!pin || !haveTaskset || cores < 2) return [command, args];
  return ['taskset', ['-c', String(core), command, ...args]];
}

function loadAverage() {
  return os.loadavg().map((v) => Math.round(v * 100) / 100);
}

/** Starts a server and resolves with { child, port, pid } once it prints its address. */
function startServer(name, o, dir) {
  const db = path.join(dir, 'quorum.db');
  let command;
  let args;
  const env = { ...process.env, PORT: '0' };
  if (name.startsWith('quorum')) {
    command = o.quorum;
    args = ['serve', '--port', '0', '--db', db, '--durability', name === 'quorum-normal' ? 'normal' : 'full'];
  } else {
    command = process.execPath;
    args = [path.join(here, 'peers', name === 'peer-naive' ? 'naive.js' : 'coalescing.js')];
  }
  const [cmd, argv] = pinned(o.pin, cores - 1, command, args);
  const log = fs.openSync(path.join(dir, `${name}.log`), 'w');
  const child = spawn(cmd, argv, { env, stdio: ['ignore', 'pipe', log] });
  fs.closeSync(log);
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${out}`)), 15000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/running at http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        child.stdout.resume();
        resolve({ child, port: Number(m[1]), pid: child.pid, db });
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${name} exited with ${code}: ${out}`)); });
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve(server.child.exitCode);
    const kill = setTimeout(() => server.child.kill('SIGKILL'), 10000);
    server.child.removeAllListeners('exit');
    server.child.on('exit', (code, signal) => { clearTimeout(kill); resolve(code ?? signal); });
    server.child.kill('SIGTERM');
  });
}

function runDriver(o, args, jsonPath, logPath) {
  const [cmd, argv] = pinned(o.pin, 0, o.load, [...args, '--json', jsonPath]);
  return new Promise((resolve) => {
    const log = fs.openSync(logPath, 'w');
    const child = spawn(cmd, argv, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    const kill = setTimeout(() => child.kill('SIGKILL'), 600000);
    child.on('exit', (code) => { clearTimeout(kill); resolve(code); });
  });
}

// --- Running ------------------------------------------------------------------------------------

async function runCase(o, c, server, rep) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `quorum-bench-${c.name}-`));
  const raw = path.join(o.out, 'raw');
  const base = `${c.name}.${server}.${rep}`;
  const jsonPath = path.join(raw, `${base}.json`);
  const started = await startServer(server, o, dir);
  const args = ['--port', String(started.port), '--server-pid', String(started.pid), '--label', server, ...c.args];
  if (server.startsWith('quorum') && args.includes('--verify')) args.push('--verify-db', started.db);
  const loadBefore = loadAverage();
  const code = await runDriver(o, args, jsonPath, path.join(raw, `${base}.log`));
  const exit = await stopServer(started);
  let result = {};
  try { result = JSON.parse(fs.readFileSync(jsonPath, 'utf8')); } catch { result = { error: 'no result written' }; }
  result.case = c.name;
  result.target = server;
  result.repetition = rep;
  result.driver_exit = code;
  result.load_average_before = loadBefore;
  result.pinned = o.pin && haveTaskset && cores >= 2;
  if (server.startsWith('quorum') && o.smoke) {
    const check = spawnSync(o.quorum, ['check', '--db', started.db], { encoding: 'utf8' });
    result.quorum_check = { exit: check.status, output: (check.stdout + check.stderr).trim().slice(-500) };
  }
  result.server_exit = exit;
  fs.writeFileSync(jsonPath, `${JSON.stringify(result, null, 2)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

function oneLine(r) {
  if (r.error) return `ERROR ${r.error}`;
  if (r.soak) {
    const s = r.soak;
    return `RSS/conn ${fmt(r.server_rss_kib_per_connection, 2)} KiB, ${s.update_check?.participants_updated}/${r.join?.participants} updated`;
  }
  return `${r.votes_per_s} votes/s, ack p50 ${r.vote_to_ack_ms?.p50} p99 ${r.vote_to_ack_ms?.p99} ms, ` +
    `visible p99 ${r.vote_to_visible_at_facilitator_ms?.p99} ms, CPU ${r.server?.cpu_ms_per_1000_votes} ms/1k votes` +
    `${r.driver?.client_limited ? ' CLIENT-LIMITED' : ''}${r.verify ? (r.verify.ok ? ', verified' : `, VERIFY FAILED ${JSON.stringify(r.verify.problems)}`) : ''}`;
}

// --- Report -------------------------------------------------------------------------------------

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

function get(obj, dotted) {
  return dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function fmt(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return Number(v).toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

const METRICS = {
  votes_per_s: 'votes_per_s',
  ack_p50: 'vote_to_ack_ms.p50',
  ack_p99: 'vote_to_ack_ms.p99',
  ack_p999: 'vote_to_ack_ms.p999',
  visible_p99: 'vote_to_visible_at_facilitator_ms.p99',
  frames_per_vote: 'per_vote.frames_to_clients',
  bytes_per_vote: 'per_vote.bytes_to_clients',
  cpu_ms_per_1k: 'server.cpu_ms_per_1000_votes',
  server_cpu_util: 'server.cpu_utilisation',
  rss_per_conn_kib: 'server_rss_kib_per_connection',
  soak_rss_per_conn_kib: 'soak.server_rss_kib_per_connection_end',
  soak_updated: 'soak.update_check.participants_updated',
  soak_update_ms: 'soak.update_check.vote_to_participant_progress_ms.max',
  joined: 'join.participants',
  driver_util: 'driver.cpu_utilisation',
  events_per_tx: 'server_metrics_delta.events_per_transaction',
  load_avg: 'load_average_start',
};

function summarise(results) {
  const groups = new Map();
  for (const r of results) {
    const key = `${r.case}|${r.target}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const rows = [];
  for (const [key, rs] of groups) {
    const [name, server] = key.split('|');
    const row = { case: name, server, runs: rs.length, errors: rs.filter((r) => r.error).length };
    for (const [k, p] of Object.entries(METRICS)) row[k] = median(rs.map((r) => get(r, p)));
    row.client_limited = rs.filter((r) => r.driver?.client_limited).length;
    row.load_avgs = rs.map((r) => r.load_average_before?.[0]).filter((x) => x !== undefined);
    row.verified = rs.every((r) => !r.verify || r.verify.ok);
    rows.push(row);
  }
  return rows;
}

function report(o, results, meta) {
  const rows = summarise(results);
  const cases = o.smoke ? smokeCases : fullCases;
  const order = (r) => [cases.findIndex((c) => c.name === r.case), ALL.indexOf(r.server)];
  rows.sort((a, b) => { const x = order(a); const y = order(b); return x[0] - y[0] || x[1] - y[1]; });
  const find = (c, s) => rows.find((r) => r.case === c && r.server === s);
  const lines = [];
  lines.push(`Medians of ${o.repeat} run(s) per row; each metric's median is taken on its own.`);
  lines.push(`Machine: ${meta.cpu}, ${meta.cores} cores, ${meta.memory_gib} GiB, ${meta.os}; ` +
    `${meta.pinned ? 'server pinned to the last core, driver to core 0' : 'not pinned'}. Run ${meta.started} → ${meta.finished}.`);
  lines.push('');
  lines.push('| case | server | votes/s | ack p50 ms | ack p99 ms | ack p99.9 ms | visible p99 ms | frames/vote | bytes/vote | server CPU ms / 1k votes | RSS KiB / conn | driver CPU (of a core) | load avg (1 min) at start |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    if (r.case.includes('soak')) continue;
    const flag = r.client_limited ? ` (client-limited ${r.client_limited}/${r.runs})` : '';
    const err = r.errors ? ` **${r.errors} run(s) failed**` : '';
    lines.push(`| ${r.case} | ${r.server}${err} | ${fmt(r.votes_per_s)} | ${fmt(r.ack_p50, 2)} | ${fmt(r.ack_p99, 2)} | ${fmt(r.ack_p999, 2)} | ${fmt(r.visible_p99, 1)} | ${fmt(r.frames_per_vote, 2)} | ${fmt(r.bytes_per_vote)} | ${fmt(r.cpu_ms_per_1k, 1)} | ${fmt(r.rss_per_conn_kib, 1)} | ${fmt(r.driver_util, 2)}${flag} | ${r.load_avgs.map((x) => fmt(x, 1)).join(', ')} |`);
  }
  const soaks = rows.filter((r) => r.case.includes('soak'));
  if (soaks.length) {
    lines.push('');
    lines.push('| case | server | connected | RSS KiB / conn after join | RSS KiB / conn after idle | updated after one vote | slowest update ms | load avg (1 min) at start |');
    lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |');
    for (const r of soaks)
      lines.push(`| ${r.case} | ${r.server}${r.errors ? ` **${r.errors} run(s) failed**` : ''} | ${fmt(r.joined)} | ${fmt(r.rss_per_conn_kib, 2)} | ${fmt(r.soak_rss_per_conn_kib, 2)} | ${fmt(r.soak_updated)} | ${fmt(r.soak_update_ms)} | ${r.load_avgs.map((x) => fmt(x, 1)).join(', ')} |`);
  }
  // Ratios Quorum (FULL durability) / peer.
  const ratioLines = [];
  for (const c of cases) {
    const q = find(c.name, 'quorum-full');
    if (!q || c.name.includes('soak')) continue;
    for (const p of PEERS) {
      const peer = find(c.name, p);
      if (!peer) continue;
      const vr = q.votes_per_s && peer.votes_per_s ? q.votes_per_s / peer.votes_per_s : null;
      const cr = q.cpu_ms_per_1k && peer.cpu_ms_per_1k ? q.cpu_ms_per_1k / peer.cpu_ms_per_1k : null;
      const lr = q.ack_p99 && peer.ack_p99 ? q.ack_p99 / peer.ack_p99 : null;
      ratioLines.push(`| ${c.name} | ${p} | ${fmt(vr, 2)}× | ${fmt(cr, 2)}× | ${fmt(lr, 2)}× |`);
    }
  }
  if (ratioLines.length) {
    lines.push('');
    lines.push('Quorum (synchronous=FULL) / peer, from the medians above (votes/s: higher is better for Quorum; CPU and p99: lower is better):');
    lines.push('');
    lines.push('| case | peer | votes/s ratio | CPU per 1k votes ratio | ack p99 ratio |');
    lines.push('| --- | --- | ---: | ---: | ---: |');
    lines.push(...ratioLines);
  }
  const failed = results.filter((r) => r.error || (r.verify && !r.verify.ok) || (r.quorum_check && r.quorum_check.exit !== 0) ||
    (r.soak && !r.soak.update_check?.all_updated));
  lines.push('');
  lines.push(failed.length ? `**${failed.length} run(s) failed a check**: ${failed.map((r) => `${r.case}/${r.target}#${r.repetition}`).join(', ')}` : 'Every run passed its checks.');
  return { markdown: `${lines.join('\n')}\n`, rows, failed };
}

// --- Main ---------------------------------------------------------------------------------------

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let cases = o.smoke ? smokeCases : fullCases;
  if (o.list) {
    for (const c of [...fullCases, ...smokeCases]) console.log(`${c.name.padEnd(14)} ${c.what} [${c.servers.join(', ')}]`);
    return 0;
  }
  if (o.cases) {
    cases = [...fullCases, ...smokeCases].filter((c) => o.cases.includes(c.name));
    if (cases.length !== o.cases.length) fail(`unknown case in ${o.cases.join(',')} (see --list)`);
  }
  const raw = path.join(o.out, 'raw');
  const meta = {
    cpu: os.cpus()[0]?.model?.trim() ?? 'unknown CPU',
    cores,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    pinned: o.pin && haveTaskset && cores >= 2,
    started: new Date().toISOString(),
  };
  let results = [];
  if (o.reportOnly) {
    for (const f of fs.readdirSync(raw).filter((x) => x.endsWith('.json')))
      results.push(JSON.parse(fs.readFileSync(path.join(raw, f), 'utf8')));
    const prev = path.join(o.out, 'results.json');
    if (fs.existsSync(prev)) Object.assign(meta, JSON.parse(fs.readFileSync(prev, 'utf8')).meta);
  } else {
    for (const bin of [o.quorum, o.load]) if (!fs.existsSync(bin)) fail(`${bin} is missing: build it first (or drop --no-build)`);
    fs.rmSync(o.out, { recursive: true, force: true });
    fs.mkdirSync(raw, { recursive: true });
    for (const c of cases) {
      const servers = c.servers.filter((s) => !o.servers || o.servers.includes(s));
      for (let rep = 1; rep <= o.repeat; ++rep) {
        for (const server of servers) {
          process.stdout.write(`${c.name} ${server} #${rep} (load ${loadAverage().join(' ')}) … `);
          let r;
          try {
            r = await runCase(o, c, server, rep);
          } catch (e) {
            r = { case: c.name, target: server, repetition: rep, error: e.message };
          }
          results.push(r);
          console.log(oneLine(r));
        }
      }
    }
  }
  if (!o.reportOnly || !meta.finished) meta.finished = new Date().toISOString();
  const { markdown, rows, failed } = report(o, results, meta);
  fs.writeFileSync(path.join(o.out, 'results.json'), `${JSON.stringify({ meta, rows }, null, 2)}\n`);
  fs.writeFileSync(path.join(o.out, 'results.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Raw results in ${raw}; table in ${path.join(o.out, 'results.md')}`);
  return failed.length ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(1); });
