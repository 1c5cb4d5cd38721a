export type UsageEndpointErrorCode = "usage_url_refused";

/** CODEX_PROFILER_USAGE_URL named something other than a loopback address; nothing was sent. */
export class UsageEndpointError extends Error {
  readonly code: UsageEndpointErrorCode = "usage_url_refused";

  constructor(message: string) {
    super(message);
    this.name = "UsageEndpointError";
  }
}
