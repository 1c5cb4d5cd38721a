import { usageCommand } from "../usage-command.ts";
import { processRuntime } from "../runtime.ts";

await usageCommand(process.argv.slice(2), processRuntime, { env: process.env });
