// The MCP tasks extension (io.modelcontextprotocol/tasks, SEP-2663, on protocol revision 2026-07-28),
// by hand, for modern-fixture.mjs: @modelcontextprotocol/server 2.4.0 has no tasks support, but lets a
// server register tasks/get, tasks/update and tasks/cancel as extension methods, passes a tools/call
// result with resultType "task" through, and already checks Mcp-Name == params.taskId on tasks/*
// (-32020 + HTTP 400). This module adds the rest: the task store, the task tools, the -32021 gate, and
// the CreateTaskResult wire shape. It serves the 10 tasks-* scenarios of conformance 0.2.0-alpha.12.
//
//   const tasks = createTasksExtension({ stateCodec });   // once per process (the store is shared)
//   const registerTaskTools = tasks.attach(server);       // right after `new McpServer(...)`, which must
//                                                         // not declare capabilities.tools (see attach)
//   ... the fixture's own tools ...
//   registerTaskTools();                                  // last: the task tools go at the end of tools/list
//   response = await tasks.finishResponse(rawBody, response)   // on every 2026-07-28 answer
//
// Task tools (taskSupport as in the 2025-11-25 vocabulary, said in each description -- 2026-07-28 has no
// Tool.execution and the SDK strips it from tools/list; "declared" = the request's
// _meta["io.modelcontextprotocol/clientCapabilities"].extensions["io.modelcontextprotocol/tasks"]):
//   greet {name}                  forbidden  always a plain result "Hello, <name>!"
//   slow_compute {seconds,label}  optional   declared and seconds > 0: a task that completes after
//                                            `seconds` s ("slow_compute <label>: done after N s");
//                                            seconds 0 (the SEP's immediate-result shortcut) or not
//                                            declared: the same result synchronously. Cancel -> cancelled
//   failing_job {}                required   task; after 1 s completed with result.isError true
//   protocol_error_job {}         optional   task; after 300 ms failed, error {code:-32603,message};
//                                            not declared: the JSON-RPC error -32603 itself
//   confirm_delete {filename}     optional   task; input_required at once, inputRequests {confirm:
//                                            elicitation/create {confirm:boolean}}; after tasks/update
//                                            completed "Deleted <filename>" (or "Kept ..." when not
//                                            accepted with confirm true). Not declared: the same question
//                                            as an MRTR input_required round
//   multi_input {}                optional   task; input_required with two keys at once, name and
//                                            confirm; stays input_required (with only the unanswered key)
//                                            until both are answered, then completed. Not declared: MRTR
//   test_tool_with_task {}        required   MRTR first: input_required {user_name: elicitation/create}
//                                            + a signed requestState (no taskId); the retry with the
//                                            answer and the state -> CreateTaskResult (no requestState);
//                                            the task completes after 300 ms with "Hello, <name>! ..."
// Rules:
//   - CreateTaskResult (tools/call): flat {resultType:"task", taskId, status:"working", createdAt,
//     lastUpdatedAt, ttlMs, pollIntervalMs} (+ the SDK's _meta serverInfo); no content, result, error,
//     inputRequests or requestState. The task is in the store before the answer is sent.
//   - tasks/get {taskId} -> DetailedTask + resultType "complete": the Task fields plus inputRequests
//     (input_required: only the keys still unanswered), result (completed: the CallToolResult
//     {content, isError?}) or error (failed: {code, message}); statusMessage on failed/cancelled
//     /input_required; never requestState, never the v1 related-task _meta, no ttl/pollInterval keys.
//   - tasks/update {taskId, inputResponses} -> {resultType:"complete"}: answers to outstanding keys are
//     taken (partial sets allowed), other keys ignored, answers to a terminal task ignored; an
//     outstanding key answered with a non-object (or an elicitation answer without a valid action)
//     -> -32602 and nothing is taken.
//   - tasks/cancel {taskId} -> {resultType:"complete"}; a running task becomes cancelled at once (its
//     work is aborted); a terminal task is left as it is (the same ack).
//   - unknown or expired taskId -> -32602 (HTTP 200) on all three. tasks/result and tasks/list are
//     not served (-32601 + HTTP 404, from the SDK).
//   - Not declared: tasks/get|update|cancel and tools/call of a `required` tool -> -32021 + HTTP 400,
//     data {requiredCapabilities: {extensions: {"io.modelcontextprotocol/tasks": {}}}}; `optional`
//     tools run synchronously (never a CreateTaskResult).
//   - Mcp-Name must equal params.taskId on tasks/* (the SDK: -32020 + HTTP 400).
//   - Tasks live FIXTURE_TASK_TTL_MS (default 300000) from creation, then are dropped (-32602);
//     pollIntervalMs FIXTURE_TASK_POLL_MS (default 200). Not bound to a caller (no auth here).
//   - server/discover: capabilities.extensions["io.modelcontextprotocol/tasks"] = {} (no
//     capabilities.tasks). notifications/tasks are not sent (optional in the SEP; SDK 2.4.0's listen
//     bus carries only the four list/resource events): a subscriptions/listen with
//     notifications.taskIds is acknowledged by the SDK with `notifications: {}` (no task ids agreed),
//     also when the request did not declare the extension (the SEP wants -32021 there; not tested).

import { randomUUID } from 'node:crypto';
import { ProtocolError, fromJsonSchema, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import * as z from 'zod';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
export const TASK_TOOL_NAMES = [
  'greet',
  'slow_compute',
  'failing_job',
  'protocol_error_job',
  'confirm_delete',
  'multi_input',
  'test_tool_with_task',
];

const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;
const MISSING_CAPABILITY = -32021;
const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

const text = (t) => ({ type: 'text', text: t });
const result = (t) => ({ content: [text(t)] });
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const elicit = (message, requestedSchema) => ({
  method: 'elicitation/create',
  params: { mode: 'form', message, requestedSchema },
});
const NAME_SCHEMA = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const CONFIRM_SCHEMA = { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] };

class Cancelled extends Error {}

function abortableSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Cancelled('cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Cancelled('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether the request declared the tasks extension in its own _meta clientCapabilities. */
export function declaresTasks(ctx) {
  const caps = ctx?.mcpReq?.envelope?.['io.modelcontextprotocol/clientCapabilities'];
  return isPlainObject(caps) && isPlainObject(caps.extensions) && isPlainObject(caps.extensions[TASKS_EXTENSION]);
}

function missingExtension(what) {
  return new ProtocolError(MISSING_CAPABILITY, `Missing required client capability: ${what} needs the ${TASKS_EXTENSION} extension`, {
    requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } },
  });
}

// ---------------------------------------------------------------------------------------------
// The store: tasks of the whole process (the fixture builds one McpServer per request)
// ---------------------------------------------------------------------------------------------

class TaskStore {
  constructor({ ttlMs, pollIntervalMs }) {
    this.ttlMs = ttlMs;
    this.pollIntervalMs = pollIntervalMs;
    this.tasks = new Map();
    this.sweeper = setInterval(() => this.sweep(), Math.max(1000, Math.min(ttlMs, 30_000)));
    this.sweeper.unref();
  }

  sweep() {
    const now = Date.now();
    for (const [id, task] of this.tasks) {
      if (now - task.created >= this.ttlMs) {
        task.abort.abort();
        this.tasks.delete(id);
      }
    }
  }

  close() {
    clearInterval(this.sweeper);
    for (const task of this.tasks.values()) task.abort.abort();
    this.tasks.clear();
  }

  /** Creates a task, stores it, starts `work(t)` on the next tick and returns the CreateTaskResult. */
  start(tool, work) {
    const now = new Date();
    const task = {
      taskId: randomUUID(),
      tool,
      status: 'working',
      statusMessage: undefined,
      created: now.getTime(),
      createdAt: now.toISOString(),
      lastUpdatedAt: now.toISOString(),
      abort: new AbortController(),
      pending: new Map(), // key -> { request, resolve }
      answers: {},
      result: undefined,
      error: undefined,
    };
    this.tasks.set(task.taskId, task);
    const t = {
      signal: task.abort.signal,
      sleep: (ms) => abortableSleep(ms, task.abort.signal),
      input: (requests) => this.awaitInput(task, requests),
    };
    setImmediate(() => {
      Promise.resolve()
        .then(() => work(t))
        .then(
          (value) => this.settle(task, { status: 'completed', result: value }),
          (e) => {
            if (e instanceof Cancelled) return;
            const code = typeof e?.code === 'number' ? e.code : INTERNAL_ERROR;
            const error = { code, message: e?.message ?? String(e) };
            if (e?.data !== undefined) error.data = e.data;
            this.settle(task, { status: 'failed', error, statusMessage: `Tool execution failed: ${error.message}` });
          },
        );
    });
    return {
      resultType: 'task',
      taskId: task.taskId,
      status: task.status,
      createdAt: task.createdAt,
      lastUpdatedAt: task.lastUpdatedAt,
      ttlMs: this.ttlMs,
      pollIntervalMs: this.pollIntervalMs,
    };
  }

  touch(task, status, statusMessage) {
    task.status = status;
    task.statusMessage = statusMessage;
    task.lastUpdatedAt = new Date().toISOString();
  }

  settle(task, { status, result, error, statusMessage }) {
    if (TERMINAL.has(task.status) || !this.tasks.has(task.taskId)) return; // cancelled or expired meanwhile
    task.result = result;
    task.error = error;
    task.pending.clear();
    this.touch(task, status, statusMessage);
  }

  /** Parks the task in input_required until every key of `requests` is answered (tasks/update). */
  awaitInput(task, requests) {
    if (task.abort.signal.aborted) return Promise.reject(new Cancelled('cancelled'));
    const keys = Object.keys(requests);
    return new Promise((resolve, reject) => {
      const answered = {};
      let left = keys.length;
      for (const key of keys) {
        task.pending.set(key, {
          request: requests[key],
          resolve: (answer) => {
            answered[key] = answer;
            if (--left === 0) {
              task.abort.signal.removeEventListener('abort', onAbort);
              resolve(answered);
            }
          },
        });
      }
      const onAbort = () => reject(new Cancelled('cancelled'));
      task.abort.signal.addEventListener('abort', onAbort, { once: true });
      this.touch(task, 'input_required', `waiting for ${keys.join(', ')}`);
    });
  }

  get(taskId) {
    const task = this.tasks.get(taskId);
    if (task === undefined || Date.now() - task.created >= this.ttlMs) {
      throw new ProtocolError(INVALID_PARAMS, `Failed to retrieve task: Task not found: ${taskId}`);
    }
    return task;
  }

  /** The DetailedTask of tasks/get (the SDK adds resultType "complete" and _meta). */
  detailed(taskId) {
    const task = this.get(taskId);
    const d = {
      taskId: task.taskId,
      status: task.status,
      ...(task.statusMessage !== undefined ? { statusMessage: task.statusMessage } : {}),
      createdAt: task.createdAt,
      lastUpdatedAt: task.lastUpdatedAt,
      ttlMs: this.ttlMs,
      pollIntervalMs: this.pollIntervalMs,
    };
    if (task.status === 'input_required') {
      d.inputRequests = Object.fromEntries([...task.pending].map(([k, v]) => [k, structuredClone(v.request)]));
    } else if (task.status === 'completed') {
      d.result = structuredClone(task.result);
    } else if (task.status === 'failed') {
      d.error = structuredClone(task.error);
    }
    return d;
  }

  /** `inputResponses`: the answers that are objects; `malformed`: the keys whose answer is not one. */
  update(taskId, inputResponses, malformed) {
    const task = this.get(taskId);
    if (TERMINAL.has(task.status)) return; // too late: ignored, still acknowledged
    const bad = malformed.find((key) => task.pending.has(key));
    if (bad !== undefined) {
      throw new ProtocolError(INVALID_PARAMS, `Invalid inputResponses: the answer to ${bad} must be a result object`);
    }
    const accepted = [];
    for (const [key, answer] of Object.entries(inputResponses)) {
      const pending = task.pending.get(key);
      if (pending === undefined) continue; // never asked, already answered or superseded: ignored
      if (pending.request.method === 'elicitation/create' && !['accept', 'decline', 'cancel'].includes(answer.action)) {
        throw new ProtocolError(INVALID_PARAMS, `Invalid inputResponses: the answer to ${key} must be an elicitation result`);
      }
      accepted.push([key, pending, answer]);
    }
    for (const [key, pending, answer] of accepted) {
      task.pending.delete(key);
      pending.resolve(answer);
    }
    if (accepted.length > 0) {
      if (task.pending.size === 0) this.touch(task, 'working', undefined);
      else this.touch(task, 'input_required', `waiting for ${[...task.pending.keys()].join(', ')}`);
    }
  }

  cancel(taskId) {
    const task = this.get(taskId);
    if (TERMINAL.has(task.status)) return; // idempotent
    task.pending.clear();
    this.touch(task, 'cancelled', 'Cancelled by tasks/cancel');
    task.abort.abort();
  }
}

// ---------------------------------------------------------------------------------------------
// The extension
// ---------------------------------------------------------------------------------------------

export function createTasksExtension({
  stateCodec,
  ttlMs = Number(process.env.FIXTURE_TASK_TTL_MS ?? 300_000),
  pollIntervalMs = Number(process.env.FIXTURE_TASK_POLL_MS ?? 200),
} = {}) {
  const store = new TaskStore({ ttlMs, pollIntervalMs });

  const TASK_SUPPORT = {
    greet: 'forbidden',
    slow_compute: 'optional',
    failing_job: 'required',
    protocol_error_job: 'optional',
    confirm_delete: 'optional',
    multi_input: 'optional',
    test_tool_with_task: 'required',
  };

  // Runs before McpServer's own tools/call handler, i.e. outside its try/catch that turns every throw
  // into an isError result: the JSON-RPC errors of the task tools come from here.
  function gate(request, ctx) {
    const name = request?.params?.name;
    if (!Object.hasOwn(TASK_SUPPORT, name) || declaresTasks(ctx)) return;
    if (TASK_SUPPORT[name] === 'required') throw missingExtension(`tool ${name} (taskSupport required)`);
    if (name === 'protocol_error_job') {
      throw new ProtocolError(INTERNAL_ERROR, 'protocol_error_job: simulated internal failure');
    }
  }

  function registerTools(server) {
    // No `execution: {taskSupport}` in tools/list: 2026-07-28 deleted Tool.execution (SEP-2663 has task
    // creation server-directed and defines no per-tool flag) and SDK 2.4.0 strips it from tools/list on
    // that revision; the descriptions say it instead.
    const tool = (name, description, inputSchema, cb) =>
      server.registerTool(name, { description, inputSchema: fromJsonSchema(inputSchema) }, cb);

    tool(
      'greet',
      'taskSupport forbidden: returns "Hello, {name}!"',
      { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      async ({ name }) => result(`Hello, ${name}!`),
    );

    tool(
      'slow_compute',
      'taskSupport optional: sleeps `seconds` seconds, then returns a result (seconds 0: an immediate result)',
      {
        type: 'object',
        properties: { seconds: { type: 'number', minimum: 0 }, label: { type: 'string' } },
      },
      async ({ seconds = 1, label = 'unlabelled' }, ctx) => {
        const ms = Math.max(0, Number(seconds) || 0) * 1000;
        const done = () => result(`slow_compute ${label}: done after ${ms / 1000} s`);
        if (!declaresTasks(ctx) || ms === 0) {
          await abortableSleep(ms, ctx.mcpReq.signal);
          return done();
        }
        return store.start('slow_compute', async (t) => {
          await t.sleep(ms);
          return done();
        });
      },
    );

    tool(
      'failing_job',
      'taskSupport required: the task completes after 1 s with a tool execution error (result.isError true)',
      { type: 'object', properties: {} },
      async () =>
        store.start('failing_job', async (t) => {
          await t.sleep(1000);
          return { content: [text('failing_job: the job failed (a tool execution error)')], isError: true };
        }),
    );

    tool(
      'protocol_error_job',
      'taskSupport optional: the task fails after 300 ms with a JSON-RPC error (-32603)',
      { type: 'object', properties: {} },
      async () =>
        store.start('protocol_error_job', async (t) => {
          await t.sleep(300);
          throw new ProtocolError(INTERNAL_ERROR, 'protocol_error_job: simulated internal failure');
        }),
    );

    const confirmQuestion = (filename) => elicit(`Delete ${filename}?`, CONFIRM_SCHEMA);
    const confirmOutcome = (filename, answer) =>
      answer?.action === 'accept' && answer.content?.confirm === true
        ? result(`Deleted ${filename}`)
        : result(`Kept ${filename} (action=${answer?.action})`);
    tool(
      'confirm_delete',
      'taskSupport optional: asks for a confirmation (elicitation, key confirm), then answers',
      { type: 'object', properties: { filename: { type: 'string' } }, required: ['filename'] },
      async ({ filename }, ctx) => {
        if (!declaresTasks(ctx)) {
          const answer = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
          if (answer.kind === 'elicit') return confirmOutcome(filename, answer);
          return inputRequired({ inputRequests: { confirm: confirmQuestion(filename) } });
        }
        return store.start('confirm_delete', async (t) => {
          const { confirm } = await t.input({ confirm: confirmQuestion(filename) });
          return confirmOutcome(filename, confirm);
        });
      },
    );

    const multiQuestions = () => ({
      name: elicit('multi_input: what is your name?', NAME_SCHEMA),
      confirm: elicit('multi_input: go ahead?', CONFIRM_SCHEMA),
    });
    const multiOutcome = (name, confirm) =>
      result(`multi_input: name=${name?.content?.name ?? '(none)'}, confirm=${confirm?.content?.confirm ?? '(none)'}`);
    tool(
      'multi_input',
      'taskSupport optional: asks two questions at once (elicitations, keys name and confirm)',
      { type: 'object', properties: {} },
      async (_args, ctx) => {
        if (!declaresTasks(ctx)) {
          const name = inputResponse(ctx.mcpReq.inputResponses, 'name');
          const confirm = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
          if (name.kind === 'elicit' && confirm.kind === 'elicit') return multiOutcome(name, confirm);
          return inputRequired({ inputRequests: multiQuestions() });
        }
        return store.start('multi_input', async (t) => {
          const answers = await t.input(multiQuestions());
          return multiOutcome(answers.name, answers.confirm);
        });
      },
    );

    tool(
      'test_tool_with_task',
      'taskSupport required: MRTR first (input_required, key user_name, with requestState), then a task whose result greets the name',
      { type: 'object', properties: {} },
      async (_args, ctx) => {
        const answer = inputResponse(ctx.mcpReq.inputResponses, 'user_name');
        const name = answer.kind === 'elicit' && answer.action === 'accept' ? answer.content?.name : undefined;
        if (typeof name === 'string' && ctx.mcpReq.requestState()?.tool === 'tool_with_task') {
          return store.start('test_tool_with_task', async (t) => {
            await t.sleep(300);
            return result(`Hello, ${name}! (name gathered by MRTR before the task was created)`);
          });
        }
        return inputRequired({
          inputRequests: { user_name: elicit('What is your name?', NAME_SCHEMA) },
          requestState: await stateCodec.mint({ tool: 'tool_with_task', round: 1 }),
        });
      },
    );
  }

  return {
    store,

    /**
     * Wires the extension into one McpServer: capability, tasks/* handlers, and the tools/call gate
     * (which must be installed before the first registerTool). Returns the function that registers
     * the task tools; call it after the fixture's own tools so they keep their places in tools/list.
     */
    attach(server) {
      const low = server.server;
      // McpServer installs its tools/call handler in its constructor when the options declare
      // capabilities.tools, else at the first registerTool; the gate must see it being installed.
      try {
        low.assertCanSetRequestHandler('tools/call');
      } catch {
        throw new Error('tasks.attach(server): call it before the first registerTool, on a McpServer constructed without capabilities.tools (registerTool declares it)');
      }
      low.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } });
      const set = low.setRequestHandler.bind(low);
      low.setRequestHandler = (method, ...rest) => {
        if (method === 'tools/call' && rest.length === 1 && typeof rest[0] === 'function') {
          const inner = rest[0];
          return set(method, (request, ctx) => {
            gate(request, ctx);
            return inner(request, ctx);
          });
        }
        return set(method, ...rest);
      };
      const taskIdParams = z.looseObject({ taskId: z.string() });
      set('tasks/get', { params: taskIdParams }, async ({ taskId }, ctx) => {
        if (!declaresTasks(ctx)) throw missingExtension('tasks/get');
        return store.detailed(taskId);
      });
      // The SDK lifts params.inputResponses out of every request (the MRTR field): the answers that
      // are objects arrive as ctx.mcpReq.inputResponses, the keys of the others as
      // ctx.mcpReq.droppedInputResponseKeys.
      set('tasks/update', { params: taskIdParams }, async ({ taskId }, ctx) => {
        if (!declaresTasks(ctx)) throw missingExtension('tasks/update');
        const { inputResponses, droppedInputResponseKeys = [] } = ctx.mcpReq;
        if (inputResponses === undefined) {
          throw new ProtocolError(INVALID_PARAMS, 'Invalid params for tasks/update: inputResponses is required');
        }
        store.update(taskId, inputResponses, droppedInputResponseKeys);
        return {};
      });
      set('tasks/cancel', { params: taskIdParams }, async ({ taskId }, ctx) => {
        if (!declaresTasks(ctx)) throw missingExtension('tasks/cancel');
        store.cancel(taskId);
        return {};
      });
      return () => registerTools(server);
    },

    /**
     * The SDK gives every tools/call result without `content` an empty `content: []`; a
     * CreateTaskResult has no content, so it is taken off again here (JSON answers only: a tools/call
     * that creates a task sends no notifications, so its answer is never SSE).
     */
    async finishResponse(rawBody, response) {
      if (!rawBody || !rawBody.includes('"tools/call"')) return response;
      if (!(response.headers.get('content-type') ?? '').includes('application/json')) return response;
      const body = await response.text();
      let out = body;
      if (body.includes('"resultType":"task"')) {
        try {
          const msg = JSON.parse(body);
          const r = msg?.result;
          if (r?.resultType === 'task' && Array.isArray(r.content) && r.content.length === 0) {
            delete r.content;
            out = JSON.stringify(msg);
          }
        } catch {
          // not JSON after all: pass it on unchanged
        }
      }
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(out, { status: response.status, statusText: response.statusText, headers });
    },

    close() {
      store.close();
    },
  };
}
