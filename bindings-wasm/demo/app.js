// The demo page: load data, pick an initiative, see who fits and why, and
// run the global assignment. All matching is the engine's (WebAssembly).
import init, { Matcher, demoData, validate, version } from "../pkg/web/index.js";
import { csvRecords } from "./csv.js";

const VIA = {
  exact: "exact",
  synonym: "synoniem",
  broader: "breder begrip",
  narrower: "smaller begrip",
  related: "verwant",
  words: "gedeelde kernwoorden",
  fuzzy: "gelijkende tekst",
  none: "niet gedekt",
};

const REASON = {
  same_municipality: "Zelfde gemeente",
  no_capacity: "Geen capaciteit",
  language: "Andere taal",
  too_far: "Te ver weg",
  required_need_uncovered: "Verplichte behoefte niet gedekt",
};

const UNASSIGNED = {
  no_eligible_expert: "Geen geschikte deskundige",
  required_need_uncovered: "Verplichte behoefte niet gedekt",
  too_few_candidates: "Te weinig kandidaten",
  experts_full: "Kandidaten elders nodig",
};

const DEMO = { seed: 42, experts: 2000, initiatives: 40 };

const $ = (id) => document.getElementById(id);
const state = {
  experts: [],
  initiatives: [],
  registry: {},
  sources: { experts: "", initiatives: "" },
  matcher: null,
  expertsById: new Map(),
  selected: null,
};

const pct = (x) => `${(x * 100).toFixed(1).replace(".", ",")}%`;
const num = (x, d = 3) => x.toFixed(d).replace(".", ",");

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("data-") || k.startsWith("aria-") || k === "role" || k === "id" || k === "title") node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children.flat()) if (c != null) node.append(c);
  return node;
}

function municipalityName(code) {
  const name = state.registry.names?.[code];
  return name ? `${name} (${code})` : code;
}

function municipalities(expert) {
  return expert ? expert.municipalities.map(municipalityName).join(", ") : "onbekend";
}

function setStatus(text) {
  $("status").textContent = text;
}

/** Shows what went wrong: an engine ValidationError lists every problem. */
function showError(title, err) {
  const box = $("problems");
  box.replaceChildren(el("strong", { text: title }));
  const problems = err?.problems ?? [];
  if (problems.length === 0) {
    box.append(el("p", { text: String(err?.message ?? err) }));
  } else {
    const list = el("ul");
    for (const p of problems.slice(0, 50)) {
      const where = [p.kind, p.record_id ?? (p.index != null ? `#${p.index}` : null), p.field].filter(Boolean).join(" · ");
      list.append(el("li", {}, el("code", { text: p.code }), ` ${where}: ${p.message}`));
    }
    if (problems.length > 50) list.append(el("li", { text: `… en nog ${problems.length - 50} problemen` }));
    box.append(list);
  }
  box.hidden = false;
}

function clearError() {
  $("problems").hidden = true;
}

/** Builds the index over the current experts; on bad data the previous one stays. */
function rebuild() {
  clearError();
  const t = performance.now();
  let matcher;
  try {
    matcher = new Matcher(state.experts, { registry: state.registry });
  } catch (err) {
    showError("De gegevens zijn niet geldig", err);
    return false;
  }
  state.matcher?.free();
  state.matcher = matcher;
  state.expertsById = new Map(state.experts.map((e) => [e.id, e]));
  setStatus(
    `${state.experts.length} deskundigen (${state.sources.experts}) · ` +
      `${state.initiatives.length} initiatieven (${state.sources.initiatives}) · ` +
      `index gebouwd in ${Math.round(performance.now() - t)} ms`,
  );
  $("run-assign").disabled = state.initiatives.length === 0;
  $("assign-result").hidden = true;
  renderList();
  const first = state.initiatives[0];
  if (first) select(first.id);
  return true;
}

function renderList() {
  const q = $("filter").value.trim().toLowerCase();
  const list = $("initiative-list");
  list.replaceChildren();
  for (const ini of state.initiatives) {
    const text = `${ini.id} ${ini.title ?? ""} ${municipalityName(ini.municipality)}`.toLowerCase();
    if (q && !text.includes(q)) continue;
    const selected = ini.id === state.selected;
    list.append(
      el(
        "li",
        { role: "option", id: `opt-${ini.id}`, "aria-selected": String(selected), "data-id": ini.id, class: selected ? "selected" : "" },
        el("span", { class: "ini-title", text: ini.title || ini.id }),
        el("span", { class: "ini-meta", text: `${ini.id} · ${municipalityName(ini.municipality)}` }),
      ),
    );
  }
  if (state.selected) list.setAttribute("aria-activedescendant", `opt-${state.selected}`);
}

function select(id) {
  state.selected = id;
  for (const li of $("initiative-list").children) {
    const on = li.dataset.id === id;
    li.classList.toggle("selected", on);
    li.setAttribute("aria-selected", String(on));
    if (on) li.scrollIntoView({ block: "nearest" });
  }
  $("initiative-list").setAttribute("aria-activedescendant", `opt-${id}`);
  showInitiative();
}

function currentInitiative() {
  return state.initiatives.find((i) => i.id === state.selected);
}

function showInitiative() {
  const ini = currentInitiative();
  if (!ini || !state.matcher) return;
  clearError();
  const card = $("initiative");
  card.hidden = false;
  card.dataset.id = ini.id;
  card.dataset.municipality = ini.municipality;
  card.replaceChildren(
    el("h2", { text: ini.title || ini.id }),
    el("p", { class: "ini-meta", text: `${ini.id} · ${municipalityName(ini.municipality)} · ${ini.experts_wanted ?? 1} deskundige(n) gezocht` }),
    ini.description ? el("p", { class: "description", text: ini.description }) : null,
    el(
      "ul",
      { class: "needs" },
      (ini.needs ?? []).map((n) =>
        el(
          "li",
          { class: n.required ? "need required" : "need" },
          n.label,
          el("span", { class: "need-meta", text: ` ×${num(n.weight ?? 1, 1)}${n.min_level > 1 ? ` · min. niveau ${n.min_level}` : ""}${n.required ? " · verplicht" : ""}` }),
        ),
      ),
    ),
  );
  let ranking;
  try {
    const suggested = state.matcher.suggestNeeds(ini);
    const given = (ini.needs ?? []).length > 0;
    if (suggested.length) {
      card.append(
        el("p", { class: "suggest-title", text: given ? "Ook genoemd in de beschrijving:" : "Geen behoeften opgegeven; gezocht op wat de beschrijving noemt:" }),
        el(
          "ul",
          { class: "needs suggested" },
          suggested.map((s) => el("li", { class: "need suggested", title: `gevonden in: ${s.triggers.join(", ")}`, text: s.label })),
        ),
      );
    } else if (!given) {
      card.append(el("p", { class: "muted", text: "Geen behoeften opgegeven en de beschrijving noemt geen bekend onderwerp." }));
    }
    const query = given ? ini : { ...ini, needs: suggested.map((s) => ({ label: s.label })) };
    ranking = query.needs.length ? state.matcher.rankDetailed(query, Number($("k").value)) : { matches: [], excluded: [] };
  } catch (err) {
    showError(`Initiatief ${ini.id} is niet geldig`, err);
    $("matches").replaceChildren();
    return;
  }
  renderMatches(ranking.matches);
  renderExcluded(ranking.excluded);
}

function bar(value, label) {
  return el(
    "span",
    { class: "bar", role: "img", "aria-label": label },
    el("span", { class: "bar-fill", style: `width: ${Math.max(0, Math.min(1, value)) * 100}%` }),
  );
}

function renderMatches(matches) {
  $("empty").hidden = matches.length > 0;
  $("empty").textContent = matches.length ? "" : "Geen passende deskundigen gevonden.";
  const ol = $("matches");
  ol.replaceChildren();
  matches.forEach((m, i) => {
    const expert = state.expertsById.get(m.expert_id);
    const entries = m.context ? [...m.needs, { ...m.context, need: `Uit titel en beschrijving: ${m.context.need}` }] : m.needs;
    const rows = entries.map((n) =>
      el(
        "tr",
        {},
        el("td", { text: n.need }),
        el("td", { class: n.skill ? "" : "muted", text: n.skill ?? "—" }),
        el("td", {}, el("span", { class: `via via-${n.via}`, text: VIA[n.via] ?? n.via })),
        el("td", { class: "num", text: n.via === "none" ? "—" : num(n.similarity, 2) }),
        el("td", { class: "num", text: n.via === "none" ? "—" : num(n.level_factor, 2) }),
        el(
          "td",
          {},
          el("div", { class: "contrib" }, bar(m.score > 0 ? n.contribution / m.score : 0, `bijdrage ${num(n.contribution)}`), el("span", { class: "num", text: num(n.contribution) })),
        ),
      ),
    );
    const details = el(
      "details",
      { open: i === 0 },
      el(
        "summary",
        {},
        el("span", { class: "rank", text: String(i + 1) }),
        el("span", { class: "who" }, el("strong", { text: m.expert_id }), el("span", { class: "muted", text: municipalities(expert) })),
        el("span", { class: "score" }, bar(m.score, `score ${num(m.score)}`), el("span", { class: "num", text: num(m.score) })),
        m.missing_required.length ? el("span", { class: "badge-missing", text: "mist verplicht" }) : null,
      ),
      el(
        "table",
        { class: "table explain" },
        el(
          "thead",
          {},
          el("tr", {}, ["Behoefte", "Vaardigheid", "Hoe gevonden", "Gelijkenis", "Niveaufactor", "Bijdrage"].map((h) => el("th", { scope: "col", text: h }))),
        ),
        el("tbody", {}, rows),
      ),
      m.missing_required.length
        ? el("p", { class: "missing-required", text: `Mist verplichte behoefte: ${m.missing_required.join("; ")}` })
        : null,
      m.distance_km != null ? el("p", { class: "muted small", text: `Afstand ${Math.round(m.distance_km)} km` }) : null,
    );
    ol.append(
      el(
        "li",
        {
          class: "match",
          "data-expert-id": m.expert_id,
          "data-municipalities": expert ? expert.municipalities.join(" ") : "",
          "data-home": expert?.home_municipality ?? "",
          "data-score": String(m.score),
          "data-missing-required": String(m.missing_required.length),
        },
        details,
      ),
    );
  });
}

function renderExcluded(excluded) {
  const button = $("toggle-excluded");
  button.disabled = false;
  button.textContent = `${$("excluded").hidden ? "Uitgesloten deskundigen tonen" : "Uitgesloten deskundigen verbergen"} (${excluded.length})`;
  $("excluded-rows").replaceChildren(
    ...excluded.map((x) =>
      el(
        "tr",
        { class: "excluded-row", "data-expert-id": x.expert_id, "data-reason": x.reason },
        el("td", {}, el("strong", { text: x.expert_id }), el("div", { class: "muted small", text: municipalities(state.expertsById.get(x.expert_id)) })),
        el("td", {}, el("span", { class: `reason reason-${x.reason}`, text: REASON[x.reason] ?? x.reason })),
        el("td", { text: x.detail }),
      ),
    ),
  );
  if (excluded.length === 0) $("excluded-rows").append(el("tr", {}, el("td", { colSpan: 3, class: "muted", text: "Niemand uitgesloten." })));
}

function runAssign() {
  clearError();
  let a;
  const t = performance.now();
  try {
    a = state.matcher.assign(state.initiatives);
  } catch (err) {
    showError("De verdeling kon niet worden berekend", err);
    return;
  }
  const ms = Math.round(performance.now() - t);
  const byId = new Map(state.initiatives.map((i) => [i.id, i]));
  const wanted = a.initiatives.reduce((s, f) => s + f.wanted, 0);
  $("assign-summary").textContent =
    `${a.pairs.length} van ${wanted} plekken bezet · totale score ${num(a.total_score, 2)} · ` +
    `${a.stats.candidates} kandidaatparen · berekend in ${ms} ms`;
  $("pairs").replaceChildren(
    ...a.pairs.map((p) => {
      const ini = byId.get(p.initiative_id);
      return el(
        "tr",
        { class: "pair", "data-initiative-id": p.initiative_id, "data-expert-id": p.expert_id },
        el("td", {}, el("strong", { text: ini?.title || p.initiative_id }), el("div", { class: "muted small", text: `${p.initiative_id} · ${municipalityName(ini?.municipality ?? "")}` })),
        el("td", { text: p.expert_id }),
        el("td", { text: municipalities(state.expertsById.get(p.expert_id)) }),
        el("td", { class: "num", text: num(p.score) }),
      );
    }),
  );
  $("unassigned").replaceChildren(
    ...(a.unassigned.length
      ? a.unassigned.map((u) =>
          el(
            "tr",
            { class: "unassigned", "data-initiative-id": u.initiative_id, "data-reason": u.reason },
            el("td", { text: byId.get(u.initiative_id)?.title || u.initiative_id }),
            el("td", { class: "num", text: String(u.missing) }),
            el("td", { text: UNASSIGNED[u.reason] ?? u.reason }),
            el("td", { class: "muted", text: u.detail }),
          ),
        )
      : [el("tr", {}, el("td", { colSpan: 4, class: "muted", text: "Alle initiatieven zijn bezet." }))]),
  );
  $("assign-result").hidden = false;
}

async function readFile(file, kind) {
  const text = await file.text();
  if (/\.csv$/i.test(file.name)) {
    if (kind === "registry") throw new Error("het gemeenteregister moet JSON zijn");
    return csvRecords(text, kind);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file.name} is geen geldige JSON: ${err.message}`);
  }
}

async function loadFile(file, kind) {
  if (!file) return;
  try {
    const data = await readFile(file, kind);
    const previous = { ...state, sources: { ...state.sources } };
    state[kind] = data;
    if (kind !== "registry") state.sources[kind] = file.name;
    if (kind === "initiatives") {
      // Only the initiatives changed: the index over the experts stays valid.
      // An initiative may describe what it wants without listing needs: the
      // page then suggests needs from its title and description.
      const problems = validate(null, data).filter((p) => !(p.code === "empty_list" && p.field === "needs"));
      if (problems.length) {
        Object.assign(state, previous);
        showError(`${file.name} bevat fouten`, { problems });
        return;
      }
    }
    if (rebuild()) {
      const n = Array.isArray(data) ? ` (${data.length})` : "";
      $(`drop-${kind}`).querySelector(".drop-hint").textContent = `Geladen: ${file.name}${n}`;
    } else {
      Object.assign(state, previous);
    }
  } catch (err) {
    showError(`${file.name} kon niet worden gelezen`, err);
  }
}

const HINTS = new Map();

function loadDemo() {
  for (const [zone, text] of HINTS) zone.textContent = text;
  const d = demoData(DEMO);
  Object.assign(state, {
    experts: d.experts,
    initiatives: d.initiatives,
    registry: d.registry,
    sources: { experts: "demodata", initiatives: "demodata" },
  });
  rebuild();
}

function wire() {
  for (const hint of document.querySelectorAll(".drop-hint")) HINTS.set(hint, hint.textContent);
  $("load-demo").addEventListener("click", loadDemo);
  for (const kind of ["experts", "initiatives", "registry"]) {
    const input = $(`file-${kind}`);
    input.addEventListener("change", () => loadFile(input.files[0], kind).finally(() => (input.value = "")));
    const zone = $(`drop-${kind}`);
    zone.addEventListener("dragover", (e) => {
      e.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (e) => {
      e.preventDefault();
      zone.classList.remove("over");
      loadFile(e.dataTransfer.files[0], kind);
    });
  }
  const list = $("initiative-list");
  list.addEventListener("click", (e) => {
    const li = e.target.closest("li[data-id]");
    if (li) select(li.dataset.id);
  });
  list.addEventListener("keydown", (e) => {
    const items = [...list.children];
    if (items.length === 0) return;
    const at = items.findIndex((li) => li.dataset.id === state.selected);
    const go = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1, PageDown: at + 10, PageUp: at - 10 }[e.key];
    if (go === undefined) return;
    e.preventDefault();
    select(items[Math.max(0, Math.min(items.length - 1, go))].dataset.id);
  });
  $("filter").addEventListener("input", renderList);
  $("k").addEventListener("change", showInitiative);
  $("toggle-excluded").addEventListener("click", () => {
    const box = $("excluded");
    box.hidden = !box.hidden;
    const button = $("toggle-excluded");
    button.setAttribute("aria-expanded", String(!box.hidden));
    button.textContent = button.textContent.replace(box.hidden ? "verbergen" : "tonen", box.hidden ? "tonen" : "verbergen");
  });
  $("run-assign").addEventListener("click", runAssign);
}

await init();
$("version").textContent = `engine ${version()}`;
wire();
loadDemo();
document.body.dataset.ready = "true";
