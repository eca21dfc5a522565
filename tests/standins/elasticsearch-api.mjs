#!/usr/bin/env node
// Sluice STAND-IN for Elasticsearch: a small local HTTP server that speaks the Elasticsearch REST
// wire format, for testing @elastic/mcp-server-elasticsearch 0.3.1 where no real Elasticsearch can
// run. It is NOT Elasticsearch: fixed fake data (indices `orders` and `customers`), no writes, a
// small query-DSL subset evaluated in memory. Node.js 20 standard library only.
//
//   node tests/standins/elasticsearch-api.mjs --port 9200 [--version 8.17.4] [--api-key KEY]
//
//   --port N       port on 127.0.0.1 (0 = any free port; the chosen port is printed on stderr)
//   --version V    the version reported by GET / and used for the compatible-with check (default 8.17.4)
//   --api-key KEY  require `Authorization: ApiKey KEY` (else 401, as Elasticsearch security does);
//                  without it every request is accepted
//
// Endpoints (the requests the MCP server's @elastic/elasticsearch 9.x client makes for its tools):
//   GET|HEAD /                                   cluster info document (version.number = --version)
//   GET /_cat/indices[/{pattern}]?format=json    list_indices  (JSON array; text table without format=json)
//   GET /_cat/shards[/{pattern}]?format=json     get_shards
//   GET /{pattern}/_mapping                      get_mappings, and search (to pick the highlight fields)
//   GET|POST /{pattern}/_search, /_search        search: query DSL subset below, size/from/sort/_source,
//                                                highlight, aggregations (terms, sum, avg, min, max,
//                                                value_count), explain, profile
// Query DSL subset: match_all, match_none, match, match_phrase, multi_match, term, terms, range,
// exists, prefix, wildcard, query_string / simple_query_string (plain terms and field:value), bool
// (must, filter, should, must_not, minimum_should_match). Anything else: 400 parsing_exception.
//
// Like a real cluster, every answer carries `X-Elastic-Product: Elasticsearch` (the client refuses
// 2xx answers without it), and a request whose Accept/Content-Type asks `compatible-with=N` is
// refused with 400 media_type_header_exception unless N is this version's major or the one before
// (an 8.x cluster refuses the 9.x client's default `compatible-with=9`: set ES_VERSION=8).
// Each request is logged on stderr as `es-standin: METHOD PATH -> STATUS`.

import http from 'node:http';
import { commandLine } from './cli.mjs';

// ---------------------------------------------------------------- arguments
const { opt, usage, port: PORT } = commandLine('es-standin', 'node elasticsearch-api.mjs --port N [--version 8.17.4] [--api-key KEY]', 'Elasticsearch stand-in (fake data)', 9200);
const VERSION = opt('--version', '8.17.4');
const MAJOR = Number(VERSION.split('.')[0]);
const API_KEY = opt('--api-key', null);

// ---------------------------------------------------------------- fake data
const INDICES = {
  orders: {
    uuid: 'St4nd1nOrd3rsIdx00001',
    mappings: {
      properties: {
        order_id: { type: 'keyword' },
        customer_id: { type: 'keyword' },
        customer_name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        status: { type: 'keyword' },
        channel: { type: 'keyword' },
        amount: { type: 'double' },
        currency: { type: 'keyword' },
        created_at: { type: 'date' },
        notes: { type: 'text' }
      }
    },
    docs: [
      { _id: 'ORD-1001', order_id: 'ORD-1001', customer_id: 'CUST-042', customer_name: 'Acme Analytics', status: 'shipped', channel: 'web', amount: 1249.5, currency: 'EUR', created_at: '2024-06-01T09:15:00Z', notes: 'Annual data platform subscription with priority support' },
      { _id: 'ORD-1002', order_id: 'ORD-1002', customer_id: 'CUST-017', customer_name: 'Globex Logistics', status: 'pending', channel: 'partner', amount: 320.0, currency: 'EUR', created_at: '2024-06-02T14:02:00Z', notes: 'Extra warehouse connector seats' },
      { _id: 'ORD-1003', order_id: 'ORD-1003', customer_id: 'CUST-042', customer_name: 'Acme Analytics', status: 'delivered', channel: 'web', amount: 89.9, currency: 'EUR', created_at: '2024-06-03T08:40:00Z', notes: 'Stream processing add-on for the orders pipeline' },
      { _id: 'ORD-1004', order_id: 'ORD-1004', customer_id: 'CUST-105', customer_name: 'Initech Data', status: 'cancelled', channel: 'sales', amount: 4500.0, currency: 'USD', created_at: '2024-06-04T16:25:00Z', notes: 'Lakehouse migration workshop' }
    ]
  },
  customers: {
    uuid: 'St4nd1nCust0m3rsIdx001',
    mappings: {
      properties: {
        customer_id: { type: 'keyword' },
        name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        country: { type: 'keyword' },
        segment: { type: 'keyword' },
        signed_up: { type: 'date' }
      }
    },
    docs: [
      { _id: 'CUST-017', customer_id: 'CUST-017', name: 'Globex Logistics', country: 'DE', segment: 'mid-market', signed_up: '2022-11-08' },
      { _id: 'CUST-042', customer_id: 'CUST-042', name: 'Acme Analytics', country: 'FR', segment: 'enterprise', signed_up: '2021-03-15' },
      { _id: 'CUST-105', customer_id: 'CUST-105', name: 'Initech Data', country: 'US', segment: 'enterprise', signed_up: '2023-09-30' }
    ]
  }
};
const NODE_NAME = 'standin-node-1';
const storeSize = (idx) => `${(INDICES[idx].docs.length * 2.1 + 4.6).toFixed(1)}kb`;

// ---------------------------------------------------------------- errors in Elasticsearch's shape
class EsError extends Error {
  constructor(status, type, reason, extra = {}) {
    super(reason);
    this.status = status;
    this.body = { error: { root_cause: [{ type, reason, ...extra }], type, reason, ...extra }, status };
  }
}
const indexNotFound = (name) => new EsError(404, 'index_not_found_exception', `no such index [${name}]`,
  { 'resource.type': 'index_or_alias', 'resource.id': name, index_uuid: '_na_', index: name });
const parsingError = (reason) => new EsError(400, 'parsing_exception', reason, { line: 1, col: 1 });

// ---------------------------------------------------------------- index patterns
function globRe(p) {
  return new RegExp('^' + p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}
// Resolves "orders", "ord*", "orders,customers", "*,-customers", "_all"; a missing concrete name is a 404.
function resolveIndices(pattern) {
  if (pattern == null || pattern === '' || pattern === '_all') return Object.keys(INDICES).sort();
  const out = new Set();
  for (const part of pattern.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part.startsWith('-')) {
      const re = globRe(part.slice(1));
      for (const n of [...out]) if (re.test(n)) out.delete(n);
    } else if (part.includes('*') || part === '_all') {
      const re = part === '_all' ? /.*/ : globRe(part);
      for (const n of Object.keys(INDICES)) if (re.test(n)) out.add(n);
    } else if (INDICES[part]) {
      out.add(part);
    } else {
      throw indexNotFound(part);
    }
  }
  return [...out].sort();
}

// ---------------------------------------------------------------- query evaluation
const tokens = (s) => String(s ?? '').toLowerCase().split(/[^\p{L}\p{N}_-]+/u).filter(Boolean);

function fieldMapping(index, field) {
  const props = INDICES[index].mappings.properties;
  if (props[field]) return props[field];
  const [base, sub] = field.split('.');
  return props[base]?.fields?.[sub];
}
function fieldValue(doc, field) {
  if (field in doc) return doc[field];
  const [base, sub] = field.split('.');
  if (sub && base in doc) return doc[base]; // multi-field (e.g. name.keyword) indexes the same value
  return undefined;
}
const isText = (index, field) => fieldMapping(index, field)?.type === 'text';
function fieldsMatching(index, pattern) {
  const re = globRe(pattern.replace(/\^[\d.]+$/, ''));
  return Object.keys(INDICES[index].mappings.properties).filter((f) => re.test(f));
}
function cmp(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}
function coerce(index, field, v) {
  const t = fieldMapping(index, field)?.type;
  if (['double', 'long', 'integer', 'float'].includes(t)) return Number(v);
  return v;
}
// A field query value of the form {"query": x, ...} or just x.
const qv = (v, key = 'query') => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v[key] : v);
const oneField = (obj, qtype) => {
  const keys = Object.keys(obj ?? {}).filter((k) => k !== 'boost' && k !== '_name');
  if (keys.length !== 1) throw parsingError(`[${qtype}] query doesn't support multiple fields, found [${keys.join(', ')}]`);
  return keys[0];
};

// Returns a score > 0 when the document matches, 0 otherwise; collects highlight terms per field.
function evaluate(q, index, doc, hl) {
  if (q == null) return 1;
  const types = Object.keys(q);
  if (types.length !== 1) throw parsingError('[_na] query malformed, must start with start_object');
  const type = types[0];
  const body = q[type];
  const addHl = (field, terms) => { (hl[field] ??= new Set()); terms.forEach((t) => hl[field].add(t)); };
  const textMatch = (field, text, operator = 'or', phrase = false) => {
    const qt = tokens(text);
    const value = fieldValue(doc, field);
    if (value === undefined || qt.length === 0) return 0;
    if (!isText(index, field)) return String(value).toLowerCase() === String(text).toLowerCase() ? 1 : 0;
    const dt = tokens(value);
    if (phrase) {
      const ok = dt.some((_, i) => qt.every((t, j) => dt[i + j] === t));
      if (ok) addHl(field, qt);
      return ok ? qt.length : 0;
    }
    const hits = qt.filter((t) => dt.includes(t));
    const ok = operator.toLowerCase() === 'and' ? hits.length === qt.length : hits.length > 0;
    if (ok) addHl(field, hits);
    return ok ? hits.length : 0;
  };
  switch (type) {
    case 'match_all': return 1;
    case 'match_none': return 0;
    case 'match': {
      const f = oneField(body, type);
      return textMatch(f, qv(body[f]), body[f]?.operator ?? 'or');
    }
    case 'match_phrase': {
      const f = oneField(body, type);
      return textMatch(f, qv(body[f]), 'and', true);
    }
    case 'multi_match': {
      const fields = (body.fields ?? ['*']).flatMap((p) => fieldsMatching(index, p));
      return fields.reduce((s, f) => s + textMatch(f, body.query, body.operator ?? 'or', body.type === 'phrase'), 0);
    }
    case 'term': {
      const f = oneField(body, type);
      const v = fieldValue(doc, f);
      const want = qv(body[f], 'value');
      if (v === undefined) return 0;
      const ok = isText(index, f) ? tokens(v).includes(String(want)) : String(v) === String(want);
      if (ok && isText(index, f)) addHl(f, [String(want)]);
      return ok ? 1 : 0;
    }
    case 'terms': {
      const f = oneField(body, type);
      const v = fieldValue(doc, f);
      if (v === undefined || !Array.isArray(body[f])) return 0;
      return body[f].some((w) => String(w) === String(v)) ? 1 : 0;
    }
    case 'range': {
      const f = oneField(body, type);
      const v = fieldValue(doc, f);
      if (v === undefined) return 0;
      const r = body[f];
      const val = coerce(index, f, v);
      const c = (x) => cmp(val, coerce(index, f, x));
      if (r.gt != null && !(c(r.gt) > 0)) return 0;
      if (r.gte != null && !(c(r.gte) >= 0)) return 0;
      if (r.lt != null && !(c(r.lt) < 0)) return 0;
      if (r.lte != null && !(c(r.lte) <= 0)) return 0;
      return 1;
    }
    case 'exists': return fieldValue(doc, body.field) !== undefined ? 1 : 0;
    case 'prefix': {
      const f = oneField(body, type);
      const v = fieldValue(doc, f);
      return v !== undefined && String(v).startsWith(String(qv(body[f], 'value'))) ? 1 : 0;
    }
    case 'wildcard': {
      const f = oneField(body, type);
      const v = fieldValue(doc, f);
      const p = qv(body[f], 'value');
      return v !== undefined && globRe(String(p ?? qv(body[f], 'wildcard')).replace(/\?/g, '*')).test(String(v)) ? 1 : 0;
    }
    case 'query_string':
    case 'simple_query_string': {
      // Plain terms and field:value pairs; AND/OR/NOT words are ignored (terms are OR-ed).
      const words = String(body.query ?? '').match(/"[^"]*"|\S+/g) ?? [];
      const fields = (body.fields ?? (body.default_field ? [body.default_field] : ['*']))
        .flatMap((p) => fieldsMatching(index, p));
      let score = 0;
      for (const w of words) {
        if (['AND', 'OR', 'NOT', '&&', '||'].includes(w)) continue;
        const m = w.match(/^([\w.*]+):(.+)$/);
        const [fs, text] = m ? [fieldsMatching(index, m[1]), m[2]] : [fields, w];
        const clean = text.replace(/^"|"$/g, '');
        if (clean === '*') { score += 1; continue; }
        for (const f of fs) score += textMatch(f, clean.replace(/\*/g, ''), 'or', clean.includes(' '));
      }
      return score;
    }
    case 'bool': {
      const list = (x) => (x == null ? [] : Array.isArray(x) ? x : [x]);
      let score = 0;
      for (const c of list(body.must)) { const s = evaluate(c, index, doc, hl); if (!s) return 0; score += s; }
      for (const c of list(body.filter)) { if (!evaluate(c, index, doc, {})) return 0; }
      for (const c of list(body.must_not)) { if (evaluate(c, index, doc, {})) return 0; }
      const should = list(body.should);
      const shouldHits = should.map((c) => evaluate(c, index, doc, hl)).filter((s) => s > 0);
      const onlyShould = list(body.must).length === 0 && list(body.filter).length === 0;
      const msm = body.minimum_should_match != null ? Number(body.minimum_should_match) : (onlyShould && should.length ? 1 : 0);
      if (shouldHits.length < msm) return 0;
      score += shouldHits.reduce((a, b) => a + b, 0);
      return score || 1;
    }
    default:
      throw parsingError(`unknown query [${type}] (not supported by this stand-in)`);
  }
}

function aggregate(aggs, rows) {
  const out = {};
  for (const [name, spec] of Object.entries(aggs ?? {})) {
    const kind = Object.keys(spec).find((k) => k !== 'aggs' && k !== 'aggregations' && k !== 'meta');
    const a = spec[kind] ?? {};
    const vals = rows.map((r) => fieldValue(r.doc, a.field)).filter((v) => v !== undefined);
    const nums = vals.map(Number).filter((n) => !Number.isNaN(n));
    switch (kind) {
      case 'terms': {
        const counts = new Map();
        for (const v of vals) counts.set(v, (counts.get(v) ?? 0) + 1);
        const buckets = [...counts.entries()].sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]))
          .slice(0, a.size ?? 10)
          .map(([key, doc_count]) => {
            const b = { key, doc_count };
            const sub = spec.aggs ?? spec.aggregations;
            if (sub) Object.assign(b, aggregate(sub, rows.filter((r) => fieldValue(r.doc, a.field) === key)));
            return b;
          });
        out[name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: Math.max(0, counts.size - buckets.length), buckets };
        break;
      }
      case 'sum': out[name] = { value: nums.reduce((x, y) => x + y, 0) }; break;
      case 'avg': out[name] = { value: nums.length ? nums.reduce((x, y) => x + y, 0) / nums.length : null }; break;
      case 'min': out[name] = { value: nums.length ? Math.min(...nums) : null }; break;
      case 'max': out[name] = { value: nums.length ? Math.max(...nums) : null }; break;
      case 'value_count': out[name] = { value: vals.length }; break;
      default: throw parsingError(`Unknown aggregation type [${kind}] (not supported by this stand-in)`);
    }
  }
  return out;
}

function highlightFragments(index, doc, requested, hl) {
  const out = {};
  for (const field of Object.keys(requested ?? {})) {
    const terms = hl[field];
    const value = fieldValue(doc, field);
    if (!terms || !terms.size || typeof value !== 'string') continue;
    const re = new RegExp(`(?<![\\p{L}\\p{N}_])(${[...terms].map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
    const marked = value.replace(re, '<em>$1</em>');
    if (marked !== value) out[field] = [marked];
  }
  return Object.keys(out).length ? out : undefined;
}

function search(pattern, body) {
  const names = resolveIndices(pattern);
  const size = Number(body.size ?? 10);
  const from = Number(body.from ?? 0);
  const rows = [];
  for (const index of names) {
    for (const d of INDICES[index].docs) {
      const { _id, ...doc } = d;
      const hl = {};
      const score = evaluate(body.query, index, doc, hl);
      if (score > 0) rows.push({ index, _id, doc, score, hl });
    }
  }
  const sorts = body.sort == null ? [] : (Array.isArray(body.sort) ? body.sort : [body.sort]);
  const sortKeys = sorts.map((s) => (typeof s === 'string'
    ? { field: s, order: s === '_score' ? 'desc' : 'asc' }
    : { field: Object.keys(s)[0], order: (typeof Object.values(s)[0] === 'string' ? Object.values(s)[0] : Object.values(s)[0].order) ?? 'asc' }));
  rows.sort((a, b) => {
    for (const k of sortKeys) {
      const va = k.field === '_score' ? a.score : fieldValue(a.doc, k.field);
      const vb = k.field === '_score' ? b.score : fieldValue(b.doc, k.field);
      const c = cmp(va ?? '', vb ?? '');
      if (c) return k.order === 'desc' ? -c : c;
    }
    return sortKeys.length ? 0 : b.score - a.score;
  });
  const page = rows.slice(from, from + size);
  const sourceFilter = (doc) => {
    const s = body._source;
    if (s === false) return undefined;
    if (s == null || s === true) return doc;
    const incl = Array.isArray(s) ? s : typeof s === 'string' ? [s] : (s.includes ?? s.include ?? ['*']);
    return Object.fromEntries(Object.entries(doc).filter(([k]) => incl.some((p) => globRe(p).test(k))));
  };
  const hits = page.map((r) => {
    const h = { _index: r.index, _id: r._id, _score: sortKeys.length ? null : r.score };
    const src = sourceFilter(r.doc);
    if (src !== undefined) h._source = src;
    if (sortKeys.length) h.sort = sortKeys.map((k) => (k.field === '_score' ? r.score : fieldValue(r.doc, k.field)));
    const hl = body.highlight ? highlightFragments(r.index, r.doc, body.highlight.fields, r.hl) : undefined;
    if (hl) h.highlight = hl;
    if (body.explain) h._explanation = { value: r.score, description: 'stand-in score: number of matching query terms', details: [] };
    return h;
  });
  const res = {
    took: 1,
    timed_out: false,
    _shards: { total: names.length, successful: names.length, skipped: 0, failed: 0 },
    hits: {
      total: { value: rows.length, relation: 'eq' },
      max_score: sortKeys.length || rows.length === 0 ? null : Math.max(...rows.map((r) => r.score)),
      hits
    }
  };
  if (body.aggs || body.aggregations) res.aggregations = aggregate(body.aggs ?? body.aggregations, rows);
  if (body.profile) res.profile = { shards: names.map((n) => ({ id: `[${NODE_NAME}][${n}][0]`, searches: [], aggregations: [] })) };
  return res;
}

// ---------------------------------------------------------------- cat APIs
function catIndices(pattern) {
  return resolveIndices(pattern).map((n) => ({
    health: 'green', status: 'open', index: n, uuid: INDICES[n].uuid, pri: '1', rep: '0',
    'docs.count': String(INDICES[n].docs.length), 'docs.deleted': '0',
    'store.size': storeSize(n), 'pri.store.size': storeSize(n), 'dataset.size': storeSize(n)
  }));
}
function catShards(pattern) {
  return resolveIndices(pattern).map((n) => ({
    index: n, shard: '0', prirep: 'p', state: 'STARTED', docs: String(INDICES[n].docs.length),
    store: storeSize(n), dataset: storeSize(n), ip: '127.0.0.1', node: NODE_NAME
  }));
}
function catText(rows, verbose) {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]);
  const table = verbose ? [cols, ...rows.map((r) => cols.map((c) => r[c]))] : rows.map((r) => cols.map((c) => r[c]));
  const w = cols.map((_, i) => Math.max(...table.map((r) => String(r[i]).length)));
  return table.map((r) => r.map((v, i) => String(v).padEnd(w[i])).join(' ').trimEnd()).join('\n') + '\n';
}

function rootInfo() {
  return {
    name: NODE_NAME,
    cluster_name: 'sluice-standin',
    cluster_uuid: 'St4nd1nC1ust3rUuid0001',
    version: {
      number: VERSION, build_flavor: 'default', build_type: 'docker', build_hash: 'standin',
      build_date: '2025-01-01T00:00:00.000Z', build_snapshot: false, lucene_version: MAJOR >= 9 ? '10.1.0' : '9.12.0',
      minimum_wire_compatibility_version: MAJOR >= 9 ? '8.18.0' : '7.17.0',
      minimum_index_compatibility_version: MAJOR >= 9 ? '8.0.0' : '7.0.0'
    },
    tagline: 'You Know, for Search'
  };
}

// ---------------------------------------------------------------- HTTP
function compatVersion(h) {
  const m = /compatible-with\s*=\s*(\d+)/i.exec(h ?? '');
  return m ? Number(m[1]) : null;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const path = url.pathname;
    const q = url.searchParams;
    const accept = req.headers.accept;
    const ctype = req.headers['content-type'];
    const compat = compatVersion(accept) ?? compatVersion(ctype);
    let status = 200;
    let payload;
    let textOut = null;
    try {
      // Media-type compatibility check, as RestCompatibleVersionHelper does in a real cluster.
      if (compat != null && compat !== MAJOR && compat !== MAJOR - 1) {
        const hdr = compatVersion(accept) != null ? 'Accept' : 'Content-Type';
        const value = hdr === 'Accept' ? accept : ctype;
        throw Object.assign(new EsError(400, 'media_type_header_exception', 'Invalid media-type value on headers [Accept, Content-Type]'), {
          body: {
            error: {
              root_cause: [{ type: 'media_type_header_exception', reason: 'Invalid media-type value on headers [Accept, Content-Type]' }],
              type: 'media_type_header_exception',
              reason: 'Invalid media-type value on headers [Accept, Content-Type]',
              caused_by: { type: 'status_exception', reason: `${hdr} version must be either version ${MAJOR} or ${MAJOR - 1}, but found ${compat}. ${hdr}=${value}` }
            },
            status: 400
          }
        });
      }
      if (API_KEY != null && req.headers.authorization !== `ApiKey ${API_KEY}`) {
        const e = new EsError(401, 'security_exception', req.headers.authorization
          ? 'unable to authenticate with provided credentials and anonymous access is not allowed for this request'
          : `missing authentication credentials for REST request [${req.url}]`,
        { header: { 'WWW-Authenticate': ['ApiKey', 'Basic realm="security" charset="UTF-8"'] } });
        res.setHeader('WWW-Authenticate', 'ApiKey');
        throw e;
      }
      let body = {};
      const raw = Buffer.concat(chunks).toString('utf8');
      if (raw.trim()) {
        try { body = JSON.parse(raw); } catch { throw new EsError(400, 'x_content_parse_exception', 'request body is not valid JSON'); }
      }
      const seg = path.split('/').filter(Boolean).map(decodeURIComponent);
      const m = req.method;
      if (seg.length === 0 && (m === 'GET' || m === 'HEAD')) {
        payload = rootInfo();
      } else if (seg[0] === '_cat' && (seg[1] === 'indices' || seg[1] === 'shards') && seg.length <= 3 && m === 'GET') {
        const rows = seg[1] === 'indices' ? catIndices(seg[2]) : catShards(seg[2]);
        if (q.get('format') === 'json') payload = rows;
        else textOut = catText(rows, q.has('v') && q.get('v') !== 'false');
      } else if (seg.length <= 2 && seg[seg.length - 1] === '_mapping' && m === 'GET') {
        payload = Object.fromEntries(resolveIndices(seg.length === 2 ? seg[0] : null).map((n) => [n, { mappings: INDICES[n].mappings }]));
      } else if (seg.length <= 2 && seg[seg.length - 1] === '_search' && (m === 'GET' || m === 'POST')) {
        if (q.has('size')) body.size = Number(q.get('size'));
        if (q.has('from')) body.from = Number(q.get('from'));
        if (q.has('q')) body.query = { query_string: { query: q.get('q') } };
        payload = search(seg.length === 2 ? seg[0] : null, body);
      } else {
        status = 400;
        payload = { error: `no handler found for uri [${path}] and method [${m}]` };
      }
    } catch (e) {
      if (!(e instanceof EsError)) {
        process.stderr.write(`es-standin: internal error: ${e.stack}\n`);
        e = new EsError(500, 'exception', String(e.message));
      }
      status = e.status;
      payload = e.body;
      textOut = null;
    }
    res.setHeader('X-Elastic-Product', 'Elasticsearch');
    let out;
    if (textOut != null) {
      res.setHeader('Content-Type', 'text/plain; charset=UTF-8');
      out = textOut;
    } else {
      res.setHeader('Content-Type', compat != null && status !== 400
        ? `application/vnd.elasticsearch+json;compatible-with=${compat}`
        : 'application/json');
      out = JSON.stringify(payload);
    }
    res.statusCode = status;
    res.setHeader('Content-Length', Buffer.byteLength(out));
    res.end(req.method === 'HEAD' ? undefined : out);
    const auth = req.headers.authorization ? ` auth=${req.headers.authorization.split(' ')[0]}` : '';
    process.stderr.write(`es-standin: ${req.method} ${req.url} -> ${status}${auth}\n`);
  });
});

server.listen(PORT, '127.0.0.1', () => {
  process.stderr.write(`es-standin: Elasticsearch ${VERSION} stand-in (fake data) listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.close(); server.closeAllConnections(); process.exit(0); });
