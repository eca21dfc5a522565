#!/usr/bin/env node
// Sluice STAND-IN for the Anthropic Messages API: a small local HTTP server that speaks Anthropic's
// wire format (POST /v1/messages with tool use, GET /v1/models) and answers from a SCRIPT that the
// test posts, for testing Sluice's agents where no real model can be called. It is NOT a model and
// NOT Anthropic: it never reads the prompt except to find the conversation marker, it validates
// requests the way the API does for the fields listed below, and it does not stream. Node.js 20
// standard library only.
//
//   node tests/standins/anthropic-messages.mjs --port 8301 [--key KEY] [--script FILE] [--models a,b]
//
//   --port N         port on 127.0.0.1 (0 = any free port; the chosen port is printed on stderr)
//   --key KEY        accept only `x-api-key: KEY` (else 401 authentication_error); without it any
//                    key is accepted, but the header must be there (as with the real API)
//   --script FILE    JSON map {conversation id: [turn, ...]} queued at start
//   --models a,b     ids listed by GET /v1/models (default claude-sonnet-4-5-20250929,
//                    claude-haiku-4-5-20251001, claude-opus-4-1-20250805); any model name is
//                    accepted by /v1/messages regardless
//
// Model API (needs `x-api-key` and `anthropic-version` headers):
//   POST /v1/messages   validated like the API (model, max_tokens, messages, roles, non-empty content,
//                       tool_use/tool_result pairing, system, tools[].name/input_schema, unknown
//                       top-level fields unless an anthropic-beta header is sent); `stream: true`
//                       gets a 400 (the stand-in does not stream); then the next scripted turn is the
//                       answer
//   GET  /v1/models, GET /v1/models/{id}
// Test control (no auth):
//   POST   /_script             {"conversation": id, "turns": [turn, ...], "append": false}
//   GET    /_script             turns still queued, per conversation
//   DELETE /_script[?conversation=id]      drop queued turns
//   GET    /_requests[?conversation=id]    requests received (array; without the parameter, a map)
//   DELETE /_requests[?conversation=id]    forget requests received
//
// A request belongs to the conversation named by the first `[conversation:<id>]` marker found in its
// `system` prompt or its messages (any string: user text, tool results); without one, to
// conversation "default". Each request that passes auth and validation pops the next turn:
//   {"text": "...", "toolCalls": [{"name": "srv__tool", "arguments": {...}, "id": "toolu_x"}],
//    "usage": {"prompt": N, "completion": M, "cached": C} | null, "delayMs": N, "stop": "max_tokens"}
// (`cached`: of the prompt tokens, those reported as cache_read_input_tokens; input_tokens are the rest)
//   {"error": {"status": 529, "type": "overloaded_error", "message": "...", "retryAfter": 1}, "delayMs": N}
// An empty queue answers "(no scripted reply left)" with stop_reason end_turn. Usage left out of the
// turn is estimated (input = ceil(request body chars / 4), output = ceil(reply chars / 4));
// `"usage": null` leaves the usage field out of the response.
// Each request is logged on stderr as `anthropic-standin: METHOD PATH -> STATUS [conversation=id reply]`.
// The script queue, the request log, the control endpoints and the HTTP plumbing are shared with
// openai-chat.mjs in scripted-model.mjs; this file holds what the API does differently.

import { runScriptedModel, isObj, rand } from './scripted-model.mjs';

// ---------------------------------------------------------------- Anthropic errors
// Every error body carries a request_id equal to the request-id header (see apiHeaders below).
const antError = (status, type, message) => [status, { type: 'error', error: { type, message } }];
const invalid = (message) => antError(400, 'invalid_request_error', message);

/** The error a scripted error turn produces: Anthropic's body for that status, with the turn's overrides. */
function scriptedError(e) {
  const defaults = {
    400: ['invalid_request_error', 'Invalid request.'],
    401: ['authentication_error', 'invalid x-api-key'],
    402: ['billing_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'],
    403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
    404: ['not_found_error', 'Not found.'],
    413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
    429: ['rate_limit_error', 'This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.'],
    500: ['api_error', 'Internal server error'],
    504: ['timeout_error', 'Request timed out.'],
    529: ['overloaded_error', 'Overloaded']
  };
  const [type, message] = defaults[e.status] ?? (e.status >= 500 ? ['api_error', 'Internal server error'] : ['invalid_request_error', 'Invalid request.']);
  return antError(e.status, e.type ?? type, e.message ?? message);
}

// ---------------------------------------------------------------- request validation
const TOP_LEVEL = new Set(['model', 'messages', 'max_tokens', 'system', 'metadata', 'stop_sequences', 'stream', 'temperature',
  'top_p', 'top_k', 'tools', 'tool_choice', 'thinking', 'service_tier', 'container']);
const BLOCK_TYPES = ['text', 'image', 'document', 'search_result', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result',
  'server_tool_use', 'web_search_tool_result'];
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Returns [status, body] for a request the API would refuse (b undefined: the body is not JSON), else null. */
function validate(b, req) {
  if (b === undefined) return invalid('There was an error parsing the body of your request: the body is not valid JSON.');
  if (!isObj(b)) return invalid('Input should be a valid dictionary');
  const beta = req.headers['anthropic-beta'] !== undefined;
  if (!beta) for (const k of Object.keys(b)) if (!TOP_LEVEL.has(k)) return invalid(`${k}: Extra inputs are not permitted`);
  for (const k of ['model', 'max_tokens', 'messages']) if (b[k] === undefined) return invalid(`${k}: Field required`);
  if (typeof b.model !== 'string') return invalid('model: Input should be a valid string');
  if (!Number.isInteger(b.max_tokens)) return invalid('max_tokens: Input should be a valid integer');
  if (b.max_tokens < 1) return invalid('max_tokens: Input should be greater than or equal to 1');
  if (!Array.isArray(b.messages)) return invalid('messages: Input should be a valid list');
  if (b.stream === true) return invalid('stream: true is not supported by the Anthropic stand-in (tests/standins/anthropic-messages.mjs); send stream: false or leave it out.');

  // prompt-cache breakpoints: cache_control on tools, system blocks and content blocks, at most four
  const marks = [];
  const collect = (where, x) => { if (isObj(x) && x.cache_control !== undefined) marks.push([where, x.cache_control]); };
  (Array.isArray(b.tools) ? b.tools : []).forEach((t, i) => collect(`tools.${i}`, t));
  (Array.isArray(b.system) ? b.system : []).forEach((t, i) => collect(`system.${i}`, t));
  b.messages.forEach((m, i) => (isObj(m) && Array.isArray(m.content) ? m.content : []).forEach((c, k) => collect(`messages.${i}.content.${k}`, c)));
  for (const [where, cc] of marks) {
    if (!isObj(cc) || cc.type !== 'ephemeral') return invalid(`${where}.cache_control.type: Input should be 'ephemeral'`);
    if (cc.ttl !== undefined && !['5m', '1h'].includes(cc.ttl)) return invalid(`${where}.cache_control.ttl: Input should be '5m' or '1h'`);
  }
  if (marks.length > 4) return invalid(`A maximum of 4 blocks with cache_control may be provided. Found ${marks.length}.`);

  if (b.system !== undefined) {
    if (Array.isArray(b.system)) {
      for (const [i, s] of b.system.entries()) {
        if (!isObj(s) || s.type !== 'text') return invalid(`system.${i}.type: Input should be 'text'`);
        if (typeof s.text !== 'string') return invalid(`system.${i}.text: Field required`);
        if (s.text === '') return invalid('system: text content blocks must be non-empty');
      }
    } else if (typeof b.system !== 'string') return invalid('system: Input should be a valid string');
  }

  let prevToolUse = new Set(); // tool_use ids of the previous (assistant) message
  for (const [i, m] of b.messages.entries()) {
    const p = `messages.${i}`;
    if (!isObj(m)) return invalid(`${p}: Input should be a valid dictionary`);
    if (m.role === 'system') return invalid('messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.');
    if (m.role === undefined) return invalid(`${p}.role: Field required`);
    if (m.role !== 'user' && m.role !== 'assistant') return invalid(`${p}.role: Input should be 'user' or 'assistant'`);
    if (m.content === undefined) return invalid(`${p}.content: Field required`);
    const last = i === b.messages.length - 1;
    const blocks = typeof m.content === 'string' ? null : m.content;
    if (blocks !== null && !Array.isArray(blocks)) return invalid(`${p}.content: Input should be a valid list`);
    if ((blocks === null ? m.content === '' : blocks.length === 0) && !(last && m.role === 'assistant')) {
      return invalid(`${p}: all messages must have non-empty content except for the optional final assistant message`);
    }
    const toolUse = new Set();
    const results = new Set();
    for (const [k, c] of (blocks ?? []).entries()) {
      const q = `${p}.content.${k}`;
      if (!isObj(c)) return invalid(`${q}: Input should be a valid dictionary`);
      if (!BLOCK_TYPES.includes(c.type)) return invalid(`${q}: Input tag '${c.type}' found using 'type' does not match any of the expected tags: ${BLOCK_TYPES.map((t) => `'${t}'`).join(', ')}`);
      if (c.type === 'text') {
        if (typeof c.text !== 'string') return invalid(`${q}.text.text: Field required`);
        if (c.text === '') return invalid('messages: text content blocks must be non-empty');
      }
      if (c.type === 'tool_use') {
        if (m.role !== 'assistant') return invalid(`${q}: \`tool_use\` blocks can only be in \`assistant\` messages`);
        for (const f of ['id', 'name', 'input']) if (c[f] === undefined) return invalid(`${q}.tool_use.${f}: Field required`);
        if (!isObj(c.input)) return invalid(`${q}.tool_use.input: Input should be a valid dictionary`);
        toolUse.add(c.id);
      }
      if (c.type === 'tool_result') {
        if (m.role !== 'user') return invalid(`${q}: \`tool_result\` blocks can only be in \`user\` messages`);
        if (c.tool_use_id === undefined) return invalid(`${q}.tool_result.tool_use_id: Field required`);
        if (c.is_error !== undefined && typeof c.is_error !== 'boolean') return invalid(`${q}.tool_result.is_error: Input should be a valid boolean`);
        if (c.content !== undefined && typeof c.content !== 'string' && !Array.isArray(c.content)) return invalid(`${q}.tool_result.content: Input should be a valid list`);
        if (!prevToolUse.has(c.tool_use_id)) {
          return invalid(`${q}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${c.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`);
        }
        results.add(c.tool_use_id);
      }
    }
    if (prevToolUse.size > 0) {
      const missingIds = [...prevToolUse].filter((id) => !results.has(id));
      if (missingIds.length) return toolUseWithoutResult(i, missingIds);
    }
    prevToolUse = toolUse;
  }
  if (prevToolUse.size > 0) return toolUseWithoutResult(b.messages.length - 1, [...prevToolUse]);

  if (b.tools !== undefined) {
    if (!Array.isArray(b.tools)) return invalid('tools: Input should be a valid list');
    const names = new Set();
    for (const [i, t] of b.tools.entries()) {
      const p = `tools.${i}`;
      if (!isObj(t)) return invalid(`${p}: Input should be a valid dictionary`);
      if (t.type !== undefined && t.type !== null && t.type !== 'custom') { names.add(t.name); continue; } // server tools (web_search_..., bash_...)
      if (t.name === undefined) return invalid(`${p}.custom.name: Field required`);
      if (typeof t.name !== 'string' || !NAME.test(t.name)) return invalid(`${p}.custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
      if (t.description !== undefined && typeof t.description !== 'string') return invalid(`${p}.custom.description: Input should be a valid string`);
      if (t.input_schema === undefined) return invalid(`${p}.custom.input_schema: Field required`);
      if (!isObj(t.input_schema)) return invalid(`${p}.custom.input_schema: Input should be a valid dictionary`);
      if (t.input_schema.type !== 'object') return invalid(`${p}.custom.input_schema.type: Input should be 'object'`);
      for (const k of Object.keys(t)) if (!['type', 'name', 'description', 'input_schema', 'cache_control'].includes(k) && !beta) return invalid(`${p}.custom.${k}: Extra inputs are not permitted`);
      if (names.has(t.name)) return invalid('tools: Tool names must be unique.');
      names.add(t.name);
    }
  }
  if (b.tool_choice !== undefined) {
    if (!isObj(b.tool_choice) || !['auto', 'any', 'tool', 'none'].includes(b.tool_choice.type)) return invalid("tool_choice: Input tag found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
    if (b.tool_choice.type === 'tool' && typeof b.tool_choice.name !== 'string') return invalid('tool_choice.tool.name: Field required');
  }
  return null;
}
function toolUseWithoutResult(i, ids) {
  return invalid(`messages.${i}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${ids.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`);
}

// ---------------------------------------------------------------- answers
/** The message object for a turn (or the "no reply left" answer), and its stop_reason. */
function message(b, turn, usage) {
  const content = [];
  if (turn.text !== undefined) content.push({ type: 'text', text: turn.text });
  for (const c of turn.toolCalls ?? []) content.push({ type: 'tool_use', id: c.id ?? `toolu_01${rand(22)}`, name: c.name, input: c.arguments ?? {} });
  const stop = turn.stop ?? (turn.toolCalls ? 'tool_use' : 'end_turn');
  const out = {
    id: `msg_01${rand(22)}`,
    type: 'message',
    role: 'assistant',
    model: b.model,
    content,
    stop_reason: stop,
    stop_sequence: stop === 'stop_sequence' ? (b.stop_sequences?.[0] ?? null) : null
  };
  if (usage) {
    out.usage = {
      input_tokens: usage.prompt - usage.cached,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: usage.cached,
      output_tokens: usage.completion,
      service_tier: 'standard'
    };
  }
  return [out, stop];
}

const modelObject = (id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' });

// ---------------------------------------------------------------- headers
/** Auth and version headers, checked in that order as the API does; [status, body] or null. */
function headerError(req, expected) {
  const key = req.headers['x-api-key'];
  if (key === undefined || key === '') return antError(401, 'authentication_error', 'x-api-key header is required');
  if (expected !== null && key !== expected) return antError(401, 'authentication_error', 'invalid x-api-key');
  const version = req.headers['anthropic-version'];
  if (version === undefined || version === '') return invalid('anthropic-version: header is required');
  if (version !== '2023-06-01' && version !== '2023-01-01') return invalid(`anthropic-version: "${version}" is not a valid version`);
  return null;
}

/** The request-id header of an answer under /v1/; an error body gets the same id as request_id. */
function apiHeaders(body) {
  const requestId = `req_011C${rand(20)}`;
  if (body?.type === 'error') body.request_id = requestId;
  return { 'request-id': requestId, 'anthropic-organization-id': '00000000-0000-4000-8000-000000000000' };
}

// ---------------------------------------------------------------- the stand-in
runScriptedModel({
  tag: 'anthropic-standin', port: 8301,
  usage: 'node anthropic-messages.mjs --port N [--key KEY] [--script FILE] [--models a,b]',
  about: 'Anthropic Messages stand-in (scripted replies)',
  defaultModels: 'claude-sonnet-4-5-20250929,claude-haiku-4-5-20251001,claude-opus-4-1-20250805',
  stringArguments: false,
  path: '/v1/messages',
  markerIn: (b) => [b.system, b.messages],
  secretHeaders: ['x-api-key', 'authorization'],
  checkHeaders: headerError, validate, scriptedError,
  offeredTools: (b) => (b.tools ?? []).map((t) => t.name),
  answer: message,
  modelList: (ids) => ({ data: ids.map(modelObject), has_more: false, first_id: ids[0] ?? null, last_id: ids[ids.length - 1] ?? null }),
  modelInfo: modelObject,
  notFound: () => antError(404, 'not_found_error', 'Not Found'),
  apiHeaders,
  logAuth: (req) => (req.headers['x-api-key'] !== undefined ? ' x-api-key=present' : '')
});
