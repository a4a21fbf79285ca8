// Opens an HTML file in headless Chromium (driven by the pinned playwright-core) and prints what a reader would see as JSON:
// script errors, console errors, any request that leaves the file (a self-contained report makes none), the page's own
// rendered marker, and each chart's drawn size. Usage: node render-check.cjs <deps dir> <chromium> <file.html> <shot.png>
'use strict';
const path = require('path');
const [depsDir, chromium, htmlFile, screenshot] = process.argv.slice(2);
const { chromium: browserType } = require(path.resolve(depsDir, 'node_modules', 'playwright-core'));

(async () => {
  const browser = await browserType.launch({
    executablePath: chromium,
    // This machine's network is closed: without these Chromium's background traffic fails noisily at every start.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const result = { pageErrors: [], consoleErrors: [], externalRequests: [] };
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const fileUrl = 'file://' + path.resolve(htmlFile);
    page.on('pageerror', e => result.pageErrors.push(String(e.message)));
    page.on('console', m => { if (m.type() === 'error') result.consoleErrors.push(m.text()); });
    page.on('request', r => { if (r.url() !== fileUrl) result.externalRequests.push(r.url()); });
    await page.goto(fileUrl, { waitUntil: 'load', timeout: 30000 });
    Object.assign(result, await page.evaluate(() => ({
      title: document.title,
      rendered: document.documentElement.dataset.rendered ?? null,
      charts: [...document.querySelectorAll('svg.chart')].map(svg => {
        const box = svg.getBoundingClientRect();
        // A shape counts as drawn when the browser gives it real geometry (a polyline with parsable points, a bar with width).
        const shapes = [...svg.querySelectorAll('polyline, rect')];
        const drawn = shapes.filter(s => { const b = s.getBBox(); return b.width > 0 || b.height > 0; });
        return { id: svg.id, width: box.width, height: box.height, shapes: shapes.length, drawnShapes: drawn.length };
      }),
    })));
    await page.screenshot({ path: screenshot, fullPage: true });
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(result));
})().catch(e => { console.error(e && e.stack || String(e)); process.exit(1); });
