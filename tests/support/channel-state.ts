import { cpSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { channelPluginsTemplateDir, channelPluginsTemplateStamp } from "../../tools/channel-plugins/template.mjs";
import { makeOpenclawRoot, type OpenclawRoot, templateStateDir, writeBaseConfig } from "./openclaw.ts";

/**
 * OpenClaw states with the standard fixture accounts and the Discord and Slack channel plugins
 * installed as trusted: a private copy of the template that the pretest builds once
 * (tools/channel-plugins/ensure.mjs, the only step that talks to npm). Never run `openclaw doctor` on
 * such a state in a test: with npm-installed plugins it asks the registry (startChannelGateway runs
 * npm offline for the same reason).
 */
export async function copyChannelState(prefix = "cxp-ch-"): Promise<OpenclawRoot> {
  const template = channelPluginsTemplateDir(await templateStateDir());
  if (!channelPluginsTemplateStamp(template)) {
    throw new Error(
      "the channel-plugin template is missing: run `node tools/channel-plugins/ensure.mjs` (npm test's pretest does)",
    );
  }
  const r = makeOpenclawRoot(prefix);
  cpSync(`${template}/home`, r.home, { recursive: true });
  // Not state/npm: the install records name the template's own folder, and the plugin code is loaded
  // from there (read only), so the 80 MB of plugin packages are not copied per run.
  cpSync(`${template}/state`, r.stateDir, { recursive: true, filter: (src) => src !== `${template}/state/npm` });
  writeBaseConfig(r);
  return r;
}

/**
 * More profiles for a test's own copy of the channel state, before its gateway starts: `from`'s credential under
 * each of `ids` (the usage simulator answers for them as for `from`), in the store row 2026.9.6 keeps.
 */
export function addProfileCopies(r: OpenclawRoot, from: string, ids: string[]): void {
  const db = new DatabaseSync(join(r.stateDir, "state/openclaw.sqlite"));
  try {
    const key = "authProfiles.store";
    const row = db.prepare("SELECT value_json AS json FROM config_machine_state WHERE state_key = ?").get(key) as
      | { json: string }
      | undefined;
    const store = JSON.parse(row?.json ?? "{}") as { profiles?: Record<string, unknown> };
    const credential = store.profiles?.[from];
    if (!credential) throw new Error(`no profile ${from} in the channel state`);
    for (const id of ids) store.profiles![id] = credential;
    db.prepare("UPDATE config_machine_state SET value_json = ? WHERE state_key = ?").run(JSON.stringify(store), key);
  } finally {
    db.close();
  }
}
