// Black-box attacks on a live Sluice node: each test is one family of attacks, sent the way an
// attacker would send them (raw HTTP where a client library would tidy the request up), with the
// answer the hardened node must give. A Java integration test (modules/app/src/test/java/it/
// AdversarialIT.java) starts a node with the security test catalog (catalog-security.yaml: the
// `policy` fixture tests/mcp/policy-server.mjs and `postgres` on a real PostgreSQL) and runs
//   node --test --test-reporter=spec attacks.test.mjs
// in tests/adversarial with the environment below. Node 20+, no dependencies.
//
//   SLUICE_URL                      the node, e.g. http://127.0.0.1:9195 (required)
//   SLUICE_OWNER_KEY                an owner's API key: the node's bootstrap key (required)
//   SLUICE_VIEWER_KEY               API keys of each role (optional: created with the owner key when
//   SLUICE_ANALYST_KEY                unset; each should have a subject of its own)
//   SLUICE_ENGINEER_KEY
//   SLUICE_ADMIN_KEY
//   SLUICE_SCOPED_KEY               an engineer key with toolScope ["policy/peek"] (optional, as above)
//   SLUICE_PLANTED_SECRET           the value the node gave the policy upstream as POLICY_SECRET
//                                   (SLUICE_IT_POLICY_SECRET); no answer may show it (optional)
//   SLUICE_ALLOWED_COMMAND          an executable sluice.registry.run-time.commands allows (optional:
//                                   makes the cwd attack precise)
//   SLUICE_TOKEN_ISSUER             the issuer and audience the node's JWT verification expects
//   SLUICE_TOKEN_AUDIENCE             (default https://idp.test.example and sluice: it.support.TestTokens)
//   SLUICE_TOKEN_ANALYST            a valid JWT of the test IdP with groups ["analyst"] (optional: the
//                                   positive control, and the base of the signature-swap forgery)
//   SLUICE_TOKEN_ALG_NONE           an unsigned token (alg none) with groups ["owner"] (optional)
//   SLUICE_TOKEN_WRONG_AUDIENCE     a validly signed token for another audience (optional)
//   SLUICE_TOKEN_STRANGER           a token signed by a key the node does not trust, under the trusted kid (optional)
//   SLUICE_TOKEN_HS256_PUBLIC_KEY   HS256 "signed" with the trusted RSA public key's PEM (optional)
//   SLUICE_TOKEN_EXPIRED            a validly signed, expired token (optional)
//   SLUICE_TOKEN_GROUP_ADMIN_UNMAPPED a valid token whose groups are ["admin"], on a node whose
//                                   sluice.security.jwt.role-map does not map the value "admin"
//                                   (optional; the attack is skipped without it)
//   SLUICE_TOKEN_GROUP_ADMIN_MAPPED a valid token whose group that map does map to admin (optional
//                                   positive control)
//
// Node settings the suite assumes: rate limits high enough for ~400 tool calls in a minute from one
// subject (SLUICE_RATE_LIMIT_PER_USER), sluice.security.max-body-bytes at its default (4 MiB), JWT
// verification configured (for the token attacks), and a failed-authentication throttle
// (sluice.security.auth-failures.*) whose window is short (AdversarialIT: 40 in PT5S, 5 audited one
// by one): the token attacks wait out a 429 as Retry-After says, the flood expects it. Every refused
// call carries a unique marker, and the policy upstream's calls_seen tool proves afterwards that
// none of them reached it.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { createHmac, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';

const E = process.env;
const BASE = (E.SLUICE_URL || '').replace(/\/+$/, '');
const OWNER = E.SLUICE_OWNER_KEY;
const PROBLEMS = 'https://sluice.dev/problems/';
const RUN = randomBytes(4).toString('hex');
const TIMEOUT = 20_000;
const ISSUER = E.SLUICE_TOKEN_ISSUER || 'https://idp.test.example';
const AUDIENCE = E.SLUICE_TOKEN_AUDIENCE || 'sluice';
const missing = ['SLUICE_URL', 'SLUICE_OWNER_KEY'].filter((n) => !E[n]);
const TARGET = BASE ? new URL(BASE) : null;
const HOST = TARGET ? TARGET.hostname.replace(/^\[|\]$/g, '') : '127.0.0.1';
const PORT = TARGET ? Number(TARGET.port || 80) : 0;
const HOST_HEADER = TARGET ? TARGET.host : '';

/** API keys of each role, from the environment or created in before(). */
const keys = {};
/** An owner MCP session, for listing and for asking the policy upstream what reached it. */
let ownerMcp;
let markers = 0;

/** A string no other request of this run holds. */
const marker = (kind) => `adv${kind}${RUN}n${++markers}`;

// ------------------------------------------------------------------ HTTP helpers

/** What a response said, for assertion messages. */
const show = (r) => `${r.status} ${String(r.text ?? '').slice(0, 1500)}`;

/** fetch with a timeout; the body read as text and, when it is JSON, parsed. Never follows redirects. */
async function call(method, p, { key, body, headers = {}, rawBody, timeout = TIMEOUT } = {}) {
  const h = { ...headers };
  if (key) h.Authorization = `Bearer ${key}`;
  let payload;
  if (rawBody !== undefined) payload = rawBody;
  else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  const r = await fetch(BASE + p, { method, headers: h, body: payload, redirect: 'manual', signal: AbortSignal.timeout(timeout) });
  const text = await r.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: r.status, headers: r.headers, text, json };
}

const get = (p, key, opts = {}) => call('GET', p, { key, ...opts });
const post = (p, key, body, opts = {}) => call('POST', p, { key, body, ...opts });
const put = (p, key, body, opts = {}) => call('PUT', p, { key, body, ...opts });
const del = (p, key, opts = {}) => call('DELETE', p, { key, ...opts });

/** Asserts an RFC 9457 problem of this status and slug; returns the document. */
function problem(r, status, slug, what) {
  assert.equal(r.status, status, `${what}: expected ${status} ${slug}, got ${show(r)}`);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, `${what}: content type of ${show(r)}`);
  assert.ok(r.json && typeof r.json === 'object', `${what}: a problem document, got ${show(r)}`);
  assert.equal(r.json.type, PROBLEMS + slug, `${what}: type in ${show(r)}`);
  assert.equal(r.json.status, status, `${what}: status member in ${show(r)}`);
  assert.ok(typeof r.json.detail === 'string' && r.json.detail.length > 0, `${what}: a detail in ${show(r)}`);
  return r.json;
}

/** Asserts a JSON-RPC error of this code and problem slug; returns the error member. */
function rpcError(answer, code, slug, what) {
  const text = JSON.stringify(answer)?.slice(0, 1500);
  assert.ok(answer && answer.error, `${what}: expected JSON-RPC error ${code} ${slug}, got ${text}`);
  assert.equal(answer.error.code, code, `${what}: code in ${text}`);
  assert.equal(answer.error.data?.type, PROBLEMS + slug, `${what}: error.data.type in ${text}`);
  assert.ok(typeof answer.error.message === 'string' && answer.error.message.length > 0, `${what}: message in ${text}`);
  return answer.error;
}

/** The JSON-RPC response of an MCP answer: its JSON body, or the last response event of a stream. */
function rpcBody(r) {
  const type = r.headers.get('content-type') || '';
  if (type.startsWith('text/event-stream')) {
    let last;
    for (const line of r.text.split('\n')) {
      if (line.startsWith('data:')) {
        const data = line.slice(5).trim();
        if (!data) continue;
        try {
          const event = JSON.parse(data);
          if ('id' in event && !('method' in event)) last = event;
        } catch {
          // not a JSON-RPC message
        }
      }
    }
    assert.ok(last, `no JSON-RPC response on the stream: ${show(r)}`);
    return last;
  }
  assert.ok(r.json && typeof r.json === 'object', `not a JSON-RPC answer: ${show(r)}`);
  return r.json;
}

/** The text of a tool result, asserting that it is a result and not an error. */
function resultText(answer, what) {
  const text = JSON.stringify(answer)?.slice(0, 1500);
  assert.ok(answer && answer.result, `${what}: expected a result, got ${text}`);
  assert.notEqual(answer.result.isError, true, `${what}: a tool error: ${text}`);
  return (answer.result.content || []).map((c) => c.text ?? '').join('');
}

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Sends, and while this client's address is throttled for failed authentications (429 with
 * Retry-After) waits as told and sends again (at most 3 times), so that the answer is about the
 * credential and not about the attempts before it.
 */
async function unthrottled(send) {
  for (let attempt = 0; ; attempt++) {
    const r = await send();
    if (r.status !== 429 || attempt >= 3) return r;
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait > 0, `a 429 names its Retry-After: ${show(r)}`);
    await sleep(Math.min(wait, 15) * 1000 + 100);
  }
}

const INITIALIZE = (id = 0) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'sluice-adversarial', version: '1' } },
});

/** A plain session-era MCP client: raw JSON-RPC over Streamable HTTP. */
class Mcp {
  constructor(key, endpoint = '/mcp') {
    this.key = key;
    this.endpoint = endpoint;
    this.ids = 0;
    this.session = null;
    this.version = '2025-11-25';
  }

  post(message) {
    const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
    if (this.session) {
      headers['Mcp-Session-Id'] = this.session;
      headers['MCP-Protocol-Version'] = this.version;
    }
    return call('POST', this.endpoint, { key: this.key, body: message, headers });
  }

  async initialize() {
    const r = await this.post(INITIALIZE());
    assert.equal(r.status, 200, `initialize: ${show(r)}`);
    this.session = r.headers.get('mcp-session-id');
    assert.ok(this.session, `initialize gave no Mcp-Session-Id: ${show(r)}`);
    this.version = rpcBody(r).result?.protocolVersion || this.version;
    await this.post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    return this;
  }

  async request(method, params) {
    const message = { jsonrpc: '2.0', id: ++this.ids, method };
    if (params !== undefined) message.params = params;
    return rpcBody(await this.post(message));
  }

  callTool(name, args = {}) {
    return this.request('tools/call', { name, arguments: args });
  }
}

const session = (key) => new Mcp(key).initialize();

const toolNames = (answer) => (answer.result?.tools || []).map((t) => t.name).sort();

/** The calls the policy upstream received ("tool args-json"), asked as the owner. */
async function callsSeen() {
  const text = resultText(await ownerMcp.callTool('policy__calls_seen', {}), 'policy__calls_seen');
  return JSON.parse(text);
}

async function assertUpstreamNeverSaw(needle, what) {
  const seen = await callsSeen();
  const hits = seen.filter((c) => c.includes(needle));
  assert.deepEqual(hits, [], `${what}: the policy upstream received calls holding '${needle}'`);
}

/** An API key made with `creator`'s key; returns the raw answer too. */
async function createKey(creator, body) {
  return post('/api/v1/api-keys', creator, { expiresInDays: 1, ...body });
}

async function mint(body, what) {
  const r = await createKey(OWNER, body);
  assert.equal(r.status, 201, `${what}: creating a key: ${show(r)}`);
  assert.match(r.json.secret, /^sk-sluice-/, `${what}: the secret in ${show(r)}`);
  return { id: r.json.key.id, secret: r.json.secret, view: r.json.key };
}

/** Random invented API key. */
const inventedKey = () => `sk-sluice-${randomBytes(30).toString('base64url').replace(/[-_]/g, 'x').slice(0, 40)}`;

// ------------------------------------------------------------------ raw sockets

/** Parses a raw HTTP/1.1 response (status line, headers, body; chunked bodies decoded). */
function parseRaw(buffer) {
  const raw = buffer.toString('latin1');
  const end = raw.indexOf('\r\n\r\n');
  const head = end < 0 ? raw : raw.slice(0, end);
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] || '');
  const headers = new Map();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = end < 0 ? '' : buffer.subarray(Buffer.byteLength(raw.slice(0, end + 4), 'latin1'));
  if (body && /chunked/i.test(headers.get('transfer-encoding') || '')) {
    const parts = [];
    let rest = body;
    for (;;) {
      const crlf = rest.indexOf('\r\n');
      if (crlf < 0) break;
      const size = parseInt(rest.subarray(0, crlf).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(rest.subarray(crlf + 2, crlf + 2 + size));
      rest = rest.subarray(crlf + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: m ? Number(m[1]) : 0, headers: { get: (n) => headers.get(n.toLowerCase()) ?? null }, text, json, raw };
}

/**
 * Sends bytes exactly as given over a fresh TCP connection (no normalisation of the request line)
 * and reads until the server closes or `timeout` passes.
 */
function rawExchange(request, { timeout = 15_000 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let error = null;
    const socket = net.connect({ host: HOST, port: PORT });
    const timer = setTimeout(() => {
      error = error || new Error(`no end of the answer within ${timeout} ms`);
      socket.destroy();
    }, timeout);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', (e) => {
      error = error || e;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const parsed = parseRaw(Buffer.concat(chunks));
      resolve({ ...parsed, error });
    });
  });
}

/** A request line and headers, written verbatim. */
function rawRequest(method, target, headers, body = '') {
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${HOST_HEADER}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== null) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body ?? ''}`;
}

/**
 * POSTs a body of `total` bytes with Transfer-Encoding: chunked (no Content-Length), as fast as the
 * server reads it, and stops sending as soon as an answer arrives. Resolves with the answer (status
 * 0 when none came), the bytes sent and any socket error.
 */
function chunkedFlood(target, headers, prefix, total, { timeout = 30_000 } = {}) {
  return new Promise((resolve) => {
    const received = [];
    let error = null;
    let sent = 0;
    let closed = false;
    const socket = net.connect({ host: HOST, port: PORT });
    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseRaw(Buffer.concat(received)), error, sent });
    };
    const timer = setTimeout(() => {
      error = error || new Error(`no answer within ${timeout} ms after ${sent} bytes`);
      finish();
    }, timeout);
    socket.on('data', (d) => {
      received.push(d);
      // the whole answer is small; give it a moment to arrive, then stop
      setTimeout(finish, 300);
    });
    socket.on('error', (e) => {
      error = error || e;
      setTimeout(finish, 100);
    });
    socket.on('close', () => setTimeout(finish, 50));
    const write = (data) => new Promise((ok) => {
      if (socket.destroyed) return ok(false);
      socket.write(data, (e) => ok(!e));
    });
    socket.on('connect', async () => {
      const lines = [`POST ${target} HTTP/1.1`, `Host: ${HOST_HEADER}`, 'Transfer-Encoding: chunked'];
      for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
      if (!(await write(`${lines.join('\r\n')}\r\n\r\n`))) return;
      const filler = Buffer.alloc(64 * 1024, 'A');
      const first = Buffer.from(prefix);
      let chunk = first;
      while (sent < total && received.length === 0 && !closed) {
        if (!(await write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])))) return;
        sent += chunk.length;
        chunk = filler;
      }
      if (received.length === 0 && !closed) await write('0\r\n\r\n');
    });
  });
}

// ------------------------------------------------------------------ JWT helpers

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function claims(groups, extra = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: `adv-forger-${RUN}`,
    iat: now,
    exp: now + 3600,
    jti: randomBytes(8).toString('hex'),
    groups,
    ...extra,
  };
}

/** RS256-signs a token with our own (untrusted) key. */
function rs256(header, payload, privateKey) {
  const input = `${b64url(header)}.${b64url(payload)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url');
  return `${input}.${signature}`;
}

// ------------------------------------------------------------------ setup

before(async () => {
  assert.deepEqual(missing, [], `set ${missing.join(', ')} (see the top of ${path.basename(import.meta.filename)})`);
  const me = await get('/api/v1/me', OWNER);
  assert.equal(me.status, 200, `the owner key works: ${show(me)}`);
  assert.equal(me.json.role, 'owner', `SLUICE_OWNER_KEY is an owner's: ${show(me)}`);
  const roles = { viewer: 'SLUICE_VIEWER_KEY', analyst: 'SLUICE_ANALYST_KEY', engineer: 'SLUICE_ENGINEER_KEY', admin: 'SLUICE_ADMIN_KEY' };
  for (const [role, variable] of Object.entries(roles)) {
    keys[role] = E[variable] || (await mint({ name: `adv-${role}-${RUN}`, role, owner: `adv-${role}-${RUN}` }, role)).secret;
  }
  keys.scoped = E.SLUICE_SCOPED_KEY
    || (await mint({ name: `adv-scoped-${RUN}`, role: 'engineer', owner: `adv-scoped-${RUN}`, toolScope: ['policy/peek'] }, 'scoped')).secret;
  // the upstreams start on first use: wait until the owner sees both
  const deadline = Date.now() + 60_000;
  let tools = [];
  while (Date.now() < deadline) {
    try {
      ownerMcp = ownerMcp || (await session(OWNER));
      tools = toolNames(await ownerMcp.request('tools/list'));
      if (tools.includes('policy__peek') && tools.includes('postgres__query')) break;
    } catch {
      ownerMcp = null; // the node or an upstream is still starting
    }
    await sleep(500);
  }
  assert.ok(ownerMcp, 'an owner MCP session');
  assert.ok(tools.includes('policy__peek') && tools.includes('postgres__query'), `the owner sees both upstreams: ${tools}`);
});

// ------------------------------------------------------------------ 1. keys

test('1. keys: no path issues, rotates or revokes a credential above the caller\'s own', { timeout: 60_000 }, async () => {
  const me = (await get('/api/v1/me', OWNER)).json;
  const list = await get('/api/v1/api-keys', OWNER);
  assert.equal(list.status, 200, show(list));
  const ownerKey = list.json.find((k) => k.owner === me.subject && k.role === 'owner' && k.status === 'active');
  assert.ok(ownerKey, `an active owner key of ${me.subject} in ${show(list)}`);
  const ownerKeyId = ownerKey.id;

  // a viewer key of the owner's own subject (no owner field: it defaults to the creator)
  const viewer = await mint({ name: `adv-viewer-of-root-${RUN}`, role: 'viewer' }, 'viewer of the owner');
  assert.equal(viewer.view.owner, me.subject, 'the viewer key has the owner\'s subject');
  const rotate = await post(`/api/v1/api-keys/${ownerKeyId}/rotate`, viewer.secret, { overlap: 'PT0S' });
  problem(rotate, 403, 'forbidden', 'a viewer rotating the owner key');
  assert.ok(!('secret' in (rotate.json || {})), `no secret in the refusal: ${show(rotate)}`);
  assert.doesNotMatch(rotate.text, /sk-sluice-/, 'no key in the refusal');
  problem(await del(`/api/v1/api-keys/${ownerKeyId}`, viewer.secret), 403, 'forbidden', 'a viewer revoking the owner key');
  problem(await createKey(viewer.secret, { name: `adv-by-viewer-${RUN}`, role: 'viewer' }), 403, 'forbidden',
    'a viewer creating a key');
  problem(await createKey(viewer.secret, { name: `adv-owner-by-viewer-${RUN}`, role: 'owner' }), 403, 'forbidden',
    'a viewer creating an owner key');
  // rotating its own key must not lift it: the successor is a viewer too
  const own = await post(`/api/v1/api-keys/${viewer.id}/rotate`, viewer.secret, { overlap: 'PT0S' });
  if (own.status === 201) {
    assert.equal(own.json.key?.role, 'viewer', `the successor of a viewer key is a viewer: ${show(own)}`);
  }

  // an admin of another subject
  const admin = await mint({ name: `adv-admin-esc-${RUN}`, role: 'admin', owner: `adv-admin-esc-${RUN}` }, 'admin');
  problem(await post(`/api/v1/api-keys/${ownerKeyId}/rotate`, admin.secret, { overlap: 'PT0S' }), 403, 'forbidden',
    'an admin rotating the owner key');
  problem(await post(`/api/v1/api-keys/${ownerKeyId}/rotate`, admin.secret, {}), 403, 'forbidden',
    'an admin rotating the owner key (default overlap)');
  problem(await del(`/api/v1/api-keys/${ownerKeyId}`, admin.secret), 403, 'forbidden', 'an admin revoking the owner key');
  problem(await createKey(admin.secret, { name: `adv-owner-by-admin-${RUN}`, role: 'owner', owner: `adv-admin-esc-${RUN}` }),
    403, 'forbidden', 'an admin creating an owner key');
  problem(await createKey(admin.secret, { name: `adv-owner-by-admin2-${RUN}`, role: 'owner' }), 403, 'forbidden',
    'an admin creating an owner key for itself');
  const other = problem(await createKey(admin.secret, { name: `adv-in-other-name-${RUN}`, role: 'viewer', owner: me.subject }),
    403, 'forbidden', 'an admin creating a key in the owner\'s name');
  assert.match(other.detail, /another subject/, `the detail says why: ${other.detail}`);
  problem(await createKey(admin.secret, { name: `adv-in-third-name-${RUN}`, role: 'admin', owner: `adv-someone-${RUN}` }),
    403, 'forbidden', 'an admin creating a key in a third subject\'s name');
  const adminsOwn = await createKey(admin.secret, { name: `adv-admins-own-${RUN}`, role: 'admin' });
  assert.equal(adminsOwn.status, 201, `an admin creates an admin key of its own: ${show(adminsOwn)}`);
  assert.equal(adminsOwn.json.key.role, 'admin');
  assert.equal(adminsOwn.json.key.owner, `adv-admin-esc-${RUN}`, `the key is the admin's own: ${show(adminsOwn)}`);

  // a scoped admin
  const scoped = await mint({ name: `adv-scoped-admin-${RUN}`, role: 'admin', owner: `adv-scoped-admin-${RUN}`,
    toolScope: ['policy/peek'] }, 'scoped admin');
  problem(await createKey(scoped.secret, { name: `adv-unscoped-${RUN}`, role: 'viewer' }), 403, 'forbidden',
    'a scoped admin creating an unscoped key');
  // a bare '*' is no server/tool pattern at all: refused as invalid before any grant is weighed
  problem(await createKey(scoped.secret, { name: `adv-star-${RUN}`, role: 'viewer', toolScope: ['*'] }), 400,
    'invalid-params', 'a scoped admin creating a key scoped ["*"]');
  for (const wider of [['policy/*'], ['*/*'], ['policy/pe*'], ['*/peek'], ['policy/peek', 'postgres/query'], ['policy/peek', 'policy/write_row']]) {
    problem(await createKey(scoped.secret, { name: `adv-wider-${RUN}`, role: 'viewer', toolScope: wider }), 403, 'forbidden',
      `a scoped admin creating a key scoped ${JSON.stringify(wider)}`);
  }
  const same = await createKey(scoped.secret, { name: `adv-same-scope-${RUN}`, role: 'viewer', toolScope: ['policy/peek'] });
  assert.equal(same.status, 201, `a scoped admin creates a key of its own scope: ${show(same)}`);
  assert.deepEqual(same.json.key.toolScope, ['policy/peek'], show(same));
  // a scoped admin may not rotate an unscoped key (it would come out with an unscoped successor)
  const unscopedViewer = await mint({ name: `adv-unscoped-of-scoped-${RUN}`, role: 'viewer', owner: `adv-scoped-admin-${RUN}` },
    'unscoped key of the scoped admin');
  const rotated = await post(`/api/v1/api-keys/${unscopedViewer.id}/rotate`, scoped.secret, { overlap: 'PT0S' });
  problem(rotated, 403, 'forbidden', 'a scoped admin rotating an unscoped key');

  // the owner cannot lock itself out
  const last = await del(`/api/v1/api-keys/${ownerKeyId}`, OWNER);
  const conflict = problem(last, 409, 'conflict', 'the owner revoking its last owner key');
  assert.match(conflict.detail, /owner key/, `the detail says why: ${conflict.detail}`);
  const still = await get('/api/v1/api-keys', OWNER);
  assert.equal(still.status, 200, `the owner key still works: ${show(still)}`);
  const ownerAfter = await get(`/api/v1/api-keys/${ownerKeyId}`, OWNER);
  assert.equal(ownerAfter.status, 200, show(ownerAfter));
  assert.equal(ownerAfter.json.status, 'active', `the owner key is still active: ${show(ownerAfter)}`);
});

// ------------------------------------------------------------------ 2. scopes

test('2. scopes: a key scoped to one tool reaches no other tool, resource or prompt', { timeout: 60_000 }, async () => {
  let uri;
  for (const r of (await ownerMcp.request('resources/list')).result?.resources || []) {
    if (String(r.name).includes('secret-note') || String(r.uri).includes('notes/secret')) uri = r.uri;
  }
  assert.ok(uri, 'the policy resource, listed to the owner');
  let prompt;
  for (const p of (await ownerMcp.request('prompts/list')).result?.prompts || []) {
    if (String(p.name).includes('secret_prompt')) prompt = p.name;
  }
  assert.ok(prompt, 'the policy prompt, listed to the owner');
  const seenBefore = (await callsSeen()).length;

  const scoped = await session(keys.scoped);
  assert.deepEqual(toolNames(await scoped.request('tools/list')), ['policy__peek'], 'the scoped key sees only policy__peek');
  assert.equal(resultText(await scoped.callTool('policy__peek', {}), 'peek in scope'), 'peeked');
  const resources = JSON.stringify((await scoped.request('resources/list')).result?.resources ?? []);
  assert.doesNotMatch(resources, /secret-note|notes\/secret/, `resources/list of the scoped key: ${resources}`);
  const prompts = JSON.stringify((await scoped.request('prompts/list')).result?.prompts ?? []);
  assert.doesNotMatch(prompts, /secret_prompt/, `prompts/list of the scoped key: ${prompts}`);
  rpcError(await scoped.request('resources/read', { uri }), -32011, 'forbidden', 'resources/read outside the scope');
  rpcError(await scoped.request('prompts/get', { name: prompt, arguments: {} }), -32011, 'forbidden', 'prompts/get outside the scope');
  const m = marker('scope');
  rpcError(await scoped.callTool('policy__run_query', { sql: `SELECT '${m}'` }), -32011, 'forbidden', 'run_query outside the scope');
  rpcError(await scoped.callTool('policy__write_row', { table: m }), -32011, 'forbidden', 'write_row outside the scope');
  rpcError(await scoped.callTool('postgres__query', { sql: 'SELECT 1' }), -32011, 'forbidden', 'postgres outside the scope');
  const complete = await scoped.request('completion/complete', {
    ref: { type: 'ref/prompt', name: prompt }, argument: { name: 'x', value: '' },
  });
  assert.ok(!complete.result, `completion of a prompt outside the scope: ${JSON.stringify(complete)}`);

  // the REST API holds the same line
  problem(await get(`/api/v1/resources/read?uri=${encodeURIComponent(uri)}`, keys.scoped), 403, 'forbidden',
    'REST resources/read outside the scope');
  const restPrompt = await post(`/api/v1/prompts/${encodeURIComponent(prompt)}/get`, keys.scoped, { arguments: {} });
  assert.ok([403, 404].includes(restPrompt.status), `REST prompts get outside the scope is refused: ${show(restPrompt)}`);
  const restTools = await get('/api/v1/tools', keys.scoped);
  assert.equal(restTools.status, 200, show(restTools));
  assert.deepEqual(restTools.json.tools.map((t) => t.name), ['policy__peek'], `REST tools of the scoped key: ${show(restTools)}`);
  problem(await post('/api/v1/servers/policy/tools/run_query/call', keys.scoped, { arguments: { sql: `SELECT '${m}'` } }),
    403, 'forbidden', 'REST run_query outside the scope');
  const restResources = await get('/api/v1/resources', keys.scoped);
  assert.doesNotMatch(restResources.text, /secret-note|notes\/secret/, `REST resources of the scoped key: ${show(restResources)}`);

  const seen = (await callsSeen()).slice(seenBefore);
  assert.deepEqual(seen.filter((c) => c.startsWith('resource ') || c.startsWith('prompt ') || c.includes(m)), [],
    `the policy upstream received nothing out of scope: ${JSON.stringify(seen)}`);
});

// ------------------------------------------------------------------ 3. roles

test('3. roles: each role does what it may and nothing more', { timeout: 60_000 }, async () => {
  const viewer = await session(keys.viewer);
  assert.deepEqual(toolNames(await viewer.request('tools/list')), [], 'a viewer sees no tool');
  const mv = marker('viewer');
  for (const [tool, args] of [['policy__peek', {}], ['policy__run_query', { sql: `SELECT '${mv}'` }],
    ['policy__write_row', { table: mv }], ['policy__show_env', {}], ['postgres__query', { sql: 'SELECT 1' }]]) {
    rpcError(await viewer.callTool(tool, args), -32011, 'forbidden', `a viewer calling ${tool}`);
  }
  problem(await post('/api/v1/servers/policy/tools/peek/call', keys.viewer, { arguments: {} }), 403, 'forbidden',
    'a viewer calling peek over REST');
  problem(await post('/api/v1/servers/postgres/tools/query/call', keys.viewer, { arguments: { sql: 'SELECT 1' } }), 403,
    'forbidden', 'a viewer calling postgres over REST');

  const analyst = await session(keys.analyst);
  const ma = marker('analyst');
  const denied = rpcError(await analyst.callTool('policy__write_row', { table: ma, values: { a: 1 } }), -32011, 'forbidden',
    'an analyst calling write_row');
  assert.match(denied.message, /write_row/, `the message names the tool: ${denied.message}`);
  rpcError(await analyst.callTool('policy__show_env', { names: true }), -32011, 'forbidden', 'an analyst calling show_env');
  problem(await post('/api/v1/servers/policy/tools/write_row/call', keys.analyst, { arguments: { table: `${ma}_rest` } }),
    403, 'forbidden', 'an analyst calling write_row over REST');
  assert.equal(resultText(await analyst.callTool('policy__peek', {}), 'an analyst peeking'), 'peeked', 'read tools still work');
  await assertUpstreamNeverSaw(mv, 'viewer calls');
  await assertUpstreamNeverSaw(ma, 'analyst write calls');

  for (const role of ['viewer', 'analyst', 'engineer']) {
    problem(await get('/api/v1/audit?limit=1', keys[role]), 403, 'forbidden', `a ${role} reading the audit trail`);
    problem(await get('/api/v1/audit/export?limit=1', keys[role]), 403, 'forbidden', `a ${role} exporting the audit trail`);
    problem(await get('/api/v1/servers/policy/definition', keys[role]), 403, 'forbidden', `a ${role} reading a definition`);
  }
  const adminAudit = await get('/api/v1/audit?limit=1', keys.admin);
  assert.equal(adminAudit.status, 200, `an admin reads the audit trail: ${show(adminAudit)}`);

  const name = `adv${RUN}r`;
  const entry = { transport: 'streamable-http', url: 'http://127.0.0.1:9/mcp', enabled: false };
  try {
    problem(await put(`/api/v1/servers/${name}`, keys.analyst, entry), 403, 'forbidden', 'an analyst PUTting a server');
    problem(await put(`/api/v1/servers/${name}`, keys.engineer, entry), 403, 'forbidden', 'an engineer PUTting a server');
    problem(await put('/api/v1/servers/policy', keys.engineer, { transport: 'stdio', command: 'node' }), 403, 'forbidden',
      'an engineer replacing the policy server');
    problem(await del('/api/v1/servers/policy', keys.analyst), 403, 'forbidden', 'an analyst deleting a server');
    problem(await post('/api/v1/servers/policy/disable', keys.engineer), 403, 'forbidden', 'an engineer disabling a server');
    problem(await post('/api/v1/catalog/reload', keys.engineer), 403, 'forbidden', 'an engineer reloading the catalog');
    const stdio = problem(await put(`/api/v1/servers/${name}`, keys.admin, { transport: 'stdio', command: 'node', args: ['-e', '1'] }),
      403, 'forbidden', 'an admin PUTting a stdio server');
    assert.match(stdio.detail, /owner/, `the detail says owners define stdio servers: ${stdio.detail}`);
    const stdioNoTransport = await put(`/api/v1/servers/${name}`, keys.admin, { command: 'node', args: ['-e', '1'] });
    assert.ok([400, 403].includes(stdioNoTransport.status), `an admin PUTting a command without a transport: ${show(stdioNoTransport)}`);
    problem(await put('/api/v1/servers/policy', keys.admin, { transport: 'stdio', command: 'node', args: ['-e', '1'] }),
      403, 'forbidden', 'an admin replacing the policy stdio server');
    const policy = await get('/api/v1/servers/policy', OWNER);
    assert.equal(policy.status, 200, show(policy));
    assert.notEqual(policy.json.origin, 'api', `the policy server is still the catalog file's: ${show(policy)}`);
  } finally {
    await del(`/api/v1/servers/${name}`, OWNER).catch(() => {});
  }
  assert.equal((await get(`/api/v1/servers/${name}`, OWNER)).status, 404, 'no server was added');
});

// ------------------------------------------------------------------ 4. catalog changes

test('4. catalog changes: a run-time entry cannot run commands, read host secrets or reach metadata', { timeout: 90_000 }, async () => {
  const created = new Set();
  let n = 0;
  const fresh = () => {
    const name = `adv${RUN}c${++n}`;
    created.add(name);
    return name;
  };
  const refused = async (who, key, entry, pattern, what) => {
    const name = fresh();
    const r = await put(`/api/v1/servers/${name}`, key, entry);
    const doc = problem(r, 403, 'forbidden', `${who}: ${what}`);
    if (pattern) assert.match(doc.detail, pattern, `${who}: ${what}: the detail names why: ${doc.detail}`);
    const after = await get(`/api/v1/servers/${name}`, OWNER);
    assert.equal(after.status, 404, `${who}: ${what}: no server was added: ${show(after)}`);
    return doc;
  };
  const web = (extra) => ({ transport: 'streamable-http', url: 'http://127.0.0.1:9/mcp', enabled: false, ...extra });
  const allowed = E.SLUICE_ALLOWED_COMMAND;
  try {
    for (const [who, key] of [['owner', OWNER], ['admin', keys.admin]]) {
      const commandRule = who === 'owner' ? /sluice\.registry\.run-time\.commands/ : /owner|sluice\.registry\.run-time\.commands/;
      for (const command of ['/bin/sh', 'sh', 'bash', '/usr/bin/env', 'node', '${env:SLUICE_TEST_MCP_DIR}/../../../bin/sh',
        '/bin/sh -c id']) {
        await refused(who, key, { transport: 'stdio', command, args: ['-c', 'id'] }, commandRule, `stdio command ${command}`);
      }
      const bare = fresh();
      const noTransport = await put(`/api/v1/servers/${bare}`, key, { command: '/bin/sh', args: ['-c', 'id'] });
      assert.ok([400, 403].includes(noTransport.status), `${who}: a command without a transport: ${show(noTransport)}`);
      await refused(who, key, { transport: 'stdio', command: allowed || 'node', cwd: '/etc' },
        who === 'owner' && allowed ? /cwd/ : commandRule, 'a stdio server with cwd');
      for (const header of ['${env:DB_PASSWORD}', 'Bearer ${env:DB_PASSWORD}', '${env:HOME:-x}', '${env:MP_JWT_VERIFY_PUBLICKEY_LOCATION}',
        '${env:SLUICE_IT_POLICY_SECRET}', 'x ${env:SLUICE_UPSTREAM_OK} ${env:PATH}']) {
        await refused(who, key, web({ headers: { Authorization: header } }), /sluice\.registry\.run-time\.env-prefixes/,
          `header ${header}`);
      }
      for (const header of ['${file:/etc/passwd}', '${file:/tmp/../etc/shadow}', 'Bearer ${file:/proc/self/environ}']) {
        await refused(who, key, web({ headers: { Authorization: header } }), /sluice\.registry\.run-time\.file-prefixes/,
          `header ${header}`);
      }
      await refused(who, key, web({ url: 'http://127.0.0.1:9/${env:DB_PASSWORD}' }), /run-time\.env-prefixes|may not/,
        'an environment reference in the url');
      for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://metadata.google.internal/',
        'http://metadata.google.internal./computeMetadata/v1/', 'http://METADATA.GOOGLE.INTERNAL/', 'http://[::ffff:169.254.169.254]/',
        'http://[fe80::1]/', 'http://0.0.0.0:8080/', 'http://224.0.0.1/']) {
        await refused(who, key, web({ url }), /may not reach/, `url ${url}`);
      }
      for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/']) {
        await refused(who, key, { transport: 'sse', url, enabled: false }, /may not reach/, `sse url ${url}`);
      }
    }

    // a sealed value stays in the entry and field it was entered for
    const holder = fresh();
    const literal = `adv-literal-${RUN}`;
    const made = await put(`/api/v1/servers/${holder}`, OWNER, web({ headers: { Authorization: `Bearer ${literal}` } }));
    assert.equal(made.status, 201, `a server with a literal header: ${show(made)}`);
    const definition = await get(`/api/v1/servers/${holder}/definition`, keys.admin);
    assert.equal(definition.status, 200, show(definition));
    assert.ok(!definition.text.includes(literal), `the definition shows no literal secret: ${show(definition)}`);
    const sealed = definition.json.headers?.Authorization;
    assert.match(String(sealed), /^\$\{sealed:[^}]+\}$/, `the header is sealed: ${show(definition)}`);
    for (const [who, key] of [['owner', OWNER], ['admin', keys.admin]]) {
      await refused(who, key, web({ headers: { Authorization: sealed } }), /not sealed for it/, 'a sealed value copied to another entry');
      await refused(who, key, web({ headers: { 'X-Stolen': `prefix ${sealed}` } }), /not sealed for it/,
        'a sealed value copied to another entry and header');
      // the same entry, another field
      const moved = await put(`/api/v1/servers/${holder}`, key, web({ headers: { Authorization: 'Bearer x', 'X-Moved': sealed } }));
      const doc = problem(moved, 403, 'forbidden', `${who}: a sealed value moved to another header of its entry`);
      assert.match(doc.detail, /not sealed for it/, doc.detail);
    }
    const unchanged = await put(`/api/v1/servers/${holder}`, keys.admin, { ...definition.json, description: 'still sealed' });
    assert.equal(unchanged.status, 200, `saving the definition unchanged keeps it sealed: ${show(unchanged)}`);
    const reread = await get(`/api/v1/servers/${holder}/definition`, OWNER);
    assert.equal(reread.json.headers?.Authorization, sealed, `still the same sealed value: ${show(reread)}`);

    // the catalog file's secrets stay references
    const policyDefinition = await get('/api/v1/servers/policy/definition', keys.admin);
    assert.equal(policyDefinition.status, 200, show(policyDefinition));
    if (E.SLUICE_PLANTED_SECRET) {
      assert.ok(!policyDefinition.text.includes(E.SLUICE_PLANTED_SECRET), `the policy definition holds no secret: ${show(policyDefinition)}`);
    }
  } finally {
    for (const name of created) {
      const r = await del(`/api/v1/servers/${name}`, OWNER).catch((e) => ({ status: 0, text: String(e) }));
      assert.ok([204, 404].includes(r.status), `cleaning up ${name}: ${show(r)}`);
    }
  }
});

// ------------------------------------------------------------------ 5. environment

test('5. environment: a stdio upstream sees a minimal environment, never Sluice\'s own', { timeout: 30_000 }, async () => {
  const engineer = await session(keys.engineer);
  const text = resultText(await engineer.callTool('policy__show_env', { names: true }), 'show_env names');
  const names = JSON.parse(text);
  assert.ok(Array.isArray(names), `a JSON list of names: ${text}`);
  assert.ok(names.includes('PATH'), `PATH is inherited: ${text}`);
  assert.ok(names.includes('POLICY_SECRET'), `the entry's own variable is there: ${text}`);
  const forbidden = [/^DB_/, /^MP_JWT/, /^MP_/, /^SLUICE/, /^JAVA_HOME$/, /^JAVA_/, /^JDK_/, /^WLP_/, /^WLP/, /^LIBERTY/, /^OPENJ9/,
    /^IBM_JAVA/, /^JVM_/, /^MAVEN/, /^M2_/, /^CLASSPATH$/, /^OPENAI/, /^ANTHROPIC/, /^PG/, /^REDIS/, /^AWS_/, /^GOOGLE_/,
    /^AZURE_/, /^KEYSTORE/];
  const leaked = names.filter((n) => forbidden.some((re) => re.test(n)));
  assert.deepEqual(leaked, [], `Sluice's own variables leaked to the upstream: ${text}`);
  const secretLooking = names.filter((n) => n !== 'POLICY_SECRET' && /(PASSW|SECRET|TOKEN|API_?KEY|CREDENTIAL|PRIVATE|DSN)/i.test(n));
  assert.deepEqual(secretLooking, [], `secret-looking variables reached the upstream: ${text}`);

  // the value it was given is masked in what it answers, on MCP and REST
  const shown = resultText(await engineer.callTool('policy__show_env', {}), 'show_env');
  assert.match(shown, /^POLICY_SECRET=/, shown);
  const rest = await post('/api/v1/servers/policy/tools/show_env/call', keys.engineer, { arguments: {} });
  assert.equal(rest.status, 200, show(rest));
  if (E.SLUICE_PLANTED_SECRET) {
    assert.ok(!shown.includes(E.SLUICE_PLANTED_SECRET), `the planted secret is masked on MCP: ${shown}`);
    assert.ok(!rest.text.includes(E.SLUICE_PLANTED_SECRET), `the planted secret is masked on REST: ${show(rest)}`);
    assert.match(shown, /\[REDACTED\]/, shown);
  }
  const restNames = await post('/api/v1/servers/policy/tools/show_env/call', keys.engineer, { arguments: { names: true } });
  assert.equal(restNames.status, 200, show(restNames));
  assert.doesNotMatch(restNames.text, /"(DB_|MP_JWT|SLUICE|WLP_|JAVA_HOME)/, `REST show_env names: ${show(restNames)}`);
});

// ------------------------------------------------------------------ 6. SQL

/** Read-only SQL smuggling attempts; `m` is the call's unique marker (a leading comment). */
const SQL_ATTACKS = [
  // statement smuggling through quoting the parser might read differently from PostgreSQL
  "SELECT $x$ ' $x$; DROP TABLE t; --'",
  "SELECT $a$ $b$ $a$; DROP TABLE t; --$b$",
  "SELECT E'\\\\'; DROP TABLE t; --'",
  "SELECT E'\\''; DROP TABLE t; --'",
  "SELECT 1 /* ; */ ; DROP TABLE t",
  'SELECT 1 --x\r; DROP TABLE t',
  'SELECT 1; SELECT 2',
  'select 1;drop table t',
  'SELECT 1; -- hidden\nDELETE FROM t',
  'SELECT 1\n;\nCOPY t FROM PROGRAM \'id\'',
  // side-effect and sleeping functions, however they are spelled or wherever they hide
  'SELECT 1 ORDER BY pg_sleep(600)',
  'SELECT pg_sleep(1)',
  'SELECT PG_SLEEP(1)',
  'SELECT "pg_read_file"(\'/etc/passwd\')',
  'SELECT pg_catalog."pg_sleep"(1)',
  'SELECT pg_catalog.pg_sleep(1)',
  'SELECT U&"pg_sl\\0065ep"(1)',
  'SELECT pg_sleep /**/ (1)',
  "SELECT pg_sleep_for('1s')",
  "SELECT pg_sleep_until(now() + interval '1 second')",
  "SELECT dblink_connect('x')",
  "SELECT * FROM dblink('host=x', 'select 1') AS d(a int)",
  "SELECT lo_from_bytea(0, 'x')",
  "SELECT lo_import('/etc/passwd')",
  "SELECT lo_export(1, '/tmp/x')",
  "SELECT pg_notify('c', 'x')",
  'SELECT pg_advisory_lock(1)',
  'SELECT pg_terminate_backend(1)',
  "SELECT pg_ls_dir('.')",
  "SELECT pg_read_binary_file('/etc/passwd')",
  "SELECT * FROM pg_read_file('/etc/passwd') AS f(x)",
  "SELECT set_config('role', 'postgres', false)",
  "SELECT pg_catalog.set_config('statement_timeout', '0', false)",
  "SELECT current_setting('data_directory', true)",
  "SELECT nextval('s')",
  "SELECT setval('s', 1)",
  "SELECT query_to_xml('delete from t', true, true, '')",
  'SELECT * FROM t GROUP BY pg_sleep(1)',
  'SELECT 1 OFFSET pg_sleep(1)',
  'SELECT count(*) FROM t HAVING count(pg_sleep(1)) > 0',
  'SELECT sum(a) FILTER (WHERE pg_sleep(1) IS NULL) FROM t',
  'SELECT row_number() OVER (ORDER BY pg_sleep(1)) FROM t',
  "SELECT count(*) OVER (PARTITION BY pg_read_file('/etc/passwd')) FROM t",
  'SELECT (SELECT pg_sleep(1))',
  'SELECT 1 WHERE EXISTS (SELECT pg_sleep(1))',
  'SELECT 1 UNION SELECT pg_sleep(1)',
  'SELECT CASE WHEN true THEN pg_sleep(1) END',
  'SELECT COALESCE(NULL, pg_sleep(1))',
  'SELECT ARRAY[pg_sleep(1)]',
  'SELECT pg_sleep(1)::text',
  'SELECT * FROM t WHERE a IN (SELECT pg_sleep(1))',
  'SELECT * FROM t ORDER BY (SELECT pg_sleep(1))',
  'SELECT * FROM t, LATERAL (SELECT pg_sleep(1)) s',
  'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT pg_sleep(1)::int FROM r) SELECT * FROM r',
  // queries that write, lock or are no queries at all
  'WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x',
  'WITH x AS (INSERT INTO t VALUES (1) RETURNING *) SELECT * FROM x',
  'WITH x AS (SELECT 1) UPDATE t SET a = 1',
  'SELECT * INTO t2 FROM t',
  'SELECT 1 INTO TEMP TABLE t2',
  'SELECT * FROM t FOR UPDATE',
  'SELECT * FROM t FOR SHARE',
  'SELECT * FROM t FOR NO KEY UPDATE SKIP LOCKED',
  "COPY t TO '/tmp/x'",
  "COPY (SELECT 1) TO PROGRAM 'id'",
  'DO $$ BEGIN PERFORM 1; END $$',
  'SET ROLE postgres',
  'SET search_path TO evil',
  'RESET ALL',
  'CALL p()',
  'EXPLAIN ANALYZE DELETE FROM t',
  'EXPLAIN ANALYZE SELECT pg_sleep(1)',
  'PREPARE p AS DELETE FROM t',
  'EXECUTE p',
  'LISTEN c',
  'NOTIFY c',
  'VACUUM t',
  'INSERT INTO t VALUES (1)',
  'UPDATE t SET a = 1',
  'DELETE FROM t',
  'DROP TABLE t',
  'TRUNCATE t',
  'GRANT ALL ON t TO public',
  'ALTER TABLE t ADD c int',
  'CREATE TABLE t2 (a int)',
  'BEGIN',
  'SELEC * FROM t',
];

/** Queries a read-only SQL tool must take (policy__run_query echoes them). */
const SQL_BENIGN = [
  'SELECT 1',
  'select count(*) from orders',
  'SELECT region, count(*) AS n, sum(amount) AS total FROM orders GROUP BY region ORDER BY 2 DESC',
  'SELECT id, row_number() OVER (ORDER BY created_at) AS rn FROM orders',
  'SELECT region, rank() OVER (PARTITION BY region ORDER BY amount DESC) FROM orders',
  "SELECT lower('A') || upper('b')",
  'WITH recent AS (SELECT * FROM orders WHERE id > 10) SELECT count(*) FROM recent',
  'WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT y FROM b',
  'SELECT a FROM t UNION ALL SELECT b FROM u',
  "SELECT avg(amount), min(amount), max(amount) FROM orders WHERE status = 'paid' GROUP BY status HAVING count(*) > 1",
  "SELECT coalesce(name, 'none') FROM customers ORDER BY name LIMIT 10 OFFSET 5",
  'SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 1',
  "SELECT 'it''s ; DROP TABLE t' AS s",
  `/* ok-${RUN} */ SELECT 1`,
];

test('6. SQL: smuggled statements and side effects never reach a read-only SQL tool', { timeout: 120_000 }, async () => {
  assert.ok(SQL_ATTACKS.length >= 40, 'at least 40 attacks');
  const analyst = await session(keys.analyst);
  const prefix = `advsql${RUN}`;
  const before = (await callsSeen()).length;
  const accepted = [];
  const check = (answer, what) => {
    if (!answer.error) {
      accepted.push(`${what}: ${JSON.stringify(answer).slice(0, 300)}`);
      return;
    }
    rpcError(answer, -32602, 'sql-refused', what);
  };
  for (const [i, attack] of SQL_ATTACKS.entries()) {
    const sql = `/* ${prefix}n${i}m */ ${attack}`;
    const started = Date.now();
    check(await analyst.callTool('policy__run_query', { sql }), `policy__run_query ${JSON.stringify(attack)}`);
    check(await analyst.callTool('postgres__query', { sql: `/* ${prefix}n${i}p */ ${attack}` }), `postgres__query ${JSON.stringify(attack)}`);
    const rest = await post('/api/v1/servers/policy/tools/run_query/call', keys.analyst, { arguments: { sql: `/* ${prefix}n${i}r */ ${attack}` } });
    if (rest.status !== 400 || rest.json?.type !== `${PROBLEMS}sql-refused`) accepted.push(`REST run_query ${JSON.stringify(attack)}: ${show(rest)}`);
    assert.ok(Date.now() - started < 15_000, `${JSON.stringify(attack)} was answered at once, not after running`);
  }
  assert.deepEqual(accepted, [], `${accepted.length} attacks were not refused with sql-refused`);
  const seen = (await callsSeen()).slice(before);
  assert.deepEqual(seen.filter((c) => c.includes(prefix)), [], 'no attack reached the policy upstream');

  for (const sql of SQL_BENIGN) {
    const answer = await analyst.callTool('policy__run_query', { sql });
    assert.equal(resultText(answer, `benign ${JSON.stringify(sql)}`), sql, `a benign query is passed on unchanged: ${sql}`);
  }
  const rest = await post('/api/v1/servers/policy/tools/run_query/call', keys.analyst, { arguments: { sql: SQL_BENIGN[2] } });
  assert.equal(rest.status, 200, `a benign query over REST: ${show(rest)}`);
  const after = await callsSeen();
  for (const sql of SQL_BENIGN) {
    assert.ok(after.some((c) => c.startsWith('run_query ') && JSON.parse(c.slice('run_query '.length)).sql === sql),
      `the upstream received the benign query ${JSON.stringify(sql)}`);
  }
  // real PostgreSQL answers benign queries
  for (const [sql, expected] of [
    ['SELECT 1 AS one', /one/],
    ["SELECT lower('A') || upper('b') AS s", /aB/],
    ['WITH x AS (SELECT 1 AS a UNION ALL SELECT 2) SELECT count(*) AS n, sum(a) AS total FROM x', /total/],
    ['SELECT a, row_number() OVER (ORDER BY a) AS rn FROM (SELECT 1 AS a UNION ALL SELECT 2) s GROUP BY a ORDER BY a', /rn/],
  ]) {
    const text = resultText(await analyst.callTool('postgres__query', { sql }), `postgres ${sql}`);
    assert.match(text, expected, `postgres answered ${sql}: ${text}`);
  }
});

// ------------------------------------------------------------------ 7. bodies

test('7. bodies: a chunked body over the limit is refused with 413, not read', { timeout: 90_000 }, async () => {
  const total = 6 * 1024 * 1024;
  const cases = [
    ['/api/v1/api-keys', { Authorization: `Bearer ${keys.viewer}`, 'Content-Type': 'application/json' },
      `{"name":"adv-huge-${RUN}","role":"viewer","pad":"`],
    ['/mcp', { Authorization: `Bearer ${keys.viewer}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"pad":"'],
    ['/api/v1/servers/policy/tools/run_query/call', { Authorization: `Bearer ${keys.analyst}`, 'Content-Type': 'application/json' },
      '{"arguments":{"sql":"SELECT \''],
  ];
  for (const [target, headers, prefix] of cases) {
    const r = await chunkedFlood(target, headers, prefix, total);
    assert.equal(r.status, 413, `chunked ${total} bytes to ${target}: expected 413, got ${r.status || 'no answer'}`
      + ` after sending ${r.sent} bytes${r.error ? ` (${r.error.message})` : ''}: ${String(r.text).slice(0, 500)}`);
    if (r.json) {
      const type = r.json.type ?? r.json.error?.data?.type;
      assert.equal(type, `${PROBLEMS}payload-too-large`, `the answer says payload-too-large: ${r.text.slice(0, 500)}`);
    }
  }
  // a declared length over the limit is refused before anything is read
  const declared = await rawExchange(rawRequest('POST', '/api/v1/api-keys',
    { Authorization: `Bearer ${keys.viewer}`, 'Content-Type': 'application/json', 'Content-Length': String(total) }, null) + '{"name":',
    { timeout: 5000 });
  assert.equal(declared.status, 413, `a declared ${total}-byte body: ${declared.status} ${declared.text?.slice(0, 300)}`);
  const check = await get('/api/v1/api-keys', OWNER);
  assert.ok(!check.text.includes(`adv-huge-${RUN}`), 'no key was created from a huge body');
});

// ------------------------------------------------------------------ 10. 401 ids

test('10. 401 ids: an unauthenticated JSON-RPC request is answered with its own id', { timeout: 30_000 }, async () => {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  for (const [id, body] of [
    ['probe-7', '{"jsonrpc":"2.0","id":"probe-7","method":"tools/list"}'],
    [42, '{"jsonrpc":"2.0","id":42,"method":"tools/list"}'],
    [0, '{"jsonrpc":"2.0","id":0,"method":"initialize","params":{}}'],
    [null, '{"jsonrpc":"2.0","id":"unterminated'],
    [null, 'this is not JSON at all'],
    [null, ''],
    [null, '{"jsonrpc":"2.0","method":"notifications/initialized"}'],
  ]) {
    const r = await call('POST', '/mcp', { rawBody: body, headers });
    assert.equal(r.status, 401, `POST /mcp ${JSON.stringify(body)} without credentials: ${show(r)}`);
    assert.match(r.headers.get('www-authenticate') || '', /^Bearer resource_metadata="/, `the challenge: ${show(r)}`);
    assert.ok(r.json, `a JSON-RPC body: ${show(r)}`);
    assert.equal(r.json.jsonrpc, '2.0', show(r));
    assert.ok('id' in r.json, `an id member: ${show(r)}`);
    assert.deepEqual(r.json.id, id, `the id of ${JSON.stringify(body)}: ${show(r)}`);
    rpcError(r.json, -32010, 'unauthenticated', `401 to ${JSON.stringify(body)}`);
  }
  // an invented key: the same, with reason unknown-key, and the id kept
  const keyed = await call('POST', '/mcp', { key: inventedKey(), rawBody: '{"jsonrpc":"2.0","id":"probe-8","method":"tools/list"}', headers });
  assert.equal(keyed.status, 401, show(keyed));
  assert.equal(keyed.json?.id, 'probe-8', show(keyed));
  rpcError(keyed.json, -32010, 'unauthenticated', 'an invented key');
});

// ------------------------------------------------------------------ 11. tokens

test('11. tokens: forged, unsigned and foreign tokens are refused; groups give no role the node did not grant', { timeout: 60_000 }, async (t) => {
  // a JWKS server of our own: a verifier that followed jku/x5u would fetch it
  const jwksHits = [];
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'it-rsa-1', alg: 'RS256', use: 'sig' };
  const jwks = http.createServer((req, res) => {
    jwksHits.push(req.url);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise((ok) => jwks.listen(0, '127.0.0.1', ok));
  const jwksUrl = `http://127.0.0.1:${jwks.address().port}`;
  try {
    const owner = claims(['owner']);
    const forged = {
      'alg none (crafted)': `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(owner)}.`,
      'alg None': `${b64url({ alg: 'None', typ: 'JWT' })}.${b64url(owner)}.`,
      'alg NONE': `${b64url({ alg: 'NONE', typ: 'JWT' })}.${b64url(owner)}.`,
      'alg none without a signature part': `${b64url({ alg: 'none' })}.${b64url(owner)}`,
      'RS256 with an empty signature': `${b64url({ alg: 'RS256', typ: 'JWT', kid: 'it-rsa-1' })}.${b64url(owner)}.`,
      'an embedded jwk': rs256({ alg: 'RS256', typ: 'JWT', kid: 'it-rsa-1', jwk: publicKey.export({ format: 'jwk' }) }, owner, privateKey),
      'a jku header': rs256({ alg: 'RS256', typ: 'JWT', kid: 'it-rsa-1', jku: `${jwksUrl}/jku.json` }, owner, privateKey),
      'an x5u header': rs256({ alg: 'RS256', typ: 'JWT', kid: 'it-rsa-1', x5u: `${jwksUrl}/x5u.pem` }, owner, privateKey),
      'our own key under the trusted kid': rs256({ alg: 'RS256', typ: 'JWT', kid: 'it-rsa-1' }, owner, privateKey),
      'a kid path traversal': `${b64url({ alg: 'HS256', typ: 'JWT', kid: '../../../../../../dev/null' })}.${b64url(owner)}.`
        + `${createHmacBase64('', `${b64url({ alg: 'HS256', typ: 'JWT', kid: '../../../../../../dev/null' })}.${b64url(owner)}`)}`,
      'not a JWT': 'eyJhbGciOiJub25lIn0',
      'garbage with dots': 'a.b.c',
    };
    for (const [variable, label] of [['SLUICE_TOKEN_ALG_NONE', 'alg none (test IdP)'],
      ['SLUICE_TOKEN_WRONG_AUDIENCE', 'another audience'], ['SLUICE_TOKEN_STRANGER', 'signed by a stranger'],
      ['SLUICE_TOKEN_HS256_PUBLIC_KEY', 'HS256 with the public key'], ['SLUICE_TOKEN_EXPIRED', 'expired']]) {
      if (E[variable]) forged[label] = E[variable];
      else t.diagnostic(`${variable} unset: '${label}' not tried`);
    }
    const valid = E.SLUICE_TOKEN_ANALYST;
    if (valid) {
      const me = await get('/api/v1/me', valid);
      assert.equal(me.status, 200, `the valid analyst token is accepted (positive control): ${show(me)}`);
      assert.equal(me.json.role, 'analyst', show(me));
      const [h, p, s] = valid.split('.');
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      forged['the valid signature over a payload lifted to owner'] = `${h}.${b64url({ ...payload, groups: ['owner'] })}.${s}`;
      forged['the valid token with alg none'] = `${b64url({ alg: 'none', typ: 'JWT' })}.${p}.`;
      forged['the valid token with its signature cut'] = `${h}.${p}.`;
      forged['the valid token with a flipped signature'] = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    } else {
      t.diagnostic('SLUICE_TOKEN_ANALYST unset: no positive control and no signature-swap forgery');
    }
    for (const [label, token] of Object.entries(forged)) {
      const rest = await unthrottled(() => get('/api/v1/me', token));
      problem(rest, 401, 'unauthenticated', `REST with ${label}`);
      assert.match(rest.headers.get('www-authenticate') || '', /^Bearer resource_metadata="/, `the challenge for ${label}`);
      assert.ok(!rest.text.includes(token), `the answer does not echo the token (${label})`);
      const mcp = await unthrottled(() => call('POST', '/mcp', { key: token, body: INITIALIZE(7),
        headers: { Accept: 'application/json, text/event-stream' } }));
      assert.equal(mcp.status, 401, `MCP initialize with ${label}: ${show(mcp)}`);
      rpcError(mcp.json, -32010, 'unauthenticated', `MCP with ${label}`);
      assert.equal(mcp.json.id, 7, `the 401 keeps the request's id (${label}): ${show(mcp)}`);
      assert.ok(!mcp.headers.get('mcp-session-id'), `no session for ${label}`);
    }
    assert.deepEqual(jwksHits, [], 'the node fetched keys from a URL a token named');

    const mapped = E.SLUICE_TOKEN_GROUP_ADMIN_MAPPED;
    if (mapped) {
      const me = await get('/api/v1/me', mapped);
      assert.equal(me.status, 200, `a token whose group the node maps to admin: ${show(me)}`);
      assert.equal(me.json.role, 'admin', `the mapped group grants admin (positive control): ${show(me)}`);
    }
    const unmapped = E.SLUICE_TOKEN_GROUP_ADMIN_UNMAPPED;
    if (unmapped) {
      const me = await unthrottled(() => get('/api/v1/me', unmapped));
      if (me.status === 200) {
        assert.ok(!['admin', 'owner'].includes(me.json.role), `groups ["admin"] made the caller ${me.json.role}: ${show(me)}`);
        assert.notEqual(me.json.can?.admin, true, `groups ["admin"] gave admin rights: ${show(me)}`);
      } else {
        assert.ok([401, 403].includes(me.status), `a token with an unmapped admin group: ${show(me)}`);
      }
      const audit = await unthrottled(() => get('/api/v1/audit?limit=1', unmapped));
      assert.ok([401, 403].includes(audit.status), `the audit trail with an unmapped admin group: ${show(audit)}`);
      const key = await unthrottled(() => createKey(unmapped, { name: `adv-by-group-${RUN}`, role: 'viewer' }));
      assert.ok([401, 403].includes(key.status), `creating a key with an unmapped admin group: ${show(key)}`);
      const name = `adv${RUN}g`;
      const server = await unthrottled(() => put(`/api/v1/servers/${name}`, unmapped,
        { transport: 'streamable-http', url: 'http://127.0.0.1:9/mcp', enabled: false }));
      if (server.status === 201) await del(`/api/v1/servers/${name}`, OWNER);
      assert.ok([401, 403].includes(server.status), `changing the catalog with an unmapped admin group: ${show(server)}`);
    } else {
      t.diagnostic('SLUICE_TOKEN_GROUP_ADMIN_UNMAPPED unset: the group-mapping attack was not tried');
    }
  } finally {
    await new Promise((ok) => jwks.close(ok));
  }
});

function createHmacBase64(secret, input) {
  // HS256 with an empty secret, as a forger pointing kid at /dev/null would sign
  return createHmac('sha256', secret).update(input).digest('base64url');
}

// ------------------------------------------------------------------ 8. paths (after the token attacks: a throttle may answer 429)

test('8. paths: no spelling of /mcp gets past authentication', { timeout: 90_000 }, async () => {
  const discover = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'server/discover',
    params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } } });
  const initialize = JSON.stringify(INITIALIZE(1));
  const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list',
    params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } } });
  // POSTed JSON-RPC: every spelling a container might map to /mcp (or the legacy /messages)
  const mcpPaths = ['/mcp', '/%6Dcp', '/%6dcp', '/%6D%63%70', '/m%63p', '//mcp', '///mcp', '/./mcp', '/mcp/', '/mcp/.', '/mcp/./',
    '/api/v1/../mcp', '/api/v1/%2e%2e/mcp', '/mcp;jsessionid=x', '/mcp;x', '/;x/mcp', '/MCP', '/Mcp', '/mcp%2f', '/%2fmcp',
    '/health/../mcp', '/health/..;/mcp', '/admin/../mcp', '/admin/..;/mcp', '/admin/%2e%2e/mcp', '/openapi/../mcp',
    '/metrics/../mcp', '/.well-known/oauth-protected-resource/../../mcp', '/.well-known/../mcp', '/x/../mcp', '/mcp/../mcp',
    '/sse/../mcp', '/%6Dcp/', '/%2e/mcp', '/mcp?x=1', '/mcp%3Bx', '/mcp/..%2fmcp', '/admin/..%2fmcp', '/%6Dessages',
    '/messages;x', '/health/..;/messages'];
  // GETs of the legacy event stream and of the REST API, spelled around the filter
  const getPaths = ['/%73se', '/sse;x', '/health/..;/sse', '/admin/../sse', '//sse', '/%61pi/v1/api-keys', '/api;x/v1/api-keys',
    '/health/../api/v1/api-keys', '/admin/../api/v1/api-keys', '/admin/..;/api/v1/api-keys', '//api/v1/api-keys',
    '/API/v1/api-keys', '/api/v1/%61pi-keys', '/api/v1/api-keys;x', '/.well-known/../api/v1/me', '/%61pi/v1/audit'];
  const bad = [];
  const judge = (what, r) => {
    if (r.status === 0) {
      // the server closed the connection without an answer: nothing was served, unless it hung
      if (r.error && r.error.message.startsWith('no end')) bad.push(`${what}: hung`);
      return;
    }
    const line = `${what}: ${r.status} ${String(r.text).slice(0, 300)}`;
    // Liberty routes /health/../x to its own (public) health application, and answers some such
    // spellings with a web-container 500 (SRVE0232E) before any application sees them: neither is MCP
    const publicHealth = r.status === 200 && /^\{"status":"(UP|DOWN)","checks":/.test(String(r.text));
    const containerError = r.status === 500 && /SRVE0232E/.test(String(r.text)) && !/jsonrpc/.test(String(r.text));
    if (publicHealth || containerError) return;
    if (![400, 401, 403, 404, 405, 429].includes(r.status)) bad.push(line);
    else if (/"result"\s*:/.test(r.text) || /sk-sluice-/.test(r.text) || /"subject"\s*:/.test(r.text) || r.headers.get('mcp-session-id')) {
      bad.push(`${line} (served)`);
    }
  };
  for (const p of mcpPaths) {
    for (const [label, body, extra] of [
      ['server/discover', discover, { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'server/discover' }],
      ['initialize', initialize, {}],
      ['tools/list', list, { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' }],
    ]) {
      // a 429 left by the token attacks' failures is waited out: requests without credentials add none
      const r = await unthrottled(() => rawExchange(rawRequest('POST', p,
        { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...extra }, body), { timeout: 8000 }));
      judge(`POST ${label} ${p}`, r);
      if (p === '/mcp' && label === 'initialize') {
        assert.equal(r.status, 401, `the plain path is challenged: ${show(r)}`);
        assert.match(r.headers.get('www-authenticate') || '', /^Bearer resource_metadata="/, `the challenge on ${p}`);
      }
    }
  }
  for (const p of getPaths) {
    judge(`GET ${p}`, await unthrottled(() => rawExchange(rawRequest('GET', p, { Accept: 'application/json, text/event-stream' }, null),
      { timeout: 8000 })));
  }
  assert.deepEqual(bad, [], `${bad.length} unauthenticated requests were served`);
});

// ------------------------------------------------------------------ 9. floods (last: a throttle may slow this client down)

test('9. floods: invented keys are refused and do not flood the audit trail', { timeout: 90_000 }, async () => {
  const since = new Date().toISOString();
  const flood = `/api/v1/flood-${RUN}`;
  const statuses = [];
  const bad = [];
  for (let batch = 0; batch < 6; batch++) {
    const answers = await Promise.all(Array.from({ length: 10 }, async (_, i) => {
      const key = inventedKey();
      const r = i % 2 === 0
        ? await get(i % 4 === 0 ? '/api/v1/api-keys' : flood, key)
        : await call('POST', '/mcp', { key, body: INITIALIZE(i), headers: { Accept: 'application/json, text/event-stream' } });
      return r;
    }));
    for (const r of answers) {
      statuses.push(r.status);
      if (r.status === 429) {
        if (!/^\d+$/.test(r.headers.get('retry-after') || '')) bad.push(`429 without Retry-After: ${show(r)}`);
      } else if (r.status !== 401) {
        bad.push(show(r));
      }
    }
  }
  assert.equal(statuses.length, 60);
  assert.deepEqual(bad, [], `invented keys got answers other than 401/429: ${bad.join(' | ')}`);
  assert.ok(!statuses.some((s) => s >= 200 && s < 300), `never a success: ${statuses}`);

  // the owner still works (a throttle may ask it to wait), and finds the flood aggregated in the audit trail
  let records = [];
  const deadline = Date.now() + 20_000;
  for (;;) {
    const audit = await get(`/api/v1/audit?action=authenticate&since=${encodeURIComponent(since)}&limit=1000`, OWNER);
    if (audit.status === 429 && Date.now() < deadline) {
      const wait = Math.min(5, Number(audit.headers.get('retry-after') || 1));
      await sleep(wait * 1000 + 100);
      continue;
    }
    assert.equal(audit.status, 200, `the owner reads the audit trail after the flood: ${show(audit)}`);
    assert.ok(Array.isArray(audit.json), show(audit));
    records = audit.json;
    if (records.length > 0 || Date.now() > deadline) break;
    await sleep(1000); // an aggregate may be written a moment later
  }
  assert.ok(records.length > 0, 'the failed authentications are audited');
  assert.ok(records.length < 60, `60 invented keys from one client made ${records.length} authentication records; `
    + `repeated failures should be aggregated: ${JSON.stringify(records.slice(0, 3)).slice(0, 800)}`);
  for (const record of records) {
    assert.doesNotMatch(JSON.stringify(record), /sk-sluice-[A-Za-z0-9]{20}/, `no presented key in an audit record: ${JSON.stringify(record)}`);
  }
});
