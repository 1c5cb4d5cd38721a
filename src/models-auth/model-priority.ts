import { Type } from "@sinclair/typebox";
import { InputError, OpenclawCliError, type Outcome } from "../errors/index.ts";
import { OpenclawCli } from "../openclaw-cli/index.ts";
import { quoteInput } from "../secrets/redact.ts";
import { failureOf } from "./failure.ts";

/**
 * agents.defaults.model primary + fallbacks, changed only with `openclaw models set` and
 * `openclaw models fallbacks clear|add`, as preflight (config get) → plan → apply → verify (config get).
 * Added for rotation (seed 000's "preferred model, then Codex"); same rules as the auth pipeline:
 * validated arguments, no file edits, a mismatch is reported and never patched.
 */
export interface ModelPriority {
  primary: string | null;
  fallbacks: string[];
}

export interface ModelPriorityResult {
  ok: boolean;
  outcome: Outcome;
  preflight: ModelPriority | null;
  commands: string[][];
  confirmed: boolean;
  verify: { matches: boolean; expected: ModelPriority; observed: ModelPriority } | null;
  error: { code: string; message: string } | null;
}

const MODEL_REF = /^[a-z0-9][a-z0-9._-]{0,63}\/[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function validateModelRef(value: string): string {
  if (!MODEL_REF.test(value)) {
    const shown = quoteInput(value, "model reference");
    throw new InputError(
      "invalid_model_ref",
      `Not a model reference: ${shown} (expected <provider>/<model>, e.g. openai/gpt-5.5).`,
    );
  }
  return value;
}

export function validatePriority(p: ModelPriority): ModelPriority {
  if (!p.primary) throw new InputError("missing_primary", "A model priority needs a primary model.");
  const all = [validateModelRef(p.primary), ...p.fallbacks.map(validateModelRef)];
  if (new Set(all).size !== all.length)
    throw new InputError("duplicate_model", "A model appears twice in the priority.");
  return { primary: p.primary, fallbacks: [...p.fallbacks] };
}

const ModelJson = Type.Union([
  Type.String(),
  Type.Object({ primary: Type.Optional(Type.String()), fallbacks: Type.Optional(Type.Array(Type.String())) }),
]);

async function readPriority(cli: OpenclawCli): Promise<ModelPriority> {
  try {
    const v = await cli.runJson(["config", "get", "agents.defaults.model", "--json"], ModelJson);
    return typeof v === "string"
      ? { primary: v, fallbacks: [] }
      : { primary: v.primary ?? null, fallbacks: v.fallbacks ?? [] };
  } catch (err) {
    // An unset path is a normal state: no primary, no fallbacks.
    if (
      err instanceof OpenclawCliError &&
      err.code === "openclaw_failed" &&
      /not found|no value|unset|does not exist/i.test(err.message)
    ) {
      return { primary: null, fallbacks: [] };
    }
    throw err;
  }
}

const sameList = (a: string[], b: string[]): boolean => a.length === b.length && a.every((m, i) => m === b[i]);
const same = (a: ModelPriority, b: ModelPriority): boolean =>
  a.primary === b.primary && sameList(a.fallbacks, b.fallbacks);

/** The commands that turn `from` into `to`; empty when nothing changes. Pure. */
export function planPriority(from: ModelPriority, to: ModelPriority): string[][] {
  const commands: string[][] = [];
  if (to.primary && from.primary !== to.primary) commands.push(["models", "set", to.primary]);
  if (!sameList(from.fallbacks, to.fallbacks)) {
    commands.push(["models", "fallbacks", "clear"]);
    for (const m of to.fallbacks) commands.push(["models", "fallbacks", "add", m]);
  }
  return commands;
}

/** What the user asks for: `fallbacks` null keeps the current ones, less the new primary. */
export interface WantedPriority {
  primary: string | null;
  fallbacks: string[] | null;
}

export async function applyModelPriority(
  wanted: WantedPriority,
  opts: { confirm: boolean; env?: NodeJS.ProcessEnv; cli?: OpenclawCli },
): Promise<ModelPriorityResult> {
  const result: ModelPriorityResult = {
    ok: false,
    outcome: "failure",
    preflight: null,
    commands: [],
    confirmed: false,
    verify: null,
    error: null,
  };
  const cli = opts.cli ?? new OpenclawCli({ env: opts.env });
  let target: ModelPriority | null = null;
  try {
    validatePriority({ primary: wanted.primary, fallbacks: wanted.fallbacks ?? [] });
    result.preflight = await readPriority(cli);
    const kept = result.preflight.fallbacks.filter((m) => m !== wanted.primary);
    target = validatePriority({ primary: wanted.primary, fallbacks: wanted.fallbacks ?? kept });
    result.commands = planPriority(result.preflight, target);
    if (result.commands.length === 0 || !opts.confirm) return { ...result, ok: true, outcome: "ok" };
    result.confirmed = true;
    for (const command of result.commands) await cli.run(command);
    const observed = await readPriority(cli);
    result.verify = { matches: same(observed, target), expected: target, observed };
    if (!result.verify.matches) {
      return {
        ...result,
        outcome: "verify_mismatch",
        error: {
          code: "verify_mismatch",
          message: "OpenClaw's model settings after the change differ from the plan; nothing was re-applied.",
        },
      };
    }
    return { ...result, ok: true, outcome: "ok" };
  } catch (err) {
    const { outcome, error } = failureOf(err);
    // Once a command ran, any failure of openclaw is a failed apply.
    const applying = result.confirmed && error.code !== "internal_error";
    // A command may have failed part-way (after `fallbacks clear`, say): read back what OpenClaw has now.
    const observed = applying && target ? await readPriority(cli).catch(() => null) : null;
    const verify = observed && target ? { matches: same(observed, target), expected: target, observed } : null;
    if (verify?.matches) return { ...result, verify, ok: true, outcome: "ok" };
    return {
      ...result,
      verify,
      outcome: applying ? "apply_failed" : outcome,
      error: { code: error.code, message: error.message },
    };
  }
}
