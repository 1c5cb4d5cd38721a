// The JavaScript peer OpenClaw's package install looks for beside a TypeScript entry. The plugin ships
// as erasable TypeScript run directly (Node ≥ 22.18 / OpenClaw's loader), so this only re-exports it.
export { default } from "./index.ts";
