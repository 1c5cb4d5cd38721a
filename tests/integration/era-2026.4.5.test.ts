import { describeEraMatrix } from "../support/era-matrix.ts";

describeEraMatrix("2026.4.5", "reads");
