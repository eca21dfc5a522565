#!/usr/bin/env node
// Sluice ts-client: an independent MCP client for the Java integration tests, made with the official
// TypeScript SDK (@modelcontextprotocol/sdk 1.32.2: Client + StreamableHTTPClientTransport).
//
//   node ts-client.mjs <url> list-tools                     JSON array of tool names (all pages)
//   node ts-client.mjs <url> list-tools-full                JSON array of the full Tool objects (all pages)
//   node ts-client.mjs <url> call <toolName> ['<argsJson>'] the full CallToolResult (also when isError)
//   node ts-client.mjs <url> read <uri>                     the full ReadResourceResult
//   node ts-client.mjs <url> get-prompt <name> ['<argsJson>'] the full GetPromptResult
//   node ts-client.mjs <url> list-resources                 JSON array of the Resource objects (all pages)
//   node ts-client.mjs <url> list-prompts                   JSON array of the Prompt objects (all pages)
//   node ts-client.mjs <url> repeat <toolName> <seconds> ['<argsJson>']
//                                                           calls the tool again and again (100 ms apart) in one
//                                                           session for that long: {"ok":n,"failed":n,"errors":[…],
//                                                           "sessionIds":[…]} (every id the session had; one
//                                                           means no new initialize); exit 0 even with failures
//
// Environment:
//   MCP_HEADERS     JSON object of extra HTTP headers sent on every request (e.g. {"Authorization":"Bearer x"})
//   ELICIT_CONTENT  JSON object returned as `content` of the accepted elicitation/create (default {})
//   MCP_TIMEOUT_MS  per-request timeout (default 60000, the SDK default)
//   MCP_DEBUG=1     transport errors and the session id on stderr
//   MCP_TRANSPORT   "sse" for the legacy HTTP+SSE transport (GET <url> stream + POST endpoint), as old clients
//
// Declares the sampling and elicitation (form) capabilities. sampling/createMessage is answered with
// {role:"assistant", content:{type:"text", text:"sampled by ts-client"}, model:"ts-client",
// stopReason:"endTurn"}; elicitation/create with {action:"accept", content: ELICIT_CONTENT}.
//
// Output: exactly one JSON document on stdout, on one line. On any error (bad usage, connection failure,
// HTTP error, JSON-RPC error answer, timeout) it prints {"error":"<message>"} (plus "code" when the
// server answered with a JSON-RPC error) and exits 1. Before exiting it always ends the session with
// DELETE (a failed DELETE is reported on stderr only) and closes the transport.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';

const USAGE =
  'usage: node ts-client.mjs <url> list-tools|list-tools-full|list-resources|list-prompts' +
  ' | call <toolName> [argsJson] | repeat <toolName> <seconds> [argsJson] | read <uri>' +
  ' | get-prompt <name> [argsJson]';
const SAMPLED_TEXT = 'sampled by ts-client';
const debug = process.env.MCP_DEBUG === '1';

class UsageError extends Error {}

function parseJsonObject(text, what) {
  if (text === undefined || text === '') return {};
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what} is not valid JSON: ${e.message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${what} must be a JSON object`);
  }
  return value;
}

function finish(doc, code) {
  process.stdout.write(JSON.stringify(doc) + '\n', () => process.exit(code));
}

async function listAll(fetchPage, key) {
  const items = [];
  let cursor;
  const seen = new Set();
  do {
    const page = await fetchPage(cursor === undefined ? {} : { cursor });
    items.push(...(page[key] ?? []));
    cursor = page.nextCursor;
    if (cursor !== undefined) {
      if (seen.has(cursor)) throw new Error(`server repeated cursor ${JSON.stringify(cursor)} in ${key} listing`);
      seen.add(cursor);
    }
  } while (cursor !== undefined);
  return items;
}

async function main() {
  const [url, command, ...rest] = process.argv.slice(2);
  if (!url || !command) throw new UsageError(USAGE);
  let endpoint;
  try {
    endpoint = new URL(url);
  } catch {
    throw new UsageError(`not a URL: ${url}`);
  }
  const headers = parseJsonObject(process.env.MCP_HEADERS, 'MCP_HEADERS');
  const elicitContent = parseJsonObject(process.env.ELICIT_CONTENT, 'ELICIT_CONTENT');
  const timeoutEnv = Number.parseInt(process.env.MCP_TIMEOUT_MS ?? '', 10);
  const requestOptions = { timeout: Number.isFinite(timeoutEnv) && timeoutEnv > 0 ? timeoutEnv : 60000 };

  // Validate the command line before connecting.
  let run;
  switch (command) {
    case 'list-tools':
      run = async (c) => (await listAll((p) => c.listTools(p, requestOptions), 'tools')).map((t) => t.name);
      break;
    case 'list-tools-full':
      run = (c) => listAll((p) => c.listTools(p, requestOptions), 'tools');
      break;
    case 'list-resources':
      run = (c) => listAll((p) => c.listResources(p, requestOptions), 'resources');
      break;
    case 'list-prompts':
      run = (c) => listAll((p) => c.listPrompts(p, requestOptions), 'prompts');
      break;
    case 'call': {
      const [name, argsJson] = rest;
      if (!name) throw new UsageError('call needs <toolName> [argsJson]');
      const args = parseJsonObject(argsJson, 'tool arguments');
      run = (c) => c.callTool({ name, arguments: args }, undefined, requestOptions);
      break;
    }
    case 'repeat': {
      const [name, secondsText, argsJson] = rest;
      const seconds = Number.parseFloat(secondsText ?? '');
      if (!name || !(seconds > 0)) throw new UsageError('repeat needs <toolName> <seconds> [argsJson]');
      const args = parseJsonObject(argsJson, 'tool arguments');
      run = async (c, t) => {
        const report = { ok: 0, failed: 0, errors: [], sessionIds: [t.sessionId] };
        const end = Date.now() + seconds * 1000;
        while (Date.now() < end) {
          try {
            const r = await c.callTool({ name, arguments: args }, undefined, requestOptions);
            if (r.isError) throw new Error(`tool error: ${JSON.stringify(r.content)}`);
            report.ok++;
          } catch (e) {
            report.failed++;
            if (report.errors.length < 10) report.errors.push(String(e?.message ?? e));
          }
          if (!report.sessionIds.includes(t.sessionId)) report.sessionIds.push(t.sessionId);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        return report;
      };
      break;
    }
    case 'read': {
      const [uri] = rest;
      if (!uri) throw new UsageError('read needs <uri>');
      run = (c) => c.readResource({ uri }, requestOptions);
      break;
    }
    case 'get-prompt': {
      const [name, argsJson] = rest;
      if (!name) throw new UsageError('get-prompt needs <name> [argsJson]');
      const args = parseJsonObject(argsJson, 'prompt arguments');
      run = (c) => c.getPrompt({ name, arguments: args }, requestOptions);
      break;
    }
    default:
      throw new UsageError(`unknown command ${command}; ${USAGE}`);
  }

  const client = new Client(
    { name: 'sluice-ts-client', version: '1.0.0' },
    { capabilities: { sampling: {}, elicitation: {} } },
  );
  client.setRequestHandler(CreateMessageRequestSchema, async () => ({
    role: 'assistant',
    content: { type: 'text', text: SAMPLED_TEXT },
    model: 'ts-client',
    stopReason: 'endTurn',
  }));
  client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: elicitContent }));
  // Errors of the background GET stream (e.g. a 405) and of notifications are not the command's result.
  client.onerror = (err) => {
    if (debug) process.stderr.write(`ts-client: transport error: ${err?.message ?? err}\n`);
  };

  // MCP_TRANSPORT=sse speaks the legacy HTTP+SSE transport (protocol 2024-11-05) as old clients do
  const legacy = process.env.MCP_TRANSPORT === 'sse';
  const transport = legacy
    ? new SSEClientTransport(endpoint, { requestInit: { headers }, eventSourceInit: { fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers ?? {}), ...headers } }) } })
    : new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } });
  let result;
  let failure;
  try {
    await client.connect(transport, requestOptions);
    if (debug) process.stderr.write(`ts-client: session ${transport.sessionId ?? '(none)'}\n`);
    result = await run(client, transport);
  } catch (e) {
    failure = e;
  } finally {
    try {
      if (!legacy) await transport.terminateSession(); // DELETE with Mcp-Session-Id; no-op without a session
    } catch (e) {
      process.stderr.write(`ts-client: session DELETE failed: ${e?.message ?? e}\n`);
    }
    try {
      await client.close();
    } catch {
      // already closed
    }
  }
  if (failure) throw failure;
  return result;
}

main().then(
  (result) => finish(result, 0),
  (e) => {
    let message = String(e?.message ?? e);
    const cause = e?.cause?.message ?? e?.cause?.code; // fetch failures hide the reason in `cause`
    if (cause && !message.includes(cause)) message += `: ${cause}`;
    const doc = { error: message };
    if (e instanceof McpError && typeof e.code === 'number') doc.code = e.code;
    finish(doc, 1);
  },
);
