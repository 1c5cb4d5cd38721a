import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DatabaseSync } from "node:sqlite";

/**
 * Like snapshotTree, for OpenClaw's SQLite era: openclaw's own *reads* checkpoint the write-ahead log
 * (the -wal/-shm files vanish and the main .sqlite file's bytes change while its content does not),
 * so SQLite files are compared by their content (every row of every table, read-only) and the
 * -wal/-shm side files are left out. Every other file is compared byte for byte.
 */
export function stateDigest(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      const st = lstatSync(full);
      const rel = relative(root, full);
      if (st.isDirectory()) walk(full);
      else if (/\.sqlite-(wal|shm)$/.test(entry)) continue;
      else if (st.isFile() && entry.endsWith(".sqlite")) out[rel] = `sqlite:${sqliteContent(full)}`;
      else if (st.isFile()) out[rel] = createHash("sha256").update(readFileSync(full)).digest("hex");
      else out[rel] = `other:${st.mode}`;
    }
  };
  walk(root);
  return out;
}

function sqliteContent(path: string): string {
  const hash = createHash("sha256");
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as Array<{
      name: string;
    }>;
    for (const { name } of tables) {
      hash.update(`table ${name}\n`);
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all();
      const lines = rows
        .map((r) =>
          JSON.stringify(r, (_k, v: unknown) =>
            typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("hex") : v,
          ),
        )
        .sort();
      for (const l of lines) hash.update(`${l}\n`);
    }
  } finally {
    db.close();
  }
  return hash.digest("hex");
}
