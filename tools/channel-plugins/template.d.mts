// Types for template.mjs, which tests/support/channel-state.ts imports.
export declare const PROJECT_ROOT: string;
export declare const NODE24: string;
export declare const OPENCLAW_CLI: string;
export declare const CHANNEL_PLUGIN_SPECS: string[];
export interface ChannelPluginsStamp {
  specs: string[];
  seconds: number;
  timings: Record<string, number>;
  bytes: number;
  builtAt: string;
  profileTemplate: string;
}
export declare function channelPluginsTemplateDir(profileTemplateDir: string): string;
export declare function channelPluginsTemplateStamp(dir: string): ChannelPluginsStamp | null;
