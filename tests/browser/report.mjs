// End-to-end test of manulint's HTML report in headless Chromium (Debian's
// /usr/bin/chromium, driven by playwright-core). tests/html.rs runs it:
//
//   node tests/browser/report.mjs --html report.html --json report.json --out DIR
//
// checks that the page loads nothing from the network and logs no errors
// (no Content-Security-Policy violations), that the counts it shows match
// the JSON output of the same run, that the filters (mouse and keyboard)
// leave exactly the findings they should, that the heat strip links to the
// chapters, and that print hides the controls; saves screenshots (light,
// dark, filtered) in DIR. Exits 1 with the failed checks listed.
//
//   node tests/browser/report.mjs --hostile report.html
//
// checks that a page made from a chapter full of markup opens no dialog,
// runs no script but its own, shows no image and shows the markup as text.
//
//   node tests/browser/report.mjs --measure report.html
//
// prints how long the page takes to load and render, in milliseconds.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) {
      args[key] = true;
    } else {
      args[key] = next;
      i++;
    }
  }
  return args;
}

const failures = [];
function check(condition, what, detail) {
  if (condition) {
    console.log(`ok   ${what}`);
  } else {
    console.log(`FAIL ${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
    failures.push(what);
  }
}
function equal(actual, expected, what) {
  check(JSON.stringify(actual) === JSON.stringify(expected), what, { actual, expected });
}

async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'manulint-chromium-'));
  // A fresh --user-data-dir per run (playwright passes it from here).
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Visible findings, by their data attributes. */
async function visibleFindings(page) {
  return page.$$eval('article.finding', (all) =>
    all
      .filter((f) => f.offsetParent !== null)
      .map((f) => ({ rule: f.dataset.rule, severity: f.dataset.severity, chapter: f.dataset.chapter })),
  );
}

async function measure(file) {
  const { context, close } = await launch();
  const page = context.pages()[0] || (await context.newPage());
  const started = Date.now();
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  const loaded = Date.now() - started;
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      domContentLoaded: Math.round(nav.domContentLoadedEventEnd),
      load: Math.round(nav.loadEventEnd),
      firstContentfulPaint: paint ? Math.round(paint.startTime) : null,
      findings: document.querySelectorAll('article.finding').length,
    };
  });
  // One filter over every finding, timed in the page.
  const filterMs = await page.evaluate(() => {
    const select = document.querySelector('select[name="rule"]');
    const t = performance.now();
    select.value = select.options[select.options.length - 1].value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    document.body.getBoundingClientRect();
    return Math.round(performance.now() - t);
  });
  console.log(JSON.stringify({ file, wallMs: loaded, ...timing, filterMs }));
  await close();
}

async function hostile(file) {
  const { context, close } = await launch();
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: 'load' });
  await page.waitForTimeout(300);
  equal(await page.evaluate(() => document.scripts.length), 1, 'one script: the report\'s own');
  equal(await page.evaluate(() => document.images.length), 0, 'no image element');
  const text = await page.evaluate(() => document.body.innerText);
  check(text.includes('She typed <script>alert(1)</script> into the box'), 'the script tag shows as text');
  check(text.includes('"><img src=x onerror=alert(1)>'), 'the img tag shows as text');
  check(text.includes('"><img src=x onerror=alert(2)>.txt'), 'the file name shows as text');
  equal(problems, [], 'no dialog, error or CSP violation');
  await close();
}

async function run(args) {
  const expected = JSON.parse(readFileSync(args.json, 'utf8'));
  const diagnostics = expected.diagnostics;
  const byRule = {};
  for (const d of diagnostics) {
    byRule[d.rule] = (byRule[d.rule] || 0) + 1;
  }
  const { context, close } = await launch();
  const page = context.pages()[0] || (await context.newPage());
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  // The report's own hostile-text check: nothing may open a dialog.
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    d.dismiss();
  });

  const url = pathToFileURL(resolve(args.html)).href;
  await page.goto(url, { waitUntil: 'load' });

  // Self-contained, and the Content-Security-Policy let our own script and
  // style run (a blocked one logs an error).
  const foreign = requests.filter((u) => u !== url && !u.startsWith('data:'));
  equal(foreign, [], 'the page requests nothing but itself');
  check((await page.$('meta[http-equiv="Content-Security-Policy"]')) !== null, 'the page has a Content-Security-Policy');
  check(await page.isVisible('#filters'), 'the script ran: the filter form is shown');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(background !== 'rgba(0, 0, 0, 0)', 'the inline stylesheet applied', background);

  // Counts shown = counts in the JSON output of the same run.
  const shownCount = async (name) =>
    Number((await page.textContent(`[data-count="${name}"]`)).replace(/,/g, ''));
  equal(await shownCount('error'), expected.summary.errors, 'errors shown = JSON summary.errors');
  equal(await shownCount('warning'), expected.summary.warnings, 'warnings shown = JSON summary.warnings');
  equal(await shownCount('info'), expected.summary.infos, 'infos shown = JSON summary.infos');
  equal(await shownCount('all'), diagnostics.length, 'findings shown = JSON diagnostics');
  equal((await visibleFindings(page)).length, diagnostics.length, 'every finding is on the page');
  equal(await page.$$eval('table.chapters tbody tr', (r) => r.length), expected.summary.files, 'one chapter row per file');
  const ruleTotals = await page.$$eval('table.rules tbody tr', (rows) =>
    rows.filter((r) => r.dataset.total !== '0').map((r) => [r.dataset.rule, Number(r.dataset.total)]),
  );
  ruleTotals.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  equal(ruleTotals, Object.keys(byRule).sort().map((k) => [k, byRule[k]]), 'findings per rule = JSON');
  equal(await page.textContent('#shown'), `Showing all ${diagnostics.length} findings`, 'status before filtering');

  await page.screenshot({ path: join(args.out, 'report-light.png'), fullPage: true });
  await page.screenshot({ path: join(args.out, 'report-light-top.png') });

  // Filter by rule (mouse): only that rule's findings remain.
  const rule = args.rule || 'anachronism';
  await page.selectOption('select[name="rule"]', rule);
  let visible = await visibleFindings(page);
  equal(visible.length, byRule[rule], `rule filter leaves the ${rule} findings`);
  check(visible.every((f) => f.rule === rule), `rule filter leaves only ${rule}`);
  equal(await page.textContent('#shown'), `Showing ${byRule[rule]} of ${diagnostics.length} findings`, 'status after the rule filter');
  const sectionsShown = await page.$$eval('section.chapter', (s) => s.filter((x) => !x.hidden).map((x) => x.dataset.chapter));
  const chaptersWithRule = [...new Set(visible.map((f) => f.chapter))];
  equal(sectionsShown, chaptersWithRule, 'only chapters with matching findings are shown');
  await page.locator('#filters').screenshot({ path: join(args.out, 'filters.png') });
  await page.locator('#findings').screenshot({ path: join(args.out, 'report-filtered.png') });

  // Severity (keyboard): reset, then Space on the "info" checkbox.
  await page.click('#filters button[type="reset"]');
  await page.waitForFunction(() => document.getElementById('shown').textContent.startsWith('Showing all'));
  await page.focus('input[name="severity"][value="info"]');
  await page.keyboard.press('Space');
  visible = await visibleFindings(page);
  equal(visible.length, diagnostics.length - expected.summary.infos, 'unchecking info (Space) hides the infos');
  check(visible.every((f) => f.severity !== 'info'), 'no info remains');

  // Chapter: the second file's findings only (on top of the severity filter).
  const second = await page.$eval('select[name="chapter"] option:nth-child(3)', (o) => o.value);
  await page.selectOption('select[name="chapter"]', second);
  visible = await visibleFindings(page);
  const secondFile = await page.$eval(`#ch-${second} h3 a`, (a) => a.textContent);
  const expectedSecond = diagnostics.filter((d) => d.file.endsWith(`/${secondFile}`) && d.severity !== 'info').length;
  equal(visible.length, expectedSecond, `chapter filter leaves ${secondFile}'s warnings and errors`);

  // Text search.
  await page.click('#filters button[type="reset"]');
  await page.fill('input[name="q"]', 'TODO');
  visible = await visibleFindings(page);
  const withTodo = diagnostics.filter((d) => d.message.includes('TODO')).length;
  check(visible.length >= withTodo && visible.length < diagnostics.length, 'text search narrows the list', { visible: visible.length, withTodo });

  // A rule's "Show" button, pressed with Enter.
  await page.click('#filters button[type="reset"]');
  await page.focus('table.rules button.show[data-rule="draft-marker"]');
  await page.keyboard.press('Enter');
  visible = await visibleFindings(page);
  equal(visible.length, byRule['draft-marker'], 'Enter on a rule\'s Show button filters to it');
  equal(await page.evaluate(() => document.activeElement.name), 'rule', 'focus moves to the rule filter');

  // The heat strip links to the chapter, and a link to a hidden chapter
  // clears the filters.
  await page.click('svg.strip a[href="#ch-0"]');
  equal(await page.evaluate(() => location.hash), '#ch-0', 'a heat-strip column links to its chapter');
  // The filters are cleared by the hash change's handler, which may run
  // after the click returns on a busy machine: wait for it.
  const shown = await page
    .waitForSelector('#ch-0', { state: 'visible', timeout: 5000 })
    .then(() => true, () => false);
  check(shown, 'the linked chapter is shown');

  // Dark mode and print.
  await page.click('#filters button[type="reset"]');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  check(dark !== background, 'dark mode changes the colours', { light: background, dark });
  await page.screenshot({ path: join(args.out, 'report-dark.png'), fullPage: true });
  await page.screenshot({ path: join(args.out, 'report-dark-top.png') });
  await page.emulateMedia({ colorScheme: 'light', media: 'print' });
  equal(await page.isVisible('#filters'), false, 'print hides the filters');
  await page.emulateMedia({ media: 'screen' });

  equal(problems, [], 'no console errors, CSP violations or dialogs');
  await close();
}

const args = parseArgs(process.argv.slice(2));
try {
  if (args.measure) {
    await measure(args.measure);
  } else if (args.hostile) {
    await hostile(args.hostile);
  } else {
    await run(args);
  }
  if (failures.length > 0) {
    console.log(`${failures.length} check(s) failed`);
    process.exit(1);
  }
  console.log('all checks passed');
} catch (error) {
  console.log(`FAIL ${error && error.stack ? error.stack : error}`);
  process.exit(1);
}
