import { cpSync } from "node:fs";
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
