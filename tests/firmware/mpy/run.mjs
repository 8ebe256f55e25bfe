// Run a Python script on real MicroPython (the WebAssembly port, an npm package) with the
// firmware's .py files laid flat into its filesystem, as on a board.
// usage: node run.mjs SCRIPT.py DIR... ; exit status 1 when the script raises.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(join(process.env.MICROPYTHON_WASM_DIR || process.cwd(), "x.js"));
const pkg = "@micropython/micropython-webassembly-pyscript/micropython.mjs";
const { loadMicroPython } = await import(require.resolve(pkg));
const mp = await loadMicroPython({ stdout: (s) => process.stdout.write(s + "\n") });

function copyTree(src, dst) {
  for (const name of readdirSync(src)) {
    const path = join(src, name);
    if (statSync(path).isDirectory()) {
      if (name === "node_modules" || name.startsWith("_") || name.startsWith(".")) continue;
      try { mp.FS.mkdir(dst + "/" + name); } catch (e) {}
      copyTree(path, dst + "/" + name);
    } else if (name.endsWith(".py")) {
      mp.FS.writeFile(dst + "/" + name, readFileSync(path, "utf8"));
    }
  }
}

const [script, ...dirs] = process.argv.slice(2);
mp.FS.mkdir("/board");
for (const dir of dirs) copyTree(dir, "/board");
try {
  mp.runPython("import sys\nsys.path.insert(0, '/board')\n" + readFileSync(script, "utf8"));
} catch (err) {
  process.stdout.write(String(err.message || err) + "\n");
  process.exit(1);
}
