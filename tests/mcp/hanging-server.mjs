#!/usr/bin/env node
// Sluice hanging-server: a stdio MCP server (official SDK McpServer + StdioServerTransport) for testing
// timeouts and cancellation through the gateway.
//
//   node hanging-server.mjs
//
// Tools:
//   hang                        never answers. When the request is cancelled (a notifications/cancelled
//                               for its request id arrives) it writes `cancelled <requestId>` to stderr
//                               and, if HANG_LOG is set, appends the same line to that file.
//   slow_echo {message, delayMs} answers text `message` after delayMs ms (default 0). If cancelled
//                               before that, it logs `cancelled <requestId>` the same way and never answers.
//   echo_meta                   text: the JSON of the request's _meta; the result carries a _meta of its own
//   count_calls                 text: how many tools/call this process has received for its tools,
//                               this count_calls call included (so the first call ever returns "1").
//
// <requestId> is the JSON-RPC id of the tools/call as this server received it, i.e. the id the gateway
// chose on its upstream connection (JSON.stringify'd: a number prints as 3, a string as "abc").
// Cancellation is logged only for a real notifications/cancelled; when stdin closes the SDK aborts every
// in-flight handler too, which is logged as `aborted <requestId> (connection closed)` on stderr only.
// The process exits when stdin ends. stderr also gets `call <tool> <requestId>` for every call.
//
// Environment: HANG_LOG  file to append `cancelled <requestId>` lines to (created if missing).
//
// Written against @modelcontextprotocol/sdk 1.32.2 and zod 4.

import { appendFileSync } from 'node:fs';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CancelledNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

const HANG_LOG = process.env.HANG_LOG;
const log = (line) => process.stderr.write(line + '\n');
const idText = (id) => JSON.stringify(id);

let calls = 0;
const cancelRequested = new Map(); // requestId -> reason, filled before the handler's signal aborts

const server = new McpServer(
  { name: 'sluice-hanging-server', version: '1.0.0' },
  { capabilities: { tools: {} } },
);

// Record which request ids the client really cancelled, then let the SDK abort the handler as usual.
const protocol = server.server;
protocol.setNotificationHandler(CancelledNotificationSchema, (notification) => {
  const { requestId, reason } = notification.params ?? {};
  if (requestId !== undefined) cancelRequested.set(requestId, reason);
  return protocol._oncancel(notification);
});

// Runs when the request's AbortSignal fires; returns a promise that rejects then (the SDK sends no
// answer for an aborted request).
function onAbort(extra, cleanup = () => {}) {
  return new Promise((_, reject) => {
    const fire = () => {
      cleanup();
      const id = extra.requestId;
      if (cancelRequested.has(id)) {
        const reason = cancelRequested.get(id);
        cancelRequested.delete(id);
        log(`cancelled ${idText(id)}`);
        if (reason !== undefined) log(`cancel reason for ${idText(id)}: ${reason}`);
        if (HANG_LOG) {
          try {
            appendFileSync(HANG_LOG, `cancelled ${idText(id)}\n`);
          } catch (e) {
            log(`cannot append to HANG_LOG ${HANG_LOG}: ${e.message}`);
          }
        }
      } else {
        log(`aborted ${idText(id)} (connection closed)`);
      }
      reject(new Error('cancelled'));
    };
    if (extra.signal.aborted) fire();
    else extra.signal.addEventListener('abort', fire, { once: true });
  });
}

function counted(name, handler) {
  return (...args) => {
    const extra = args[args.length - 1];
    calls += 1;
    log(`call ${name} ${idText(extra.requestId)}`);
    return handler(...args);
  };
}

server.registerTool(
  'hang',
  {
    description: 'Never answers; logs "cancelled <requestId>" (stderr and HANG_LOG) when the call is cancelled.',
    inputSchema: {},
  },
  counted('hang', (_args, extra) => onAbort(extra)),
);

server.registerTool(
  'slow_echo',
  {
    description: 'Answers with the message after delayMs milliseconds.',
    inputSchema: {
      message: z.string().describe('text to echo'),
      delayMs: z.number().int().min(0).optional().describe('delay before answering, ms (default 0)'),
    },
  },
  counted('slow_echo', ({ message, delayMs = 0 }, extra) => {
    let timer;
    const done = new Promise((resolve) => {
      timer = setTimeout(() => resolve({ content: [{ type: 'text', text: message }] }), delayMs);
    });
    return Promise.race([done, onAbort(extra, () => clearTimeout(timer))]);
  }),
);

server.registerTool(
  'count_calls',
  {
    description: 'How many tool calls this process has received (this one included), as text.',
    inputSchema: {},
  },
  counted('count_calls', async () => ({ content: [{ type: 'text', text: String(calls) }] })),
);

server.registerTool(
  'echo_meta',
  {
    description: 'Answers with the _meta of its request as JSON text, and a _meta of its own in the result.',
    inputSchema: {},
  },
  counted('echo_meta', async (_args, extra) => ({
    content: [{ type: 'text', text: JSON.stringify(extra._meta ?? {}) }],
    _meta: { 'upstream.example/answered-by': 'hanging-server', 'upstream.example/nested': { a: [1, 2] } },
  })),
);

process.stdin.on('end', () => {
  log('stdin closed, exiting');
  process.exit(0);
});

await server.connect(new StdioServerTransport());
log('hanging-server ready on stdio');
