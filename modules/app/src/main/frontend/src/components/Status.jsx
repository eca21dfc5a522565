// Loading and error states, shown for every request.
import { ApiError } from '../api.js';

export function Loading({ label = 'Loading…', inline = false }) {
  const Tag = inline ? 'span' : 'p';
  return (
    <Tag class={inline ? 'loading loading-inline' : 'loading'} role="status" aria-live="polite" data-testid="loading">
      <span class="spinner" aria-hidden="true" />
      {label}
    </Tag>
  );
}

/** A failed request: the problem's title and detail, its field errors, and a way to try again. */
export function ErrorBox({ error, onRetry, title: heading }) {
  if (!error) return null;
  const e = error instanceof ApiError ? error : new ApiError({ title: 'Something went wrong', detail: String(error && error.message || error) });
  return (
    <div class="error-box" role="alert" data-testid="error">
      <p class="error-title">
        <strong>{heading || e.title}</strong>
        {e.status ? <span class="error-status"> ({e.status})</span> : null}
      </p>
      {heading && <p>{e.title}</p>}
      {e.detail && <p class="error-detail" data-testid="error-detail">{e.detail}</p>}
      {e.errors.length > 0 && (
        <ul class="error-list">
          {e.errors.map((x, i) => (
            <li key={i}>
              {x.field ? <code>{x.field}</code> : null} {x.message || x.detail || JSON.stringify(x)}
            </li>
          ))}
        </ul>
      )}
      {e.requestId && <p class="muted small">Request id <code>{e.requestId}</code></p>}
      {onRetry && (
        <button type="button" class="btn btn-small" onClick={() => onRetry()}>
          Try again
        </button>
      )}
    </div>
  );
}

/**
 * Renders a useApi state: loading, error (with retry), or children(data). Keeps showing data while a
 * quiet reload runs.
 */
export function Async({ state, label, children }) {
  if (state.error && !state.data) return <ErrorBox error={state.error} onRetry={state.reload} />;
  if (state.loading && !state.data) return <Loading label={label} />;
  if (!state.data && state.data !== 0) return state.loading ? <Loading label={label} /> : null;
  return (
    <>
      {state.error && <ErrorBox error={state.error} onRetry={state.reload} />}
      {children(state.data)}
    </>
  );
}

/** A small status pill: ok / warn / bad / off / info by value. */
export function Badge({ tone = 'info', children, testid }) {
  return (
    <span class={`badge badge-${tone}`} data-testid={testid}>
      {children}
    </span>
  );
}

const STATE_TONES = {
  UP: 'ok', IDLE: 'info', STARTING: 'warn', DOWN: 'bad', DISABLED: 'off',
  ok: 'ok', completed: 'ok', verified: 'ok', listed: 'ok', active: 'ok', answer: 'ok', closed: 'ok',
  running: 'warn', 'half-open': 'warn', rotating: 'warn', stopped: 'warn', 'rate-limited': 'warn', invalid: 'warn', expired: 'off',
  failed: 'bad', error: 'bad', denied: 'bad', refused: 'bad', open: 'bad', unavailable: 'bad', revoked: 'off', disabled: 'off',
  unauthenticated: 'bad'
};

export function toneOf(value) {
  return STATE_TONES[value] || 'info';
}

export function StateBadge({ value, testid }) {
  if (value === null || value === undefined || value === '') return <span class="muted">—</span>;
  return (
    <Badge tone={toneOf(value)} testid={testid}>
      {String(value).toLowerCase()}
    </Badge>
  );
}

export function Json({ value, label }) {
  return (
    <pre class="json" tabIndex={0} aria-label={label}>
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/** A page heading row with actions on the right. */
export function PageHeader({ title, children, sub }) {
  return (
    <div class="page-header">
      <div>
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {sub && <p class="muted">{sub}</p>}
      </div>
      {children && <div class="actions">{children}</div>}
    </div>
  );
}

/** Shown when a page needs a right the signed-in role lacks. */
export function NotAllowed({ what }) {
  return (
    <div class="notice" role="note">
      <p>
        {what} needs the <strong>admin</strong> role. Your role cannot see it.
      </p>
    </div>
  );
}
