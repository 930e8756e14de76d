// Opens every page of the built dashboard in headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core), waits until its charts have
// drawn, takes a full-page screenshot and writes what a reader sees as JSON:
// the label and shown value of every big number, Evidence's error blocks,
// the charts and how many pixels each one painted.
//
//   node check/render.mjs BASE_URL SCREENSHOT_DIR OUT.json page [page ...]
//
// A page is a path under BASE_URL ('' for the home page).
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [base, shotDir, outFile, ...pages] = process.argv.slice(2);
if (!base || !shotDir || !outFile || pages.length === 0) {
	console.error('usage: render.mjs BASE_URL SCREENSHOT_DIR OUT.json page [page ...]');
	process.exit(2);
}
fs.mkdirSync(shotDir, { recursive: true });

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	// no network but 127.0.0.1: background services would only fail to
	// connect; playwright gives the browser a new empty profile
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync']
});

// what the page shows, read in the page once its charts have drawn
function readPage() {
	const article = document.querySelector('#evidence-main-article') || document.body;
	const text = (el) => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
	// BigValue: <p>title</p> followed by a <div> holding the formatted value
	const values = [];
	for (const p of article.querySelectorAll('p')) {
		const next = p.nextElementSibling;
		if (next && next.tagName === 'DIV' && next.querySelector('span')) {
			values.push({ label: text(p), value: text(next.querySelector('span')) });
		}
	}
	// every Evidence error block (ErrorChart, BigValueError, ValueError) is
	// drawn red on red: bg-red-50 with border-red-200
	const errors = [...article.querySelectorAll('.bg-red-50.border-red-200')].map(text);
	const empty = [...article.querySelectorAll('p, span')]
		.filter((e) => text(e) === 'No Records').length;
	const charts = [...article.querySelectorAll('[_echarts_instance_]')].map((c) => {
		let painted = 0;
		for (const canvas of c.querySelectorAll('canvas')) {
			const ctx = canvas.getContext('2d');
			if (!ctx || canvas.width === 0 || canvas.height === 0) continue;
			const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
			for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) painted++;
		}
		return { width: c.clientWidth, height: c.clientHeight, painted };
	});
	// a component whose query has not answered yet shows a pulsing skeleton
	const loading = article.querySelectorAll('.animate-pulse').length;
	const tables = article.querySelectorAll('table').length;
	const h1 = article.querySelector('h1');
	return { title: h1 ? text(h1) : '', values, errors, empty, loading, charts, tables };
}

const result = [];
let failed = false;
for (const name of pages) {
	const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
	const problems = [];
	page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error') problems.push(`console error: ${m.text().slice(0, 300)}`);
	});
	// Evidence cancels the fetches of prerendered results it no longer needs
	// (net::ERR_ABORTED); anything else is a problem
	page.on('requestfailed', (r) => {
		const why = r.failure()?.errorText || '';
		if (why !== 'net::ERR_ABORTED') problems.push(`request failed (${why}): ${r.url()}`);
	});
	page.on('response', (r) => {
		if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
	});
	const url = base.replace(/\/$/, '') + '/' + name;
	const t0 = Date.now();
	try {
		await page.goto(url, { waitUntil: 'networkidle', timeout: 120000 });
		// charts draw client-side after DuckDB-WASM has read the data; wait
		// until nothing is loading and the number of painted pixels stops
		// changing (queries the build did not prerender, e.g. a chart per
		// row of another query, run in the browser and take seconds)
		let last = -1;
		for (let i = 0; i < 60; i++) {
			await page.waitForTimeout(500);
			const now = await page.evaluate(readPage);
			const sum = now.charts.reduce((a, c) => a + c.painted, 0) + now.values.length;
			if (sum === last && i >= 3 && now.loading === 0) break;
			last = sum;
		}
		const shot = path.join(shotDir, (name.replace(/\/$/, '') || 'index') + '.png');
		await page.screenshot({ path: shot, fullPage: true });
		const seen = await page.evaluate(readPage);
		result.push({ page: name, url, screenshot: shot, ms: Date.now() - t0, problems, ...seen });
		console.log(`  /${name}: ${seen.charts.length} charts, ${seen.values.length} big numbers, ` +
			`${seen.errors.length} error blocks, ${seen.loading} still loading, ` +
			`${((Date.now() - t0) / 1000).toFixed(1)} s`);
	} catch (e) {
		failed = true;
		result.push({ page: name, url, problems: [...problems, `could not render: ${e.message}`] });
	}
	await page.close();
}
await browser.close();
fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
process.exit(failed ? 1 : 0);
