import { DatabaseSync } from "node:sqlite";
import { fakeAccessToken } from "./fake-jwt.ts";
import { FIXTURE_ACCOUNTS } from "./fixtures.ts";

/**
 * Test setup on a private copy of a state the real openclaw wrote: one OAuth profile of the shared store
 * (state/openclaw.sqlite) sat idle for `days` days, so its access token expired while its refresh token
 * stayed good, as happens to a backup account in a rotation pool.
 */
const STORE_KEY = "state_key = 'authProfiles.store'";

export function lapseAccessToken(db: string, profileId: string, days = 12): void {
  const account = FIXTURE_ACCOUNTS.find((a) => profileId.endsWith(`:${a.name}`));
  if (!account) throw new Error(`no fixture account for ${profileId}`);
  const conn = new DatabaseSync(db);
  try {
    const row = conn.prepare(`SELECT value_json AS j FROM config_machine_state WHERE ${STORE_KEY}`).get();
    type Store = { profiles: Record<string, { access: string; expires: number }> };
    const store = JSON.parse((row as { j: string }).j) as Store;
    const lapsed = Math.floor(Date.now() / 1000) - days * 86_400;
    store.profiles[profileId]!.access = fakeAccessToken({ ...account, exp: lapsed });
    store.profiles[profileId]!.expires = lapsed * 1000;
    conn.prepare(`UPDATE config_machine_state SET value_json = ? WHERE ${STORE_KEY}`).run(JSON.stringify(store));
  } finally {
    conn.close();
  }
}
