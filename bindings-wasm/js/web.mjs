// The package's browser and bundler entry point: `await init()` loads the
// WebAssembly module and the built-in taxonomy (a separate, compressed data
// file of the package) side by side.
import initModule, { initSync as initModuleSync, loadBuiltinTaxonomy } from "./participatienetwerk_wasm.js";

export * from "./participatienetwerk_wasm.js";

async function taxonomyText(source) {
  const response = source instanceof Response ? source : await fetch(source);
  if (!response.ok) throw new Error(`participatienetwerk: the taxonomy could not be loaded from ${response.url} (${response.status})`);
  // Read the whole file before decompressing: piping the network stream
  // straight in lets the browser abort the request once the gzip data ends.
  const packed = new Blob([await response.arrayBuffer()]);
  return new Response(packed.stream().pipeThrough(new DecompressionStream("gzip"))).text();
}

/**
 * Loads the module and the built-in taxonomy; call once before anything else.
 * `module_or_path` and `taxonomy_path` default to the files beside this one.
 */
export default async function init(options = {}) {
  const { module_or_path, taxonomy_path = new URL("../taxonomy.json.gz", import.meta.url) } = options ?? {};
  const [exports, text] = await Promise.all([
    initModule(module_or_path === undefined ? undefined : { module_or_path }),
    taxonomyText(taxonomy_path),
  ]);
  loadBuiltinTaxonomy(text);
  return exports;
}

/** Synchronous init from a compiled module and the taxonomy's JSON text (decompressed). */
export function initSync({ module, taxonomy }) {
  const exports = initModuleSync({ module });
  loadBuiltinTaxonomy(taxonomy);
  return exports;
}
