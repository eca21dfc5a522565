#!/usr/bin/env node
// Sluice counting-server: a Streamable HTTP MCP server (official SDK, stateless mode) that counts
// every tool call it receives, so cache tests can see at the upstream which calls reached it.
//
//   node counting-server.mjs --port 3911
//
// Tools:
//   lookup   {key: string, options?: object}  read: text JSON {"key", "options", "call": n}, n = this
//            process's lookup call count (an identical answer means the upstream was not called)
//   profile  {table: string}                  read: text "profile of <table> #n" (another cacheable tool)
//   update   {key: string}                    write: text "updated <key>"
//   status   {}                               read: text "status #n"
//   big      {size: integer}                  read: text of `size` characters
//   calls    {}                               text JSON: calls per tool so far (the tests read it
//                                             through Sluice with caching off for this tool)
//   flaky_read   {}                           read: text "flaky_read #n"
//   flaky_write  {}                           write: text "flaky_write #n"
//   flaky_marked {}                           write (the tests' catalog marks it idempotent): text "flaky_marked #n"
//   arm      {tool: string, failures: integer} the next `failures` calls of that flaky_ tool are
//                                             counted and then refused with HTTP 503 before the MCP
//                                             layer sees them (an upstream that cannot take the call)
//
// Written against @modelcontextprotocol/sdk 1.x.

import http from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1] || 3911);
const counts = {};
const armed = {};
const text = (t) => ({ content: [{ type: 'text', text: t }] });
const ro = { readOnlyHint: true };

const tools = [
  {
    name: 'lookup',
    description: 'Looks a key up; says how many lookups this server has answered.',
    inputSchema: {
      type: 'object',
      properties: { key: { type: 'string' }, options: { type: 'object' } },
      required: ['key'],
    },
    annotations: ro,
  },
  {
    name: 'profile',
    description: 'Profiles a table.',
    inputSchema: { type: 'object', properties: { table: { type: 'string' } }, required: ['table'] },
    annotations: ro,
  },
  {
    name: 'update',
    description: 'Changes a key.',
    inputSchema: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
  },
  {
    name: 'status',
    description: 'Says the server is up.',
    inputSchema: { type: 'object', properties: {} },
    annotations: ro,
  },
  {
    name: 'big',
    description: 'Answers with a text of the given size.',
    inputSchema: { type: 'object', properties: { size: { type: 'integer' } }, required: ['size'] },
    annotations: ro,
  },
  { name: 'flaky_read', description: 'Fails when armed.', inputSchema: { type: 'object', properties: {} }, annotations: ro },
  { name: 'flaky_write', description: 'Fails when armed.', inputSchema: { type: 'object', properties: {} } },
  { name: 'flaky_marked', description: 'Fails when armed.', inputSchema: { type: 'object', properties: {} } },
  {
    name: 'arm',
    description: 'Makes the next calls of a flaky_ tool fail with HTTP 503.',
    inputSchema: {
      type: 'object',
      properties: { tool: { type: 'string' }, failures: { type: 'integer' } },
      required: ['tool', 'failures'],
    },
  },
  {
    name: 'calls',
    description: 'How many calls of each tool reached this server.',
    inputSchema: { type: 'object', properties: {} },
    annotations: ro,
  },
];

function createServer() {
  const server = new Server({ name: 'counting-server', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: a = {} } = request.params;
    if (name !== 'calls' && !name.startsWith('flaky_')) counts[name] = (counts[name] ?? 0) + 1;
    if (name.startsWith('flaky_')) return text(`${name} #${counts[name]}`);
    switch (name) {
      case 'lookup':
        return text(JSON.stringify({ key: a.key, options: a.options ?? null, call: counts.lookup }));
      case 'profile':
        return text(`profile of ${a.table} #${counts.profile}`);
      case 'update':
        return text(`updated ${a.key}`);
      case 'status':
        return text(`status #${counts.status}`);
      case 'big':
        return text('x'.repeat(a.size));
      case 'arm':
        armed[a.tool] = a.failures;
        return text(`armed ${a.tool} for ${a.failures} failures`);
      case 'calls':
        return text(JSON.stringify(counts));
      default:
        return { content: [{ type: 'text', text: `unknown tool ${name}` }], isError: true };
    }
  });
  return server;
}

const httpServer = http.createServer(async (req, res) => {
  if (!req.url.startsWith('/mcp')) {
    res.writeHead(404).end();
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { Allow: 'POST' }).end();
    return;
  }
  let raw = '';
  for await (const chunk of req) raw += chunk;
  const message = JSON.parse(raw);
  const tool = message.method === 'tools/call' ? String(message.params?.name ?? '') : '';
  if (tool.startsWith('flaky_')) {
    counts[tool] = (counts[tool] ?? 0) + 1; // every call that reached this process, refused or not
    if ((armed[tool] ?? 0) > 0) {
      armed[tool] -= 1;
      res.writeHead(503, { 'Content-Type': 'text/plain' }).end('not now');
      return;
    }
  }
  const server = createServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    transport.close();
    server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, message);
});
httpServer.listen(port, '127.0.0.1', () => console.error(`counting-server on http://127.0.0.1:${port}/mcp`));
