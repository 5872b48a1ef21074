/**
 * Typed program errors: every code of the program's `GavelError` enum, from the IDL.
 * @module
 */
import { PublicKey } from "@solana/web3.js";
import { PROGRAM_ID } from "./constants";
import type { Gavel } from "./idl/gavel";
import idlJson from "./idl/gavel.json";

/** One error of the IDL type (names camelCase there: `ltvExceeded`). */
type IdlError = Gavel["errors"][number];

/** Every error name → its code, literal types from the IDL: `{ readonly LtvExceeded: 6031; … }`. */
export type ErrorCodes = { readonly [E in IdlError as Capitalize<E["name"]>]: E["code"] };

/** A Gavel error name, as in `error.rs` and `idl/gavel.json`: `"LtvExceeded"`, `"AdminRequired"`, … */
export type GavelErrorName = keyof ErrorCodes;

/** A Gavel error code (6000 …). */
export type GavelErrorCode = ErrorCodes[GavelErrorName];

/**
 * A Gavel program error with its stable code, name and message. `GavelError<"LtvExceeded">` is
 * that one error (`code: 6031`); test with {@link isGavelError}.
 */
export class GavelError<N extends GavelErrorName = GavelErrorName> extends Error {
  constructor(
    readonly code: ErrorCodes[N],
    readonly errorName: N,
    message: string,
  ) {
    super(`${errorName} (${code}): ${message}`);
    this.name = "GavelError";
  }
}

/** Error code → `{ name, msg }`, from the IDL. */
export const GAVEL_ERRORS: ReadonlyMap<GavelErrorCode, { name: GavelErrorName; msg: string }> = new Map(
  idlJson.errors.map((e) => [e.code as GavelErrorCode, { name: e.name as GavelErrorName, msg: e.msg }]),
);

/** Error name → code, e.g. `ErrorCode.AdminRequired === 6011`; a misspelt name does not compile. */
export const ErrorCode: ErrorCodes = Object.freeze(
  Object.fromEntries(idlJson.errors.map((e) => [e.name, e.code])),
) as ErrorCodes;

/** The `GavelError` for `code`, or `undefined` when the code is not Gavel's. */
export function gavelErrorFromCode(code: number): GavelError | undefined {
  const e = GAVEL_ERRORS.get(code as GavelErrorCode);
  return e ? new GavelError(ErrorCode[e.name], e.name, e.msg) : undefined;
}

/**
 * `true` when `err` is a {@link GavelError} — with `name`, only that error, typed by it:
 * `if (isGavelError(err, "LtvExceeded")) err.code // 6031`.
 */
export function isGavelError<N extends GavelErrorName = GavelErrorName>(
  err: unknown,
  name?: N,
): err is GavelError<N> {
  const gavel =
    err instanceof GavelError ||
    (err instanceof Error && err.name === "GavelError" && "errorName" in err && "code" in err);
  return gavel && (name === undefined || (err as GavelError).errorName === name);
}

const CUSTOM_HEX = /custom program error: 0x([0-9a-fA-F]+)/;
const FAILED_LOG = /^Program (\w+) failed: custom program error: 0x([0-9a-fA-F]+)/;
const CUSTOM_DEC = /"Custom":\s*(\d+)|InstructionErrorCustom \{ code: (\d+) \}|Custom\((\d+)\)/;

/**
 * Finds a Gavel error in anything a send or simulation may produce: log lines, an error with
 * `logs`, a web3.js `TransactionError` (`{ InstructionError: [i, { Custom: n }] }`) or its text.
 * When the logs say which program failed, only a failure of `programId` counts: another
 * program's custom error (say a swap's 6001 inside a flash take) is not a Gavel error.
 */
export function parseGavelError(err: unknown, programId: PublicKey = PROGRAM_ID): GavelError | undefined {
  if (err instanceof GavelError) return err;
  const texts: string[] = [];
  const visit = (v: unknown): void => {
    if (v == null) return;
    if (typeof v === "string") texts.push(v);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (typeof o.Custom === "number") texts.push(`"Custom": ${o.Custom}`);
      if (o.logs) visit(o.logs);
      if (o.InstructionError) visit(o.InstructionError);
      if (typeof o.message === "string") texts.push(o.message);
      if (typeof (o as { toString?: unknown }).toString === "function") texts.push(String(v));
    }
  };
  visit(err);
  const failures = texts.map((t) => FAILED_LOG.exec(t)).filter((m): m is RegExpExecArray => m !== null);
  if (failures.length > 0) {
    const last = failures[failures.length - 1];
    return last[1] === programId.toBase58() ? gavelErrorFromCode(parseInt(last[2], 16)) : undefined;
  }
  for (const t of texts) {
    const hex = CUSTOM_HEX.exec(t);
    if (hex) return gavelErrorFromCode(parseInt(hex[1], 16));
    const dec = CUSTOM_DEC.exec(t);
    if (dec) return gavelErrorFromCode(Number(dec[1] ?? dec[2] ?? dec[3]));
  }
  return undefined;
}
