#!/usr/bin/env node
// Sluice STAND-IN for Grafana: a small local HTTP server that speaks Grafana's HTTP API wire format,
// for testing mcp-grafana 2.1.1 where no real Grafana can run. It is NOT Grafana: fixed fake data
// (a "Data platform" folder with three dashboards, three datasources), read-only, no alerting,
// no datasource proxying. Node.js 20 standard library only.
//
//   node tests/standins/grafana-api.mjs --port 3000 [--version 12.0.2] [--token TOKEN]
//
//   --port N         port on 127.0.0.1 (0 = any free port; the chosen port is printed on stderr)
//   --version V      version reported by /api/health and /api/frontend/settings (default 12.0.2)
//   --token TOKEN    require `Authorization: Bearer TOKEN` (a service account token); without it
//                    every request is served as the anonymous admin user
//
// Endpoints (what mcp-grafana requests; it GETs /api/frontend/settings once when it builds its
// client, reading appUrl, namespace and buildInfo.version):
//   GET /api/health                          {"database":"ok","version",...}
//   GET /api/frontend/settings               appUrl, namespace, buildInfo, datasources
//   GET /api/user                            the signed-in user (user_info)
//   GET /api/search?query&type&tag&folderUIDs&dashboardUIDs&starred&limit&page
//                                            search_dashboards (type=dash-db), search_folders (type=dash-folder)
//   GET /api/dashboards/uid/{uid}            get_dashboard_by_uid and the other dashboard read tools
//   GET /api/datasources                     list_datasources
//   GET /api/datasources/uid/{uid}, /api/datasources/name/{name}, /api/datasources/{id}   get_datasource
// Anything else: 404 {"message":"Not found"} (as Grafana answers an unknown /api path).
// Each request is logged on stderr as `grafana-standin: METHOD PATH -> STATUS`.

import http from 'node:http';
import { commandLine } from './cli.mjs';

// ---------------------------------------------------------------- arguments
const { opt, usage, port: PORT } = commandLine('grafana-standin', 'node grafana-api.mjs --port N [--version 12.0.2] [--token TOKEN]', 'Grafana stand-in (fake data)', 3000);
const VERSION = opt('--version', '12.0.2');
const TOKEN = opt('--token', null);

// ---------------------------------------------------------------- fake data
const CREATED = '2024-05-02T08:00:00Z';
const UPDATED = '2024-06-03T10:30:00Z';
const FOLDERS = [
  { id: 10, uid: 'f-data-platform', title: 'Data platform' }
];
const DATASOURCES = [
  { id: 1, uid: 'prom-main', name: 'Prometheus', type: 'prometheus', typeName: 'Prometheus', url: 'http://prometheus:9090', database: '', isDefault: true, jsonData: { httpMethod: 'POST', timeInterval: '15s' } },
  { id: 2, uid: 'loki-main', name: 'Loki', type: 'loki', typeName: 'Loki', url: 'http://loki:3100', database: '', isDefault: false, jsonData: { maxLines: 1000 } },
  { id: 3, uid: 'pg-orders', name: 'Orders DB', type: 'grafana-postgresql-datasource', typeName: 'PostgreSQL', url: 'postgres:5432', database: 'orders', isDefault: false, jsonData: { sslmode: 'disable', postgresVersion: 1500 } }
];
const ds = (uid) => { const d = DATASOURCES.find((x) => x.uid === uid); return { type: d.type, uid: d.uid }; };
const promTarget = (expr, legend) => ({ datasource: ds('prom-main'), expr, legendFormat: legend ?? '__auto', range: true, refId: 'A' });
const DASHBOARDS = [
  {
    id: 101, uid: 'data-platform-overview', title: 'Data platform', folderUid: 'f-data-platform', starred: true, version: 7,
    tags: ['data-platform', 'overview'], description: 'Health of the data platform: ingestion, orders pipeline, warehouse',
    panels: [
      { id: 1, type: 'stat', title: 'Orders ingested (24h)', gridPos: { h: 6, w: 6, x: 0, y: 0 }, datasource: ds('prom-main'), targets: [promTarget('sum(increase(orders_ingested_total[24h]))')] },
      { id: 2, type: 'timeseries', title: 'Orders per minute', gridPos: { h: 8, w: 12, x: 6, y: 0 }, datasource: ds('prom-main'), targets: [promTarget('sum(rate(orders_ingested_total[5m])) * 60', '{{source}}')] },
      { id: 3, type: 'timeseries', title: 'Kafka consumer lag (orders)', gridPos: { h: 8, w: 12, x: 0, y: 8 }, datasource: ds('prom-main'), targets: [promTarget('max by (consumergroup) (kafka_consumergroup_lag{topic="orders"})')] },
      { id: 4, type: 'logs', title: 'Pipeline errors', gridPos: { h: 8, w: 12, x: 12, y: 8 }, datasource: ds('loki-main'), targets: [{ datasource: ds('loki-main'), expr: '{app="orders-pipeline"} |= "error"', refId: 'A' }] },
      { id: 5, type: 'table', title: 'Orders by status', gridPos: { h: 8, w: 24, x: 0, y: 16 }, datasource: ds('pg-orders'), targets: [{ datasource: ds('pg-orders'), format: 'table', rawQuery: true, rawSql: 'SELECT status, count(*) AS orders FROM orders GROUP BY status ORDER BY orders DESC', refId: 'A' }] }
    ]
  },
  {
    id: 102, uid: 'orders-pipeline', title: 'Orders pipeline', folderUid: 'f-data-platform', starred: false, version: 3,
    tags: ['orders', 'kafka'], description: 'Kafka to warehouse flow of the orders topic',
    panels: [
      { id: 1, type: 'timeseries', title: 'Messages in per second', gridPos: { h: 8, w: 12, x: 0, y: 0 }, datasource: ds('prom-main'), targets: [promTarget('sum(rate(kafka_topic_partition_current_offset{topic="orders"}[5m]))')] },
      { id: 2, type: 'timeseries', title: 'Load job duration', gridPos: { h: 8, w: 12, x: 12, y: 0 }, datasource: ds('prom-main'), targets: [promTarget('histogram_quantile(0.95, sum by (le) (rate(warehouse_load_duration_seconds_bucket{table="orders"}[15m])))', 'p95')] }
    ]
  },
  {
    id: 103, uid: 'warehouse-costs', title: 'Warehouse costs', folderUid: null, starred: false, version: 1,
    tags: ['finops'], description: 'Daily warehouse spend per team',
    panels: [
      { id: 1, type: 'barchart', title: 'Spend per team (EUR)', gridPos: { h: 8, w: 24, x: 0, y: 0 }, datasource: ds('pg-orders'), targets: [{ datasource: ds('pg-orders'), format: 'table', rawQuery: true, rawSql: "SELECT team, sum(cost_eur) AS eur FROM warehouse_costs WHERE day > now() - interval '30 days' GROUP BY team", refId: 'A' }] }
    ]
  }
];
const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
const folderOf = (d) => FOLDERS.find((f) => f.uid === d.folderUid);

function dashboardModel(d) {
  return {
    id: d.id, uid: d.uid, title: d.title, description: d.description, tags: d.tags,
    timezone: 'browser', editable: true, graphTooltip: 1, schemaVersion: 41, version: d.version,
    time: { from: 'now-6h', to: 'now' }, refresh: '1m', fiscalYearStartMonth: 0, liveNow: false,
    annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
    templating: { list: [{ name: 'env', label: 'Environment', type: 'custom', query: 'prod,staging', current: { text: 'prod', value: 'prod' }, options: [] }] },
    links: [],
    panels: d.panels
  };
}
function searchHit(d) {
  const f = folderOf(d);
  const hit = {
    id: d.id, uid: d.uid, orgId: 1, title: d.title, uri: `db/${slug(d.title)}`, url: `/d/${d.uid}/${slug(d.title)}`,
    slug: '', type: 'dash-db', tags: d.tags, isStarred: d.starred, sortMeta: 0, isDeleted: false
  };
  if (f) Object.assign(hit, { folderId: f.id, folderUid: f.uid, folderTitle: f.title, folderUrl: `/dashboards/f/${f.uid}/${slug(f.title)}` });
  return hit;
}
function folderHit(f) {
  return { id: f.id, uid: f.uid, orgId: 1, title: f.title, uri: `db/${slug(f.title)}`, url: `/dashboards/f/${f.uid}/${slug(f.title)}`, slug: '', type: 'dash-folder', tags: [], isStarred: false, sortMeta: 0, isDeleted: false };
}
function datasourceModel(d) {
  return {
    id: d.id, uid: d.uid, orgId: 1, name: d.name, type: d.type, typeName: d.typeName,
    typeLogoUrl: `public/app/plugins/datasource/${d.type}/img/logo.svg`, access: 'proxy', url: d.url,
    user: '', database: d.database, basicAuth: false, basicAuthUser: '', withCredentials: false,
    isDefault: d.isDefault, jsonData: d.jsonData, secureJsonFields: {}, version: 1, readOnly: false
  };
}

// ---------------------------------------------------------------- handlers
function apiSearch(q) {
  const query = (q.get('query') ?? '').toLowerCase();
  const type = q.get('type');
  const tags = q.getAll('tag');
  const folderUIDs = q.getAll('folderUIDs').flatMap((s) => s.split(','));
  const dashUIDs = q.getAll('dashboardUIDs').flatMap((s) => s.split(','));
  const starred = q.get('starred') === 'true';
  const limit = Math.min(Number(q.get('limit') ?? 1000) || 1000, 5000);
  const page = Math.max(Number(q.get('page') ?? 1) || 1, 1);
  let hits = [];
  if (type !== 'dash-db' && tags.length === 0 && !starred && dashUIDs.length === 0) {
    hits.push(...FOLDERS.filter((f) => f.title.toLowerCase().includes(query)).filter(() => folderUIDs.length === 0).map(folderHit));
  }
  if (type !== 'dash-folder') {
    hits.push(...DASHBOARDS
      .filter((d) => d.title.toLowerCase().includes(query))
      .filter((d) => tags.every((t) => d.tags.includes(t)))
      .filter((d) => folderUIDs.length === 0 || folderUIDs.includes(d.folderUid ?? 'general'))
      .filter((d) => dashUIDs.length === 0 || dashUIDs.includes(d.uid))
      .filter((d) => !starred || d.starred)
      .map(searchHit));
  }
  hits.sort((a, b) => (a.type === b.type ? a.title.localeCompare(b.title) : a.type === 'dash-folder' ? -1 : 1));
  hits = hits.slice((page - 1) * limit, page * limit);
  return [200, hits];
}

function apiDashboard(uid) {
  const d = DASHBOARDS.find((x) => x.uid === uid);
  if (!d) return [404, { message: 'Dashboard not found' }];
  const f = folderOf(d);
  return [200, {
    meta: {
      type: 'db', canSave: true, canEdit: true, canAdmin: true, canStar: true, canDelete: true,
      slug: slug(d.title), url: `/d/${d.uid}/${slug(d.title)}`, expires: '0001-01-01T00:00:00Z',
      created: CREATED, updated: UPDATED, updatedBy: 'admin', createdBy: 'admin', version: d.version,
      hasAcl: false, isFolder: false, apiVersion: 'v1', folderId: f?.id ?? 0, folderUid: f?.uid ?? '',
      folderTitle: f?.title ?? 'Dashboards', folderUrl: f ? `/dashboards/f/${f.uid}/${slug(f.title)}` : '',
      provisioned: false, provisionedExternalId: '',
      annotationsPermissions: { dashboard: { canAdd: true, canEdit: true, canDelete: true }, organization: { canAdd: true, canEdit: true, canDelete: true } }
    },
    dashboard: dashboardModel(d)
  }];
}

function frontendSettings(base) {
  const def = DATASOURCES.find((d) => d.isDefault);
  return {
    appUrl: `${base}/`, appSubUrl: '', namespace: 'default', defaultDatasource: def.name,
    datasources: Object.fromEntries(DATASOURCES.map((d) => [d.name, { id: d.id, uid: d.uid, name: d.name, type: d.type, url: `/api/datasources/proxy/uid/${d.uid}`, isDefault: d.isDefault, access: 'proxy', jsonData: d.jsonData, meta: { id: d.type, name: d.typeName, type: 'datasource' } }])),
    buildInfo: { version: VERSION, versionString: `Grafana v${VERSION} (standin)`, commit: 'standin', edition: 'Open Source', env: 'production', buildstamp: 1717401600, hideVersion: false, latestVersion: '', hasUpdate: false },
    featureToggles: {}, anonymousEnabled: TOKEN == null, authProxyEnabled: false, ldapEnabled: false, unifiedAlertingEnabled: true
  };
}

const USER = {
  id: 1, uid: 'u-admin', email: 'admin@localhost', name: 'Data platform admin', login: 'admin', theme: '', orgId: 1,
  isGrafanaAdmin: true, isDisabled: false, isExternal: false, isExternallySynced: false, isGrafanaAdminExternallySynced: false,
  authLabels: [], updatedAt: UPDATED, createdAt: CREATED, avatarUrl: '/avatar/46d229b033af06a191ff2267bca9ae56'
};

function route(method, path, q, base) {
  if (method !== 'GET' && method !== 'HEAD') return [405, { message: 'Method not allowed (read-only stand-in)' }];
  let m;
  if (path === '/api/health') return [200, { commit: 'standin', database: 'ok', version: VERSION }];
  if (path === '/api/frontend/settings') return [200, frontendSettings(base)];
  if (path === '/api/user') return [200, USER];
  if (path === '/api/search') return apiSearch(q);
  if ((m = path.match(/^\/api\/dashboards\/uid\/([^/]+)$/))) return apiDashboard(decodeURIComponent(m[1]));
  if (path === '/api/datasources') return [200, DATASOURCES.map(datasourceModel)];
  if ((m = path.match(/^\/api\/datasources\/uid\/([^/]+)$/))) {
    const d = DATASOURCES.find((x) => x.uid === decodeURIComponent(m[1]));
    return d ? [200, datasourceModel(d)] : [404, { message: 'Data source not found' }];
  }
  if ((m = path.match(/^\/api\/datasources\/name\/([^/]+)$/))) {
    const d = DATASOURCES.find((x) => x.name === decodeURIComponent(m[1]));
    return d ? [200, datasourceModel(d)] : [404, { message: 'Data source not found' }];
  }
  if ((m = path.match(/^\/api\/datasources\/(\d+)$/))) {
    const d = DATASOURCES.find((x) => x.id === Number(m[1]));
    return d ? [200, datasourceModel(d)] : [404, { message: 'Data source not found' }];
  }
  return [404, { message: 'Not found' }];
}

// ---------------------------------------------------------------- HTTP
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const base = `http://${req.headers.host ?? `127.0.0.1:${server.address().port}`}`;
    let status;
    let body;
    const open = url.pathname === '/api/health';
    if (TOKEN != null && !open && req.headers.authorization !== `Bearer ${TOKEN}`) {
      [status, body] = [401, { extra: null, message: req.headers.authorization ? 'Invalid API key' : 'Unauthorized', messageId: 'auth.unauthorized', statusCode: 401, traceID: '' }];
    } else {
      try {
        [status, body] = route(req.method, url.pathname, url.searchParams, base);
      } catch (e) {
        process.stderr.write(`grafana-standin: internal error: ${e.stack}\n`);
        [status, body] = [500, { message: 'Internal server error' }];
      }
    }
    const out = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Length', Buffer.byteLength(out));
    res.end(req.method === 'HEAD' ? undefined : out);
    const auth = req.headers.authorization ? ` auth=${req.headers.authorization.split(' ')[0]}` : '';
    process.stderr.write(`grafana-standin: ${req.method} ${req.url} -> ${status}${auth}\n`);
  });
});

server.listen(PORT, '127.0.0.1', () => {
  process.stderr.write(`grafana-standin: Grafana ${VERSION} stand-in (fake data) listening on http://127.0.0.1:${server.address().port}\n`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { server.close(); server.closeAllConnections(); process.exit(0); });
