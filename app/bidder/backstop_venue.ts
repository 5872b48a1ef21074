/**
 * The bidder's second venue (issue 19, `--backstop-buy`): the market's backstop pool sells the
 * collateral it absorbed at oracle × (1 − `buy_discount_bps`) through `buy_from_backstop`. On each
 * evaluation of a market (oracle updates, resyncs) this reads the pool (at most once a second per
 * market), asks the pure {@link decideBackstopBuy} whether buying pays under the bot's cost model
 * (the strategy's value price, margin, fees), and sends the purchase through the bot's `Sender`,
 * paid from the inventory (reserved while in flight). One purchase per market at a time. The
 * bot's collateral account is the associated one its start created (`ensureTokenAccounts`), as
 * for takes: a purchase does not carry an account-creating instruction.
 * Logs `backstop.buy`, `backstop.buy.won`, `backstop.buy.lost`, `backstop.buy.failed`, `skip`.
 * @module
 */
import BN from "bn.js";
import { Connection, PublicKey } from "@solana/web3.js";
import type { Logger } from "pino";
import { backstopAddresses, buyFromBackstopIx, decodeBackstop } from "../../sdk/src";
import { FeePolicy, priorityFeeMicroLamports } from "./decide";
import { decideBackstopBuy } from "./decide_backstop";
import { MarketState } from "./account_index";
import { Sender } from "./sender";
import { BotAccounts, Inventory, TakeStrategy } from "./strategies";

/** Compute-unit limit before a landed purchase taught a better one. */
const DEFAULT_CU = 40_000;
/** Errors that mean another buyer (or a price move) got there first. */
const RACE_ERRORS = new Set(["BackstopCollateralInsufficient", "PriceAboveMax", "TakeTooSmall"]);

/** What the venue needs from the bot. */
export interface BackstopVenueDeps {
  connection: Connection;
  sender: Pick<Sender, "send" | "cachedCu" | "learnCu">;
  log: Logger;
  strategy: TakeStrategy;
  inventory: Inventory;
  programId: PublicKey;
  minProfitBps: number;
  dryRun: boolean;
  accountsFor(m: MarketState): BotAccounts;
  fees(m: MarketState): FeePolicy;
  nowSecs(): number;
  /** False once the bot is stopping. */
  running(): boolean;
}

export class BackstopVenue {
  private readonly busy = new Set<string>();
  private readonly lastRead = new Map<string, number>();
  private readonly lastSkip = new Map<string, string>();

  constructor(private readonly deps: BackstopVenueDeps) {}

  /** Looks at `m`'s pool and buys when it pays (never throws). */
  async consider(m: MarketState): Promise<void> {
    if (this.busy.has(m.key) || Date.now() - (this.lastRead.get(m.key) ?? 0) < 1_000) return;
    this.busy.add(m.key);
    this.lastRead.set(m.key, Date.now());
    try {
      await this.tryBuy(m);
    } catch (e) {
      this.deps.log.warn(
        { event: "backstop.buy.failed", market: m.key, error: String(e) },
        "backstop.buy.failed",
      );
    } finally {
      this.busy.delete(m.key);
    }
  }

  private skip(m: MarketState, reason: string, fields: Record<string, unknown> = {}): void {
    const sig = `${reason}|${JSON.stringify(fields)}`;
    if (this.lastSkip.get(m.key) === sig) return;
    this.lastSkip.set(m.key, sig);
    this.deps.log.info({ event: "skip", subject: `backstop.buy:${m.key}`, reason, ...fields }, "skip");
  }

  private async tryBuy(m: MarketState): Promise<void> {
    const { deps } = this;
    const oracleMid = m.price();
    const now = deps.nowSecs();
    if (!oracleMid || !m.oracleUsableOnChain(now)) return this.skip(m, "no_oracle_price");
    const address = backstopAddresses(m.address, deps.programId).backstop;
    const info = await deps.connection.getAccountInfo(address, "confirmed");
    if (!info || info.data.length === 0) return this.skip(m, "no_backstop");
    const pool = decodeBackstop(info.data);
    if (pool.collateral.isZero()) return this.skip(m, "pool_empty");
    const valuePrice = await deps.strategy.valuePrice(m, pool.collateral);
    if (!valuePrice) return this.skip(m, "no_value_price");
    const debtMint = m.account.debtMint.toBase58();
    const cuKey = `backstop_buy:${m.key}`;
    const cuLimit = deps.sender.cachedCu(cuKey) ?? DEFAULT_CU;
    const d = decideBackstopBuy({
      pool,
      oracleMid,
      valuePrice,
      minProfitBps: deps.minProfitBps,
      budget: deps.inventory.available(debtMint),
      fees: deps.fees(m),
      cuLimit,
      signatures: 1,
    });
    if (d.action === "skip")
      return this.skip(m, d.reason, { price: d.price?.toString(), limit: d.limit?.toString() });
    const accounts = deps.accountsFor(m);
    const fields = {
      market: m.key,
      price: d.price.toString(),
      limit: d.limit.toString(),
      collateral: d.collateral.toString(),
      owe: d.owe.toString(),
      grossProfit: d.grossProfit.toString(),
      feeDebt: d.fee.feeDebt.toString(),
      oraclePrice: oracleMid.toString(),
    };
    if (deps.dryRun) {
      deps.log.info({ event: "backstop.buy", dryRun: true, ...fields }, "backstop.buy");
      return;
    }
    const release = deps.inventory.reserve(debtMint, d.owe);
    try {
      const res = await deps.sender.send({
        kind: cuKey,
        ixs: [
          buyFromBackstopIx(
            {
              ...m.ixAccounts(),
              buyer: accounts.owner,
              buyerDebtAccount: accounts.debt,
              buyerCollateralAccount: accounts.collateral,
            },
            { maxCollateral: d.collateral, maxPrice: d.limit },
            deps.programId,
          ),
        ],
        signers: [],
        cuLimit,
        microLamports: priorityFeeMicroLamports(d.grossProfit, cuLimit, deps.fees(m)),
        onSent: (signature, _sentAt, attempt) =>
          deps.log.info({ event: "backstop.buy", ...fields, signature, attempt }, "backstop.buy"),
        stillWanted: () => deps.running(),
      });
      if (res.ok) {
        if (res.computeUnits) deps.sender.learnCu(cuKey, res.computeUnits);
        const ev = res.events.find((e) => e.name === "backstopCollateralBought")?.data;
        deps.log.info(
          {
            event: "backstop.buy.won",
            ...fields,
            price: (ev?.price as BN | undefined)?.toString(),
            collateral: (ev?.collateral as BN | undefined)?.toString(),
            owe: (ev?.owe as BN | undefined)?.toString(),
            signature: res.signature,
          },
          "backstop.buy.won",
        );
      } else if (res.gavel && RACE_ERRORS.has(res.gavel.errorName)) {
        deps.log.info(
          { event: "backstop.buy.lost", ...fields, reason: res.gavel.errorName, signature: res.signature },
          "backstop.buy.lost",
        );
      } else {
        deps.log.error(
          { event: "backstop.buy.failed", ...fields, reason: res.reason, error: res.error },
          "backstop.buy.failed",
        );
      }
    } finally {
      release();
    }
  }
}
