export * from "./participatienetwerk_wasm";

/** What `init` accepts: where the module and the compressed taxonomy are; both default to the package's files. */
export interface InitOptions {
  module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
  taxonomy_path?: RequestInfo | URL | Response;
}

/** Loads the module and the built-in taxonomy; call once before anything else. */
export default function init(options?: InitOptions): Promise<unknown>;

/** Synchronous init from a compiled module and the taxonomy's JSON text (decompressed). */
export function initSync(options: { module: BufferSource | WebAssembly.Module; taxonomy: string }): unknown;
