/**
 * The auction dashboard in a real browser (Debian's chromium driven by playwright-core) against an
 * embedded validator: a risk analyst opens the page and sees the market; the price crashes, a
 * kicker starts an auction and its price curve appears; a bidder takes part of the lot and the take
 * shows up live (pushed over the websocket, highlighted) and as a dot on the curve; the bidder takes
 * the rest and the auction moves to the settled table with its clearing price vs the oracle. A
 * dashboard started later replays that history; one pointed at an RPC that is down says so. A
 * market with a backstop shows its pool: size at the oracle, absorbed collateral, share value and
 * its history, before and after an absorb. Screenshots:
 * target/artifacts/dashboard-{auction,settled,backstop}.png.
 */
import BN from "bn.js";
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Browser, chromium, Page } from "playwright-core";
import { Keypair, PublicKey } from "@solana/web3.js";
import { GavelClient } from "../sdk/src";
import { ChainMarket, SdkChain, SOL, USDC } from "../sdk/testkit";
import { demoParams } from "../app/demo/scenario";
import { Dashboard, startDashboard } from "../app/web/server";

const ROOT = path.join(__dirname, "..");
const ARTIFACTS = path.join(ROOT, "target", "artifacts");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

describe("18 dashboard (chromium, embedded validator)", function () {
  this.timeout(180_000);
  let chain: SdkChain;
  let market: ChainMarket;
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  let borrower: Keypair;
  let bidder: GavelClient;
  let auction: PublicKey;

  before(async () => {
    chain = SdkChain.start({ blockProduction: "clock" });
    market = new ChainMarket(chain);
    execFileSync("npx", ["vite", "build", "app/web", "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
    await market.create(demoParams, 150);
    await market.lp(USDC(100_000), USDC(5_000));
    borrower = await market.borrower(SOL(20), USDC(2_000)); // 66.7% LTV at $150
    await market.borrower(SOL(50), USDC(3_000)); // 40%: stays safe
    bidder = new GavelClient(chain.connection, await market.keeper(USDC(50_000)));
    dashboard = await startDashboard({
      rpc: chain.surfnet.rpcUrl,
      ws: chain.surfnet.wsUrl,
      pollMs: 500,
      symbols: {
        [market.ref.collateralMint.toBase58()]: "SOL",
        [market.ref.debtMint.toBase58()]: "USDC",
      },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  });

  after(async () => {
    await browser?.close();
    await dashboard?.stop();
    chain?.stop();
  });

  it("the analyst sees the market: oracle, liquidity, LTV distribution, no auctions yet", async () => {
    await page.goto(dashboard.url);
    const card = page.getByTestId("market-card");
    await card.waitFor();
    expect(await card.locator("h3").innerText()).to.match(/^SOL\/USDC/);
    expect(await page.getByTestId("oracle-price").innerText()).to.equal("150.00 USDC/SOL");
    const text = await card.innerText();
    expect(text).to.contain("100,000 USDC"); // pool value
    expect(text).to.contain("95,000 USDC"); // cash: 5,000 lent out
    // Two positions with debt, at 66.67% and 40.00% LTV: two non-empty bars, one position each.
    expect(await card.getByText("66.67%").count()).to.equal(1);
    const labels = await page.getByTestId("ltv-histogram").locator("text.barlabel").allTextContents();
    expect(labels).to.deep.equal(["1", "1"]);
    expect(await page.getByTestId("no-auctions").isVisible()).to.equal(true);
    expect(await page.getByTestId("no-takes").isVisible()).to.equal(true);
    expect(await page.getByTestId("link-state").innerText()).to.contain("live");
  });

  it("the price crashes and a kicker starts an auction: its card and price curve appear", async () => {
    await market.setPrice(120); // 2,000 / (20 × 120) = 83% > 80% liquidation LTV
    const kicker = new GavelClient(chain.connection, await market.keeper(USDC(0)));
    auction = (await kicker.kick(market.addrs.market, borrower.publicKey)).auction;
    const card = page.getByTestId("auction-card");
    await card.waitFor({ timeout: 15_000 });
    expect(await card.locator("h3").innerText()).to.match(/^Auction #0/);
    // The past path runs from the start price (132 = 120 × buf 110%) to the price now.
    const past = await page.getByTestId("curve-past").getAttribute("d");
    const projected = await page.getByTestId("curve-projected").getAttribute("d");
    expect(past!.split(/[ML]/).filter(Boolean).length).to.be.greaterThanOrEqual(2);
    expect(projected!.split(/[ML]/).filter(Boolean).length).to.be.greaterThan(10);
    expect(await card.locator("line.oracle").count()).to.equal(1);
    expect(await page.getByTestId("auction-price").innerText()).to.match(/^1[23]\d\.\d{2,4} USDC\/SOL$/);
    expect(await card.innerText()).to.contain("of 20 SOL");
  });

  it("a bidder takes 5 SOL: the take appears live and as a dot on the curve", async () => {
    const rowsBefore = await page.getByTestId("take-row").count();
    expect(rowsBefore).to.equal(0);
    const res = await bidder.take(auction, { maxCollateral: SOL(5) });
    const taken = res.events.find((e) => e.name === "auctionTaken")!;
    const row = page.getByTestId("take-row").first();
    await row.waitFor({ timeout: 15_000 });
    // Pushed over the websocket as it happened (the highlighted row), not found by a later poll.
    expect(await row.getAttribute("class")).to.contain("fresh");
    const text = await row.innerText();
    expect(text).to.contain("#0");
    expect(text).to.contain("5 SOL");
    const paid = Number(taken.data.owe.toString()) / 1e6;
    expect(text).to.contain(`${paid.toLocaleString("en-US", { maximumFractionDigits: 2 })} USDC`);
    await page.getByTestId("curve-take").first().waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("auction-card").innerText()).to.contain("15 SOL of 20 SOL");
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-auction.png"), fullPage: true });
  });

  it("the bidder takes the rest: the auction settles and shows its clearing price vs the oracle", async () => {
    await bidder.take(auction);
    const row = page.getByTestId("settled-row").first();
    await row.waitFor({ timeout: 15_000 });
    const text = await row.innerText();
    expect(text).to.contain("tab raised");
    expect(text).to.match(/\t2\t/); // two takes
    // A Maker-mode auction (its AuctionStarted event's price_mode): priced on the curve.
    expect(await page.getByTestId("settled-mode").first().innerText()).to.equal("curve");
    expect(await page.getByTestId("settled-discount").first().innerText()).to.match(/^[−+]\d+\.\d{2}%$/);
    expect(await page.getByTestId("bad-debt-total").innerText()).to.equal("0");
    await page.getByTestId("no-auctions").waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("take-row").count()).to.equal(2);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-settled.png"), fullPage: true });
    for (const f of ["dashboard-auction.png", "dashboard-settled.png"]) {
      expect(fs.statSync(path.join(ARTIFACTS, f)).size).to.be.greaterThan(10_000);
    }
  });

  it("a dashboard started afterwards replays the history: the same takes and settlement", async () => {
    const late = await startDashboard({ rpc: chain.surfnet.rpcUrl, ws: chain.surfnet.wsUrl, pollMs: 500 });
    try {
      const other = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      await other.goto(late.url);
      await other.getByTestId("settled-row").first().waitFor({ timeout: 15_000 });
      expect(await other.getByTestId("take-row").count()).to.equal(2);
      // Replayed takes are measured against the oracle at the kick (marked †), not a live read.
      for (const row of await other.getByTestId("take-row").allInnerTexts()) expect(row).to.match(/%†$/);
      expect(await other.getByTestId("settled-row").first().innerText()).to.contain("tab raised");
      expect(await other.getByTestId("settled-mode").first().innerText()).to.equal("curve");
      await other.close();
    } finally {
      await late.stop();
    }
  });

  it("a dashboard pointed at an RPC that is down says so instead of showing nothing", async () => {
    const lines: string[] = [];
    const down = await startDashboard({
      rpc: "http://127.0.0.1:9",
      pollMs: 500,
      historyLimit: 0,
      log: (l) => lines.push(l),
    });
    try {
      const other = await browser.newPage();
      await other.goto(down.url);
      const banner = other.getByTestId("rpc-error");
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.innerText()).to.match(/cannot reach the RPC at http:\/\/127\.0\.0\.1:9/);
      expect(lines[0]).to.match(/^\[dashboard\] cannot reach the RPC/); // the operator sees it too
      await other.close();
    } finally {
      await down.stop();
    }
  });

  it("a market with a backstop: pool size, absorbed collateral at the oracle, share value and its history", async () => {
    // A second market in engine v2 (an anchored auction prices at the oracle at its kick, so the
    // pool may absorb at once with absorb_after_secs 0).
    const v2 = new ChainMarket(chain);
    await v2.create((o) => demoParams(o, "v2"), 150);
    await v2.lp(USDC(100_000), USDC(5_000));
    const admin = new GavelClient(chain.connection, chain.admin);
    const params = {
      absorbAfterSecs: new BN(0),
      absorbNearBps: 0,
      buyDiscountBps: 100,
      withdrawCooldownSecs: new BN(60),
      warmupSecs: new BN(1),
    };
    await admin.createBackstop(v2.addrs.market, params);
    const depositor = new GavelClient(chain.connection, await v2.keeper(USDC(10_000)));
    await depositor.depositBackstop(v2.addrs.market, USDC(10_000));
    for (let i = 0; (await depositor.getBackstop(v2.addrs.market))!.totalShares.isZero(); i++) {
      if (i === 20) throw new Error("the deposit never warmed up");
      await new Promise((r) => setTimeout(r, 500));
      await depositor.depositBackstop(v2.addrs.market, 0).catch(() => undefined);
    }
    dashboard.indexer.label(v2.ref.collateralMint, "SOL");
    dashboard.indexer.label(v2.ref.debtMint, "USDC");
    const stat = async (id: string) => (await page.getByTestId(id).locator(".value").innerText()).trim();
    /** Waits until the pool's stat `id` shows `text` (the page follows the chain at each poll). */
    const shows = async (id: string, text: string) => {
      const until = Date.now() + 15_000;
      while ((await stat(id).catch(() => "")) !== text) {
        if (Date.now() > until) throw new Error(`${id} never showed "${text}": "${await stat(id)}"`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    await shows("pool-size", "10,000 USDC");
    expect(await stat("pool-share")).to.equal("1 USDC");
    expect(await stat("pool-collateral")).to.equal("0 SOL (0 USDC)");
    expect(await stat("pool-absorbs")).to.equal("0 (0 SOL)");
    // A borrower is kicked in a crash and the pool absorbs the auction's lot at once.
    const owner = await v2.borrower(SOL(20), USDC(2_000));
    await v2.setPrice(120);
    const kicker = new GavelClient(chain.connection, await v2.keeper(USDC(0)));
    const kick = await kicker.kick(v2.addrs.market, owner.publicKey);
    const kicked = kick.auction;
    const started = kick.events.find((e) => e.name === "auctionStarted")!.data;
    const absorb = await kicker.absorb(kicked);
    const absorbed = absorb.events.find((e) => e.name === "auctionAbsorbed")!.data;
    // The pool bought what raises the tab: the auction settled, and the settled table shows it
    // anchored with the d_max of its AuctionStarted event.
    expect(absorb.events.some((e) => e.name === "auctionSettled")).to.equal(true);
    const mode = page.getByTestId("settled-mode").first();
    const anchored = `anchored ≤ ${(started.dMaxBps / 100).toFixed(2)}%`;
    for (let until = Date.now() + 15_000; (await mode.innerText()) !== anchored;) {
      if (Date.now() > until) throw new Error(`the settled row never showed "${anchored}"`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = (await depositor.getBackstop(v2.addrs.market))!;
    expect(after.collateral.toString()).to.equal(absorbed.collateral.toString());
    // What the page must show, from the chain: debt + floor(collateral × $120), per share.
    const coll = Number(after.collateral.toString()) / 1e9;
    const value = Math.floor(Number(after.collateral.toString()) * 0.12) / 1e6;
    const size = Number(after.debt.toString()) / 1e6 + value;
    const fmt = (x: number, digits = 2) => x.toLocaleString("en-US", { maximumFractionDigits: digits });
    await shows("pool-collateral", `${fmt(coll, 4)} SOL (${fmt(value)} USDC)`);
    expect(await stat("pool-size")).to.equal(`${fmt(size)} USDC`);
    expect(await stat("pool-share")).to.equal(`${fmt(size / 10_000, 6)} USDC`);
    await shows("pool-absorbs", `1 (${fmt(coll, 4)} SOL)`); // from the AuctionAbsorbed event
    // The history has the pool before and after the absorb (a point at every change of its value);
    // its last point is the share value now. An absorb at the oracle price (in the kick's second,
    // no discount yet) can leave the pool's value unchanged to the micro-USDC: then no new point.
    const history = page.getByTestId("pool-history");
    const changed = fmt(size, 6) !== fmt(10_000, 6);
    expect(Number(await history.getAttribute("data-points")), `pool size ${size}`).to.be.greaterThanOrEqual(
      changed ? 2 : 1,
    );
    expect(Number(await history.getAttribute("data-last"))).to.be.closeTo(size / 10_000, 1e-9);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-backstop.png"), fullPage: true });
  });
});
