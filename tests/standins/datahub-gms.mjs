#!/usr/bin/env node
// Sluice STAND-IN for DataHub GMS: a small local HTTP server that speaks the DataHub GMS wire format
// (GET /config and GraphQL at POST /api/graphql), for testing mcp-server-datahub 0.8.0 where no real
// DataHub can run. It is NOT DataHub: a fixed fake catalog (datasets `orders`, `fct_orders`,
// `customers`, a "Data platform" dashboard), read-only, no schema validation. Node.js 20 standard
// library only.
//
//   node tests/standins/datahub-gms.mjs --port 8080 [--version v1.3.0] [--token TOKEN]
//
//   --port N         port on 127.0.0.1 (0 = any free port; the chosen port is printed on stderr)
//   --version V      versions["acryldata/datahub"].version in /config (default v1.3.0, an OSS server)
//   --token TOKEN    require `Authorization: Bearer TOKEN` (else 401, as GMS with metadata service
//                    auth does); without it every request is accepted
//
// Endpoints:
//   GET  /config          server config: noCode "true" (the client refuses a server without it, taking
//                         it for the frontend), versions, datahub.serverEnv "core" (OSS, not Cloud)
//   GET  /health          200 "GOOD"
//   GET  /aspects/{urn}?aspect={datasetKey|dashboardKey}   Rest.li key aspect of a fake entity (the SDK's
//                         existence check before get_entities); other aspects: 404
//   POST /api/graphql     GraphQL {query, variables, operationName}. The query is parsed and every answer
//                         is projected onto the query's selection set (fields, aliases, fragments, inline
//                         fragments with type conditions, @include/@skip), so the shape matches what the
//                         server asked for. Root fields:
//                           searchAcrossEntities(input)  search (and smart search): query text ("*" = all;
//                                                        "/q" prefix, +, AND, OR, NOT, * wildcards), types,
//                                                        orFilters (_entityType, platform, tags,
//                                                        glossaryTerms, domains, origin, removed, urn),
//                                                        start/count, sortInput; facets of the matches
//                           me                           the authenticated user (no default view)
//                           globalViewsSettings          no default view
//                           entity(urn), entities(urns)  the fake entities
//                         any other root field: a GraphQL error naming the field.
// Each request is logged on stderr as `datahub-standin: METHOD PATH [operationName] -> STATUS`.

import http from 'node:http';
import { commandLine } from './cli.mjs';

// ---------------------------------------------------------------- arguments
const { opt, usage, port: PORT } = commandLine('datahub-standin', 'node datahub-gms.mjs --port N [--version v1.3.0] [--token TOKEN]', 'DataHub GMS stand-in (fake data)', 8080);
const VERSION = opt('--version', 'v1.3.0');
const TOKEN = opt('--token', null);

// ---------------------------------------------------------------- fake catalog
const T0 = 1717401600000; // 2024-06-03
const platform = (name, displayName) => ({ __typename: 'DataPlatform', urn: `urn:li:dataPlatform:${name}`, type: 'DATA_PLATFORM', name, properties: { displayName, type: 'RELATIONAL_DB' } });
const PLATFORMS = { postgres: platform('postgres', 'PostgreSQL'), snowflake: platform('snowflake', 'Snowflake'), looker: platform('looker', 'Looker') };
const tag = (name) => ({ __typename: 'Tag', urn: `urn:li:tag:${name}`, type: 'TAG', name, properties: { name, description: null } });
const term = (name) => ({ __typename: 'GlossaryTerm', urn: `urn:li:glossaryTerm:${name}`, type: 'GLOSSARY_TERM', name, properties: { name, description: `${name} (business glossary)` } });
const domain = (id, name) => ({ __typename: 'Domain', urn: `urn:li:domain:${id}`, type: 'DOMAIN', id, properties: { name, description: null } });
const USER_URN = 'urn:li:corpuser:datahub';
const owner = { owner: { __typename: 'CorpUser', urn: USER_URN, type: 'CORP_USER', username: 'datahub', properties: { displayName: 'DataHub', email: null } }, type: 'TECHNICAL_OWNER', ownershipType: null };
const SALES = domain('sales', 'Sales');
const PLATFORM_TEAM = domain('data-platform', 'Data platform');

function dataset(plat, qualified, name, description, { tags = [], terms = [], dom = null, fields = [], rows = null, lastOp = T0 } = {}) {
  return {
    __typename: 'Dataset',
    urn: `urn:li:dataset:(urn:li:dataPlatform:${plat},${qualified},PROD)`,
    type: 'DATASET', name: qualified, origin: 'PROD', platform: PLATFORMS[plat],
    properties: { name, qualifiedName: qualified, description, customProperties: [], created: T0 - 86400000 * 90, lastModified: { time: lastOp } },
    editableProperties: null,
    subTypes: { typeNames: ['Table'] },
    tags: { tags: tags.map((t) => ({ tag: tag(t), associatedUrn: null })) },
    glossaryTerms: { terms: terms.map((t) => ({ term: term(t), associatedUrn: null })) },
    domain: dom ? { domain: dom, associatedUrn: null } : null,
    ownership: { owners: [owner] },
    schemaMetadata: { name: qualified, platformUrn: PLATFORMS[plat].urn, fields: fields.map(([fieldPath, nativeDataType, description]) => ({ fieldPath, nativeDataType, type: nativeDataType.startsWith('VARCHAR') || nativeDataType === 'TEXT' ? 'STRING' : nativeDataType.startsWith('NUMERIC') || nativeDataType === 'BIGINT' ? 'NUMBER' : nativeDataType.startsWith('TIMESTAMP') ? 'TIME' : 'STRING', description, nullable: false })) },
    datasetProfiles: rows == null ? [] : [{ rowCount: rows, columnCount: fields.length, timestampMillis: lastOp }],
    status: { removed: false },
    _facets: { platform: PLATFORMS[plat].urn, tags: tags.map((t) => `urn:li:tag:${t}`), glossaryTerms: terms.map((t) => `urn:li:glossaryTerm:${t}`), domains: dom ? [dom.urn] : [], origin: 'PROD', lastOperationTime: lastOp, rowCountFeature: rows ?? 0 }
  };
}

const ENTITIES = [
  dataset('postgres', 'shop.public.orders', 'orders', 'One row per customer order placed in the web shop (source of truth).', {
    tags: ['pii'], terms: ['Order'], dom: SALES, rows: 1284331, lastOp: T0 - 3600000,
    fields: [['order_id', 'BIGINT', 'Primary key'], ['customer_id', 'BIGINT', 'References customers.customer_id'], ['status', 'VARCHAR(16)', 'pending, shipped, delivered or cancelled'], ['amount', 'NUMERIC(12,2)', 'Order total'], ['currency', 'VARCHAR(3)', 'ISO 4217 code'], ['created_at', 'TIMESTAMP', 'When the order was placed']]
  }),
  dataset('snowflake', 'analytics.marts.fct_orders', 'fct_orders', 'Orders fact table at daily grain, built by dbt from shop.public.orders.', {
    tags: ['gold'], terms: ['Order', 'Revenue'], dom: SALES, rows: 1280977, lastOp: T0 - 7200000,
    fields: [['order_day', 'DATE', 'Day the orders were placed'], ['orders', 'BIGINT', 'Number of orders'], ['revenue_eur', 'NUMERIC(14,2)', 'Revenue converted to EUR']]
  }),
  dataset('postgres', 'shop.public.customers', 'customers', 'Customer master data of the web shop.', {
    tags: ['pii'], terms: ['Customer'], dom: SALES, rows: 48210, lastOp: T0 - 86400000,
    fields: [['customer_id', 'BIGINT', 'Primary key'], ['name', 'VARCHAR(200)', 'Company name'], ['country', 'VARCHAR(2)', 'ISO 3166 country code']]
  }),
  {
    __typename: 'Dashboard', urn: 'urn:li:dashboard:(looker,dashboards.42)', type: 'DASHBOARD', dashboardId: '42', tool: 'looker', platform: PLATFORMS.looker,
    properties: { name: 'Data platform', description: 'Ingestion volumes, pipeline lag and warehouse spend.', externalUrl: 'https://looker.example.invalid/dashboards/42', customProperties: [] },
    subTypes: { typeNames: ['Dashboard'] },
    tags: { tags: [] }, glossaryTerms: { terms: [] }, domain: { domain: PLATFORM_TEAM, associatedUrn: null }, ownership: { owners: [owner] }, status: { removed: false },
    _facets: { platform: PLATFORMS.looker.urn, tags: [], glossaryTerms: [], domains: [PLATFORM_TEAM.urn], origin: null, lastOperationTime: T0 - 43200000, rowCountFeature: 0 }
  }
];
const ENTITY_TYPE = { Dataset: 'DATASET', Dashboard: 'DASHBOARD', Chart: 'CHART', Container: 'CONTAINER', GlossaryTerm: 'GLOSSARY_TERM', Document: 'DOCUMENT', DataPlatform: 'DATA_PLATFORM', Tag: 'TAG', Domain: 'DOMAIN', CorpUser: 'CORP_USER' };
const typeOf = (e) => ENTITY_TYPE[e.__typename];
const displayName = (e) => e.properties?.name ?? e.name;
const searchableText = (e) => [displayName(e), e.urn, e.properties?.qualifiedName, e.properties?.description,
  ...(e.tags?.tags ?? []).map((t) => t.tag.name), ...(e.glossaryTerms?.terms ?? []).map((t) => t.term.name),
  ...(e.schemaMetadata?.fields ?? []).map((f) => f.fieldPath), e.platform?.name].filter(Boolean).join(' ').toLowerCase();

// ---------------------------------------------------------------- search
function textMatches(e, query) {
  let q = String(query ?? '*').trim();
  if (q.startsWith('/q')) q = q.slice(2).trim();
  if (q === '' || q === '*') return true;
  const text = searchableText(e);
  const words = text.split(/[^a-z0-9_*]+/).concat(text.split(/[^a-z0-9*]+/));
  const has = (w) => {
    const m = w.match(/^(tag|tags):(.+)$/i);
    if (m) return (e.tags?.tags ?? []).some((t) => t.tag.name.toLowerCase() === m[2].toLowerCase());
    const re = new RegExp('^' + w.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
    return words.some((x) => re.test(x)) || (!w.includes('*') && text.includes(w));
  };
  const tokens = (q.match(/"[^"]*"|\S+/g) ?? []).flatMap((t) => (t.startsWith('"') ? [t.slice(1, -1).toLowerCase()] : t.replace(/[()]/g, '').split('+').filter(Boolean).map((x) => (/^(AND|OR|NOT)$/.test(x) ? x : x.toLowerCase()))));
  const anyOr = tokens.includes('OR');
  let result = anyOr ? false : true;
  let negate = false;
  for (const t of tokens) {
    if (t === 'AND' || t === 'OR') continue;
    if (t === 'NOT') { negate = true; continue; }
    const hit = negate ? !has(t) : has(t);
    negate = false;
    result = anyOr ? result || hit : result && hit;
  }
  return result;
}

function criterionMatches(e, c) {
  const field = String(c.field).replace(/\.keyword$/, '');
  const values = (c.values ?? (c.value != null ? [c.value] : [])).map(String);
  let actual;
  switch (field) {
    case '_entityType': case 'entityType': actual = [typeOf(e)]; break;
    case 'removed': actual = [String(e.status?.removed ?? false)]; break;
    case 'urn': actual = [e.urn]; break;
    case 'platform': actual = [e._facets.platform]; break;
    case 'tags': actual = e._facets.tags; break;
    case 'glossaryTerms': actual = e._facets.glossaryTerms; break;
    case 'domains': actual = e._facets.domains; break;
    case 'origin': actual = e._facets.origin ? [e._facets.origin] : []; break;
    default: actual = [];
  }
  const cond = c.condition ?? 'EQUAL';
  let ok;
  if (cond === 'EXISTS') ok = actual.length > 0;
  else if (cond === 'CONTAIN') ok = actual.some((a) => values.some((v) => a.toLowerCase().includes(v.toLowerCase())));
  else if (cond === 'START_WITH') ok = actual.some((a) => values.some((v) => a.startsWith(v)));
  else ok = actual.some((a) => values.includes(a)); // EQUAL, IN
  return c.negated ? !ok : ok;
}

function facetsOf(matches) {
  const lookup = (urn) => [...Object.values(PLATFORMS), ...ENTITIES].find((x) => x.urn === urn)
    ?? (urn.startsWith('urn:li:tag:') ? tag(urn.slice(11)) : urn.startsWith('urn:li:glossaryTerm:') ? term(urn.slice(20)) : urn === SALES.urn ? SALES : urn === PLATFORM_TEAM.urn ? PLATFORM_TEAM : null);
  const facet = (field, disp, valuesOf, withEntity = true) => {
    const counts = new Map();
    for (const e of matches) for (const v of valuesOf(e)) counts.set(v, (counts.get(v) ?? 0) + 1);
    return {
      field, displayName: disp,
      aggregations: [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([value, count]) => ({ value, count, displayName: withEntity ? null : value, entity: withEntity ? lookup(value) : null }))
    };
  };
  return [
    facet('_entityType', 'Type', (e) => [typeOf(e)], false),
    facet('platform', 'Platform', (e) => [e._facets.platform]),
    facet('tags', 'Tag', (e) => e._facets.tags),
    facet('glossaryTerms', 'Glossary Term', (e) => e._facets.glossaryTerms),
    facet('domains', 'Domain', (e) => e._facets.domains),
    facet('origin', 'Environment', (e) => (e._facets.origin ? [e._facets.origin] : []), false)
  ];
}

function searchAcrossEntities(input = {}) {
  const types = input.types?.length ? input.types : null;
  const orFilters = input.orFilters?.length ? input.orFilters : null;
  let matches = ENTITIES
    .filter((e) => !types || types.includes(typeOf(e)))
    .filter((e) => !orFilters || orFilters.some((f) => (f.and ?? []).every((c) => criterionMatches(e, c))))
    .filter((e) => textMatches(e, input.query));
  const sort = input.sortInput?.sortCriteria?.[0] ?? input.sortInput?.sortCriterion;
  if (sort) {
    const dir = sort.sortOrder === 'ASCENDING' ? 1 : -1;
    const key = (e) => e._facets[sort.field] ?? (sort.field === 'name' ? displayName(e) : 0);
    matches = [...matches].sort((a, b) => (key(a) > key(b) ? dir : key(a) < key(b) ? -dir : 0));
  }
  const start = Number(input.start ?? 0);
  const count = Number(input.count ?? 10);
  const page = matches.slice(start, start + count);
  return {
    __typename: 'SearchResults',
    start, count: page.length, total: matches.length,
    searchResults: page.map((entity) => ({ __typename: 'SearchResult', entity, matchedFields: [], insights: [], score: null })),
    facets: facetsOf(matches),
    suggestions: []
  };
}

const ME = {
  __typename: 'AuthenticatedUser',
  corpUser: {
    __typename: 'CorpUser', urn: USER_URN, type: 'CORP_USER', username: 'datahub', exists: true,
    properties: { displayName: 'DataHub', email: null, active: true }, info: { displayName: 'DataHub', active: true, email: null },
    settings: { views: { defaultView: null }, appearance: { showSimplifiedHomepage: false } }
  },
  platformPrivileges: { viewAnalytics: true, managePolicies: true, manageIdentities: true, generatePersonalAccessTokens: true, manageIngestion: true, manageSecrets: true, manageDomains: true, manageGlossaries: true, manageTags: true }
};

class GqlError extends Error {}
const ROOT = {
  searchAcrossEntities: (a) => searchAcrossEntities(a.input),
  me: () => ME,
  globalViewsSettings: () => ({ __typename: 'GlobalViewsSettings', defaultView: null }),
  entity: (a) => ENTITIES.find((e) => e.urn === a.urn) ?? null,
  entities: (a) => (a.urns ?? []).map((u) => ENTITIES.find((e) => e.urn === u) ?? null)
};

// ---------------------------------------------------------------- a small GraphQL executor
function tokenize(src) {
  const toks = [];
  const re = /[\s,\ufeff]+|#[^\n\r]*|("""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*")|(\.\.\.|[!$&()\[\]{}:=@|])|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([_A-Za-z][_0-9A-Za-z]*)|(.)/gy;
  let m;
  while ((m = re.exec(src)) !== null) {
    if (m[1]) toks.push({ k: 'str', v: m[1].startsWith('"""') ? m[1].slice(3, -3) : JSON.parse(m[1]) });
    else if (m[2]) toks.push({ k: 'p', v: m[2] });
    else if (m[3]) toks.push({ k: 'num', v: Number(m[3]) });
    else if (m[4]) toks.push({ k: 'name', v: m[4] });
    else if (m[5]) throw new GqlError(`Invalid Syntax : offending token '${m[5]}'`);
    if (re.lastIndex >= src.length) break;
  }
  return toks;
}
function parse(src) {
  const t = tokenize(src);
  let i = 0;
  const peek = (v) => t[i] && (t[i].v === v);
  const next = () => { if (i >= t.length) throw new GqlError('Invalid Syntax : unexpected end of query'); return t[i++]; };
  const expect = (v) => { const x = next(); if (x.v !== v) throw new GqlError(`Invalid Syntax : expected '${v}', found '${x.v}'`); return x; };
  const name = () => { const x = next(); if (x.k !== 'name') throw new GqlError(`Invalid Syntax : expected a name, found '${x.v}'`); return x.v; };
  const value = () => {
    const x = next();
    if (x.k === 'p' && x.v === '$') return { var: name() };
    if (x.k === 'p' && x.v === '[') { const l = []; while (!peek(']')) l.push(value()); next(); return { list: l }; }
    if (x.k === 'p' && x.v === '{') { const o = {}; while (!peek('}')) { const k = name(); expect(':'); o[k] = value(); } next(); return { obj: o }; }
    if (x.k === 'name') return { lit: x.v === 'true' ? true : x.v === 'false' ? false : x.v === 'null' ? null : x.v };
    return { lit: x.v };
  };
  const args = () => { const a = {}; if (peek('(')) { next(); while (!peek(')')) { const k = name(); expect(':'); a[k] = value(); } next(); } return a; };
  const directives = () => { const d = []; while (peek('@')) { next(); d.push({ name: name(), args: args() }); } return d; };
  const type = () => { if (peek('[')) { next(); type(); expect(']'); } else name(); if (peek('!')) next(); };
  const selectionSet = () => {
    expect('{');
    const sels = [];
    while (!peek('}')) {
      if (peek('...')) {
        next();
        if (peek('on')) { next(); const cond = name(); sels.push({ kind: 'inline', cond, dirs: directives(), sel: selectionSet() }); }
        else if (peek('{') || peek('@')) { const dirs = directives(); sels.push({ kind: 'inline', cond: null, dirs, sel: selectionSet() }); }
        else sels.push({ kind: 'spread', name: name(), dirs: directives() });
      } else {
        let alias = name();
        let fname = alias;
        if (peek(':')) { next(); fname = name(); }
        const a = args();
        const dirs = directives();
        sels.push({ kind: 'field', alias, name: fname, args: a, dirs, sel: peek('{') ? selectionSet() : null });
      }
    }
    next();
    return sels;
  };
  const ops = [];
  const frags = {};
  while (i < t.length) {
    if (peek('{')) { ops.push({ name: null, sel: selectionSet() }); continue; }
    const kw = name();
    if (kw === 'fragment') { const n = name(); expect('on'); const cond = name(); directives(); frags[n] = { cond, sel: selectionSet() }; continue; }
    if (kw !== 'query' && kw !== 'mutation' && kw !== 'subscription') throw new GqlError(`Invalid Syntax : unexpected '${kw}'`);
    const op = { kind: kw, name: t[i]?.k === 'name' ? name() : null };
    if (peek('(')) { next(); while (!peek(')')) { expect('$'); name(); expect(':'); type(); if (peek('=')) { next(); value(); } directives(); } next(); }
    directives();
    op.sel = selectionSet();
    ops.push(op);
  }
  return { ops, frags };
}
function valueOf(v, vars) {
  if ('var' in v) return vars[v.var] ?? null;
  if ('list' in v) return v.list.map((x) => valueOf(x, vars));
  if ('obj' in v) return Object.fromEntries(Object.entries(v.obj).map(([k, x]) => [k, valueOf(x, vars)]));
  return v.lit;
}
const argsOf = (a, vars) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, valueOf(v, vars)]));
const included = (dirs, vars) => dirs.every((d) => (d.name === 'include' ? !!argsOf(d.args, vars).if : d.name === 'skip' ? !argsOf(d.args, vars).if : true));
const CONCRETE = new Set(['Dataset', 'Dashboard', 'Chart', 'Container', 'GlossaryTerm', 'GlossaryNode', 'Domain', 'DataProduct', 'Document', 'DataPlatform', 'Tag', 'CorpUser', 'CorpGroup', 'DataJob', 'DataFlow', 'MLModel', 'MLModelGroup', 'MLFeature', 'MLFeatureTable', 'MLPrimaryKey', 'Notebook', 'SchemaFieldEntity', 'StructuredPropertyEntity', 'Assertion', 'Query', 'DataContract', 'Application']);
function typeMatches(cond, obj) {
  if (cond == null || obj.__typename == null) return true;
  if (cond === obj.__typename) return true;
  return !CONCRETE.has(cond) && !/^(SearchResults|SearchResult|AuthenticatedUser|GlobalViewsSettings)$/.test(cond); // an interface (Entity, ...)
}
function collect(sels, obj, ctx, out = new Map()) {
  for (const s of sels) {
    if (!included(s.dirs, ctx.vars)) continue;
    if (s.kind === 'field') { const k = s.alias; if (!out.has(k)) out.set(k, []); out.get(k).push(s); }
    else if (s.kind === 'inline') { if (typeMatches(s.cond, obj)) collect(s.sel, obj, ctx, out); }
    else {
      const f = ctx.frags[s.name];
      if (!f) throw new GqlError(`Validation error (UndefinedFragment) : Undefined fragment ${s.name}`);
      if (typeMatches(f.cond, obj)) collect(f.sel, obj, ctx, out);
    }
  }
  return out;
}
function project(v, sels, ctx) {
  if (v == null) return null;
  if (Array.isArray(v)) return v.map((x) => project(x, sels, ctx));
  if (typeof v !== 'object' || !sels) return v;
  const out = {};
  for (const [key, fields] of collect(sels, v, ctx)) {
    const f = fields[0];
    if (f.name === '__typename') { out[key] = v.__typename ?? null; continue; }
    const sub = fields.some((x) => x.sel) ? fields.flatMap((x) => x.sel ?? []) : null;
    const raw = v[f.name];
    out[key] = project(raw === undefined ? null : raw, sub, ctx);
  }
  return out;
}
function execute({ query, variables, operationName }) {
  const doc = parse(String(query ?? ''));
  const op = operationName ? doc.ops.find((o) => o.name === operationName) : doc.ops.length === 1 ? doc.ops[0] : null;
  if (!op) throw new GqlError(operationName ? `Unknown operation named '${operationName}'` : 'Must provide operation name if query contains multiple operations');
  if (op.kind && op.kind !== 'query') throw new GqlError(`${op.kind} operations are not supported by the DataHub stand-in (read-only)`);
  const ctx = { vars: variables ?? {}, frags: doc.frags };
  const data = {};
  for (const [key, fields] of collect(op.sel, {}, ctx)) {
    const f = fields[0];
    if (f.name === '__typename') { data[key] = 'Query'; continue; }
    const resolver = ROOT[f.name];
    if (!resolver) throw new GqlError(`Query.${f.name} is not implemented by the DataHub stand-in`);
    data[key] = project(resolver(argsOf(f.args, ctx.vars)), fields.flatMap((x) => x.sel ?? []), ctx);
  }
  return data;
}

// ---------------------------------------------------------------- HTTP
function keyAspect(e) {
  if (e.__typename === 'Dataset') return { name: 'datasetKey', type: 'com.linkedin.metadata.key.DatasetKey', value: { platform: e.platform.urn, name: e.name, origin: e.origin } };
  if (e.__typename === 'Dashboard') return { name: 'dashboardKey', type: 'com.linkedin.metadata.key.DashboardKey', value: { dashboardTool: e.tool, dashboardId: e.dashboardId } };
  return null;
}
function configDoc() {
  return {
    models: {},
    patchCapable: true,
    versions: { 'acryldata/datahub': { version: VERSION, commit: 'standin0000000000000000000000000000000000' } },
    managedIngestion: { defaultCliVersion: VERSION.replace(/^v/, ''), enabled: false },
    statefulIngestionCapable: true,
    supportsImpactAnalysis: true,
    timeZone: 'GMT',
    telemetry: { enabledCli: false, enabledIngestion: false },
    datasetUrnNameCasing: false,
    retention: 'true',
    datahub: { serverType: 'dev', serverEnv: 'core' },
    noCode: 'true'
  };
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = new URL(req.url, 'http://127.0.0.1').pathname;
    let status = 200;
    let body;
    let type = 'application/json';
    let op = '';
    if (TOKEN != null && path !== '/health' && req.headers.authorization !== `Bearer ${TOKEN}`) {
      [status, body, type] = [401, 'Unauthorized to perform this action. Please check your token.', 'text/plain'];
    } else if (req.method === 'GET' && path === '/config') {
      body = configDoc();
    } else if (req.method === 'GET' && path.startsWith('/aspects/')) {
      // Rest.li aspect read; the SDK's exists() check (get_entities) asks for the entity's key aspect.
      const urn = decodeURIComponent(path.slice('/aspects/'.length));
      const e = ENTITIES.find((x) => x.urn === urn);
      const aspect = new URL(req.url, 'http://127.0.0.1').searchParams.get('aspect');
      const key = e && keyAspect(e);
      if (key && aspect === key.name) body = { urn, aspect: { [key.type]: key.value }, version: 0 };
      else [status, body] = [404, { exceptionClass: 'com.linkedin.restli.server.RestLiServiceException', message: `No aspect ${aspect} for ${urn} in the DataHub stand-in`, status: 404 }];
    } else if (req.method === 'GET' && path === '/health') {
      [body, type] = ['GOOD', 'text/plain'];
    } else if (path === '/api/graphql' && req.method === 'POST') {
      let payload;
      try { payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'); } catch { payload = null; }
      if (!payload || typeof payload !== 'object') {
        [status, body] = [400, { errors: [{ message: 'request body is not a JSON object', extensions: { code: 400, type: 'BAD_REQUEST', classification: 'DataFetchingException' } }], data: null }];
      } else {
        op = payload.operationName ?? (String(payload.query ?? '').match(/^\s*(?:query|mutation)\s+(\w+)/)?.[1] ?? '');
        try {
          body = { data: execute(payload), extensions: {} };
        } catch (e) {
          if (!(e instanceof GqlError)) process.stderr.write(`datahub-standin: internal error: ${e.stack}\n`);
          body = { errors: [{ message: e.message, locations: [], extensions: { classification: 'ValidationError' } }], data: null };
        }
      }
    } else {
      [status, body] = [404, { status: 404, message: `No endpoint ${req.method} ${path} in the DataHub stand-in` }];
    }
    const out = typeof body === 'string' ? body : JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(out));
    res.end(out);
    const auth = req.headers.authorization ? ` auth=${req.headers.authorization.split(' ')[0] || 'empty'}` : '';
    const err = body?.errors ? ` error=${JSON.stringify(body.errors[0].message)}` : '';
    process.stderr.write(`datahub-standin: ${req.method} ${req.url}${op ? ` [${op}]` : ''} -> ${status}${auth}${err}\n`);
  });
});

server.listen(PORT, '127.0.0.1', () => {
  process.stderr.write(`datahub-standin: DataHub GMS ${VERSION} stand-in (fake data) listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.close(); server.closeAllConnections(); process.exit(0); });
