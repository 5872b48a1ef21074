/**
 * Gavel TypeScript SDK: IDL types, PDAs, instruction builders, account and event decoders,
 * typed errors.
 * @packageDocumentation
 */
export * from "./constants";
export * from "./pda";
export * from "./program";
export * from "./types";
export * from "./instructions";
export * from "./accounts";
export * from "./events";
export * from "./errors";
export * from "./math";
export * from "./auction";
export * from "./anchored";
export * from "./partial";
export * from "./kick";
export * from "./backstop";
export * from "./oracle";
export type { Gavel } from "./idl/gavel";
export * from "./fetch";
export * from "./subscribe";
export * from "./tx-errors";
export * from "./send";
export * from "./client";
