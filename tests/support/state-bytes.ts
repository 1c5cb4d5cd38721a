import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

/**
 * "OpenClaw's data is unchanged", as a map to compare before and after a read: every file byte for byte
 * (the databases and their -wal/-journal included), with the -wal's inode (a reader must never delete or
 * replace it: OpenClaw kills itself when its open WAL is not the file on disk). A -shm is SQLite's
 * shared-memory index that every reader, OpenClaw's own included, may update: only its presence and inode
 * are compared, unless `exactShm`.
 */
export function stateBytes(root: string, options: { exactShm?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      const st = lstatSync(full);
      const rel = relative(root, full);
      if (st.isDirectory()) walk(full);
      else if (!st.isFile()) out[rel] = `other:${st.mode}`;
      else if (entry.endsWith("-shm") && !options.exactShm) out[rel] = `shm:ino ${st.ino}`;
      else {
        const sha = createHash("sha256").update(readFileSync(full)).digest("hex");
        out[rel] = entry.endsWith("-wal") || entry.endsWith("-shm") ? `${sha}:ino ${st.ino}` : sha;
      }
    }
  };
  walk(root);
  return out;
}
