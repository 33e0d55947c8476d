// Browser test of the built book: headless Chromium (Debian's package, never a downloaded one)
// opens every page of the site served over http and reports, as JSON on stdout:
// console errors, page errors, failed requests, images that did not load, axe-core violations
// (impact serious/critical, WCAG 2.0/2.1 A and AA; in the light and in the dark colour mode), horizontal overflow at a phone viewport, and
// whether the search page finds results. One screenshot per kind of page (desktop, desktop in the
// dark mode, and phone) is written to the screenshot folder.
//
//   node tests/browser/controleer_site.mjs --basis http://127.0.0.1:8000/ --html-map _build/html \
//        --screenshots _build/test-artefacten/screenshots [--zoekterm overvecht] [--zoektermen a,b,c]
// With --zoektermen, every term is searched as well; the report lists per term the number of hits
// and the text of the first snippets ("zoeken").
import { readdirSync, mkdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { parseArgs } from "node:util";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeBron = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const { values: opties } = parseArgs({
  options: {
    basis: { type: "string" },
    "html-map": { type: "string" },
    screenshots: { type: "string" },
    zoekterm: { type: "string", default: "overvecht" },
    zoektermen: { type: "string", default: "" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
  },
});
for (const naam of ["basis", "html-map", "screenshots"]) {
  if (!opties[naam]) throw new Error(`--${naam} is required`);
}

const TELEFOON = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const ERNSTIG = new Set(["serious", "critical"]);

// The kind of a page, from its path in the site; one screenshot per kind.
function soort(pad) {
  const regels = [
    [/^book\/intro\.html$/, "intro"],
    [/^book\/wijken\//, "wijk"],
    [/^book\/uitvoer\/factsheet-/, "factsheet"],
    [/^book\/uitvoer\/wijkprofiel-/, "wijkprofiel"],
    [/^book\/uitvoer\/pijler-/, "pijler"],
    [/^book\/uitvoer\/effectanalyse/, "effectanalyse"],
    [/^book\/uitvoer\/datakwaliteit/, "datakwaliteit"],
    [/^book\/bijlagen\/indicatoren/, "indicatoren"],
    [/^search\.html/, "zoeken"],
    [/^genindex\.html$/, "index"],
  ];
  for (const [patroon, naam] of regels) if (patroon.test(pad)) return naam;
  return "overig";
}

// Every HTML page of the site except the theme's templates under _static/.
function paginas(map, sub = "") {
  const uit = [];
  for (const item of readdirSync(join(map, sub), { withFileTypes: true })) {
    const pad = sub ? `${sub}/${item.name}` : item.name;
    if (item.isDirectory()) {
      if (!["_static", "_sources", "_images"].includes(item.name)) uit.push(...paginas(map, pad));
    } else if (item.name.endsWith(".html")) {
      uit.push(pad.split(sep).join("/"));
    }
  }
  return uit.sort();
}

// Switch the theme's colour mode as its switch does (data-mode/data-theme); true if it changed.
async function kleurmodus(pagina, modus) {
  return pagina.evaluate((m) => {
    const html = document.documentElement;
    const anders = html.dataset.theme !== m;
    html.dataset.mode = m;
    html.dataset.theme = m;
    return anders;
  }, modus);
}

// Serious and critical axe-core violations of the page as it is now.
async function axeFouten(pagina) {
  const axe = await pagina.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    AXE_TAGS);
  return axe.violations.filter((v) => ERNSTIG.has(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, hulp: v.help, aantal: v.nodes.length,
    voorbeelden: v.nodes.slice(0, 3).map((n) => ({ doel: n.target.join(" "), html: n.html.slice(0, 200),
                                                   waarom: (n.any[0] || n.all[0] || n.none[0] || {}).message })),
  }));
}

async function bezoek(browser, url, pad, bevindingen, metScreenshot) {
  // a fresh context per page: every page is checked as on a first visit (empty storage)
  const context = await browser.newContext({ locale: "nl-NL" });
  const pagina = await context.newPage();
  const fouten = { console: [], pagina: [], verzoeken: [] };
  pagina.on("console", (m) => {
    if (m.type() === "error") fouten.console.push(`${m.text()} (${m.location().url || "?"})`);
  });
  pagina.on("pageerror", (e) => fouten.pagina.push(String(e)));
  pagina.on("requestfailed", (r) => fouten.verzoeken.push(`${r.url()}: ${r.failure()?.errorText}`));
  pagina.on("response", (r) => {
    if (r.status() >= 400) fouten.verzoeken.push(`${r.url()}: HTTP ${r.status()}`);
  });
  const uit = { pad, soort: soort(pad) };
  const start = Date.now();
  try {
    await pagina.setViewportSize(DESKTOP);
    await pagina.goto(url, { waitUntil: "load", timeout: 30000 });
    if (doorverwijzing(pad)) {
      // index.html only forwards to the first page: check that it arrives there
      await pagina.waitForURL((u) => u.href !== url, { timeout: 10000 });
      await pagina.waitForLoadState("load");
      uit.doorverwezen_naar = new URL(pagina.url()).pathname;
      return;
    }
    // load every image now (also lazy ones) and list those that did not load
    uit.afbeeldingen = await pagina.evaluate(async () => {
      const imgs = [...document.images];
      await Promise.all(imgs.map((img) => { img.loading = "eager"; return img.decode().catch(() => null); }));
      return { aantal: imgs.length,
               kapot: imgs.filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.getAttribute("src")) };
    });
    if (pad.includes("?q=")) {
      // Sphinx fills #search-results asynchronously from searchindex.js
      await pagina.waitForSelector("#search-results ul.search li", { timeout: 20000 }).catch(() => null);
      uit.zoekresultaten = await pagina.locator("#search-results ul.search li").count();
    }
    await pagina.evaluate(axeBron);
    // axe and a desktop screenshot in the light mode and in the dark mode a reader can switch to
    for (const [modus, veld, naam] of [["light", "axe", "desktop"], ["dark", "axe_donker", "donker"]]) {
      if (await kleurmodus(pagina, modus)) await pagina.waitForTimeout(500);  // the theme's colour transitions
      uit[veld] = await axeFouten(pagina);
      if (metScreenshot) {
        await pagina.screenshot({ path: join(opties.screenshots, `${uit.soort}-${naam}.png`), fullPage: false });
      }
    }
    await kleurmodus(pagina, "light");
    // phone: the page body must not scroll sideways (wide tables scroll in their own container)
    await pagina.setViewportSize(TELEFOON);
    await pagina.waitForTimeout(100);
    uit.telefoon = await pagina.evaluate(() => {
      const breedte = document.documentElement.clientWidth;
      const inScrollbak = (el) => {
        // inside a scrolling container, or off-canvas (fixed: e.g. the theme's closed sidebar drawer)
        if (getComputedStyle(el).position === "fixed") return true;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const stijl = getComputedStyle(p);
          if (stijl.overflowX !== "visible" || stijl.position === "fixed") return true;
        }
        return false;
      };
      const beschrijf = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "") +
        ` (rechterrand ${Math.round(el.getBoundingClientRect().right)}px)`;
      const te_breed = [...document.querySelectorAll("body *")].filter((el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.right > breedte + 1 && !inScrollbak(el);
      });
      return { breedte, scrollbreedte: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth),
               te_breed: te_breed.slice(0, 5).map(beschrijf) };
    });
    if (metScreenshot) {
      await pagina.screenshot({ path: join(opties.screenshots, `${uit.soort}-telefoon.png`), fullPage: false });
    }
  } catch (fout) {
    uit.fout = String(fout);
  } finally {
    uit.duur_ms = Date.now() - start;
    await context.close();
    Object.assign(uit, { console: fouten.console, paginafouten: fouten.pagina, verzoeken: fouten.verzoeken });
    bevindingen.push(uit);
  }
}

// A page that only forwards to another one (<meta http-equiv="refresh">), like index.html.
function doorverwijzing(pad) {
  const bestand = join(opties["html-map"], pad.split("?")[0]);
  return /<meta[^>]+http-equiv=["']?refresh/i.test(readFileSync(bestand, "utf8"));
}

mkdirSync(opties.screenshots, { recursive: true });
const browser = await chromium.launch({
  executablePath: opties.chromium,
  headless: true,
  // Playwright gives every launch a fresh temporary profile (user data dir)
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const bevindingen = [];
const gehad = new Set();
const lijst = paginas(opties["html-map"]);
lijst.push(`search.html?q=${encodeURIComponent(opties.zoekterm)}`);
for (const pad of lijst) {
  const naam = soort(pad);
  const metScreenshot = !gehad.has(naam) && (naam !== "zoeken" || pad.includes("?q="));
  if (metScreenshot) gehad.add(naam);
  await bezoek(browser, new URL(pad, opties.basis).href, pad, bevindingen, metScreenshot);
}
// each search term: the hits and their snippets, once Sphinx has finished (it adds hits one by one)
const zoeken = [];
for (const term of opties.zoektermen.split(",").filter((t) => t)) {
  const pagina = await browser.newPage({ viewport: DESKTOP });
  await pagina.goto(new URL(`search.html?q=${encodeURIComponent(term)}`, opties.basis).href);
  await pagina.waitForFunction(() => {
    const status = document.querySelector("#search-results .search-summary");
    return typeof Search !== "undefined" && Search._pulse_status < 0 && status && status.textContent.trim();
  }, null, { timeout: 30000 }).catch(() => null);
  const treffers = await pagina.locator("#search-results ul.search li").count();
  const fragmenten = await pagina.locator("#search-results ul.search li p.context").evaluateAll(
    (ps) => ps.slice(0, 5).map((p) => p.textContent));
  zoeken.push({ term, treffers, fragmenten });
  await pagina.close();
}
const versie = browser.version();
await browser.close();
console.log(JSON.stringify({ chromium: versie, paginas: bevindingen, zoeken }, null, 1));
