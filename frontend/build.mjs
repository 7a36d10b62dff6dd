// Builds the app into the Python package (src/licgraph/static/app/, or the folder given as
// the first argument): index.html plus one JavaScript bundle and one stylesheet. The
// output depends only on the sources and the pinned packages, so CI can rebuild and diff.
import { copyFile, mkdir, rm } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, "../src/licgraph/static/app"));

await rm(out, { recursive: true, force: true });
await mkdir(join(out, "assets"), { recursive: true });
await esbuild.build({
  absWorkingDir: here,
  entryPoints: ["src/main.jsx", "src/app.css"],
  outdir: join(out, "assets"),
  entryNames: "[name]",
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  jsx: "automatic",
  jsxImportSource: "preact",
  // The operations are the example files the API ships (src/licgraph/examples/).
  loader: { ".graphql": "text" },
  legalComments: "eof",
  charset: "utf8",
  logLevel: "warning",
});
await copyFile(join(here, "src/index.html"), join(out, "index.html"));
