/**
 * LP withdrawals by request + cooldown (issue 15, "Break 2": an LP ran ahead of a bad debt that
 * was visible but not yet kicked). On the real gavel.so in LiteSVM.
 *
 * The rules: `request_withdrawal` moves shares out of the LP's account into a WithdrawalRequest
 * PDA, where they stay in `total_shares` and keep sharing losses; `withdraw_liquidity` claims them
 * only after the market's `withdraw_cooldown_secs`, at min(value at request, value now);
 * `cancel_withdrawal` gives back shares worth at most the value at request. Each test below names
 * the rule it needs and fails without it.
 */
import BN from "bn.js";
import { expect } from "chai";
import { Keypair, PublicKey } from "@solana/web3.js";
import {
  amountForShares,
  auctionPda,
  cancelShares,
  cancelWithdrawalIx,
  claimAmount,
  depositLiquidityIx,
  ErrorCode,
  poolValue,
  requestValueOf,
  requestWithdrawalIx,
  withdrawalRequestPda,
  withdrawalValue,
  withdrawLiquidityIx,
  WithdrawalRequestAccount,
} from "../sdk/src";
import { Arena } from "./helpers/fuzz";
import { SOL, U64_MAX, USDC, WITHDRAW_COOLDOWN_SECS } from "../sdk/testkit";

const MAX = U64_MAX;
/** Value of one share, as a float (for readable per-share comparisons). */
const perShare = (value: BN, shares: BN): number => value.toNumber() / shares.toNumber();

/** Issue 15's market: two LPs of 10,000 USDC, 1 USDC of insurance, one 100 SOL / 10,000 USDC loan. */
function issueWorld() {
  const v = new Arena().setup({}, USDC(10_000), USDC(1));
  const lp1 = v.lp;
  const lp2 = v.actor();
  v.fundDebt(lp2.publicKey, USDC(10_000));
  v.mustSend([depositIx(v, lp2, USDC(10_000))], [lp2]);
  const borrower = v.borrower(100, 10_000);
  const bidder = v.bidder(20_000);
  return { v, lp1, lp2, borrower, bidder };
}

const depositIx = (v: Arena, who: Keypair, amount: BN) => depositLiquidityIx(v.lpAccounts(who), amount);

const shareBalance = (v: Arena, who: Keypair): BN => v.balance(v.ata(v.addrs.shareMint, who.publicKey));
const debtBalance = (v: Arena, who: Keypair): BN => v.balance(v.ata(v.ref.debtMint, who.publicKey));
const request = (v: Arena, who: Keypair): WithdrawalRequestAccount | null =>
  v.withdrawalRequest(who.publicKey);

describe("19 LP withdrawals: request, cooldown, claim at the lower value (LiteSVM)", () => {
  describe("issue 15, Break 2: LP1 tries to leave ahead of a bad debt that is visible but not kicked", () => {
    const { v, lp1, lp2, borrower, bidder } = issueWorld();
    const lp1Shares = shareBalance(v, lp1);
    const lp2Shares = shareBalance(v, lp2);
    let auction: PublicKey;

    it("steps 1–2: 20,000 USDC of LP shares at 1.000; the oracle falls to $60 (position $6,000 against $10,000)", () => {
      expect(lp1Shares.toString()).to.equal(USDC(10_000).toString());
      expect(lp2Shares.toString()).to.equal(USDC(10_000).toString());
      v.setPrice(60);
      // Unkicked, the loan still counts at face value in the pool: 1.000 per share.
      expect(perShare(poolValue(v.market())!, v.market().totalShares)).to.be.closeTo(1, 1e-6);
    });

    it("step 3 as on main (withdraw all + kick in one transaction) is refused: there is no request to claim", () => {
      const res = v.chain.send(
        [withdrawLiquidityIx(v.lpAccounts(lp1), lp1Shares), v.kickIx(borrower.publicKey, lp1)],
        [lp1],
      );
      expect(res.error?.code).to.equal(ErrorCode.AccountOwnerInvalid);
    });

    it("step 3 with a request: request all + kick in one transaction works, but the claim must wait the cooldown", () => {
      [auction] = auctionPda(v.addrs.market, v.market().auctionCount);
      const res = v.mustSend(
        [requestWithdrawalIx(v.lpAccounts(lp1), lp1Shares), v.kickIx(borrower.publicKey, lp1)],
        [lp1],
      );
      const req = request(v, lp1)!;
      // The request recorded the face value (1.000 per share): the loss is not visible yet.
      expect(req.value.toString()).to.equal(USDC(10_000).toString());
      expect(req.claimableTs.sub(req.requestedTs).toNumber()).to.equal(WITHDRAW_COOLDOWN_SECS);
      expect(res.events.map((e) => e.name)).to.include.members(["withdrawalRequested", "auctionStarted"]);
      // The shares left LP1's account but still count in the pool's shares.
      expect(shareBalance(v, lp1).toNumber()).to.equal(0);
      expect(v.market().totalShares.toString()).to.equal(lp1Shares.add(lp2Shares).toString());
      expect(v.chain.send([withdrawLiquidityIx(v.lpAccounts(lp1), lp1Shares)], [lp1]).error?.code).to.equal(
        ErrorCode.WithdrawalCooldownActive,
      );
    });

    it("step 4: 30 minutes later a bidder buys all 100 SOL for 5,888.93; the bad debt is socialized", () => {
      v.warp(1_800);
      v.setPrice(60);
      const res = v.mustSend([v.takeIx(auction, bidder, MAX, MAX)], [bidder]);
      const taken = res.events.find((e) => e.name === "auctionTaken")!.data;
      expect(taken.collateral.toString()).to.equal(SOL(100).toString());
      expect(taken.owe.toNumber() / 1e6).to.be.closeTo(5_888.93, 0.005);
      expect(res.events.map((e) => e.name)).to.include("badDebt");
      expect(v.market().auctionDebt.toNumber()).to.equal(0);
    });

    it("after the cooldown LP1 claims at the value now: LP1 and LP2 lose the same share (0.794 each, not 1.000 and 0.589)", () => {
      v.warp(WITHDRAW_COOLDOWN_SECS - 1_800);
      const claimable = request(v, lp1)!.claimableTs.toNumber();
      expect(Number(v.now)).to.equal(claimable);
      const before = v.market();
      const lp1Before = debtBalance(v, lp1); // the 1 USDC kick reward
      const res = v.mustSend([withdrawLiquidityIx(v.lpAccounts(lp1), lp1Shares)], [lp1]);
      const paid = res.events.find((e) => e.name === "liquidityWithdrawn")!.data.amount as BN;
      const lp1PerShare = perShare(paid, lp1Shares);
      const after = v.market();
      const lp2PerShare = perShare(poolValue(after)!, after.totalShares);
      expect(after.totalShares.toString()).to.equal(lp2Shares.toString());
      expect(lp1PerShare).to.be.closeTo(0.794, 0.0005);
      expect(lp2PerShare).to.be.closeTo(0.794, 0.0005);
      // Pro rata: one share is worth the same to the LP who left and the LP who stayed (rounding).
      expect(Math.abs(lp1PerShare - lp2PerShare)).to.be.lessThan(1e-6);
      expect(debtBalance(v, lp1).sub(lp1Before).toString()).to.equal(paid.toString());
      expect(request(v, lp1)).to.equal(null); // claimed in full: the request is closed
      // What the request's value (the share price LP1 saw before the kick) would have paid, and
      // what it would have left LP2 with: main's outcome, now refused.
      const escaped = USDC(10_000);
      const lp2IfEscaped = perShare(poolValue(before)!.sub(escaped), lp2Shares);
      expect(lp2IfEscaped).to.be.closeTo(0.589, 0.0005);
      const moved = escaped.sub(paid).toNumber() / 1e6;
      expect(moved).to.be.closeTo(2_055.54, 1); // the loss LP1 moved onto LP2 on main
      console.log(
        `      LP1 ${lp1PerShare.toFixed(6)}/share (paid ${(paid.toNumber() / 1e6).toFixed(2)}), ` +
          `LP2 ${lp2PerShare.toFixed(6)}/share; on main LP1 1.000000 and LP2 ${lp2IfEscaped.toFixed(6)} ` +
          `(${moved.toFixed(2)} USDC moved)`,
      );
      v.assertVaultsMatchAccounting();
    });
  });

  describe("the rules one by one", () => {
    /** A pool of 1,000,000 USDC with one LP, a borrower at 5% a year, and a second LP. */
    function pool() {
      const v = new Arena().setup({}, USDC(1_000_000), USDC(1_000));
      const alice = v.actor();
      v.fundDebt(alice.publicKey, USDC(100_000));
      v.mustSend([depositIx(v, alice, USDC(100_000))], [alice]);
      const borrower = v.borrower(10_000, 900_000);
      return { v, alice, borrower };
    }

    /** The oracle crashes to $60: `borrower`'s position is kicked and sold 30 min later far below its debt. */
    function sellAtALoss(v: Arena, borrower: Keypair): void {
      v.setPrice(60);
      const auction = v.kick(borrower.publicKey);
      v.warp(1_800);
      v.setPrice(60);
      const bidder = v.bidder(1_000_000);
      v.mustSend([v.takeIx(auction, bidder, MAX, MAX)], [bidder]);
    }

    /** {@link pool}, with Alice's request to withdraw all her shares just made (`req`). */
    function requested() {
      const { v, alice, borrower } = pool();
      const shares = shareBalance(v, alice);
      v.mustSend([requestWithdrawalIx(v.lpAccounts(alice), shares)], [alice]);
      return { v, alice, borrower, shares, req: request(v, alice)! };
    }

    it("the cooldown: a claim one second early is refused (WithdrawalCooldownActive), on time it is paid", () => {
      const { v, alice, shares } = requested();
      v.warp(WITHDRAW_COOLDOWN_SECS - 1);
      const early = v.chain.send([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
      expect(early.error?.code).to.equal(ErrorCode.WithdrawalCooldownActive);
      expect(request(v, alice)!.shares.toString()).to.equal(shares.toString());
      v.warp(1);
      v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
      expect(request(v, alice)).to.equal(null);
    });

    it("the claim pays the value at request when the shares earned interest since (the interest stays in the pool)", () => {
      const { v, alice, shares, req } = requested();
      v.warp(WITHDRAW_COOLDOWN_SECS);
      const res = v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
      const paid = res.events.find((e) => e.name === "liquidityWithdrawn")!.data.amount as BN;
      expect(paid.toString()).to.equal(req.value.toString());
      // What the shares were worth at the claim (the market accrued in the claim; recompute it).
      const m = v.market();
      const totalBefore = m.totalShares.add(shares);
      const now = amountForShares(shares, withdrawalValue({ ...m, cash: m.cash.add(paid) })!, totalBefore)!;
      expect(now.gt(paid)).to.equal(true);
      expect(
        claimAmount(
          shares,
          req.value,
          withdrawalValue({ ...m, cash: m.cash.add(paid) })!,
          totalBefore,
        )!.toString(),
      ).to.equal(paid.toString());
      // Honest-LP cost of the cooldown at this utilization: the interest forgone.
      const util = v.market().artTotal.toNumber() > 0 ? 900_000 / 1_100_000 : 0;
      console.log(
        `      interest forgone over ${WITHDRAW_COOLDOWN_SECS} s on ${(paid.toNumber() / 1e6).toFixed(2)} USDC ` +
          `(5% APY borrow, ${(util * 100).toFixed(1)}% utilization): ${(now.sub(paid).toNumber() / 1e6).toFixed(6)} USDC`,
      );
    });

    it("requested shares keep sharing losses: a bad debt settled during the cooldown lowers the claim", () => {
      const { v, alice, borrower, shares, req } = requested();
      sellAtALoss(v, borrower);
      v.warp(WITHDRAW_COOLDOWN_SECS - 1_800);
      const m = v.market();
      const expected = claimAmount(shares, req.value, withdrawalValue(m)!, m.totalShares)!;
      expect(expected.lt(req.value)).to.equal(true);
      const res = v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
      const paid = res.events.find((e) => e.name === "liquidityWithdrawn")!.data.amount as BN;
      // Paid at the value now (rounded down), the same per share as the LP who stays.
      expect(paid.toString()).to.equal(expected.toString());
      const after = v.market();
      expect(
        Math.abs(perShare(paid, shares) - perShare(poolValue(after)!, after.totalShares)),
      ).to.be.lessThan(1e-6);
      expect(perShare(paid, shares)).to.be.lessThan(0.99);
    });

    it("a live auction counts only up to the insurance fund at the claim (the request does not lift that rule)", () => {
      const { v, alice, borrower } = pool();
      const shares = shareBalance(v, alice);
      v.mustSend([requestWithdrawalIx(v.lpAccounts(alice), shares)], [alice]);
      v.setPrice(60);
      v.kick(borrower.publicKey);
      v.warp(WITHDRAW_COOLDOWN_SECS);
      const m = v.market();
      expect(m.auctionDebt.gt(m.insurance)).to.equal(true);
      const req = request(v, alice)!;
      const expected = claimAmount(shares, req.value, withdrawalValue(m)!, m.totalShares)!;
      const res = v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
      const paid = res.events.find((e) => e.name === "liquidityWithdrawn")!.data.amount as BN;
      expect(paid.toString()).to.equal(expected.toString());
      expect(paid.lt(amountForShares(shares, poolValue(m)!, m.totalShares)!)).to.equal(true);
    });

    it("partial claims: the parts never add up to more than the request's value", () => {
      const { v, alice, shares, req } = requested();
      v.warp(WITHDRAW_COOLDOWN_SECS);
      const part = shares.divn(3);
      const first = v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), part)], [alice]);
      const left = request(v, alice)!;
      expect(left.shares.toString()).to.equal(shares.sub(part).toString());
      expect(left.value.toString()).to.equal(
        req.value.sub(requestValueOf(part, shares, req.value)!).toString(),
      );
      expect(
        v.chain.send([withdrawLiquidityIx(v.lpAccounts(alice), left.shares.addn(1))], [alice]).error?.code,
      ).to.equal(ErrorCode.AmountInvalid);
      const second = v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), left.shares)], [alice]);
      const paid = [first, second].map(
        (r) => r.events.find((e) => e.name === "liquidityWithdrawn")!.data.amount as BN,
      );
      expect(paid[0].add(paid[1]).lte(req.value)).to.equal(true);
      expect(request(v, alice)).to.equal(null);
    });

    it("double claim: once the request is claimed in full it is closed; claiming again is refused", () => {
      const { v, alice, shares } = requested();
      v.warp(WITHDRAW_COOLDOWN_SECS);
      const lamports = v.chain.svm.getBalance(alice.publicKey)!;
      v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
      expect(v.chain.svm.getBalance(alice.publicKey)! > lamports).to.equal(true); // rent back
      const cash = v.market().cash;
      const again = v.chain.send([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
      expect(again.error?.code).to.equal(ErrorCode.AccountOwnerInvalid);
      // Claim + claim in one transaction: the second finds the request closed.
      const { v: v2, alice: a2 } = pool();
      const s2 = shareBalance(v2, a2);
      v2.mustSend([requestWithdrawalIx(v2.lpAccounts(a2), s2)], [a2]);
      v2.warp(WITHDRAW_COOLDOWN_SECS);
      const twice = v2.chain.send(
        [withdrawLiquidityIx(v2.lpAccounts(a2), s2), withdrawLiquidityIx(v2.lpAccounts(a2), s2)],
        [a2],
      );
      expect(twice.ok).to.equal(false);
      expect(v.market().cash.toString()).to.equal(cash.toString());
    });

    it("one request per LP and market: a second request is refused (WithdrawalRequestExists)", () => {
      const { v, alice } = pool();
      const shares = shareBalance(v, alice);
      v.mustSend([requestWithdrawalIx(v.lpAccounts(alice), shares.divn(2))], [alice]);
      const res = v.chain.send([requestWithdrawalIx(v.lpAccounts(alice), shares.divn(4))], [alice]);
      expect(res.error?.code).to.equal(ErrorCode.WithdrawalRequestExists);
    });

    it("cancel: every share comes back after a loss; after interest, only the shares the request's value buys now", () => {
      const { v, alice, shares, req } = requested();
      v.warp(86_400);
      const m = v.market();
      const res = v.mustSend([cancelWithdrawalIx(v.lpAccounts(alice))], [alice]);
      const ev = res.events.find((e) => e.name === "withdrawalCancelled")!.data;
      const after = v.market();
      // The market accrued in the cancel: the pool value there is after's (same shares before).
      const expected = cancelShares(shares, req.value, poolValue(after)!, m.totalShares)!;
      expect(ev.sharesReturned.toString()).to.equal(expected.toString());
      expect((ev.sharesForfeited as BN).gtn(0)).to.equal(true);
      expect(shareBalance(v, alice).toString()).to.equal(expected.toString());
      expect(after.totalShares.toString()).to.equal(m.totalShares.sub(ev.sharesForfeited).toString());
      // The shares given back are worth no more than the request's value.
      expect(amountForShares(expected, poolValue(after)!, after.totalShares)!.lte(req.value)).to.equal(true);
      expect(request(v, alice)).to.equal(null);

      // After a loss the shares are worth less than at the request: all come back.
      const { v: w, alice: a, borrower, shares: s } = requested();
      sellAtALoss(w, borrower);
      const back = w.mustSend([cancelWithdrawalIx(w.lpAccounts(a))], [a]);
      const e2 = back.events.find((e) => e.name === "withdrawalCancelled")!.data;
      expect(e2.sharesReturned.toString()).to.equal(s.toString());
      expect(e2.sharesForfeited.toNumber()).to.equal(0);
    });

    it("another LP cannot claim or cancel someone's request (WithdrawalRequestMismatch); the owner must sign", () => {
      const { v, alice, shares } = requested();
      v.warp(WITHDRAW_COOLDOWN_SECS);
      const mallory = v.actor();
      const [aliceRequest] = withdrawalRequestPda(v.addrs.market, alice.publicKey);
      const claim = withdrawLiquidityIx(v.lpAccounts(mallory), shares);
      claim.keys[5].pubkey = aliceRequest;
      expect(v.chain.send([claim], [mallory]).error?.code).to.equal(ErrorCode.WithdrawalRequestMismatch);
      const cancel = cancelWithdrawalIx(v.lpAccounts(mallory));
      cancel.keys[5].pubkey = aliceRequest;
      expect(v.chain.send([cancel], [mallory]).error?.code).to.equal(ErrorCode.WithdrawalRequestMismatch);
      // Mallory's own request address holds nothing.
      expect(
        v.chain.send([withdrawLiquidityIx(v.lpAccounts(mallory), shares)], [mallory]).error?.code,
      ).to.equal(ErrorCode.AccountOwnerInvalid);
      // Alice's accounts, Alice not signing (Mallory pays the fee).
      const unsignedRequest = requestWithdrawalIx(v.lpAccounts(alice), new BN(1));
      unsignedRequest.keys[0].isSigner = false;
      expect(v.chain.send([unsignedRequest], [mallory]).error?.code).to.equal(ErrorCode.SignerMissing);
      const unsigned = withdrawLiquidityIx(v.lpAccounts(alice), shares);
      unsigned.keys[0].isSigner = false;
      expect(v.chain.send([unsigned], [mallory]).error?.code).to.equal(ErrorCode.SignerMissing);
      expect(request(v, alice)!.shares.toString()).to.equal(shares.toString());
    });

    it("spoofed request: a look-alike owned by another program, and a request of another market, are refused", () => {
      const { v, alice, shares } = requested();
      v.warp(WITHDRAW_COOLDOWN_SECS);
      const [real] = withdrawalRequestPda(v.addrs.market, alice.publicKey);
      const acc = v.chain.svm.getAccount(real)!;
      // A byte-exact copy owned by another program (data says: 1,000,000 times the shares).
      const data = Buffer.from(acc.data);
      data.writeBigUInt64LE(BigInt(shares.muln(1_000_000).toString()), 72);
      const fake = Keypair.generate().publicKey;
      v.chain.svm.setAccount(fake, { ...acc, data, owner: Keypair.generate().publicKey });
      const claim = withdrawLiquidityIx(v.lpAccounts(alice), shares);
      claim.keys[5].pubkey = fake;
      expect(v.chain.send([claim], [alice]).error?.code).to.equal(ErrorCode.AccountOwnerInvalid);
      // Alice's request in a second market of the same arena, presented to the first.
      const other = v.addMarket({ collateralMint: v.newMint(9), debtMint: v.ref.debtMint });
      const otherRequest = withdrawalRequestPda(other.market, alice.publicKey)[0];
      v.chain.svm.setAccount(otherRequest, {
        ...acc,
        data: (() => {
          const d = Buffer.from(acc.data);
          other.market.toBuffer().copy(d, 8);
          return d;
        })(),
      });
      const cross = withdrawLiquidityIx(v.lpAccounts(alice), shares);
      cross.keys[5].pubkey = otherRequest;
      expect(v.chain.send([cross], [alice]).error?.code).to.equal(ErrorCode.WithdrawalRequestMismatch);
      // The genuine request still pays.
      v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]);
    });

    it("claims wait while kicks are paused (stop ≥ 1); requests and cancels go on until stop 3", () => {
      const { v, alice } = pool();
      const shares = shareBalance(v, alice);
      v.setStop(1);
      v.mustSend([requestWithdrawalIx(v.lpAccounts(alice), shares)], [alice]);
      v.warp(WITHDRAW_COOLDOWN_SECS);
      for (const level of [1, 2]) {
        v.setStop(level);
        expect(
          v.chain.send([withdrawLiquidityIx(v.lpAccounts(alice), shares)], [alice]).error?.code,
        ).to.equal(ErrorCode.ProtocolStopped);
      }
      v.setStop(0);
      v.mustSend([withdrawLiquidityIx(v.lpAccounts(alice), shares.divn(2))], [alice]);
      v.setStop(2);
      v.mustSend([cancelWithdrawalIx(v.lpAccounts(alice))], [alice]);
      v.setStop(3);
      expect(
        v.chain.send([requestWithdrawalIx(v.lpAccounts(alice), new BN(1))], [alice]).error?.code,
      ).to.equal(ErrorCode.ProtocolStopped);
    });

    it("a request must be worth something and hold shares the LP has", () => {
      const { v, alice } = pool();
      expect(
        v.chain.send([requestWithdrawalIx(v.lpAccounts(alice), new BN(0))], [alice]).error?.code,
      ).to.equal(ErrorCode.AmountInvalid);
      const shares = shareBalance(v, alice);
      const res = v.chain.send([requestWithdrawalIx(v.lpAccounts(alice), shares.addn(1))], [alice]);
      expect(res.ok).to.equal(false); // the token program refuses to burn more than the balance
      expect(request(v, alice)).to.equal(null);
    });
  });
});
