// Adding or editing a catalog entry: its main fields as a form (name, description, category, tier,
// transport, command and arguments or URL, environment or headers, enabled), checked before sending;
// the server's own field errors shown next to the fields. Fields the form does not show (policy, cache,
// resilience …) are kept as they were.
import { useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { ErrorBox } from './Status.jsx';
import { showFieldErrors } from '../forms.js';

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const STDIO_FIELDS = ['command', 'args', 'env', 'cwd'];
/** Names whose values are typed unseen (as Sluice's own redactor judges them). */
const SECRET_NAME = /token|secret|passw|pwd|key|credential|auth|dsn|private|cookie|session/i;
const HTTP_FIELDS = ['url', 'headers'];

function rowsOf(map) {
  const rows = Object.entries(map || {}).map(([key, value]) => ({ key, value: value === null || value === undefined ? '' : String(value) }));
  return rows;
}

function formOf(def) {
  const transport = def.transport === 'http' ? 'streamable-http' : def.transport || 'stdio';
  return {
    name: def.name || '',
    description: def.description || '',
    category: def.category || '',
    tier: def.tier === undefined || def.tier === null ? '0' : String(def.tier),
    transport,
    command: def.command || '',
    args: Array.isArray(def.args) ? def.args.join('\n') : '',
    cwd: def.cwd || '',
    env: rowsOf(def.env),
    url: def.url || '',
    headers: rowsOf(def.headers),
    enabled: def.enabled !== false
  };
}

/** The root field an error's path names: servers[0].env.FOO → env, args[2] → args. */
export function rootField(path) {
  if (!path) return null;
  const p = String(path).replace(/^servers\[\d+\]\.?/, '');
  const m = /^[A-Za-z][\w-]*/.exec(p);
  return m ? m[0] : null;
}

function check(form) {
  const errors = {};
  if (!form.name.trim()) errors.name = 'A name is required.';
  else if (!NAME.test(form.name.trim())) errors.name = 'Lower-case letters, digits and single hyphens only, e.g. warehouse-pg.';
  if (!form.transport) errors.transport = 'Choose a transport.';
  if (form.transport === 'stdio' && !form.command.trim()) errors.command = 'A command is required for stdio.';
  if (form.transport !== 'stdio') {
    const url = form.url.trim();
    if (!url) errors.url = 'A URL is required for this transport.';
    else if (!url.includes('${') && !/^https?:\/\/[^\s]+$/.test(url)) errors.url = 'An http:// or https:// URL.';
  }
  const rowErrors = (rows, field, what) => {
    const seen = new Set();
    for (const r of rows) {
      const k = r.key.trim();
      if (!k && !r.value) continue;
      if (!k) errors[field] = `Every ${what} needs a name.`;
      else if (seen.has(k)) errors[field] = `${what} ${k} appears twice.`;
      seen.add(k);
    }
  };
  if (form.transport === 'stdio') rowErrors(form.env, 'env', 'variable');
  else rowErrors(form.headers, 'headers', 'header');
  return errors;
}

function entryOf(form, original) {
  const entry = { ...(original || {}) };
  entry.name = form.name.trim();
  entry.description = form.description.trim();
  if (form.category.trim()) entry.category = form.category.trim();
  else delete entry.category;
  entry.tier = Number(form.tier);
  entry.transport = form.transport;
  entry.enabled = form.enabled;
  const map = (rows) => Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));
  if (form.transport === 'stdio') {
    for (const f of HTTP_FIELDS) delete entry[f];
    entry.command = form.command.trim();
    entry.args = form.args.split('\n').map((s) => s.trim()).filter(Boolean);
    const env = map(form.env);
    if (Object.keys(env).length) entry.env = env;
    else delete entry.env;
    if (form.cwd.trim()) entry.cwd = form.cwd.trim();
    else delete entry.cwd;
  } else {
    for (const f of STDIO_FIELDS) delete entry[f];
    entry.url = form.url.trim();
    const headers = map(form.headers);
    if (Object.keys(headers).length) entry.headers = headers;
    else delete entry.headers;
  }
  return entry;
}

function KeyValueRows({ legend, rows, onChange, idPrefix, error, keyLabel, addLabel }) {
  const set = (i, patch) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset class="field kv" aria-describedby={error ? `${idPrefix}-error` : undefined}>
      <legend>{legend}</legend>
      {rows.length === 0 && <p class="muted small">None.</p>}
      {rows.map((r, i) => (
        <div class="kv-row" key={i}>
          <label class="sr-only" for={`${idPrefix}-key-${i}`}>
            {keyLabel} {i + 1} name
          </label>
          <input id={`${idPrefix}-key-${i}`} type="text" class="mono" placeholder="NAME" value={r.key} spellcheck={false} onInput={(e) => set(i, { key: e.currentTarget.value })} />
          <label class="sr-only" for={`${idPrefix}-value-${i}`}>
            {keyLabel} {i + 1} value
          </label>
          {r.value.startsWith('${sealed:') ? (
            // a secret stored encrypted: never shown; kept as it is unless replaced
            <span class="sealed" id={`${idPrefix}-value-${i}`} data-testid="sealed-value">
              stored encrypted{' '}
              <button type="button" class="btn btn-small" onClick={() => set(i, { value: '' })}>
                Replace
              </button>
            </span>
          ) : (
            <input id={`${idPrefix}-value-${i}`} type={SECRET_NAME.test(r.key) && !r.value.startsWith('${') ? 'password' : 'text'} class="mono" placeholder="value or ${env:NAME}" value={r.value} spellcheck={false} autoComplete="off" onInput={(e) => set(i, { value: e.currentTarget.value })} />
          )}
          <button type="button" class="btn btn-small" aria-label={`Remove ${keyLabel.toLowerCase()} ${r.key || i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" class="btn btn-small" onClick={() => onChange([...rows, { key: '', value: '' }])}>
        {addLabel}
      </button>
      <p class="hint">
        A reference (<code>{'${env:NAME}'}</code>, <code>{'${file:/path}'}</code>) is kept as written; a value typed here is
        stored encrypted and never shown again.
      </p>
      {error && (
        <p class="field-error" id={`${idPrefix}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

function Field({ id, label, required, error, hint, children }) {
  return (
    <div class="field">
      <label for={id}>
        {label}
        {required && <span class="req" aria-hidden="true"> *</span>}
      </label>
      {children}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * @param definition the entry being edited (from GET /servers/{name}/definition), or null for a new one
 * @param onSaved    called with the saved ServerView
 */
export function ServerForm({ definition, onSaved, onCancel }) {
  const editing = !!definition;
  const [form, setForm] = useState(() => formOf(definition || { transport: 'stdio', enabled: true }));
  const [errors, setErrors] = useState({});
  const [state, setState] = useState({ busy: false, error: null });
  const set = (patch) => {
    setForm((f) => ({ ...f, ...patch }));
    const cleared = { ...errors };
    for (const k of Object.keys(patch)) delete cleared[k];
    setErrors(cleared);
  };
  const input = (name, extra = {}) => ({
    id: `server-${name}`,
    'data-testid': `server-${name}`,
    'aria-invalid': errors[name] ? 'true' : undefined,
    'aria-describedby': [extra.hint ? `server-${name}-hint` : null, errors[name] ? `server-${name}-error` : null].filter(Boolean).join(' ') || undefined
  });

  const submit = async (e) => {
    e.preventDefault();
    const found = check(form);
    if (showFieldErrors(found, setErrors, 'server-')) return;
    setState({ busy: true, error: null });
    const entry = entryOf(form, definition);
    try {
      const saved = await api.put(`servers/${seg(entry.name)}`, entry);
      setState({ busy: false, error: null });
      onSaved(saved, entry);
    } catch (error) {
      const byField = {};
      for (const x of error.errors || []) {
        const f = rootField(x.field);
        if (f && !byField[f]) byField[f] = x.message || x.detail;
      }
      if (!Object.keys(byField).length && error.slug === 'invalid-catalog' && error.detail) {
        // no errors array: find a field the detail names ('command' is required …)
        const m = /'([a-z-]+)'/.exec(error.detail);
        if (m && ['name', 'transport', 'command', 'url', 'args', 'env', 'headers', 'cwd', 'category', 'tier', 'description'].includes(m[1])) byField[m[1]] = error.detail;
      }
      setErrors(byField);
      setState({ busy: false, error });
    }
  };

  const stdio = form.transport === 'stdio';
  return (
    <form class="server-form" onSubmit={submit} noValidate data-testid="server-form">
      {state.error && <ErrorBox error={state.error} title={editing ? 'The entry was not saved' : 'The server was not added'} />}
      <p class="muted small">
        Fields marked <span aria-hidden="true">*</span>
        <span class="sr-only">required</span> are required.
      </p>
      <div class="form-grid">
        <Field id="server-name" label="Name" required error={errors.name} hint={editing ? 'The name of an entry cannot change.' : 'Also the prefix of its tools: name__tool.'}>
          <input type="text" {...input('name', { hint: true })} value={form.name} readOnly={editing} aria-required="true" autoComplete="off" spellcheck={false} onInput={(e) => set({ name: e.currentTarget.value })} />
        </Field>
        <Field id="server-category" label="Category" error={errors.category} hint="e.g. database, orchestration (default general)">
          <input type="text" {...input('category', { hint: true })} value={form.category} onInput={(e) => set({ category: e.currentTarget.value })} />
        </Field>
        <Field id="server-description" label="Description" error={errors.description}>
          <input type="text" {...input('description')} value={form.description} onInput={(e) => set({ description: e.currentTarget.value })} />
        </Field>
        <Field id="server-tier" label="Tier" error={errors.tier}>
          <select {...input('tier')} value={form.tier} onChange={(e) => set({ tier: e.currentTarget.value })}>
            <option value="0">0 reference</option>
            <option value="1">1 essential</option>
            <option value="2">2 enhanced</option>
            <option value="3">3 specialised</option>
          </select>
        </Field>
        <Field id="server-transport" label="Transport" required error={errors.transport}>
          <select {...input('transport')} value={form.transport} aria-required="true" onChange={(e) => set({ transport: e.currentTarget.value })}>
            <option value="stdio">stdio (a local process)</option>
            <option value="streamable-http">streamable-http</option>
            <option value="sse">sse (legacy HTTP+SSE)</option>
          </select>
        </Field>
        <div class="field field-check">
          <input type="checkbox" id="server-enabled" data-testid="server-enabled" checked={form.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
          <label for="server-enabled">Enabled</label>
        </div>
      </div>
      {stdio ? (
        <div class="form-grid">
          <Field id="server-command" label="Command" required error={errors.command} hint="Started directly, never through a shell.">
            <input type="text" class="mono" {...input('command', { hint: true })} aria-required="true" value={form.command} spellcheck={false} onInput={(e) => set({ command: e.currentTarget.value })} />
          </Field>
          <Field id="server-cwd" label="Working directory" error={errors.cwd}>
            <input type="text" class="mono" {...input('cwd')} value={form.cwd} spellcheck={false} onInput={(e) => set({ cwd: e.currentTarget.value })} />
          </Field>
          <Field id="server-args" label="Arguments" error={errors.args} hint="One per line.">
            <textarea class="mono" rows={3} {...input('args', { hint: true })} value={form.args} spellcheck={false} onInput={(e) => set({ args: e.currentTarget.value })} />
          </Field>
          <KeyValueRows legend="Environment" keyLabel="Variable" addLabel="Add variable" idPrefix="server-env" rows={form.env} error={errors.env} onChange={(env) => set({ env })} />
        </div>
      ) : (
        <div class="form-grid">
          <Field id="server-url" label="URL" required error={errors.url} hint="The MCP endpoint, e.g. https://mcp.internal/analytics/mcp">
            <input type="url" class="mono" {...input('url', { hint: true })} aria-required="true" value={form.url} spellcheck={false} onInput={(e) => set({ url: e.currentTarget.value })} />
          </Field>
          <KeyValueRows legend="Headers" keyLabel="Header" addLabel="Add header" idPrefix="server-headers" rows={form.headers} error={errors.headers} onChange={(headers) => set({ headers })} />
        </div>
      )}
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={state.busy} data-testid="server-save">
          {state.busy ? 'Saving…' : editing ? 'Save changes' : 'Add server'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
