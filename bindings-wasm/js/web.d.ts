export * from "./participatienetwerk_wasm";

/** What `init` accepts: where the module and the compressed knowledge file are; both default to the package's files. */
export interface InitOptions {
  module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
  knowledge_path?: RequestInfo | URL | Response;
}

/** Loads the module and the built-in knowledge (taxonomy, municipality list, demo templates); call once before anything else. */
export default function init(options?: InitOptions): Promise<unknown>;

/** Synchronous init from a compiled module and the knowledge file's JSON text (decompressed). */
export function initSync(options: { module: BufferSource | WebAssembly.Module; knowledge: string }): unknown;
