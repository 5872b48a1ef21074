/**
 * Story of a lending market on the real gavel.so (LiteSVM, real SPL Token, Pyth-layout oracle):
 * the admin opens a SOL/USDC market, an LP deposits, a borrower borrows to the limit, a year of
 * interest accrues, the borrower repays and the LP withdraws with yield. Along the way every
 * refusal a user can hit is tried, and after every step the vaults must match the accounting.
 */
import BN from "bn.js";
import { expect } from "chai";
import { AccountMeta, Keypair, PublicKey, SystemProgram, TransactionInstruction } from "@solana/web3.js";
import {
  acceptAdminIx,
  accrueIx,
  borrowIx,
  cancelWithdrawalIx,
  closePositionIx,
  createMarketIx,
  decodeConfig,
  depositCollateralIx,
  depositLiquidityIx,
  ErrorCode,
  fundInsuranceIx,
  gavelProgram,
  openPositionIx,
  positionPda,
  repayIx,
  requestWithdrawalIx,
  withdrawalRequestPda,
  REPAY_ALL,
  setStopIx,
  transferAdminIx,
  updateMarketIx,
  valueFloor,
  maxDebtFor,
  debtFromArt,
  withdrawCollateralIx,
  withdrawLiquidityIx,
  configPda,
  MarketParams,
  withFundingDefaults,
  findEvent,
  OracleKind,
} from "../sdk/src";
import { defaultParams, LendingWorld, programPrice, SOL, USDC, WITHDRAW_COOLDOWN_SECS } from "../sdk/testkit";

/** Max borrow at `usd` with 10 bps confidence, as the program computes it (SDK mirror). */
function maxBorrow(ink: BN, usd: number, maxLtvBps: number): BN {
  return maxDebtFor(valueFloor(ink, programPrice(usd, 10))!, new BN(maxLtvBps))!;
}

describe("05 lending: markets, liquidity, positions, interest (LiteSVM)", () => {
  const w = new LendingWorld();
  let lp: Keypair;
  let borrower: Keypair;
  let stranger: Keypair;
  const borrowAccounts = (owner: Keypair, oracles = [w.oracle]) => ({
    ...w.ref,
    owner: owner.publicKey,
    destination: w.ata(w.ref.debtMint, owner.publicKey),
    oracles,
  });
  const lpAccounts = (who: Keypair) => ({
    ...w.ref,
    lp: who.publicKey,
    lpDebtAccount: w.ata(w.ref.debtMint, who.publicKey),
    lpShareAccount: w.ata(w.addrs.shareMint, who.publicKey),
  });

  afterEach(function () {
    if (w.chain.svm.getAccount(w.addrs.market)) w.assertVaultsMatchAccounting();
  });

  describe("the admin opens a SOL/USDC market", () => {
    it("refuses bad parameters with typed errors, before anything is created", () => {
      const base = defaultParams(w.oracle);
      const bad: [string, Partial<MarketParams>, string][] = [
        ["liquidation LTV not above max LTV", { liquidationLtvBps: 7_000 }, "MarketParamsInvalid"],
        ["liquidation LTV ≥ 100%", { maxLtvBps: 9_000, liquidationLtvBps: 10_000 }, "MarketParamsInvalid"],
        ["buf below 100%", { bufBps: 9_999 }, "MarketParamsInvalid"],
        ["cusp ≥ 100%", { cuspBps: 10_000 }, "MarketParamsInvalid"],
        [
          "tab above collateral value at the kick",
          { liquidationLtvBps: 9_500, chopBps: 1_000 },
          "MarketParamsInvalid",
        ],
        ["zero dust", { dust: new BN(0) }, "MarketParamsInvalid"],
        ["hole below dust", { hole: new BN(1) }, "MarketParamsInvalid"],
        ["borrow rate too high", { borrowRatePerSecWad: new BN("100000000000") }, "MarketParamsInvalid"],
        ["linear curve of zero length", { curve: { linear: { tauSecs: new BN(0) } } }, "MarketParamsInvalid"],
        [
          "stairstep cut of 1.0",
          { curve: { stairstepExp: { stepSecs: new BN(90), cut: new BN("1000000000000000000") } } },
          "MarketParamsInvalid",
        ],
        ["exp cut of 0", { curve: { exp: { cut: new BN(0) } } }, "MarketParamsInvalid"],
        // A request and its claim in one transaction would reopen the LP run-ahead.
        ["zero withdrawal cooldown", { withdrawCooldownSecs: new BN(0) }, "MarketParamsInvalid"],
        ["withdrawal cooldown under a minute", { withdrawCooldownSecs: new BN(59) }, "MarketParamsInvalid"],
        ["withdrawal cooldown over 7 days", { withdrawCooldownSecs: new BN(604_801) }, "MarketParamsInvalid"],
        ["unknown oracle kind", { collateralOracleKind: 7 as OracleKind }, "OracleParamsInvalid"],
        [
          "debt oracle of another kind than the collateral oracle",
          { debtOracle: Keypair.generate().publicKey, debtOracleKind: 1 },
          "OracleParamsInvalid",
        ],
        ["zero max oracle age", { maxAgeSecs: new BN(0) }, "OracleParamsInvalid"],
        ["confidence limit above 100%", { maxConfBps: 10_001 }, "OracleParamsInvalid"],
      ];
      w.setPrice(150);
      for (const [what, change, error] of bad) {
        const res = w.chain.send(
          [createMarketIx({ admin: w.admin.publicKey, ...w.ref }, { ...base, ...change })],
          [w.admin],
        );
        expect(res.error?.errorName, what).to.equal(error);
      }
      expect(w.chain.svm.getAccount(w.addrs.market)).to.equal(null);
    });

    it("a stranger cannot create the market", () => {
      stranger = w.actor();
      const res = w.chain.send(
        [createMarketIx({ admin: stranger.publicKey, ...w.ref }, defaultParams(w.oracle))],
        [stranger],
      );
      expect(res.error?.code).to.equal(ErrorCode.AdminRequired);
    });

    it("the admin creates it: vaults and share mint are owned by the market, rate starts at 1.0", () => {
      const res = w.createMarket();
      expect(res.events.map((e) => e.name)).to.deep.equal(["marketCreated"]);
      const m = w.market();
      expect(m.collateralDecimals).to.equal(9);
      expect(m.debtDecimals).to.equal(6);
      expect(m.rate.toString()).to.equal("1000000000000");
      expect(m.params.maxLtvBps).to.equal(7_000);
      expect(m.params.curve).to.have.property("stairstepExp");
      for (const vault of [w.addrs.collateralVault, w.addrs.liquidityVault]) {
        const data = Buffer.from(w.chain.svm.getAccount(vault)!.data);
        expect(new PublicKey(data.subarray(32, 64)).toBase58()).to.equal(w.addrs.market.toBase58());
      }
      const mint = Buffer.from(w.chain.svm.getAccount(w.addrs.shareMint)!.data);
      expect(new PublicKey(mint.subarray(4, 36)).toBase58()).to.equal(w.addrs.market.toBase58());
      expect(mint[44]).to.equal(6);
    });

    it("a second market for the same pair is refused", () => {
      const res = w.chain.send(
        [createMarketIx({ admin: w.admin.publicKey, ...w.ref }, defaultParams(w.oracle))],
        [w.admin],
      );
      expect(res.error?.code).to.equal(ErrorCode.MarketAlreadyExists);
    });

    it("every SDK builder lists the same accounts as Anchor's Program built from the IDL", async () => {
      const program = gavelProgram();
      const owner = Keypair.generate().publicKey;
      const [position] = positionPda(w.addrs.market, owner);
      const [withdrawalRequest] = withdrawalRequestPda(w.addrs.market, owner);
      const x = Keypair.generate().publicKey;
      const y = Keypair.generate().publicKey;
      const amount = new BN(5);
      const params = withFundingDefaults(defaultParams(w.oracle));
      // Who plays each account of these instructions: the owner signs, pays from `x` and `y`.
      const roles: Record<string, PublicKey> = {
        ...w.addrs,
        ...w.ref,
        config: configPda()[0],
        position,
        withdrawalRequest,
        tokenProgram: new PublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA"),
        systemProgram: SystemProgram.programId,
        collateralOracle: w.oracle,
        ...Object.fromEntries(["owner", "lp", "funder", "admin", "pendingAdmin"].map((r) => [r, owner])),
        ...Object.fromEntries(
          ["lpDebtAccount", "funderDebtAccount", "depositor", "destination", "payer"].map((r) => [r, x]),
        ),
        ...Object.fromEntries(["lpShareAccount", "source"].map((r) => [r, y])),
      };
      const lpA = { ...w.ref, lp: owner, lpDebtAccount: x, lpShareAccount: y };
      const withdrawer = { ...w.ref, owner, destination: x, oracles: [w.oracle] };
      // Each SDK builder, and the Anchor method and arguments it must equal.
      const cases: [TransactionInstruction, string, unknown[]][] = [
        [depositLiquidityIx(lpA, amount), "depositLiquidity", [amount]],
        [requestWithdrawalIx(lpA, amount), "requestWithdrawal", [amount]],
        [withdrawLiquidityIx(lpA, amount), "withdrawLiquidity", [amount]],
        [cancelWithdrawalIx(lpA), "cancelWithdrawal", []],
        [
          fundInsuranceIx({ ...w.ref, funder: owner, funderDebtAccount: x }, amount),
          "fundInsurance",
          [amount],
        ],
        [openPositionIx({ ...w.ref, owner }), "openPosition", []],
        [
          depositCollateralIx({ ...w.ref, depositor: x, owner, source: y }, amount),
          "depositCollateral",
          [amount],
        ],
        [withdrawCollateralIx(withdrawer, amount), "withdrawCollateral", [amount]],
        [borrowIx(withdrawer, amount), "borrow", [amount]],
        [repayIx({ ...w.ref, payer: x, owner, source: y }, amount), "repay", [amount]],
        [closePositionIx({ ...w.ref, owner }), "closePosition", []],
        [accrueIx({ market: w.addrs.market }), "accrue", []],
        [updateMarketIx({ admin: owner, market: w.addrs.market }, params), "updateMarket", [params]],
        [createMarketIx({ admin: owner, ...w.ref }, params), "createMarket", [params]],
        [transferAdminIx({ admin: owner }, x), "transferAdmin", [x]],
        [acceptAdminIx({ pendingAdmin: owner }), "acceptAdmin", []],
      ];
      // Anchor's builders by name (the generated types know each name, not a string).
      const methods = program.methods as unknown as Record<
        string,
        (...args: unknown[]) => {
          accountsStrict(accounts: Record<string, PublicKey>): {
            instruction(): Promise<TransactionInstruction>;
          };
        }
      >;
      const flat = (keys: AccountMeta[]) => keys.map((k) => [k.pubkey.toBase58(), k.isSigner, k.isWritable]);
      for (const [sdk, method, args] of cases) {
        const names = program.idl.instructions.find((i) => i.name === method)!.accounts.map((a) => a.name);
        const anchor = await methods[method](...args)
          .accountsStrict(Object.fromEntries(names.map((n) => [n, roles[n]])))
          .instruction();
        expect(sdk.data.equals(anchor.data), method).to.equal(true);
        expect(flat(sdk.keys), method).to.deep.equal(flat(anchor.keys));
      }
    });
  });

  describe("an LP deposits and a borrower borrows to the limit", () => {
    it("the LP deposits 1,000,000 USDC and gets as many shares (first deposit)", () => {
      lp = w.actor();
      w.fundDebt(lp.publicKey, USDC(1_000_000));
      const res = w.mustSend([depositLiquidityIx(lpAccounts(lp), USDC(1_000_000))], [lp]);
      expect(res.events[0].name).to.equal("liquidityDeposited");
      expect(w.balance(w.ata(w.addrs.shareMint, lp.publicKey)).toString()).to.equal(
        USDC(1_000_000).toString(),
      );
      expect(w.market().cash.toString()).to.equal(USDC(1_000_000).toString());
    });

    it("a deposit of 0 is refused", () => {
      const res = w.chain.send([depositLiquidityIx(lpAccounts(lp), new BN(0))], [lp]);
      expect(res.error?.code).to.equal(ErrorCode.AmountInvalid);
    });

    it("the borrower opens a position and deposits 10 SOL (no oracle needed)", () => {
      borrower = w.actor();
      w.fundCollateral(borrower.publicKey, SOL(20));
      w.mustSend([openPositionIx({ ...w.ref, owner: borrower.publicKey })], [borrower]);
      const res = w.mustSend(
        [
          depositCollateralIx(
            {
              ...w.ref,
              depositor: borrower.publicKey,
              owner: borrower.publicKey,
              source: w.ata(w.ref.collateralMint, borrower.publicKey),
            },
            SOL(10),
          ),
        ],
        [borrower],
      );
      expect(res.events.map((e) => e.name)).to.deep.equal(["collateralDeposited"]);
      expect(w.position(borrower.publicKey)!.ink.toString()).to.equal(SOL(10).toString());
    });

    it("borrowing one unit over 70% LTV (at price − confidence) is refused", () => {
      const limit = maxBorrow(SOL(10), 150, 7_000);
      const res = w.chain.send([borrowIx(borrowAccounts(borrower), limit.addn(1))], [borrower]);
      expect(res.error?.code).to.equal(ErrorCode.LtvExceeded);
    });

    it("borrowing below dust is refused", () => {
      const res = w.chain.send([borrowIx(borrowAccounts(borrower), USDC(9))], [borrower]);
      expect(res.error?.code).to.equal(ErrorCode.DebtBelowDust);
    });

    it("with a stale, wide, non-trading, foreign or fake oracle the borrow is refused", () => {
      const limit = maxBorrow(SOL(10), 150, 7_000);
      const tryBorrow = (oracles = [w.oracle]) =>
        w.chain.send([borrowIx(borrowAccounts(borrower, oracles), limit)], [borrower]).error?.errorName;
      w.setPrice(150, { ageSecs: 61 });
      expect(tryBorrow()).to.equal("OracleStale");
      w.setPrice(150, { confBps: 201 });
      expect(tryBorrow()).to.equal("OracleConfidenceTooWide");
      w.setPrice(150, { status: 0 });
      expect(tryBorrow()).to.equal("OracleNotTrading");
      const other = Keypair.generate().publicKey;
      w.setPrice(150, { account: other });
      expect(tryBorrow([other])).to.equal("OracleAccountInvalid");
      // Right layout and address, wrong owner: a fake oracle.
      w.setPrice(150);
      const real = w.chain.svm.getAccount(w.oracle)!;
      w.chain.svm.setAccount(w.oracle, { ...real, owner: Keypair.generate().publicKey });
      expect(tryBorrow()).to.equal("OracleOwnerInvalid");
      expect(tryBorrow([])).to.equal("AccountsMissing");
      w.setPrice(150);
    });

    it("borrowing into the vault itself or to a token account of the wrong mint is refused", () => {
      const a = borrowAccounts(borrower);
      expect(
        w.chain.send([borrowIx({ ...a, destination: w.addrs.liquidityVault }, USDC(100))], [borrower]).error
          ?.code,
      ).to.equal(ErrorCode.AccountDuplicate);
      expect(
        w.chain.send(
          [borrowIx({ ...a, destination: w.ata(w.ref.collateralMint, borrower.publicKey) }, USDC(100))],
          [borrower],
        ).error?.code,
      ).to.equal(ErrorCode.TokenAccountInvalid);
    });

    it("a stranger cannot borrow against the borrower's position", () => {
      const ix = borrowIx(borrowAccounts(stranger), USDC(100));
      ix.keys[3].pubkey = positionPda(w.addrs.market, borrower.publicKey)[0];
      expect(w.chain.send([ix], [stranger]).error?.code).to.equal(ErrorCode.PositionMismatch);
    });

    it("the borrower borrows exactly to the limit and receives the USDC", () => {
      const limit = maxBorrow(SOL(10), 150, 7_000);
      const res = w.mustSend([borrowIx(borrowAccounts(borrower), limit)], [borrower]);
      expect(w.balance(w.ata(w.ref.debtMint, borrower.publicKey)).toString()).to.equal(limit.toString());
      const ev = res.events.find((e) => e.name === "debtBorrowed")!;
      expect(ev.data.amount.toString()).to.equal(limit.toString());
      expect(ev.data.debt.gte(limit)).to.equal(true);
      expect(w.market().cash.toString()).to.equal(USDC(1_000_000).sub(limit).toString());
    });

    it("withdrawing any collateral now is refused (LTV), withdrawing from a stranger is refused", () => {
      const dest = w.ata(w.ref.collateralMint, borrower.publicKey);
      expect(
        w.chain.send(
          [
            withdrawCollateralIx(
              { ...w.ref, owner: borrower.publicKey, destination: dest, oracles: [w.oracle] },
              SOL(0.01),
            ),
          ],
          [borrower],
        ).error?.code,
      ).to.equal(ErrorCode.LtvExceeded);
      const ix = withdrawCollateralIx(
        {
          ...w.ref,
          owner: stranger.publicKey,
          destination: w.ata(w.ref.collateralMint, stranger.publicKey),
          oracles: [w.oracle],
        },
        SOL(1),
      );
      ix.keys[3].pubkey = positionPda(w.addrs.market, borrower.publicKey)[0];
      expect(w.chain.send([ix], [stranger]).error?.code).to.equal(ErrorCode.PositionMismatch);
    });

    it("the LP cannot withdraw more than idle cash (the request waits; cancelling returns every share)", () => {
      const shares = w.balance(w.ata(w.addrs.shareMint, lp.publicKey));
      w.mustSend([requestWithdrawalIx(lpAccounts(lp), shares)], [lp]);
      w.warp(WITHDRAW_COOLDOWN_SECS);
      w.setPrice(150);
      const res = w.chain.send([withdrawLiquidityIx(lpAccounts(lp), shares)], [lp]);
      expect(res.error?.code).to.equal(ErrorCode.LiquidityInsufficient);
      // Interest accrued during the cooldown, so the shares are worth more than at the request:
      // cancelling gives back all but the few shares that interest would have bought.
      const back = w.mustSend([cancelWithdrawalIx(lpAccounts(lp))], [lp]);
      const ev = back.events.find((e) => e.name === "withdrawalCancelled")!.data;
      expect((ev.sharesReturned as BN).add(ev.sharesForfeited as BN).toString()).to.equal(shares.toString());
      expect(w.balance(w.ata(w.addrs.shareMint, lp.publicKey)).toString()).to.equal(
        ev.sharesReturned.toString(),
      );
      expect(w.withdrawalRequest(lp.publicKey)).to.equal(null);
    });
  });

  describe("a year passes", () => {
    it("anyone accrues: the index grows 5%, so do the debt and the LP's share value", () => {
      const before = w.market();
      w.warp(31_536_000);
      w.setPrice(150);
      const res = w.mustSend([accrueIx({ market: w.addrs.market })], [stranger]);
      const ev = res.events.find((e) => e.name === "interestAccrued")!;
      expect(ev.data.elapsedSecs.toNumber()).to.equal(31_536_000);
      const after = w.market();
      const growth = after.rate.muln(1_000_000).div(before.rate).toNumber() / 1_000_000;
      expect(growth).to.be.closeTo(1.05, 0.0001);
      const pos = w.position(borrower.publicKey)!;
      const debt = debtFromArt(pos.art, after.rate)!;
      expect(debt.toNumber() / 1e6).to.be.closeTo(
        (maxBorrow(SOL(10), 150, 7_000).toNumber() / 1e6) * 1.05,
        0.01,
      );
    });

    it("a partial repay that would leave dust is refused; repaying to below dust only in full", () => {
      const pos = w.position(borrower.publicKey)!;
      const debt = debtFromArt(pos.art, w.market().rate)!;
      const res = w.chain.send(
        [
          repayIx(
            {
              ...w.ref,
              payer: borrower.publicKey,
              owner: borrower.publicKey,
              source: w.ata(w.ref.debtMint, borrower.publicKey),
            },
            debt.sub(USDC(5)),
          ),
        ],
        [borrower],
      );
      expect(res.error?.code).to.equal(ErrorCode.DebtBelowDust);
    });

    it("the protocol is stopped (level 3): borrowing stops, repaying and adding collateral still work", () => {
      w.mustSend([setStopIx({ admin: w.admin.publicKey }, 3)], [w.admin]);
      expect(w.chain.send([borrowIx(borrowAccounts(borrower), USDC(10))], [borrower]).error?.code).to.equal(
        ErrorCode.ProtocolStopped,
      );
      expect(w.chain.send([withdrawLiquidityIx(lpAccounts(lp), USDC(1))], [lp]).error?.code).to.equal(
        ErrorCode.ProtocolStopped,
      );
      w.mustSend(
        [
          depositCollateralIx(
            {
              ...w.ref,
              depositor: borrower.publicKey,
              owner: borrower.publicKey,
              source: w.ata(w.ref.collateralMint, borrower.publicKey),
            },
            SOL(1),
          ),
        ],
        [borrower],
      );
      w.mustSend(
        [
          repayIx(
            {
              ...w.ref,
              payer: borrower.publicKey,
              owner: borrower.publicKey,
              source: w.ata(w.ref.debtMint, borrower.publicKey),
            },
            USDC(100),
          ),
        ],
        [borrower],
      );
      w.mustSend([setStopIx({ admin: w.admin.publicKey }, 0)], [w.admin]);
    });

    it("a friend repays everything with REPAY_ALL; only the debt is taken, not more", () => {
      const friend = w.actor();
      w.fundDebt(friend.publicKey, USDC(2_000));
      const debt = debtFromArt(w.position(borrower.publicKey)!.art, w.market().rate)!;
      const res = w.mustSend(
        [
          repayIx(
            {
              ...w.ref,
              payer: friend.publicKey,
              owner: borrower.publicKey,
              source: w.ata(w.ref.debtMint, friend.publicKey),
            },
            REPAY_ALL,
          ),
        ],
        [friend],
      );
      const paid = res.events.find((e) => e.name === "debtRepaid")!.data.amount as BN;
      expect(paid.toString()).to.equal(debt.toString());
      expect(w.balance(w.ata(w.ref.debtMint, friend.publicKey)).toString()).to.equal(
        USDC(2_000).sub(debt).toString(),
      );
      expect(w.position(borrower.publicKey)!.art.toNumber()).to.equal(0);
      expect(w.market().artTotal.toNumber()).to.equal(0);
    });

    it("the borrower cannot close a position with collateral; withdraws it all, then closes it and gets the rent back", () => {
      const close = closePositionIx({ ...w.ref, owner: borrower.publicKey });
      expect(w.chain.send([close], [borrower]).error?.code).to.equal(ErrorCode.PositionNotEmpty);
      const ink = w.position(borrower.publicKey)!.ink;
      w.mustSend(
        [
          withdrawCollateralIx(
            {
              ...w.ref,
              owner: borrower.publicKey,
              destination: w.ata(w.ref.collateralMint, borrower.publicKey),
              oracles: [w.oracle],
            },
            ink,
          ),
        ],
        [borrower],
      );
      const lamportsBefore = w.chain.svm.getBalance(borrower.publicKey)!;
      const res = w.mustSend([closePositionIx({ ...w.ref, owner: borrower.publicKey })], [borrower]);
      expect(res.events.map((e) => e.name)).to.deep.equal(["positionClosed"]);
      expect(w.position(borrower.publicKey)).to.equal(null);
      expect(w.chain.svm.getBalance(borrower.publicKey)! > lamportsBefore).to.equal(true);
      expect(w.balance(w.ata(w.ref.collateralMint, borrower.publicKey)).toString()).to.equal(
        SOL(20).toString(),
      );
    });

    it("the LP withdraws everything with about 5% on the borrowed part", () => {
      const shares = w.balance(w.ata(w.addrs.shareMint, lp.publicKey));
      const res = w.withdrawAfterCooldown(lpAccounts(lp), lp, shares);
      const got = res.events.find((e) => e.name === "liquidityWithdrawn")!.data.amount as BN;
      const interest = got.sub(USDC(1_000_000)).toNumber() / 1e6;
      const borrowed = maxBorrow(SOL(10), 150, 7_000).toNumber() / 1e6;
      expect(interest).to.be.closeTo(borrowed * 0.05, 0.02);
      expect(w.market().totalShares.toNumber()).to.equal(0);
    });
  });

  describe("insurance and admin", () => {
    it("anyone funds the insurance fund; the vault and accounting agree", () => {
      const funder = w.actor();
      w.fundDebt(funder.publicKey, USDC(500));
      const res = w.mustSend(
        [
          fundInsuranceIx(
            {
              ...w.ref,
              funder: funder.publicKey,
              funderDebtAccount: w.ata(w.ref.debtMint, funder.publicKey),
            },
            USDC(500),
          ),
        ],
        [funder],
      );
      expect(findEvent(res.events, "insuranceFunded")!.insurance.toString()).to.equal(USDC(500).toString());
    });

    it("update_market: the admin tightens max LTV, a stranger cannot, bad values are refused", () => {
      const p = { ...defaultParams(w.oracle), maxLtvBps: 6_000 };
      expect(
        w.chain.send([updateMarketIx({ admin: stranger.publicKey, market: w.addrs.market }, p)], [stranger])
          .error?.code,
      ).to.equal(ErrorCode.AdminRequired);
      expect(
        w.chain.send(
          [updateMarketIx({ admin: w.admin.publicKey, market: w.addrs.market }, { ...p, maxLtvBps: 9_000 })],
          [w.admin],
        ).error?.code,
      ).to.equal(ErrorCode.MarketParamsInvalid);
      const res = w.mustSend(
        [updateMarketIx({ admin: w.admin.publicKey, market: w.addrs.market }, p)],
        [w.admin],
      );
      expect(res.events[0].name).to.equal("marketUpdated");
      expect(w.market().params.maxLtvBps).to.equal(6_000);
    });

    it("admin transfer is two-step: only the nominee can accept", () => {
      const next = w.actor();
      w.mustSend([transferAdminIx({ admin: w.admin.publicKey }, next.publicKey)], [w.admin]);
      expect(
        w.chain.send([acceptAdminIx({ pendingAdmin: stranger.publicKey })], [stranger]).error?.code,
      ).to.equal(ErrorCode.PendingAdminRequired);
      w.mustSend([acceptAdminIx({ pendingAdmin: next.publicKey })], [next]);
      const cfg = decodeConfig(w.chain.data(configPda()[0])!);
      expect(cfg.admin.toBase58()).to.equal(next.publicKey.toBase58());
      expect(cfg.pendingAdmin.equals(PublicKey.default)).to.equal(true);
      expect(w.chain.send([setStopIx({ admin: w.admin.publicKey }, 1)], [w.admin]).error?.code).to.equal(
        ErrorCode.AdminRequired,
      );
    });
  });
});
