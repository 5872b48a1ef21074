/**
 * Compile-time tests of the SDK's public types: every `@ts-expect-error` line is a mistake that must
 * not compile (tsc fails on an expect-error that finds no error, so a type widened back to
 * `string`, `number`, `Record<string, …>` or `unknown` fails the build). Type-checked, never run:
 * against the sources by `npx tsc -p tests/types` (lint) and spec 10, and against the packed
 * package's declarations in spec 10, where `@gavel/sdk` is the installed tarball.
 */
import { PublicKey, SendTransactionError } from "@solana/web3.js";
import {
  AuctionAccount,
  ConfigAccount,
  ErrorCode,
  filterEvents,
  findEvent,
  GavelClient,
  GavelError,
  gavelErrorOf,
  GavelEvent,
  isGavelError,
  MarketAccount,
  OracleKind,
  parseEvents,
  PriceMode,
  StopLevel,
  toGavelError,
} from "@gavel/sdk";

// Events: a union discriminated by `name`, from the IDL.
export function eventText(e: GavelEvent): string {
  // @ts-expect-error a misspelt event name
  if (e.name === "debtBorowed") return "never";
  if (e.name === "debtBorrowed") return e.data.amount.toString(); // narrowed to DebtBorrowed
  // @ts-expect-error `auctionStarted` has no `amount`
  if (e.name === "auctionStarted") return e.data.amount.toString();
  return e.name;
}
export const owe = (logs: string[]) => findEvent(parseEvents(logs), "auctionTaken")?.owe.toString();
export const lots = (logs: string[]) => filterEvents(parseEvents(logs), "auctionStarted").map((d) => d.lot);
// @ts-expect-error a misspelt event name
export const typoEvent = (logs: string[]) => findEvent(parseEvents(logs), "auctionTakn");
// @ts-expect-error `data` of an unnarrowed event has only the fields every event has
export const anyField = (e: GavelEvent) => e.data.amount;

// ErrorCode: a literal map from the IDL.
export const ltvExceeded: 6031 = ErrorCode.LtvExceeded;
// @ts-expect-error a misspelt error name
export const typoCode = ErrorCode.LtvExceded;
// @ts-expect-error not that error's code
export const wrongCode: 6031 = ErrorCode.AdminRequired;
export function mutate(): void {
  // @ts-expect-error read-only
  ErrorCode.LtvExceeded = 1;
}

// Typed errors: toGavelError returns a GavelError or what it was given, never `unknown`.
export function errorCode(err: SendTransactionError): number | undefined {
  const mapped: GavelError | SendTransactionError = toGavelError(err);
  // @ts-expect-error it may be the SendTransactionError: narrow first
  void mapped.errorName;
  if (mapped instanceof GavelError) {
    // @ts-expect-error a misspelt error name
    if (mapped.errorName === "LtvExceded") return 0;
    return mapped.code;
  }
  const caught: unknown = err;
  const e = gavelErrorOf(caught);
  // @ts-expect-error `undefined` when the failure is not Gavel's
  void e.code;
  if (isGavelError(caught, "LtvExceeded")) {
    const code: 6031 = caught.code;
    // @ts-expect-error narrowed to that one error
    const other: 6011 = caught.code;
    return code + other;
  }
  // @ts-expect-error a misspelt error name
  return isGavelError(caught, "LtvExceded") ? 1 : e?.code;
}

// Enums on decoded accounts.
export function enums(m: MarketAccount, c: ConfigAccount, a: AuctionAccount): number[] {
  const kinds: OracleKind[] = [m.params.collateralOracleKind, m.params.debtOracleKind];
  const modes: PriceMode[] = [m.params.priceMode, a.priceMode];
  const stop: StopLevel = c.stop;
  // @ts-expect-error 7 is no oracle kind (a `number` field would accept it)
  m.params.collateralOracleKind = 7;
  // @ts-expect-error 2 is no price mode
  a.priceMode = 2;
  // @ts-expect-error 4 is no stop level
  c.stop = 4;
  return [...kinds, ...modes, stop];
}

// A market by its mints, as every action takes it.
export async function markets(client: GavelClient, collateralMint: PublicKey, debtMint: PublicKey) {
  const byRef = await client.getMarket({ collateralMint, debtMint });
  const byMints = await client.getMarket(collateralMint, debtMint);
  const byAddress = await client.getMarket(byRef!.shareMint);
  // @ts-expect-error a market reference needs both mints
  await client.getMarket({ collateralMint });
  return [byRef, byMints, byAddress];
}
