// The result cache (admins): which store answers, hits and misses per tool, invalidation; and the
// signed-in caller's rate-limit budgets, with a tool's own budget on request.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi, useInterval, useTitle } from '../hooks.js';
import { Async, Badge, ErrorBox, PageHeader } from '../components/Status.jsx';
import { Confirm } from '../components/Dialog.jsx';
import { BarList } from '../components/Chart.jsx';
import { ago, bytes, num, pct, seconds } from '../format.js';

function Backend({ backend }) {
  return (
    <p class={backend.degraded ? 'alert alert-warn' : 'muted'} role={backend.degraded ? 'alert' : undefined}>
      Store: <strong>{backend.active}</strong>
      {backend.configured !== backend.active && <> (configured: {backend.configured})</>}
      {backend.degraded && (
        <>
          {' '}
          — <strong>degraded</strong>
          {backend.since && ` since ${ago(backend.since)}`}
          {backend.detail && `: ${backend.detail}`}
        </>
      )}
    </p>
  );
}

function Stat({ label, value }) {
  return (
    <div class="tile tile-small">
      <p class="tile-label">{label}</p>
      <p class="tile-value">{value}</p>
    </div>
  );
}

function CacheStats() {
  const cache = useApi('cache');
  const [dropping, setDropping] = useState(null); // {server, tool} or {} for everything
  const [drop, setDrop] = useState({ busy: false, error: null, done: null });
  useInterval(() => cache.reload({ quiet: true }), 30_000);
  const confirm = async () => {
    setDrop({ busy: true, error: null, done: null });
    try {
      const r = await api.del('cache', { query: { server: dropping.server, tool: dropping.tool } });
      setDrop({ busy: false, error: null, done: r && r.invalidated });
      setDropping(null);
      cache.reload({ quiet: true });
    } catch (error) {
      setDrop({ busy: false, error, done: null });
    }
  };
  const what = dropping && (dropping.tool ? `${dropping.server}/${dropping.tool}` : dropping.server || 'every server');
  return (
    <section class="card" aria-labelledby="cache-title" data-testid="cache">
      <div class="card-head">
        <h2 id="cache-title">Result cache</h2>
        <button type="button" class="btn btn-small btn-danger" onClick={() => setDropping({})} data-testid="cache-drop-all">
          Drop every entry
        </button>
      </div>
      {drop.done && (
        <p class="notice small" role="status">
          Dropped the cached results of <code>{drop.done}</code>.
        </p>
      )}
      <Async state={cache} label="Loading cache statistics…">
        {(c) => (
          <>
            <Backend backend={c.backend} />
            <div class="tiles tiles-small">
              <Stat label="Entries" value={c.entries < 0 ? 'unknown' : num(c.entries)} />
              <Stat label="Hit ratio" value={pct(c.hitRatio)} />
              <Stat label="Hits" value={num(c.hits)} />
              <Stat label="Misses" value={num(c.misses)} />
              <Stat label="Stale served" value={num(c.staleServed)} />
              <Stat label="Stores" value={num(c.stores)} />
              <Stat label="Too large" value={num(c.tooLarge)} />
              <Stat label="Invalidations" value={num(c.invalidations)} />
            </div>
            <p class="muted small">Counters of this node since it started. Entries over {bytes(c.maxEntryBytes)} are not stored.</p>
            {c.tools.length > 0 && (
              <>
                <BarList
                  testid="cache-hits-by-tool"
                  title="Hits by tool"
                  items={c.tools.slice(0, 10).map((t) => ({ label: `${t.server}/${t.tool}`, value: t.hits }))}
                  format={(v) => num(v)}
                />
                <div class="table-wrap">
                  <table class="table table-stack" data-testid="cache-tools">
                    <caption class="sr-only">Cache counters per tool, busiest first</caption>
                    <thead>
                      <tr>
                        <th scope="col">Tool</th>
                        <th scope="col" class="num">Hits</th>
                        <th scope="col" class="num">Misses</th>
                        <th scope="col" class="num">Hit ratio</th>
                        <th scope="col" class="num">Stale</th>
                        <th scope="col" class="num">Stores</th>
                        <th scope="col">
                          <span class="sr-only">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {c.tools.map((t) => (
                        <tr key={`${t.server}/${t.tool}`}>
                          <th scope="row">
                            <code>
                              {t.server}/{t.tool}
                            </code>
                          </th>
                          <td class="num" data-label="Hits">{num(t.hits)}</td>
                          <td class="num" data-label="Misses">{num(t.misses)}</td>
                          <td class="num" data-label="Hit ratio">{pct(t.hitRatio)}</td>
                          <td class="num" data-label="Stale">{num(t.staleServed)}</td>
                          <td class="num" data-label="Stores">{num(t.stores)}</td>
                          <td class="row-actions">
                            <button type="button" class="btn btn-small" onClick={() => setDropping({ server: t.server, tool: t.tool })} aria-label={`Drop cached results of ${t.server}/${t.tool}`}>
                              Drop
                            </button>
                            <button type="button" class="btn btn-small" onClick={() => setDropping({ server: t.server })} aria-label={`Drop cached results of every tool of ${t.server}`}>
                              Drop server
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </>
            )}
            {c.tools.length === 0 && <p class="muted">No tool result looked up on this node yet.</p>}
          </>
        )}
      </Async>
      {dropping && (
        <Confirm
          title="Drop cached results?"
          confirmLabel="Drop"
          busy={drop.busy}
          error={drop.error && <ErrorBox error={drop.error} />}
          onConfirm={confirm}
          onCancel={() => {
            setDropping(null);
            setDrop({ busy: false, error: null, done: null });
          }}
          testid="cache-drop-dialog"
        >
          <p>
            The cached results of <strong>{what}</strong> are dropped on every node sharing the cache; the next calls go to the upstream.
          </p>
        </Confirm>
      )}
    </section>
  );
}

function Limits() {
  const [tool, setTool] = useState({ server: '', tool: '' });
  const [asked, setAsked] = useState({ server: '', tool: '' });
  const limits = useApi('rate-limits', [], { query: asked });
  const check = (e) => {
    e.preventDefault();
    setAsked(tool.server.trim() && tool.tool.trim() ? { server: tool.server.trim(), tool: tool.tool.trim() } : { server: '', tool: '' });
  };
  return (
    <section class="card" aria-labelledby="limits-title" data-testid="rate-limits">
      <div class="card-head">
        <h2 id="limits-title">Your rate limits</h2>
      </div>
      <form class="inline-form" onSubmit={check} aria-label="A tool's budget">
        <div class="field">
          <label for="rl-server">Server</label>
          <input id="rl-server" type="text" value={tool.server} onInput={(e) => setTool({ ...tool, server: e.currentTarget.value })} />
        </div>
        <div class="field">
          <label for="rl-tool">Tool</label>
          <input id="rl-tool" type="text" value={tool.tool} onInput={(e) => setTool({ ...tool, tool: e.currentTarget.value })} aria-describedby="rl-hint" />
        </div>
        <button type="submit" class="btn">
          Show
        </button>
        <p class="hint" id="rl-hint">
          With a server and a tool (the upstream’s own name), the tool’s budget too.
        </p>
      </form>
      <Async state={limits} label="Loading rate limits…">
        {(r) => (
          <>
            <Backend backend={r.backend} />
            {!r.enabled && <p class="muted">Rate limiting is off.</p>}
            {r.enabled && r.limits.length === 0 && <p class="muted">No budget applies.</p>}
            {r.limits.length > 0 && (
              <div class="table-wrap">
                <table class="table">
                  <caption class="sr-only">Budgets of {r.subject}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Scope</th>
                      <th scope="col">Used</th>
                      <th scope="col" class="num">Remaining</th>
                      <th scope="col" class="num">Window</th>
                      <th scope="col" class="num">A slot frees in</th>
                    </tr>
                  </thead>
                  <tbody>
                    {r.limits.map((l) => (
                      <tr key={l.scope}>
                        <th scope="row">{l.scope}</th>
                        <td>
                          <meter min={0} max={l.limit} low={l.limit * 0.7} high={l.limit * 0.9} optimum={0} value={l.used} aria-label={`${l.scope}: ${l.used} of ${l.limit} used`} />{' '}
                          {num(l.used)} / {num(l.limit)}
                        </td>
                        <td class="num">
                          {l.remaining === 0 ? <Badge tone="bad">0</Badge> : num(l.remaining)}
                        </td>
                        <td class="num">{seconds(l.windowSeconds)}</td>
                        <td class="num">{l.resetSeconds ? seconds(l.resetSeconds) : '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </Async>
    </section>
  );
}

export function Cache() {
  useTitle('Cache and rate limits');
  return (
    <>
      <PageHeader title="Cache and rate limits" />
      <CacheStats />
      <Limits />
    </>
  );
}
