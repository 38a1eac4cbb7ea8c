#!/usr/bin/env node
// Headless Chromium opens the annual monitoring report (run by
// tests/tests/api/monitoring_report.rs): the page is requested with the region admin's bearer
// token (extraHTTPHeaders), the network is restricted to the server itself (anything else is
// aborted and reported), the charts are counted in the DOM (svg.chart elements, their bars,
// trend line and points, and whether each was laid out with a size), and a full-page PNG
// screenshot (A4-wide viewport) is written to the output directory as report.png.
//
// Usage: node report.mjs <report-url> --token TOKEN --out DIR [--lang zh-CN|en]
// Environment: CHROMIUM (default /usr/bin/chromium). Playwright never downloads a browser here.
// Output: one JSON line {"check": "report", "ok", ...}. Exit 0 when the page loaded with its
// charts, 1 otherwise, 2 on bad usage.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = 30_000;

function usage(message) {
  console.error(`${message}\nusage: node report.mjs <report-url> --token TOKEN --out DIR [--lang zh-CN|en]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let url;
let token;
let out;
let lang = 'zh-CN';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--token') token = args[++i];
  else if (args[i] === '--out') out = args[++i];
  else if (args[i] === '--lang') lang = args[++i];
  else if (!url) url = args[i];
  else usage(`unexpected argument ${args[i]}`);
}
if (!url || !token || !out) usage('the report URL, --token and --out are required');
let origin;
try {
  origin = new URL(url).origin;
} catch (e) {
  usage(String(e));
}
mkdirSync(out, { recursive: true });

const watchdog = setTimeout(() => {
  console.log(JSON.stringify({ check: 'report', ok: false, error: 'timed out' }));
  process.exit(1);
}, 4 * TIMEOUT_MS);
watchdog.unref();

const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  timeout: TIMEOUT_MS,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic'],
});
let result;
try {
  // A little wider than an A4 page (794 CSS pixels at 96 dpi), as a screen shows it.
  const context = await browser.newContext({
    viewport: { width: 900, height: 1200 },
    extraHTTPHeaders: { Authorization: `Bearer ${token}`, 'Accept-Language': lang },
  });
  const aborted = [];
  await context.route('**/*', (route) => {
    const target = route.request().url();
    if (new URL(target).origin === origin) return route.continue();
    aborted.push(target);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  const res = await page.goto(url, { waitUntil: 'load', timeout: TIMEOUT_MS });
  const dom = await page.evaluate(() => {
    const charts = [...document.querySelectorAll('svg.chart')];
    return {
      title: document.title,
      lang: document.documentElement.lang,
      charts: charts.length,
      bars: document.querySelectorAll('svg.chart rect.bar').length,
      lines: document.querySelectorAll('svg.chart path.line').length,
      points: document.querySelectorAll('svg.chart circle.point').length,
      thresholds: document.querySelectorAll('svg.chart line.threshold').length,
      chartsRendered: charts.every((c) => {
        const box = c.getBoundingClientRect();
        return box.width > 300 && box.height > 50;
      }),
      scripts: document.querySelectorAll('script').length,
      stampBoxes: document.querySelectorAll('.stamp div').length,
    };
  });
  const screenshot = join(out, 'report.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  const status = res?.status();
  const ok = status === 200 && aborted.length === 0 && pageErrors.length === 0 && dom.charts === 4 &&
    dom.lines === 1 && dom.chartsRendered && dom.scripts === 0;
  result = { check: 'report', ok, status, ...dom, aborted, pageErrors, screenshot,
    browser: `${executablePath} ${browser.version()}` };
} catch (e) {
  result = { check: 'report', ok: false, error: String(e) };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
