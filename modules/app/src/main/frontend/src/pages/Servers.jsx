// The upstream servers: their state on this node, health history, tools; for admins enabling and
// disabling, adding and editing catalog entries, and the catalog verification.
import { useMemo, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { href, navigate, useAction, useApi, useInterval, useTitle } from '../hooks.js';
import { useMe } from '../session.js';
import { Async, Badge, ErrorBox, Loading, PageHeader, StateBadge } from '../components/Status.jsx';
import { Confirm, Dialog } from '../components/Dialog.jsx';
import { Chart } from '../components/Chart.jsx';
import { ServerForm } from '../components/ServerForm.jsx';
import { ago, dateTime, ms, num } from '../format.js';

export function stateOf(server) {
  if (!server.enabled) return 'DISABLED';
  return (server.status && server.status.state) || 'IDLE';
}

/** Enable / disable with a confirmation before disabling; answers the updated ServerView through onDone. */
function ToggleButton({ server, onDone, small = true }) {
  const [asking, setAsking] = useState(false);
  const action = useAction((enable) => api.post(`servers/${seg(server.name)}/${enable ? 'enable' : 'disable'}`));
  const toggle = async (enable) => {
    const updated = await action.run(enable);
    if (updated) {
      setAsking(false);
      onDone(updated);
    }
  };
  return (
    <>
      <button
        type="button"
        class={`btn${small ? ' btn-small' : ''}${server.enabled ? '' : ' btn-primary'}`}
        data-testid={`toggle-${server.name}`}
        aria-label={`${server.enabled ? 'Disable' : 'Enable'} ${server.name}`}
        disabled={action.busy}
        onClick={() => (server.enabled ? setAsking(true) : toggle(true))}
      >
        {action.busy && !asking ? 'Enabling…' : server.enabled ? 'Disable' : 'Enable'}
      </button>
      {action.error && !asking && <ErrorBox error={action.error} />}
      {asking && (
        <Confirm
          title={`Disable ${server.name}?`}
          confirmLabel="Disable"
          busy={action.busy}
          error={action.error && <ErrorBox error={action.error} />}
          onConfirm={() => toggle(false)}
          onCancel={() => {
            setAsking(false);
            action.reset();
          }}
          testid="confirm-disable"
        >
          <p>
            Sluice stops using <strong>{server.name}</strong>: its connection closes and its tools, resources and prompts leave every list
            until it is enabled again.
          </p>
        </Confirm>
      )}
    </>
  );
}

function VerifyReport({ report }) {
  return (
    <section class="card" aria-labelledby="verify-title" data-testid="verify-report">
      <div class="card-head">
        <h2 id="verify-title">Catalog verification</h2>
        <p class="muted" role="status">
          {num(report.verified)} of {num(report.servers)} servers verified, {num(report.tools)} tools reachable
        </p>
      </div>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Server</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">Tools</th>
              <th scope="col" class="num">Resources</th>
              <th scope="col" class="num">Prompts</th>
              <th scope="col">Smoke call</th>
              <th scope="col" class="num">Start</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {report.rows.map((r) => (
              <tr key={r.server}>
                <th scope="row">
                  <a href={href('servers', r.server)}>{r.server}</a>
                </th>
                <td>
                  <StateBadge value={r.status} />
                </td>
                <td class="num">{num(r.tools)}</td>
                <td class="num">{num(r.resources)}</td>
                <td class="num">{num(r.prompts)}</td>
                <td>
                  {r.smoke ? <code>{r.smoke}</code> : <span class="muted">—</span>}
                  {r.smokeResult && <div class="small muted clip">{r.smokeResult}</div>}
                </td>
                <td class="num">{r.startSeconds ? `${num(r.startSeconds, 1)} s` : '—'}</td>
                <td>
                  {r.reason || <span class="muted">—</span>}
                  {r.install && (
                    <div class="small">
                      Install: <code>{r.install}</code>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function useVerify() {
  return useAction((servers) => api.post('catalog/verify', undefined, { query: { server: servers } }));
}

export function Servers() {
  useTitle('Servers');
  const me = useMe();
  const servers = useApi('servers');
  const catalog = useApi('catalog');
  const [adding, setAdding] = useState(false);
  const [filter, setFilter] = useState('');
  const verify = useVerify();
  useInterval(() => servers.reload({ quiet: true }), 15_000);

  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const list = servers.data || [];
    return q ? list.filter((s) => `${s.name} ${s.description} ${s.category}`.toLowerCase().includes(q)) : list;
  }, [servers.data, filter]);

  return (
    <>
      <PageHeader
        title="Servers"
        sub={
          catalog.data
            ? `Catalog ${catalog.data.source || 'built in'}, loaded ${ago(catalog.data.loadedAt)}`
            : catalog.loading
              ? 'Loading the catalog…'
              : 'The upstream MCP servers of the catalog'
        }
      >
        {me.can.admin && (
          <>
            <button type="button" class="btn" onClick={() => verify.run([])} disabled={verify.busy} data-testid="verify-catalog">
              {verify.busy ? 'Verifying…' : 'Verify catalog'}
            </button>
            <button type="button" class="btn btn-primary" onClick={() => setAdding(true)} data-testid="add-server">
              Add server
            </button>
          </>
        )}
      </PageHeader>
      {catalog.error && <ErrorBox error={catalog.error} onRetry={catalog.reload} />}
      {verify.busy && <Loading label="Verifying the catalog: starting every enabled server and making its smoke call. This can take a minute…" />}
      {verify.error && <ErrorBox error={verify.error} title="The verification failed" onRetry={() => verify.run([])} />}
      {verify.result && <VerifyReport report={verify.result} />}
      <div class="toolbar">
        <label class="inline-field">
          <span>Filter</span>
          <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="name, category…" data-testid="server-filter" />
        </label>
      </div>
      <Async state={servers} label="Loading servers…">
        {() => (
          <div class="table-wrap">
            <table class="table table-stack" data-testid="servers-table">
              <caption class="sr-only">Upstream servers</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">State</th>
                  <th scope="col">Category</th>
                  <th scope="col">Transport</th>
                  <th scope="col">Circuit</th>
                  <th scope="col">Since</th>
                  {me.can.admin && (
                    <th scope="col">
                      <span class="sr-only">Actions</span>
                    </th>
                  )}
                </tr>
              </thead>
              <tbody>
                {shown.length === 0 && (
                  <tr>
                    <td colSpan={7} class="muted">
                      No server matches.
                    </td>
                  </tr>
                )}
                {shown.map((s) => (
                  <tr key={s.name} data-testid={`server-row-${s.name}`}>
                    <th scope="row">
                      <a href={href('servers', s.name)}>{s.name}</a>
                      {s.description && <div class="small muted clip">{s.description}</div>}
                    </th>
                    <td data-label="State">
                      <StateBadge value={stateOf(s)} testid={`state-${s.name}`} />
                      {s.status && s.status.lastError && s.enabled && <div class="small bad clip">{s.status.lastError}</div>}
                    </td>
                    <td data-label="Category">{s.category}</td>
                    <td data-label="Transport">{s.transport}</td>
                    <td data-label="Circuit">{s.status && s.status.circuit ? <StateBadge value={s.status.circuit} /> : '—'}</td>
                    <td data-label="Since">{s.status && s.status.since ? ago(s.status.since) : '—'}</td>
                    {me.can.admin && (
                      <td class="row-actions">
                        <ToggleButton server={s} onDone={() => servers.reload({ quiet: true })} />
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Async>
      {adding && (
        <Dialog title="Add a server" onClose={() => setAdding(false)} wide testid="add-server-dialog">
          <ServerForm
            definition={null}
            onCancel={() => setAdding(false)}
            onSaved={(saved, entry) => {
              setAdding(false);
              navigate('servers', (saved && saved.name) || entry.name);
            }}
          />
        </Dialog>
      )}
    </>
  );
}

function Info({ label, children }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children === null || children === undefined || children === '' ? <span class="muted">—</span> : children}</dd>
    </>
  );
}

function Health({ name }) {
  const health = useApi(`servers/${seg(name)}/health`);
  useInterval(() => health.reload({ quiet: true }), 15_000);
  return (
    <section class="card" aria-labelledby="health-title">
      <div class="card-head">
        <h2 id="health-title">Health history</h2>
        <button type="button" class="btn btn-small" onClick={() => health.reload()}>
          Refresh
        </button>
      </div>
      <Async state={health} label="Loading health checks…">
        {(h) => {
          const checks = [...(h.checks || [])].reverse();
          if (checks.length === 0) return <p class="muted">No health check yet on this node.</p>;
          const failed = checks.filter((c) => !c.ok).length;
          return (
            <>
              <Chart
                testid="chart-health"
                title="Check latency"
                height={160}
                x={checks.map((c) => Math.floor(new Date(c.at).getTime() / 1000))}
                series={[
                  { label: 'answered', values: checks.map((c) => (c.ok ? c.latencyMillis : null)), color: '#059669' },
                  { label: 'failed', values: checks.map((c) => (c.ok ? null : c.latencyMillis)), color: '#dc2626', bars: true }
                ]}
                format={(v) => ms(v)}
                summary={`${checks.length} checks, ${failed} failed`}
              />
              <div class="table-wrap">
                <table class="table table-compact">
                  <caption class="sr-only">Latest checks, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">When</th>
                      <th scope="col">Result</th>
                      <th scope="col" class="num">Latency</th>
                      <th scope="col">Error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(h.checks || []).slice(0, 10).map((c, i) => (
                      <tr key={i}>
                        <td>{dateTime(c.at)}</td>
                        <td>
                          <StateBadge value={c.ok ? 'ok' : 'failed'} />
                        </td>
                        <td class="num">{ms(c.latencyMillis)}</td>
                        <td class="clip">{c.error || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          );
        }}
      </Async>
    </section>
  );
}

function ServerTools({ name, enabled }) {
  const tools = useApi(enabled ? 'tools' : null, [enabled], { query: { server: name } });
  return (
    <section class="card" aria-labelledby="tools-title">
      <div class="card-head">
        <h2 id="tools-title">Tools</h2>
        <a href={href('tools', { server: name })}>Open in the explorer</a>
      </div>
      {!enabled ? (
        <p class="muted">A disabled server offers no tools.</p>
      ) : (
        <Async state={tools} label="Listing tools…">
          {(r) =>
            r.tools.length === 0 ? (
              <p class="muted">
                No tool you may call.{' '}
                {(r.unavailable || []).length > 0 && `The server could not be listed: ${r.unavailable.map((u) => (typeof u === 'string' ? u : u.server || JSON.stringify(u))).join(', ')}.`}
              </p>
            ) : (
              <ul class="tool-list" data-testid="server-tools">
                {r.tools.map((t) => (
                  <li key={t.name}>
                    <a href={href('tools', t.name)}>{t.tool}</a> <Badge tone={t.mode === 'write' ? 'warn' : 'info'}>{t.mode}</Badge>
                    {t.description && <div class="small muted clip">{t.description}</div>}
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      )}
    </section>
  );
}

export function ServerDetail({ name }) {
  useTitle(name);
  const me = useMe();
  const server = useApi(`servers/${seg(name)}`);
  const [editing, setEditing] = useState(null); // the definition being edited
  const [removing, setRemoving] = useState(false);
  const definition = useAction(() => api.get(`servers/${seg(name)}/definition`));
  const remove = useAction(() => api.del(`servers/${seg(name)}`));
  const verify = useVerify();
  useInterval(() => server.reload({ quiet: true }), 15_000);

  const edit = async () => {
    const def = await definition.run();
    if (def) setEditing(def);
  };
  const s = server.data;
  return (
    <>
      <p class="breadcrumb">
        <a href="#/servers">Servers</a> <span aria-hidden="true">/</span>
      </p>
      <PageHeader title={name} sub={s && s.description}>
        {s && me.can.admin && (
          <>
            <ToggleButton server={s} small={false} onDone={() => server.reload({ quiet: true })} />
            <button type="button" class="btn" onClick={edit} disabled={definition.busy} data-testid="edit-server">
              {definition.busy ? 'Loading…' : 'Edit'}
            </button>
            <button type="button" class="btn" onClick={() => verify.run([name])} disabled={verify.busy || !s.enabled} data-testid="verify-server">
              {verify.busy ? 'Verifying…' : 'Verify'}
            </button>
            {s.origin !== 'catalog' && (
              // only entries added through the API can be deleted; the catalog file's are disabled instead
              <button type="button" class="btn btn-danger" onClick={() => setRemoving(true)} data-testid="delete-server">
                Delete
              </button>
            )}
          </>
        )}
      </PageHeader>
      {definition.error && <ErrorBox error={definition.error} title="Could not load the catalog entry" onRetry={edit} />}
      {verify.busy && <Loading label={`Verifying ${name}…`} />}
      {verify.error && <ErrorBox error={verify.error} title="The verification failed" />}
      {verify.result && <VerifyReport report={verify.result} />}
      <Async state={server} label="Loading the server…">
        {(sv) => (
          <>
            <div class="two-col">
              <section class="card" aria-labelledby="status-title">
                <div class="card-head">
                  <h2 id="status-title">Status on this node</h2>
                  <StateBadge value={stateOf(sv)} testid="server-state" />
                </div>
                <dl class="facts">
                  <Info label="Since">{sv.status && sv.status.since ? `${dateTime(sv.status.since)} (${ago(sv.status.since)})` : null}</Info>
                  <Info label="Connects to">{sv.status && sv.status.transport && <code>{sv.status.transport}</code>}</Info>
                  <Info label="Upstream">{sv.status && sv.status.serverName ? `${sv.status.serverName} ${sv.status.serverVersion || ''}` : null}</Info>
                  <Info label="Protocol">{sv.status && sv.status.protocolVersion}</Info>
                  <Info label="Circuit">{sv.status && sv.status.circuit && <StateBadge value={sv.status.circuit} />}</Info>
                  <Info label="Restarts">{sv.status && num(sv.status.restarts)}</Info>
                  <Info label="Retries">{sv.status && num(sv.status.retries)}</Info>
                  <Info label="Last start">{sv.status && sv.status.startMillis ? ms(sv.status.startMillis) : null}</Info>
                  <Info label="Last error">{sv.status && sv.status.lastError && <span class="bad">{sv.status.lastError}</span>}</Info>
                  {sv.status && sv.status.install && <Info label="Install">{<code>{sv.status.install}</code>}</Info>}
                </dl>
              </section>
              <section class="card" aria-labelledby="entry-title">
                <div class="card-head">
                  <h2 id="entry-title">Catalog entry</h2>
                  <Badge tone={sv.enabled ? 'ok' : 'off'} testid="server-enabled-badge">
                    {sv.enabled ? 'enabled' : 'disabled'}
                  </Badge>
                </div>
                <dl class="facts">
                  <Info label="Category">{sv.category}</Info>
                  <Info label="Tier">{sv.tier}</Info>
                  <Info label="Transport">{sv.transport}</Info>
                  <Info label="Protocol era">{sv.protocol}</Info>
                  {sv.origin && <Info label="Defined in">{sv.origin === 'api' ? 'the API (at run time)' : 'the catalog file'}</Info>}
                  {sv.changedAt && (
                    <Info label="Last changed">
                      {dateTime(sv.changedAt)}
                      {sv.changedBy ? ` by ${sv.changedBy}` : ''}
                    </Info>
                  )}
                </dl>
              </section>
            </div>
            <div class="two-col">
              <Health name={name} />
              <ServerTools name={name} enabled={sv.enabled} />
            </div>
          </>
        )}
      </Async>
      {editing && (
        <Dialog title={`Edit ${name}`} onClose={() => setEditing(null)} wide testid="edit-server-dialog">
          <ServerForm
            definition={editing}
            onCancel={() => setEditing(null)}
            onSaved={() => {
              setEditing(null);
              server.reload();
            }}
          />
        </Dialog>
      )}
      {removing && (
        <Confirm
          title={`Delete ${name}?`}
          confirmLabel="Delete"
          busy={remove.busy}
          error={remove.error && <ErrorBox error={remove.error} />}
          onCancel={() => {
            setRemoving(false);
            remove.reset();
          }}
          onConfirm={async () => {
            const done = await remove.run();
            if (done !== undefined) {
              setRemoving(false);
              navigate('servers');
            }
          }}
          testid="confirm-delete"
        >
          <p>
            The entry leaves the catalog and its connection closes. Only entries added through the API can be deleted; an entry of the catalog
            file is disabled instead.
          </p>
        </Confirm>
      )}
    </>
  );
}
