// The package's browser and bundler entry point: `await init()` loads the
// WebAssembly module and the built-in knowledge (taxonomy, municipality list,
// demo templates: a separate, compressed data file of the package) side by side.
import initModule, { initSync as initModuleSync, loadBuiltinKnowledge } from "./participatienetwerk_wasm.js";

export * from "./participatienetwerk_wasm.js";

async function knowledgeText(source) {
  const response = source instanceof Response ? source : await fetch(source);
  if (!response.ok) throw new Error(`participatienetwerk: the knowledge file could not be loaded from ${response.url} (${response.status})`);
  // Read the whole file before decompressing: piping the network stream
  // straight in lets the browser abort the request once the gzip data ends.
  const packed = new Blob([await response.arrayBuffer()]);
  return new Response(packed.stream().pipeThrough(new DecompressionStream("gzip"))).text();
}

/**
 * Loads the module and the built-in knowledge; call once before anything else.
 * `module_or_path` and `knowledge_path` default to the files beside this one.
 */
export default async function init(options = {}) {
  const { module_or_path, knowledge_path = new URL("../knowledge.json.gz", import.meta.url) } = options ?? {};
  const [exports, text] = await Promise.all([
    initModule(module_or_path === undefined ? undefined : { module_or_path }),
    knowledgeText(knowledge_path),
  ]);
  loadBuiltinKnowledge(text);
  return exports;
}

/** Synchronous init from a compiled module and the knowledge file's JSON text (decompressed). */
export function initSync({ module, knowledge }) {
  const exports = initModuleSync({ module });
  loadBuiltinKnowledge(knowledge);
  return exports;
}
