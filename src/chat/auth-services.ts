import { randomBytes } from "node:crypto";
import { ChatError, errorFromCode } from "../errors/index.ts";
import { inlineName, MAX_LINE_LENGTH, oneLine } from "../lib/display-text.ts";
import {
  type AuthOperation,
  type AuthResult,
  healthText,
  type LoginResult,
  type LoginSession,
  loginArgv,
  orderSourceText,
  passable,
  planFromSet,
  runAuthOperation,
  type StatusReport,
  startLogin,
} from "../models-auth/index.ts";
import { validateProfileName } from "../openclaw/ids.ts";
import { type CodexProviderId, isCodexProvider, splitProfileId } from "../openclaw/provider.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../openclaw/version.ts";
import { OpenclawCli } from "../openclaw-cli/index.ts";
import type { ProfileSet } from "../profiles/index.ts";
import { redactText } from "../secrets/redact.ts";
import type {
  AuthPlanView,
  AuthRequest,
  AuthResultView,
  ChatServices,
  LoginPollView,
  LoginStartView,
} from "./services.ts";

type AuthServices = Pick<ChatServices, "authStatus" | "planAuth" | "applyAuth" | "startLogin" | "pollLogin">;

const DEVICE_CODE_WAIT_MS = 60_000;
const MAX_LOGINS = 20;

/**
 * The chat's auth actions over models-auth: plans from the profile set the step read (no `openclaw` call;
 * `hostVersion` is the gateway's own version, api.runtime.version), changes through `openclaw models auth …`
 * (preflight, refused when the order drifted since the plan → apply → verify).
 */
export function authServices(env: NodeJS.ProcessEnv, hostVersion?: string): AuthServices {
  const version = hostVersion ? parseOpenclawVersion(hostVersion) : null;
  const logins = new Map<string, { session: LoginSession; settled: LoginResult | null }>();
  // One wrapper for the plugin's life, so `openclaw --version` runs once; dropped when a run could not read
  // the version.
  let shared: OpenclawCli | null = null;
  const cli = () => (shared ??= new OpenclawCli({ env }));
  // The provider `openclaw models auth login` takes on this OpenClaw; the store's when the version is unknown.
  const loginProvider = (set: ProfileSet): CodexProviderId =>
    version ? capabilitiesFor(version).provider : (set.orderProvider ?? "openai");
  type RunFor = { agentId?: string | undefined; planOrder?: string[] | undefined };
  const run = async (op: AuthOperation, confirm: boolean, request: RunFor): Promise<AuthResult> => {
    const { agentId, planOrder } = request;
    const result = await runAuthOperation(op, {
      confirm,
      env,
      cli: cli(),
      ...(agentId ? { agentId } : {}),
      ...(planOrder ? { expectOrder: planOrder } : {}),
    });
    if (result.error && result.openclawVersion === null) shared = null;
    return result;
  };

  function toOperation(request: AuthRequest): AuthOperation {
    switch (request.action) {
      case "first":
        return { kind: "put-first", id: need(request.profileId) };
      case "retire":
        return { kind: "retire", id: need(request.profileId) };
      case "restore":
        return { kind: "restore", id: need(request.profileId) };
      case "delete":
        return { kind: "delete", id: need(request.profileId), hard: true };
      case "order":
        return { kind: "order-set", ids: request.order ?? [], planned: true };
      case "login":
        throw new ChatError("unknown_action", "A login is started, not applied.");
    }
  }

  return {
    async authStatus({ agentId }) {
      const result = await run({ kind: "status" }, false, { agentId });
      failIfError(result);
      return statusLines(result.details as StatusReport);
    },

    async planAuth(request, set): Promise<AuthPlanView> {
      if (request.action === "login") return loginPlan(request, loginProvider(set));
      const planned = planFromSet(toOperation(request), set, { version, now: Date.now() });
      const { basis, agentId } = planned;
      const plan = passable(planned.plan);
      if (plan.refusal)
        return {
          summary: plan.summary,
          commands: [],
          refusal: { code: plan.refusal.code, message: redactText(plan.refusal.message) },
        };
      // What is confirmed is the exact order planned (for an order change), for the agent whose set was read,
      // with the order the plan was made from: the confirm refuses if OpenClaw's order is no longer that.
      const order = plan.targetOrder;
      const resolved: AuthRequest =
        order && (request.action === "first" || request.action === "order")
          ? { action: "order", order, agentId, planOrder: basis, ...(request.park ? { park: request.park } : {}) }
          : { ...request, agentId, planOrder: basis };
      return { summary: plan.summary, commands: plan.commands, resolved };
    },

    async applyAuth(request): Promise<AuthResultView> {
      const result = await run(toOperation(request), true, request);
      return resultView(result);
    },

    async startLogin({ agentId, profileId, provider, replaces }): Promise<LoginStartView> {
      if (replaces !== undefined) {
        logins.get(replaces)?.session.cancel();
        logins.delete(replaces);
      }
      if (logins.size >= MAX_LOGINS) {
        for (const [id, l] of logins) if (l.settled) logins.delete(id);
        if (logins.size >= MAX_LOGINS)
          throw new ChatError("service_failed", "Too many logins are running; finish or wait for one first.");
      }
      let resolveCode!: (v: { verificationUrl: string; userCode: string }) => void;
      const code = new Promise<{ verificationUrl: string; userCode: string }>((r) => (resolveCode = r));
      const name = profileId ? (splitProfileId(profileId)?.name ?? null) : null;
      const session = await startLogin({
        profileName: name,
        deviceCode: true,
        env,
        cli: cli(),
        ...(agentId ? { agentId } : {}),
        ...(provider && isCodexProvider(provider) ? { provider } : {}),
        onEvent: (event) => {
          if (event.type === "device-code")
            resolveCode({ verificationUrl: event.verificationUrl, userCode: event.userCode });
        },
      });
      const sessionId = randomBytes(6).toString("hex");
      const entry = { session, settled: null as LoginResult | null };
      logins.set(sessionId, entry);
      void session.result.then((r) => (entry.settled = r));
      const first = await Promise.race([
        code,
        session.result.then((r) => r),
        new Promise<"timeout">((r) => setTimeout(() => r("timeout"), DEVICE_CODE_WAIT_MS).unref()),
      ]);
      if (first === "timeout" || !("verificationUrl" in first)) {
        session.cancel();
        logins.delete(sessionId);
        const why =
          first !== "timeout" && first.error
            ? `${first.error.message} (${first.error.code})`
            : "no device code arrived";
        throw new ChatError("service_failed", `The login did not start: ${redactText(why)}`);
      }
      return {
        sessionId,
        verificationUrl: redactText(first.verificationUrl),
        userCode: first.userCode,
        expiresInSec: 15 * 60,
      };
    },

    async pollLogin({ sessionId }): Promise<LoginPollView> {
      const entry = logins.get(sessionId);
      if (!entry)
        return { state: "expired", message: "That login is no longer running. Start again with /codex_auth add." };
      const r = entry.settled;
      if (!r) return { state: "pending", message: "Still waiting for you to approve the code." };
      logins.delete(sessionId);
      if (r.ok)
        return {
          state: "done",
          ...(r.profileId ? { profileId: r.profileId } : {}),
          message: [
            `✅ Logged in${r.profileId ? ` as ${inlineName(r.profileId)}` : ""}` +
              `${r.profileStatus ? ` (${r.profileStatus})` : ""}.`,
            ...r.notes,
          ].join("\n"),
        };
      return {
        state: "failed",
        message: `❌ Login failed: ${redactText(r.error?.message ?? "unknown")} (${r.error?.code ?? "login_failed"})`,
      };
    },
  };
}

function need(id: string | undefined): string {
  if (!id) throw new ChatError("missing_profile", "Say which profile.");
  return id;
}

/**
 * The login command startLogin will run, built by the same loginArgv. A profile keeps its name under the provider
 * this OpenClaw logs in with, as OpenClaw itself does: from 2026.6 a legacy openai-codex:x is logged in again as
 * openai:x, the id `openclaw doctor --fix` migrates it to.
 */
function loginPlan(request: AuthRequest, provider: CodexProviderId): AuthPlanView {
  const name = request.profileId ? (splitProfileId(request.profileId)?.name ?? null) : null;
  // Refused now, not after a confirm: the login takes only a name it can pass to `openclaw` (OpenClaw accepts more).
  if (name !== null) validateProfileName(name, { typed: false });
  const profileId = name ? `${provider}:${name}` : null;
  const argv = loginArgv({ provider, profileName: name, deviceCode: true, agentId: request.agentId ?? null });
  const was = inlineName(request.profileId ?? "");
  const summary = !profileId
    ? "Add a Codex profile with a device-code login."
    : profileId === request.profileId
      ? `Log ${was} in again with a device code.`
      : `Log ${was} in again with a device code, as ${inlineName(profileId)}: this OpenClaw logs Codex ` +
        `profiles in as ${provider}:… and leaves ${was} as it is (\`openclaw doctor --fix\` ` +
        "migrates such old ids).";
  return {
    summary,
    commands: [argv],
    resolved: { ...request, ...(profileId ? { profileId } : {}), provider },
  };
}

function failIfError(result: AuthResult): void {
  if (!result.error) return;
  const message = redactText(result.error.message);
  throw (
    errorFromCode(result.error.code, message, { hint: result.error.hint ?? undefined }) ??
    new ChatError("service_failed", message)
  );
}

/** Discord splits a line longer than its 2,000-character message at a space, mid-name; ours stay well under. */
const LIST_LINE_LENGTH = 1000;

/** "head a, b, c." in lines of whole names, each at most LIST_LINE_LENGTH (unless one name alone is longer). */
function listLines(head: string, names: string[]): string[] {
  if (names.length === 0) return [`${head} (none).`];
  const lines: string[] = [];
  let line = head;
  names.forEach((name, i) => {
    const part = `${name}${i === names.length - 1 ? "." : ","}`;
    if (line !== head && line.length + 1 + part.length > LIST_LINE_LENGTH) {
      lines.push(line);
      line = part;
    } else line = `${line} ${part}`;
  });
  return [...lines, line];
}

export function resultView(result: AuthResult): AuthResultView {
  const applied = result.confirmed && result.applied.length > 0 && (result.ok || result.applied.every((a) => a.ok));
  const verified = result.verify?.matches === true;
  const lines: string[] = [];
  if (result.ok && verified) {
    const order = result.verify!.observed.effectiveOrder.map((id) => inlineName(id));
    lines.push(...listLines("✅ Done and verified. Order now:", order));
  } else if (result.ok) {
    lines.push(`✅ ${result.notes[0] ?? "Nothing to do."}`);
  } else if (result.verify && !result.verify.matches) {
    lines.push(
      "⚠️ Applied, but verify read a different state (nothing was patched):",
      ...result.verify.differences.map((d) => `• ${d}`),
    );
  } else {
    // Applied, but nothing could be read back: a warning, not a failure to retry.
    const icon = result.outcome === "verify_mismatch" ? "⚠️" : "❌";
    lines.push(
      `${icon} ${redactText(result.error?.message ?? "The change failed.")} (${result.error?.code ?? "failed"})`,
    );
  }
  for (const n of result.notes) if (!lines.some((l) => l.includes(n))) lines.push(n);
  // One line each: a line break in an id OpenClaw read back must not fake a line of ours.
  const shown = lines.map((l) => oneLine(redactText(l), MAX_LINE_LENGTH));
  return { applied, verified: verified || (result.ok && result.applied.length === 0), lines: shown };
}

export function statusLines(report: StatusReport): string[] {
  const source = report.effectiveOrderSource === "store" ? `, ${orderSourceText("store")}` : "";
  const lines = [`First: ${report.first ? inlineName(report.first) : "none"} (order: ${report.orderSource}${source})`];
  if (report.hint) lines.push(`⚠️ ${report.hint}`);
  for (const r of report.rows)
    lines.push(
      `${r.position === null ? "–" : r.position + 1}. ${inlineName(r.id)}: ${healthText(r)}` +
        `${r.reason ? ` (${r.reason})` : ""}`,
    );
  return lines;
}
