/**
 * Account decoders that need no `Program` (fast bulk decoding). The interfaces and decoders are
 * generated from the program's layout table (programs/gavel/layouts.js → scripts/gen-layouts.js).
 * @module
 */
export * from "./generated/layouts";
