/**
 * Story of the lending markets' edges on the real gavel.so (LiteSVM, real SPL Token and Token-2022):
 * a market priced by a Pyth pull oracle (`PriceUpdateV2`, identified by its feed id, posted at any
 * address), a market whose debt token has its own oracle, mints the program refuses, accounts
 * swapped for look-alikes (wrong mint, foreign vault, type cosplay, foreign owner, a position of
 * another market), and interest as the only thing that moves the LP share price. Each world has
 * its own chain and mints; after every step the vaults must match the accounting.
 */
import BN from "bn.js";
import { expect } from "chai";
import { MINT_SIZE, TOKEN_2022_PROGRAM_ID } from "@solana/spl-token";
import { Keypair, PublicKey, TransactionInstruction } from "@solana/web3.js";
import { randomBytes } from "crypto";
import {
  accrueIx,
  borrowIx,
  createMarketIx,
  depositCollateralIx,
  depositLiquidityIx,
  encodePriceUpdateV2,
  marketAddresses,
  MarketParams,
  MarketRef,
  maxDebtFor,
  mulDivFloor,
  OracleKind,
  openPositionIx,
  positionPda,
  priceFromPyth,
  pythAccountInfo,
  PYTH_RECEIVER_PROGRAM_ID,
  RATE_SCALE,
  repayIx,
  REPAY_ALL,
  valueFloor,
  withdrawLiquidityIx,
  requestWithdrawalIx,
  findEvent,
} from "../sdk/src";
import { defaultParams, LendingWorld, SOL, USDC, WITHDRAW_COOLDOWN_SECS } from "../sdk/testkit";

/**
 * Max debt the program allows on `ink` SOL when SOL trades at `collUsd` with the 10 bps confidence
 * `LendingWorld.setPrice`/`setPullPrice` publish (valued at price − confidence), as the SDK mirror
 * of the program's math computes it. Without `debtUsd` the market has no debt oracle (the debt
 * token is worth exactly 1 USD); with it, the debt token is priced at `debtUsd` + 10 bps.
 */
function maxBorrow(ink: BN, collUsd: number, debtUsd?: number): BN {
  const coll = new BN(Math.round(collUsd * 1e8));
  const debt = debtUsd === undefined ? null : new BN(Math.round(debtUsd * 1e8));
  const p = priceFromPyth({
    collPrice: coll.sub(coll.muln(10).divn(10_000)),
    collExpo: -8,
    debtPrice: debt ? debt.add(debt.muln(10).divn(10_000)) : new BN(1),
    debtExpo: debt ? -8 : 0,
    collDecimals: 9,
    debtDecimals: 6,
  })!;
  return maxDebtFor(valueFloor(ink, p)!, new BN(7_000))!; // the markets' 70% max LTV
}

/** The LP's accounts of `w`'s market. */
const lpAccounts = (w: LendingWorld, lp: Keypair) => ({
  ...w.ref,
  lp: lp.publicKey,
  lpDebtAccount: w.ata(w.ref.debtMint, lp.publicKey),
  lpShareAccount: w.ata(w.addrs.shareMint, lp.publicKey),
});

/** `owner` moves `amount` of their collateral into their position of `w`'s market. */
const depositCollateral = (w: LendingWorld, owner: Keypair, amount: BN): TransactionInstruction =>
  depositCollateralIx(
    {
      ...w.ref,
      depositor: owner.publicKey,
      owner: owner.publicKey,
      source: w.ata(w.ref.collateralMint, owner.publicKey),
    },
    amount,
  );

/** `owner` borrows `amount` from `w`'s market, presenting `oracles`. */
const borrow = (w: LendingWorld, owner: Keypair, amount: BN, oracles: PublicKey[]): TransactionInstruction =>
  borrowIx(
    { ...w.ref, owner: owner.publicKey, destination: w.ata(w.ref.debtMint, owner.publicKey), oracles },
    amount,
  );

/** An LP with `usdc` USDC deposited in `w`'s market; returns the LP. */
function lpDeposits(w: LendingWorld, usdc: BN): Keypair {
  const lp = w.actor();
  w.fundDebt(lp.publicKey, usdc);
  w.mustSend([depositLiquidityIx(lpAccounts(w, lp), usdc)], [lp]);
  return lp;
}

/** A borrower with an open position holding `sol` SOL of collateral in `w`'s market. */
function borrowerWith(w: LendingWorld, sol: BN): Keypair {
  const b = w.actor();
  w.fundCollateral(b.publicKey, sol);
  w.mustSend([openPositionIx({ ...w.ref, owner: b.publicKey }), depositCollateral(w, b, sol)], [b]);
  return b;
}

describe("06 lending: oracles and edge cases (LiteSVM)", () => {
  const worlds: LendingWorld[] = [];
  const world = (): LendingWorld => {
    const w = new LendingWorld();
    worlds.push(w);
    return w;
  };

  afterEach(function () {
    for (const w of worlds) if (w.chain.svm.getAccount(w.addrs.market)) w.assertVaultsMatchAccounting();
  });

  describe("a SOL/USDC market priced by a Pyth pull oracle (PriceUpdateV2)", () => {
    const w = world();
    /** The SOL/USD feed id; the market stores it where a legacy market stores the price account. */
    const feedId = randomBytes(32);
    let borrower: Keypair;
    /** The position's debt: its art, as the index stays at 1.0 (no time passes in this world). */
    const debt = () => w.position(borrower.publicKey)!.art;
    const tryBorrow = (amount: BN, oracle: PublicKey) =>
      w.chain.send([borrow(w, borrower, amount, [oracle])], [borrower]);

    it("the admin creates it with the receiver program as oracle owner and the feed id as oracle", () => {
      const params = defaultParams(new PublicKey(feedId), OracleKind.PythPull);
      expect(params.oracleProgram.toBase58()).to.equal(PYTH_RECEIVER_PROGRAM_ID.toBase58());
      w.createMarket(params);
      const p = w.market().params;
      expect(p.collateralOracleKind).to.equal(OracleKind.PythPull);
      expect(p.oracleProgram.toBase58()).to.equal(PYTH_RECEIVER_PROGRAM_ID.toBase58());
      expect(Buffer.from(p.collateralOracle.toBytes()).equals(feedId)).to.equal(true);
    });

    it("an LP deposits 100,000 USDC and a borrower posts 10 SOL", () => {
      lpDeposits(w, USDC(100_000));
      borrower = borrowerWith(w, SOL(10));
      expect(w.market().cash.toString()).to.equal(USDC(100_000).toString());
      expect(w.position(borrower.publicKey)!.ink.toString()).to.equal(SOL(10).toString());
    });

    it("the borrower borrows 100 USDC with a fresh, fully verified update posted at an address of their choosing", () => {
      const anywhere = Keypair.generate().publicKey;
      w.setPullPrice(anywhere, feedId, 150);
      const res = w.mustSend([borrow(w, borrower, USDC(100), [anywhere])], [borrower]);
      expect(res.events.find((e) => e.name === "debtBorrowed")!.data.debt.toString()).to.equal(
        USDC(100).toString(),
      );
      expect(w.balance(w.ata(w.ref.debtMint, borrower.publicKey)).toString()).to.equal(USDC(100).toString());
    });

    it("an update signed by only part of the guardians is refused (OracleVerificationInsufficient)", () => {
      const partial = Keypair.generate().publicKey;
      w.setPullPrice(partial, feedId, 150, { partial: 13 });
      expect(tryBorrow(USDC(100), partial).error?.errorName).to.equal("OracleVerificationInsufficient");
      expect(debt().toString()).to.equal(USDC(100).toString());
    });

    it("a fully verified update of another feed is refused (OracleAccountInvalid)", () => {
      const other = Keypair.generate().publicKey;
      const otherFeed = Buffer.from(feedId);
      otherFeed[31] ^= 1;
      w.setPullPrice(other, otherFeed, 150);
      expect(tryBorrow(USDC(100), other).error?.errorName).to.equal("OracleAccountInvalid");
      expect(debt().toString()).to.equal(USDC(100).toString());
    });

    it("the same update owned by the legacy Pyth program instead of the receiver is refused (OracleOwnerInvalid)", () => {
      const fake = Keypair.generate().publicKey;
      const data = encodePriceUpdateV2({
        feedId,
        price: new BN(15_000_000_000),
        conf: new BN(15_000_000),
        expo: -8,
        publishTime: new BN(w.now.toString()),
        postedSlot: new BN(w.slot.toString()),
      });
      w.chain.svm.setAccount(fake, pythAccountInfo(OracleKind.PythLegacy, data));
      expect(tryBorrow(USDC(100), fake).error?.errorName).to.equal("OracleOwnerInvalid");
      // The very same bytes owned by the receiver are accepted (checked with a 1-unit over-limit
      // borrow, which only fails at the LTV check, after the oracle was read).
      w.chain.svm.setAccount(fake, pythAccountInfo(OracleKind.PythPull, data));
      const over = maxBorrow(SOL(10), 150).sub(USDC(100)).addn(1);
      expect(tryBorrow(over, fake).error?.errorName).to.equal("LtvExceeded");
      expect(debt().toString()).to.equal(USDC(100).toString());
    });

    it("with an update at yet another address the borrower borrows exactly to the limit; one unit more is refused", () => {
      const elsewhere = Keypair.generate().publicKey;
      w.setPullPrice(elsewhere, feedId, 150);
      const room = maxBorrow(SOL(10), 150).sub(USDC(100));
      expect(tryBorrow(room.addn(1), elsewhere).error?.errorName).to.equal("LtvExceeded");
      w.mustSend([borrow(w, borrower, room, [elsewhere])], [borrower]);
      expect(debt().toString()).to.equal(maxBorrow(SOL(10), 150).toString());
    });
  });

  describe("a market whose debt token has its own (legacy Pyth) oracle", () => {
    const w = world();
    const debtOracle = Keypair.generate().publicKey;
    const both = [w.oracle, debtOracle];
    let borrower: Keypair;
    const setDebtPrice = (usd: number) => w.setPrice(usd, { account: debtOracle });

    it("the admin creates it with a second price account for the debt token", () => {
      const params: MarketParams = { ...defaultParams(w.oracle), debtOracleKind: 0, debtOracle };
      w.createMarket(params);
      expect(w.market().params.debtOracle.toBase58()).to.equal(debtOracle.toBase58());
      lpDeposits(w, USDC(100_000));
      borrower = borrowerWith(w, SOL(100));
      w.setPrice(150);
      setDebtPrice(1);
    });

    it("borrowing with only the collateral oracle is refused (AccountsMissing), and with the two swapped (OracleAccountInvalid)", () => {
      expect(
        w.chain.send([borrow(w, borrower, USDC(100), [w.oracle])], [borrower]).error?.errorName,
      ).to.equal("AccountsMissing");
      expect(
        w.chain.send([borrow(w, borrower, USDC(100), [debtOracle, w.oracle])], [borrower]).error?.errorName,
      ).to.equal("OracleAccountInvalid");
      expect(w.position(borrower.publicKey)!.art.toNumber()).to.equal(0);
    });

    it("with the debt token at 1.00 USD the borrower borrows exactly the limit; one unit more is refused", () => {
      const limit = maxBorrow(SOL(100), 150, 1);
      expect(w.chain.send([borrow(w, borrower, limit.addn(1), both)], [borrower]).error?.errorName).to.equal(
        "LtvExceeded",
      );
      w.mustSend([borrow(w, borrower, limit, both)], [borrower]);
      expect(w.position(borrower.publicKey)!.art.toString()).to.equal(limit.toString());
    });

    it("when the debt token falls to 0.50 USD the same collateral carries exactly twice the debt", () => {
      const atOne = maxBorrow(SOL(100), 150, 1);
      const atHalf = maxBorrow(SOL(100), 150, 0.5);
      // 0.5005 (price + conf) is exactly half of 1.001, and 100 SOL keeps every floor exact.
      expect(atHalf.toString()).to.equal(atOne.muln(2).toString());
      setDebtPrice(0.5);
      const more = atHalf.sub(atOne);
      expect(w.chain.send([borrow(w, borrower, more.addn(1), both)], [borrower]).error?.errorName).to.equal(
        "LtvExceeded",
      );
      w.mustSend([borrow(w, borrower, more, both)], [borrower]);
      expect(w.position(borrower.publicKey)!.art.toString()).to.equal(atHalf.toString());
      expect(w.balance(w.ata(w.ref.debtMint, borrower.publicKey)).toString()).to.equal(atHalf.toString());
    });
  });

  describe("a SOL/USDC market with a legacy oracle, and look-alike accounts", () => {
    const w = world();
    let lp: Keypair;
    let borrower: Keypair;

    it("the admin cannot list a Token-2022 mint on either side (MintInvalid); nothing is created", () => {
      const t22 = w.newMint(9, TOKEN_2022_PROGRAM_ID);
      // Same 82-byte layout as a classic mint: only the owner program differs.
      const acc = w.chain.svm.getAccount(t22)!;
      expect(acc.owner.toBase58()).to.equal(TOKEN_2022_PROGRAM_ID.toBase58());
      expect(acc.data.length).to.equal(MINT_SIZE);
      const pairs: MarketRef[] = [
        { collateralMint: t22, debtMint: w.ref.debtMint },
        { collateralMint: w.ref.collateralMint, debtMint: t22 },
      ];
      for (const ref of pairs) {
        const res = w.chain.send(
          [createMarketIx({ admin: w.admin.publicKey, ...ref }, defaultParams(w.oracle))],
          [w.admin],
        );
        expect(res.error?.errorName).to.equal("MintInvalid");
        expect(w.chain.svm.getAccount(marketAddresses(ref.collateralMint, ref.debtMint).market)).to.equal(
          null,
        );
      }
    });

    it("a market lending a token against itself is refused (AccountDuplicate)", () => {
      const ref = { collateralMint: w.ref.debtMint, debtMint: w.ref.debtMint };
      const res = w.chain.send(
        [createMarketIx({ admin: w.admin.publicKey, ...ref }, defaultParams(w.oracle))],
        [w.admin],
      );
      expect(res.error?.errorName).to.equal("AccountDuplicate");
      expect(w.chain.svm.getAccount(marketAddresses(ref.collateralMint, ref.debtMint).market)).to.equal(null);
    });

    it("the admin creates the SOL/USDC market; an LP and a borrower open accounts", () => {
      w.createMarket();
      lp = w.actor();
      w.fundDebt(lp.publicKey, USDC(1_000));
      w.fundCollateral(lp.publicKey, SOL(1));
      borrower = w.actor();
      w.fundCollateral(borrower.publicKey, SOL(10));
      w.fundDebt(borrower.publicKey, USDC(1_000));
      w.mustSend([openPositionIx({ ...w.ref, owner: borrower.publicKey })], [borrower]);
      expect(w.position(borrower.publicKey)!.ink.toNumber()).to.equal(0);
    });

    it("depositing SOL as liquidity or USDC as collateral is refused (TokenAccountInvalid)", () => {
      const asLiquidity = depositLiquidityIx(
        { ...lpAccounts(w, lp), lpDebtAccount: w.ata(w.ref.collateralMint, lp.publicKey) },
        new BN(1_000),
      );
      expect(w.chain.send([asLiquidity], [lp]).error?.errorName).to.equal("TokenAccountInvalid");
      const asCollateral = depositCollateralIx(
        {
          ...w.ref,
          depositor: borrower.publicKey,
          owner: borrower.publicKey,
          source: w.ata(w.ref.debtMint, borrower.publicKey),
        },
        new BN(1_000),
      );
      expect(w.chain.send([asCollateral], [borrower]).error?.errorName).to.equal("TokenAccountInvalid");
      expect(w.balance(w.ata(w.ref.collateralMint, lp.publicKey)).toString()).to.equal(SOL(1).toString());
      expect(w.balance(w.ata(w.ref.debtMint, borrower.publicKey)).toString()).to.equal(
        USDC(1_000).toString(),
      );
    });

    it("depositing into an own token account passed as the market's vault is refused (VaultInvalid)", () => {
      // The LP's own USDC account as "liquidity vault": shares for tokens that never left.
      const mine = w.actor();
      const liq = depositLiquidityIx(lpAccounts(w, lp), USDC(1_000));
      liq.keys[3].pubkey = w.ata(w.ref.debtMint, mine.publicKey);
      expect(w.chain.send([liq], [lp]).error?.errorName).to.equal("VaultInvalid");
      // The borrower's SOL kept in an account of a friend, counted as collateral.
      const coll = depositCollateral(w, borrower, SOL(1));
      coll.keys[3].pubkey = w.ata(w.ref.collateralMint, mine.publicKey);
      expect(w.chain.send([coll], [borrower]).error?.errorName).to.equal("VaultInvalid");
      expect(w.balance(w.ata(w.addrs.shareMint, lp.publicKey)).toNumber()).to.equal(0);
      expect(w.position(borrower.publicKey)!.ink.toNumber()).to.equal(0);
    });

    it("a Position passed as the Market, or the Market as a Position, is refused (AccountDiscriminatorInvalid)", () => {
      const position = positionPda(w.addrs.market, borrower.publicKey)[0];
      const liq = depositLiquidityIx(lpAccounts(w, lp), USDC(1_000));
      liq.keys[2].pubkey = position;
      expect(w.chain.send([liq], [lp]).error?.errorName).to.equal("AccountDiscriminatorInvalid");
      expect(w.chain.send([accrueIx({ market: position })], [lp]).error?.errorName).to.equal(
        "AccountDiscriminatorInvalid",
      );
      const coll = depositCollateral(w, borrower, SOL(1));
      coll.keys[2].pubkey = w.addrs.market;
      expect(w.chain.send([coll], [borrower]).error?.errorName).to.equal("AccountDiscriminatorInvalid");
      // Size alone is not the guard: a program-owned copy of the market whose first 8 bytes are a
      // Position's discriminator (planted with setAccount; no instruction could write it) is
      // refused as well.
      const market = w.chain.svm.getAccount(w.addrs.market)!;
      const data = Buffer.from(market.data);
      Buffer.from(w.chain.data(position)!.subarray(0, 8)).copy(data, 0);
      const cosplay = Keypair.generate().publicKey;
      w.chain.svm.setAccount(cosplay, { ...market, data });
      expect(w.chain.send([accrueIx({ market: cosplay })], [lp]).error?.errorName).to.equal(
        "AccountDiscriminatorInvalid",
      );
    });

    it("a byte-for-byte copy of the market owned by another program is refused (AccountOwnerInvalid)", () => {
      const market = w.chain.svm.getAccount(w.addrs.market)!;
      const clone = Keypair.generate().publicKey;
      w.chain.svm.setAccount(clone, { ...market, owner: Keypair.generate().publicKey });
      const liq = depositLiquidityIx(lpAccounts(w, lp), USDC(1_000));
      liq.keys[2].pubkey = clone;
      expect(w.chain.send([liq], [lp]).error?.errorName).to.equal("AccountOwnerInvalid");
      expect(w.chain.send([accrueIx({ market: clone })], [lp]).error?.errorName).to.equal(
        "AccountOwnerInvalid",
      );
      expect(w.market().totalShares.toNumber()).to.equal(0);
    });

    it("the borrower's position in a second market (ETH/USDC) cannot be used in the SOL one (PositionMismatch)", () => {
      const eth = w.newMint(8);
      const ethRef = { collateralMint: eth, debtMint: w.ref.debtMint };
      w.mustSend(
        [createMarketIx({ admin: w.admin.publicKey, ...ethRef }, defaultParams(w.oracle))],
        [w.admin],
      );
      w.mustSend([openPositionIx({ ...ethRef, owner: borrower.publicKey })], [borrower]);
      const ethMarket = marketAddresses(eth, w.ref.debtMint).market;
      const foreign = positionPda(ethMarket, borrower.publicKey)[0];
      expect(w.chain.svm.getAccount(foreign)!.owner.toBase58()).to.equal(
        w.chain.svm.getAccount(w.addrs.market)!.owner.toBase58(),
      );
      const coll = depositCollateral(w, borrower, SOL(1));
      coll.keys[2].pubkey = foreign;
      expect(w.chain.send([coll], [borrower]).error?.errorName).to.equal("PositionMismatch");
      const b = borrow(w, borrower, USDC(100), [w.oracle]);
      b.keys[3].pubkey = foreign;
      expect(w.chain.send([b], [borrower]).error?.errorName).to.equal("PositionMismatch");
      expect(w.market().collateralTotal.toNumber()).to.equal(0);
    });
  });

  describe("interest is the only thing that moves the LP share price", () => {
    const w = world();
    let lp1: Keypair;
    let small: Keypair;
    let lp2: Keypair;
    let whale: Keypair;
    let borrowed: BN;
    let lp2Deposit: BN;
    const sharesOf = (who: Keypair) => w.balance(w.ata(w.addrs.shareMint, who.publicKey));
    /**
     * Pool value as the program computes it: idle cash + floor(art_total × rate / RATE_SCALE) +
     * debt still in auctions (none in this story).
     */
    const poolValue = () => {
      const m = w.market();
      return m.cash.add(mulDivFloor(m.artTotal, m.rate, RATE_SCALE)!).add(m.auctionDebt);
    };

    it("LP1 deposits 1,000,000 USDC, a whale borrows 900,000 against 10,000 SOL; a deposit right after still gets shares 1:1", () => {
      w.createMarket();
      lp1 = lpDeposits(w, USDC(1_000_000));
      whale = borrowerWith(w, SOL(10_000));
      borrowed = USDC(900_000);
      w.mustSend([borrow(w, whale, borrowed, [w.oracle])], [whale]);
      // Borrowing moves cash into debt owed to the pool: the pool is worth as much as before.
      expect(poolValue().toString()).to.equal(USDC(1_000_000).toString());
      small = lpDeposits(w, USDC(1_000));
      expect(sharesOf(small).toString()).to.equal(USDC(1_000).toString());
      expect(w.market().cash.toString()).to.equal(USDC(101_000).toString());
    });

    it("30 days later LP1 asks to withdraw everything; after the cooldown the claim is refused: the vault's idle cash is short (LiquidityInsufficient)", () => {
      w.warp(30 * 86_400);
      w.setPrice(150);
      w.mustSend([requestWithdrawalIx(lpAccounts(w, lp1), sharesOf(lp1))], [lp1]);
      expect(sharesOf(lp1).toNumber()).to.equal(0);
      w.warp(WITHDRAW_COOLDOWN_SECS);
      w.setPrice(150);
      const res = w.chain.send([withdrawLiquidityIx(lpAccounts(w, lp1), USDC(1_000_000))], [lp1]);
      expect(res.error?.errorName).to.equal("LiquidityInsufficient");
      // The request waits, its shares still in the pool.
      expect(w.withdrawalRequest(lp1.publicKey)!.shares.toString()).to.equal(USDC(1_000_000).toString());
      expect(w.market().totalShares.toString()).to.equal(USDC(1_000_000 + 1_000).toString());
    });

    it("anyone accrues the cooldown since the request (InterestAccrued); a second accrue in the same second emits nothing and changes nothing", () => {
      const before = w.market();
      const first = w.mustSend([accrueIx({ market: w.addrs.market })], [lp1]);
      expect(first.events.map((e) => e.name)).to.deep.equal(["interestAccrued"]);
      // The request accrued the 30 days; the refused claim changed nothing.
      expect(findEvent(first.events, "interestAccrued")!.elapsedSecs.toNumber()).to.equal(
        WITHDRAW_COOLDOWN_SECS,
      );
      const accrued = w.market();
      expect(accrued.rate.gt(before.rate)).to.equal(true);
      const bytes = w.chain.data(w.addrs.market)!;
      const second = w.mustSend([accrueIx({ market: w.addrs.market })], [lp1]);
      expect(second.events).to.deep.equal([]);
      expect(w.chain.data(w.addrs.market)!.equals(bytes)).to.equal(true);
      expect(w.market().lastAccrualTs.toString()).to.equal(w.now.toString());
    });

    it("a second LP deposits the same 1,000,000 USDC and gets fewer shares: exactly floor(amount × shares / pool value)", () => {
      const m = w.market();
      const pool = poolValue();
      expect(pool.gt(USDC(1_001_000))).to.equal(true);
      lp2Deposit = USDC(1_000_000);
      const expected = lp2Deposit.mul(m.totalShares).div(pool);
      lp2 = w.actor();
      w.fundDebt(lp2.publicKey, lp2Deposit);
      const res = w.mustSend([depositLiquidityIx(lpAccounts(w, lp2), lp2Deposit)], [lp2]);
      const ev = res.events.find((e) => e.name === "liquidityDeposited")!;
      expect(ev.data.shares.toString()).to.equal(expected.toString());
      expect(sharesOf(lp2).toString()).to.equal(expected.toString());
      expect(expected.lt(lp2Deposit)).to.equal(true);
    });

    it("after the whale repays everything, LP1, the small LP and LP2 withdraw all: LP1 earned the interest, LP2 got its deposit back, the vault is empty", () => {
      w.fundDebt(whale.publicKey, USDC(10_000));
      const repay = w.mustSend(
        [
          repayIx(
            {
              ...w.ref,
              payer: whale.publicKey,
              owner: whale.publicKey,
              source: w.ata(w.ref.debtMint, whale.publicKey),
            },
            REPAY_ALL,
          ),
        ],
        [whale],
      );
      const paid = repay.events.find((e) => e.name === "debtRepaid")!.data.amount as BN;
      const interest = paid.sub(borrowed);
      // 5% a year on 900,000 for 30 days and the one-hour cooldown:
      // 900,000 × (1.05^((30 × 86,400 + 3,600) / 31,536,000) − 1) ≈ 3,621.4 USDC.
      const years = (30 * 86_400 + WITHDRAW_COOLDOWN_SECS) / 31_536_000;
      expect(interest.toNumber() / 1e6).to.be.closeTo(900_000 * (Math.pow(1.05, years) - 1), 0.5);
      const got = new Map<Keypair, BN>();
      // LP1's request is waiting and claimed first; then the small LP and LP2 ask, wait out the
      // cooldown and claim (the pool is all cash: no interest accrues any more).
      const lp1Request = w.withdrawalRequest(lp1.publicKey)!;
      for (const who of [lp1, small, lp2]) {
        if (who !== lp1) {
          w.mustSend([requestWithdrawalIx(lpAccounts(w, who), sharesOf(who))], [who]);
          w.warp(WITHDRAW_COOLDOWN_SECS);
        }
        // Each LP gets min(value at request, floor(shares × pool value / total shares)), the pool
        // value being all cash now.
        const req = w.withdrawalRequest(who.publicKey)!;
        const now = req.shares.mul(poolValue()).div(w.market().totalShares);
        const expected = BN.min(now, req.value);
        const res = w.mustSend([withdrawLiquidityIx(lpAccounts(w, who), req.shares)], [who]);
        got.set(who, res.events.find((e) => e.name === "liquidityWithdrawn")!.data.amount as BN);
        expect(got.get(who)!.toString()).to.equal(expected.toString());
        expect(w.withdrawalRequest(who.publicKey)).to.equal(null);
      }
      // LP1 asked to leave after 30 days: it got its shares' value then, no more. The interest
      // they earned after the request (their part of the cooldown's) went to the LPs who stayed.
      expect(got.get(lp1)!.toString()).to.equal(lp1Request.value.toString());
      const lp1Gain = got.get(lp1)!.sub(USDC(1_000_000));
      const smallGain = got.get(small)!.sub(USDC(1_000));
      expect(lp1Gain.toNumber() / 1e6).to.be.closeTo((interest.toNumber() / 1e6) * (1_000 / 1_001), 6);
      expect(lp1Gain.toNumber() / 1e6).to.be.lessThan((interest.toNumber() / 1e6) * (1_000 / 1_001));
      // Per share, the small LP (there from the start, no request until the end) earned at least
      // what LP1 earned: 1,000 of its shares vs LP1's 1,000,000.
      expect(smallGain.muln(1_000).gte(lp1Gain)).to.equal(true);
      // LP2 came after the 30 days' interest: it only shares the cooldown's (a few USDC; its
      // shares were rounded down, and as the last one out it sweeps what earlier floors left).
      expect(got.get(lp2)!.sub(lp2Deposit).toNumber()).to.be.within(-3, USDC(10).toNumber());
      // Conservation: everything paid in (deposits + interest) went out, nothing is stranded.
      const out = got.get(lp1)!.add(got.get(small)!).add(got.get(lp2)!);
      expect(out.toString()).to.equal(
        USDC(1_000_000 + 1_000)
          .add(lp2Deposit)
          .add(interest)
          .toString(),
      );
      const m = w.market();
      expect(m.totalShares.toNumber()).to.equal(0);
      expect(m.cash.toNumber()).to.equal(0);
      expect(m.artTotal.toNumber()).to.equal(0);
      expect(w.balance(w.addrs.liquidityVault).toNumber()).to.equal(0);
    });
  });
});
