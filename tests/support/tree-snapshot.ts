import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/** path → sha256 of every regular file below root: compare two to prove a read changed nothing. */
export function snapshotTree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      const st = lstatSync(full);
      if (st.isDirectory()) walk(full);
      else if (st.isFile()) out[relative(root, full)] = createHash("sha256").update(readFileSync(full)).digest("hex");
      else out[relative(root, full)] = `other:${st.mode}`;
    }
  };
  walk(root);
  return out;
}
