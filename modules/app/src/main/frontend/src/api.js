// The REST client: every request carries the signed-in credential as a bearer token; problem+json
// answers become ApiErrors holding the problem's title, detail, status and field errors; a 401 signs
// the user out (the app shows the sign-in page with the reason).

const STORAGE_KEY = 'sluice.credential';

/** The API's base, resolved against the page (/admin/index.html → /api/v1/). */
export const API_BASE = new URL('../api/v1/', document.baseURI).pathname;

let credential = readStored();
const listeners = new Set();

function readStored() {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function hasCredential() {
  return !!credential;
}

/** Keeps the credential for this tab only (sessionStorage), never in the page. */
export function setCredential(value) {
  credential = value || null;
  try {
    if (credential) sessionStorage.setItem(STORAGE_KEY, credential);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage refused (private mode): the credential lives in memory for this page only
  }
}

/** Forgets the credential; `reason` (an ApiError or a string) is shown on the sign-in page. */
export function signOut(reason = null) {
  setCredential(null);
  for (const l of listeners) l(reason);
}

/** Called with the reason whenever the session ends (sign-out or a 401). */
export function onSignOut(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class ApiError extends Error {
  constructor({ status = 0, title, detail = null, type = null, errors = [], requestId = null }) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
    this.errors = Array.isArray(errors) ? errors : [];
    this.requestId = requestId;
  }

  /** The problem's type slug: `forbidden`, `invalid-catalog` … */
  get slug() {
    return this.type ? String(this.type).split('/').pop() : null;
  }
}

const STATUS_TITLES = {
  400: 'Bad request', 401: 'Not signed in', 403: 'Forbidden', 404: 'Not found', 405: 'Method not allowed',
  409: 'Conflict', 413: 'Too large', 429: 'Too many requests', 500: 'Server error', 502: 'Upstream error',
  503: 'Unavailable', 504: 'Upstream timeout'
};

async function problemOf(response) {
  const requestId = response.headers.get('X-Request-Id');
  const text = await response.text().catch(() => '');
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (body && typeof body === 'object' && (body.title || body.detail)) {
    return new ApiError({
      status: body.status || response.status,
      title: body.title || STATUS_TITLES[response.status] || `HTTP ${response.status}`,
      detail: body.detail || null,
      type: body.type || null,
      errors: body.errors,
      requestId
    });
  }
  return new ApiError({
    status: response.status,
    title: STATUS_TITLES[response.status] || `HTTP ${response.status}`,
    detail: text && text.length < 300 && !text.trimStart().startsWith('<') ? text : null,
    requestId
  });
}

/** The URL of an API path (`servers`, `/servers?x=1`) with query parameters (empty ones left out). */
export function apiUrl(path, query) {
  let url = API_BASE + String(path).replace(/^\/+/, '');
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue;
      for (const one of Array.isArray(v) ? v : [v]) params.append(k, String(one));
    }
    const s = params.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  return url;
}

/**
 * A request to the API. Answers `{data, response}`: data is parsed JSON (null for 204 or an empty
 * body), or text when `as: 'text'`, or a Blob when `as: 'blob'`. Throws an ApiError otherwise.
 */
export async function request(path, { method = 'GET', query, body, as = 'json', signal, headers = {}, credential: explicit } = {}) {
  const token = explicit ?? credential;
  const h = { Accept: as === 'json' ? 'application/json' : '*/*', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path, query), { method, headers: h, body: payload, signal, cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    if (e && e.name === 'AbortError') throw e;
    throw new ApiError({ status: 0, title: 'Network error', detail: 'Sluice could not be reached. Check the connection and try again.' });
  }
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 401 && !explicit) signOut(error);
    throw error;
  }
  let data = null;
  if (as === 'blob') data = await response.blob();
  else if (as === 'text') data = await response.text();
  else if (response.status !== 204) {
    const text = await response.text();
    data = text ? JSON.parse(text) : null;
  }
  return { data, response };
}

/** Shorthands answering the parsed body. */
export const api = {
  get: (path, opts) => request(path, { ...opts, method: 'GET' }).then((r) => r.data),
  post: (path, body, opts) => request(path, { ...opts, method: 'POST', body }).then((r) => r.data),
  put: (path, body, opts) => request(path, { ...opts, method: 'PUT', body }).then((r) => r.data),
  del: (path, opts) => request(path, { ...opts, method: 'DELETE' }).then((r) => r.data)
};

/** The URL of a `Link` header's rel="next", or null. */
export function nextLink(response) {
  const link = response.headers.get('Link');
  if (!link) return null;
  for (const part of link.split(',')) {
    const m = /<([^>]*)>\s*;(.*)/.exec(part.trim());
    if (m && /rel="?next"?/.test(m[2])) return m[1];
  }
  return null;
}

/** Path segment encoding for names in URLs. */
export const seg = (s) => encodeURIComponent(s);
