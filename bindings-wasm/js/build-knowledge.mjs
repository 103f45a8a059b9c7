// Writes the package's knowledge part: the built-in taxonomy files of
// core/data/taxonomy/ merged in file-name order (the order the Rust library
// merges them in), the municipality list and the demo templates, as one
// compact JSON document, gzip-compressed.
//
//   node js/build-knowledge.mjs OUT.json.gz
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, constants } from "node:zlib";

const data = fileURLToPath(new URL("../../core/data/", import.meta.url));
const dir = join(data, "taxonomy");
const taxonomy = { concepts: [], stopwords: [], words: [], vocabulary: [], expansions: {} };
for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
  const part = JSON.parse(readFileSync(join(dir, name), "utf8"));
  taxonomy.concepts.push(...(part.concepts ?? []));
  taxonomy.stopwords.push(...(part.stopwords ?? []));
  taxonomy.words.push(...(part.words ?? []));
  taxonomy.vocabulary.push(...(part.vocabulary ?? []));
  Object.assign(taxonomy.expansions, part.expansions ?? {});
}
const read = (name) => JSON.parse(readFileSync(join(data, name), "utf8"));
const knowledge = { taxonomy, municipalities: read("municipalities.json"), demo: read("demo.json") };
const out = process.argv[2];
if (!out) throw new Error("usage: node js/build-knowledge.mjs OUT.json.gz");
writeFileSync(out, gzipSync(Buffer.from(JSON.stringify(knowledge)), { level: constants.Z_BEST_COMPRESSION }));
