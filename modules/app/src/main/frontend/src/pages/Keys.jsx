// API keys: list (admins every key, others their own), create (admins), rotate and revoke. A new key's
// secret is shown once, in a dialog; when it closes the secret is dropped and never shown again.
import { useRef, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { ROLES, roleRank, useMe } from '../session.js';
import { Async, ErrorBox, PageHeader, StateBadge } from '../components/Status.jsx';
import { Confirm, Dialog } from '../components/Dialog.jsx';
import { ago, date, dateTime } from '../format.js';
import { showFieldErrors } from '../forms.js';

/** The one place a secret is shown. Closing it forgets the secret (the parent drops its state). */
function SecretDialog({ issued, onClose }) {
  const [copied, setCopied] = useState(null);
  const code = useRef(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(issued.secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // no clipboard access: select the text so that Ctrl+C copies it
      const range = document.createRange();
      range.selectNodeContents(code.current);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      setCopied('Selected: press Ctrl+C (⌘C) to copy.');
    }
  };
  return (
    <Dialog
      title={`Your new key “${issued.key.name || issued.key.prefix}”`}
      onClose={onClose}
      testid="secret-dialog"
      footer={
        <button type="button" class="btn btn-primary" onClick={onClose} data-testid="secret-done">
          I have stored it — close
        </button>
      }
    >
      <p class="alert alert-warn" role="alert">
        <strong>You will not see this key again.</strong> {issued.notice || 'Store it now: Sluice keeps only a hash of it.'}
      </p>
      <div class="secret">
        <code ref={code} class="secret-value" data-testid="secret-value" aria-label="The new API key">
          {issued.secret}
        </code>
        <button type="button" class="btn" onClick={copy} data-testid="secret-copy">
          Copy
        </button>
      </div>
      <p class="muted small" role="status">
        {copied}
      </p>
      <p class="small">
        Use it as <code>Authorization: Bearer &lt;key&gt;</code>. Role <strong>{issued.key.role}</strong>, owner <strong>{issued.key.owner}</strong>
        {issued.key.expiresAt ? `, expires ${dateTime(issued.key.expiresAt)}` : ', never expires'}.
      </p>
    </Dialog>
  );
}

function CreateForm({ me, onCreated, onCancel }) {
  const roles = ROLES.filter((r) => roleRank(r) <= roleRank(me.role));
  const [form, setForm] = useState({ name: '', role: roles.includes('analyst') ? 'analyst' : roles[0], owner: '', scope: '', days: '90' });
  const [errors, setErrors] = useState({});
  const [state, setState] = useState({ busy: false, error: null });
  const set = (k) => (e) => {
    setForm({ ...form, [k]: e.currentTarget.value });
    if (errors[k]) setErrors({ ...errors, [k]: undefined });
  };
  const submit = async (e) => {
    e.preventDefault();
    const found = {};
    if (!form.name.trim()) found.name = 'A name is required, e.g. what the key is for.';
    const days = Number(form.days);
    if (!Number.isInteger(days) || days < 1 || days > 366) found.days = 'A whole number of days from 1 to 366.';
    const scope = form.scope.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
    const bad = scope.find((s) => !s.includes('/'));
    if (bad) found.scope = `“${bad}” is not server/tool (use server/* for every tool of a server).`;
    if (showFieldErrors(found, setErrors, 'key-')) return;
    setState({ busy: true, error: null });
    try {
      const body = { name: form.name.trim(), role: form.role, expiresInDays: days };
      if (form.owner.trim()) body.owner = form.owner.trim();
      if (scope.length) body.toolScope = scope;
      const issued = await api.post('api-keys', body);
      setState({ busy: false, error: null });
      onCreated(issued);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  const described = (k, hint) => [hint ? `key-${k}-hint` : null, errors[k] ? `key-${k}-error` : null].filter(Boolean).join(' ') || undefined;
  const err = (k) =>
    errors[k] && (
      <p class="field-error" id={`key-${k}-error`}>
        {errors[k]}
      </p>
    );
  return (
    <form onSubmit={submit} noValidate data-testid="key-form">
      {state.error && <ErrorBox error={state.error} title="The key was not created" />}
      <div class="field">
        <label for="key-name">
          Name<span class="req" aria-hidden="true"> *</span>
        </label>
        <input id="key-name" type="text" value={form.name} onInput={set('name')} aria-required="true" aria-invalid={errors.name ? 'true' : undefined} aria-describedby={described('name')} data-testid="key-name" />
        {err('name')}
      </div>
      <div class="form-grid">
        <div class="field">
          <label for="key-role">Role</label>
          <select id="key-role" value={form.role} onChange={set('role')} data-testid="key-role">
            {roles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="key-owner">Owner</label>
          <input id="key-owner" type="text" value={form.owner} placeholder={me.subject} onInput={set('owner')} aria-describedby="key-owner-hint" data-testid="key-owner" />
          <p class="hint" id="key-owner-hint">
            Who the key acts as; you when left empty.
          </p>
        </div>
        <div class="field">
          <label for="key-days">Expires in (days)</label>
          <input id="key-days" type="number" min="1" max="366" step="1" value={form.days} onInput={set('days')} aria-invalid={errors.days ? 'true' : undefined} aria-describedby={described('days')} />
          {err('days')}
        </div>
      </div>
      <div class="field">
        <label for="key-scope">Tool scope</label>
        <textarea id="key-scope" rows={3} class="mono" value={form.scope} onInput={set('scope')} aria-invalid={errors.scope ? 'true' : undefined} aria-describedby={described('scope', true)} />
        <p class="hint" id="key-scope-hint">
          One <code>server/tool</code> pattern per line (<code>dbt/*</code>); empty: every tool the role may use.
        </p>
        {err('scope')}
      </div>
      <div class="form-actions">
        <button type="submit" class="btn btn-primary" disabled={state.busy} data-testid="key-create-submit">
          {state.busy ? 'Creating…' : 'Create key'}
        </button>
        <button type="button" class="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RotateDialog({ apiKey, onRotated, onCancel }) {
  const [overlap, setOverlap] = useState('PT24H');
  const [state, setState] = useState({ busy: false, error: null });
  const confirm = async () => {
    setState({ busy: true, error: null });
    try {
      const issued = await api.post(`api-keys/${seg(apiKey.id)}/rotate`, { overlap });
      onRotated(issued);
    } catch (error) {
      setState({ busy: false, error });
    }
  };
  return (
    <Confirm
      title={`Rotate “${apiKey.name || apiKey.prefix}”?`}
      confirmLabel="Rotate"
      danger={false}
      busy={state.busy}
      error={state.error && <ErrorBox error={state.error} />}
      onConfirm={confirm}
      onCancel={onCancel}
      testid="rotate-dialog"
    >
      <p>A successor key is issued with the same owner, role, scope and lifetime. The old key keeps working for a while so that clients can switch.</p>
      <div class="field">
        <label for="rotate-overlap">The old key works for</label>
        <select id="rotate-overlap" value={overlap} onChange={(e) => setOverlap(e.currentTarget.value)}>
          <option value="PT0S">no longer (stops now)</option>
          <option value="PT1H">1 hour</option>
          <option value="PT24H">24 hours</option>
          <option value="P7D">7 days</option>
        </select>
      </div>
    </Confirm>
  );
}

export function Keys() {
  useTitle('API keys');
  const me = useMe();
  const [owner, setOwner] = useState('');
  const keys = useApi('api-keys', [], { query: { owner: me.can.admin ? owner : '' } });
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState(null); // {key, secret, notice}: only while the secret dialog is open
  const [rotating, setRotating] = useState(null);
  const [revoking, setRevoking] = useState(null);
  const [revokeState, setRevokeState] = useState({ busy: false, error: null });

  const revoke = async () => {
    setRevokeState({ busy: true, error: null });
    try {
      await api.del(`api-keys/${seg(revoking.id)}`);
      setRevoking(null);
      setRevokeState({ busy: false, error: null });
      keys.reload({ quiet: true });
    } catch (error) {
      setRevokeState({ busy: false, error });
    }
  };

  return (
    <>
      <PageHeader title="API keys" sub={me.can.admin ? 'Every key; secrets are never shown after creation' : 'Your keys; secrets are never shown after creation'}>
        {me.can.admin && (
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)} data-testid="create-key">
            Create key
          </button>
        )}
      </PageHeader>
      {me.can.admin && (
        <div class="toolbar">
          <label class="inline-field">
            <span>Owner</span>
            <input type="search" value={owner} onChange={(e) => setOwner(e.currentTarget.value.trim())} placeholder="everyone" data-testid="keys-owner" />
          </label>
        </div>
      )}
      <Async state={keys} label="Loading keys…">
        {(list) =>
          list.length === 0 ? (
            <p class="muted">No key.</p>
          ) : (
            <div class="table-wrap">
              <table class="table table-stack" data-testid="keys-table">
                <caption class="sr-only">API keys</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Role</th>
                    <th scope="col">Status</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Last used</th>
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((k) => {
                    const live = k.status !== 'revoked' && k.status !== 'expired';
                    return (
                      <tr key={k.id} data-testid={`key-row-${k.id}`} data-key-name={k.name}>
                        <th scope="row">
                          {k.name || <span class="muted">(no name)</span>}
                          {k.toolScope && k.toolScope.length > 0 && <div class="small muted">scope {k.toolScope.join(', ')}</div>}
                          {k.id === me.apiKeyId && <div class="small muted">the key you signed in with</div>}
                        </th>
                        <td class="nowrap" data-label="Key">
                          <code>{k.prefix}…</code>
                        </td>
                        <td data-label="Owner">{k.owner}</td>
                        <td data-label="Role">{k.role}</td>
                        <td data-label="Status">
                          <StateBadge value={k.status} testid={`key-status-${k.id}`} />
                          {k.overlapUntil && k.status !== 'revoked' && <div class="small muted">old key until {dateTime(k.overlapUntil)}</div>}
                        </td>
                        <td class="nowrap" data-label="Expires">
                          {k.expiresAt ? <time dateTime={k.expiresAt} title={dateTime(k.expiresAt)}>{date(k.expiresAt)}</time> : 'never'}
                        </td>
                        <td class="nowrap" data-label="Last used">{k.lastUsedAt ? ago(k.lastUsedAt) : 'never'}</td>
                        <td class="row-actions">
                          {live && (
                            <>
                              {k.status === 'active' && (
                                <button type="button" class="btn btn-small" onClick={() => setRotating(k)} aria-label={`Rotate ${k.name || k.prefix}`} data-testid={`rotate-${k.id}`}>
                                  Rotate
                                </button>
                              )}
                              <button type="button" class="btn btn-small btn-danger" onClick={() => setRevoking(k)} aria-label={`Revoke ${k.name || k.prefix}`} data-testid={`revoke-${k.id}`}>
                                Revoke
                              </button>
                            </>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
      {creating && (
        <Dialog title="Create an API key" onClose={() => setCreating(false)} testid="create-key-dialog">
          <CreateForm
            me={me}
            onCancel={() => setCreating(false)}
            onCreated={(result) => {
              setCreating(false);
              setIssued(result);
              keys.reload({ quiet: true });
            }}
          />
        </Dialog>
      )}
      {rotating && (
        <RotateDialog
          apiKey={rotating}
          onCancel={() => setRotating(null)}
          onRotated={(result) => {
            setRotating(null);
            setIssued(result);
            keys.reload({ quiet: true });
          }}
        />
      )}
      {revoking && (
        <Confirm
          title={`Revoke “${revoking.name || revoking.prefix}”?`}
          confirmLabel="Revoke"
          busy={revokeState.busy}
          error={revokeState.error && <ErrorBox error={revokeState.error} />}
          onConfirm={revoke}
          onCancel={() => {
            setRevoking(null);
            setRevokeState({ busy: false, error: null });
          }}
          testid="revoke-dialog"
        >
          <p>The key stops working at once{revoking.id === me.apiKeyId ? ' — it is the key you signed in with, so you will be signed out' : ''}. This cannot be undone.</p>
        </Confirm>
      )}
      {issued && <SecretDialog issued={issued} onClose={() => setIssued(null)} />}
    </>
  );
}
