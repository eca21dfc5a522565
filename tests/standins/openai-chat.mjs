#!/usr/bin/env node
// Sluice STAND-IN for the OpenAI chat-completions API: a small local HTTP server that speaks OpenAI's
// wire format (POST /v1/chat/completions with tool calling, GET /v1/models) and answers from a SCRIPT
// that the test posts, for testing Sluice's agents where no real model can be called. It is NOT a
// model and NOT OpenAI: it never reads the prompt except to find the conversation marker, it
// validates requests the way the API does for the fields listed below, and it does not stream.
// Node.js 20 standard library only.
//
//   node tests/standins/openai-chat.mjs --port 8300 [--key KEY] [--script FILE] [--models a,b]
//
//   --port N         port on 127.0.0.1 (0 = any free port; the chosen port is printed on stderr)
//   --key KEY        accept only `Authorization: Bearer KEY` (a missing header gets OpenAI's 401 "You
//                    didn't provide an API key", another key 401 invalid_api_key); without it any key,
//                    and no header at all, is accepted (as by local OpenAI-compatible servers)
//   --script FILE    JSON map {conversation id: [turn, ...]} queued at start
//   --models a,b     ids listed by GET /v1/models (default gpt-4o,gpt-4o-mini,gpt-4.1,gpt-4.1-mini);
//                    any model name is accepted by /v1/chat/completions regardless
//
// Model API (needs the Authorization header when started with --key):
//   POST /v1/chat/completions   validated like the API (model, messages, roles, tool_call pairing,
//                               tools[].function.name); `stream: true` and `n` > 1 get a 400 (the
//                               stand-in does not stream); then the next scripted turn is the answer
//   GET  /v1/models, GET /v1/models/{id}
// Test control (no auth):
//   POST   /_script             {"conversation": id, "turns": [turn, ...], "append": false}
//   GET    /_script             turns still queued, per conversation
//   DELETE /_script[?conversation=id]      drop queued turns
//   GET    /_requests[?conversation=id]    requests received (array; without the parameter, a map)
//   DELETE /_requests[?conversation=id]    forget requests received
//
// A request belongs to the conversation named by the first `[conversation:<id>]` marker found in its
// messages (any string: user text, system/developer prompt, tool results); without one, to
// conversation "default". Each request that passes auth and validation pops the next turn:
//   {"text": "...", "toolCalls": [{"name": "srv__tool", "arguments": {...} | "raw json", "id": "call_x"}],
//    "usage": {"prompt": N, "completion": M} | null, "delayMs": N, "stop": "length"}
//   {"error": {"status": 429, "type": "requests", "code": "rate_limit_exceeded", "message": "...",
//              "retryAfter": 1}, "delayMs": N}
// An empty queue answers "(no scripted reply left)" with finish_reason stop. Usage left out of the
// turn is estimated (prompt = ceil(request body chars / 4), completion = ceil(reply chars / 4));
// `"usage": null` leaves the usage field out of the response.
// Each request is logged on stderr as `openai-standin: METHOD PATH -> STATUS [conversation=id reply]`.

import http from 'node:http';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { commandLine } from './cli.mjs';

// ---------------------------------------------------------------- arguments
const TAG = 'openai-standin';
const { opt, usage, port: PORT } = commandLine(TAG, 'node openai-chat.mjs --port N [--key KEY] [--script FILE] [--models a,b]', 'OpenAI chat-completions stand-in (scripted replies)', 8300);
const KEY = opt('--key', null);
const MODELS = opt('--models', 'gpt-4o,gpt-4o-mini,gpt-4.1,gpt-4.1-mini').split(',').map((s) => s.trim()).filter(Boolean);
const SCRIPT_FILE = opt('--script', null);

// ---------------------------------------------------------------- helpers
const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const rand = (n) => Array.from(crypto.randomBytes(n), (b) => B62[b % 62]).join('');
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'decimal') : typeof v);
const article = (w) => (/^[aeiou]/.test(w) ? `an ${w}` : `a ${w}`);
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

// ---------------------------------------------------------------- script state
const queues = new Map();   // conversation -> turns still to answer
const received = new Map(); // conversation -> recorded requests
let seq = 0;

const TURN_KEYS = new Set(['text', 'toolCalls', 'usage', 'delayMs', 'error', 'stop']);
/** Returns an error string when a scripted turn is malformed, else null. */
function checkTurn(t, where) {
  if (!isObj(t)) return `${where}: a turn must be an object`;
  for (const k of Object.keys(t)) if (!TURN_KEYS.has(k)) return `${where}: unknown field "${k}" (allowed: ${[...TURN_KEYS].join(', ')})`;
  if (t.text === undefined && t.toolCalls === undefined && t.error === undefined) return `${where}: a turn needs "text", "toolCalls" or "error"`;
  if (t.text !== undefined && typeof t.text !== 'string') return `${where}.text: must be a string`;
  if (t.toolCalls !== undefined) {
    if (!Array.isArray(t.toolCalls) || t.toolCalls.length === 0) return `${where}.toolCalls: must be a non-empty array`;
    for (const [i, c] of t.toolCalls.entries()) {
      if (!isObj(c) || typeof c.name !== 'string' || !c.name) return `${where}.toolCalls[${i}]: needs a "name"`;
      if (c.arguments !== undefined && typeof c.arguments !== 'string' && !isObj(c.arguments)) return `${where}.toolCalls[${i}].arguments: must be an object or a JSON string`;
      if (c.id !== undefined && typeof c.id !== 'string') return `${where}.toolCalls[${i}].id: must be a string`;
    }
  }
  if (t.usage !== undefined && t.usage !== null) {
    if (!isObj(t.usage)) return `${where}.usage: must be an object or null`;
    for (const k of ['prompt', 'completion']) if (t.usage[k] !== undefined && !(Number.isInteger(t.usage[k]) && t.usage[k] >= 0)) return `${where}.usage.${k}: must be a non-negative integer`;
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
function setTurns(conversation, turns, append) {
  if (typeof conversation !== 'string' || !conversation) return '"conversation" must be a non-empty string';
  if (!Array.isArray(turns)) return '"turns" must be an array';
  for (const [i, t] of turns.entries()) { const bad = checkTurn(t, `turns[${i}]`); if (bad) return bad; }
  queues.set(conversation, [...(append ? queues.get(conversation) ?? [] : []), ...structuredClone(turns)]);
  return null;
}
if (SCRIPT_FILE) {
  let map;
  try { map = JSON.parse(fs.readFileSync(SCRIPT_FILE, 'utf8')); } catch (e) { usage(`--script ${SCRIPT_FILE}: ${e.message}`); }
  if (!isObj(map)) usage(`--script ${SCRIPT_FILE}: must be a JSON object {conversation: [turns]}`);
  for (const [id, turns] of Object.entries(map)) { const bad = setTurns(id, turns, false); if (bad) usage(`--script ${SCRIPT_FILE}: conversation "${id}": ${bad}`); }
}

// ---------------------------------------------------------------- OpenAI errors
const oaiError = (status, message, type = 'invalid_request_error', param = null, code = null) => [status, { error: { message, type, param, code } }];
const missing = (param) => oaiError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', param, 'missing_required_parameter');
const badType = (param, want, v) => oaiError(400, `Invalid type for '${param}': expected ${article(want)}, but got ${article(typeName(v))} instead.`, 'invalid_request_error', param, 'invalid_type');

/** The error a scripted error turn produces: OpenAI's body for that status, with the turn's overrides. */
function scriptedError(e, model) {
  const defaults = {
    400: ['invalid_request_error', null, 'Bad request.'],
    401: ['invalid_request_error', 'invalid_api_key', 'Incorrect API key provided.'],
    403: ['invalid_request_error', 'unsupported_country_region_territory', 'Country, region, or territory not supported'],
    404: ['invalid_request_error', 'model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`],
    429: ['requests', 'rate_limit_exceeded', `Rate limit reached for ${model} in organization org-standin on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in 1s. Visit https://platform.openai.com/account/rate-limits to learn more.`],
    500: ['server_error', null, 'The server had an error while processing your request. Sorry about that!'],
    503: ['server_error', null, 'The server is overloaded or not ready yet.']
  };
  const [type, code, message] = defaults[e.status] ?? (e.status >= 500 ? ['server_error', null, 'The server had an error while processing your request. Sorry about that!'] : ['invalid_request_error', null, 'Bad request.']);
  return [e.status, { error: { message: e.message ?? message, type: e.type ?? type, param: e.param ?? null, code: e.code !== undefined ? e.code : code } }];
}

// ---------------------------------------------------------------- request validation
const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];
const NAME = /^[a-zA-Z0-9_-]+$/;

/** Returns [status, body] for a request the API would refuse, else null. */
function validate(b) {
  if (b.model === undefined) return oaiError(400, 'you must provide a model parameter');
  if (typeof b.model !== 'string') return badType('model', 'string', b.model);
  if (b.messages === undefined) return missing('messages');
  if (!Array.isArray(b.messages)) return badType('messages', 'array', b.messages);
  if (b.messages.length === 0) return oaiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", 'invalid_request_error', 'messages', 'empty_array');
  if (b.stream === true) return oaiError(400, 'stream: true is not supported by the OpenAI stand-in (tests/standins/openai-chat.mjs); send stream: false or leave it out.', 'invalid_request_error', 'stream', 'unsupported_value');
  if (b.n !== undefined && b.n !== null && b.n !== 1) return oaiError(400, 'n other than 1 is not supported by the OpenAI stand-in (tests/standins/openai-chat.mjs).', 'invalid_request_error', 'n', 'unsupported_value');

  let pending = null; // {index, ids:Set} of the last assistant message with tool_calls still awaiting tool messages
  for (const [i, m] of b.messages.entries()) {
    const p = `messages[${i}]`;
    if (!isObj(m)) return badType(p, 'object', m);
    if (m.role === undefined) return missing(`${p}.role`);
    if (!ROLES.includes(m.role)) return oaiError(400, `Invalid value: '${m.role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`, 'invalid_request_error', `${p}.role`, 'invalid_value');
    if (m.role !== 'assistant' && m.content === undefined) return missing(`${p}.content`);
    if (m.content !== undefined && m.content !== null && typeof m.content !== 'string' && !Array.isArray(m.content)) return badType(`${p}.content`, 'string', m.content);
    if (m.role === 'assistant' && (m.content === undefined || m.content === null) && !m.tool_calls && !m.function_call) return oaiError(400, "Invalid value for 'content': expected a string, got null.", 'invalid_request_error', `${p}.content`, null);

    if (m.role === 'tool') {
      if (m.tool_call_id === undefined) return missing(`${p}.tool_call_id`);
      if (typeof m.tool_call_id !== 'string') return badType(`${p}.tool_call_id`, 'string', m.tool_call_id);
      if (!pending) return oaiError(400, "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", 'invalid_request_error', `messages.[${i}].role`, null);
      if (!pending.all.has(m.tool_call_id)) return oaiError(400, `Invalid parameter: 'tool_call_id' of '${m.tool_call_id}' not found in 'tool_calls' of previous message.`, 'invalid_request_error', `messages.[${i}].tool_call_id`, null);
      pending.ids.delete(m.tool_call_id);
      continue;
    }
    if (pending && pending.ids.size > 0) return unanswered(pending);
    pending = null;
    if (m.role === 'assistant' && m.tool_calls !== undefined && m.tool_calls !== null) {
      if (!Array.isArray(m.tool_calls)) return badType(`${p}.tool_calls`, 'array', m.tool_calls);
      const ids = new Set();
      for (const [k, c] of m.tool_calls.entries()) {
        const q = `${p}.tool_calls[${k}]`;
        if (!isObj(c)) return badType(q, 'object', c);
        if (c.id === undefined) return missing(`${q}.id`);
        if (c.type === undefined) return missing(`${q}.type`);
        if (c.type !== 'function') return oaiError(400, `Invalid value: '${c.type}'. Supported values are: 'function'.`, 'invalid_request_error', `${q}.type`, 'invalid_value');
        if (!isObj(c.function)) return c.function === undefined ? missing(`${q}.function`) : badType(`${q}.function`, 'object', c.function);
        if (c.function.name === undefined) return missing(`${q}.function.name`);
        if (c.function.arguments === undefined) return missing(`${q}.function.arguments`);
        if (typeof c.function.arguments !== 'string') return badType(`${q}.function.arguments`, 'string', c.function.arguments);
        ids.add(c.id);
      }
      if (ids.size > 0) pending = { index: i, ids, all: new Set(ids) };
    }
  }
  if (pending && pending.ids.size > 0) return unanswered(pending);

  if (b.tools !== undefined && b.tools !== null) {
    if (!Array.isArray(b.tools)) return badType('tools', 'array', b.tools);
    for (const [i, t] of b.tools.entries()) {
      const p = `tools[${i}]`;
      if (!isObj(t)) return badType(p, 'object', t);
      if (t.type === undefined) return missing(`${p}.type`);
      if (t.type !== 'function') return oaiError(400, `Invalid value: '${t.type}'. Supported values are: 'function' and 'custom'.`, 'invalid_request_error', `${p}.type`, 'invalid_value');
      if (!isObj(t.function)) return t.function === undefined ? missing(`${p}.function`) : badType(`${p}.function`, 'object', t.function);
      const name = t.function.name;
      if (name === undefined) return missing(`${p}.function.name`);
      if (typeof name !== 'string') return badType(`${p}.function.name`, 'string', name);
      if (!NAME.test(name)) return oaiError(400, `Invalid '${p}.function.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.`, 'invalid_request_error', `${p}.function.name`, 'invalid_value');
      if (name.length > 64) return oaiError(400, `Invalid '${p}.function.name': string too long. Expected a string with maximum length 64, but got a string with length ${name.length} instead.`, 'invalid_request_error', `${p}.function.name`, 'string_above_max_length');
      if (t.function.parameters !== undefined && !isObj(t.function.parameters)) return badType(`${p}.function.parameters`, 'object', t.function.parameters);
    }
  }
  return null;
}
function unanswered(pending) {
  return oaiError(400, `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${[...pending.ids].join(', ')}`, 'invalid_request_error', `messages.[${pending.index}].role`, null);
}

// ---------------------------------------------------------------- answers
const estimate = (chars) => Math.ceil(chars / 4);

/** The chat.completion object for a turn (or the "no reply left" answer). */
function completion(b, raw, turn) {
  const calls = (turn.toolCalls ?? []).map((c) => ({
    id: c.id ?? `call_${rand(24)}`,
    type: 'function',
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}) }
  }));
  const text = turn.text ?? null;
  const message = { role: 'assistant', content: text, refusal: null, annotations: [] };
  if (calls.length) message.tool_calls = calls;
  const out = {
    id: `chatcmpl-${rand(29)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: b.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: turn.stop ?? (calls.length ? 'tool_calls' : 'stop') }]
  };
  if (turn.usage !== null) {
    const replyChars = (text ?? '').length + calls.reduce((n, c) => n + c.function.name.length + c.function.arguments.length, 0);
    const prompt = turn.usage?.prompt ?? estimate(raw.length);
    const done = turn.usage?.completion ?? estimate(replyChars);
    out.usage = {
      prompt_tokens: prompt, completion_tokens: done, total_tokens: prompt + done,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 }
    };
  }
  out.service_tier = 'default';
  out.system_fingerprint = 'fp_standin';
  return out;
}

const modelObject = (id) => ({ id, object: 'model', created: 1715367049, owned_by: 'system' });
const knownModels = new Set(MODELS);

// ---------------------------------------------------------------- model endpoint
async function chatCompletions(req, raw) {
  let b;
  try { b = JSON.parse(raw); } catch { b = undefined; }
  const conversation = isObj(b) ? findConversation(b.messages) : 'default';
  const entry = { seq: ++seq, at: new Date().toISOString(), method: req.method, path: req.url, headers: redactedHeaders(req.headers), body: b === undefined ? raw : b, status: 0, reply: null };
  if (!received.has(conversation)) received.set(conversation, []);
  received.get(conversation).push(entry);
  const finish = (status, body, reply) => { entry.status = status; entry.reply = reply; return { status, body, conversation, reply }; };

  const denied = authError(req);
  if (denied) return finish(...denied, 'auth');
  if (b === undefined) return finish(...oaiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)"), 'invalid');
  if (!isObj(b)) return finish(...badType('body', 'object', b), 'invalid');
  const bad = validate(b);
  if (bad) return finish(...bad, 'invalid');

  knownModels.add(b.model);
  const queue = queues.get(conversation);
  const turn = queue && queue.length ? queue.shift() : { text: '(no scripted reply left)' };
  const offered = new Set((b.tools ?? []).map((t) => t.function?.name));
  for (const c of turn.toolCalls ?? []) if (!offered.has(c.name)) process.stderr.write(`${TAG}: note: conversation ${conversation} calls tool "${c.name}", which the request did not offer\n`);
  if (turn.delayMs) await new Promise((r) => setTimeout(r, turn.delayMs));
  if (turn.error) {
    const [status, body] = scriptedError(turn.error, b.model);
    const retryAfter = turn.error.retryAfter !== undefined ? turn.error.retryAfter : (turn.error.status === 429 ? 1 : null);
    return { ...finish(status, body, `error ${status}`), headers: retryAfter === null ? {} : { 'retry-after': String(retryAfter) } };
  }
  const out = completion(b, raw, turn);
  return finish(200, out, out.choices[0].finish_reason + (turn.usage === null ? ' (no usage)' : ''));
}

function authError(req) {
  if (KEY === null) return null;
  const h = req.headers.authorization;
  if (!h || !/^Bearer\s+\S/i.test(h)) {
    return oaiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.");
  }
  const key = h.replace(/^Bearer\s+/i, '');
  if (key !== KEY) {
    const shown = key.length > 8 ? `${key.slice(0, 3)}*${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}` : '*'.repeat(key.length);
    return oaiError(401, `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
  }
  return null;
}

function redactedHeaders(h) {
  const out = { ...h };
  out.authorization = h.authorization !== undefined;
  return out;
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
    if (method === 'GET') return [200, Object.fromEntries([...queues].filter(([id]) => conv === null || id === conv).map(([id, q]) => [id, q]))];
    if (method === 'DELETE') { if (conv === null) queues.clear(); else queues.delete(conv); return [200, { cleared: conv ?? 'all' }]; }
  }
  if (url.pathname === '/_requests') {
    if (method === 'GET') return conv === null ? [200, Object.fromEntries(received)] : [200, received.get(conv) ?? []];
    if (method === 'DELETE') { if (conv === null) received.clear(); else received.delete(conv); return [200, { cleared: conv ?? 'all' }]; }
  }
  return [405, { error: `${method} ${url.pathname} is not supported` }];
}

// ---------------------------------------------------------------- HTTP
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url, 'http://127.0.0.1');
    let status; let body; let headers = {}; let note = '';
    try {
      if (url.pathname === '/_script' || url.pathname === '/_requests') {
        [status, body] = control(req.method, url, raw);
      } else if (url.pathname === '/v1/chat/completions' && req.method === 'POST') {
        const r = await chatCompletions(req, raw);
        ({ status, body } = r);
        headers = r.headers ?? {};
        note = ` conversation=${r.conversation} ${r.reply}`;
      } else if (url.pathname === '/v1/models' && req.method === 'GET') {
        [status, body] = authError(req) ?? [200, { object: 'list', data: [...knownModels].map(modelObject) }];
      } else if (url.pathname.startsWith('/v1/models/') && req.method === 'GET') {
        [status, body] = authError(req) ?? [200, modelObject(decodeURIComponent(url.pathname.slice('/v1/models/'.length)))];
      } else {
        [status, body] = oaiError(404, `Invalid URL (${req.method} ${url.pathname})`);
      }
    } catch (e) {
      process.stderr.write(`${TAG}: internal error: ${e.stack}\n`);
      [status, body] = oaiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
    }
    const out = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname.startsWith('/v1/')) {
      res.setHeader('x-request-id', `req_${crypto.randomBytes(16).toString('hex')}`);
      res.setHeader('openai-version', '2020-10-01');
      res.setHeader('openai-organization', 'org-standin');
      res.setHeader('openai-processing-ms', '1');
    }
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.setHeader('Content-Length', Buffer.byteLength(out));
    res.end(out);
    const auth = req.headers.authorization ? ` auth=${req.headers.authorization.split(' ')[0]}` : '';
    process.stderr.write(`${TAG}: ${req.method} ${req.url} -> ${status}${note}${auth}\n`);
  });
});

server.listen(PORT, '127.0.0.1', () => {
  process.stderr.write(`${TAG}: OpenAI chat-completions stand-in (scripted replies) listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.close(); server.closeAllConnections(); process.exit(0); });
