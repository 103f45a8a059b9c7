// The demo's CSV reading gives the same records as the CLI's (cli/src/input.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { csvRecords, parseCsv } from "../demo/csv.js";

const pn = createRequire(import.meta.url)("../pkg/node/index.js");

test("expert columns", () => {
  const text = "id,municipalities,skills,remote,lat,lon\ne-1,GM0363;GM0457,Wmo:3;subsidie: aanvragen:4,true,52.1,4.9\n";
  assert.deepEqual(csvRecords(text, "experts"), [
    {
      id: "e-1",
      municipalities: ["GM0363", "GM0457"],
      skills: [{ label: "Wmo", level: 3 }, { label: "subsidie: aanvragen", level: 4 }],
      remote: true,
      location: { lat: 52.1, lon: 4.9 },
    },
  ]);
});

test("needs with optional parts", () => {
  const text = "id,municipality,needs\ni-1,GM0344,subsidie aanvragen:2;vergunning:3:4:required;avg\n";
  assert.deepEqual(csvRecords(text, "initiatives")[0].needs, [
    { label: "subsidie aanvragen", weight: 2 },
    { required: true, label: "vergunning", weight: 3, min_level: 4 },
    { label: "avg" },
  ]);
});

test("quotes, CRLF and empty cells", () => {
  assert.deepEqual(parseCsv('a,b\r\n"x, ""y""",\r\n\r\n'), [["a", "b"], ['x, "y"', ""]]);
  const [rec] = csvRecords('id,municipality,title,hours_needed\ni-1,GM0344,"Tuin, groot",\n', "initiatives");
  assert.deepEqual(rec, { id: "i-1", municipality: "GM0344", title: "Tuin, groot" });
});

test("an unknown column is the engine's unknown_field", () => {
  const recs = csvRecords("id,municipalities,skils\ne-1,GM0363,Wmo:3\n", "experts");
  const [p] = pn.validate(recs, null);
  assert.equal(p.code, "unknown_field");
  assert.match(p.message, /did you mean `skills`\?/);
});

test("a bad level reaches the engine as text", () => {
  const recs = csvRecords("id,municipalities,skills\ne-1,GM0363,Wmo:hoog\n", "experts");
  assert.deepEqual(recs[0].skills, [{ label: "Wmo", level: "hoog" }]);
  assert.equal(pn.validate(recs, null)[0].code, "wrong_type");
});
