import { rotateCommand } from "../rotate-command.ts";
import { processRuntime } from "../runtime.ts";

await rotateCommand(process.argv.slice(2), processRuntime, { env: process.env });
