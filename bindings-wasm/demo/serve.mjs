// A static server for the demo and the browser test: serves bindings-wasm/
// on 127.0.0.1 (no server logic; `.wasm` as application/wasm).
//
//   node demo/serve.mjs [--port 8080] [--build]
//
// --build builds the package first when pkg/web is missing.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("..", import.meta.url)));

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".wasm": "application/wasm",
  ".gz": "application/gzip",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".ts": "text/plain; charset=utf-8",
};

/** Starts the server; port 0 picks a free one. Resolves to { server, url }. */
export function serve({ port = 8080, host = "127.0.0.1" } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      if (path === "/") {
        res.writeHead(302, { Location: "/demo/" });
        return res.end();
      }
      let file = normalize(join(ROOT, path));
      if (file !== ROOT && !file.startsWith(ROOT + sep)) throw Object.assign(new Error("outside"), { code: "ENOENT" });
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream", "Cache-Control": "no-store" });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      const missing = err.code === "ENOENT" || err.code === "ENOTDIR" || err instanceof URIError;
      res.writeHead(missing ? 404 : 500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(missing ? "niet gevonden\n" : "serverfout\n");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => {
      const { port: p } = server.address();
      ok({ server, url: `http://${host}:${p}/demo/` });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--port");
  const port = at >= 0 ? Number(args[at + 1]) : Number(process.env.PORT ?? 8080);
  if (args.includes("--build") && !existsSync(join(ROOT, "pkg", "web", "participatienetwerk_wasm_bg.wasm"))) {
    console.log("building the package (scripts/build-wasm.sh) …");
    const script = "source scripts/setup.sh && ensure_wasm_bindgen && ensure_node_modules && bash scripts/build-wasm.sh";
    const r = spawnSync("bash", ["-c", script], { cwd: join(ROOT, ".."), stdio: "inherit" });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const { url } = await serve({ port });
  console.log(`demo: ${url}  (Ctrl+C stops)`);
}
