// Load time of "Cijfers verkennen" in the browser (used by bench/bench_verkenner.py): opens the page
// `--runs` times, each in a fresh browser context (empty cache), and reports per run the milliseconds from
// the start of the navigation until the explorer has drawn (data-klaar="ja" on #vw-verkenner, seen by a
// MutationObserver installed before any script runs), the load event, and the resource timings of the
// data script and the explorer script. JSON on stdout.
//
//   node bench/verkenner_laden.mjs --url http://127.0.0.1:PORT/book/gegenereerd/verkenner.html --runs 10
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";

const { values: o } = parseArgs({ options: { url: { type: "string" }, runs: { type: "string", default: "10" },
  chromium: { type: "string", default: "/usr/bin/chromium" } } });
const browser = await chromium.launch({ executablePath: o.chromium, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const runs = [];
for (let k = 0; k < Number(o.runs); k++) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await context.newPage();
  await p.addInitScript(() => {
    new MutationObserver((_, obs) => {
      const w = document.getElementById("vw-verkenner");
      if (w && w.dataset.klaar === "ja") { window.__vwKlaar = performance.now(); obs.disconnect(); }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-klaar"] });
  });
  await p.goto(o.url, { waitUntil: "load" });
  await p.waitForFunction(() => window.__vwKlaar !== undefined, null, { timeout: 30000 });
  runs.push(await p.evaluate(() => {
    const nav = performance.getEntriesByType("navigation")[0];
    const bron = (naam) => {
      const e = performance.getEntriesByType("resource").find((r) => r.name.endsWith(naam));
      return e ? { ms: e.duration, bytes: e.encodedBodySize || e.transferSize } : null;
    };
    return { klaar_ms: window.__vwKlaar, load_ms: nav.loadEventEnd, data: bron("verkenner/cijfers.js"),
             script: bron("_static/verkenner.js") };
  }));
  await context.close();
}
await browser.close();
console.log(JSON.stringify(runs));
