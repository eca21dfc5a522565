// The dashboard: this node's traffic over a window (rate, p95 latency, errors, cache hits, tokens) as
// tiles and charts, and every upstream server's state at a glance.
import { useMemo, useState } from 'preact/hooks';
import { useApi, useInterval, useTitle, href } from '../hooks.js';
import { Async, ErrorBox, Loading, PageHeader, StateBadge } from '../components/Status.jsx';
import { Chart } from '../components/Chart.jsx';
import { compact, durationLabel, durationSeconds, ms, num, pct, seconds, time } from '../format.js';

const WINDOWS = ['PT15M', 'PT1H', 'PT6H', 'PT24H'];

function Tile({ label, value, sub, tone, testid }) {
  return (
    <div class={`tile${tone ? ` tile-${tone}` : ''}`} data-testid={testid}>
      <p class="tile-label">{label}</p>
      <p class="tile-value" data-testid={testid && `${testid}-value`}>{value}</p>
      {sub && <p class="tile-sub">{sub}</p>}
    </div>
  );
}

function Stats({ stats }) {
  const step = durationSeconds(stats.step) || 60;
  const windowSeconds = durationSeconds(stats.window) || step * Math.max(1, stats.series.length);
  const t = stats.totals || {};
  const charts = useMemo(() => {
    const s = stats.series || [];
    const x = s.map((b) => Math.floor(new Date(b.at).getTime() / 1000));
    return {
      x,
      rate: s.map((b) => b.requests / step),
      errors: s.map((b) => b.errors / step),
      p95: s.map((b) => (b.p95Millis === null || b.p95Millis === undefined ? null : b.p95Millis)),
      hit: s.map((b) => (b.cacheLookups > 0 ? b.cacheHits / b.cacheLookups : null)),
      tokens: s.map((b) => b.tokens || 0)
    };
  }, [stats, step]);
  const perStep = step === 60 ? 'minute' : durationLabel(stats.step);
  const peak = Math.max(0, ...charts.rate);
  const fmtRate = (v) => (v >= 10 ? num(v) : num(v, 2));
  // a quiet gateway reads better per minute than as 0.00 per second
  const rateLabel = (perSecond) => (perSecond >= 1
    ? `${num(perSecond, perSecond >= 10 ? 0 : 1)} /s`
    : `${num(perSecond * 60, perSecond * 60 >= 10 ? 0 : 2)} /min`);
  return (
    <>
      <section aria-labelledby="totals-title">
        <h2 id="totals-title" class="sr-only">
          Totals over the last {durationLabel(stats.window)}
        </h2>
        <div class="tiles">
          <Tile
            testid="tile-requests"
            label="Request rate"
            value={rateLabel((t.requests || 0) / windowSeconds)}
            sub={`${num(t.requests)} requests`}
          />
          <Tile testid="tile-p95" label="p95 latency" value={ms(t.p95Millis)} sub="tool calls, resource reads, prompt gets" />
          <Tile
            testid="tile-errors"
            label="Error rate"
            value={pct(t.errorRate ?? (t.requests ? t.errors / t.requests : null))}
            sub={`${num(t.errors)} errors`}
            tone={t.errorRate > 0.05 ? 'bad' : t.errorRate > 0.01 ? 'warn' : undefined}
          />
          <Tile
            testid="tile-cache"
            label="Cache hit rate"
            value={pct(t.cacheHitRate ?? (t.cacheLookups ? t.cacheHits / t.cacheLookups : null))}
            sub={`${num(t.cacheHits)} of ${num(t.cacheLookups)} lookups`}
          />
          <Tile testid="tile-tokens" label="Token spend" value={compact(t.tokens)} sub="model tokens of agent runs" />
        </div>
      </section>
      <section class="chart-grid" aria-label="Charts">
        <Chart
          testid="chart-requests"
          title="Requests per second"
          x={charts.x}
          series={[
            { label: 'requests/s', values: charts.rate, color: '#2563eb' },
            { label: 'errors/s', values: charts.errors, color: '#dc2626' }
          ]}
          format={fmtRate}
          summary={`peak ${fmtRate(peak)}/s, ${num(t.requests)} requests, one point per ${perStep}`}
        />
        <Chart
          testid="chart-latency"
          title="p95 latency"
          x={charts.x}
          series={[{ label: 'p95', values: charts.p95, color: '#7c3aed' }]}
          format={(v) => ms(v)}
          summary={`over the window ${ms(t.p95Millis)}`}
        />
        <Chart
          testid="chart-cache"
          title="Cache hit rate"
          x={charts.x}
          series={[{ label: 'hit rate', values: charts.hit, color: '#059669' }]}
          format={(v) => pct(v, 0)}
          summary={`${pct(t.cacheHitRate)} of ${num(t.cacheLookups)} lookups`}
        />
        <Chart
          testid="chart-tokens"
          title="Token spend"
          x={charts.x}
          series={[{ label: 'tokens', values: charts.tokens, color: '#d97706', bars: true }]}
          format={compact}
          summary={`${compact(t.tokens)} tokens`}
        />
      </section>
    </>
  );
}

function Upstreams() {
  const servers = useApi('servers');
  useInterval(() => servers.reload({ quiet: true }), 30_000);
  return (
    <section class="card" aria-labelledby="upstreams-title" data-testid="upstreams">
      <div class="card-head">
        <h2 id="upstreams-title">Upstream health</h2>
        <a href="#/servers">All servers</a>
      </div>
      <Async state={servers} label="Loading servers…">
        {(list) => {
          const counts = {};
          for (const s of list) {
            const st = s.enabled ? (s.status && s.status.state) || 'IDLE' : 'DISABLED';
            counts[st] = (counts[st] || 0) + 1;
          }
          return (
            <>
              <p class="muted" data-testid="upstream-counts">
                {['UP', 'DOWN', 'STARTING', 'IDLE', 'DISABLED']
                  .filter((k) => counts[k])
                  .map((k) => `${counts[k]} ${k.toLowerCase()}`)
                  .join(' · ') || 'No servers in the catalog.'}
              </p>
              <ul class="server-chips">
                {list.map((s) => {
                  const st = s.enabled ? (s.status && s.status.state) || 'IDLE' : 'DISABLED';
                  return (
                    <li key={s.name}>
                      <a href={href('servers', s.name)} class={`chip chip-${st.toLowerCase()}`}>
                        <span class="chip-name">{s.name}</span>
                        <StateBadge value={st} />
                      </a>
                    </li>
                  );
                })}
              </ul>
            </>
          );
        }}
      </Async>
    </section>
  );
}

function RateLimits() {
  const limits = useApi('rate-limits');
  return (
    <section class="card" aria-labelledby="limits-title">
      <div class="card-head">
        <h2 id="limits-title">Your rate limits</h2>
      </div>
      <Async state={limits} label="Loading rate limits…">
        {(r) =>
          !r.enabled ? (
            <p class="muted">Rate limiting is off.</p>
          ) : r.limits.length === 0 ? (
            <p class="muted">No budget applies to you.</p>
          ) : (
            <ul class="meters">
              {r.limits.map((l) => (
                <li key={l.scope}>
                  <label>
                    <span>
                      {l.scope}: {num(l.used)} of {num(l.limit)} per {seconds(l.windowSeconds)}
                    </span>
                    <meter min={0} max={l.limit} low={l.limit * 0.7} high={l.limit * 0.9} optimum={0} value={l.used} />
                  </label>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}

export function Dashboard() {
  useTitle('Dashboard');
  const [win, setWin] = useState('PT1H');
  const stats = useApi('stats', [], { query: { window: win } });
  useInterval(() => stats.reload({ quiet: true }), 30_000);
  return (
    <>
      <PageHeader title="Dashboard" sub={stats.data ? `Node ${stats.data.node}, ${time(stats.data.from)} – ${time(stats.data.to)}` : 'This node’s traffic'}>
        <label class="inline-field">
          <span>Window</span>
          <select value={win} onChange={(e) => setWin(e.currentTarget.value)} data-testid="stats-window">
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                last {durationLabel(w)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="btn" onClick={() => stats.reload()} disabled={stats.loading}>
          Refresh
        </button>
      </PageHeader>
      {stats.error && <ErrorBox error={stats.error} onRetry={stats.reload} />}
      {stats.loading && !stats.data && <Loading label="Loading statistics…" />}
      {stats.data && <Stats stats={stats.data} />}
      <div class="two-col">
        <Upstreams />
        <RateLimits />
      </div>
    </>
  );
}
