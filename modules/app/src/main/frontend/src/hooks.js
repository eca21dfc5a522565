import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api.js';

/**
 * Loads an API path: `{data, error, loading, reload, response}`. A null path loads nothing. `reload()`
 * fetches again; with `{quiet: true}` it keeps showing the current data while it does (polling).
 */
export function useApi(path, deps = [], { query, as = 'json' } = {}) {
  const [state, setState] = useState({ data: null, error: null, loading: !!path, response: null });
  const [tick, setTick] = useState(0);
  const quiet = useRef(false);
  const key = path ? path + (query ? JSON.stringify(query) : '') : null;

  useEffect(() => {
    if (!path) {
      setState({ data: null, error: null, loading: false, response: null });
      return undefined;
    }
    const controller = new AbortController();
    if (!quiet.current) setState((s) => ({ ...s, loading: true, error: null }));
    quiet.current = false;
    request(path, { query, as, signal: controller.signal }).then(
      ({ data, response }) => !controller.signal.aborted && setState({ data, error: null, loading: false, response }),
      (error) => {
        if (controller.signal.aborted || (error && error.name === 'AbortError')) return;
        setState((s) => ({ ...s, error, loading: false }));
      }
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, tick, ...deps]);

  const reload = useCallback((opts = {}) => {
    quiet.current = !!opts.quiet;
    setTick((t) => t + 1);
  }, []);
  return { ...state, reload };
}

/** Calls `fn` every `ms` milliseconds while `active` (and the tab is visible). */
export function useInterval(fn, ms, active = true) {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!active || !ms) return undefined;
    const id = setInterval(() => {
      if (document.visibilityState !== 'hidden') saved.current();
    }, ms);
    return () => clearInterval(id);
  }, [ms, active]);
}

/**
 * An action's state: `run(...args)` calls the async `fn`, keeping `busy`, `error` and `result`.
 * Answers the result, or undefined when it failed (the error is in `error`).
 */
export function useAction(fn) {
  const [state, setState] = useState({ busy: false, error: null, result: null });
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
  }, []);
  const run = useCallback(async (...args) => {
    setState({ busy: true, error: null, result: null });
    try {
      const result = await fn(...args);
      if (mounted.current) setState({ busy: false, error: null, result });
      return result;
    } catch (error) {
      if (mounted.current) setState({ busy: false, error, result: null });
      return undefined;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fn]);
  const reset = useCallback(() => setState({ busy: false, error: null, result: null }), []);
  return { ...state, run, reset };
}

/** The hash route: `{path: ['servers', 'postgres'], query: URLSearchParams, raw}`. */
export function parseHash(hash) {
  const h = hash && hash.startsWith('#/') ? hash.slice(2) : 'dashboard';
  const [p, q = ''] = h.split('?');
  const path = p.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  return { path: path.length ? path : ['dashboard'], query: new URLSearchParams(q), raw: h };
}

/** The current route; hashes that are not routes (`#main`) leave it as it was. */
export function useRoute() {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => {
      if (!location.hash || location.hash.startsWith('#/')) setRoute(parseHash(location.hash));
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** A link target for a route: href('servers', name) → '#/servers/<name>'. */
export function href(...parts) {
  const last = parts[parts.length - 1];
  let query = '';
  if (last && typeof last === 'object') {
    parts = parts.slice(0, -1);
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(last)) if (v !== undefined && v !== null && v !== '') params.set(k, v);
    const s = params.toString();
    if (s) query = `?${s}`;
  }
  return `#/${parts.map((p) => encodeURIComponent(p)).join('/')}${query}`;
}

export function navigate(...parts) {
  location.hash = href(...parts);
}

/** Sets the document title for a page. */
export function useTitle(title) {
  useEffect(() => {
    document.title = title ? `${title} · Sluice admin` : 'Sluice admin';
  }, [title]);
}
