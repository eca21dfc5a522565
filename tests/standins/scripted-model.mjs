// The part that the language-model stand-ins (openai-chat.mjs, anthropic-messages.mjs) share: the
// command line (--port, --key, --models, --script FILE), the scripted conversations (turn queues and
// their validation), the request log and its redaction, the test-control endpoints (/_script,
// /_requests), the `[conversation:<id>]` marker search, turn delays (delayMs), scripted errors with
// their retry-after header, usage estimation, and the HTTP plumbing (reading the body, answering
// JSON, one log line per request, SIGINT/SIGTERM). Each stand-in passes what its API does
// differently: paths, header checks, request validation, and the shapes of answers and errors.
// Node.js 20 standard library only.
//
//   runScriptedModel({
//     tag,             log prefix, e.g. 'openai-standin'
//     usage, about,    usage line and one-line description (--help, bad arguments, `listening` line)
//     port,            default --port
//     defaultModels,   default --models, comma-separated
//     stringArguments, true when toolCalls[].arguments may also be a raw JSON string
//     path,            the model endpoint (POST), e.g. '/v1/messages'
//     markerIn(b),          the parts of a request body searched for the conversation marker, in order
//     secretHeaders,        request headers logged by /_requests as true/false (present or not), in order
//     checkHeaders(req, key), [status, body] when the headers are refused (401 logs as `auth`, any
//                           other status as `invalid`), else null; also guards /v1/models; key is
//                           --key or null
//     validate(b, req),     [status, body] when the request is refused (b is undefined when the body
//                           is not JSON), else null
//     offeredTools(b),      the tool names the request offers (a scripted call to another one is noted)
//     scriptedError(e, b),  [status, body] for a scripted `error` turn (b may be undefined: the 500 of
//                           an internal error is scriptedError({status: 500}))
//     answer(b, turn, usage), [body, stop reason] for a turn; usage is {prompt, completion, cached} (left-out
//                           counts estimated) or null for `"usage": null`
//     modelList(ids), modelInfo(id),  bodies of GET /v1/models and GET /v1/models/{id}
//     notFound(method, path),         [404, body] for any other path
//     apiHeaders(body),     extra headers of every answer under /v1/ (it may also stamp the body)
//     logAuth(req)          what the log line says about the credentials, e.g. ' auth=Bearer'
//   })
//
// The log line is `TAG: METHOD PATH -> STATUS`, plus ` conversation=ID REPLY` for the model
// endpoint (REPLY: the stop reason, `(no usage)` added when the turn said so, `error N`, `auth`,
// `invalid`), plus logAuth(req). Control endpoints need no key and answer {"error": "..."} on a
// fault. See README.md for the script format.

import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { commandLine } from './cli.mjs';

const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** n random base-62 characters, for generated ids. */
export const rand = (n) => Array.from(crypto.randomBytes(n), (b) => B62[b % 62]).join('');
/** True for a plain JSON object (not null, not an array). */
export const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

const MARKER = /\[conversation:([^\]\s]+)\]/;

/** The first `[conversation:<id>]` in any string under the given values, in document order. */
function findConversation(...roots) {
  let found = null;
  const walk = (v) => {
    if (found) return;
    if (typeof v === 'string') { const m = MARKER.exec(v); if (m) found = m[1]; }
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) Object.values(v).forEach(walk);
  };
  roots.forEach(walk);
  return found ?? 'default';
}

const TURN_KEYS = new Set(['text', 'toolCalls', 'usage', 'delayMs', 'error', 'stop']);

/** Returns an error string when a scripted turn is malformed, else null. */
function checkTurn(t, where, stringArguments) {
  if (!isObj(t)) return `${where}: a turn must be an object`;
  for (const k of Object.keys(t)) if (!TURN_KEYS.has(k)) return `${where}: unknown field "${k}" (allowed: ${[...TURN_KEYS].join(', ')})`;
  if (t.text === undefined && t.toolCalls === undefined && t.error === undefined) return `${where}: a turn needs "text", "toolCalls" or "error"`;
  if (t.text !== undefined && typeof t.text !== 'string') return `${where}.text: must be a string`;
  if (t.toolCalls !== undefined) {
    if (!Array.isArray(t.toolCalls) || t.toolCalls.length === 0) return `${where}.toolCalls: must be a non-empty array`;
    for (const [i, c] of t.toolCalls.entries()) {
      if (!isObj(c) || typeof c.name !== 'string' || !c.name) return `${where}.toolCalls[${i}]: needs a "name"`;
      if (c.arguments !== undefined && !isObj(c.arguments)) {
        if (!stringArguments) return `${where}.toolCalls[${i}].arguments: must be an object (tool_use input is always a JSON object)`;
        if (typeof c.arguments !== 'string') return `${where}.toolCalls[${i}].arguments: must be an object or a JSON string`;
      }
      if (c.id !== undefined && typeof c.id !== 'string') return `${where}.toolCalls[${i}].id: must be a string`;
    }
  }
  if (t.usage !== undefined && t.usage !== null) {
    if (!isObj(t.usage)) return `${where}.usage: must be an object or null`;
    for (const k of ['prompt', 'completion', 'cached']) if (t.usage[k] !== undefined && !(Number.isInteger(t.usage[k]) && t.usage[k] >= 0)) return `${where}.usage.${k}: must be a non-negative integer`;
    if (t.usage.cached !== undefined && t.usage.prompt !== undefined && t.usage.cached > t.usage.prompt) return `${where}.usage.cached: must not exceed usage.prompt`;
  }
  if (t.delayMs !== undefined && !(Number.isFinite(t.delayMs) && t.delayMs >= 0)) return `${where}.delayMs: must be a non-negative number`;
  if (t.stop !== undefined && typeof t.stop !== 'string') return `${where}.stop: must be a string`;
  if (t.error !== undefined) {
    const e = t.error;
    if (!isObj(e) || !Number.isInteger(e.status) || e.status < 400 || e.status > 599) return `${where}.error: needs "status" between 400 and 599`;
    if (e.retryAfter !== undefined && e.retryAfter !== null && !(Number.isFinite(e.retryAfter) && e.retryAfter >= 0)) return `${where}.error.retryAfter: must be a number of seconds or null`;
  }
  return null;
}

const estimate = (chars) => Math.ceil(chars / 4);

/**
 * The token counts of a turn's answer: the scripted ones, a left-out one estimated (prompt =
 * ceil(request body chars / 4), completion = ceil(reply chars / 4), the reply being the text plus
 * each tool call's name and arguments as JSON); null for `"usage": null`.
 */
function usageOf(turn, raw) {
  if (turn.usage === null) return null;
  const args = (c) => (typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}));
  const replyChars = (turn.text ?? '').length + (turn.toolCalls ?? []).reduce((n, c) => n + c.name.length + args(c).length, 0);
  const prompt = turn.usage?.prompt ?? estimate(raw.length);
  return { prompt, completion: turn.usage?.completion ?? estimate(replyChars), cached: Math.min(turn.usage?.cached ?? 0, prompt) };
}

/** Starts a scripted model stand-in; `api` is described at the top of this file. */
export function runScriptedModel(api) {
  const { tag } = api;
  const { opt, usage, port } = commandLine(tag, api.usage, api.about, api.port);
  const key = opt('--key', null);
  const knownModels = new Set(opt('--models', api.defaultModels).split(',').map((s) => s.trim()).filter(Boolean));
  const scriptFile = opt('--script', null);

  // ---------------------------------------------------------------- script state
  const queues = new Map();   // conversation -> turns still to answer
  const received = new Map(); // conversation -> recorded requests
  let seq = 0;

  function setTurns(conversation, turns, append) {
    if (typeof conversation !== 'string' || !conversation) return '"conversation" must be a non-empty string';
    if (!Array.isArray(turns)) return '"turns" must be an array';
    for (const [i, t] of turns.entries()) { const bad = checkTurn(t, `turns[${i}]`, api.stringArguments); if (bad) return bad; }
    queues.set(conversation, [...(append ? queues.get(conversation) ?? [] : []), ...structuredClone(turns)]);
    return null;
  }
  if (scriptFile) {
    let map;
    try { map = JSON.parse(fs.readFileSync(scriptFile, 'utf8')); } catch (e) { usage(`--script ${scriptFile}: ${e.message}`); }
    if (!isObj(map)) usage(`--script ${scriptFile}: must be a JSON object {conversation: [turns]}`);
    for (const [id, turns] of Object.entries(map)) { const bad = setTurns(id, turns, false); if (bad) usage(`--script ${scriptFile}: conversation "${id}": ${bad}`); }
  }

  function redactedHeaders(h) {
    const out = { ...h };
    for (const name of api.secretHeaders) out[name] = h[name] !== undefined;
    return out;
  }

  // ---------------------------------------------------------------- model endpoint
  async function modelRequest(req, raw) {
    let b;
    try { b = JSON.parse(raw); } catch { b = undefined; }
    const conversation = isObj(b) ? findConversation(...api.markerIn(b)) : 'default';
    const entry = { seq: ++seq, at: new Date().toISOString(), method: req.method, path: req.url, headers: redactedHeaders(req.headers), body: b === undefined ? raw : b, status: 0, reply: null };
    if (!received.has(conversation)) received.set(conversation, []);
    received.get(conversation).push(entry);
    const finish = (status, body, reply) => { entry.status = status; entry.reply = reply; return { status, body, conversation, reply }; };

    const denied = api.checkHeaders(req, key);
    if (denied) return finish(...denied, denied[0] === 401 ? 'auth' : 'invalid');
    const bad = api.validate(b, req);
    if (bad) return finish(...bad, 'invalid');

    knownModels.add(b.model);
    const queue = queues.get(conversation);
    const turn = queue && queue.length ? queue.shift() : { text: '(no scripted reply left)' };
    const offered = new Set(api.offeredTools(b));
    for (const c of turn.toolCalls ?? []) if (!offered.has(c.name)) process.stderr.write(`${tag}: note: conversation ${conversation} calls tool "${c.name}", which the request did not offer\n`);
    if (turn.delayMs) await new Promise((r) => setTimeout(r, turn.delayMs));
    if (turn.error) {
      const [status, body] = api.scriptedError(turn.error, b);
      const retryAfter = turn.error.retryAfter !== undefined ? turn.error.retryAfter : (turn.error.status === 429 ? 1 : null);
      return { ...finish(status, body, `error ${status}`), headers: retryAfter === null ? {} : { 'retry-after': String(retryAfter) } };
    }
    const [out, stop] = api.answer(b, turn, usageOf(turn, raw));
    return finish(200, out, stop + (turn.usage === null ? ' (no usage)' : ''));
  }

  // ---------------------------------------------------------------- control endpoints
  function control(method, url, raw) {
    const conv = url.searchParams.get('conversation');
    if (url.pathname === '/_script') {
      if (method === 'POST') {
        let s;
        try { s = JSON.parse(raw); } catch (e) { return [400, { error: `body is not JSON: ${e.message}` }]; }
        if (!isObj(s)) return [400, { error: 'body must be {"conversation": id, "turns": [...]}' }];
        const bad = setTurns(s.conversation, s.turns, s.append === true);
        return bad ? [400, { error: bad }] : [200, { conversation: s.conversation, queued: queues.get(s.conversation).length }];
      }
      if (method === 'GET') return [200, Object.fromEntries([...queues].filter(([id]) => conv === null || id === conv))];
      if (method === 'DELETE') { if (conv === null) queues.clear(); else queues.delete(conv); return [200, { cleared: conv ?? 'all' }]; }
    }
    if (url.pathname === '/_requests') {
      if (method === 'GET') return conv === null ? [200, Object.fromEntries(received)] : [200, received.get(conv) ?? []];
      if (method === 'DELETE') { if (conv === null) received.clear(); else received.delete(conv); return [200, { cleared: conv ?? 'all' }]; }
    }
    return [405, { error: `${method} ${url.pathname} is not supported` }];
  }

  // ---------------------------------------------------------------- HTTP
  async function route(req, url, raw) {
    if (url.pathname === '/_script' || url.pathname === '/_requests') return control(req.method, url, raw);
    if (url.pathname === api.path && req.method === 'POST') {
      const r = await modelRequest(req, raw);
      return [r.status, r.body, r.headers ?? {}, ` conversation=${r.conversation} ${r.reply}`];
    }
    if (url.pathname === '/v1/models' && req.method === 'GET') return api.checkHeaders(req, key) ?? [200, api.modelList([...knownModels])];
    if (url.pathname.startsWith('/v1/models/') && req.method === 'GET') {
      return api.checkHeaders(req, key) ?? [200, api.modelInfo(decodeURIComponent(url.pathname.slice('/v1/models/'.length)))];
    }
    return api.notFound(req.method, url.pathname);
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, 'http://127.0.0.1');
      let status; let body; let headers; let note;
      try {
        [status, body, headers = {}, note = ''] = await route(req, url, raw);
      } catch (e) {
        process.stderr.write(`${tag}: internal error: ${e.stack}\n`);
        [status, body] = api.scriptedError({ status: 500 });
        headers = {}; note = '';
      }
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json');
      if (url.pathname.startsWith('/v1/')) for (const [k, v] of Object.entries(api.apiHeaders(body))) res.setHeader(k, v);
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      const out = JSON.stringify(body);
      res.setHeader('Content-Length', Buffer.byteLength(out));
      res.end(out);
      process.stderr.write(`${tag}: ${req.method} ${req.url} -> ${status}${note}${api.logAuth(req)}\n`);
    });
  });

  server.listen(port, '127.0.0.1', () => {
    process.stderr.write(`${tag}: ${api.about} listening on http://127.0.0.1:${server.address().port}\n`);
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.close(); server.closeAllConnections(); process.exit(0); });
}
