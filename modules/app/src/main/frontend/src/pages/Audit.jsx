// The audit log (admins): filter, page through, open a record, export the records the filters find as
// CSV. The export is fetched with the credential and saved through an object URL.
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api.js';
import { href, navigate, useAction, useTitle } from '../hooks.js';
import { Dialog } from '../components/Dialog.jsx';
import { ErrorBox, Json, Loading, PageHeader, StateBadge } from '../components/Status.jsx';
import { dateTime, micros, num } from '../format.js';

const FILTERS = ['subject', 'server', 'tool', 'action', 'outcome', 'since', 'until'];
const OUTCOMES = ['ok', 'denied', 'invalid', 'unauthenticated', 'rate-limited', 'error'];
const ACTIONS = ['tools/call', 'resources/read', 'prompts/get', 'authenticate', 'api-keys/create', 'api-keys/rotate', 'api-keys/revoke', 'cache/invalidate', 'agents/update'];

/** datetime-local value (local time) ↔ ISO instant */
function toInstant(local) {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
function toLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function filtersOf(query) {
  return Object.fromEntries(FILTERS.map((f) => [f, query.get(f) || '']));
}

function Record({ record, onClose }) {
  let args = null;
  if (record.argumentsRedacted) {
    try {
      args = JSON.parse(record.argumentsRedacted);
    } catch {
      args = record.argumentsRedacted;
    }
  }
  const fields = [
    ['Request id', <code>{record.requestId}</code>],
    ['When', dateTime(record.occurredAt)],
    ['Node', record.nodeId],
    ['Subject', record.subject],
    ['Role', record.role],
    ['API key', record.apiKeyId && <code>{record.apiKeyId}</code>],
    ['Organisation', record.organisation],
    ['Channel', record.channel],
    ['Action', record.action],
    ['Server', record.server],
    ['Target', record.target],
    ['Outcome', <StateBadge value={record.outcome} />],
    ['Error type', record.errorType],
    ['Duration', micros(record.durationMicros)],
    ['From the cache', record.cacheHit ? 'yes' : 'no'],
    ['Client address', record.clientAddress],
    ['Argument digest', record.argumentDigest && <code class="break">{record.argumentDigest}</code>]
  ];
  return (
    <Dialog title="Audit record" onClose={onClose} wide testid="audit-record">
      <dl class="facts">
        {fields.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value === null || value === undefined || value === '' ? <span class="muted">—</span> : value}</dd>
          </Fragment>
        ))}
      </dl>
      <h3>Arguments (redacted)</h3>
      {args === null ? <p class="muted">None recorded.</p> : typeof args === 'string' ? <pre class="json">{args}</pre> : <Json value={args} label="Arguments" />}
    </Dialog>
  );
}

export function Audit({ query }) {
  useTitle('Audit log');
  const applied = filtersOf(query);
  const [form, setForm] = useState(() => ({ ...applied, since: toLocal(applied.since), until: toLocal(applied.until) }));
  const [limit, setLimit] = useState(() => query.get('limit') || '100');
  const [pages, setPages] = useState({ records: [], next: null, loading: true, error: null, more: false });
  const [open, setOpen] = useState(null);
  const exporting = useAction(async () => {
    const { data, response } = await request('audit/export', { query: applied, as: 'blob' });
    const disposition = response.headers.get('Content-Disposition') || '';
    const m = /filename="?([^";]+)"?/.exec(disposition);
    const url = URL.createObjectURL(data);
    const a = document.createElement('a');
    a.href = url;
    a.download = m ? m[1] : 'sluice-audit.csv';
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return { bytes: data.size };
  });

  const load = async (queryString) => {
    setPages((p) => ({ ...p, loading: !queryString, more: !!queryString, error: null }));
    try {
      const { data, response } = queryString
        ? await request(`audit${queryString}`)
        : await request('audit', { query: { ...applied, limit } });
      const link = response.headers.get('Link');
      let next = null;
      if (link) {
        const m = /<([^>]*)>\s*;\s*rel="?next"?/.exec(link);
        if (m) next = new URL(m[1], location.href).search;
      }
      setPages((p) => ({ records: queryString ? [...p.records, ...data] : data, next, loading: false, more: false, error: null }));
    } catch (error) {
      setPages((p) => ({ ...p, loading: false, more: false, error }));
    }
  };
  useEffect(() => {
    load(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const apply = (e) => {
    e.preventDefault();
    const params = { ...form, since: toInstant(form.since), until: toInstant(form.until), limit: limit === '100' ? '' : limit };
    const target = href('audit', params);
    // the same filters again: load again (the route does not change)
    if (location.hash === target) load(null);
    else location.hash = target;
  };
  const clear = () => navigate('audit');
  const set = (k) => (e) => setForm({ ...form, [k]: e.currentTarget.value });
  const active = FILTERS.filter((f) => applied[f]);

  return (
    <>
      <PageHeader title="Audit log" sub="Every call, allowed or refused, and every administrative action; newest first">
        <button type="button" class="btn" onClick={() => exporting.run()} disabled={exporting.busy} data-testid="audit-export">
          {exporting.busy ? 'Exporting…' : 'Export CSV'}
        </button>
      </PageHeader>
      {exporting.busy && <Loading label="Preparing the CSV export…" />}
      {exporting.error && <ErrorBox error={exporting.error} title="The export failed" onRetry={() => exporting.run()} />}
      {exporting.result && (
        <p class="notice small" role="status">
          Exported {num(exporting.result.bytes)} bytes{active.length ? ' with the filters below' : ''}.
        </p>
      )}
      <form class="card filters" onSubmit={apply} aria-label="Audit filters" data-testid="audit-filters">
        <div class="filter-grid">
          <div class="field">
            <label for="f-subject">Subject</label>
            <input id="f-subject" type="text" value={form.subject} onInput={set('subject')} data-testid="filter-subject" />
          </div>
          <div class="field">
            <label for="f-server">Server</label>
            <input id="f-server" type="text" value={form.server} onInput={set('server')} data-testid="filter-server" />
          </div>
          <div class="field">
            <label for="f-tool">Tool, prompt or resource</label>
            <input id="f-tool" type="text" value={form.tool} onInput={set('tool')} data-testid="filter-tool" />
          </div>
          <div class="field">
            <label for="f-action">Action</label>
            <input id="f-action" type="text" list="audit-actions" value={form.action} onInput={set('action')} data-testid="filter-action" />
            <datalist id="audit-actions">
              {ACTIONS.map((a) => (
                <option key={a} value={a} />
              ))}
            </datalist>
          </div>
          <div class="field">
            <label for="f-outcome">Outcome</label>
            <select id="f-outcome" value={form.outcome} onChange={set('outcome')} data-testid="filter-outcome">
              <option value="">any</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="f-since">Since</label>
            <input id="f-since" type="datetime-local" value={form.since} onInput={set('since')} />
          </div>
          <div class="field">
            <label for="f-until">Until</label>
            <input id="f-until" type="datetime-local" value={form.until} onInput={set('until')} />
          </div>
          <div class="field">
            <label for="f-limit">Per page</label>
            <select id="f-limit" value={limit} onChange={(e) => setLimit(e.currentTarget.value)}>
              {['25', '50', '100', '250', '1000'].map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div class="form-actions">
          <button type="submit" class="btn btn-primary" data-testid="audit-apply">
            Apply filters
          </button>
          {active.length > 0 && (
            <button type="button" class="btn" onClick={clear}>
              Clear filters
            </button>
          )}
        </div>
      </form>
      {pages.error && <ErrorBox error={pages.error} onRetry={() => load(null)} />}
      {pages.loading ? (
        <Loading label="Loading audit records…" />
      ) : (
        (!pages.error || pages.records.length > 0) && (
          <>
            <p class="muted small" role="status" data-testid="audit-count">
              {pages.records.length === 0 ? 'No record matches.' : `${num(pages.records.length)} records${pages.next ? ' (more below)' : ''}`}
            </p>
            {pages.records.length > 0 && (
              <div class="table-wrap">
                <table class="table table-stack" data-testid="audit-table">
                  <caption class="sr-only">Audit records, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Action</th>
                      <th scope="col">Server</th>
                      <th scope="col">Target</th>
                      <th scope="col">Outcome</th>
                      <th scope="col" class="num">Duration</th>
                      <th scope="col">
                        <span class="sr-only">Details</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {pages.records.map((r, i) => (
                      <tr key={`${r.requestId}-${i}`} data-testid="audit-row">
                        <td class="nowrap" data-label="When">{dateTime(r.occurredAt)}</td>
                        <td data-label="Subject">{r.subject || <span class="muted">—</span>}</td>
                        <td data-label="Action">
                          <code>{r.action}</code>
                        </td>
                        <td data-label="Server">{r.server || <span class="muted">—</span>}</td>
                        <td class="clip" data-label="Target">{r.target || <span class="muted">—</span>}</td>
                        <td data-label="Outcome">
                          <StateBadge value={r.outcome} />
                          {r.cacheHit && <span class="small muted"> cached</span>}
                        </td>
                        <td class="num" data-label="Duration">{micros(r.durationMicros)}</td>
                        <td class="row-actions">
                          <button type="button" class="btn btn-small" onClick={() => setOpen(r)} aria-label={`Details of the ${r.action} record of ${dateTime(r.occurredAt)}`} data-testid="audit-details">
                            Details
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {pages.next && (
              <button type="button" class="btn" onClick={() => load(pages.next)} disabled={pages.more} data-testid="audit-more">
                {pages.more ? 'Loading…' : 'Load more'}
              </button>
            )}
          </>
        )
      )}
      {open && <Record record={open} onClose={() => setOpen(null)} />}
    </>
  );
}
