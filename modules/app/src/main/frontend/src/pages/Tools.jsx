// The tool explorer: search every tool the caller may use, read its schema, try a call through a form
// generated from the schema, and see the result.
import { useEffect, useState } from 'preact/hooks';
import { api, seg } from '../api.js';
import { href, useAction, useApi, useTitle } from '../hooks.js';
import { useMe } from '../session.js';
import { Async, Badge, ErrorBox, Json, Loading, PageHeader } from '../components/Status.jsx';
import { SchemaForm } from '../components/SchemaForm.jsx';
import { micros, num } from '../format.js';

function useDebounced(value, delay) {
  const [v, setV] = useState(value);
  useEffect(() => {
    const id = setTimeout(() => setV(value), delay);
    return () => clearTimeout(id);
  }, [value, delay]);
  return v;
}

function ContentItem({ item }) {
  switch (item.type) {
    case 'text':
      return <pre class="result-text">{item.text}</pre>;
    case 'image':
      return /^image\/[\w.+-]+$/.test(item.mimeType || '') ? (
        <img class="result-image" src={`data:${item.mimeType};base64,${item.data}`} alt={`Image result (${item.mimeType})`} />
      ) : (
        <p class="muted">An image of type {String(item.mimeType)} (not shown).</p>
      );
    case 'audio':
      return <p class="muted">Audio ({item.mimeType}, {num(Math.floor(((item.data || '').length * 3) / 4))} bytes; not played here).</p>;
    case 'resource': {
      const r = item.resource || {};
      return (
        <div class="result-resource">
          <p class="small">
            Resource <code>{r.uri}</code> {r.mimeType && <span class="muted">({r.mimeType})</span>}
          </p>
          {r.text !== undefined ? <pre class="result-text">{r.text}</pre> : <p class="muted">Binary content, {num(Math.floor(((r.blob || '').length * 3) / 4))} bytes.</p>}
        </div>
      );
    }
    case 'resource_link':
      return (
        <p class="small">
          Link to resource <code>{item.uri}</code> {item.name && `(${item.name})`}
        </p>
      );
    default:
      return <Json value={item} label="Content item" />;
  }
}

export function ToolResult({ result, elapsed }) {
  const content = Array.isArray(result && result.content) ? result.content : [];
  return (
    <section class={`card result${result.isError ? ' result-error' : ''}`} aria-labelledby="result-title" data-testid="tool-result" aria-live="polite">
      <div class="card-head">
        <h2 id="result-title">Result</h2>
        <span>
          {result.isError ? <Badge tone="bad">the tool reported an error</Badge> : <Badge tone="ok">ok</Badge>}
          {elapsed !== undefined && <span class="muted small"> in {micros(elapsed * 1000)}</span>}
        </span>
      </div>
      {content.length === 0 && !result.structuredContent && <p class="muted">The tool answered with no content.</p>}
      {content.map((item, i) => (
        <ContentItem key={i} item={item} />
      ))}
      {result.structuredContent !== undefined && (
        <>
          <h3>Structured content</h3>
          <Json value={result.structuredContent} label="Structured content" />
        </>
      )}
      <details>
        <summary>Raw answer</summary>
        <Json value={result} label="Raw answer" />
      </details>
    </section>
  );
}

function ToolDetail({ name }) {
  const me = useMe();
  const tool = useApi(`tools/${seg(name)}`);
  const [elapsed, setElapsed] = useState(undefined);
  const call = useAction(async (t, args) => {
    const started = performance.now();
    const result = await api.post(`servers/${seg(t.server)}/tools/${seg(t.tool)}/call`, { arguments: args });
    setElapsed(performance.now() - started);
    return result;
  });
  return (
    <div class="tool-detail" data-testid="tool-detail">
      <Async state={tool} label="Loading the tool…">
        {(t) => (
          <>
            <div class="page-header">
              <div>
                <h2 class="h1" id="tool-title" tabIndex={-1}>
                  {t.title || t.tool}
                </h2>
                <p class="muted">
                  <code>{t.name}</code> on <a href={href('servers', t.server)}>{t.server}</a> <Badge tone={t.mode === 'write' ? 'warn' : 'info'}>{t.mode}</Badge>
                </p>
              </div>
              {me.can.admin && (
                <div class="actions">
                  <a class="btn" href={href('audit', { server: t.server, tool: t.tool })}>
                    Audit records
                  </a>
                </div>
              )}
            </div>
            {t.description && <p class="description">{t.description}</p>}
            <details class="schema" open={JSON.stringify(t.inputSchema || {}).length < 600}>
              <summary>Input schema</summary>
              <Json value={t.inputSchema || {}} label="Input schema" />
            </details>
            {t.outputSchema && (
              <details class="schema">
                <summary>Output schema</summary>
                <Json value={t.outputSchema} label="Output schema" />
              </details>
            )}
            {t.annotations && (
              <details class="schema">
                <summary>Annotations</summary>
                <Json value={t.annotations} label="Annotations" />
              </details>
            )}
            <section class="card" aria-labelledby="try-title">
              <div class="card-head">
                <h2 id="try-title">Try a call</h2>
              </div>
              <SchemaForm
                key={t.name}
                schema={t.inputSchema || {}}
                busy={call.busy}
                disabled={!me.can.callTools}
                disabledReason="Your role may not call tools."
                onSubmit={(args) => call.run(t, args)}
              />
            </section>
            {call.busy && <Loading label={`Calling ${t.name}…`} />}
            {call.error && <ErrorBox error={call.error} title="The call failed" />}
            {call.result && <ToolResult result={call.result} elapsed={elapsed} />}
          </>
        )}
      </Async>
    </div>
  );
}

export function Tools({ selected, query }) {
  useTitle(selected || 'Tool explorer');
  const [q, setQ] = useState(() => query.get('q') || '');
  const [server, setServer] = useState(() => query.get('server') || '');
  const search = useDebounced(q.trim(), 250);
  const tools = useApi('tools', [], { query: { q: search, server } });
  const servers = useApi('servers');
  const enabledServers = (servers.data || []).filter((s) => s.enabled).map((s) => s.name);
  const list = (tools.data && tools.data.tools) || [];
  return (
    <>
      <PageHeader title="Tool explorer" sub="Every tool you may call, across all servers" />
      <div class={selected ? 'explorer explorer-selected' : 'explorer'}>
        <section class="explorer-list" aria-labelledby="tool-search-title">
          <h2 id="tool-search-title" class="sr-only">
            Search
          </h2>
          <form class="search-form" role="search" onSubmit={(e) => e.preventDefault()}>
            <div class="field">
              <label for="tool-search">Search tools</label>
              <input id="tool-search" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="name, title or description" data-testid="tool-search" autoComplete="off" />
            </div>
            <div class="field">
              <label for="tool-server">Server</label>
              <select id="tool-server" value={server} onChange={(e) => setServer(e.currentTarget.value)} data-testid="tool-server">
                <option value="">All servers</option>
                {[...new Set([...enabledServers, ...(server ? [server] : [])])].map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
          </form>
          {servers.error && <ErrorBox error={servers.error} onRetry={servers.reload} />}
          <p class="muted small" role="status" data-testid="tool-count">
            {tools.loading ? 'Searching…' : tools.data ? `${list.length} ${list.length === 1 ? 'tool' : 'tools'}` : ''}
          </p>
          {tools.data && (tools.data.unavailable || []).length > 0 && (
            <p class="notice small">Not reachable now, so not listed: {tools.data.unavailable.map((u) => (typeof u === 'string' ? u : JSON.stringify(u))).join(', ')}</p>
          )}
          <Async state={tools} label="Loading tools…">
            {() => (
              <ul class="tool-results" data-testid="tool-results">
                {list.length === 0 && <li class="muted">No tool matches.</li>}
                {list.map((t) => (
                  <li key={t.name} data-server={t.server} data-tool={t.name}>
                    <a href={href('tools', t.name, { q: q.trim(), server })} aria-current={selected === t.name ? 'true' : undefined} data-testid={`tool-link-${t.name}`}>
                      <span class="tool-name">{t.name}</span>
                      <Badge tone={t.mode === 'write' ? 'warn' : 'info'}>{t.mode}</Badge>
                      {t.description && <span class="tool-desc">{t.description}</span>}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </Async>
        </section>
        <div class="explorer-detail">
          {selected ? (
            <>
              <p class="back-link">
                <a href={href('tools', { q: q.trim(), server })}>Back to the list</a>
              </p>
              <ToolDetail key={selected} name={selected} />
            </>
          ) : (
            <p class="muted explorer-empty">Choose a tool to see its schema and try a call.</p>
          )}
        </div>
      </div>
    </>
  );
}
