// Token usage of the agents' model calls (admins): a month by day, by model and by role, the last six
// months, and the monthly budgets with an alert when one runs low.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api.js';
import { useApi, useTitle } from '../hooks.js';
import { Async, ErrorBox, Loading, PageHeader } from '../components/Status.jsx';
import { BarList, Chart } from '../components/Chart.jsx';
import { compact, dateTime, num, pct } from '../format.js';

const WARN = 0.8;

function thisMonth() {
  return new Date().toISOString().slice(0, 7);
}

function monthsBefore(month, n) {
  const [y, m] = month.split('-').map(Number);
  const out = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(y, m - 1 - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

function daysOf(month) {
  const [y, m] = month.split('-').map(Number);
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, '0')}`);
}

const total = (u) => (u.promptTokens || 0) + (u.completionTokens || 0);

function Grouped({ month, by, title }) {
  const usage = useApi('agents/usage', [], { query: { month, by } });
  return (
    <Async state={usage} label={`Loading usage by ${by}…`}>
      {(r) => (
        <BarList
          testid={`usage-by-${by}`}
          title={title}
          items={[...r.usage].sort((a, b) => total(b) - total(a)).map((u) => ({ label: u.key, value: total(u) }))}
          format={(v) => `${compact(v)} tokens`}
          empty="No model call this month."
        />
      )}
    </Async>
  );
}

function Daily({ month }) {
  const usage = useApi('agents/usage', [], { query: { month, by: 'day' } });
  return (
    <Async state={usage} label="Loading usage by day…">
      {(r) => {
        const days = daysOf(month);
        const byDay = Object.fromEntries(r.usage.map((u) => [u.key, u]));
        const tokens = days.map((d) => (byDay[d] ? total(byDay[d]) : 0));
        const sum = r.usage.reduce((n, u) => n + total(u), 0);
        const calls = r.usage.reduce((n, u) => n + (u.calls || 0), 0);
        return (
          <Chart
            testid="chart-usage-day"
            title={`Tokens by day, ${month}`}
            categories={days.map((d) => d.slice(8))}
            x={days.map((_, i) => i)}
            series={[{ label: 'tokens', values: tokens, color: '#2563eb', bars: true }]}
            format={compact}
            height={220}
            summary={`${compact(sum)} tokens in ${num(calls)} model calls`}
          />
        );
      }}
    </Async>
  );
}

function Months({ month }) {
  const months = useMemo(() => monthsBefore(month, 6), [month]);
  const [state, setState] = useState({ loading: true, error: null, totals: null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState({ loading: true, error: null, totals: null });
    Promise.all(months.map((m) => api.get('agents/usage', { query: { month: m, by: 'role' } }))).then(
      (answers) => live && setState({ loading: false, error: null, totals: answers.map((a) => a.usage.reduce((n, u) => n + total(u), 0)) }),
      (error) => live && setState({ loading: false, error, totals: null })
    );
    return () => {
      live = false;
    };
  }, [months, tick]);
  if (state.loading) return <Loading label="Loading the last six months…" />;
  if (state.error) return <ErrorBox error={state.error} onRetry={() => setTick(tick + 1)} />;
  return (
    <Chart
      testid="chart-usage-month"
      title="Tokens by month"
      categories={months}
      x={months.map((_, i) => i)}
      series={[{ label: 'tokens', values: state.totals, color: '#7c3aed', bars: true }]}
      format={compact}
      height={200}
      summary={`${compact(state.totals.reduce((a, b) => a + b, 0))} tokens in six months`}
    />
  );
}

function Budgets({ month }) {
  const usage = useApi('agents/usage', [], { query: { month, by: 'model' } });
  return (
    <section class="card" aria-labelledby="budgets-title" data-testid="budgets">
      <div class="card-head">
        <h2 id="budgets-title">Monthly budgets</h2>
      </div>
      <Async state={usage} label="Loading budgets…">
        {(r) => {
          const budgets = r.budgets || [];
          if (budgets.length === 0) return <p class="muted">No monthly budget is configured (sluice.agents.budget.monthly-tokens, …per-model, …per-organisation).</p>;
          const alerts = budgets.filter((b) => b.limitTokens > 0 && b.usedTokens / b.limitTokens >= WARN);
          return (
            <>
              {alerts.map((b) => {
                const share = b.usedTokens / b.limitTokens;
                return (
                  <p key={b.scope} class={share >= 1 ? 'alert alert-bad' : 'alert alert-warn'} role="alert" data-testid="budget-alert">
                    <strong>{share >= 1 ? 'Budget spent' : 'Budget running low'}:</strong> <code>{b.scope}</code> has used {pct(share, 0)} of{' '}
                    {compact(b.limitTokens)} tokens this month{share >= 1 ? '; runs it covers are refused until the month ends.' : '.'}
                  </p>
                );
              })}
              <ul class="meters">
                {budgets.map((b) => {
                  const share = b.limitTokens > 0 ? b.usedTokens / b.limitTokens : 0;
                  return (
                    <li key={b.scope}>
                      <label>
                        <span>
                          <code>{b.scope}</code>: {compact(b.usedTokens)} of {compact(b.limitTokens)} ({pct(share, 0)})
                        </span>
                        <meter min={0} max={b.limitTokens} low={b.limitTokens * 0.6} high={b.limitTokens * WARN} optimum={0} value={b.usedTokens} />
                      </label>
                    </li>
                  );
                })}
              </ul>
              <p class="muted small">Budgets are for the current month (UTC).</p>
            </>
          );
        }}
      </Async>
      <FiredAlerts />
    </section>
  );
}

/** The alerts Sluice fired (once per budget and month, at 80 %), as the audit trail holds them. */
function FiredAlerts() {
  const fired = useApi('audit', [], { query: { action: 'token-budget/alert', limit: 20 } });
  return (
    <>
      <h3 class="small-heading">Alerts fired</h3>
      <Async state={fired} label="Loading alerts…">
        {(records) => {
          if (!records || records.length === 0) {
            return <p class="muted small" data-testid="fired-alerts-none">No budget has reached its alert threshold yet.</p>;
          }
          return (
            <ul class="plain-list" data-testid="fired-alerts">
              {records.map((a) => {
                let facts = {};
                try {
                  facts = JSON.parse(a.argumentsRedacted || '{}');
                } catch (e) {
                  facts = {};
                }
                return (
                  <li key={`${a.requestId}-${a.target}`}>
                    {dateTime(a.occurredAt)}: <code>{a.target}</code>
                    {facts.limit ? ` at ${compact(facts.used)} of ${compact(facts.limit)} tokens (${facts.month})` : ''}
                  </li>
                );
              })}
            </ul>
          );
        }}
      </Async>
    </>
  );
}

export function Tokens() {
  useTitle('Token usage');
  const [month, setMonth] = useState(thisMonth);
  return (
    <>
      <PageHeader title="Token usage" sub="Model tokens of the agents’ runs, UTC months">
        <label class="inline-field">
          <span>Month</span>
          <input type="month" value={month} max={thisMonth()} onChange={(e) => e.currentTarget.value && setMonth(e.currentTarget.value)} data-testid="usage-month" />
        </label>
      </PageHeader>
      <Budgets month={thisMonth()} />
      <section class="chart-grid" aria-label="Usage charts">
        <Daily key={`d-${month}`} month={month} />
        <Months key={`m-${month}`} month={month} />
        <Grouped key={`model-${month}`} month={month} by="model" title={`By model, ${month}`} />
        <Grouped key={`role-${month}`} month={month} by="role" title={`By role, ${month}`} />
      </section>
    </>
  );
}
