// "Cijfers verkennen": the explorer of the results table (page book/gegenereerd/verkenner.md).
// Self-written, no dependencies. Reads the data the build writes (boek.verkenner: _static/verkenner/cijfers.js
// sets window.vwVerkennerData, so it works from file:// too), draws the
// trend chart (SVG) and the tables, keeps the selection in the URL hash (so back works and a view
// can be shared), and downloads exactly the rows and columns the table shows as a Dutch-Excel CSV.
(function () {
  "use strict";
  const wortel = document.getElementById("vw-verkenner");
  if (!wortel) return;
  const SVG = "http://www.w3.org/2000/svg";
  let D = null;  // the data file
  let rijen = [];  // rows as objects
  let ctxRijen = [];  // the other wijken (D.context), rows as objects with context: true
  const ctxIndex = new Map();  // "wijkcode|indicator|meting" -> row
  // c: the other wijken in the trend view ("", "vergelijkbaar", "gemeente"); t: rows of the big table ("", "alle")
  // op, om, ot: the pijler x meting view (pijler, meting, which verdict its marks show)
  const st = { i: null, w: null, v: [], c: "", z: "", g: "", m: "", p: "", s: "", r: 1, t: "", op: "", om: "", ot: "" };
  const TEKENS = [["rest", "oordeel_rest", "tegenover de rest van de gemeente"], ["vorige", "oordeel_vorige", "tegenover de vorige meting"],
    ["nulmeting", "oordeel_nulmeting", "tegenover de nulmeting"]];
  const CONTEXT_KEUZES = ["", "vergelijkbaar", "gemeente"];

  // ------------------------------------------------------------ Dutch numbers (as weergave.opmaak)
  function getal(x, dec) {
    if (x === null || x === undefined || Number.isNaN(x)) return D.stijl.onbekend;
    // round half up after removing binary noise, like opmaak.getal
    const a = Math.abs(Number(Math.abs(x).toPrecision(12)));
    const f = Math.pow(10, dec);
    const r = Math.floor(a * f + 0.5 + 1e-9) / f;
    let [heel, frac] = r.toFixed(dec).split(".");
    heel = heel.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    let t = frac ? heel + "," + frac : heel;
    if (x < 0 && /[1-9]/.test(t)) t = D.stijl.min + t;
    return t;
  }
  function waarde(rij, kol) {
    if (rij.onderdrukt) return D.stijl.geheim;
    const ind = D.indicatoren[rij.indicator];
    const x = rij[kol];
    return x === null ? D.stijl.onbekend : getal(x * ind.schaal, ind.decimalen);
  }
  // the number a cell shows (sorting follows what the reader sees: shares in percent, not fractions)
  function getoond(rij, kol) {
    return rij.onderdrukt || rij[kol] === null ? null : rij[kol] * D.indicatoren[rij.indicator].schaal;
  }
  function eenheid(ind) { return ind.eenheid === "%" ? "%" : ind.eenheid; }

  // ------------------------------------------------------------ the URL hash
  function leesAdres() {
    const q = new URLSearchParams(location.hash.slice(1));
    const inds = indicatorLijst().map(([k]) => k), geb = lijst("gebieden").map(([k]) => k);
    st.i = inds.includes(q.get("indicator")) ? q.get("indicator") : inds[0];
    st.w = geb.includes(q.get("wijk")) ? q.get("wijk") : geb[0];
    st.v = q.has("vergelijk") ? q.get("vergelijk").split(",").filter((r) => D.rollen.includes(r) && r !== "wijk")
      : ["rest_gemeente", "gemeente"];
    st.c = CONTEXT_KEUZES.includes(q.get("context")) ? q.get("context") : "";
    st.t = q.get("rijen") === "alle" ? "alle" : "";
    st.op = lijst("pijlers").map(([k]) => k).includes(q.get("overzicht-pijler")) ? q.get("overzicht-pijler") : lijst("pijlers").map(([k]) => k)[0];
    st.om = D.metingen.map(String).includes(q.get("overzicht-meting")) ? q.get("overzicht-meting") : String(D.metingen[D.metingen.length - 1]);
    st.ot = TEKENS.some(([k]) => k === q.get("overzicht-teken")) ? q.get("overzicht-teken") : "rest";
    st.z = q.get("zoek") || ""; st.g = q.get("gebied") || ""; st.m = q.get("meting") || "";
    st.p = q.get("pijler") || ""; st.s = q.get("sorteer") || ""; st.r = q.get("richting") === "af" ? -1 : 1;
  }
  function schrijfAdres() {
    const q = new URLSearchParams();
    q.set("indicator", st.i); q.set("wijk", st.w); q.set("vergelijk", st.v.join(","));
    q.set("overzicht-pijler", st.op); q.set("overzicht-meting", st.om); q.set("overzicht-teken", st.ot);
    for (const [k, v] of [["context", st.c], ["rijen", st.t], ["zoek", st.z], ["gebied", st.g], ["meting", st.m], ["pijler", st.p], ["sorteer", st.s]]) {
      if (v) q.set(k, v);
    }
    if (st.s && st.r < 0) q.set("richting", "af");
    const nieuw = "#" + q.toString();
    if (nieuw !== location.hash) history.pushState(null, "", nieuw);
  }

  // ------------------------------------------------------------ small DOM helpers
  function el(naam, attrs, ...kind) {
    const e = document.createElement(naam);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "tekst") e.textContent = v; else e.setAttribute(k, v);
    }
    for (const k of kind) if (k !== null && k !== undefined) e.append(k);
    return e;
  }
  function html(t) {
    return String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function svg(naam, attrs, tekst) {
    const e = document.createElementNS(SVG, naam);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (tekst !== undefined) e.textContent = tekst;
    return e;
  }
  function keuze(id, label, opties, waardeNu, bijWijziging) {
    const s = el("select", { id });
    for (const [w, t] of opties) {
      const o = el("option", { value: w, tekst: t });
      if (w === waardeNu) o.selected = true;
      s.append(o);
    }
    s.addEventListener("change", () => bijWijziging(s.value));
    return el("div", { class: "vw-veld" }, el("label", { for: id, tekst: label }), s);
  }
  // indicators, gebieden, pijlers in the book's order (the data file's keys are sorted)
  function lijst(soort) { return ((D.volgorde && D.volgorde[soort]) || Object.keys(D[soort])).map((k) => [k, D[soort][k]]); }
  function indicatorLijst() { return lijst("indicatoren"); }
  function rolNaam(rol, gebied) { return D.gebieden[gebied].rollen[rol]; }
  function hoofdletter(t) { return t.charAt(0).toUpperCase() + t.slice(1); }

  // ------------------------------------------------------------ marks (the book's symbols)
  function vorm(v, x, y, r, kleur, gevuld) {
    const vul = gevuld ? kleur : "var(--vw-verkenner-achtergrond, #fff)";
    const a = { stroke: kleur, "stroke-width": 1.6, fill: vul };
    const pt = (lijst) => svg("polygon", { ...a, points: lijst.map(([dx, dy]) => `${x + dx * r},${y + dy * r}`).join(" ") });
    switch (v) {
      case "driehoek_op": return pt([[0, -1.2], [1.1, 0.8], [-1.1, 0.8]]);
      case "driehoek_neer": return pt([[0, 1.2], [1.1, -0.8], [-1.1, -0.8]]);
      case "ruit": return pt([[0, -1.1], [1, 0], [0, 1.1], [-1, 0]]);
      case "vierkant": return pt([[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]);
      case "zeshoek": return pt([0, 1, 2, 3, 4, 5].map((k) => [Math.cos(Math.PI / 3 * k + Math.PI / 6), Math.sin(Math.PI / 3 * k + Math.PI / 6)]));
      case "plus": return pt([[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1],
                              [-0.35, 1], [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]]);
      default: return svg("circle", { ...a, cx: x, cy: y, r: r * 0.9 });
    }
  }
  function rolKleur(rol) {
    const k = D.stijl.rol[rol].kleur;
    return k === "#000000" ? "currentColor" : k;  // black (Nederland) stays readable in the dark mode
  }

  // ------------------------------------------------------------ the other wijken (context)
  function heeftContext(ind) { return ctxRijen.some((r) => r.indicator === ind); }
  // a wijk that is or contains a code of the gebied (the wijk around a buurt) is the gebied itself
  function eigenWijk(code, gebied) { return D.gebieden[gebied].codes.some((c) => c.slice(2, 8) === code.slice(2, 8)); }
  function contextWijken() {
    if (!st.c || !heeftContext(st.i)) return [];
    if (st.c === "vergelijkbaar") return (D.context.vergelijkbaar[st.w] || { wijken: [] }).wijken;
    const gm = D.gebieden[st.w].gemeentecode;
    return Object.keys(D.context.wijken).filter((c) => D.context.wijken[c].gemeente === gm && !eigenWijk(c, st.w));
  }
  function contextReeksen() {
    return contextWijken().map((code) => ({ code, rijen: D.metingen.map((m) => ctxIndex.get(`${code}|${st.i}|${m}`) || null) }));
  }
  function wijkLabel(code) {
    const w = D.context.wijken[code];
    return w.label + (w.monitorgebied ? `, in monitorgebied ${D.gebieden[w.monitorgebied].naam}` : "");
  }
  function contextKleur() { return D.stijl.context.kleur === "tekst" ? "currentColor" : D.stijl.context.kleur; }
  function contextNaam() {
    return st.c === "vergelijkbaar" ? `wijken zoals ${D.gebieden[st.w].naam}` : `andere wijken van ${D.gebieden[st.w].gemeente}`;
  }

  // ------------------------------------------------------------ part 1: trend chart + table
  function trendRijen() {
    const rollen = ["wijk", ...D.rollen.filter((r) => st.v.includes(r))];
    return rollen.map((rol) => ({ rol, rijen: D.metingen.map((m) => rijen.find(
      (r) => r.gebied === st.w && r.indicator === st.i && r.rol === rol && r.meting === m) || null) }));
  }

  function tekenTrend(doel) {
    const ind = D.indicatoren[st.i];
    const reeksen = trendRijen();
    const ctx = contextReeksen();
    const W = 640, H = 320, L = 56, R = 16, T = 16, B = 44;
    const alle = [...reeksen, ...ctx].flatMap((s) => s.rijen).filter((r) => r && !r.onderdrukt && r.schatting !== null);
    let hoog = Math.max(0, ...alle.map((r) => (r.ci_hoog ?? r.schatting) * ind.schaal));
    let laag = Math.min(0, ...alle.map((r) => (r.ci_laag ?? r.schatting) * ind.schaal));
    if (hoog === laag) hoog = laag + 1;
    const stap = Math.pow(10, Math.floor(Math.log10((hoog - laag) / 4)));
    const st2 = [1, 2, 2.5, 5, 10].map((k) => k * stap).find((s) => (hoog - laag) / s <= 6);
    hoog = Math.ceil(hoog / st2) * st2; laag = Math.floor(laag / st2) * st2;
    const y = (v) => T + (H - T - B) * (1 - (v - laag) / (hoog - laag));
    const n = D.metingen.length;
    const x = (k) => L + (W - L - R) * (n === 1 ? 0.5 : (k + 0.5) / n);
    const titel = `${ind.naam}: ${D.gebieden[st.w].naam} en vergelijkingsgebieden, metingen ${D.metingen.join(", ")}`;
    const s = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "vw-trend-titel vw-trend-uitleg",
                           class: "vw-trend" });
    s.append(svg("title", { id: "vw-trend-titel" }, titel));
    s.append(svg("desc", { id: "vw-trend-uitleg" }, `Eenheid ${eenheid(ind)}. De cijfers staan in de tabel onder de grafiek.`));
    for (let v = laag; v <= hoog + st2 / 1e6; v += st2) {
      s.append(svg("line", { x1: L, x2: W - R, y1: y(v), y2: y(v), class: "vw-raster" }));
      s.append(svg("text", { x: L - 6, y: y(v) + 4, "text-anchor": "end", class: "vw-as" }, getal(v, st2 < 1 ? 1 : 0)));
    }
    s.append(svg("text", { x: 12, y: (T + H - B) / 2, transform: `rotate(-90 12 ${(T + H - B) / 2})`, "text-anchor": "middle",
                           class: "vw-as" }, eenheid(ind)));
    D.metingen.forEach((m, k) => s.append(svg("text", { x: x(k), y: H - B + 18, "text-anchor": "middle", class: "vw-as" },
      String(m) + (m === D.nulmeting ? " (nul)" : ""))));
    const dx = (i) => (i - (reeksen.length - 1) / 2) * 9;  // areas side by side, so intervals do not overlap
    // the other wijken first (behind): a thin line and a short tick per published value, no interval
    const cs = D.stijl.context;
    for (const reeks of ctx) {
      const g = svg("g", { "data-context": reeks.code, class: "vw-context", opacity: cs.dekking, stroke: contextKleur() });
      g.append(svg("title", {}, wijkLabel(reeks.code)));
      let pad = "", vorige = false;
      reeks.rijen.forEach((r, k) => {
        const er = r && !r.onderdrukt && r.schatting !== null;
        if (er) {
          pad += `${vorige ? "L" : "M"}${x(k)},${y(r.schatting * ind.schaal)} `;
          g.append(svg("line", { x1: x(k) - 5, x2: x(k) + 5, y1: y(r.schatting * ind.schaal), y2: y(r.schatting * ind.schaal),
                                 "stroke-width": cs.lijndikte * 1.5, "data-meting": r.meting }));
        }
        vorige = er;
      });
      if (pad) g.prepend(svg("path", { d: pad.trim(), fill: "none", "stroke-width": cs.lijndikte }));
      s.append(g);
    }
    reeksen.forEach((reeks, i) => {
      const kleur = rolKleur(reeks.rol);
      const g = svg("g", { "data-rol": reeks.rol });
      let pad = "", vorige = false;  // a line breaks where a value is missing or suppressed
      reeks.rijen.forEach((r, k) => {
        const er = r && !r.onderdrukt && r.schatting !== null;
        if (er) pad += `${vorige ? "L" : "M"}${x(k) + dx(i)},${y(r.schatting * ind.schaal)} `;
        vorige = er;
      });
      if (pad) g.append(svg("path", { d: pad.trim(), fill: "none", stroke: kleur, "stroke-width": 1.5 }));
      reeks.rijen.forEach((r, k) => {
        const xx = x(k) + dx(i);
        if (r && r.onderdrukt) {
          g.append(svg("text", { x: xx, y: T + 10 + 12 * i, "text-anchor": "middle", class: "vw-geheim", fill: kleur }, D.stijl.geheim));
          return;
        }
        if (!r || r.schatting === null) return;
        if (r.ci_laag !== null && r.ci_hoog !== null) {
          g.append(svg("line", { x1: xx, x2: xx, y1: y(r.ci_laag * ind.schaal), y2: y(r.ci_hoog * ind.schaal), stroke: kleur,
                                 "stroke-width": 2 }));
        }
        const yy = y(r.schatting * ind.schaal);
        const o = reeks.rol === "wijk" && r.oordeel_nulmeting ? D.stijl.oordeel[r.oordeel_nulmeting] : null;
        const mark = o ? vorm(o.vorm === "streep" ? "cirkel" : o.vorm, xx, yy, 5.5, kleur, o.gevuld)
          : vorm(D.stijl.rol[reeks.rol].vorm, xx, yy, 4, kleur, true);
        mark.setAttribute("data-meting", r.meting);
        g.append(mark);
      });
      s.append(g);
    });
    doel.append(el("figure", { class: "vw-trendfiguur" }, s, el("figcaption", {},
      el("strong", { tekst: titel }), ` (${eenheid(ind)}). Lijnen: 95%-betrouwbaarheidsinterval; `,
      `${D.stijl.geheim}: niet gepubliceerd. Bron: resultatentabel van de monitor${D.demodata ? " — DEMODATA, geen echte cijfers" : ""}.`)));
    const legenda = el("ul", { class: "vw-legenda", "aria-label": "Legenda" });
    for (const reeks of reeksen) {
      const li = el("li", {});
      const k = svg("svg", { width: 16, height: 16, "aria-hidden": "true" });
      k.append(vorm(reeks.rol === "wijk" ? "cirkel" : D.stijl.rol[reeks.rol].vorm, 8, 8, 5, rolKleur(reeks.rol), true));
      li.append(k, " " + hoofdletter(rolNaam(reeks.rol, st.w)));
      legenda.append(li);
    }
    if (ctx.length) {
      const li = el("li", {});
      const k = svg("svg", { width: 16, height: 16, "aria-hidden": "true" });
      k.append(svg("line", { x1: 1, x2: 15, y1: 8, y2: 8, stroke: contextKleur(), opacity: cs.dekking, "stroke-width": cs.lijndikte * 1.5 }));
      li.append(k, ` ${hoofdletter(contextNaam())} (${getal(ctx.length, 0)}; dunne lijn, zonder interval)`);
      legenda.append(li);
    }
    const gebruikt = new Set(reeksen[0].rijen.filter((r) => r && r.oordeel_nulmeting).map((r) => r.oordeel_nulmeting));
    for (const code of Object.keys(D.stijl.oordeel).filter((c) => gebruikt.has(c))) {
      const o = D.stijl.oordeel[code];
      legenda.append(el("li", {}, `${o.teken} wijk, tegenover de nulmeting: ${o.uitleg}`));
    }
    doel.append(legenda);
  }

  // the cells of one row of the trend table after Gebied and Meting (a missing row: six times "no data")
  function trendCellen(r, oordeel) {
    if (!r) return Array.from({ length: 6 }, () => el("td", { tekst: D.stijl.onbekend }));
    return [el("td", { class: "vw-getal", tekst: waarde(r, "schatting") }), el("td", { class: "vw-getal", tekst: waarde(r, "ci_laag") }),
      el("td", { class: "vw-getal", tekst: waarde(r, "ci_hoog") }),
      el("td", { class: "vw-getal", tekst: r.n_ongewogen === null ? D.stijl.onbekend : getal(r.n_ongewogen, 0) }),
      el("td", { tekst: oordeel }), el("td", { tekst: redenTekst(r.reden) })];
  }
  function trendTabel(doel) {
    const ind = D.indicatoren[st.i];
    const t = el("table", { class: "vw-tabel", id: "vw-trendtabel" });
    t.append(el("caption", { tekst: `${ind.naam} (${eenheid(ind)}), ${D.gebieden[st.w].naam}` }));
    const kop = el("tr", {}, el("th", { scope: "col", tekst: "Gebied" }), el("th", { scope: "col", tekst: "Meting" }),
      el("th", { scope: "col", tekst: "Waarde" }), el("th", { scope: "col", tekst: "Ondergrens" }),
      el("th", { scope: "col", tekst: "Bovengrens" }), el("th", { scope: "col", tekst: "n" }),
      el("th", { scope: "col", tekst: "Tegenover nulmeting" }), el("th", { scope: "col", tekst: "Reden" }));
    t.append(el("thead", {}, kop));
    const tb = el("tbody", {});
    for (const reeks of trendRijen()) {
      reeks.rijen.forEach((r, k) => {
        const tr = el("tr", { "data-rol": reeks.rol, "data-meting": D.metingen[k] },
          el("th", { scope: "row", tekst: hoofdletter(rolNaam(reeks.rol, st.w)) }), el("td", { tekst: String(D.metingen[k]) }));
        const o = r && r.oordeel_nulmeting ? D.stijl.oordeel[r.oordeel_nulmeting] : null;
        tr.append(...trendCellen(r, reeks.rol === "wijk" && o ? `${o.teken} ${o.tekst}` : ""));
        tb.append(tr);
      });
    }
    for (const reeks of contextReeksen()) {
      reeks.rijen.forEach((r, k) => {
        const tr = el("tr", { "data-context": reeks.code, "data-meting": D.metingen[k], class: "vw-contextrij" },
          el("th", { scope: "row", tekst: wijkLabel(reeks.code) }), el("td", { tekst: String(D.metingen[k]) }));
        tr.append(...trendCellen(r, ""));
        tb.append(tr);
      });
    }
    t.append(tb);
    kopLabels(t);
    doel.append(el("div", { class: "vw-scroll" }, t));
  }

  // every cell gets its column heading as data-kop: on a phone a row is shown as a card, "heading: value"
  function kopLabels(t) {
    const koppen = [...t.querySelectorAll("thead th")].map((th) => th.textContent);
    for (const tr of t.querySelectorAll("tbody tr")) [...tr.children].forEach((c, k) => c.setAttribute("data-kop", koppen[k]));
  }

  // ------------------------------------------------------------ part 2: one pijler, one meting, every gebied
  function overzicht(doel) {
    const keuzes = el("div", { class: "vw-keuzes", role: "group", "aria-label": "Keuze voor het overzicht" });
    keuzes.append(keuze("vw-o-pijler", "Pijler", lijst("pijlers"), st.op, (v) => { st.op = v; schrijfAdres(); teken(); }));
    keuzes.append(keuze("vw-o-meting", "Meting", D.metingen.map((m) => [String(m), String(m)]), st.om,
      (v) => { st.om = v; schrijfAdres(); teken(); }));
    keuzes.append(keuze("vw-o-teken", "Teken", TEKENS.map(([k, , t]) => [k, t]), st.ot, (v) => { st.ot = v; schrijfAdres(); teken(); }));
    doel.append(keuzes);
    const [, kol, tekenNaam] = TEKENS.find(([k]) => k === st.ot);
    const gebieden = lijst("gebieden").map(([k]) => k);
    const inds = indicatorLijst().filter(([, i]) => i.pijler === st.op);
    const t = el("table", { class: "vw-tabel", id: "vw-overzicht" });
    t.append(el("caption", { tekst: `${D.pijlers[st.op]}: alle indicatoren per monitorgebied, meting ${st.om}. `
      + `Het teken achter een cijfer geeft de toets ${tekenNaam}.` }));
    const kop = el("tr", {}, el("th", { scope: "col", tekst: "Indicator" }));
    for (const g of gebieden) kop.append(el("th", { scope: "col", tekst: `${D.gebieden[g].naam} (${D.gebieden[g].gemeente})` }));
    t.append(el("thead", {}, kop));
    const tb = el("tbody", {});
    const gebruikt = new Set();
    for (const [id, ind] of inds) {
      const tr = el("tr", { "data-indicator": id }, el("th", { scope: "row", tekst: `${ind.naam} (${eenheid(ind)})` }));
      for (const g of gebieden) {
        const r = rijen.find((x) => x.gebied === g && x.indicator === id && x.rol === "wijk" && String(x.meting) === st.om);
        const td = el("td", { class: "vw-getal", "data-gebied": g });
        if (!r) td.textContent = ind.gebieden.length && !ind.gebieden.includes(g) ? "niet gemeten" : D.stijl.onbekend;
        else if (r.onderdrukt) td.append(D.stijl.geheim, el("span", { class: "vw-reden", tekst: ` (${redenTekst(r.reden)})` }));
        else {
          td.append(waarde(r, "schatting"));
          const o = r[kol] ? D.stijl.oordeel[r[kol]] : null;
          if (o) { td.append(" ", el("span", { class: "vw-teken", title: o.uitleg, tekst: o.teken })); gebruikt.add(r[kol]); }
        }
        tr.append(td);
      }
      tb.append(tr);
    }
    t.append(tb);
    kopLabels(t);
    doel.append(el("div", { class: "vw-scroll" }, t));
    const legenda = el("ul", { class: "vw-legenda", "aria-label": "Tekens in het overzicht" });
    for (const code of Object.keys(D.stijl.oordeel).filter((c) => gebruikt.has(c))) {
      const o = D.stijl.oordeel[code];
      legenda.append(el("li", {}, `${o.teken} ${tekenNaam}: ${o.uitleg}`));
    }
    legenda.append(el("li", {}, `${D.stijl.geheim}: niet gepubliceerd, met de reden`));
    doel.append(legenda);
  }
  function redenTekst(code) { return (D.redenen && D.redenen[code]) || code || ""; }

  // ------------------------------------------------------------ part 3: the whole table
  const KOLOMMEN = [
    ["wijk", "Wijk", (r) => (r.context ? D.context.wijken[r.wijkcode].label : D.gebieden[r.gebied].naam)],
    ["gebied", "Gebied", (r) => (r.context ? "Wijk (context)" : hoofdletter(rolNaam(r.rol, r.gebied)))],
    ["indicator", "Indicator", (r) => D.indicatoren[r.indicator].naam],
    ["eenheid", "Eenheid", (r) => eenheid(D.indicatoren[r.indicator])],
    ["meting", "Meting", (r) => String(r.meting)],
    ["waarde", "Waarde", (r) => waarde(r, "schatting"), (r) => getoond(r, "schatting")],
    ["laag", "Ondergrens", (r) => waarde(r, "ci_laag"), (r) => getoond(r, "ci_laag")],
    ["hoog", "Bovengrens", (r) => waarde(r, "ci_hoog"), (r) => getoond(r, "ci_hoog")],
    ["n", "n", (r) => (r.n_ongewogen === null ? D.stijl.onbekend : getal(r.n_ongewogen, 0)), (r) => r.n_ongewogen],
    ["rest", "Tegenover rest", (r) => (r.oordeel_rest ? `${D.stijl.oordeel[r.oordeel_rest].teken} ${D.stijl.oordeel[r.oordeel_rest].tekst}` : "")],
    ["reden", "Reden", (r) => redenTekst(r.reden)],
  ];
  function gefilterd() {
    const z = st.z.toLowerCase();
    const gm = st.g ? D.gebieden[st.g].gemeentecode : "";
    const bron = st.t === "alle" ? [...rijen, ...ctxRijen] : rijen;
    let uit = bron.filter((r) => (!st.g || (r.context ? D.context.wijken[r.wijkcode].gemeente === gm : r.gebied === st.g)) && (!st.m || String(r.meting) === st.m)
      && (!st.p || D.indicatoren[r.indicator].pijler === st.p)
      && (!z || KOLOMMEN.some(([, , f]) => f(r).toLowerCase().includes(z))));
    const kol = KOLOMMEN.find((k) => k[0] === st.s);
    if (kol) {
      const sleutel = kol[3] || kol[2];
      uit = uit.map((r, k) => [r, k]).sort((a, b) => {
        const x = sleutel(a[0]), y = sleutel(b[0]);
        if (x === y) return a[1] - b[1];
        if (x === null || x === undefined) return 1;  // empty and suppressed last, whatever the direction
        if (y === null || y === undefined) return -1;
        return (typeof x === "number" ? x - y : String(x).localeCompare(String(y), "nl")) * st.r || a[1] - b[1];
      }).map(([r]) => r);
    }
    return uit;
  }

  function heleTabel(doel) {
    const filters = el("div", { class: "vw-keuzes", role: "group", "aria-label": "Filters van de tabel" });
    const zoek = el("input", { id: "vw-zoek", type: "search", value: st.z });
    zoek.addEventListener("change", () => { st.z = zoek.value; schrijfAdres(); teken(); });
    filters.append(el("div", { class: "vw-veld" }, el("label", { for: "vw-zoek", tekst: "Zoek in de tabel" }), zoek));
    filters.append(keuze("vw-f-gebied", "Wijk", [["", "alle wijken"], ...lijst("gebieden").map(([k, g]) => [k, g.naam])],
      st.g, (v) => { st.g = v; schrijfAdres(); teken(); }));
    filters.append(keuze("vw-f-meting", "Meting", [["", "alle metingen"], ...D.metingen.map((m) => [String(m), String(m)])],
      st.m, (v) => { st.m = v; schrijfAdres(); teken(); }));
    filters.append(keuze("vw-f-pijler", "Pijler", [["", "alle pijlers"], ...lijst("pijlers")], st.p,
      (v) => { st.p = v; schrijfAdres(); teken(); }));
    if (ctxRijen.length) {
      filters.append(keuze("vw-f-rijen", "Rijen", [["", "monitorgebieden"], ["alle", "monitorgebieden en alle wijken van de gemeenten"]],
        st.t, (v) => { st.t = v; schrijfAdres(); teken(); }));
    }
    doel.append(filters);
    const zicht = gefilterd();
    const t = el("table", { class: "vw-tabel", id: "vw-heletabel" });
    const totaal = rijen.length + (st.t === "alle" ? ctxRijen.length : 0);
    t.append(el("caption", { tekst: `Resultatentabel${st.t === "alle" ? " met alle wijken" : ""}: ${getal(zicht.length, 0)} van `
      + `${getal(totaal, 0)} rijen${st.g && st.t === "alle" ? ` (de wijken van ${D.gebieden[st.g].gemeente})` : ""}. `
      + "Klik op een kolomkop om te sorteren." }));
    const kop = el("tr", {});
    for (const [id, naam] of KOLOMMEN) {
      const knop = el("button", { type: "button", "data-kolom": id, tekst: naam });
      knop.addEventListener("click", () => {
        st.r = st.s === id ? -st.r : 1; st.s = id; schrijfAdres(); teken();
        document.querySelector(`#vw-heletabel button[data-kolom="${id}"]`).focus();
      });
      const th = el("th", { scope: "col" }, knop);
      th.setAttribute("aria-sort", st.s === id ? (st.r > 0 ? "ascending" : "descending") : "none");
      kop.append(th);
    }
    t.append(el("thead", {}, kop));
    const tb = el("tbody", {});
    // thousands of rows: one HTML string (every text escaped) is several times faster than an element per cell
    const getallen = new Set(["waarde", "laag", "hoog", "n"]);
    const cellen = KOLOMMEN.map(([id, naam], k) => [k === 0 ? "th" : "td",
      `${k === 0 ? ' scope="row"' : ""}${getallen.has(id) ? ' class="vw-getal"' : ""} data-kop="${html(naam)}"`]);
    tb.innerHTML = zicht.map((r) => "<tr>" + KOLOMMEN.map(([, , f], k) =>
      `<${cellen[k][0]}${cellen[k][1]}>${html(f(r))}</${cellen[k][0]}>`).join("") + "</tr>").join("");
    t.append(tb);
    doel.append(el("div", { class: "vw-scroll vw-scroll-hoog", tabindex: "0", role: "region", "aria-label": "Resultatentabel" }, t));
    const knop = el("button", { type: "button", id: "vw-download", class: "vw-knop", tekst: "Download wat je ziet (CSV)" });
    knop.addEventListener("click", () => download(zicht));
    doel.append(knop);
  }

  function csvTekst(zicht) {
    const cel = (t) => {
      t = String(t).split(D.stijl.min).join("-");
      return /[";\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    };
    const regels = [KOLOMMEN.map(([, naam]) => cel(naam)).join(";")];
    for (const r of zicht) regels.push(KOLOMMEN.map(([, , f]) => cel(f(r))).join(";"));
    return "\uFEFF" + regels.join("\r\n") + "\r\n";
  }
  function download(zicht) {
    const blob = new Blob([csvTekst(zicht)], { type: "text/csv;charset=utf-8" });
    const a = el("a", { href: URL.createObjectURL(blob), download: "cijfers-verkennen.csv" });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // ------------------------------------------------------------ the page
  function teken() {
    const actief = document.activeElement && document.activeElement.id;
    wortel.replaceChildren();
    const inds = indicatorLijst().filter(([, i]) => !i.gebieden.length || i.gebieden.includes(st.w));
    if (!inds.some(([k]) => k === st.i)) st.i = inds[0][0];
    const keuzes = el("div", { class: "vw-keuzes", role: "group", "aria-label": "Keuze voor de grafiek" });
    keuzes.append(keuze("vw-indicator", "Indicator", inds.map(([k, i]) => [k, `${i.naam} (${D.pijlers[i.pijler]})`]), st.i,
      (v) => { st.i = v; schrijfAdres(); teken(); }));
    keuzes.append(keuze("vw-wijk", "Wijk", lijst("gebieden").map(([k, g]) => [k, `${g.naam} (${g.gemeente})`]), st.w,
      (v) => { st.w = v; schrijfAdres(); teken(); }));
    const vak = el("fieldset", { class: "vw-veld vw-vergelijk" }, el("legend", { tekst: "Vergelijk met" }));
    for (const rol of D.rollen.filter((r) => r !== "wijk")) {
      const c = el("input", { type: "checkbox", id: `vw-v-${rol}`, value: rol });
      c.checked = st.v.includes(rol);
      c.addEventListener("change", () => {
        st.v = D.rollen.filter((r) => r !== "wijk" && document.getElementById(`vw-v-${r}`).checked);
        schrijfAdres(); teken();
      });
      vak.append(el("span", { class: "vw-vinkje" }, c, el("label", { for: `vw-v-${rol}`, tekst: rolNaam(rol, st.w) })));
    }
    keuzes.append(vak);
    if (ctxRijen.length) {
      const ctxVak = el("fieldset", { class: "vw-veld vw-vergelijk" }, el("legend", { tekst: "Vergelijk ook met" }));
      const aantal = (D.context.vergelijkbaar[st.w] || { wijken: [] }).wijken.length;
      const opties = [["", "geen andere wijken"], ["vergelijkbaar", `wijken zoals deze (${getal(aantal, 0)})`],
        ["gemeente", `alle wijken van ${D.gebieden[st.w].gemeente}`]];
      const kan = heeftContext(st.i);
      for (const [w, t] of opties) {
        const c = el("input", { type: "radio", name: "vw-context", id: `vw-c-${w || "geen"}`, value: w });
        c.checked = st.c === w;
        if (!kan && w) c.disabled = true;
        c.addEventListener("change", () => { st.c = w; schrijfAdres(); teken(); });
        ctxVak.append(el("span", { class: "vw-vinkje" }, c, el("label", { for: `vw-c-${w || "geen"}`, tekst: t })));
      }
      if (!kan) ctxVak.append(el("p", { class: "vw-noot", tekst: "Voor deze indicator zijn er geen cijfers van andere wijken (alleen de kernset)." }));
      keuzes.append(ctxVak);
    }
    wortel.append(el("h2", { tekst: "Ontwikkeling over de metingen" }), keuzes);
    tekenTrend(wortel);
    trendTabel(wortel);
    wortel.append(el("h2", { tekst: "Een pijler in één meting: alle indicatoren, alle monitorgebieden" }));
    overzicht(wortel);
    wortel.append(el("h2", { tekst: "De hele resultatentabel" }));
    heleTabel(wortel);
    if (actief && document.getElementById(actief)) document.getElementById(actief).focus();
    wortel.setAttribute("data-klaar", "ja");
  }

  function start(data) {
    D = data;
    rijen = D.rijen.map((cellen) => Object.fromEntries(D.kolommen.map((k, j) => [k, cellen[j]])));
    const ck = (D.context && D.context.kolommen) || [];
    ctxRijen = ((D.context && D.context.rijen) || []).map((cellen) => ({ context: true, rol: "wijk",
      ...Object.fromEntries(ck.map((k, j) => [k, cellen[j]])) }));
    for (const r of ctxRijen) ctxIndex.set(`${r.wijkcode}|${r.indicator}|${r.meting}`, r);
    leesAdres();
    teken();
    window.addEventListener("popstate", () => { leesAdres(); teken(); });
    window.vwVerkenner = { csvTekst: () => csvTekst(gefilterd()), data: D };
  }
  // the data come as a script (_static/verkenner/cijfers.js, a <script> tag before this one): no fetch, so
  // the page works from file:// too
  if (window.vwVerkennerData && Array.isArray(window.vwVerkennerData.rijen)) {
    start(window.vwVerkennerData);
  } else {
    wortel.replaceChildren(el("p", { class: "vw-fout", role: "alert",
      tekst: "De cijfers konden niet worden geladen: het bestand _static/verkenner/cijfers.js van deze site ontbreekt of is "
        + "niet gelezen. Bouw het boek opnieuw (vwanalyse build)." }));
  }
})();
