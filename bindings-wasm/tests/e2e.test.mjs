// The demo page in headless Chromium (Debian's, through playwright-core):
// load, pick an initiative, check the ranking and its explanation, the
// different-municipality rule, the excluded list, the assignment, CSV upload,
// and that nothing logs an error. Saves demo/screenshot.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../demo/serve.mjs";

const pn = createRequire(import.meta.url)("../pkg/node/index.js");
const screenshot = fileURLToPath(new URL("../demo/screenshot.png", import.meta.url));

// The page loads demoData with these settings; the registry resolves mergers.
const { registry } = pn.demoData({ seed: 42, experts: 2000, initiatives: 40 });
const resolve = (code) => {
  const seen = new Set();
  while (registry.successors?.[code] && !seen.has(code)) {
    seen.add(code);
    code = registry.successors[code];
  }
  return code;
};

let server;
let browser;
let page;
const errors = [];

before(async () => {
  ({ server } = await serve({ port: 0 }));
  const { port } = server.address();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  await page.goto(`http://127.0.0.1:${port}/demo/`);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
});

/** The selected initiative's municipality and every listed match's codes. */
async function shown() {
  return page.evaluate(() => ({
    id: document.querySelector("#initiative").dataset.id,
    municipality: document.querySelector("#initiative").dataset.municipality,
    matches: [...document.querySelectorAll("#matches li.match")].map((li) => ({
      id: li.dataset.expertId,
      codes: li.dataset.municipalities.split(" ").filter(Boolean),
      home: li.dataset.home,
    })),
  }));
}

test("the demo loads with initiatives and a ranking", async () => {
  assert.ok((await page.locator("#initiative-list li").count()) >= 10);
  await page.waitForSelector("#matches li.match");
  assert.match(await page.locator("#status").innerText(), /2000 deskundigen/);
});

test("picking an initiative by keyboard shows ranked experts with an explanation", async () => {
  await page.focus("#initiative-list");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const s = await shown();
  assert.equal(s.id, "i-00002");
  assert.ok(s.matches.length > 0, "ranked experts are listed");
  const first = page.locator("#matches li.match").first();
  assert.equal(await first.locator("details").getAttribute("open"), "");
  const rows = first.locator("table.explain tbody tr");
  assert.ok((await rows.count()) > 0, "the explanation lists the needs");
  assert.ok((await first.locator(".via").count()) > 0, "how each need was matched");
  assert.ok((await first.locator(".contrib .bar-fill").count()) > 0, "contributions as bars");
  const scores = await page.$$eval("#matches li.match", (lis) => lis.map((li) => Number(li.dataset.score)));
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), "best first");
});

test("no listed match works for (or lives in) the initiative's municipality, for any initiative", async () => {
  const ids = await page.$$eval("#initiative-list li", (lis) => lis.map((li) => li.dataset.id));
  let checked = 0;
  for (const id of ids) {
    await page.click(`#initiative-list li[data-id="${id}"]`);
    const s = await shown();
    assert.equal(s.id, id);
    const own = resolve(s.municipality);
    for (const m of s.matches) {
      assert.ok(!m.codes.map(resolve).includes(own), `${m.id} works for ${own} and is listed for ${id}`);
      assert.notEqual(m.home && resolve(m.home), own, `${m.id} lives in ${own}`);
      checked++;
    }
  }
  assert.ok(checked > 100, `only ${checked} matches checked`);
});

test("excluded experts show their reason on request", async () => {
  const ids = await page.$$eval("#initiative-list li", (lis) => lis.map((li) => li.dataset.id));
  await page.click("#toggle-excluded");
  assert.equal(await page.getAttribute("#toggle-excluded", "aria-expanded"), "true");
  let found = null;
  for (const id of ids) {
    await page.click(`#initiative-list li[data-id="${id}"]`);
    if ((await page.locator('#excluded-rows tr[data-reason="same_municipality"]').count()) > 0) {
      found = id;
      break;
    }
  }
  assert.ok(found, "some initiative has an expert excluded for working in its municipality");
  assert.ok(await page.isVisible("#excluded"));
  const row = page.locator('#excluded-rows tr[data-reason="same_municipality"]').first();
  assert.match(await row.innerText(), /Zelfde gemeente/);
  assert.match(await row.innerText(), /(werkt voor|woont in) GM\d{4}/);
});

test("the assignment shows who goes where", async () => {
  await page.click("#run-assign");
  await page.waitForSelector("#assign-result:not([hidden])");
  const pairs = await page.$$eval("#pairs tr.pair", (trs) =>
    trs.map((tr) => ({ initiative: tr.dataset.initiativeId, expert: tr.dataset.expertId })),
  );
  assert.ok(pairs.length > 0);
  assert.match(await page.locator("#assign-summary").innerText(), /plekken bezet/);
  assert.equal(new Set(pairs.map((p) => `${p.initiative}/${p.expert}`)).size, pairs.length);
});

test("CSV files replace the data, and bad ones are reported", async () => {
  const experts = [
    "id,municipalities,skills",
    "e-a,GM0363,Omgevingsvergunning:4;Wmo:3",
    "e-b,GM0344,omgevingsvergunningen:5",
  ].join("\n");
  const initiatives = ["id,municipality,title,needs", "i-x,GM0344,Dakje,vergunning omgeving:2"].join("\n");
  await page.setInputFiles("#file-experts", { name: "experts.csv", mimeType: "text/csv", buffer: Buffer.from(experts) });
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("2 deskundigen"));
  await page.setInputFiles("#file-initiatives", { name: "ini.csv", mimeType: "text/csv", buffer: Buffer.from(initiatives) });
  await page.waitForSelector('#initiative[data-id="i-x"]');
  const s = await shown();
  assert.deepEqual(s.matches.map((m) => m.id), ["e-a"]);
  // No needs, only a description: the page ranks on the needs it suggests.
  const described = ["id,municipality,title,description", "i-y,GM0344,Dak,Wij willen een omgevingsvergunning voor ons dak."];
  await page.setInputFiles("#file-initiatives", { name: "ini2.csv", mimeType: "text/csv", buffer: Buffer.from(described.join("\n")) });
  await page.waitForSelector('#initiative[data-id="i-y"] .need.suggested');
  assert.match(await page.locator("#initiative .need.suggested").first().getAttribute("title"), /omgevingsvergunning/);
  assert.deepEqual((await shown()).matches.map((m) => m.id), ["e-a"]);
  await page.setInputFiles("#file-experts", {
    name: "bad.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("id,municipalities,skils\ne-1,GM0363,Wmo:3\n"),
  });
  await page.waitForSelector("#problems:not([hidden])");
  assert.match(await page.locator("#problems").innerText(), /did you mean `skills`\?/);
  assert.match(await page.locator("#status").innerText(), /^2 deskundigen/, "the previous data stays");
  await page.click("#load-demo");
  await page.waitForFunction(() => document.querySelector("#status").textContent.startsWith("2000 deskundigen"));
});

test("no page errors, and a screenshot", async () => {
  await page.click('#initiative-list li[data-id="i-00003"]');
  await page.click("#run-assign");
  await page.waitForSelector("#assign-result:not([hidden])");
  assert.match(await page.locator("#drop-experts .drop-hint").innerText(), /kiezen/, "demo data resets the file hints");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshot });
  assert.deepEqual(errors, []);
});
