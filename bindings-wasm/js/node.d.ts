export * from "./participatienetwerk_wasm";
