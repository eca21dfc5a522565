#!/usr/bin/env node
// Sluice modern-server: an MCP server that speaks ONLY protocol revision 2026-07-28 (the stateless
// era), made with the official TypeScript SDK v2 server package (@modelcontextprotocol/server 2.4.0:
// McpServer + createMcpHandler, served by node:http). There is no initialize handshake and no
// Mcp-Session-Id: a client probes with server/discover, and every request carries the _meta envelope
// (io.modelcontextprotocol/protocolVersion, .../clientCapabilities) plus the MCP-Protocol-Version,
// Mcp-Method and (tools/call, resources/read, prompts/get) Mcp-Name headers. Each HTTP request is
// served by a fresh McpServer from the factory below; only the count_calls counter is per process.
//
//   node modern-server.mjs <port>          listens on http://127.0.0.1:<port>/mcp
//
// Prints "modern-server listening on <port>" to stderr once listening; exits 0 on SIGTERM/SIGINT.
//
// Legacy (2025-era) traffic is REFUSED, never served: the handler is createMcpHandler(factory,
// {legacy: 'reject'}) -- no legacyStatelessFallback, no 2025 transport behind it. Answers (checked):
//   POST initialize (2025-11-25 style, no _meta)   400 {"jsonrpc":"2.0","error":{"code":-32022,
//       "message":"Unsupported protocol version: 2025-11-25","data":{"supported":["2026-07-28"],
//       "requested":"2025-11-25"}},"id":<the request's id>}
//   POST any other request without _meta           400, -32022 "Unsupported protocol version: the
//       request did not name a protocol version", data.supported ["2026-07-28"]
//   POST with MCP-Protocol-Version: 2026-07-28 but no _meta   400, -32602 (envelope missing)
//   POST a notification without _meta (notifications/initialized)   202, empty body, dropped
//   GET (2025 SSE stream) / DELETE (session end)   405, -32000 "Method not allowed."
// So a gateway that probes with server/discover and falls back to initialize sees the fallback fail
// with 400 and can tell the server is modern-only. Modern requests with a missing or disagreeing
// MCP-Protocol-Version / Mcp-Method / Mcp-Name header get 400 -32020 (Mcp-Name is required on
// tools/call, also on an input_required retry); a wrong revision in _meta gets 400 -32022; a
// Content-Type other than application/json 415; a path other than /mcp 404 (text).
//
// Tools:
//   echo        {text: string}  text "modern echo: <text>"
//   ask_name    {}              multi-round-trip (no server->client requests in this era). Round 1
//                               (no inputResponses) answers HTTP 200 with
//                               {"resultType":"input_required","inputRequests":{"name":{"method":
//                               "elicitation/create","params":{"message":"What is your name?",
//                               "requestedSchema":{"type":"object","properties":{"name":{"type":
//                               "string"}},"required":["name"]},"mode":"form"}}},"requestState":"v1..."}
//                               The retry (new id, same Mcp-Name header) with params.inputResponses
//                               {"name":{"action":"accept","content":{"name":X}}} and the echoed
//                               params.requestState answers "Hello, X (round 2)"; decline/cancel
//                               answers "no name given". inputResponses without a requestState are
//                               not trusted: it asks again (round 1). If this request's _meta
//                               clientCapabilities has no `elicitation`, a tool error (isError true):
//                               "client cannot be asked: no elicitation capability declared".
//                               The requestState is HMAC-signed (createRequestStateCodec, per-process
//                               random key, 10 min); a forged or foreign one gets HTTP 200 with
//                               JSON-RPC error -32602 "Invalid or expired requestState".
//   slow        {ms: number}    waits ms milliseconds, then "slept <ms>"; aborted when the client
//                               closes the request's HTTP stream (the 2026-07-28 cancellation) and
//                               then writes the line "cancelled slow" to stderr (a POSTed
//                               notifications/cancelled is answered 202 but reaches a fresh instance,
//                               so it cancels nothing: only closing the stream does)
//   count_calls {}              text: how many tools/call requests this process has served so far,
//                               counting this one (every tools/call whose handler ran, any tool, each
//                               round of ask_name counted separately; calls refused before the
//                               handler -- bad headers, bad arguments, bad requestState -- not counted)
// Resource:
//   modern://greeting           text "hello from a 2026-07-28 server"
//
// Runs on Node 20 or 22 (the package wants node >= 20). The server package is not a direct
// dependency in package.json: it is installed as a dependency of mcp-proxy (^2.0.0 -> 2.4.0).

import http from 'node:http';
import { randomBytes } from 'node:crypto';
import {
  McpServer,
  createMcpHandler,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { toWebRequest, writeWebResponse } from './web-response.mjs';

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks);
}

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  process.stderr.write('usage: node modern-server.mjs <port>\n');
  process.exit(2);
}

let toolCalls = 0;
const text = (t) => ({ content: [{ type: 'text', text: t }] });
const stateCodec = createRequestStateCodec({ key: randomBytes(32), ttlSeconds: 600 });

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function makeServer() {
  const server = new McpServer(
    { name: 'sluice-modern-server', version: '1.0.0' },
    { capabilities: {}, requestState: { verify: stateCodec.verify } },
  );

  server.registerTool(
    'echo',
    { description: 'Echoes the text back.', inputSchema: z.object({ text: z.string() }) },
    async ({ text: t }) => {
      toolCalls++;
      return text(`modern echo: ${t}`);
    },
  );

  server.registerTool(
    'ask_name',
    { description: 'Asks the user for a name (input_required round trip), then greets.', inputSchema: z.object({}) },
    async (_args, ctx) => {
      toolCalls++;
      const answer = inputResponse(ctx.mcpReq.inputResponses, 'name');
      const state = ctx.mcpReq.requestState();
      if (answer.kind === 'elicit' && state !== undefined) {
        if (answer.action !== 'accept') return text('no name given');
        const name = answer.content?.name;
        if (typeof name !== 'string' || name === '') return text('no name given');
        return text(`Hello, ${name} (round 2)`);
      }
      const caps = ctx.mcpReq.envelope?.['io.modelcontextprotocol/clientCapabilities'];
      if (!caps || typeof caps !== 'object' || !caps.elicitation) {
        return { ...text('client cannot be asked: no elicitation capability declared'), isError: true };
      }
      return inputRequired({
        inputRequests: {
          name: inputRequired.elicit({
            message: 'What is your name?',
            requestedSchema: {
              type: 'object',
              properties: { name: { type: 'string' } },
              required: ['name'],
            },
          }),
        },
        requestState: await stateCodec.mint({ tool: 'ask_name', round: 1 }),
      });
    },
  );

  server.registerTool(
    'slow',
    { description: 'Waits ms milliseconds (abortable).', inputSchema: z.object({ ms: z.number() }) },
    async ({ ms }, ctx) => {
      toolCalls++;
      try {
        await sleep(ms, ctx.mcpReq.signal);
      } catch (e) {
        process.stderr.write('cancelled slow\n');
        throw e;
      }
      return text(`slept ${ms}`);
    },
  );

  server.registerTool(
    'count_calls',
    { description: 'How many tools/call requests this process has served so far.', inputSchema: z.object({}) },
    async () => {
      toolCalls++;
      return text(String(toolCalls));
    },
  );

  server.registerResource(
    'greeting',
    'modern://greeting',
    { description: 'A greeting.', mimeType: 'text/plain' },
    async (uri) => ({
      contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'hello from a 2026-07-28 server' }],
    }),
  );

  return server;
}

const handler = createMcpHandler(() => makeServer(), {
  legacy: 'reject',
  onerror: (e) => {
    if (process.env.MCP_DEBUG === '1') process.stderr.write(`modern-server: ${e.message}\n`);
  },
});



const httpServer = http.createServer(async (req, res) => {
  try {
    const path = new URL(req.url, 'http://x').pathname;
    if (path !== '/mcp') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    const response = await handler.fetch(toWebRequest(req, res, body, `127.0.0.1:${port}`));
    await writeWebResponse(response, res);
  } catch (e) {
    process.stderr.write(`modern-server: ${e?.stack ?? e}\n`);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32603, message: 'Internal error' } }));
    } else res.end();
  }
});

httpServer.listen(port, '127.0.0.1', () => {
  process.stderr.write(`modern-server listening on ${port}\n`);
});

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 1000).unref();
  httpServer.close(() => process.exit(0));
  await handler.close().catch(() => {});
  httpServer.closeAllConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
