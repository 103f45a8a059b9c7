// The package as npm ships it: the file list holds both entry points, the
// glue's snippets and the knowledge part, and the knowledge part is what the
// entry points load (code and knowledge are separate downloads).
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");
const pn = require("../pkg/node/index.js");

const root = path.join(__dirname, "..");

test("npm pack lists every file the entry points load", () => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
  const files = new Set(JSON.parse(out)[0].files.map((f) => f.path));
  for (const f of [
    "pkg/knowledge.json.gz",
    "pkg/node/index.js",
    "pkg/node/participatienetwerk_wasm_bg.wasm",
    "pkg/web/index.js",
    "pkg/web/participatienetwerk_wasm_bg.wasm",
  ]) {
    assert.ok(files.has(f), `${f} is not in the package`);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  for (const dir of ["node", "web"]) {
    for (const snippet of fs.readdirSync(path.join(root, "pkg", dir, "snippets"), { recursive: true })) {
      const file = `pkg/${dir}/snippets/${snippet}`;
      if (fs.statSync(path.join(root, file)).isFile()) assert.ok(files.has(file), `${file} is not in the package`);
    }
  }
  assert.equal(pkg.exports["."].node.default, "./pkg/node/index.js");
});

test("the knowledge part is the built-in taxonomy and demo data the Node entry point loaded", () => {
  const knowledge = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(root, "pkg", "knowledge.json.gz"))).toString("utf8"));
  const data = knowledge.taxonomy;
  assert.ok(data.concepts.length >= 1500, `${data.concepts.length} concepts`);
  const labels = data.concepts.reduce((n, c) => n + 1 + (c.alt_labels ?? []).length, 0);
  assert.ok(labels >= 12000, `${labels} labels`);
  // Loaded: a taxonomy synonym meets, which an empty taxonomy cannot do.
  const m = new pn.Matcher([{ id: "e-1", municipalities: ["GM0363"], skills: [{ label: "Wet maatschappelijke ondersteuning", level: 5 }] }]);
  const top = m.rank({ id: "i-1", municipality: "GM0344", needs: [{ label: "Wmo" }] });
  assert.equal(top[0].needs[0].via, "synonym");
  // The demo data comes from the same file: municipalities and templates.
  const demo = pn.demoData({ experts: 50, initiatives: 5, seed: 1 });
  assert.equal(demo.initiatives.length, 5);
  assert.ok(demo.experts.every((e) => e.skills.length > 0 && /^GM\d{4}$/.test(e.municipalities[0])));
  // Loading again is a no-op, not an error.
  pn.loadBuiltinKnowledge("{}");
});

test("suggestNeeds names the concepts of a description and the words that named them", () => {
  const ini = { id: "i-9", municipality: "GM0344", title: "Repair café", description: "We willen een stichting oprichten." };
  const found = pn.suggestNeeds(ini);
  assert.ok(found.some((s) => s.triggers.includes("stichting")), JSON.stringify(found));
  const m = new pn.Matcher([{ id: "e-1", municipalities: ["GM0363"], skills: [{ label: "Wmo", level: 3 }] }]);
  assert.deepStrictEqual(m.suggestNeeds(ini), found);
  assert.throws(() => pn.suggestNeeds(ini, { taxonmy: {} }), (e) => e.code === "unknown_field" && /taxonomy/.test(e.message));
});
