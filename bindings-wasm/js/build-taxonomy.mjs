// Writes the package's knowledge part: the built-in taxonomy files of
// core/data/taxonomy/ merged in file-name order (the order the Rust library
// merges them in), as compact JSON, gzip-compressed.
//
//   node js/build-taxonomy.mjs OUT.json.gz
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync, constants } from "node:zlib";

const dir = fileURLToPath(new URL("../../core/data/taxonomy/", import.meta.url));
const merged = { concepts: [], stopwords: [], words: [], vocabulary: [], expansions: {} };
for (const name of readdirSync(dir).filter((n) => n.endsWith(".json")).sort()) {
  const part = JSON.parse(readFileSync(join(dir, name), "utf8"));
  merged.concepts.push(...(part.concepts ?? []));
  merged.stopwords.push(...(part.stopwords ?? []));
  merged.words.push(...(part.words ?? []));
  merged.vocabulary.push(...(part.vocabulary ?? []));
  Object.assign(merged.expansions, part.expansions ?? {});
}
const out = process.argv[2];
if (!out) throw new Error("usage: node js/build-taxonomy.mjs OUT.json.gz");
writeFileSync(out, gzipSync(Buffer.from(JSON.stringify(merged)), { level: constants.Z_BEST_COMPRESSION }));
