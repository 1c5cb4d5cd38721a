import { describeEraMatrix } from "../support/era-matrix.ts";

describeEraMatrix("2026.9.6", "row");
