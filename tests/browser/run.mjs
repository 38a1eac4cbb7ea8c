#!/usr/bin/env node
// Headless Chromium checks of a running Credit Bank server (run by tests/tests/api/browser.rs):
//
//   graphiql     GraphiQL at `/` loads with the network restricted to the server itself (any
//                request elsewhere, e.g. to a CDN, is aborted and fails the check), runs a
//                public query and shows its result, and its documentation explorer shows the
//                schema (GraphiQL's introspection query was answered).
//   cors-allowed A page on an origin the server allows (default http://portal.example) POSTs
//                JSON to /graphql and can read the answer.
//   cors-denied  A page on an origin the server does not allow (default http://evil.example)
//                cannot: fetch rejects with a TypeError.
//
// Usage: node run.mjs <server-url> [--allowed-origin URL] [--denied-origin URL]
// Environment: CHROMIUM (default /usr/bin/chromium). Playwright never downloads a browser here.
// Output: one JSON line per check ({"check", "ok", ...}), then {"summary": true, "ok", ...}.
// Exit status 0 when every check passed, 1 when one failed, 2 on bad usage.

import http from 'node:http';
import { chromium } from 'playwright-core';

const QUERY = '{ region(code: "370202") { code name level } }';
const EXPECTED = '市南区';
const TIMEOUT_MS = 30_000;

function usage(message) {
  console.error(`${message}\nusage: node run.mjs <server-url> [--allowed-origin URL] [--denied-origin URL]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let serverArg;
let allowedOrigin = 'http://portal.example';
let deniedOrigin = 'http://evil.example';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--allowed-origin') allowedOrigin = args[++i];
  else if (args[i] === '--denied-origin') deniedOrigin = args[++i];
  else if (!serverArg) serverArg = args[i];
  else usage(`unexpected argument ${args[i]}`);
}
if (!serverArg) usage('the server URL is missing');
let SERVER;
try {
  SERVER = new URL(serverArg).origin;
  allowedOrigin = new URL(allowedOrigin).origin;
  deniedOrigin = new URL(deniedOrigin).origin;
} catch (e) {
  usage(String(e));
}

const results = [];
function report(check, ok, details) {
  const line = { check, ok, ...details };
  results.push(line);
  console.log(JSON.stringify(line));
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

// A hung browser must not hang the Rust test forever.
const watchdog = setTimeout(() => {
  console.log(JSON.stringify({ summary: true, ok: false, error: 'timed out', results }));
  process.exit(1);
}, 5 * TIMEOUT_MS);
watchdog.unref();

/** GraphiQL, offline: only the server's own origin is reachable. */
async function graphiql(browser) {
  const context = await browser.newContext();
  const aborted = [];
  const served = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (originOf(url) === SERVER) {
      served.push(new URL(url).pathname);
      return route.continue();
    }
    aborted.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const pageErrors = [];
  const failed = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('response', async (r) => {
    const path = originOf(r.url()) === SERVER ? new URL(r.url()).pathname : r.url();
    if (r.status() >= 400 && path !== '/favicon.ico') {
      const entry = { status: r.status(), path, request: r.request().postData()?.slice(0, 300) };
      failed.push(entry);
      entry.body = await r.text().then((t) => t.slice(0, 500), String);
    }
  });
  try {
    const res = await page.goto(`${SERVER}/`, { waitUntil: 'load', timeout: TIMEOUT_MS });
    const status = res?.status();
    if (aborted.length > 0) throw new Error('the page requested other origins');
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: TIMEOUT_MS });
    await page.evaluate((q) => {
      document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(q);
    }, QUERY);
    await page.click('.graphiql-execute-button', { timeout: TIMEOUT_MS });
    await page.waitForFunction(
      (expected) => {
        const cm = document.querySelector('.graphiql-response .CodeMirror');
        return cm && cm.CodeMirror.getValue().includes(expected);
      },
      EXPECTED,
      { timeout: TIMEOUT_MS },
    );
    const result = await page.evaluate(() => document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue());
    // The documentation explorer shows the schema only when GraphiQL's introspection query was
    // answered (a depth or complexity limit can refuse it).
    let docs;
    try {
      await page.click('button[aria-label="Show Documentation Explorer"]', { timeout: TIMEOUT_MS });
      const explorer = page.locator('.graphiql-doc-explorer');
      const error = page.locator('.graphiql-doc-explorer-error');
      await explorer.getByText('Root Types').or(error).first().waitFor({ timeout: TIMEOUT_MS });
      docs = (await error.count()) > 0 ? 'error fetching schema' : 'schema loaded';
    } catch (e) {
      docs = String(e);
    }
    let parsed = null;
    try {
      parsed = JSON.parse(result);
    } catch {
      // reported below as not ok
    }
    const ok =
      status === 200 &&
      aborted.length === 0 &&
      pageErrors.length === 0 &&
      failed.length === 0 &&
      docs === 'schema loaded' &&
      parsed?.data?.region?.name === EXPECTED;
    report('graphiql', ok, { status, query: QUERY, result: parsed ?? result, docs, served, aborted, failed, pageErrors });
  } catch (e) {
    report('graphiql', false, { error: String(e), served, aborted, failed, pageErrors });
  } finally {
    await context.close();
  }
}

/** The page a third-party origin serves: one cross-origin POST to the server's /graphql. */
function probePage() {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>portal</title><link rel="icon" href="data:,"></head>
<body><pre id="answer">not run</pre>
<script>
  window.probe = async () => {
    const answer = document.getElementById('answer');
    let outcome;
    try {
      const res = await fetch(${JSON.stringify(`${SERVER}/graphql`)}, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      outcome = { read: true, status: res.status, body: await res.text() };
    } catch (e) {
      outcome = { read: false, error: e.name, message: e.message };
    }
    answer.textContent = JSON.stringify(outcome);
    return outcome;
  };
</script></body></html>`;
}

/**
 * The third-party origins' web server, on a loopback port; Chromium resolves their host names to
 * it (--host-resolver-rules below). Not route.fulfill: while a route is set Playwright answers
 * every CORS preflight itself, allowing everything, so the server's own preflight answer would go
 * untested; and Chromium's Local/Private Network Access rules refuse a fetch to the loopback
 * server from a page it does not know to be loopback too.
 */
async function startPortals(origins) {
  const hosts = new Set(origins.map((o) => new URL(o).host));
  const served = [];
  const server = http.createServer((req, res) => {
    served.push(`${req.headers.host}${req.url}`);
    if (hosts.has(req.headers.host) && req.method === 'GET' && req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(probePage());
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, port: server.address().port, served };
}

/** A page on `origin` POSTs to the server; `readable` says whether it should see the answer. */
async function cors(browser, check, origin, readable) {
  const context = await browser.newContext();
  const elsewhere = [];
  const page = await context.newPage();
  page.on('request', (r) => {
    const o = originOf(r.url());
    if (o !== SERVER && !(o === origin && new URL(r.url()).pathname === '/')) elsewhere.push(r.url());
  });
  try {
    const res = await page.goto(`${origin}/`, { waitUntil: 'load', timeout: TIMEOUT_MS });
    const status = res?.status();
    const outcome = await page.evaluate(() => window.probe());
    const dom = await page.textContent('#answer');
    let data = null;
    if (outcome.read) {
      try {
        data = JSON.parse(outcome.body).data;
      } catch {
        // reported below as not ok
      }
    }
    const ok =
      status === 200 &&
      elsewhere.length === 0 &&
      dom === JSON.stringify(outcome) &&
      (readable
        ? outcome.read && outcome.status === 200 && typeof data?.__typename === 'string'
        : !outcome.read && outcome.error === 'TypeError');
    report(check, ok, { origin, expected: readable ? 'readable' : 'blocked', outcome, elsewhere });
  } catch (e) {
    report(check, false, { origin, error: String(e), elsewhere });
  } finally {
    await context.close();
  }
}

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const portals = await startPortals([allowedOrigin, deniedOrigin]);
// Host names resolve to nothing but the portals' server: nothing can leave the machine by name.
const resolverRules = [
  ...new Set([allowedOrigin, deniedOrigin].map((o) => `MAP ${new URL(o).hostname} 127.0.0.1:${portals.port}`)),
  `EXCLUDE ${new URL(SERVER).hostname}`,
  'MAP * ~NOTFOUND',
].join(', ');
let browser;
try {
  // Each newContext is a fresh, incognito-like profile inside launch's own temporary user data dir.
  browser = await chromium.launch({
    executablePath,
    timeout: TIMEOUT_MS,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      `--host-resolver-rules=${resolverRules}`,
    ],
  });
} catch (e) {
  console.log(JSON.stringify({ summary: true, ok: false, error: `cannot launch ${executablePath}: ${e}` }));
  process.exit(1);
}
console.log(JSON.stringify({ browser: `${executablePath} ${browser.version()}`, server: SERVER, resolverRules }));
try {
  await graphiql(browser);
  await cors(browser, 'cors-allowed', allowedOrigin, true);
  await cors(browser, 'cors-denied', deniedOrigin, false);
} finally {
  await browser.close();
  portals.server.close();
}
const ok = results.length === 3 && results.every((r) => r.ok);
console.log(
  JSON.stringify({
    summary: true,
    ok,
    passed: results.filter((r) => r.ok).map((r) => r.check),
    portalRequests: portals.served,
  }),
);
process.exit(ok ? 0 : 1);
