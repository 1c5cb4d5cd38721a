import { ChatError } from "../errors/index.ts";
import { inlineName, MAX_LINE_LENGTH, oneLine, shellWord } from "../lib/display-text.ts";
import { exactForDelete } from "../models-auth/index.ts";
import { isCodexProvider } from "../openclaw/provider.ts";
import {
  type CodexProfile,
  listName,
  numberedProfiles,
  type ProfileSet,
  selectorFor,
  selectProfile,
} from "../profiles/index.ts";
import { AUTH_WORDS, parseAuthIntent } from "./auth-args.ts";
import type { ChatDeps } from "./deps.ts";
import type { ChatReply, Choice } from "./reply.ts";
import type { CommandRequest } from "./request.ts";
import type { AuthPlanView, AuthRequest } from "./services.ts";

export const MUTATION_PREFACE =
  "I will apply this via `openclaw models auth …` and then verify with models status + auth order get.";

/**
 * /codex_auth: menus and status for any sender that reaches the command; every change needs a confirmation.
 * A step reads the profile set once and plans from it (no `openclaw` call); the confirm applies through the
 * CLI pipeline, which first checks that OpenClaw's order is still the one the plan was made from.
 */
export async function runAuthCommand(req: CommandRequest, deps: ChatDeps): Promise<ChatReply> {
  const intent = parseAuthIntent(req.args);
  const agent = { agentId: req.agentId };
  const profiles = () => deps.services.loadProfiles(agent);
  switch (intent.kind) {
    case "invalid":
      throw new ChatError("unknown_action", intent.reason);
    case "menu":
      return mainMenu(await profiles());
    case "status":
      return { text: (await deps.services.authStatus(agent)).join("\n") };
    case "profile-menu": {
      const set = await profiles();
      return profileMenu(set, selectProfile(set, intent.selector));
    }
    case "mutate": {
      requireMutate(req);
      const set = await profiles();
      const profile = selectProfile(set, intent.selector);
      // The selection matches a full id by its name whatever the prefix; a delete takes the saved one's only.
      const provider = profile.id.split(":")[0] ?? "";
      if (intent.action === "delete" && isCodexProvider(provider)) exactForDelete(intent.selector.trim(), provider);
      return plan(req, deps, set, { action: intent.action, profileId: profile.id, ...agent });
    }
    case "login": {
      requireMutate(req);
      const set = await profiles();
      const profileId = intent.selector === null ? undefined : selectProfile(set, intent.selector).id;
      return plan(req, deps, set, { action: "login", ...(profileId ? { profileId } : {}), ...agent });
    }
    case "optimize": {
      requireMutate(req);
      const set = await profiles();
      const proposal = await deps.services.proposeOrder(agent, set);
      if (!proposal) throw new ChatError("rotation_unavailable", "Optimizing the order is not available yet.");
      const request = { action: "order" as const, order: proposal.order, ...agent, park: proposal.park ?? [] };
      return plan(req, deps, set, request, proposal.reason);
    }
    case "confirm":
      requireOwnPlan(req, deps, intent.id);
      requireMutate(req);
      return confirm(req, deps, intent.id);
    case "cancel":
      requireOwnPlan(req, deps, intent.id);
      return { text: cancelText(deps.pending.cancel(req.senderKey, intent.id ?? undefined), intent.id) };
    case "login-check":
      requireMutate(req);
      return loginCheck(req, deps);
  }
}

// A Cancel button names its plan: an older message's button must not cancel a newer plan (a typed "no" may).
function cancelText(cancelled: boolean, id: string | null): string {
  if (cancelled) return "Cancelled; nothing was changed.";
  return id === null
    ? "Nothing was waiting for a confirmation."
    : "That plan is no longer waiting (confirmed, cancelled, replaced or expired); nothing was changed.";
}

/**
 * A confirmation's buttons are in a shared channel where anyone may tap them (Discord and Telegram run the tap as
 * the tapper's own command): another person's plan id is refused as theirs, not as "nothing pending".
 */
function requireOwnPlan(req: CommandRequest, deps: ChatDeps, id: string | null): void {
  if (id !== null && deps.pending.isOthers(req.senderKey, id))
    throw new ChatError(
      "not_your_confirmation",
      "That confirmation is someone else's: only the person who asked can confirm or cancel it. Nothing was changed.",
    );
}

function requireMutate(req: CommandRequest): void {
  if (!req.canMutate)
    throw new ChatError("not_authorized", "Only an authorized owner may change auth profiles. Nothing was changed.");
}

/**
 * In the stored order yet left out of the effective one: OpenClaw skips it (a failed renewal fenced it, say).
 * Not retired: Restore would plan nothing, and Retire is what takes it out.
 */
function isSkipped(set: ProfileSet, p: CodexProfile): boolean {
  return p.orderIndex === null && (set.storedOrder?.includes(p.id) ?? false);
}

function mainMenu(set: ProfileSet): ChatReply {
  const rows: Choice[][] = [];
  const choices = numberedProfiles(set).map(({ number, profile: p }): Choice => {
    const name = listName(set, p, AUTH_WORDS);
    return {
      label: p.orderIndex !== null ? name : `${name} (${isSkipped(set, p) ? "skipped" : "retired"})`,
      command: `/codex_auth ${selectorFor(set, p, AUTH_WORDS, "id")}`,
      typed: `/codex_auth ${number}`,
      number,
    };
  });
  for (let i = 0; i < choices.length; i += 2) rows.push(choices.slice(i, i + 2));
  rows.push([
    { label: "Status", command: "/codex_auth status", typed: "/codex_auth status" },
    { label: "Add profile", command: "/codex_auth add", typed: "/codex_auth add" },
    { label: "Optimize order", command: "/codex_auth optimize", typed: "/codex_auth optimize" },
  ]);
  const text = ["Manage which Codex profile?", ...(set.warnings ?? []).map((w) => `⚠️ ${w}`)].join("\n");
  return { text, choices: { prompt: "Reply /codex_auth <number>, or:", rows } };
}

function profileMenu(set: ProfileSet, p: CodexProfile): ChatReply {
  const act = (label: string, verb: string, style?: Choice["style"]): Choice => ({
    label,
    command: `/codex_auth ${verb} ${selectorFor(set, p, [], "id")}`,
    typed: `/codex_auth ${verb} ${selectorFor(set, p, [], "label")}`,
    ...(style ? { style } : {}),
  });
  const skipped = isSkipped(set, p);
  const retired = p.orderIndex === null && !skipped;
  const rows: Choice[][] = [
    [act("Put first", "first", "success"), retired ? act("Restore", "restore") : act("Retire", "retire")],
    [act("Re-login (device code)", "login"), act("Delete", "delete", "danger")],
  ];
  const why =
    p.renewal === "failed"
      ? "its sign-in can no longer be renewed; log in again"
      : p.renewal === "in_progress"
        ? "OpenClaw is renewing its sign-in"
        : "it holds no usable sign-in; log in again";
  const where = skipped
    ? `in the stored order, but OpenClaw skips it (${why})`
    : retired
      ? "not in the order (retired)"
      : `position ${p.orderIndex! + 1} in the order`;
  return { text: `${inlineName(p.label)}: ${where}. What should I do?`, choices: { prompt: "Send one of:", rows } };
}

async function plan(
  req: CommandRequest,
  deps: ChatDeps,
  set: ProfileSet,
  request: AuthRequest,
  reason?: string,
): Promise<ChatReply> {
  const view = await deps.services.planAuth(request, set);
  // A sentence each, whatever ids OpenClaw's store lent them: a line break in one must not fake a line of ours.
  const sentence = (text: string) => oneLine(text, MAX_LINE_LENGTH);
  if (view.refusal) return { text: `⚠️ ${sentence(view.refusal.message)} (${view.refusal.code})`, isError: true };
  // Already as asked (a menu shown before someone else changed the order): nothing to confirm.
  if (view.commands.length === 0 && request.action !== "login")
    return { text: `${sentence(view.summary)}: nothing to change.` };
  const twice = request.action === "delete";
  const pending = deps.pending.put(req.senderKey, {
    kind: request.action === "login" ? "login" : "mutation",
    request: view.resolved ?? request,
    confirmationsLeft: twice ? 2 : 1,
    summary: view.summary,
    applyNote: applyingNote(view),
  });
  const lines = [MUTATION_PREFACE, "", ...(reason ? [reason] : []), sentence(view.summary), ...commandLines(view)];
  if (twice)
    lines.push(
      "",
      "This is a hard delete: the profile and its tokens are gone for good (retire keeps them). I will ask twice.",
    );
  return { text: lines.join("\n"), choices: confirmChoices(pending.id, twice ? "Delete" : "Confirm") };
}

/** "Applying via `openclaw models auth order set` and verifying…": the command words before its arguments. */
function applyingNote(view: AuthPlanView): string {
  const first = view.commands[0] ?? [];
  const end = first.findIndex((w) => !/^[a-z]+$/.test(w));
  const words = end === -1 ? first : first.slice(0, end);
  const via = words.length > 0 ? `\`openclaw ${words.join(" ")}\`` : "`openclaw models auth …`";
  return `Applying via ${via} and verifying…`;
}

function commandLines(view: AuthPlanView): string[] {
  // The ids in it are the store's: a command carrying markup is shown as a code span, not rendered.
  return view.commands.map((argv) => `• ${inlineName(`openclaw ${argv.map(shellWord).join(" ")}`, MAX_LINE_LENGTH)}`);
}

function confirmChoices(id: string, yesLabel: string): ChatReply["choices"] {
  return {
    prompt: "Reply /codex_auth yes to apply, /codex_auth no to cancel:",
    personal: true,
    rows: [
      [
        {
          label: yesLabel,
          command: `/codex_auth yes ${id}`,
          typed: "/codex_auth yes",
          style: yesLabel === "Delete" ? "danger" : "primary",
        },
        { label: "Cancel", command: `/codex_auth no ${id}`, typed: "/codex_auth no" },
      ],
    ],
  };
}

async function confirm(req: CommandRequest, deps: ChatDeps, id: string | null): Promise<ChatReply> {
  if (deps.pending.isFirstAsk(req.senderKey, id ?? undefined))
    throw new ChatError(
      "nothing_pending",
      "This delete waits for its second confirmation: answer the “Really delete?” message. Nothing was changed.",
    );
  const pending = deps.pending.take(req.senderKey, id ?? undefined);
  if (!pending)
    throw new ChatError(
      "nothing_pending",
      "Nothing is waiting for a confirmation (it may have expired). Nothing was changed.",
    );
  if (pending.confirmationsLeft > 1) {
    const again = deps.pending.put(req.senderKey, {
      ...pending,
      confirmationsLeft: pending.confirmationsLeft - 1,
      firstAskId: pending.id,
    });
    return {
      text: `Really delete? ${pending.summary.replace(/[^.]$/, "$&.")} This cannot be undone.`,
      choices: confirmChoices(again.id, "Delete"),
    };
  }
  if (pending.kind === "login") {
    const previous = deps.pending.loginSession(req.senderKey);
    const start = await deps.services.startLogin({
      agentId: pending.request.agentId,
      ...(previous ? { replaces: previous } : {}),
      ...(pending.request.profileId ? { profileId: pending.request.profileId } : {}),
      ...(pending.request.provider ? { provider: pending.request.provider } : {}),
    });
    deps.pending.rememberLogin(req.senderKey, start.sessionId, start.expiresInSec * 1000);
    return {
      text: [
        `Open ${start.verificationUrl} and enter the code ${start.userCode} (valid for ` +
          `${Math.max(1, Math.round(start.expiresInSec / 60))} min).`,
        "When you have approved it, check the login.",
      ].join("\n"),
      choices: {
        prompt: "Then send:",
        personal: true,
        rows: [[{ label: "Check login", command: "/codex_auth check", typed: "/codex_auth check" }]],
      },
    };
  }
  // The apply runs several openclaw calls (seconds each): say so at once where the channel can carry it.
  await deps.progress.send(req, pending.applyNote ?? "Applying via `openclaw models auth …` and verifying…");
  const result = await deps.services.applyAuth(pending.request);
  return { text: result.lines.join("\n"), ...(result.applied && result.verified ? {} : { isError: true }) };
}

async function loginCheck(req: CommandRequest, deps: ChatDeps): Promise<ChatReply> {
  const sessionId = deps.pending.loginSession(req.senderKey);
  if (!sessionId) throw new ChatError("nothing_pending", "No login is in progress. Start one with /codex_auth add.");
  const poll = await deps.services.pollLogin({ sessionId });
  if (poll.state !== "pending") deps.pending.forgetLogin(req.senderKey);
  if (poll.state === "pending") {
    return {
      text: poll.message,
      choices: {
        prompt: "Then send:",
        personal: true,
        rows: [[{ label: "Check again", command: "/codex_auth check", typed: "/codex_auth check" }]],
      },
    };
  }
  return { text: poll.message, ...(poll.state === "done" ? {} : { isError: true }) };
}
