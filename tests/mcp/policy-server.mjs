#!/usr/bin/env node
// Sluice policy-server: a stdio MCP server (official SDK, low-level Server with hand-written JSON
// Schemas) for the security tests. Its tools let a test see what reached the upstream and what did not.
//
//   node policy-server.mjs
//
// Tools (every call except count_calls and calls_seen is counted):
//   run_query    {sql: string}                       text: the SQL it was given (a stand-in "SQL tool")
//   write_row    {table: string, values: object}     text: "wrote <table>"
//   strict_echo  {message: string, times?: integer}  text: message repeated `times` times;
//                additionalProperties: false, so an extra field is invalid (JSON Schema draft 2020-12)
//   legacy_echo  {message: string}                  the same, with a draft-07 schema
//   peek         {}                                  annotated readOnlyHint: true; text "peeked"
//   run_command  {target: string}                    text: "ran <target>" (a tool whose argument would go
//                on a command line)
//   fail_loudly  {}                                  fails with an error message that quotes POLICY_SECRET
//   show_env     {names?: boolean}                   text: "POLICY_SECRET=<value>" (a tool result that leaks);
//                with names: true, the JSON list of the names of its whole environment
//   count_calls  {}                                  text: how many counted calls this process received
//   calls_seen   {}                                  text: JSON list of the counted calls, as "tool args-json"
// Resource policy://notes/secret and prompt secret_prompt (counted as "resource <uri>" / "prompt <name>").
//
// Environment: POLICY_SECRET  a value the tests plant and then look for in logs and answers.
//
// Written against @modelcontextprotocol/sdk 1.x.

import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema, GetPromptRequestSchema, ListPromptsRequestSchema, ListResourcesRequestSchema,
  ListToolsRequestSchema, ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';

const seen = [];
const text = (t) => ({ content: [{ type: 'text', text: t }] });

const tools = [
  {
    name: 'run_query',
    description: 'Runs a read-only SQL query (echoes it).',
    inputSchema: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
  },
  {
    name: 'write_row',
    description: 'Writes a row.',
    inputSchema: {
      type: 'object',
      properties: { table: { type: 'string' }, values: { type: 'object' } },
      required: ['table'],
    },
  },
  {
    name: 'strict_echo',
    description: 'Echoes a message; no other fields allowed.',
    inputSchema: {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { message: { type: 'string' }, times: { type: 'integer', minimum: 1 } },
      required: ['message'],
      additionalProperties: false,
    },
  },
  {
    name: 'legacy_echo',
    description: 'Echoes a message (draft-07 schema).',
    inputSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { message: { type: 'string', maxLength: 20 } },
      required: ['message'],
      additionalProperties: false,
    },
  },
  {
    name: 'peek',
    description: 'Looks without touching.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'run_command',
    description: 'Runs a make target.',
    inputSchema: { type: 'object', properties: { target: { type: 'string' } }, required: ['target'] },
  },
  {
    name: 'fail_loudly',
    description: 'Fails with an error that quotes its secret.',
    inputSchema: { type: 'object', properties: {} },
  },
  {
    name: 'show_env',
    description: 'Shows its secret, as a careless tool would; with names: true the names of its whole environment.',
    inputSchema: { type: 'object', properties: { names: { type: 'boolean' } } },
  },
  { name: 'count_calls', description: 'How many counted calls arrived.', inputSchema: { type: 'object', properties: {} } },
  { name: 'calls_seen', description: 'The counted calls, as JSON.', inputSchema: { type: 'object', properties: {} } },
];

const server = new Server({ name: 'sluice-policy-server', version: '1.0.0' }, {
  capabilities: { tools: {}, resources: {}, prompts: {} },
});

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args = {} } = request.params;
  if (name === 'count_calls') return text(String(seen.length));
  if (name === 'calls_seen') return text(JSON.stringify(seen));
  seen.push(`${name} ${JSON.stringify(args)}`);
  switch (name) {
    case 'run_query':
      return text(String(args.sql));
    case 'write_row':
      return text(`wrote ${args.table}`);
    case 'strict_echo':
    case 'legacy_echo':
      return text(String(args.message).repeat(args.times ?? 1));
    case 'peek':
      return text('peeked');
    case 'run_command':
      return text(`ran ${args.target}`);
    case 'show_env':
      if (args.names === true) return text(JSON.stringify(Object.keys(process.env).sort()));
      return text(`POLICY_SECRET=${process.env.POLICY_SECRET ?? ''}`);
    case 'fail_loudly':
      throw new Error(`connection refused for password ${process.env.POLICY_SECRET ?? ''}`);
    default:
      throw new Error(`unknown tool ${name}`);
  }
});

process.stdin.on('end', () => process.exit(0));
// one resource and one prompt, so that tests can see who reaches them (an API key's tool scope must limit them too)
const note = { uri: 'policy://notes/secret', name: 'secret-note', mimeType: 'text/plain' };
server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [note] }));
server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
  seen.push(`resource ${request.params.uri}`);
  return { contents: [{ uri: request.params.uri, mimeType: 'text/plain', text: 'the secret note' }] };
});
server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [{ name: 'secret_prompt', arguments: [] }] }));
server.setRequestHandler(GetPromptRequestSchema, async (request) => {
  seen.push(`prompt ${request.params.name}`);
  return { messages: [{ role: 'user', content: { type: 'text', text: 'the secret prompt' } }] };
});

await server.connect(new StdioServerTransport());
process.stderr.write('policy-server ready on stdio\n');
