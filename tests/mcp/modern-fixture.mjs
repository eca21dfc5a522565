#!/usr/bin/env node
// Sluice 2026-07-28 conformance fixture: one HTTP endpoint that serves protocol revision 2026-07-28
// (server/discover, stateless requests with the per-request _meta envelope, input_required results
// with requestState, subscriptions/listen, caching hints) with every tool, resource and prompt that
// @modelcontextprotocol/conformance 0.2.0-alpha.12 `--requirements 2026-07-28` calls, AND -- in
// 2026-07-28 form -- everything the 0.1.16 session-era scenarios call (test_simple_text ... ,
// test_sampling / test_elicitation / sep1034 / sep1330 as input_required rounds), so that a gateway
// translating session-era clients onto a 2026-07-28 upstream can be run with 0.1.16 `--suite all`.
//
//   node modern-fixture.mjs --port N [--host 127.0.0.1] [--modern-only] [--no-tasks]
//
// Endpoint: http://<host>:N/mcp. Both eras on one URL (default): a request without the 2026-07-28
// envelope claim (the `initialize` handshake, session GET/DELETE, 2025-era POSTs -- decided by the
// SDK's own isLegacyRequest) goes to the session-era fixture (conformance-fixture.mjs, SDK 1.32.2,
// sessions, SSE resumability, server->client sampling/elicitation requests); everything else to the
// 2026-07-28 handler (SDK v2 @modelcontextprotocol/server 2.4.0 createMcpHandler, one McpServer per
// request). --modern-only (or FIXTURE_MODERN_ONLY=1) refuses 2025-era traffic the SDK's way
// (legacy: 'reject': 400 -32022 UnsupportedProtocolVersion; notifications 202 and dropped), which is
// what a test of a gateway's translation wants: the gateway cannot fall back to the session era.
// Host/Origin must be loopback on both legs (else 403).
//
// 2026-07-28 leg, diagnostic tools (names are the suite's):
//   test_missing_capability        returns input_required {sampling}; when the request's
//                                  clientCapabilities lack sampling the SDK turns that into -32021
//                                  + HTTP 400, data.requiredCapabilities {sampling:{}} (the same holds
//                                  for every input_required tool below: the SDK checks each request)
//   test_streaming_elicitation     SSE answer: one notifications/progress (when a progressToken is
//                                  given), then an input_required elicitation; the retry completes
//   test_logging_tool              3 x ctx.mcpReq.log('info') -- the SDK drops them unless the request's
//                                  _meta carries io.modelcontextprotocol/logLevel
//   test_trigger_tool_change       publishes tools_list_changed on the handler's listen bus
//   test_trigger_prompt_change     publishes prompts_list_changed
//   test_input_required_result_elicitation   key user_name; accepted answer -> "Hello, <name>!";
//                                  anything else (missing/wrong key, non-object) -> asks again
//   test_input_required_result_sampling      key sampling_request
//   test_input_required_result_list_roots    key roots
//   test_input_required_result_request_state key confirm + signed requestState; retry -> "state-ok"
//   test_input_required_result_multiple_inputs  keys user_name, sampling_request, roots + state
//   test_input_required_result_multi_round   step1 (state round 1) -> step2 (a NEW state, round 2)
//                                  -> complete
//   test_input_required_result_tampered_state  signed requestState; a changed one -> -32602
//   test_input_required_result_capabilities  asks only for what clientCapabilities declare
//   prompt test_input_required_result_prompt key user_context, then a GetPromptResult
// Every requestState is minted by createRequestStateCodec (HMAC, per-process key, 10 min) and
// checked by the server's requestState.verify hook: a forged/foreign/expired one -> -32602
// "Invalid or expired requestState".
//
// 2026-07-28 leg, the 0.1.16 surface: the 14 tools, 3 resources + template, 4 prompts and the
// completions of conformance-fixture.mjs, same names and contents. Differences forced by the era:
//   test_sampling {prompt}         input_required {sampling: sampling/createMessage}; the retry answers
//                                  "LLM response: <text>"
//   test_elicitation {message}     input_required {user_info: elicitation/create username+email};
//                                  retry -> "User response: action=..., content={...}"
//   test_elicitation_sep1034_defaults / test_elicitation_sep1330_enums   input_required {form: ...}
//                                  with the SEP-1034 / SEP-1330 schemas; retry -> "... action=..."
//   test_tool_with_logging         3 x info, 50 ms apart (delivered only when _meta logLevel is set)
//   test_tool_with_progress        progress 0/50/100 of 100, 50 ms apart, when _meta.progressToken
//   test_reconnection              answers after 200 ms (no stream to close in this era)
//   test://watched-resource        notifications/resources/updated is published for it every
//                                  FIXTURE_WATCH_INTERVAL_MS (default 250) to listen streams that
//                                  subscribed to that URI (resourceSubscriptions)
//   unknown resource               -32602 with data.uri (SEP-2164), from the SDK
//
// 2026-07-28 leg, the tasks extension (io.modelcontextprotocol/tasks, SEP-2663), by hand in
// tasks-extension.mjs (SDK v2 2.4.0 has none; its header has the details): server/discover declares
// capabilities.extensions["io.modelcontextprotocol/tasks"] = {} -- how a test tells that it is offered;
// tasks/get, tasks/update, tasks/cancel; a task tool answers a request that declares the extension in
// its _meta clientCapabilities.extensions with a flat CreateTaskResult (resultType "task"):
//   greet {name}                   sync only (taskSupport forbidden): "Hello, <name>!"
//   slow_compute {seconds,label}   optional: a task done after `seconds` s (0: an immediate result)
//   failing_job                    required: task completed after 1 s with result.isError true
//   protocol_error_job             optional: task failed after 300 ms, error {code:-32603,message}
//   confirm_delete {filename}      optional: task input_required {confirm: elicitation}, tasks/update
//                                  -> completed "Deleted <filename>"
//   multi_input                    optional: task input_required {name, confirm} at once (partial
//                                  tasks/update keeps it input_required with the key still open)
//   test_tool_with_task            required: MRTR round (user_name + requestState), then a task whose
//                                  result says "Hello, <name>!"
// Without the extension: `required` tools and tasks/* -> -32021 + HTTP 400 (data.requiredCapabilities
// .extensions), `optional` tools run synchronously (MRTR rounds for the questions). Unknown taskId ->
// -32602; tasks/result, tasks/list -> -32601 (404); Mcp-Name must equal params.taskId (-32020, 400).
// The task tools come last in tools/list. --no-tasks (or FIXTURE_NO_TASKS=1) leaves all of it out.
// Not offered: notifications/tasks, skills.
//
// Prints "modern-fixture listening on http://HOST:PORT/mcp" to stderr; exits on SIGTERM/SIGINT.

import http from 'node:http';
import { randomBytes } from 'node:crypto';
import {
  McpServer,
  ResourceTemplate,
  completable,
  createMcpHandler,
  createRequestStateCodec,
  fromJsonSchema,
  inputRequired,
  inputResponse,
  isLegacyRequest,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import {
  COMPLETIONS,
  PNG_BASE64,
  PROMPTS,
  RESOURCES,
  SEP1034_SCHEMA,
  SEP1330_SCHEMA,
  TOOLS,
  WAV_BASE64,
  createSessionHttpHandler,
} from './conformance-fixture.mjs';
import { createTasksExtension } from './tasks-extension.mjs';
import { toWebRequest, writeWebResponse } from './web-response.mjs';

const SERVER_INFO = { name: 'sluice-modern-fixture', version: '1.0.0' };
const WATCH_INTERVAL_MS = Number(process.env.FIXTURE_WATCH_INTERVAL_MS ?? 250);
const RECONNECT_DELAY_MS = Number(process.env.FIXTURE_RECONNECT_DELAY_MS ?? 200);

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t) => ({ type: 'text', text: t });
const result = (t) => ({ content: [text(t)] });
const NO_ARGS = { type: 'object', properties: {} };
const log = (...a) => process.stderr.write(`modern-fixture: ${a.join(' ')}\n`);

const stateCodec = createRequestStateCodec({ key: randomBytes(32), ttlSeconds: 600 });
let handler; // set below; the trigger tools publish on its bus
let tasks; // the tasks extension (one task store for all requests), unless --no-tasks

function clientCaps(ctx) {
  const caps = ctx.mcpReq.envelope?.['io.modelcontextprotocol/clientCapabilities'];
  return caps && typeof caps === 'object' ? caps : {};
}

const NAME_SCHEMA = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const USER_INFO_SCHEMA = {
  type: 'object',
  properties: {
    username: { type: 'string', description: 'User name' },
    email: { type: 'string', description: 'E-mail address' },
  },
  required: ['username', 'email'],
};
const samplingRequest = (prompt) =>
  inputRequired.createMessage({
    messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
    maxTokens: 100,
  });
const elicit = (message, requestedSchema) => ({
  method: 'elicitation/create',
  params: { mode: 'form', message, requestedSchema },
});
const samplingText = (view) => {
  const c = view.result?.content;
  const item = Array.isArray(c) ? c.find((x) => x?.type === 'text') : c;
  return item?.type === 'text' ? item.text : JSON.stringify(c);
};

// The suite's canonical SEP-1613 + SEP-2106 schema (0.2.0-alpha.12 JSON_SCHEMA_2020_12_FIXTURE): a superset
// of the session-era fixture's ($anchor, allOf/anyOf, if/then/else added).
const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
};

const TOOL_BY_NAME = new Map(TOOLS.map((t) => [t.name, t]));

function makeServer() {
  const server = new McpServer(SERVER_INFO, {
    // no `tools` here: the first registerTool declares tools {listChanged: true} and installs the
    // tools/call handler -- after tasks.attach has put the task tools' gate in front of it
    capabilities: {
      prompts: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      completions: {},
      logging: {},
    },
    requestState: { verify: stateCodec.verify },
  });
  // before the first registerTool: installs the tools/call gate of the task tools
  const registerTaskTools = tasks?.attach(server);

  const tool = (name, handlerFn, extra = {}) => {
    const def = TOOL_BY_NAME.get(name);
    server.registerTool(
      name,
      {
        description: extra.description ?? def.description,
        inputSchema: fromJsonSchema(extra.inputSchema ?? def?.inputSchema ?? NO_ARGS),
      },
      handlerFn,
    );
  };

  // ---- the 0.1.16 surface, in 2026-07-28 form ----
  tool('test_simple_text', async () => result('This is a simple text response for testing.'));
  tool('test_image_content', async () => ({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] }));
  tool('test_audio_content', async () => ({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] }));
  tool('test_embedded_resource', async () => ({
    content: [
      {
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      },
    ],
  }));
  tool('test_multiple_content_types', async () => ({
    content: [
      text('Multiple content types test:'),
      { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
      {
        type: 'resource',
        resource: {
          uri: 'test://mixed-content-resource',
          mimeType: 'application/json',
          text: JSON.stringify({ test: 'data', value: 123 }),
        },
      },
    ],
  }));
  tool('test_tool_with_logging', async (_args, ctx) => {
    for (let i = 1; i <= 3; i++) {
      await ctx.mcpReq.log('info', `Tool execution log ${i} of 3`, 'test_tool_with_logging');
      await sleep(50);
    }
    return result('Tool with logging completed');
  });
  tool('test_tool_with_progress', async (_args, ctx) => {
    const token = ctx.mcpReq._meta?.progressToken;
    if (token !== undefined) {
      for (const progress of [0, 50, 100]) {
        await ctx.mcpReq.notify({
          method: 'notifications/progress',
          params: { progressToken: token, progress, total: 100, message: `progress ${progress}` },
        });
        await sleep(50);
      }
    }
    return result(token !== undefined ? 'Progress sent: 0, 50, 100 of 100' : 'No progress token given');
  });
  tool('test_error_handling', async () => ({
    isError: true,
    content: [text('This tool intentionally returns an error for testing')],
  }));
  tool('test_sampling', async ({ prompt }, ctx) => {
    const answer = inputResponse(ctx.mcpReq.inputResponses, 'sampling');
    if (answer.kind === 'sampling') return result(`LLM response: ${samplingText(answer)}`);
    return inputRequired({ inputRequests: { sampling: samplingRequest(String(prompt ?? '')) } });
  });
  const elicitTool = (name, key, message, schema, label) =>
    tool(name, async (args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, key);
      if (answer.kind === 'elicit') {
        return result(`${label}: action=${answer.action}, content=${JSON.stringify(answer.content ?? {})}`);
      }
      return inputRequired({ inputRequests: { [key]: elicit(message(args), schema) } });
    });
  elicitTool('test_elicitation', 'user_info', (a) => String(a.message ?? 'Please provide your information'), USER_INFO_SCHEMA, 'User response');
  elicitTool('test_elicitation_sep1034_defaults', 'form', () => 'Please review your information (SEP-1034 defaults)', SEP1034_SCHEMA, 'Elicitation completed');
  elicitTool('test_elicitation_sep1330_enums', 'form', () => 'Please choose (SEP-1330 enums)', SEP1330_SCHEMA, 'Elicitation completed');
  tool('test_reconnection', async () => {
    await sleep(RECONNECT_DELAY_MS);
    return result('Reconnection test completed');
  });
  tool('json_schema_2020_12_tool', async (args) => result(`json_schema_2020_12_tool: ${JSON.stringify(args ?? {})}`), {
    inputSchema: JSON_SCHEMA_2020_12,
  });

  // ---- the 2026-07-28 diagnostic tools ----
  tool(
    'test_missing_capability',
    async (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'sampling');
      if (answer.kind === 'sampling') return result(`Sampled: ${samplingText(answer)}`);
      return inputRequired({ inputRequests: { sampling: samplingRequest('Needs sampling') } });
    },
    {
      description:
        'Asks for sampling (input_required); without the sampling client capability the SDK answers -32021, HTTP 400',
    },
  );
  tool(
    'test_streaming_elicitation',
    async (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'user_name');
      if (answer.kind === 'elicit') return result(`Hello, ${answer.content?.name ?? 'unknown'}!`);
      const token = ctx.mcpReq._meta?.progressToken;
      if (token !== undefined) {
        await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: 0, total: 1 } });
      }
      return inputRequired({ inputRequests: { user_name: elicit('What is your name?', NAME_SCHEMA) } });
    },
    { description: 'Streams its answer: an input_required elicitation on the request stream, no server requests' },
  );
  tool(
    'test_logging_tool',
    async (_args, ctx) => {
      for (let i = 1; i <= 3; i++) await ctx.mcpReq.log('info', `log message ${i}`, 'test_logging_tool');
      return result('Logged 3 messages (delivered only if the request set a logLevel)');
    },
    { description: 'Logs three info messages' },
  );
  tool(
    'test_trigger_tool_change',
    async () => {
      handler.notify.toolsChanged();
      return result('tools list change published');
    },
    { description: 'Publishes notifications/tools/list_changed to open subscriptions/listen streams' },
  );
  tool(
    'test_trigger_prompt_change',
    async () => {
      handler.notify.promptsChanged();
      return result('prompts list change published');
    },
    { description: 'Publishes notifications/prompts/list_changed to open subscriptions/listen streams' },
  );

  tool(
    'test_input_required_result_elicitation',
    async (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'user_name');
      if (answer.kind === 'elicit' && answer.action === 'accept' && typeof answer.content?.name === 'string') {
        return result(`Hello, ${answer.content.name}!`);
      }
      return inputRequired({ inputRequests: { user_name: elicit('What is your name?', NAME_SCHEMA) } });
    },
    { description: 'input_required: one elicitation (key user_name)' },
  );
  tool(
    'test_input_required_result_sampling',
    async (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'sampling_request');
      if (answer.kind === 'sampling') return result(`Sampling result: ${samplingText(answer)}`);
      return inputRequired({ inputRequests: { sampling_request: samplingRequest('What is the capital of France?') } });
    },
    { description: 'input_required: one sampling/createMessage (key sampling_request)' },
  );
  tool(
    'test_input_required_result_list_roots',
    async (_args, ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'roots');
      if (answer.kind === 'roots') return result(`Roots: ${answer.roots.map((r) => r.uri).join(', ')}`);
      return inputRequired({ inputRequests: { roots: inputRequired.listRoots() } });
    },
    { description: 'input_required: one roots/list (key roots)' },
  );
  tool(
    'test_input_required_result_request_state',
    async (_args, ctx) => {
      const state = ctx.mcpReq.requestState();
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
      if (state?.tool === 'request_state' && answer.kind === 'elicit') {
        return result(`state-ok: round ${state.round} verified, action=${answer.action}`);
      }
      return inputRequired({
        inputRequests: {
          confirm: elicit('Please confirm', { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }),
        },
        requestState: await stateCodec.mint({ tool: 'request_state', round: 1 }),
      });
    },
    { description: 'input_required with a signed requestState; the retry answers state-ok' },
  );
  tool(
    'test_input_required_result_multiple_inputs',
    async (_args, ctx) => {
      const r = ctx.mcpReq.inputResponses;
      const name = inputResponse(r, 'user_name');
      const sampled = inputResponse(r, 'sampling_request');
      const roots = inputResponse(r, 'roots');
      if (ctx.mcpReq.requestState()?.tool === 'multiple_inputs' && name.kind === 'elicit' && sampled.kind === 'sampling' && roots.kind === 'roots') {
        return result(
          `All inputs received: name=${name.content?.name}, sample=${samplingText(sampled)}, roots=${roots.roots.length}`,
        );
      }
      return inputRequired({
        inputRequests: {
          user_name: elicit('What is your name?', NAME_SCHEMA),
          sampling_request: samplingRequest('Say hello'),
          roots: inputRequired.listRoots(),
        },
        requestState: await stateCodec.mint({ tool: 'multiple_inputs', round: 1 }),
      });
    },
    { description: 'input_required: elicitation + sampling + roots/list in one round, with requestState' },
  );
  tool(
    'test_input_required_result_multi_round',
    async (_args, ctx) => {
      const state = ctx.mcpReq.requestState();
      const r = ctx.mcpReq.inputResponses;
      if (state?.tool === 'multi_round' && state.round === 2) {
        const color = inputResponse(r, 'step2');
        if (color.kind === 'elicit') {
          return result(`Multi-round complete: name=${state.name}, color=${color.content?.color}`);
        }
      }
      if (state?.tool === 'multi_round' && state.round === 1) {
        const name = inputResponse(r, 'step1');
        if (name.kind === 'elicit') {
          return inputRequired({
            inputRequests: {
              step2: elicit('Step 2: What is your favorite color?', {
                type: 'object',
                properties: { color: { type: 'string' } },
                required: ['color'],
              }),
            },
            requestState: await stateCodec.mint({ tool: 'multi_round', round: 2, name: name.content?.name }),
          });
        }
      }
      return inputRequired({
        inputRequests: { step1: elicit('Step 1: What is your name?', NAME_SCHEMA) },
        requestState: await stateCodec.mint({ tool: 'multi_round', round: 1 }),
      });
    },
    { description: 'input_required over two rounds, each with a new requestState' },
  );
  tool(
    'test_input_required_result_tampered_state',
    async (_args, ctx) => {
      const state = ctx.mcpReq.requestState();
      if (state?.tool === 'tampered_state') return result('state verified');
      return inputRequired({
        inputRequests: {
          confirm: elicit('Please confirm', { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }),
        },
        requestState: await stateCodec.mint({ tool: 'tampered_state', round: 1 }),
      });
    },
    { description: 'input_required with an HMAC-signed requestState; a changed state is rejected (-32602)' },
  );
  tool(
    'test_input_required_result_capabilities',
    async (_args, ctx) => {
      const caps = clientCaps(ctx);
      const r = ctx.mcpReq.inputResponses;
      if (inputResponse(r, 'sampling_request').kind === 'sampling' || inputResponse(r, 'user_name').kind === 'elicit') {
        return result('Input received');
      }
      const inputRequests = {};
      if (caps.sampling) inputRequests.sampling_request = samplingRequest('Say hello');
      if (caps.elicitation) inputRequests.user_name = elicit('What is your name?', NAME_SCHEMA);
      if (caps.roots) inputRequests.roots = inputRequired.listRoots();
      if (Object.keys(inputRequests).length === 0) return result('The client declared no capability to ask through');
      return inputRequired({ inputRequests });
    },
    { description: 'input_required only for the capabilities the request declares' },
  );

  // ---- resources ----
  const resourceText = {
    'test://static-text': { mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
    'test://static-binary': { mimeType: 'image/png', blob: PNG_BASE64 },
    'test://watched-resource': { mimeType: 'text/plain', text: 'Watched resource content' },
  };
  for (const r of RESOURCES) {
    server.registerResource(r.name, r.uri, { description: r.description, mimeType: r.mimeType }, async (uri) => ({
      contents: [{ uri: uri.href ?? String(uri), ...resourceText[r.uri] }],
    }));
  }
  const completeFrom = (key) => (value) => (COMPLETIONS[key] ?? []).filter((v) => v.startsWith(value ?? ''));
  server.registerResource(
    'template-data',
    new ResourceTemplate('test://template/{id}/data', {
      list: undefined,
      complete: { id: completeFrom('ref/resource:test://template/{id}/data:id') },
    }),
    { description: 'A resource template: {id} is substituted into the content', mimeType: 'application/json' },
    async (uri, { id }) => ({
      contents: [
        {
          uri: uri.href ?? String(uri),
          mimeType: 'application/json',
          text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }),
        },
      ],
    }),
  );

  // ---- prompts ----
  const promptDef = new Map(PROMPTS.map((p) => [p.name, p]));
  server.registerPrompt('test_simple_prompt', { description: promptDef.get('test_simple_prompt').description }, async () => ({
    messages: [{ role: 'user', content: text('This is a simple prompt for testing.') }],
  }));
  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      description: promptDef.get('test_prompt_with_arguments').description,
      argsSchema: z.object({
        arg1: completable(z.string().describe('First test argument'), completeFrom('ref/prompt:test_prompt_with_arguments:arg1')),
        arg2: completable(z.string().describe('Second test argument'), completeFrom('ref/prompt:test_prompt_with_arguments:arg2')),
      }),
    },
    async ({ arg1, arg2 }) => ({
      messages: [{ role: 'user', content: text(`Prompt with arguments: arg1='${arg1}', arg2='${arg2}'`) }],
    }),
  );
  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      description: promptDef.get('test_prompt_with_embedded_resource').description,
      argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
    },
    async ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } },
        },
        { role: 'user', content: text('Please process the embedded resource above.') },
      ],
    }),
  );
  server.registerPrompt('test_prompt_with_image', { description: promptDef.get('test_prompt_with_image').description }, async () => ({
    messages: [
      { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
      { role: 'user', content: text('Please analyze the image above.') },
    ],
  }));
  server.registerPrompt(
    'test_input_required_result_prompt',
    { description: 'prompts/get that needs an elicitation first (input_required, key user_context)' },
    async (ctx) => {
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'user_context');
      if (answer.kind === 'elicit') {
        return {
          messages: [{ role: 'user', content: text(`Prompt with context: ${answer.content?.context ?? '(none)'}`) }],
        };
      }
      return inputRequired({
        inputRequests: {
          user_context: elicit('What context should the prompt use?', {
            type: 'object',
            properties: { context: { type: 'string' } },
            required: ['context'],
          }),
        },
      });
    },
  );

  // ---- the tasks extension's tools, last in tools/list ----
  registerTaskTools?.();

  return server;
}

// ---------------------------------------------------------------------------------------------
// HTTP: one node:http server, two legs
// ---------------------------------------------------------------------------------------------

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);
function hostOk(value, isOrigin) {
  if (value === undefined) return !isOrigin ? false : true;
  try {
    const h = new URL(isOrigin ? value : `http://${value}`).hostname.toLowerCase();
    return LOCAL_HOSTNAMES.has(h);
  } catch {
    return false;
  }
}

function jsonError(res, status, code, message, id = null) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id }));
}

async function readRaw(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}



function parseArgs(argv) {
  const opts = {
    host: '127.0.0.1',
    port: undefined,
    modernOnly: process.env.FIXTURE_MODERN_ONLY === '1',
    tasks: process.env.FIXTURE_NO_TASKS !== '1',
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    if (flag === '--modern-only') opts.modernOnly = true;
    else if (flag === '--no-tasks') opts.tasks = false;
    else if (flag === '--port') opts.port = Number.parseInt(inline ?? argv[++i], 10);
    else if (flag === '--host') opts.host = inline ?? argv[++i];
    else {
      process.stderr.write(`unknown option: ${argv[i]}\nusage: modern-fixture.mjs --port N [--host H] [--modern-only] [--no-tasks]\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
    process.stderr.write('usage: modern-fixture.mjs --port N [--host H] [--modern-only] [--no-tasks]\n');
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
tasks = opts.tasks ? createTasksExtension({ stateCodec }) : undefined;
handler = createMcpHandler(() => makeServer(), {
  legacy: 'reject',
  onerror: (e) => {
    if (process.env.MCP_DEBUG === '1') log(e.message);
  },
});
const sessionLeg = opts.modernOnly ? undefined : createSessionHttpHandler();

const watchTimer = setInterval(() => handler.notify.resourceUpdated('test://watched-resource'), WATCH_INTERVAL_MS);
watchTimer.unref();

const httpServer = http.createServer(async (req, res) => {
  try {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== '/mcp') return jsonError(res, 404, -32000, 'Not found');
    if (!hostOk(req.headers.host, false)) return jsonError(res, 403, -32000, `Invalid Host header: ${req.headers.host}`);
    if (!hostOk(req.headers.origin, true)) return jsonError(res, 403, -32000, `Invalid Origin header: ${req.headers.origin}`);
    const body = req.method === 'POST' ? await readRaw(req) : undefined;
    const request = toWebRequest(req, res, body, `${opts.host}:${opts.port}`);
    if (sessionLeg && (await isLegacyRequest(request))) {
      return await sessionLeg.handle(req, res, body?.toString('utf8'));
    }
    let response = await handler.fetch(request);
    if (tasks) response = await tasks.finishResponse(body, response);
    await writeWebResponse(response, res);
  } catch (e) {
    log(e?.stack ?? String(e));
    if (!res.headersSent) jsonError(res, 500, -32603, 'Internal error');
    else res.end();
  }
});

httpServer.listen(opts.port, opts.host, () => {
  const { port } = httpServer.address();
  log(
    `listening on http://${opts.host}:${port}/mcp (${opts.modernOnly ? '2026-07-28 only' : '2026-07-28 + session era'}` +
      `${opts.tasks ? ', tasks extension' : ''})`,
  );
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 1000).unref();
  httpServer.close(() => process.exit(0));
  await handler.close().catch(() => {});
  tasks?.close();
  await sessionLeg?.close().catch(() => {});
  httpServer.closeAllConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
