// End-to-end tests of Sluice's admin UI (/admin) in headless Chromium, against a live Sluice node.
// A Java integration test starts the node, makes real tool calls first, then runs
//   node --test tests/ui/admin.test.mjs
// with the environment below. Each test asserts what a user would see; every page is watched for
// console errors and Content-Security-Policy violations.
//
//   SLUICE_URL             the node, e.g. http://127.0.0.1:9189 (required)
//   SLUICE_OWNER_KEY       an owner's API key (required)
//   SLUICE_VIEWER_KEY      a viewer's API key (required)
//   SLUICE_SERVER          a server to disable and enable again (required)
//   SLUICE_TOOL            a federated tool to find and call, with a required string argument (required)
//   SLUICE_TOOL_ARGUMENT   that argument's name (required)
//   SLUICE_TOOL_VALUE      the value to send; the result must show it (default: a generated word)
//   SLUICE_AGENT_ROLE      the agent to run (default data-analyst)
//   SLUICE_AGENT_TOOL      the tool the scripted model calls (default SLUICE_TOOL)
//   SLUICE_AGENT_ARGUMENTS its arguments, JSON (default {SLUICE_TOOL_ARGUMENT: SLUICE_TOOL_VALUE})
//   OPENAI_STANDIN_URL     the OpenAI stand-in the node's agents use (tests/standins/openai-chat.mjs; required)
//   SLUICE_ALERTED_BUDGET  a budget scope (e.g. all) the agent run takes past its alert threshold (optional)
//   SCREENSHOT_DIR         where to write one PNG per page (optional)
//   CHROMIUM               the browser (default /usr/lib/chromium/chromium)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium } from 'playwright-core';

const E = process.env;
const BASE = (E.SLUICE_URL || '').replace(/\/+$/, '');
const OWNER = E.SLUICE_OWNER_KEY;
const VIEWER = E.SLUICE_VIEWER_KEY;
const SERVER = E.SLUICE_SERVER;
const TOOL = E.SLUICE_TOOL;
const ARGUMENT = E.SLUICE_TOOL_ARGUMENT;
const VALUE = E.SLUICE_TOOL_VALUE || `sluice-ui-${Date.now().toString(36)}`;
const AGENT_ROLE = E.SLUICE_AGENT_ROLE || 'data-analyst';
const AGENT_TOOL = E.SLUICE_AGENT_TOOL || TOOL;
const AGENT_ARGUMENTS = E.SLUICE_AGENT_ARGUMENTS ? JSON.parse(E.SLUICE_AGENT_ARGUMENTS) : { [ARGUMENT]: VALUE };
const STANDIN = (E.OPENAI_STANDIN_URL || '').replace(/\/+$/, '');
const SHOTS = E.SCREENSHOT_DIR;
const ADMIN = `${BASE}/admin/index.html`;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 800 };

const missing = ['SLUICE_URL', 'SLUICE_OWNER_KEY', 'SLUICE_VIEWER_KEY', 'SLUICE_SERVER', 'SLUICE_TOOL', 'SLUICE_TOOL_ARGUMENT', 'OPENAI_STANDIN_URL'].filter((n) => !E[n]);

let browser;
/** {server, tool} of SLUICE_TOOL, from the API. */
let toolInfo;

before(async () => {
  assert.deepEqual(missing, [], `set ${missing.join(', ')} (see the top of ${path.basename(import.meta.filename)})`);
  browser = await chromium.launch({ executablePath: E.CHROMIUM || '/usr/lib/chromium/chromium', headless: true });
  if (SHOTS) await mkdir(SHOTS, { recursive: true });
  const r = await fetch(`${BASE}/api/v1/tools/${encodeURIComponent(TOOL)}`, { headers: { Authorization: `Bearer ${OWNER}` } });
  assert.equal(r.status, 200, `GET /api/v1/tools/${TOOL}: ${await r.clone().text()}`);
  toolInfo = await r.json();
});

after(async () => {
  if (browser) await browser.close();
});

// ------------------------------------------------------------------ helpers

/**
 * Runs `fn(page)` in a fresh browser context (its own sessionStorage), watching for console errors,
 * uncaught exceptions and CSP violations; fails when any appears that `allow` does not excuse.
 */
async function withPage(fn, { viewport = DESKTOP, allow = [] } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber || ''})`);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow.some((re) => re.test(m.text()))) problems.push(`console error: ${m.text()}`);
    if (/Content.Security.Policy|CSP violation/i.test(m.text()) && m.type() !== 'error') problems.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  try {
    await fn(page);
    assert.deepEqual(problems, [], `the page reported problems:\n${problems.join('\n')}`);
  } finally {
    await context.close();
  }
}

async function signIn(page, key) {
  await page.goto(ADMIN);
  await page.getByTestId('credential').fill(key);
  await page.getByTestId('signin').click();
  await page.getByTestId('whoami').waitFor();
}

/** Opens a route (#/servers …) and waits for its heading. */
async function open(page, route, heading) {
  await page.evaluate((r) => {
    location.hash = r;
  }, route);
  if (heading) await page.locator('h1', { hasText: heading }).first().waitFor();
}

/** Waits until no loading indicator is shown. */
async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('[data-testid="loading"]'), null, { timeout: 30_000 });
}

async function shot(page, name) {
  if (!SHOTS) return;
  await page.screenshot({ path: path.join(SHOTS, name) });
}

/** How many pixels of a canvas are (close to) the given colour. */
async function pixelsOf(page, selector, [r, g, b]) {
  return page.locator(selector).evaluate(
    (canvas, rgb) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 200 && Math.abs(data[i] - rgb[0]) < 40 && Math.abs(data[i + 1] - rgb[1]) < 40 && Math.abs(data[i + 2] - rgb[2]) < 40) n++;
      }
      return n;
    },
    [r, g, b]
  );
}

async function api(pathname, key = OWNER, init = {}) {
  return fetch(`${BASE}/api/v1/${pathname}`, { ...init, headers: { Authorization: `Bearer ${key}`, ...(init.headers || {}) } });
}

const number = (text) => Number(String(text).replace(/[^\d.]/g, ''));

// ------------------------------------------------------------------ tests

test('the owner signs in and sees the dashboard with traffic and charts', { timeout: 60_000 }, async () => {
  await withPage(async (page) => {
    await signIn(page, OWNER);
    await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
    assert.equal(await page.getByTestId('whoami-role').textContent(), 'owner');
    const requests = page.getByTestId('tile-requests');
    await requests.waitFor();
    const sub = await requests.locator('.tile-sub').textContent();
    assert.ok(number(sub) > 0, `the dashboard counts the calls made before the test: "${sub}"`);
    for (const id of ['chart-requests', 'chart-latency', 'chart-cache', 'chart-tokens']) {
      const box = await page.locator(`[data-testid="${id}"] canvas`).first().boundingBox();
      assert.ok(box && box.width > 200 && box.height > 100, `${id} is drawn (${JSON.stringify(box)})`);
    }
    // the request rate is plotted: the series' blue is on the canvas
    assert.ok((await pixelsOf(page, '[data-testid="chart-requests"] canvas', [0x25, 0x63, 0xeb])) > 20, 'the requests line is drawn');
    await page.getByTestId('upstreams').locator('.chip').first().waitFor();
    await settled(page);
    await shot(page, 'dashboard.png');

    await page.getByTestId('signout').click();
    await page.getByTestId('credential').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'signing out forgets the credential');
  });
});

test('the dashboard is readable at a phone width of 375 px', { timeout: 60_000 }, async () => {
  await withPage(
    async (page) => {
      await signIn(page, OWNER);
      await page.getByTestId('tile-requests').waitFor();
      await settled(page);
      const tooWide = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok((await tooWide()) <= 0, `no sideways scrolling at 375 px (${await tooWide()} px too wide)`);
      for (const [route, heading] of [['#/servers', 'Servers'], ['#/audit', 'Audit log'], ['#/keys', 'API keys']]) {
        await open(page, route, heading);
        await settled(page);
        assert.ok((await tooWide()) <= 0, `${route}: no sideways scrolling at 375 px (${await tooWide()} px too wide)`);
      }
      await open(page, '#/dashboard', 'Dashboard');
      await settled(page);
      const nav = page.getByTestId('nav-servers');
      assert.equal(await nav.isVisible(), false, 'the navigation folds away behind the menu');
      await page.getByTestId('menu-toggle').click();
      assert.equal(await nav.isVisible(), true, 'the menu opens the navigation');
      await page.getByTestId('menu-toggle').click();
      await shot(page, 'dashboard-phone.png');
    },
    { viewport: PHONE }
  );
});

test('a wrong key is refused with a message', { timeout: 30_000 }, async () => {
  await withPage(
    async (page) => {
      await page.goto(ADMIN);
      await page.getByTestId('credential').fill('sk-sluice-this-is-not-a-key-0000000000');
      await page.getByTestId('signin').click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent(), /refused/i);
      assert.equal(await page.getByTestId('whoami').count(), 0, 'not signed in');
      assert.equal(await page.getByTestId('credential').isVisible(), true, 'still on the sign-in page');
      assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'nothing kept');
    },
    { allow: [/status of 401/] }
  );
});

test('a session whose key is revoked goes back to sign-in with a message', { timeout: 30_000 }, async () => {
  const created = await api('api-keys', OWNER, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: `ui-revoked-${Date.now()}`, role: 'viewer', expiresInDays: 1 })
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { key, secret } = await created.json();
  await withPage(
    async (page) => {
      await signIn(page, secret);
      assert.equal((await api(`api-keys/${encodeURIComponent(key.id)}`, OWNER, { method: 'DELETE' })).status, 200);
      // the next request (this page change, or the dashboard's own refresh if it comes first) is refused
      await page.evaluate(() => {
        location.hash = '#/servers';
      });
      await page.getByTestId('credential').waitFor();
      assert.match(await page.getByRole('alert').first().textContent(), /signed out/i);
      assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    },
    { allow: [/status of 401/] }
  );
});

test('an admin disables a server, its tools leave the explorer, and enables it again', { timeout: 120_000 }, async () => {
  await withPage(async (page) => {
    await signIn(page, OWNER);
    const toolsOf = async () => {
      await open(page, `#/tools?server=${encodeURIComponent(SERVER)}&q=${encodeURIComponent(`${SERVER}`)}`, 'Tool explorer');
      await page.waitForFunction(() => /\d+ tools?$/.test(document.querySelector('[data-testid="tool-count"]')?.textContent || ''), null, { timeout: 60_000 });
      return page.locator(`[data-server="${SERVER}"]`).count();
    };
    // the search goes through the server-side search on each visit
    await open(page, '#/dashboard', 'Dashboard');
    assert.ok((await toolsOf()) > 0, `${SERVER} has tools in the explorer before`);

    await open(page, '#/servers', 'Servers');
    const state = page.getByTestId(`state-${SERVER}`);
    await state.waitFor();
    assert.notEqual(await state.textContent(), 'disabled');
    await page.getByTestId(`toggle-${SERVER}`).click();
    await page.getByTestId('confirm-disable').getByTestId('confirm').click();
    await page.waitForFunction((s) => document.querySelector(`[data-testid="state-${s}"]`)?.textContent === 'disabled', SERVER);
    assert.equal(await page.getByTestId(`toggle-${SERVER}`).textContent(), 'Enable');

    await open(page, '#/dashboard', 'Dashboard');
    assert.equal(await toolsOf(), 0, `${SERVER}'s tools are gone from the explorer`);

    await open(page, '#/servers', 'Servers');
    await page.getByTestId(`toggle-${SERVER}`).click();
    await page.waitForFunction((s) => document.querySelector(`[data-testid="state-${s}"]`)?.textContent !== 'disabled', SERVER);
    await settled(page);
    await shot(page, 'servers.png');

    await page.getByRole('link', { name: SERVER, exact: true }).first().click();
    await page.locator('h1', { hasText: SERVER }).waitFor();
    assert.equal(await page.getByTestId('server-enabled-badge').textContent(), 'enabled');
    await settled(page);
    await shot(page, 'server-detail.png');

    // its tools come back once it has started again
    const deadline = Date.now() + 60_000;
    let back = 0;
    while (Date.now() < deadline && back === 0) {
      await open(page, '#/dashboard', 'Dashboard');
      back = await toolsOf();
      if (back === 0) await page.waitForTimeout(1000);
    }
    assert.ok(back > 0, `${SERVER}'s tools are back in the explorer`);
  });
});

test('an admin adds a server with the form, its secret is kept encrypted, and deletes it', { timeout: 120_000 }, async () => {
  const base = await (await api(`servers/${encodeURIComponent(SERVER)}/definition`)).json();
  assert.equal(base.transport, 'stdio', `${SERVER} is a stdio server to copy`);
  const name = `ui-added-${Date.now().toString(36)}`;
  const secret = `ui-secret-${Date.now().toString(36)}`;
  await withPage(async (page) => {
    await signIn(page, OWNER);
    await open(page, '#/servers', 'Servers');
    await page.getByTestId('add-server').click();
    const form = page.getByTestId('server-form');
    await form.waitFor();
    await page.getByTestId('server-name').fill(name);
    await page.getByTestId('server-save').click();
    // the command is required: said beside the field, nothing sent
    await page.getByTestId('server-command-error').waitFor();
    assert.equal((await api(`servers/${name}`)).status, 404);
    await page.getByTestId('server-command').fill(base.command);
    await page.getByTestId('server-args').fill((base.args || []).join('\n'));
    await form.getByRole('button', { name: 'Add variable' }).click();
    await page.locator('#server-env-key-0').fill('UI_API_TOKEN');
    await page.locator('#server-env-value-0').fill(secret);
    assert.equal(await page.locator('#server-env-value-0').getAttribute('type'), 'password', 'a secret is typed unseen');
    await page.getByTestId('server-save').click();
    await page.waitForFunction((n) => location.hash === `#/servers/${n}`, name);
    await page.locator('h1', { hasText: name }).waitFor();
    const stored = await (await api(`servers/${name}/definition`)).text();
    assert.ok(!stored.includes(secret), 'the secret is not stored as given');
    assert.match(stored, /"UI_API_TOKEN":"\$\{sealed:/);
    // editing shows that a secret is there, never the secret
    await page.getByTestId('edit-server').click();
    await page.getByTestId('sealed-value').waitFor();
    assert.ok(!(await page.content()).includes(secret));
    await page.keyboard.press('Escape');
    await page.getByTestId('server-form').waitFor({ state: 'detached' });
    await page.getByTestId('delete-server').click();
    await page.getByTestId('confirm-delete').getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => location.hash === '#/servers');
    assert.equal((await api(`servers/${name}`)).status, 404, 'the server is gone');
  });
});

test('the explorer finds a tool, builds a form from its schema, calls it and shows the result', { timeout: 60_000 }, async () => {
  await withPage(async (page) => {
    await signIn(page, OWNER);
    await open(page, '#/tools', 'Tool explorer');
    await page.getByTestId('tool-search').fill(TOOL);
    const link = page.getByTestId(`tool-link-${TOOL}`);
    await link.waitFor();
    await shot(page, 'tools.png');
    await link.click();
    const input = page.getByTestId(`arg-${ARGUMENT}`);
    await input.waitFor();
    assert.equal(await page.locator(`label[for="arg-${ARGUMENT}"]`).count(), 1, 'the argument has a label');
    // a required argument left empty is caught before the call
    await input.fill('');
    await page.getByTestId('call-tool').click();
    await page.locator(`#arg-${ARGUMENT}-error`).waitFor();
    assert.equal(await page.getByTestId('tool-result').count(), 0);
    await input.fill(VALUE);
    await page.getByTestId('call-tool').click();
    const result = page.getByTestId('tool-result');
    await result.waitFor();
    assert.ok((await result.textContent()).includes(VALUE), `the result shows ${VALUE}`);
    await shot(page, 'tool-call.png');
  });
});

test('the audit log filters by the tool, opens a record and exports CSV', { timeout: 60_000 }, async () => {
  await withPage(async (page) => {
    await signIn(page, OWNER);
    await open(page, '#/audit', 'Audit log');
    await page.getByTestId('filter-server').fill(toolInfo.server);
    await page.getByTestId('filter-tool').fill(toolInfo.tool);
    await page.getByTestId('audit-apply').click();
    await page.waitForFunction(() => location.hash.includes('tool='));
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    const count = await rows.count();
    assert.ok(count > 0);
    for (let i = 0; i < count; i++) assert.ok((await rows.nth(i).textContent()).includes(toolInfo.tool), `row ${i} is about ${toolInfo.tool}`);
    await settled(page);
    await shot(page, 'audit.png');

    await rows.first().getByTestId('audit-details').click();
    const record = page.getByTestId('audit-record');
    await record.waitFor();
    const text = await record.textContent();
    assert.ok(text.includes(toolInfo.tool) && text.includes('Request id'), 'the detail shows the record');
    await page.keyboard.press('Escape');
    await record.waitFor({ state: 'detached' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.match(lines[0], /requestId/);
    assert.match(lines[0], /target/);
    assert.ok(lines.length >= 2, 'a header and at least one record');
    assert.ok(lines.slice(1).some((l) => l.includes(toolInfo.tool)), `a row for ${toolInfo.tool}`);
  });
});

test('an API key is created, its secret shown once, and revoked', { timeout: 60_000 }, async () => {
  await withPage(async (page) => {
    await signIn(page, OWNER);
    await open(page, '#/keys', 'API keys');
    await page.getByTestId('keys-table').waitFor();
    const name = `ui-test-${Date.now()}`;
    await page.getByTestId('create-key').click();
    await page.getByTestId('key-name').fill(name);
    await page.getByTestId('key-role').selectOption('viewer');
    await page.getByTestId('key-create-submit').click();
    const dialog = page.getByTestId('secret-dialog');
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /will not see this key again/i);
    const secret = (await page.getByTestId('secret-value').textContent()).trim();
    assert.ok(secret.length >= 20, 'the secret is shown');
    assert.equal((await api('me', secret)).status, 200, 'the shown secret is the key');

    await page.getByTestId('secret-done').click();
    await dialog.waitFor({ state: 'detached' });
    const anywhere = await page.evaluate(
      (s) =>
        document.documentElement.outerHTML.includes(s) ||
        [...document.querySelectorAll('input, textarea')].some((el) => el.value.includes(s)) ||
        JSON.stringify({ ...sessionStorage }).includes(s) ||
        JSON.stringify({ ...localStorage }).includes(s),
      secret
    );
    assert.equal(anywhere, false, 'the secret is nowhere in the page once the dialog is closed');

    const row = page.locator(`tr[data-key-name="${name}"]`);
    await row.waitFor();
    assert.equal(await row.locator('[data-testid^="key-status-"]').textContent(), 'active');
    await shot(page, 'keys.png');
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByTestId('revoke-dialog').getByTestId('confirm').click();
    await page.waitForFunction((n) => document.querySelector(`tr[data-key-name="${n}"] [data-testid^="key-status-"]`)?.textContent === 'revoked', name);
    assert.equal((await api('me', secret)).status, 401, 'the revoked key no longer works');
  });
});

test('an agent runs a task and its steps appear as it works', { timeout: 90_000 }, async () => {
  const conversation = `ui-${Date.now().toString(36)}`;
  const answer = 'The UI test run is done.';
  const scripted = await fetch(`${STANDIN}/_script`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      conversation,
      turns: [
        { toolCalls: [{ name: AGENT_TOOL, arguments: AGENT_ARGUMENTS }], usage: { prompt: 300, completion: 20 }, delayMs: 500 },
        { text: answer, usage: { prompt: 420, completion: 30 }, delayMs: 3000 }
      ]
    })
  });
  assert.equal(scripted.status, 200, await scripted.text());

  await withPage(async (page) => {
    await signIn(page, OWNER);
    await open(page, '#/agents', 'Agents');
    await page.getByTestId(`profile-${AGENT_ROLE}`).waitFor();
    await settled(page);
    await shot(page, 'agents.png');
    await page.getByTestId('run-role').selectOption(AGENT_ROLE);
    await page.getByTestId('run-task').fill(`[conversation:${conversation}] How many orders are there?`);
    await page.getByTestId('run-submit').click();
    await page.waitForFunction(() => location.hash.startsWith('#/agents/runs/'));
    const status = page.getByTestId('run-status');
    await status.waitFor();

    // watch: while it runs, the steps grow
    const seen = [];
    const deadline = Date.now() + 60_000;
    let current = await status.textContent();
    while (current === 'running' && Date.now() < deadline) {
      seen.push(await page.getByTestId('run-step').count());
      await page.waitForTimeout(200);
      current = await status.textContent();
    }
    assert.equal(current, 'completed', `the run ends completed (seen ${seen.join(',')})`);
    assert.ok(seen.length > 0, 'the run was shown running');
    const steps = await page.getByTestId('run-step').count();
    assert.equal(steps, 3, 'a model call, a tool call, the answer');
    assert.ok(seen.some((n) => n > 0 && n < steps), `steps appeared while it ran (counts seen: ${seen.join(',')})`);
    const toolStep = page.getByTestId('run-step').nth(1);
    assert.equal(await toolStep.getAttribute('data-kind'), 'tool');
    assert.equal(await toolStep.getAttribute('data-outcome'), 'ok', `the tool step: ${await toolStep.textContent()}`);
    if (AGENT_ARGUMENTS[ARGUMENT] !== undefined) {
      assert.match(await toolStep.textContent(), new RegExp(String(AGENT_ARGUMENTS[ARGUMENT])), 'the tool result is shown');
    }
    assert.equal((await page.getByTestId('run-answer').textContent()).trim(), answer);
    await shot(page, 'agent-run.png');
  });
});

test('a viewer sees no admin pages or buttons, and the API refuses admin calls', { timeout: 60_000 }, async () => {
  await withPage(
    async (page) => {
      const refused = [];
      page.on('response', (r) => {
        if (r.status() === 403) refused.push(r.url());
      });
      await signIn(page, VIEWER);
      assert.equal(await page.getByTestId('whoami-role').textContent(), 'viewer');
      assert.equal(await page.getByTestId('nav-dashboard').isVisible(), true);
      for (const id of ['nav-audit', 'nav-tokens', 'nav-cache']) assert.equal(await page.getByTestId(id).count(), 0, `${id} is hidden`);

      await open(page, '#/servers', 'Servers');
      await page.getByTestId('servers-table').waitFor();
      for (const id of ['add-server', 'verify-catalog']) assert.equal(await page.getByTestId(id).count(), 0, `${id} is hidden`);
      assert.equal(await page.locator('[data-testid^="toggle-"]').count(), 0, 'no enable/disable buttons');
      await page.getByRole('link', { name: SERVER, exact: true }).first().click();
      await page.locator('h1', { hasText: SERVER }).waitFor();
      await settled(page);
      for (const id of ['edit-server', 'delete-server', 'verify-server']) assert.equal(await page.getByTestId(id).count(), 0, `${id} is hidden`);

      await open(page, '#/keys', 'API keys');
      await settled(page);
      assert.equal(await page.getByTestId('create-key').count(), 0, 'no key creation');

      await open(page, '#/agents', 'Agents');
      await page.getByTestId('profiles').waitFor();
      assert.equal(await page.locator('[data-testid^="edit-profile-"]').count(), 0, 'no profile editing');
      assert.equal(await page.getByTestId('run-form').count(), 0, 'a viewer may not run agents');

      await open(page, '#/audit', 'Audit log');
      assert.equal(await page.getByTestId('audit-table').count(), 0, 'an admin page typed in shows nothing');
      assert.deepEqual(refused, [], 'the UI asked for nothing the role may not have');

      const status = await page.evaluate(async (key) => (await fetch('/api/v1/audit', { headers: { Authorization: `Bearer ${key}` } })).status, VIEWER);
      assert.equal(status, 403, 'the API refuses the viewer');
    },
    { allow: [/status of 403/] }
  );
});

test('the keyboard reaches the navigation from the top and Enter opens a page', { timeout: 30_000 }, async () => {
  await withPage(async (page) => {
    await signIn(page, OWNER);
    await page.getByTestId('tile-requests').waitFor();
    await page.reload();
    await page.getByTestId('whoami').waitFor();

    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'skip-link', 'the skip link comes first');
    const skip = await page.getByTestId('skip-link').boundingBox();
    assert.ok(skip && skip.y >= 0, 'the skip link shows when focused');

    let reached = null;
    for (let i = 0; i < 12 && reached !== 'nav-servers'; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.dataset.testid || document.activeElement?.tagName);
    }
    assert.equal(reached, 'nav-servers', 'Tab reaches the navigation');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused link is visibly marked');
    await page.keyboard.press('Enter');
    await page.locator('h1', { hasText: 'Servers' }).waitFor();
    assert.equal(await page.evaluate(() => location.hash), '#/servers');
    // the focus moves in an effect after the page has rendered: wait for it (a user would not notice the frame)
    await page.waitForFunction(() => document.activeElement?.id === 'page-title', null, { timeout: 5_000 })
      .catch(() => {});
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'page-title', 'focus moves to the new page');
  });
});

test('token usage shows the month by day and model, the budgets, and the alerts that fired', { timeout: 60_000 }, async () => {
  await withPage(async (page) => {
    await signIn(page, OWNER);
    await open(page, '#/tokens', 'Token usage');
    await settled(page);
    const byModel = page.getByTestId('budgets');
    await byModel.waitFor();
    const body = await page.locator('main').textContent();
    assert.match(body, /tokens in \d+ model calls?/, 'the by-day chart counts the month\'s model calls');
    assert.match(body, /openai:/, 'usage by model names the model the agents used');
    if (E.SLUICE_ALERTED_BUDGET) {
      const fired = page.getByTestId('fired-alerts');
      await fired.waitFor();
      assert.match(await fired.textContent(), new RegExp(E.SLUICE_ALERTED_BUDGET), 'the budget alert is listed');
      assert.ok(await page.getByTestId('budget-alert').count() > 0, 'the budget past 80 % is flagged');
    }
  });
});

test('every page loads without errors or policy violations', { timeout: 90_000 }, async () => {
  // the policy is what makes the watch for violations mean something
  const policy = (await fetch(ADMIN)).headers.get('content-security-policy') || '';
  assert.match(policy, /default-src 'self'/, `/admin is served with a Content-Security-Policy: "${policy}"`);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  await withPage(async (page) => {
    await signIn(page, OWNER);
    const pages = [
      ['#/dashboard', 'Dashboard', null],
      ['#/servers', 'Servers', null],
      [`#/servers/${encodeURIComponent(SERVER)}`, SERVER, null],
      ['#/tools', 'Tool explorer', null],
      [`#/tools/${encodeURIComponent(TOOL)}`, 'Tool explorer', null],
      ['#/audit', 'Audit log', null],
      ['#/tokens', 'Token usage', 'tokens.png'],
      ['#/keys', 'API keys', null],
      ['#/agents', 'Agents', null],
      ['#/cache', 'Cache and rate limits', 'cache.png']
    ];
    for (const [route, heading, file] of pages) {
      await open(page, route, heading);
      await settled(page);
      const errors = await page.getByTestId('error').allTextContents();
      assert.deepEqual(errors, [], `${route} shows no error`);
      if (file) await shot(page, file);
    }
  });
});
