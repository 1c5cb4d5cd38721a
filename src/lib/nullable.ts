import { type TSchema, Type } from "@sinclair/typebox";

/** A schema that also accepts null (absent values are written as null). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
