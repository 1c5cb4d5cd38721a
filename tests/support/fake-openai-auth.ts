import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { type FakeTokenClaims, fakeAccessToken } from "./fake-jwt.ts";

/**
 * auth.openai.com (and chatgpt.com) on loopback, for driving OpenClaw's own OAuth renewal offline.
 * OpenClaw's token endpoint is a constant (https://auth.openai.com/oauth/token, hostname allowlist
 * auth.openai.com), but its fetch honours HTTPS_PROXY ("trusted_env_proxy" mode, no DNS lookup). So the
 * process under test gets HTTPS_PROXY=<this loopback proxy> and NODE_EXTRA_CA_CERTS=<a throwaway CA>; the
 * proxy answers CONNECT and terminates TLS itself with a certificate for those two names. Nothing leaves
 * the machine: every tunnel ends here.
 */
const BOB = { accountId: "acc-bob", userId: "user-bob", email: "bob@example.com", plan: "pro" };

interface FakeAuthRequest {
  host: string;
  method: string;
  path: string;
  /** For token requests: the form fields, with the refresh token replaced by its length. */
  grantType?: string;
  refreshTokenLength?: number;
  refreshToken?: string;
}

export interface FakeOpenAiAuth {
  proxyUrl: string;
  caFile: string;
  /** What the process under test needs: HTTPS_PROXY (both spellings), NO_PROXY cleared, NODE_EXTRA_CA_CERTS. */
  env: Record<string, string>;
  requests: FakeAuthRequest[];
  /** The tokens it handed out, for leak checks. */
  issued: string[];
  close(): Promise<void>;
}

function makeCertificates(dir: string): { ca: string; key: string; cert: string } {
  mkdirSync(dir, { recursive: true });
  const p = (f: string): string => join(dir, f);
  const ssl = (...args: string[]): void => {
    execFileSync("openssl", args, { stdio: "ignore" });
  };
  const newKey = ["-newkey", "rsa:2048", "-nodes"];
  ssl(
    "req",
    "-x509",
    ...newKey,
    "-keyout",
    p("ca.key"),
    "-out",
    p("ca.crt"),
    "-days",
    "2",
    "-subj",
    "/CN=test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  ssl("req", ...newKey, "-keyout", p("leaf.key"), "-out", p("leaf.csr"), "-subj", "/CN=auth.openai.com");
  writeFileSync(
    p("leaf.ext"),
    "subjectAltName=DNS:auth.openai.com,DNS:chatgpt.com\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
  );
  ssl(
    "x509",
    "-req",
    "-in",
    p("leaf.csr"),
    "-CA",
    p("ca.crt"),
    "-CAkey",
    p("ca.key"),
    "-CAcreateserial",
    "-out",
    p("leaf.crt"),
    "-days",
    "2",
    "-extfile",
    p("leaf.ext"),
  );
  return { ca: p("ca.crt"), key: readFileSync(p("leaf.key"), "utf8"), cert: readFileSync(p("leaf.crt"), "utf8") };
}

export async function startFakeOpenAiAuth(
  dir: string,
  options: { tokenStatus?: number; tokenBody?: string; account?: Omit<FakeTokenClaims, "exp"> } = {},
): Promise<FakeOpenAiAuth> {
  // Renewed tokens keep the account's identity: OpenClaw refuses a refresh that changes it.
  const account = options.account ?? BOB;
  const certs = makeCertificates(dir);
  const requests: FakeAuthRequest[] = [];
  const issued: string[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const host = (req.headers.host ?? "").split(":")[0]!;
      const entry: FakeAuthRequest = { host, method: req.method ?? "", path: req.url ?? "" };
      requests.push(entry);
      if (host === "auth.openai.com" && req.url === "/oauth/token") {
        const form = new URLSearchParams(body);
        entry.grantType = form.get("grant_type") ?? undefined;
        entry.refreshToken = form.get("refresh_token") ?? undefined;
        entry.refreshTokenLength = entry.refreshToken?.length;
        if (options.tokenStatus && options.tokenStatus !== 200) {
          res.writeHead(options.tokenStatus, { "content-type": "application/json" });
          const refusal = { error: { code: "refresh_token_invalidated", message: "invalidated" } };
          res.end(options.tokenBody ?? JSON.stringify(refusal));
          return;
        }
        const exp = Math.floor(Date.now() / 1000) + 864_000;
        const access = fakeAccessToken({ ...account, exp });
        const refresh = `renewed-refresh-${issued.length}-0123456789`;
        issued.push(access, refresh);
        res.writeHead(200, { "content-type": "application/json" });
        const tokens = { access_token: access, refresh_token: refresh, expires_in: 864_000, token_type: "Bearer" };
        res.end(JSON.stringify(tokens));
        return;
      }
      // A model request (a probe): refused as a bad request, which OpenClaw does not retry.
      res.writeHead(400, { "content-type": "application/json" });
      const error = { type: "invalid_request_error", message: "loopback fake: no model service here" };
      res.end(JSON.stringify({ error }));
    });
  };
  const tls = createHttpsServer({ key: certs.key, cert: certs.cert }, handle);
  const proxy = createHttpServer((req, res) => {
    requests.push({ host: "(plain proxy request)", method: req.method ?? "", path: req.url ?? "" });
    res.writeHead(502);
    res.end();
  });
  proxy.on("connect", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const [host, port] = (req.url ?? "").split(":");
    if ((host !== "auth.openai.com" && host !== "chatgpt.com") || port !== "443") {
      requests.push({ host: host ?? "", method: "CONNECT", path: req.url ?? "" });
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    tls.emit("connection", socket);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  const port = (proxy.address() as AddressInfo).port;
  const proxyUrl = `http://127.0.0.1:${port}`;
  return {
    proxyUrl,
    caFile: certs.ca,
    env: { HTTPS_PROXY: proxyUrl, https_proxy: proxyUrl, NO_PROXY: "", no_proxy: "", NODE_EXTRA_CA_CERTS: certs.ca },
    requests,
    issued,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}
