import { CodexProfilerError } from "./base.ts";

/** A private copy of an OpenClaw SQLite database could not be made or opened. */
export type SqliteSnapshotErrorCode = "snapshot_missing" | "snapshot_unreadable" | "snapshot_busy";

export class SqliteSnapshotError extends CodexProfilerError<SqliteSnapshotErrorCode> {
  readonly domain = "sqlite-snapshot";
}
