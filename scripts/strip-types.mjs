// Imported by node-run on a host. Node refuses to strip the types of a file under node_modules
// (ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING), and OpenClaw installs an npm-pack plugin there
// (<state>/npm/projects/codex-profiler/node_modules/codex-profiler): this strips our own .ts files itself.
const { registerHooks, stripTypeScriptTypes } = process.getBuiltinModule("node:module");
const { readFileSync } = process.getBuiltinModule("node:fs");
const root = new URL("../", import.meta.url).href;

if (root.includes("/node_modules/") && registerHooks && stripTypeScriptTypes) {
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith(root) || !url.endsWith(".ts")) return nextLoad(url, context);
      const source = stripTypeScriptTypes(readFileSync(new URL(url), "utf8"));
      return { format: "module", source, shortCircuit: true };
    },
  });
}
