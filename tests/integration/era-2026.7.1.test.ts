import { describeEraMatrix } from "../support/era-matrix.ts";

describeEraMatrix("2026.7.1", "row");
