// The five agent profiles (admins edit them), running a task and watching its steps as they happen,
// and the run history.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { href, navigate, useApi, useTitle } from '../hooks.js';
import { useMe } from '../session.js';
import { Async, Badge, ErrorBox, Loading, PageHeader, StateBadge } from '../components/Status.jsx';
import { Dialog } from '../components/Dialog.jsx';
import { ago, compact, dateTime, micros, num } from '../format.js';
import { showFieldErrors } from '../forms.js';

/** Runs just started here, shown at once on their page before the first poll answers. */
const started = new Map();

/** How often a running run is asked for its steps. */
const POLL_MS = 1000;

function lines(list) {
  return (list || []).join('\n');
}
function unlines(text) {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

function ProfileForm({ profile, onSaved, onCancel }) {
  const [form, setForm] = useState({
    purpose: profile.purpose || '',
    systemPrompt: profile.systemPrompt || '',
    servers: lines(profile.servers),
    tools: lines(profile.tools),
    routineModel: profile.routineModel || '',
    reasoningModel: profile.reasoningModel || '',
    stepLimit: String(profile.stepLimit),
    tokenBudget: String(profile.tokenBudget),
    enabled: profile.enabled
  });
  const [errors, setErrors] = useState({});
  const [state, setState] = useState({ busy: false, error: null });
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    const found = {};
    if (!form.purpose.trim()) found.purpose = 'Required.';
    if (!form.systemPrompt.trim()) found.systemPrompt = 'Required.';
    for (const k of ['routineModel', 'reasoningModel']) {
      if (form[k].trim() && !/^(openai|anthropic):\S+$/.test(form[k].trim())) found[k] = 'openai:<model> or anthropic:<model>, or empty for the default.';
    }
    const steps = Number(form.stepLimit);
    if (!Number.isInteger(steps) || steps < 1 || steps > 100) found.stepLimit = 'A whole number from 1 to 100.';
    const budget = Number(form.tokenBudget);
    if (!Number.isInteger(budget) || budget < 1 || budget > 10_000_000) found.tokenBudget = 'A whole number from 1 to 10,000,000.';
    for (const k of ['servers', 'tools']) if (unlines(form[k]).some((s) => s.includes(','))) found[k] = 'One per line, without commas.';
    if (showFieldErrors(found, setErrors, 'profile-')) return;
    setState({ busy: true, error: null });
    try {
      const saved = await api.put(`agents/${seg(profile.role)}`, {
        purpose: form.purpose.trim(),
        systemPrompt: form.systemPrompt.trim(),
        servers: unlines(form.servers),
        tools: unlines(form.tools),
        routineModel: form.routineModel.trim() || null,
        reasoningModel: form.reasoningModel.trim() || null,
        stepLimit: steps,
        tokenBudget: budget,
        enabled: form.enabled
      });
      onSaved(saved);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  const field = (k, label, input, hint) => (
    <div class="field">
      <label for={`profile-${k}`}>{label}</label>
      {input}
      {hint && (
        <p class="hint" id={`profile-${k}-hint`}>
          {hint}
        </p>
      )}
      {errors[k] && (
        <p class="field-error" id={`profile-${k}-error`}>
          {errors[k]}
        </p>
      )}
    </div>
  );
  const a = (k, hint) => ({
    id: `profile-${k}`,
    'aria-invalid': errors[k] ? 'true' : undefined,
    'aria-describedby': [hint ? `profile-${k}-hint` : null, errors[k] ? `profile-${k}-error` : null].filter(Boolean).join(' ') || undefined
  });
  return (
    <form onSubmit={submit} noValidate data-testid="profile-form">
      {state.error && <ErrorBox error={state.error} title="The profile was not saved" />}
      {field('purpose', 'Purpose', <input type="text" {...a('purpose')} value={form.purpose} onInput={set('purpose')} />)}
      {field('systemPrompt', 'System prompt', <textarea rows={5} {...a('systemPrompt')} value={form.systemPrompt} onInput={set('systemPrompt')} />)}
      <div class="form-grid">
        {field('servers', 'Servers', <textarea rows={4} class="mono" {...a('servers', true)} value={form.servers} onInput={set('servers')} />, 'Catalog servers, one per line.')}
        {field('tools', 'Tools', <textarea rows={4} class="mono" {...a('tools', true)} value={form.tools} onInput={set('tools')} />, 'Glob patterns over federated names, one per line: postgres__list_*')}
        {field('routineModel', 'Routine model', <input type="text" class="mono" {...a('routineModel', true)} value={form.routineModel} onInput={set('routineModel')} placeholder="configured default" />, 'openai:<model> or anthropic:<model>')}
        {field('reasoningModel', 'Reasoning model', <input type="text" class="mono" {...a('reasoningModel', true)} value={form.reasoningModel} onInput={set('reasoningModel')} placeholder="configured default" />, 'openai:<model> or anthropic:<model>')}
        {field('stepLimit', 'Step limit', <input type="number" min="1" max="100" step="1" {...a('stepLimit')} value={form.stepLimit} onInput={set('stepLimit')} />)}
        {field('tokenBudget', 'Token budget per run', <input type="number" min="1" step="1" {...a('tokenBudget')} value={form.tokenBudget} onInput={set('tokenBudget')} />)}
      </div>
      <div class="field field-check">
        <input type="checkbox" id="profile-enabled" checked={form.enabled} onChange={set('enabled')} />
        <label for="profile-enabled">Enabled (runs may start)</label>
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={state.busy}>
          {state.busy ? 'Saving…' : 'Save profile'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function Profiles({ profiles, onChanged }) {
  const me = useMe();
  const [editing, setEditing] = useState(null);
  return (
    <section aria-labelledby="profiles-title">
      <h2 id="profiles-title">Profiles</h2>
      <ul class="profiles" data-testid="profiles">
        {profiles.map((p) => (
          <li key={p.role} class="card profile" data-testid={`profile-${p.role}`}>
            <div class="card-head">
              <h3>{p.role}</h3>
              <Badge tone={p.enabled ? 'ok' : 'off'}>{p.enabled ? 'enabled' : 'disabled'}</Badge>
            </div>
            <p>{p.purpose}</p>
            <dl class="facts facts-compact">
              <dt>Routine model</dt>
              <dd>{p.routineModel || <span class="muted">default</span>}</dd>
              <dt>Reasoning model</dt>
              <dd>{p.reasoningModel || <span class="muted">default</span>}</dd>
              <dt>Step limit</dt>
              <dd>{num(p.stepLimit)}</dd>
              <dt>Token budget</dt>
              <dd>{compact(p.tokenBudget)} per run</dd>
            </dl>
            <details>
              <summary>Tools and prompt</summary>
              <p class="small">
                Servers: {(p.servers || []).length ? p.servers.map((s) => <code key={s}>{s} </code>) : <span class="muted">none</span>}
              </p>
              <p class="small">
                Tools: {(p.tools || []).length ? p.tools.map((t) => <code key={t}>{t} </code>) : <span class="muted">none</span>}
              </p>
              <pre class="prompt">{p.systemPrompt}</pre>
            </details>
            {me.can.admin && (
              <button type="button" class="btn btn-small" onClick={() => setEditing(p)} aria-label={`Edit the ${p.role} profile`} data-testid={`edit-profile-${p.role}`}>
                Edit
              </button>
            )}
          </li>
        ))}
      </ul>
      {editing && (
        <Dialog title={`Edit ${editing.role}`} onClose={() => setEditing(null)} wide testid="profile-dialog">
          <ProfileForm
            profile={editing}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              onChanged();
            }}
          />
        </Dialog>
      )}
    </section>
  );
}

function RunForm({ profiles }) {
  const usable = profiles.filter((p) => p.enabled);
  const [form, setForm] = useState({ role: usable.length ? usable[0].role : '', task: '', category: 'routine' });
  const [error, setError] = useState(null);
  const [state, setState] = useState({ busy: false, error: null });
  const submit = async (e) => {
    e.preventDefault();
    if (!form.task.trim()) {
      setError('Describe the task.');
      document.getElementById('run-task').focus();
      return;
    }
    setError(null);
    setState({ busy: true, error: null });
    try {
      const run = await api.post(`agents/${seg(form.role)}/runs`, { task: form.task.trim(), category: form.category, wait: false });
      started.set(run.id, run);
      navigate('agents', 'runs', run.id);
    } catch (err) {
      setState({ busy: false, error: err });
    }
  };
  if (usable.length === 0) return <p class="muted">No agent profile is enabled.</p>;
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="run-title" data-testid="run-form">
      <div class="card-head">
        <h2 id="run-title">Run a task</h2>
      </div>
      {state.error && <ErrorBox error={state.error} title="The run did not start" />}
      <div class="form-grid">
        <div class="field">
          <label for="run-role">Agent</label>
          <select id="run-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value })} data-testid="run-role">
            {usable.map((p) => (
              <option key={p.role} value={p.role}>
                {p.role}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="run-category">Kind of task</label>
          <select id="run-category" value={form.category} onChange={(e) => setForm({ ...form, category: e.currentTarget.value })} aria-describedby="run-category-hint">
            <option value="routine">routine</option>
            <option value="reasoning">reasoning</option>
          </select>
          <p class="hint" id="run-category-hint">
            Picks the profile’s routine or reasoning model.
          </p>
        </div>
      </div>
      <div class="field">
        <label for="run-task">
          Task<span class="req" aria-hidden="true"> *</span>
        </label>
        <textarea
          id="run-task"
          rows={3}
          value={form.task}
          onInput={(e) => setForm({ ...form, task: e.currentTarget.value })}
          aria-required="true"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'run-task-error' : undefined}
          data-testid="run-task"
        />
        {error && (
          <p class="field-error" id="run-task-error">
            {error}
          </p>
        )}
      </div>
      <p class="hint">The agent calls tools with your rights, never more.</p>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={state.busy} data-testid="run-submit">
          {state.busy ? 'Starting…' : 'Run'}
        </button>
      </div>
    </form>
  );
}

function History() {
  const me = useMe();
  const [role, setRole] = useState('');
  const runs = useApi('agents/runs', [], { query: { role, limit: 50 } });
  return (
    <section class="card" aria-labelledby="history-title">
      <div class="card-head">
        <h2 id="history-title">Run history</h2>
        <div class="actions">
          <label class="inline-field">
            <span>Agent</span>
            <select value={role} onChange={(e) => setRole(e.currentTarget.value)}>
              <option value="">all</option>
              {['data-platform-engineer', 'data-engineer', 'analytics-engineer', 'data-scientist', 'data-analyst'].map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
          <button type="button" class="btn btn-small" onClick={() => runs.reload()}>
            Refresh
          </button>
        </div>
      </div>
      <p class="muted small">{me.can.admin ? 'Everyone’s runs, newest first.' : 'Your runs, newest first.'}</p>
      <Async state={runs} label="Loading runs…">
        {(list) =>
          list.length === 0 ? (
            <p class="muted">No run yet.</p>
          ) : (
            <div class="table-wrap">
              <table class="table table-stack" data-testid="runs-table">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Agent</th>
                    <th scope="col">Task</th>
                    <th scope="col">Who</th>
                    <th scope="col">Status</th>
                    <th scope="col" class="num">Tokens</th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <tr key={r.id}>
                      <td class="nowrap">
                        <a href={href('agents', 'runs', r.id)} aria-label={`Run of ${dateTime(r.startedAt)}: ${r.task.slice(0, 60)}`}>
                          {dateTime(r.startedAt)}
                        </a>
                      </td>
                      <td data-label="Agent">{r.role}</td>
                      <td class="clip" data-label="Task">{r.task}</td>
                      <td data-label="Who">{r.subject}</td>
                      <td data-label="Status">
                        <StateBadge value={r.status} />
                        {r.stopReason && r.stopReason !== 'answer' && <div class="small muted">{r.stopReason}</div>}
                      </td>
                      <td class="num" data-label="Tokens">{compact((r.promptTokens || 0) + (r.completionTokens || 0))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </section>
  );
}

export function Agents() {
  useTitle('Agents');
  const me = useMe();
  const profiles = useApi('agents');
  return (
    <>
      <PageHeader title="Agents" sub="Language models in a loop, calling tools through Sluice as the user who asked" />
      <Async state={profiles} label="Loading agent profiles…">
        {(list) => (
          <>
            {me.can.runAgents ? <RunForm profiles={list} /> : <p class="notice">Your role may not run agents.</p>}
            <History />
            <Profiles profiles={list} onChanged={() => profiles.reload({ quiet: true })} />
          </>
        )}
      </Async>
    </>
  );
}

function Step({ step }) {
  const tool = step.kind === 'tool';
  return (
    <li class={`step step-${step.kind}`} data-testid="run-step" data-kind={step.kind} data-outcome={step.outcome}>
      <div class="step-head">
        <span class="step-seq">{step.seq}</span>
        <strong>{tool ? `Tool ${step.tool}` : `Model ${step.model || ''}`}</strong>
        <StateBadge value={step.outcome} />
        <span class="muted small">
          {micros(step.durationMicros)}
          {!tool && step.promptTokens !== null && step.promptTokens !== undefined && ` · ${num(step.promptTokens)} + ${num(step.completionTokens)} tokens`}
        </span>
      </div>
      {step.detail && <StepDetail step={step} />}
    </li>
  );
}

/** A step's detail as a reader wants it: the model's words and the calls it asked for; a tool's arguments and result. */
function StepDetail({ step }) {
  let d;
  try {
    d = JSON.parse(step.detail);
  } catch (e) {
    return <pre class="step-detail">{step.detail}</pre>;
  }
  if (step.kind === 'tool') {
    return (
      <dl class="facts step-detail-facts">
        <dt>Arguments</dt>
        <dd>
          <code class="wrap">{JSON.stringify(d.arguments ?? {})}</code>
        </dd>
        <dt>Result</dt>
        <dd>
          <pre class="step-detail">{d.result ?? ''}</pre>
        </dd>
      </dl>
    );
  }
  const calls = d.toolCalls || [];
  return (
    <div class="step-detail-facts">
      {d.text && <p class="step-text">{d.text}</p>}
      {calls.length > 0 && (
        <ul class="plain-list">
          {calls.map((c, i) => (
            <li key={i}>
              asks for <code>{c.name}</code> <code class="wrap">{JSON.stringify(c.arguments ?? {})}</code>
            </li>
          ))}
        </ul>
      )}
      {d.countedBy === 'tokenizer' && <p class="muted small">tokens counted by Sluice (the provider reported none)</p>}
    </div>
  );
}

export function AgentRun({ id }) {
  useTitle('Agent run');
  const [state, setState] = useState(() => ({ run: started.get(id) || null, error: null, loading: !started.has(id) }));
  const [tick, setTick] = useState(0);
  const timer = useRef(0);
  const running = !state.run || state.run.status === 'running';

  useEffect(() => {
    let live = true;
    const poll = async () => {
      try {
        const run = await api.get(`agents/runs/${seg(id)}`);
        if (!live) return;
        started.delete(id);
        setState({ run, error: null, loading: false });
        if (run.status === 'running') timer.current = setTimeout(poll, POLL_MS);
      } catch (error) {
        if (!live) return;
        setState((s) => ({ ...s, error, loading: false }));
        // a network blip or a busy node: keep following; a refusal or an unknown run stops here
        if (error.status === 0 || error.status >= 500) timer.current = setTimeout(poll, 3 * POLL_MS);
      }
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer.current);
    };
  }, [id, tick]);

  const run = state.run;
  return (
    <>
      <p class="breadcrumb">
        <a href="#/agents">Agents</a> <span aria-hidden="true">/</span>
      </p>
      <PageHeader title={run ? `${run.role} run` : 'Agent run'} sub={run ? `Started ${dateTime(run.startedAt)} by ${run.subject}` : id} />
      {state.error && <ErrorBox error={state.error} title={run ? 'Could not follow the run' : 'Could not load the run'} onRetry={() => setTick(tick + 1)} />}
      {state.loading && !run && <Loading label="Loading the run…" />}
      {run && (
        <>
          <section class="card" aria-labelledby="run-summary-title">
            <div class="card-head">
              <h2 id="run-summary-title">Status</h2>
              <span role="status" aria-live="polite" class="run-status">
                <StateBadge value={run.status} testid="run-status" />
                {running && !state.error && <Loading inline label=" following…" />}
              </span>
            </div>
            <dl class="facts">
              <dt>Task</dt>
              <dd class="prewrap">{run.task}</dd>
              <dt>Kind</dt>
              <dd>{run.category}</dd>
              <dt>Model</dt>
              <dd>{run.model || <span class="muted">—</span>}</dd>
              <dt>Stopped by</dt>
              <dd>{run.stopReason || <span class="muted">—</span>}</dd>
              <dt>Tokens</dt>
              <dd data-testid="run-tokens">
                {num(run.promptTokens)} prompt + {num(run.completionTokens)} completion
              </dd>
              <dt>Finished</dt>
              <dd>{run.finishedAt ? `${dateTime(run.finishedAt)} (${ago(run.finishedAt)})` : <span class="muted">not yet</span>}</dd>
            </dl>
          </section>
          {run.error && (
            <div class="error-box" role="alert" data-testid="run-error">
              <p class="error-title">
                <strong>The run failed</strong>
              </p>
              <p>{run.error}</p>
            </div>
          )}
          <section class="card" aria-labelledby="steps-title">
            <div class="card-head">
              <h2 id="steps-title">Steps</h2>
              <span class="muted small" data-testid="run-step-count">
                {(run.steps || []).length} {(run.steps || []).length === 1 ? 'step' : 'steps'}
              </span>
            </div>
            {(run.steps || []).length === 0 ? (
              <p class="muted">{running ? 'Waiting for the first step…' : 'No step.'}</p>
            ) : (
              <ol class="steps" data-testid="run-steps">
                {run.steps.map((s) => (
                  <Step key={s.seq} step={s} />
                ))}
              </ol>
            )}
          </section>
          {run.answer && (
            <section class="card answer" aria-labelledby="answer-title">
              <div class="card-head">
                <h2 id="answer-title">Answer</h2>
              </div>
              <p class="prewrap" data-testid="run-answer">
                {run.answer}
              </p>
            </section>
          )}
        </>
      )}
    </>
  );
}
