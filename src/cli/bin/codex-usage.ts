import { processRuntime } from "../runtime.ts";
import { usageCommand } from "../usage-command.ts";

await usageCommand(process.argv.slice(2), processRuntime, { env: process.env });
