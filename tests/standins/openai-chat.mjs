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
//    "usage": {"prompt": N, "completion": M, "cached": C} | null, "delayMs": N, "stop": "length"}
// (`cached`: of the prompt tokens, those reported as read from the prompt cache)
//   {"error": {"status": 429, "type": "requests", "code": "rate_limit_exceeded", "message": "...",
//              "retryAfter": 1}, "delayMs": N}
// An empty queue answers "(no scripted reply left)" with finish_reason stop. Usage left out of the
// turn is estimated (prompt = ceil(request body chars / 4), completion = ceil(reply chars / 4));
// `"usage": null` leaves the usage field out of the response.
// Each request is logged on stderr as `openai-standin: METHOD PATH -> STATUS [conversation=id reply]`.
// The script queue, the request log, the control endpoints and the HTTP plumbing are shared with
// anthropic-messages.mjs in scripted-model.mjs; this file holds what the API does differently.

import crypto from 'node:crypto';
import { runScriptedModel, isObj, rand } from './scripted-model.mjs';

const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'decimal') : typeof v);
const article = (w) => (/^[aeiou]/.test(w) ? `an ${w}` : `a ${w}`);

// ---------------------------------------------------------------- OpenAI errors
const oaiError = (status, message, type = 'invalid_request_error', param = null, code = null) => [status, { error: { message, type, param, code } }];
const missing = (param) => oaiError(400, `Missing required parameter: '${param}'.`, 'invalid_request_error', param, 'missing_required_parameter');
const badType = (param, want, v) => oaiError(400, `Invalid type for '${param}': expected ${article(want)}, but got ${article(typeName(v))} instead.`, 'invalid_request_error', param, 'invalid_type');

/** The error a scripted error turn produces: OpenAI's body for that status, with the turn's overrides. */
function scriptedError(e, b) {
  const model = b?.model;
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

/** Returns [status, body] for a request the API would refuse (b undefined: the body is not JSON), else null. */
function validate(b) {
  if (b === undefined) return oaiError(400, "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)");
  if (!isObj(b)) return badType('body', 'object', b);
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
/** The chat.completion object for a turn (or the "no reply left" answer), and its finish_reason. */
function completion(b, turn, usage) {
  const calls = (turn.toolCalls ?? []).map((c) => ({
    id: c.id ?? `call_${rand(24)}`,
    type: 'function',
    function: { name: c.name, arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments ?? {}) }
  }));
  const message = { role: 'assistant', content: turn.text ?? null, refusal: null, annotations: [] };
  if (calls.length) message.tool_calls = calls;
  const finish = turn.stop ?? (calls.length ? 'tool_calls' : 'stop');
  const out = {
    id: `chatcmpl-${rand(29)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: b.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finish }]
  };
  if (usage) {
    out.usage = {
      prompt_tokens: usage.prompt, completion_tokens: usage.completion, total_tokens: usage.prompt + usage.completion,
      prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 }
    };
  }
  out.service_tier = 'default';
  out.system_fingerprint = 'fp_standin';
  return [out, finish];
}

const modelObject = (id) => ({ id, object: 'model', created: 1715367049, owned_by: 'system' });

// ---------------------------------------------------------------- auth
/** `Authorization: Bearer KEY` when started with --key (any key or none otherwise); [status, body] or null. */
function authError(req, expected) {
  if (expected === null) return null;
  const h = req.headers.authorization;
  if (!h || !/^Bearer\s+\S/i.test(h)) {
    return oaiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.");
  }
  const key = h.replace(/^Bearer\s+/i, '');
  if (key !== expected) {
    const shown = key.length > 8 ? `${key.slice(0, 3)}*${'*'.repeat(Math.min(key.length - 7, 20))}${key.slice(-4)}` : '*'.repeat(key.length);
    return oaiError(401, `Incorrect API key provided: ${shown}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_request_error', null, 'invalid_api_key');
  }
  return null;
}

// ---------------------------------------------------------------- the stand-in
runScriptedModel({
  tag: 'openai-standin',
  usage: 'node openai-chat.mjs --port N [--key KEY] [--script FILE] [--models a,b]',
  about: 'OpenAI chat-completions stand-in (scripted replies)',
  port: 8300,
  defaultModels: 'gpt-4o,gpt-4o-mini,gpt-4.1,gpt-4.1-mini',
  stringArguments: true,
  path: '/v1/chat/completions',
  markerIn: (b) => [b.messages],
  secretHeaders: ['authorization'],
  checkHeaders: authError,
  validate,
  offeredTools: (b) => (b.tools ?? []).map((t) => t.function?.name),
  scriptedError,
  answer: completion,
  modelList: (ids) => ({ object: 'list', data: ids.map(modelObject) }),
  modelInfo: modelObject,
  notFound: (method, path) => oaiError(404, `Invalid URL (${method} ${path})`),
  apiHeaders: () => ({
    'x-request-id': `req_${crypto.randomBytes(16).toString('hex')}`,
    'openai-version': '2020-10-01',
    'openai-organization': 'org-standin',
    'openai-processing-ms': '1'
  }),
  logAuth: (req) => (req.headers.authorization ? ` auth=${req.headers.authorization.split(' ')[0]}` : '')
});
