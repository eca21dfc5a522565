#!/usr/bin/env node
// Sluice conformance fixture: an MCP server that exposes exactly the test_* tools, test:// resources,
// resource template and test_* prompts that the server scenarios of @modelcontextprotocol/conformance
// call, and behaves as each scenario expects (see CONFORMANCE-NOTES.md).
//
//   node conformance-fixture.mjs stdio                 stdio transport (how Sluice runs it as an upstream)
//   node conformance-fixture.mjs http --port N         Streamable HTTP on http://127.0.0.1:N/mcp, stateful
//        [--host H]                                    bind address (default 127.0.0.1)
//
// Environment: FIXTURE_RECONNECT_DELAY_MS (default 200) - how long test_reconnection waits before it
// answers; FIXTURE_SSE_RETRY_MS (default 500) - the SSE `retry:` value of the HTTP mode's priming events;
// FIXTURE_TRUST_VERSION_HEADER=1 - decide SSE priming from each request's MCP-Protocol-Version header
// (the SDK's default) instead of from the session's negotiated version (see useSessionVersion).
//
// Written against @modelcontextprotocol/sdk 1.32.2 (the low-level Server, so that input schemas are sent
// byte-for-byte as written here).

import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  GetPromptRequestSchema,
  LATEST_PROTOCOL_VERSION,
  ListPromptsRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

const SERVER_INFO = { name: 'sluice-conformance-fixture', version: '1.0.0' };
const RECONNECT_DELAY_MS = intEnv('FIXTURE_RECONNECT_DELAY_MS', 200);
const SSE_RETRY_MS = intEnv('FIXTURE_SSE_RETRY_MS', 500);

// A 1x1 PNG and a minimal (empty) 8 kHz mono 16-bit PCM WAV file.
export const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
export const WAV_BASE64 = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t) => ({ type: 'text', text: t });
const NO_ARGS = { type: 'object', properties: {} };

function intEnv(name, fallback) {
  const v = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

// A JSON-RPC error with exactly this code and message (the SDK's McpError would prefix "MCP error N: ").
function rpcError(code, message, data) {
  return Object.assign(new Error(message), { code, ...(data === undefined ? {} : { data }) });
}
const INVALID_PARAMS = -32602;
const RESOURCE_NOT_FOUND = -32002;

function log(...args) {
  // stdout belongs to the protocol in stdio mode: diagnostics go to stderr.
  process.stderr.write(`[fixture] ${args.join(' ')}\n`);
}

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

export const TOOLS = [
  { name: 'test_simple_text', description: 'Returns one text content item', inputSchema: NO_ARGS },
  { name: 'test_image_content', description: 'Returns one image content item (1x1 PNG)', inputSchema: NO_ARGS },
  { name: 'test_audio_content', description: 'Returns one audio content item (audio/wav)', inputSchema: NO_ARGS },
  { name: 'test_embedded_resource', description: 'Returns one embedded text resource', inputSchema: NO_ARGS },
  {
    name: 'test_multiple_content_types',
    description: 'Returns text, image and embedded resource content',
    inputSchema: NO_ARGS,
  },
  {
    name: 'test_tool_with_logging',
    description: 'Sends three info-level notifications/message during execution, 50 ms apart',
    inputSchema: NO_ARGS,
  },
  {
    name: 'test_tool_with_progress',
    description:
      'Sends progress 0/100, 50/100, 100/100 (50 ms apart) when the request carries _meta.progressToken, answers 50 ms later',
    inputSchema: NO_ARGS,
  },
  { name: 'test_error_handling', description: 'Always returns a tool error (isError: true)', inputSchema: NO_ARGS },
  {
    name: 'test_sampling',
    description: 'Asks the client for an LLM completion (sampling/createMessage) and returns its text',
    inputSchema: {
      type: 'object',
      properties: { prompt: { type: 'string', description: 'The prompt to send to the LLM' } },
      required: ['prompt'],
    },
  },
  {
    name: 'test_elicitation',
    description: 'Asks the client for user input (elicitation/create) and returns the answer',
    inputSchema: {
      type: 'object',
      properties: { message: { type: 'string', description: 'The message to show the user' } },
      required: ['message'],
    },
  },
  {
    name: 'test_elicitation_sep1034_defaults',
    description: 'Elicitation whose schema carries default values for every primitive type (SEP-1034)',
    inputSchema: NO_ARGS,
  },
  {
    name: 'test_elicitation_sep1330_enums',
    description: 'Elicitation whose schema uses all five enum forms (SEP-1330)',
    inputSchema: NO_ARGS,
  },
  // the 2026-07-28 suite's diagnostic tools, in the session era: what they ask of the client comes as
  // this server's own requests, which a gateway turns into input_required for a 2026-07-28 client
  { name: 'test_missing_capability', description: 'Asks the client for sampling (a server-to-client request)', inputSchema: NO_ARGS },
  {
    name: 'test_streaming_elicitation',
    description: 'Sends a progress notification, then asks the client for its name (elicitation)',
    inputSchema: NO_ARGS,
  },
  { name: 'test_logging_tool', description: 'Logs three info messages', inputSchema: NO_ARGS },
  { name: 'test_trigger_tool_change', description: 'Sends notifications/tools/list_changed', inputSchema: NO_ARGS },
  { name: 'test_trigger_prompt_change', description: 'Sends notifications/prompts/list_changed', inputSchema: NO_ARGS },
  {
    name: 'test_reconnection',
    description:
      'Closes the POST SSE stream mid-call (HTTP mode), then answers; the client gets the result by resuming (SEP-1699)',
    inputSchema: NO_ARGS,
  },
  {
    name: 'json_schema_2020_12_tool',
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      $defs: {
        address: {
          type: 'object',
          properties: { street: { type: 'string' }, city: { type: 'string' } },
        },
      },
      properties: { name: { type: 'string' }, address: { $ref: '#/$defs/address' } },
      additionalProperties: false,
    },
  },
];

export const SEP1034_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', description: 'User name', default: 'John Doe' },
    age: { type: 'integer', description: 'User age', default: 30 },
    score: { type: 'number', description: 'User score', default: 95.5 },
    status: {
      type: 'string',
      description: 'User status',
      enum: ['active', 'inactive', 'pending'],
      default: 'active',
    },
    verified: { type: 'boolean', description: 'Verification status', default: true },
  },
  required: [],
};

export const SEP1330_SCHEMA = {
  type: 'object',
  properties: {
    untitledSingle: {
      type: 'string',
      title: 'Untitled single-select',
      enum: ['option1', 'option2', 'option3'],
    },
    titledSingle: {
      type: 'string',
      title: 'Titled single-select',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      title: 'Legacy titled enum',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      title: 'Untitled multi-select',
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    titledMulti: {
      type: 'array',
      title: 'Titled multi-select',
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
  required: [],
};

// ---------------------------------------------------------------------------------------------
// Resources and prompts
// ---------------------------------------------------------------------------------------------

export const RESOURCES = [
  {
    uri: 'test://static-text',
    name: 'static-text',
    description: 'A static text resource',
    mimeType: 'text/plain',
  },
  {
    uri: 'test://static-binary',
    name: 'static-binary',
    description: 'A static binary resource (1x1 PNG)',
    mimeType: 'image/png',
  },
  {
    uri: 'test://watched-resource',
    name: 'watched-resource',
    description: 'A resource that can be subscribed to',
    mimeType: 'text/plain',
  },
];

export const RESOURCE_TEMPLATES = [
  {
    uriTemplate: 'test://template/{id}/data',
    name: 'template-data',
    description: 'A resource template: {id} is substituted into the content',
    mimeType: 'application/json',
  },
];
const TEMPLATE_RE = /^test:\/\/template\/([^/]+)\/data$/;

export const PROMPTS = [
  { name: 'test_simple_prompt', description: 'A prompt without arguments' },
  {
    name: 'test_prompt_with_arguments',
    description: 'A prompt with two required arguments',
    arguments: [
      { name: 'arg1', description: 'First test argument', required: true },
      { name: 'arg2', description: 'Second test argument', required: true },
    ],
  },
  {
    name: 'test_prompt_with_embedded_resource',
    description: 'A prompt that embeds a resource',
    arguments: [{ name: 'resourceUri', description: 'URI of the resource to embed', required: true }],
  },
  { name: 'test_prompt_with_image', description: 'A prompt with image content' },
];

export const COMPLETIONS = {
  'ref/prompt:test_prompt_with_arguments:arg1': ['paris', 'park', 'party', 'test-value-1', 'test-value-2'],
  'ref/prompt:test_prompt_with_arguments:arg2': ['alpha', 'beta', 'gamma', 'test-value-3'],
  'ref/resource:test://template/{id}/data:id': ['1', '2', '3', '123'],
};

// ---------------------------------------------------------------------------------------------
// The server (one instance per stdio process or per HTTP session)
// ---------------------------------------------------------------------------------------------

function createServer() {
  const server = new Server(SERVER_INFO, {
    capabilities: {
      tools: { listChanged: true },
      resources: { subscribe: true, listChanged: true },
      prompts: { listChanged: true },
      logging: {},
      completions: {},
    },
    instructions: 'Conformance fixture for Sluice: exposes the tools, resources and prompts the MCP conformance suite calls.',
  });
  const subscriptions = new Map(); // uri -> timer of the pending notifications/resources/updated

  // notifications/message on the stream of the current request, filtered by logging/setLevel
  // (the Server keeps the level per session; it registers the logging/setLevel handler itself).
  async function sendLog(extra, level, data) {
    if (server.isMessageIgnored(level, extra.sessionId)) return;
    await extra.sendNotification({
      method: 'notifications/message',
      params: { level, logger: 'conformance-fixture', data },
    });
  }

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TOOLS }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name } = request.params;
    const args = request.params.arguments ?? {};
    switch (name) {
      case 'test_simple_text':
        return { content: [text('This is a simple text response for testing.')] };

      case 'test_image_content':
        return { content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] };

      case 'test_audio_content':
        return { content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] };

      case 'test_embedded_resource':
        return {
          content: [
            {
              type: 'resource',
              resource: {
                uri: 'test://embedded-resource',
                mimeType: 'text/plain',
                text: 'This is an embedded resource content.',
              },
            },
          ],
        };

      case 'test_multiple_content_types':
        return {
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
        };

      case 'test_tool_with_logging':
        await sendLog(extra, 'info', 'Tool execution started');
        await sleep(50);
        await sendLog(extra, 'info', 'Tool processing data');
        await sleep(50);
        await sendLog(extra, 'info', 'Tool execution completed');
        await sleep(50); // see test_tool_with_progress
        return { content: [text('Tool with logging executed successfully')] };

      case 'test_tool_with_progress': {
        const progressToken = request.params._meta?.progressToken;
        for (const progress of [0, 50, 100]) {
          if (progress > 0) await sleep(50);
          if (progressToken !== undefined) {
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
            });
          }
        }
        // A pause before the result: the TypeScript SDK's client runs notification handlers in a microtask but
        // settles responses synchronously, so a progress notification that arrives in the same read as the
        // response (likely over stdio or through a relay) is dropped once the response removes its handler.
        await sleep(50);
        return { content: [text(`Tool with progress executed successfully (progressToken: ${progressToken ?? 'none'})`)] };
      }

      case 'test_error_handling':
        return { isError: true, content: [text('This tool intentionally returns an error for testing')] };

      case 'test_sampling': {
        if (typeof args.prompt !== 'string') {
          throw rpcError(INVALID_PARAMS, 'test_sampling: argument "prompt" (string) is required');
        }
        if (!server.getClientCapabilities()?.sampling) {
          return { isError: true, content: [text('Client does not support sampling')] };
        }
        const result = await extra.sendRequest(
          {
            method: 'sampling/createMessage',
            params: { messages: [{ role: 'user', content: text(args.prompt) }], maxTokens: 100 },
          },
          CreateMessageResultSchema,
        );
        const reply = Array.isArray(result.content)
          ? result.content.map((c) => c.text ?? '').join('')
          : (result.content?.text ?? '');
        return { content: [text(`LLM response: ${reply}`)] };
      }

      case 'test_elicitation': {
        if (typeof args.message !== 'string') {
          throw rpcError(INVALID_PARAMS, 'test_elicitation: argument "message" (string) is required');
        }
        return elicit(extra, args.message, {
          type: 'object',
          properties: {
            username: { type: 'string', description: "User's response" },
            email: { type: 'string', description: "User's email address" },
          },
          required: ['username', 'email'],
        }, 'User response');
      }

      case 'test_elicitation_sep1034_defaults':
        return elicit(extra, 'Please review and update the form fields with defaults', SEP1034_SCHEMA,
          'Elicitation completed');

      case 'test_elicitation_sep1330_enums':
        return elicit(extra, 'Please select options from the enum fields', SEP1330_SCHEMA, 'Elicitation completed');

      case 'test_reconnection':
        // HTTP mode: the transport gives closeSSEStream when an event store is configured and the request's
        // protocol version is >= 2025-11-25. Closing the stream ends the POST response after the priming event;
        // the result is stored and replayed when the client reconnects with GET + Last-Event-ID.
        // stdio mode: there is no stream to close; the answer just comes after the delay (a gateway in front
        // decides itself whether to close its own POST stream).
        extra.closeSSEStream?.();
        await sleep(RECONNECT_DELAY_MS);
        return {
          content: [text('Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.')],
        };

      case 'test_missing_capability': {
        const result = await extra.sendRequest(
          { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: text('Needs sampling') }], maxTokens: 50 } },
          CreateMessageResultSchema,
        );
        const reply = Array.isArray(result.content) ? result.content.map((c) => c.text ?? '').join('') : (result.content?.text ?? '');
        return { content: [text(`Sampled: ${reply}`)] };
      }

      case 'test_streaming_elicitation': {
        const progressToken = request.params._meta?.progressToken;
        if (progressToken !== undefined) {
          await extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress: 0, total: 1 } });
        }
        const result = await extra.sendRequest(
          {
            method: 'elicitation/create',
            params: {
              message: 'What is your name?',
              requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
            },
          },
          ElicitResultSchema,
        );
        return { content: [text(`Hello, ${result.content?.name ?? 'unknown'}!`)] };
      }

      case 'test_logging_tool':
        for (let i = 1; i <= 3; i++) await sendLog(extra, 'info', `log message ${i}`);
        return { content: [text('Logged 3 messages')] };

      case 'test_trigger_tool_change':
        await server.sendToolListChanged();
        return { content: [text('tools list change sent')] };

      case 'test_trigger_prompt_change':
        await server.sendPromptListChanged();
        return { content: [text('prompts list change sent')] };

      case 'json_schema_2020_12_tool':
        return { content: [text(`json_schema_2020_12_tool called with ${JSON.stringify(args)}`)] };

      default:
        throw rpcError(INVALID_PARAMS, `Unknown tool: ${name}`);
    }
  });

  async function elicit(extra, message, requestedSchema, label) {
    if (!server.getClientCapabilities()?.elicitation) {
      return { isError: true, content: [text('Client does not support elicitation')] };
    }
    const result = await extra.sendRequest(
      { method: 'elicitation/create', params: { message, requestedSchema } },
      ElicitResultSchema,
    );
    return {
      content: [text(`${label}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`)],
    };
  }

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: RESOURCES }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: RESOURCE_TEMPLATES }));

  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    switch (uri) {
      case 'test://static-text':
        return { contents: [{ uri, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] };
      case 'test://static-binary':
        return { contents: [{ uri, mimeType: 'image/png', blob: PNG_BASE64 }] };
      case 'test://watched-resource':
        return { contents: [{ uri, mimeType: 'text/plain', text: 'Watched resource content' }] };
      default: {
        const m = TEMPLATE_RE.exec(uri);
        if (m) {
          const id = decodeURIComponent(m[1]);
          return {
            contents: [
              { uri, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) },
            ],
          };
        }
        throw rpcError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
      }
    }
  });

  // resources/subscribe: remember the URI and, 100 ms later, send one notifications/resources/updated for it
  // (unless unsubscribed first) so that a gateway's routing of upstream notifications can be observed.
  server.setRequestHandler(SubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    clearTimeout(subscriptions.get(uri));
    const timer = setTimeout(() => {
      if (subscriptions.get(uri) !== timer) return;
      server.sendResourceUpdated({ uri }).catch(() => {});
    }, 100);
    timer.unref?.();
    subscriptions.set(uri, timer);
    return {};
  });

  server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    const { uri } = request.params;
    clearTimeout(subscriptions.get(uri));
    subscriptions.delete(uri);
    return {};
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: PROMPTS }));

  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const { name } = request.params;
    const args = request.params.arguments ?? {};
    const requireArgs = (...names) => {
      const missing = names.filter((n) => typeof args[n] !== 'string');
      if (missing.length) {
        throw rpcError(INVALID_PARAMS, `Prompt ${name}: missing required argument(s): ${missing.join(', ')}`);
      }
    };
    switch (name) {
      case 'test_simple_prompt':
        return { messages: [{ role: 'user', content: text('This is a simple prompt for testing.') }] };
      case 'test_prompt_with_arguments':
        requireArgs('arg1', 'arg2');
        return {
          messages: [{ role: 'user', content: text(`Prompt with arguments: arg1='${args.arg1}', arg2='${args.arg2}'`) }],
        };
      case 'test_prompt_with_embedded_resource':
        requireArgs('resourceUri');
        return {
          messages: [
            {
              role: 'user',
              content: {
                type: 'resource',
                resource: { uri: args.resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
              },
            },
            { role: 'user', content: text('Please process the embedded resource above.') },
          ],
        };
      case 'test_prompt_with_image':
        return {
          messages: [
            { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
            { role: 'user', content: text('Please analyze the image above.') },
          ],
        };
      default:
        throw rpcError(INVALID_PARAMS, `Unknown prompt: ${name}`);
    }
  });

  server.setRequestHandler(CompleteRequestSchema, async (request) => {
    const { ref, argument } = request.params;
    const key = `${ref.type}:${ref.type === 'ref/prompt' ? ref.name : ref.uri}:${argument.name}`;
    const values = (COMPLETIONS[key] ?? []).filter((v) => v.startsWith(argument.value ?? ''));
    return { completion: { values, total: values.length, hasMore: false } };
  });

  return server;
}

// ---------------------------------------------------------------------------------------------
// stdio mode
// ---------------------------------------------------------------------------------------------

async function runStdio() {
  const server = createServer();
  const transport = new StdioServerTransport();
  server.onclose = () => process.exit(0);
  process.stdin.on('end', () => process.exit(0));
  await server.connect(transport);
  log('stdio mode ready');
}

// ---------------------------------------------------------------------------------------------
// Streamable HTTP mode (stateful sessions, resumable SSE streams)
// ---------------------------------------------------------------------------------------------

// In-memory event store for one session. Event ids are "<streamId>:<seq>" with a zero-padded sequence,
// so that string order is event order.
function createEventStore() {
  const events = []; // { id, streamId, message }
  let seq = 0;
  return {
    async storeEvent(streamId, message) {
      const id = `${streamId}:${String(++seq).padStart(10, '0')}`;
      events.push({ id, streamId, message });
      return id;
    },
    async getStreamIdForEventId(eventId) {
      return events.find((e) => e.id === eventId)?.streamId;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const last = events.find((e) => e.id === lastEventId);
      if (!last) throw new Error(`Unknown event id: ${lastEventId}`);
      for (const e of events) {
        // priming events are stored as {} and are not replayed
        if (e.streamId === last.streamId && e.id > lastEventId && Object.keys(e.message).length > 0) {
          await send(e.id, e.message);
        }
      }
      return last.streamId;
    },
  };
}

const LOCAL_HOSTNAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

function hostnameOf(hostHeader) {
  try {
    return new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

// DNS-rebinding protection: Host must name the loopback interface; Origin, when present, too.
function rejectForeignHost(req) {
  const host = hostnameOf(req.headers.host ?? '');
  if (!host || !LOCAL_HOSTNAMES.has(host)) return `Invalid Host header: ${req.headers.host}`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let originHost;
    try {
      originHost = new URL(origin).hostname.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (!originHost || !LOCAL_HOSTNAMES.has(originHost)) return `Invalid Origin header: ${origin}`;
  }
  return undefined;
}

function sendJsonError(res, status, code, message) {
  if (res.headersSent) return res.end();
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

async function readBody(req, limit = 4 * 1024 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('Request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function negotiatedVersion(initializeMessage) {
  const requested = initializeMessage?.params?.protocolVersion;
  return SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
}

// The SDK transport decides about SSE priming events and closeSSEStream from the request's
// MCP-Protocol-Version header. When a client sends an older (still supported) version than the one its
// session negotiated, this fixture uses the session's version: the session is what was negotiated.
// (FIXTURE_TRUST_VERSION_HEADER=1 turns this off, to show the SDK's own behaviour.)
function useSessionVersion(req, session) {
  if (process.env.FIXTURE_TRUST_VERSION_HEADER === '1') return;
  const header = req.headers['mcp-protocol-version'];
  if (typeof header !== 'string' || !SUPPORTED_PROTOCOL_VERSIONS.includes(header)) return;
  if (header >= session.protocolVersion) return;
  req.headers['mcp-protocol-version'] = session.protocolVersion;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === 'mcp-protocol-version') req.rawHeaders[i + 1] = session.protocolVersion;
  }
}

// The session-era HTTP handler, also used by modern-fixture.mjs for its 2025-era leg. `rawBody`: the
// POST body when the caller has already read it (a string), else it is read here.
export function createSessionHttpHandler() {
  const sessions = new Map(); // sessionId -> { transport, server, protocolVersion }

  async function handle(req, res, rawBody) {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/mcp') return sendJsonError(res, 404, -32000, 'Not found');
      const problem = rejectForeignHost(req);
      if (problem) return sendJsonError(res, 403, -32000, problem);

      const sessionId = req.headers['mcp-session-id'];
      let body;
      if (req.method === 'POST') {
        const raw = rawBody ?? (await readBody(req));
        try {
          body = JSON.parse(raw);
        } catch {
          if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
            return sendJsonError(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
          }
          return sendJsonError(res, 400, -32700, 'Parse error: Invalid JSON');
        }
      }

      if (typeof sessionId === 'string') {
        const session = sessions.get(sessionId);
        if (!session) return sendJsonError(res, 404, -32001, 'Session not found');
        useSessionVersion(req, session);
        return await session.transport.handleRequest(req, res, body);
      }

      const initialize = (Array.isArray(body) ? body : [body]).find((m) => m?.method === 'initialize');
      if (req.method !== 'POST' || !initialize) {
        return sendJsonError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      }

      const server = createServer();
      const protocolVersion = negotiatedVersion(initialize);
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        eventStore: createEventStore(),
        retryInterval: SSE_RETRY_MS,
        onsessioninitialized: (id) => {
          sessions.set(id, { transport, server, protocolVersion });
          log(`session ${id} opened (${protocolVersion})`);
        },
        onsessionclosed: (id) => log(`session ${id} deleted by client`),
      });
      transport.onclose = () => {
        if (transport.sessionId && sessions.delete(transport.sessionId)) log(`session ${transport.sessionId} closed`);
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (err) {
      log(`error: ${err?.stack ?? err}`);
      sendJsonError(res, err?.status ?? 500, -32603, err?.message ?? 'Internal error');
    }
  }

  async function close() {
    for (const { transport } of sessions.values()) await transport.close().catch(() => {});
  }

  return { handle, close };
}

async function runHttp({ host, port }) {
  const sessionHandler = createSessionHttpHandler();
  const httpServer = http.createServer((req, res) => sessionHandler.handle(req, res));

  await new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, resolve);
  });
  const addr = httpServer.address();
  log(`http mode ready on http://${host}:${addr.port}/mcp`);

  const shutdown = async () => {
    await sessionHandler.close();
    httpServer.close(() => process.exit(0));
    httpServer.closeAllConnections?.();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

// ---------------------------------------------------------------------------------------------

function usage(message) {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write('usage: conformance-fixture.mjs stdio | http --port N [--host 127.0.0.1]\n');
  process.exit(2);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
const [mode, ...rest] = isMain ? process.argv.slice(2) : ['--imported'];
if (!isMain) {
  // imported (modern-fixture.mjs): no CLI
} else if (mode === 'stdio') {
  await runStdio();
} else if (mode === 'http') {
  const opts = { host: '127.0.0.1', port: undefined };
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split('=', 2);
    const value = inline ?? rest[++i];
    if (flag === '--port') opts.port = Number.parseInt(value, 10);
    else if (flag === '--host') opts.host = value;
    else usage(`unknown option: ${rest[i]}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('--port N is required');
  await runHttp(opts);
} else {
  usage(mode ? `unknown mode: ${mode}` : undefined);
}
