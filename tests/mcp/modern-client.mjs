#!/usr/bin/env node
// Sluice modern-client: an independent MCP client for the Java integration tests that speaks the
// 2026-07-28 ("stateless") protocol revision over Streamable HTTP, made with the official TypeScript
// SDK v2 client package (@modelcontextprotocol/client 2.4.0: Client + StreamableHTTPClientTransport).
// No initialize handshake and no Mcp-Session-Id: connect() probes with server/discover, then every
// request carries the _meta envelope (protocolVersion, clientInfo, clientCapabilities) and the
// MCP-Protocol-Version / Mcp-Method / Mcp-Name headers, all added by the SDK.
//
//   node modern-client.mjs <url> discover                       the DiscoverResult stored by the SDK + "era"
//   node modern-client.mjs <url> list-tools                     JSON array of tool names (all pages)
//   node modern-client.mjs <url> list-tools-full                JSON array of the full Tool objects (all pages)
//   node modern-client.mjs <url> call <toolName> ['<argsJson>'] the full CallToolResult (also when isError) + "era"
//   node modern-client.mjs <url> read <uri>                     the full ReadResourceResult + "era"
//   node modern-client.mjs <url> get-prompt <name> ['<argsJson>'] the full GetPromptResult + "era"
//   node modern-client.mjs <url> list-resources                 JSON array of the Resource objects (all pages)
//   node modern-client.mjs <url> list-prompts                   JSON array of the Prompt objects (all pages)
//
// "era" is Client.getProtocolEra(): "modern" (2026-07-28 via server/discover) or "legacy" (2025-era
// initialize, only possible with MCP_ERA=auto). With MCP_ERA=auto against a legacy server, `discover`
// has no DiscoverResult and prints {era:"legacy", protocolVersion, capabilities, serverInfo, instructions}
// from the initialize result instead.
//
// Environment:
//   MCP_HEADERS          JSON object of extra HTTP headers sent on every request (e.g. {"Authorization":"Bearer x"})
//   ELICIT_CONTENT       JSON object returned as `content` of the accepted elicitation (default {})
//   MCP_TIMEOUT_MS       per-request timeout, also for the connect-time discover probe (default 60000)
//   MCP_DEBUG=1          transport errors, negotiated era/version and SDK error codes on stderr
//   MCP_ERA              "2026-07-28" (default): versionNegotiation {pin:'2026-07-28'}, no fallback, a legacy
//                        server is an error; "auto": versionNegotiation {mode:'auto'}, probe server/discover
//                        and fall back to the 2025 initialize handshake
//   MCP_CANCEL_AFTER_MS  `call` only: abort the request (AbortController signal) after that many ms and
//                        print {"cancelled":true,"era":...} with exit 0; if the call completes first its
//                        result is printed as usual
//
// Declares the sampling and elicitation (form) capabilities. On 2026-07-28 there are no server->client
// requests: a server that needs input answers tools/call, prompts/get or resources/read with
// resultType "input_required"; the SDK (inputRequired.autoFulfill, the default) dispatches each embedded
// request to the handlers below and retries the call with inputResponses + the echoed requestState.
// sampling/createMessage is answered with {role:"assistant", content:{type:"text",
// text:"sampled by modern-client"}, model:"modern-client", stopReason:"endTurn"}; elicitation/create
// with {action:"accept", content: ELICIT_CONTENT}. (On a legacy-era fallback the same handlers answer
// the server's out-of-band requests.)
//
// Output: exactly one JSON document on stdout, on one line. On any error (bad usage, connection failure,
// HTTP error, era negotiation failure, JSON-RPC error answer, timeout) it prints {"error":"<message>"}
// (plus "code" when the server answered with a JSON-RPC error) and exits 1. Before exiting it closes
// the client (and, after a legacy fallback with a session, DELETEs the session; failures on stderr only).

import {
  Client,
  ProtocolError,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';

const USAGE =
  'usage: node modern-client.mjs <url> discover|list-tools|list-tools-full|list-resources|list-prompts' +
  ' | call <toolName> [argsJson] | read <uri> | get-prompt <name> [argsJson]';
const SAMPLED_TEXT = 'sampled by modern-client';
const MODERN_VERSION = '2026-07-28';
const debug = process.env.MCP_DEBUG === '1';

class UsageError extends Error {}

function log(msg) {
  if (debug) process.stderr.write(`modern-client: ${msg}\n`);
}

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

function parsePositiveInt(text, what) {
  if (text === undefined || text === '') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${what} must be a positive integer, got ${text}`);
  return n;
}

function finish(doc, code) {
  process.stdout.write(JSON.stringify(doc) + '\n', () => process.exit(code));
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
  const timeout = parsePositiveInt(process.env.MCP_TIMEOUT_MS, 'MCP_TIMEOUT_MS') ?? 60000;
  const cancelAfterMs = parsePositiveInt(process.env.MCP_CANCEL_AFTER_MS, 'MCP_CANCEL_AFTER_MS');
  const eraEnv = process.env.MCP_ERA ?? MODERN_VERSION;
  let mode;
  if (eraEnv === 'auto') mode = 'auto';
  else if (eraEnv === MODERN_VERSION || eraEnv === '') mode = { pin: MODERN_VERSION };
  else throw new UsageError(`MCP_ERA must be "${MODERN_VERSION}" or "auto", got ${eraEnv}`);
  const requestOptions = { timeout };

  // Validate the command line before connecting. Each runner returns the document to print.
  // The no-cursor list* calls walk every page (SDK auto-aggregation, capped at listMaxPages).
  let run;
  const withEra = (c, result) => ({ ...result, era: c.getProtocolEra() });
  switch (command) {
    case 'discover':
      run = async (c) => {
        const discovered = c.getDiscoverResult(); // stored by the connect-time server/discover probe
        if (discovered !== undefined) return withEra(c, discovered);
        return {
          era: c.getProtocolEra(),
          protocolVersion: c.getNegotiatedProtocolVersion(),
          capabilities: c.getServerCapabilities(),
          serverInfo: c.getServerVersion(),
          instructions: c.getInstructions(),
        };
      };
      break;
    case 'list-tools':
      run = async (c) => (await c.listTools(undefined, requestOptions)).tools.map((t) => t.name);
      break;
    case 'list-tools-full':
      run = async (c) => (await c.listTools(undefined, requestOptions)).tools;
      break;
    case 'list-resources':
      run = async (c) => (await c.listResources(undefined, requestOptions)).resources;
      break;
    case 'list-prompts':
      run = async (c) => (await c.listPrompts(undefined, requestOptions)).prompts;
      break;
    case 'call': {
      const [name, argsJson] = rest;
      if (!name) throw new UsageError('call needs <toolName> [argsJson]');
      const args = parseJsonObject(argsJson, 'tool arguments');
      run = async (c) => {
        if (cancelAfterMs === undefined) return withEra(c, await c.callTool({ name, arguments: args }, requestOptions));
        const controller = new AbortController();
        const timer = setTimeout(() => {
          log(`aborting call after ${cancelAfterMs} ms`);
          controller.abort(new Error(`cancelled by MCP_CANCEL_AFTER_MS=${cancelAfterMs}`));
        }, cancelAfterMs);
        try {
          return withEra(c, await c.callTool({ name, arguments: args }, { ...requestOptions, signal: controller.signal }));
        } catch (e) {
          if (controller.signal.aborted) {
            log(`call rejected after abort: ${e?.message ?? e}`);
            return { cancelled: true, era: c.getProtocolEra() };
          }
          throw e;
        } finally {
          clearTimeout(timer);
        }
      };
      break;
    }
    case 'read': {
      const [uri] = rest;
      if (!uri) throw new UsageError('read needs <uri>');
      run = async (c) => withEra(c, await c.readResource({ uri }, requestOptions));
      break;
    }
    case 'get-prompt': {
      const [name, argsJson] = rest;
      if (!name) throw new UsageError('get-prompt needs <name> [argsJson]');
      const args = parseJsonObject(argsJson, 'prompt arguments');
      run = async (c) => withEra(c, await c.getPrompt({ name, arguments: args }, requestOptions));
      break;
    }
    default:
      throw new UsageError(`unknown command ${command}; ${USAGE}`);
  }

  const client = new Client(
    { name: 'sluice-modern-client', version: '1.0.0' },
    {
      capabilities: { sampling: {}, elicitation: { form: {} } },
      versionNegotiation: { mode },
      inputRequired: { autoFulfill: true },
    },
  );
  client.setRequestHandler('sampling/createMessage', async () => ({
    role: 'assistant',
    content: { type: 'text', text: SAMPLED_TEXT },
    model: 'modern-client',
    stopReason: 'endTurn',
  }));
  client.setRequestHandler('elicitation/create', async (request) => {
    log(`elicitation/create: ${request?.params?.message ?? ''}`);
    return { action: 'accept', content: elicitContent };
  });
  // Errors of background streams and notifications are not the command's result.
  client.onerror = (err) => log(`transport error: ${err?.message ?? err}`);

  const transport = new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } });
  let result;
  let failure;
  try {
    await client.connect(transport, requestOptions);
    log(`era ${client.getProtocolEra()} version ${client.getNegotiatedProtocolVersion()} session ${transport.sessionId ?? '(none)'}`);
    result = await run(client);
  } catch (e) {
    failure = e;
  } finally {
    if (transport.sessionId !== undefined) {
      // only after a legacy-era fallback (MCP_ERA=auto): 2026-07-28 has no sessions
      try {
        await transport.terminateSession();
      } catch (e) {
        process.stderr.write(`modern-client: session DELETE failed: ${e?.message ?? e}\n`);
      }
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
    // fetch failures hide the reason (e.g. ECONNREFUSED) in the `cause` chain
    for (let c = e?.cause, depth = 0; c && depth < 4; c = c.cause, depth++) {
      const reason = c.message || c.code;
      if (reason && !message.includes(reason)) message += `: ${reason}`;
    }
    const doc = { error: message };
    // JSON-RPC error answers surface as ProtocolError with a numeric code; SdkError codes are strings
    if (e instanceof ProtocolError && typeof e.code === 'number') doc.code = e.code;
    else if (typeof e?.code === 'number' && Number.isInteger(e.code) && e.code < 0) doc.code = e.code;
    if (debug && e?.code !== undefined) process.stderr.write(`modern-client: error code ${e.code}${e?.data !== undefined ? ` data ${JSON.stringify(e.data)}` : ''}\n`);
    finish(doc, 1);
  },
);
