import { authCommand } from "../auth-command.ts";
import { processRuntime } from "../runtime.ts";

await authCommand(process.argv.slice(2), processRuntime, { env: process.env });
