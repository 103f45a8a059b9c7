// Error behaviour of the package: real Error objects with stable codes,
// every problem listed, no input that crashes the module, and a Matcher that
// keeps working after any error.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const pn = require("../pkg/node/index.js");

const experts = [
  { id: "e-1", municipalities: ["GM0363"], skills: [{ label: "Omgevingsvergunning", level: 4 }] },
  { id: "e-2", municipalities: ["GM0344"], skills: [{ label: "omgevingsvergunningen", level: 5 }] },
];
const initiative = { id: "i-1", municipality: "GM0344", needs: [{ label: "vergunning omgeving", weight: 2 }] };

/** The thrown error of `f`, checked to be a ValidationError. */
function thrown(f) {
  let err;
  assert.throws(f, (e) => ((err = e), true));
  assert.ok(err instanceof Error, `an Error object, got ${typeof err}`);
  assert.equal(err.name, "ValidationError");
  assert.equal(typeof err.code, "string");
  assert.ok(Array.isArray(err.problems) && err.problems.length > 0);
  assert.equal(err.code, err.problems[0].code);
  return err;
}

test("a misspelt field is unknown_field with a suggestion", () => {
  const e = thrown(() => new pn.Matcher([{ id: "e-9", municipalities: ["GM0363"], skils: [] }]));
  assert.equal(e.code, "unknown_field");
  assert.equal(e.recordId, "e-9");
  assert.equal(e.field, "skils");
  assert.match(e.message, /did you mean `skills`\?/);
  assert.deepEqual(e.problems[0], {
    code: "unknown_field",
    kind: "expert",
    record_id: "e-9",
    index: 0,
    field: "skils",
    message: "is an unknown field, did you mean `skills`?",
  });
});

test("ignoreUnknownFields accepts wider records", () => {
  const wide = experts.map((e) => ({ ...e, name: "Jan", email: "jan@example.nl" }));
  assert.throws(() => new pn.Matcher(wide), { code: "unknown_field" });
  assert.equal(new pn.Matcher(wide, { ignoreUnknownFields: true }).length, 2);
  const m = new pn.Matcher(experts, { ignoreUnknownFields: true });
  assert.equal(m.rank({ ...initiative, owner: "x" }, 5).length, 1);
});

test("a misspelt option is an error, not silently ignored", () => {
  const e = thrown(() => new pn.Matcher(experts, { ignoreUnknownField: true }));
  assert.equal(e.code, "unknown_field");
  assert.match(e.message, /did you mean `ignoreUnknownFields`\?/);
  thrown(() => pn.assign([initiative], experts, { edge: [] }));
  thrown(() => pn.validate(experts, null, { registry: {} }));
  thrown(() => pn.demoData({ expert: 10 }));
});

test("NaN weight, level 9 and bad codes are reported with their fields", () => {
  const m = new pn.Matcher(experts);
  const e = thrown(() => m.rank({ ...initiative, needs: [{ label: "Wmo", weight: NaN }] }, 5));
  assert.equal(e.code, "invalid_number");
  assert.equal(e.field, "needs[0].weight");
  assert.equal(e.recordId, "i-1");
  const l = thrown(() => new pn.Matcher([{ id: "e-1", municipalities: ["GM0363"], skills: [{ label: "Wmo", level: 9 }] }]));
  assert.equal(l.code, "level_out_of_range");
  assert.equal(l.field, "skills[0].level");
  const all = thrown(() => m.rank({ id: "i-2", municipality: "GM34", needs: [{ label: "Wmo", weight: Infinity }] }, 5));
  assert.deepEqual(all.problems.map((p) => p.code), ["invalid_municipality", "invalid_number"]);
});

test("bad k is invalid_argument", () => {
  const m = new pn.Matcher(experts);
  for (const k of [0, -1, 1.5, NaN, 1e9]) {
    assert.equal(thrown(() => m.rank(initiative, k)).code, "invalid_argument", `k = ${k}`);
  }
  assert.equal(m.rank(initiative).length, 1, "k defaults to 10");
});

test("config and registry errors name their fields", () => {
  const c = thrown(() => new pn.Matcher(experts, { config: { fuzzy_cutof: 0.5 } }));
  assert.equal(c.code, "unknown_field");
  assert.match(c.message, /fuzzy_cutoff/);
  const r = thrown(() => new pn.Matcher(experts, { registry: { successors: { GM0001: "GM0002", GM0002: "GM0001" } } }));
  assert.equal(r.code, "successor_cycle");
});

test("validate returns problems and never throws for data errors", () => {
  const hostile = [null, 5, "x", [1, 2], { id: 7 }, [{ id: "e", municipalities: "GM0363" }]];
  for (const h of hostile) {
    const ps = pn.validate(h, h);
    assert.ok(Array.isArray(ps) && ps.length > 0 || h === null, JSON.stringify(h));
  }
  assert.deepEqual(pn.validate(experts, [initiative]), []);
  assert.deepEqual(pn.validate(null, null), []);
});

test("hostile inputs never crash the module", () => {
  const m = new pn.Matcher(experts);
  const cyclic = { id: "i-c", municipality: "GM0344", needs: [] };
  cyclic.needs.push(cyclic);
  let deep = [];
  for (let i = 0; i < 100000; i++) deep = [deep];
  const proxy = new Proxy({}, { ownKeys() { throw new Error("trap"); } });
  const getter = { id: "i-g", municipality: "GM0344", get needs() { throw new Error("getter"); } };
  const inputs = [
    undefined, null, 0, -0, NaN, Infinity, "", "i-1", true, [], {}, 10n, Symbol("s"), () => 1,
    cyclic, deep, proxy, getter, new Map([["id", "x"]]), new Date(0), new Uint8Array(4),
    { id: "\u0000".repeat(1000), municipality: "GM0344", needs: [{ label: "x".repeat(100000) }] },
    { id: "i", municipality: "GM0344", needs: Array.from({ length: 1000 }, () => ({ label: "Wmo" })) },
    { id: "i", municipality: "GM0344", needs: [{ label: "Wmo", weight: 1e308, min_level: -1 }] },
    { id: "i", municipality: "GM0344", needs: [{ label: "!!!" }] },
    { __proto__: { id: "inherited" }, municipality: "GM0344" },
  ];
  for (const x of inputs) {
    for (const call of [
      () => m.rank(x, 5),
      () => m.rankMany([x, x], 5),
      () => m.rankDetailed(x, 5),
      () => m.explain(x, "e-1"),
      () => m.explain(initiative, x),
      () => m.rankInitiatives(x, [x], 5),
      () => m.assign([x]),
      () => new pn.Matcher([x]),
      () => new pn.Matcher(experts, x),
      () => pn.assign([x], [x], { edges: [x] }),
      () => pn.validate(x, x),
      () => pn.demoData(x),
    ]) {
      try {
        call();
      } catch (e) {
        assert.ok(e instanceof Error, `threw ${String(e)}`);
        assert.equal(e.name, "ValidationError", e.stack);
      }
    }
  }
  // The same matcher still answers, unchanged.
  assert.deepEqual(m.rank(initiative, 5), new pn.Matcher(experts).rank(initiative, 5));
});

test("the same Matcher works after every kind of error", () => {
  const m = new pn.Matcher(experts);
  const before = m.rank(initiative, 5);
  const attempts = [
    () => m.rank({ ...initiative, needs: [{ lable: "x" }] }, 5),
    () => m.explain(initiative, "nobody"),
    () => m.rankMany([initiative, { id: "" }], 5),
    () => m.rankInitiatives({ id: "e-x" }, [initiative], 5),
    () => m.assign([initiative, initiative]),
    () => m.rank(initiative, 0),
  ];
  for (const a of attempts) thrown(a);
  assert.deepEqual(m.rank(initiative, 5), before);
  assert.equal(m.explain(initiative, "e-2").kind, "exclusion");
  assert.equal(m.explain(initiative, "e-2").reason, "same_municipality");
  assert.equal(m.assign([initiative]).pairs.length, 1);
});

test("results are plain JSON data", () => {
  const m = new pn.Matcher(experts);
  const r = m.rankDetailed(initiative, 5);
  assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  assert.equal(Object.getPrototypeOf(r), Object.prototype);
  assert.equal(r.matches[0].expert_id, "e-1");
  assert.equal(r.excluded[0].reason, "same_municipality");
});

test("demoData is seeded and version is the crate's", () => {
  const a = pn.demoData({ seed: 7, experts: 50, initiatives: 3 });
  assert.deepEqual(a, pn.demoData({ seed: 7, experts: 50, initiatives: 3 }));
  assert.equal(a.experts.length, 50);
  assert.equal(a.initiatives.length, 3);
  assert.ok(Object.keys(a.registry.names).length > 0);
  assert.match(pn.version(), /^\d+\.\d+\.\d+/);
});

test("assign with caller scores needs no skills or needs", () => {
  const es = [{ id: "e-1", municipalities: ["GM0363"] }];
  const is = [{ id: "i-1", municipality: "GM0344" }];
  const a = pn.assign(is, es, { edges: [{ initiative_id: "i-1", expert_id: "e-1", score: 0.5 }] });
  assert.deepEqual(a.pairs, [{ initiative_id: "i-1", expert_id: "e-1", score: 0.5, needs: [], missing_required: [] }]);
});

test("expert lists that JSON would change silently are still checked value by value", () => {
  const base = { id: "e-9", municipalities: ["GM0363"], skills: [{ label: "Wmo", level: 3 }] };
  const cases = [
    [{ ...base, hours_per_month: NaN }, "hours_per_month"],
    [{ ...base, max_distance_km: Infinity }, "max_distance_km"],
    [{ ...base, id: new Date(0) }, "id"],
  ];
  for (const [expert, field] of cases) {
    assert.throws(
      () => new pn.Matcher([expert], {}),
      (e) => e.name === "ValidationError" && e.recordId === (typeof expert.id === "string" ? "e-9" : null) && e.field === field,
      field,
    );
  }
  assert.throws(() => new pn.Matcher([{ ...base, remote: () => true }], {}), (e) => e.name === "ValidationError");
  // A plain, well-formed list takes the fast path and reads the same.
  const m = new pn.Matcher([base], {});
  assert.equal(m.length, 1);
});
