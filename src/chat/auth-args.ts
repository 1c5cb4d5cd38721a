/** What a /codex_auth argument string asks for. */
export type AuthIntent =
  | { kind: "menu" }
  | { kind: "status" }
  | { kind: "profile-menu"; selector: string }
  | { kind: "mutate"; action: "first" | "retire" | "restore" | "delete"; selector: string }
  | { kind: "login"; selector: string | null }
  | { kind: "login-check" }
  | { kind: "optimize" }
  | { kind: "confirm"; id: string | null }
  | { kind: "cancel"; id: string | null }
  | { kind: "invalid"; reason: string };

type Verb =
  | "status"
  | "first"
  | "retire"
  | "restore"
  | "delete"
  | "login"
  | "add"
  | "check"
  | "optimize"
  | "yes"
  | "no";

const VERBS: Record<string, Verb> = {
  status: "status",
  first: "first",
  top: "first",
  "put-first": "first",
  prefer: "first",
  retire: "retire",
  disable: "retire",
  restore: "restore",
  enable: "restore",
  delete: "delete",
  remove: "delete",
  login: "login",
  relogin: "login",
  "re-login": "login",
  add: "add",
  check: "check",
  optimize: "optimize",
  optimise: "optimize",
  yes: "yes",
  y: "yes",
  confirm: "yes",
  no: "no",
  n: "no",
  cancel: "no",
};

/** The words /codex_auth reads as verbs: a profile whose label is one is typed by its full id. */
export const AUTH_WORDS: readonly string[] = Object.keys(VERBS);

// Own keys only: a profile named "constructor" or "toString" is a profile, not Object.prototype's.
const verbOf = (word: string | undefined): Verb | undefined => {
  const key = (word ?? "").toLowerCase();
  return Object.hasOwn(VERBS, key) ? VERBS[key] : undefined;
};

/** A pending plan's id: 8 hex digits (chat/pending.ts). */
const PLAN_ID = /^[0-9a-f]{8}$/;

export function parseAuthIntent(args: string): AuthIntent {
  if (args === "") return { kind: "menu" };
  const words = args.split(" ");
  const head = verbOf(words[0]);
  if (head) return fromVerb(head, words.slice(1).join(" "));
  const tail = words.length > 1 ? verbOf(words.at(-1)) : undefined;
  if (tail && (tail === "first" || tail === "retire" || tail === "restore" || tail === "delete" || tail === "login")) {
    return fromVerb(tail, words.slice(0, -1).join(" "));
  }
  return { kind: "profile-menu", selector: args };
}

/** Words after a verb that takes none are refused, not dropped: they may be a pasted token or redirect URL. */
const alone = (verb: Verb): AuthIntent => ({
  kind: "invalid",
  reason: `/codex_auth ${verb} takes nothing after it (what followed is not shown); send /codex_auth ${verb} alone.`,
});

function fromVerb(verb: Verb, rest: string): AuthIntent {
  if (rest !== "" && (verb === "status" || verb === "add" || verb === "check" || verb === "optimize"))
    return alone(verb);
  switch (verb) {
    case "status":
      return { kind: "status" };
    case "first":
    case "retire":
    case "restore":
    case "delete":
      return rest === ""
        ? { kind: "invalid", reason: `Say which profile: /codex_auth ${verb} <number or label>.` }
        : { kind: "mutate", action: verb, selector: rest };
    case "login":
      return { kind: "login", selector: rest === "" ? null : rest };
    case "add":
      return { kind: "login", selector: null };
    case "check":
      return { kind: "login-check" };
    case "optimize":
      return { kind: "optimize" };
    // Only a plan's id (what its buttons send) names a plan; other words do not: "no thanks" cancels the one
    // waiting, and "yes please" confirms nothing, so that a typed yes never applies a change it does not name.
    case "yes":
      if (rest === "" || PLAN_ID.test(rest)) return { kind: "confirm", id: rest === "" ? null : rest };
      return { kind: "invalid", reason: "To apply the waiting change reply /codex_auth yes alone (no to cancel it)." };
    case "no":
      return { kind: "cancel", id: PLAN_ID.test(rest) ? rest : null };
  }
}
