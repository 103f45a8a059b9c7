// rank over 20,000 demo experts in Node: median of 50 runs (target <= 20 ms).
// Run `bash scripts/build-wasm.sh` first.
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";

const require = createRequire(import.meta.url);
const pn = require("../../bindings-wasm/pkg/node/index.js");

const EXPERTS = 20_000;
const RUNS = 50;
const K = 10;

const data = pn.demoData({ seed: 42, experts: EXPERTS, initiatives: RUNS });
let t = performance.now();
const m = new pn.Matcher(data.experts, { registry: data.registry });
const buildMs = performance.now() - t;

m.rank(data.initiatives[0], K); // warm-up: first-call allocations and JIT
const times = data.initiatives.map((initiative) => {
  t = performance.now();
  m.rank(initiative, K);
  return performance.now() - t;
});
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(
  `rank, ${EXPERTS} experts, k=${K}, ${RUNS} initiatives: ` +
    `p50 ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, max ${at(1).toFixed(2)} ms ` +
    `(index built in ${buildMs.toFixed(0)} ms)`,
);
