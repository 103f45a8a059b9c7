"use strict";
// The package's Node entry point: the WebAssembly module, with the built-in
// knowledge (taxonomy, municipality list, demo templates: a separate,
// compressed data file of the package) loaded before first use.
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { gunzipSync } = require("node:zlib");
const wasm = require("./participatienetwerk_wasm.js");

wasm.loadBuiltinKnowledge(gunzipSync(readFileSync(join(__dirname, "..", "knowledge.json.gz"))).toString("utf8"));

module.exports = wasm;
