import fc from "fast-check";

/** fast-check generators of every credential form a user or an endpoint can hand us, with the part that must vanish. */
export interface PlantedSecret {
  /** The text as it would be pasted or printed. */
  text: string;
  /** The random part: no 12 characters of it may survive. */
  core: string;
}

const B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("");
const b64url = (min: number, max: number) =>
  fc.array(fc.constantFrom(...B64URL), { minLength: min, maxLength: max }).map((c) => c.join(""));
// Random enough to be a credential: mixed case and a digit, as real ones are.
const opaque = (min: number, max: number) => b64url(min, max).map((s) => `aZ9${s}`);

const jwtSegment = b64url(16, 80).map((s) => `eyJ${s}`);

const jwt = fc
  .tuple(jwtSegment, jwtSegment, b64url(0, 60))
  .map(([h, p, sig]) => ({ text: `${h}.${p}.${sig}`, core: p }));
const jwtPiece = fc
  .tuple(jwtSegment, fc.constantFrom("", "."))
  .map(([seg, dot]) => ({ text: `${seg}${dot}`, core: seg.slice(3) }));
const prefixed = fc
  .tuple(fc.constantFrom("rt_", "ac_", "sk-"), b64url(16, 80))
  .map(([prefix, body]) => ({ text: `${prefix}${body}`, core: body }));
const opaqueToken = opaque(40, 90).map((t) => ({ text: t, core: t }));

const encodeTimes = (value: string, times: number): string => {
  let out = value;
  for (let i = 0; i < times; i++) out = encodeURIComponent(out);
  return out;
};
const redirectUrl = fc
  .tuple(b64url(12, 60), b64url(8, 30), fc.integer({ min: 0, max: 2 }), fc.boolean())
  .map(([code, state, times, wrapped]) => {
    const url = `http://localhost:1455/auth/callback?code=${code}&scope=openid&state=${state}`;
    const encoded = encodeTimes(url, times);
    return { text: wrapped || times > 0 ? `https://example.com/next?u=${encoded}` : encoded, core: code };
  });
const bareQuery = fc
  .tuple(fc.constantFrom("code", "refresh_token", "access_token", "id_token"), b64url(12, 60))
  .map(([name, value]) => ({ text: `${name}=${value}`, core: value }));

export const plantedSecret: fc.Arbitrary<PlantedSecret> = fc.oneof(
  jwt,
  jwtPiece,
  prefixed,
  opaqueToken,
  redirectUrl,
  bareQuery,
);

/** Prose around a planted secret: words, numbers, punctuation, never the start of a credential. */
export const prose = fc
  .array(fc.constantFrom(..."abcdefghij klmnop 0123 :,()[]!?—🟢".split("")), { maxLength: 40 })
  .map((c) => c.join(""));

/** True when some 12 characters of core are still in text. */
export function leaks(text: string, core: string): boolean {
  for (let i = 0; i + 12 <= core.length; i++) if (text.includes(core.slice(i, i + 12))) return true;
  return false;
}
