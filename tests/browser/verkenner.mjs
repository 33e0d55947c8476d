// Browser test of "Cijfers verkennen" (book/_static/verkenner.js): reports, as JSON on stdout, what
// the explorer shows for each given selection, whether a shared URL restores the view and the back
// button the previous one, and the whole table as shown next to the CSV the download button gives.
// tests/test_verkenner.py compares all of it with the results table.
//
//   node tests/browser/verkenner.mjs --basis http://127.0.0.1:8000/ --selecties '[{"indicator":..,"wijk":..,"vergelijk":[..],"context":""}]'
//        [--filter '{"gebied":"overvecht","meting":"2025","rijen":"alle"}'] [--overzichten '[{"pijler":..,"meting":..,"teken":"rest"}]']
//        [--bestand /pad/naar/_build/html]   (also open the page as file://, without a server)
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const { values: opties } = parseArgs({ options: {
  basis: { type: "string" }, selecties: { type: "string" }, filter: { type: "string", default: "{}" },
  overzichten: { type: "string", default: "[]" }, bestand: { type: "string" },
  chromium: { type: "string", default: "/usr/bin/chromium" } } });
const PAGINA = new URL("book/gegenereerd/verkenner.html", opties.basis).href;
const browser = await chromium.launch({ executablePath: opties.chromium, headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
const context = await browser.newContext({ locale: "nl-NL", acceptDownloads: true });
const fouten = [];

async function open(url) {
  const p = await context.newPage();
  p.on("pageerror", (e) => fouten.push(String(e)));
  p.on("console", (m) => { if (m.type() === "error") fouten.push(m.text()); });
  await p.goto(url, { waitUntil: "load" });
  await p.waitForSelector('#vw-verkenner[data-klaar="ja"]', { timeout: 15000 });
  return p;
}
async function trend(p) {
  return p.evaluate(() => ({
    hash: location.hash,
    indicator: document.getElementById("vw-indicator").value,
    wijk: document.getElementById("vw-wijk").value,
    rijen: [...document.querySelectorAll("#vw-trendtabel tbody tr[data-rol]")].map((tr) => ({
      rol: tr.dataset.rol, meting: Number(tr.dataset.meting), cellen: [...tr.children].map((c) => c.textContent) })),
    markeringen: [...document.querySelectorAll("svg.vw-trend g[data-rol]")].map((g) => ({
      rol: g.dataset.rol, metingen: [...g.querySelectorAll("[data-meting]")].map((m) => Number(m.dataset.meting)),
      geheim: g.querySelectorAll("text.vw-geheim").length })),
    context: [...document.querySelectorAll("#vw-trendtabel tbody tr[data-context]")].map((tr) => ({
      code: tr.dataset.context, meting: Number(tr.dataset.meting), cellen: [...tr.children].map((c) => c.textContent) })),
    contextlijnen: [...document.querySelectorAll("svg.vw-trend g[data-context]")].map((g) => ({
      code: g.dataset.context, metingen: [...g.querySelectorAll("[data-meting]")].map((m) => Number(m.dataset.meting)) })),
    tekst: document.getElementById("vw-verkenner").innerText,
  }));
}
async function overzicht(p) {
  return p.evaluate(() => ({
    hash: location.hash,
    pijler: document.getElementById("vw-o-pijler").value, meting: document.getElementById("vw-o-meting").value,
    teken: document.getElementById("vw-o-teken").value,
    kop: [...document.querySelectorAll("#vw-overzicht thead th")].map((c) => c.textContent),
    rijen: [...document.querySelectorAll("#vw-overzicht tbody tr")].map((tr) => ({ indicator: tr.dataset.indicator,
      cellen: Object.fromEntries([...tr.querySelectorAll("td")].map((c) => [c.dataset.gebied, c.textContent])) })) }));
}
const adres = (s) => `${PAGINA}#indicator=${s.indicator}&wijk=${s.wijk}&vergelijk=${s.vergelijk.join(",")}`
  + (s.context ? `&context=${s.context}` : "");
const uit = { selecties: [], overzichten: [], fouten };
for (const s of JSON.parse(opties.selecties)) {
  const p = await open(adres(s));
  uit.selecties.push({ selectie: s, ...(await trend(p)) });
  await p.close();
}
// choose with the keyboard-operable controls, share the URL, go back
{
  const lijst = JSON.parse(opties.selecties);
  const [a, b] = [lijst[0], lijst[lijst.length - 1]];
  const p = await open(adres(a));
  const voor = await trend(p);
  await p.selectOption("#vw-wijk", b.wijk);
  const radio = `#vw-c-${b.context || "geen"}`;
  if (await p.isEnabled(radio)) await p.check(radio);
  await p.selectOption("#vw-indicator", b.indicator);
  const na = await trend(p);
  const gedeeld = await open(PAGINA + na.hash);
  const hersteld = await trend(gedeeld);
  await gedeeld.close();
  await p.goBack();
  await p.waitForFunction((h) => location.hash !== h && document.getElementById("vw-indicator"), na.hash);
  const terug = await trend(p);
  uit.adres = { voor, na, hersteld, terug };
  await p.close();
}
// the pijler x meting view: each asked view by its URL; the last one also chosen with the controls, shared, back
{
  const lijst = JSON.parse(opties.overzichten);
  const url = (o) => `${PAGINA}#overzicht-pijler=${o.pijler}&overzicht-meting=${o.meting}&overzicht-teken=${o.teken}`;
  for (const o of lijst) {
    const p = await open(url(o));
    uit.overzichten.push({ selectie: o, ...(await overzicht(p)) });
    await p.close();
  }
  if (lijst.length > 1) {
    const [a, b] = [lijst[0], lijst[lijst.length - 1]];
    const p = await open(url(a));
    const voor = await overzicht(p);
    await p.selectOption("#vw-o-pijler", b.pijler);
    await p.selectOption("#vw-o-meting", String(b.meting));
    await p.selectOption("#vw-o-teken", b.teken);
    const na = await overzicht(p);
    const gedeeld = await open(PAGINA + na.hash);
    const hersteld = await overzicht(gedeeld);
    await gedeeld.close();
    await p.goBack();
    await p.waitForFunction((h) => location.hash !== h && document.getElementById("vw-o-pijler"), na.hash);
    const terug = await overzicht(p);
    uit.overzicht_adres = { voor, na, hersteld, terug };
    await p.close();
  }
}
// the whole table, filtered and sorted with its controls, and its download
{
  const f = JSON.parse(opties.filter);
  const p = await open(PAGINA);
  if (f.rijen) await p.selectOption("#vw-f-rijen", f.rijen);
  if (f.gebied) await p.selectOption("#vw-f-gebied", f.gebied);
  if (f.meting) await p.selectOption("#vw-f-meting", f.meting);
  await p.click('#vw-heletabel button[data-kolom="waarde"]');
  await p.click('#vw-heletabel button[data-kolom="waarde"]');  // descending
  const tabel = await p.evaluate(() => ({
    hash: location.hash,
    kop: [...document.querySelectorAll("#vw-heletabel thead th")].map((c) => c.textContent),
    rijen: [...document.querySelectorAll("#vw-heletabel tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent)) }));
  const [download] = await Promise.all([p.waitForEvent("download"), p.click("#vw-download")]);
  const csv = readFileSync(await download.path());
  uit.tabel = { ...tabel, bestandsnaam: download.suggestedFilename(), csv_hex_begin: csv.subarray(0, 3).toString("hex"),
                csv: csv.toString("utf8") };
  await p.close();
}
// the new views (context lines and rows, pijler x meting, the table with every wijk) under axe-core in the light
// and the dark mode (serious/critical, WCAG 2.0/2.1 A and AA, as controleer_site.mjs), and at 390 px no sideways
// scrolling of the page body
{
  const axeBron = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
  const s = JSON.parse(opties.selecties).find((x) => x.context) || JSON.parse(opties.selecties)[0];
  const p = await open(adres({ ...s, context: s.context || "gemeente" }) + "&rijen=alle&meting=" + (JSON.parse(opties.filter).meting || ""));
  await p.evaluate(axeBron);
  uit.toegankelijk = {};
  for (const modus of ["light", "dark"]) {
    await p.evaluate((m) => { document.documentElement.dataset.mode = m; document.documentElement.dataset.theme = m; }, modus);
    await p.waitForTimeout(500);
    const axe = await p.evaluate(() => window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                                                                    resultTypes: ["violations"] }));
    uit.toegankelijk[modus] = axe.violations.filter((v) => ["serious", "critical"].includes(v.impact))
      .map((v) => ({ id: v.id, impact: v.impact, aantal: v.nodes.length, voorbeeld: v.nodes[0].html.slice(0, 160) }));
  }
  await p.setViewportSize({ width: 390, height: 844 });
  await p.waitForTimeout(200);
  uit.toegankelijk.telefoon = await p.evaluate(() => ({ breedte: document.documentElement.clientWidth,
    scrollbreedte: Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) }));
  await p.close();
}
// opened directly from disk (file://): the data come by a <script> tag, no fetch
if (opties.bestand) {
  const p = await open(new URL("book/gegenereerd/verkenner.html", "file://" + opties.bestand.replace(/\/?$/, "/")).href
    + "#context=vergelijkbaar");
  uit.bestand = await p.evaluate(() => ({ klaar: document.getElementById("vw-verkenner").dataset.klaar,
    trendrijen: document.querySelectorAll("#vw-trendtabel tbody tr").length,
    contextrijen: document.querySelectorAll("#vw-trendtabel tbody tr[data-context]").length,
    tabelrijen: document.querySelectorAll("#vw-heletabel tbody tr").length }));
  await p.close();
}
await browser.close();
console.log(JSON.stringify(uit));
