// Gavel's account layouts, the Borsh types inside them and its events, written once. Everything
// that spells a layout out is generated from this table by scripts/gen-layouts.js, or read from it:
//   - programs/gavel/src/state/layout_gen.rs: each struct or enum with its docs, and per account
//     `DISCRIMINATOR`, `RESERVED`, `LEN`, `read`, `write` and `load`/`store` (the hand-written
//     behaviour, e.g. `Market::accrue`, stays in `state/<name>.rs` as `impl` blocks);
//   - programs/gavel/src/events_gen.rs: each event's struct and `Event` impl;
//   - idl/gavel.json (scripts/gen-idl.js): the `accounts`, `events` and `types` lists;
//   - sdk/src/generated/layouts.ts: the SDK's decoded-account interfaces (camelCase) and decoders,
//     re-exported by sdk/src/accounts.ts.
// `node scripts/gen-layouts.js --check` (in scripts/test.sh) fails when a generated file is stale.
//
// Every account is `discriminator (8) ‖ Borsh fields ‖ reserved zero bytes`. A field:
// `f(name, type, docs, { ts, optional })` with type "u8" | "u16" | "u64" | "i64" | "pubkey" or the
// name of a type of `types` below; `ts` names the SDK type when it is narrower than the Borsh one
// (an enum); `optional` (a `types` struct's field) is the value the SDK fills in when a caller
// leaves the field out. A struct: `struct(name, docs, fields, { reserved, defaults })`, `reserved`
// = zero bytes after the fields (accounts only), `defaults` = the name of the SDK function filling
// in its optional fields. An enum: `enumType(name, docs, variants)`, a variant `[name, docs, fields]`.
// The SDK's shapes of `types` (sdk/src/generated/types.ts, re-exported by sdk/src/types.ts) are
// generated too.
// An account whose layout can shrink (an enum inside) zeroes the bytes after its fields on write.

const f = (name, type, docs, opts = {}) => ({ name, type, docs, ...opts });
const struct = (name, docs, fields, opts = {}) => ({ kind: "struct", name, docs, fields, ...opts });
const enumType = (name, docs, variants) => ({
  kind: "enum",
  name,
  docs,
  variants: variants.map(([vname, vdocs, fields]) => ({ name: vname, docs: vdocs, fields })),
});
const P = "pubkey";
const BUMP = "Canonical bump of the PDA.";

// The Borsh types used inside accounts (and as instruction and event arguments).
const types = [
  enumType(
    "Curve",
    "Auction price curve (docs/parameters.md; Maker's `abaci`); cut factors on `CUT_SCALE` = 1e18. " +
      "Borsh enum: tag byte, then fields.",
    [
      ["Linear", "Falls linearly from `top` to 0 over `tau_secs`.", [f("tau_secs", "u64")]],
      [
        "StairstepExp",
        "Multiplies by `cut` (on `math::auction::CUT_SCALE`) every `step_secs`.",
        [f("step_secs", "u64"), f("cut", "u64")],
      ],
      ["Exp", "Multiplies by `cut` (on `math::auction::CUT_SCALE`) every second.", [f("cut", "u64")]],
    ],
  ),
  struct(
    "MarketParams",
    "Everything the admin sets on a market (`create_market`, `update_market`).",
    [
      f(
        "max_ltv_bps",
        "u16",
        "Borrow limit: debt value / collateral value (collateral at price − confidence).",
      ),
      f("liquidation_ltv_bps", "u16", "Unsafe (kickable) above this LTV; greater than `max_ltv_bps`."),
      f("chop_bps", "u16", "Liquidation penalty added to the tab."),
      f("buf_bps", "u16", "Auction start price = oracle price × buf (≥ 100%)."),
      f("cusp_bps", "u16", "An auction may be reset when price / top falls below this."),
      f("chip_bps", "u16", "Kicker reward, share of the tab."),
      f("tip", "u64", "Kicker reward, flat amount (debt base units)."),
      f("tail_secs", "u64", "An auction may be reset after this long."),
      f("hole", "u64", "Most debt+penalty allowed in live auctions of this market (debt base units)."),
      f("dust", "u64", "Smallest debt of a position and of what an auction leaves (debt base units)."),
      f(
        "borrow_rate_per_sec_wad",
        "u64",
        "Per-second borrow rate on `math::WAD`, compounded into the `rate` index.",
      ),
      f("oracle_program", P, "Program that must own the oracle accounts (Pyth oracle or Pyth receiver)."),
      f("collateral_oracle_kind", "u8", "Layout of the collateral oracle (`OracleKind`).", {
        ts: "OracleKind",
      }),
      f("collateral_oracle", P, "Legacy: price account address; pull: feed id."),
      f("debt_oracle_kind", "u8", "Layout of the debt oracle (ignored when `debt_oracle` is all zero).", {
        ts: "OracleKind",
      }),
      f("debt_oracle", P, "Debt-token oracle; all zero = the debt token is worth 1 USD."),
      f("max_age_secs", "u64", "Oldest acceptable oracle publish time."),
      f("max_age_slots", "u64", "Oldest acceptable oracle publish slot (0 = unchecked)."),
      f("max_conf_bps", "u16", "Widest acceptable confidence / price."),
      f("curve", "Curve", "Auction price curve."),
      f(
        "withdraw_cooldown_secs",
        "u64",
        "Seconds between an LP's `request_withdrawal` and the first `withdraw_liquidity` claim of it " +
          "(fixed in the request when it is made).",
      ),
      f(
        "price_mode",
        "u8",
        "`PRICE_MODE_MAKER` (the `curve` from `top`) or `PRICE_MODE_ANCHORED` (oracle × (1 − d)).",
        { ts: "PriceMode" },
      ),
      f("anchor_start_bps", "u16", "Anchored mode: discount at the kick (and after a reset), `d_start`."),
      f("anchor_rate_bps_per_min", "u16", "Anchored mode: discount growth per minute, `d_rate`."),
      f(
        "anchor_max_base_bps",
        "u16",
        "Largest discount of an auction whose position was kicked at exactly the liquidation LTV; " +
          "each point of LTV above it adds a point (`math::anchored::d_max_bps`).",
      ),
      f("anchor_max_cap_bps", "u16", "Largest discount of any auction."),
      f(
        "kick_target_ltv_bps",
        "u16",
        "Partial kicks bring the position back to this LTV; 0 = whole positions.",
      ),
      f("kick_full_ltv_bps", "u16", "Partial kicks: at or above this LTV the whole position is kicked."),
      f(
        "backstop_interest_share_bps",
        "u16",
        "Share of borrow interest owed to the market's backstop pool instead of the LPs (0 = none).",
        { optional: 0 },
      ),
      f(
        "backstop_penalty_share_bps",
        "u16",
        "Share of each liquidation penalty owed to the backstop pool instead of the insurance fund.",
        { optional: 0 },
      ),
    ],
    { defaults: "withFundingDefaults" },
  ),
  struct(
    "BackstopParams",
    "Everything the admin sets on a backstop (`create_backstop`, `update_backstop`).",
    [
      f("absorb_after_secs", "u64", "An auction may be absorbed this long after its kick."),
      f(
        "absorb_near_bps",
        "u16",
        "... or earlier, once its lot at the oracle is worth at most `tab × (1 + near)`.",
      ),
      f(
        "buy_discount_bps",
        "u16",
        "`buy_from_backstop` sells the pool's collateral at oracle × (1 − discount).",
      ),
      f("withdraw_cooldown_secs", "u64", "A withdrawal request can be paid this long after it was made."),
      f(
        "warmup_secs",
        "u64",
        "A deposit becomes shares (and shares in absorbs) this long after it was made.",
      ),
    ],
  ),
];

// The program's accounts, in the IDL's order.
const accounts = [
  struct(
    "Config",
    "Protocol-wide settings.",
    [
      f("admin", P, "May change the stop level and markets."),
      f("pending_admin", P, "Admin nominated by `transfer_admin`, all zero when none."),
      f("stop", "u8", "Emergency level, 0..=3.", { ts: "StopLevel" }),
      f("bump", "u8", BUMP),
    ],
    { reserved: 64 },
  ),
  struct("Market", "A lending market.", [
    f("bump", "u8", "Canonical bump of the market PDA."),
    f("collateral_mint", P, "Collateral token mint (classic SPL Token)."),
    f("debt_mint", P, "Debt token mint (classic SPL Token)."),
    f("collateral_decimals", "u8", "Decimals of the collateral mint."),
    f("debt_decimals", "u8", "Decimals of the debt mint."),
    f("collateral_vault", P, "Collateral vault (token account, authority = market)."),
    f("liquidity_vault", P, "Liquidity vault (token account, authority = market): LP cash + insurance fund."),
    f("share_mint", P, "LP share mint (authority = market; decimals = debt decimals)."),
    f("total_shares", "u64", "LP shares outstanding (= share mint supply)."),
    f("cash", "u64", "Debt tokens idle in the liquidity vault that belong to LPs."),
    f("insurance", "u64", "Debt tokens in the liquidity vault that belong to the insurance fund."),
    f("art_total", "u64", "Sum of positions' normalized debt."),
    f("rate", "u64", "Cumulative borrow index on `RATE_SCALE` (starts at 1.0)."),
    f("last_accrual_ts", "i64", "Unix time of the last accrual."),
    f(
      "collateral_total",
      "u64",
      "Collateral held for positions (sum of `ink`; auctions add their lots later).",
    ),
    f("dirt", "u64", "Debt + penalty currently in live auctions."),
    f(
      "auction_debt",
      "u64",
      "Debt (without penalty) that live auctions still owe the pool; counted in the pool's value " +
        "until raised or written off as bad debt.",
    ),
    f("auction_count", "u64", "Auctions started so far (next auction id)."),
    f("params", "MarketParams", "The admin-set parameters."),
    f(
      "collateral_publish_time",
      "i64",
      "Newest collateral-oracle publish time the market has read (kick, take, reset); an older " +
        "price is refused, so nobody can present a lower print than one already seen.",
    ),
    f("debt_publish_time", "i64", "The same for the debt oracle (0 when the market has none)."),
    f(
      "backstop_due",
      "u64",
      "Debt tokens owed to the backstop pool: its shares of interest (accrued with the index) and " +
        "of penalties (paid into `cash`), not yet moved by `fund_backstop`. Not the LPs': the pool " +
        "value excludes it.",
    ),
  ]),
  struct(
    "Position",
    "A borrower's position.",
    [
      f("market", P, "The market it belongs to."),
      f("owner", P, "The borrower."),
      f("ink", "u64", "Collateral deposited (collateral base units)."),
      f("art", "u64", "Normalized debt: debt = art × market.rate / RATE_SCALE."),
      f("auctions", "u64", "Live auctions of this position (it cannot be closed while any is live)."),
      f("bump", "u8", BUMP),
      f(
        "unearned_rewards",
        "u64",
        "Rewards its settled auctions paid beyond the penalty they collected (a lot that ran out " +
          "drops its unraised penalty): the next kick starts its auction's `rewards_paid` at this " +
          "and zeroes it (`math::kick::unearned_rewards`).",
      ),
    ],
    // `unearned_rewards` took the first 8 of the original 24 reserved bytes.
    { reserved: 16 },
  ),
  struct(
    "Auction",
    "A live auction.",
    [
      f("market", P, "The market."),
      f("id", "u64", "Sequence number within the market (`market.auction_count` at the kick)."),
      f("position", P, "The kicked position."),
      f("owner", P, "The position's owner (receives leftover collateral through the position)."),
      f("kicker", P, "Who kicked (paid the rent; gets it back on close)."),
      f("tab", "u64", "Debt + penalty still to raise (debt base units)."),
      f("lot", "u64", "Collateral left for sale (collateral base units)."),
      f("debt", "u64", "Part of `tab` that is the position's debt (owed to the pool); the rest is penalty."),
      f(
        "top",
        "u64",
        "Maker mode: start price (on `PRICE_SCALE`), oracle price × buf at the kick or last reset. " +
          "Anchored mode: the oracle price at the kick or last reset (for display; takes read the " +
          "live oracle).",
      ),
      f("tic", "i64", "Start time (unix seconds) of the current price curve."),
      f("initial_tab", "u64", "Tab at the kick."),
      f("initial_lot", "u64", "Lot at the kick."),
      f("pending_owe", "u64", "Flash take in progress: debt tokens `take_end` must collect (0 = none)."),
      f("flash", "u8", "1 while a flash take is between `take_begin` and `take_end`."),
      f("bump", "u8", BUMP),
      f(
        "initial_debt",
        "u64",
        "Debt part of the tab at the kick: the auction's penalty is `initial_tab − initial_debt`.",
      ),
      f(
        "rewards_paid",
        "u64",
        "Rewards charged to the auction: the position's unearned rewards carried in at the kick, " +
          "plus what the kick, every reset and absorb paid; the rewards it pays never take it " +
          "above the penalty.",
      ),
      f("price_mode", "u8", "The market's `price_mode` at the kick (kept for the auction's life).", {
        ts: "PriceMode",
      }),
      f(
        "d_max_bps",
        "u16",
        "Anchored mode: the largest discount, fixed at the kick or last reset (`math::anchored::d_max_bps`).",
      ),
      f(
        "kicked_at",
        "i64",
        "Unix time of the kick (resets do not move it): the backstop's `absorb_after_secs` runs from here.",
      ),
    ],
    // `initial_debt` and `rewards_paid` took the first 16 of the original 32 reserved bytes,
    // `price_mode` and `d_max_bps` the next 3, `kicked_at` the next 8, so the size did not change.
    { reserved: 5 },
  ),
  struct(
    "WithdrawalRequest",
    "An LP's pending withdrawal.",
    [
      f("market", P, "The market it belongs to."),
      f("lp", P, "The LP (signer of the request; the only one who may claim or cancel it)."),
      f(
        "shares",
        "u64",
        "Shares still in the request (burned from the LP, counted in `Market::total_shares`).",
      ),
      f(
        "value",
        "u64",
        "What those shares were worth at the request (pool value, debt base units, rounded down): " +
          "the most a claim or a cancel can give for them.",
      ),
      f("requested_ts", "i64", "Unix time of the request."),
      f(
        "claimable_ts",
        "i64",
        "First unix time a claim is accepted (request time + the market's cooldown then).",
      ),
      f("bump", "u8", BUMP),
    ],
    { reserved: 23 },
  ),
  struct(
    "Backstop",
    "A market's backstop pool.",
    [
      f("market", P, "The market it backs."),
      f("share_mint", P, "Share mint (authority = market; decimals = debt decimals)."),
      f("debt_vault", P, "Debt-token vault (authority = market): `debt` + `warming` (+ donations, ignored)."),
      f("collateral_vault", P, "Collateral vault (authority = market): `collateral` (+ donations, ignored)."),
      f(
        "total_shares",
        "u64",
        "Shares outstanding: the mint's supply plus shares burned by withdrawal requests that are " +
          "not paid yet (those keep their claim on the basket until paid).",
      ),
      f("debt", "u64", "Debt tokens that belong to the shares."),
      f("collateral", "u64", "Collateral that belongs to the shares."),
      f(
        "warming",
        "u64",
        "Debt tokens deposited and still warming up (not shares yet, not used by absorbs).",
      ),
      f("params", "BackstopParams", "The admin-set parameters."),
      f("bump", "u8", BUMP),
    ],
    { reserved: 32 },
  ),
  struct(
    "BackstopDepositor",
    "One depositor's state in a backstop.",
    [
      f("backstop", P, "The backstop."),
      f("owner", P, "The depositor."),
      f("warming", "u64", "Debt tokens deposited and warming up (not shares yet)."),
      f("warm_at", "i64", "Unix time from which `warming` may become shares."),
      f(
        "withdraw_shares",
        "u64",
        "Shares of a withdrawal request (burned at the request, still counted in `total_shares`).",
      ),
      f("withdraw_at", "i64", "Unix time from which the request may be paid."),
      f("bump", "u8", BUMP),
    ],
    { reserved: 16 },
  ),
];

// The program's events, in the IDL's order: `ev(name, docs, fields)`, a field `[name, type, docs]`.
// Each is logged as `sha256("event:<Name>")[..8] ‖ Borsh fields` (programs/gavel/src/events.rs).
// Fields that mean the same in several events are written once here.
const ev = (name, docs, fields) => ({ name, docs, fields: fields.map(([n, t, d]) => f(n, t, d)) });
const TS = ["unix_timestamp", "i64"];
const AUCTION = [
  ["market", P],
  ["auction", P],
  ["id", "u64"],
];
// The auction's price mode and discount bound, as stored in the Auction after the kick or reset.
const AUCTION_MODE = [
  ["price_mode", "u8", "The auction's price mode (0 Maker curve, 1 anchored), kept for its life."],
  ["d_max_bps", "u16", "Anchored mode: the auction's largest discount, fixed at the kick or this reset."],
];
const PRICE_PAID = ["price", "u64", "Price paid (PRICE_SCALE)."];
const BOUGHT = ["collateral", "u64", "Collateral bought."];
const LEFT = [
  ["tab", "u64", "Tab left."],
  ["lot", "u64", "Lot left."],
];
const LIQUIDITY = [
  ["market", P],
  ["lp", P],
  ["amount", "u64"],
  ["shares", "u64"],
  ["total_shares", "u64"],
  ["pool_value", "u64"],
];
const BACKSTOP_PARAMS = [
  ["market", P],
  ["backstop", P],
  ["params", "BackstopParams"],
];
const POSITION_DEBT = [
  ["amount", "u64"],
  ["art", "u64"],
  ["debt", "u64"],
  ["rate", "u64"],
];

// prettier-ignore
const events = [
  ev("ConfigInitialized", "The config was created.", [["admin", P]]),
  ev("StopChanged", "The admin changed the stop level.", [["admin", P], ["previous", "u8"], ["stop", "u8"], TS]),
  ev("AdminTransferProposed", "The admin nominated a new admin (who must accept).",
    [["admin", P], ["pending_admin", P]]),
  ev("AdminTransferAccepted", "The nominated admin accepted.", [["previous_admin", P], ["admin", P]]),
  ev("MarketCreated", "A market was created.",
    [["market", P], ["collateral_mint", P], ["debt_mint", P], ["params", "MarketParams"]]),
  ev("MarketUpdated", "A market's parameters changed.", [["market", P], ["params", "MarketParams"]]),
  ev("InterestAccrued", "Interest was compounded into the borrow index by `accrue`.",
    [["market", P], ["rate", "u64"], ["elapsed_secs", "u64"], ["total_debt", "u64"], TS]),
  ev("LiquidityDeposited", "An LP deposited debt tokens and received shares.", LIQUIDITY),
  ev("LiquidityWithdrawn", "An LP burned shares and received debt tokens.", LIQUIDITY),
  ev("InsuranceFunded", "Someone added to a market's insurance fund.",
    [["market", P], ["funder", P], ["amount", "u64"], ["insurance", "u64"]]),
  ev("PositionOpened", "A borrower opened a position.", [["market", P], ["position", P], ["owner", P]]),
  ev("CollateralDeposited", "Collateral was added to a position.",
    [["market", P], ["position", P], ["depositor", P], ["amount", "u64"], ["ink", "u64"]]),
  ev("CollateralWithdrawn", "The owner took collateral out of a position.",
    [["market", P], ["position", P], ["owner", P], ["amount", "u64"], ["ink", "u64"]]),
  ev("DebtBorrowed", "The owner borrowed debt tokens.",
    [["market", P], ["position", P], ["owner", P], ...POSITION_DEBT]),
  ev("DebtRepaid", "Debt of a position was repaid.", [["market", P], ["position", P], ["payer", P], ...POSITION_DEBT]),
  ev("PositionClosed", "An empty position was closed and its rent returned.",
    [["market", P], ["position", P], ["owner", P]]),
  ev("AuctionStarted", "A position was kicked into an auction (Maker's `Bark` + `Kick`).", [
    ...AUCTION, ["position", P], ["owner", P], ["kicker", P],
    ["tab", "u64", "Debt + penalty to raise."],
    ["lot", "u64", "Collateral for sale."],
    ["debt", "u64", "Debt part of the tab."],
    ["top", "u64", "Start price (PRICE_SCALE)."],
    ["oracle_price", "u64", "Oracle price at the kick (PRICE_SCALE)."],
    ["reward", "u64", "Kicker reward paid from the insurance fund."],
    ...AUCTION_MODE,
    TS,
  ]),
  ev("AuctionTaken", "A bidder bought collateral from an auction (`take` or a flash take's `take_end`).", [
    ...AUCTION, ["taker", P], PRICE_PAID, BOUGHT, ["owe", "u64", "Debt tokens paid."], ...LEFT, TS,
  ]),
  ev("AuctionReset", "An auction's price curve was restarted from a fresh oracle price (Maker's `Redo`).", [
    ...AUCTION, ["caller", P],
    ["top", "u64", "New start price (PRICE_SCALE)."],
    ["tab", "u64"], ["lot", "u64"],
    ["reward", "u64", "Reward paid to the caller from the insurance fund."],
    ...AUCTION_MODE,
    TS,
  ]),
  ev("AuctionSettled", "An auction closed. `reason`: 0 tab raised in full, 1 collateral exhausted, 2 cancelled.", [
    ...AUCTION, ["position", P], ["reason", "u8"],
    ["raised", "u64", "Total debt tokens raised over the auction's life."],
    ["returned_collateral", "u64", "Collateral returned to the position."],
    ["bad_debt", "u64", "Debt left unpaid (see `BadDebt`)."],
    TS,
  ]),
  ev("BadDebt", "An auction ran out of collateral before raising its debt.", [
    ...AUCTION,
    ["debt", "u64", "Debt left unraised."],
    ["covered_by_insurance", "u64", "Part covered by the insurance fund."],
    ["socialized", "u64", "Part taken from the LPs (pool value drops by this)."],
  ]),
  ev("WithdrawalRequested",
    "An LP asked to withdraw: `shares` burned from their account into a request worth at most `value`, " +
      "claimable from `claimable_ts`.",
    [["market", P], ["lp", P], ["shares", "u64"], ["value", "u64"], ["claimable_ts", "i64"], TS]),
  ev("WithdrawalCancelled",
    "An LP cancelled their withdrawal request: `shares_returned` minted back, `shares_forfeited` " +
      "(the interest earned since the request) left to the pool.",
    [["market", P], ["lp", P], ["shares_returned", "u64"], ["shares_forfeited", "u64"], ["total_shares", "u64"]]),
  ev("BackstopCreated", "A market's backstop pool was created.", BACKSTOP_PARAMS),
  ev("BackstopUpdated", "A backstop's parameters changed.", BACKSTOP_PARAMS),
  ev("BackstopDeposited", "A depositor deposited into a backstop and/or a warmed-up deposit became shares.", [
    ["market", P], ["depositor", P],
    ["amount", "u64", "Debt tokens deposited now (warming up)."],
    ["activated", "u64", "Warmed-up debt tokens that became shares now."],
    ["shares", "u64", "Shares minted for them."],
    ["total_shares", "u64"],
    ["warming", "u64", "The depositor's balance still warming up, and when it may become shares."],
    ["warm_at", "i64"],
  ]),
  ev("BackstopWithdrawalRequested",
    "A depositor asked to withdraw backstop shares (burned now, paid after the cooldown).", [
      ["market", P], ["depositor", P],
      ["shares", "u64", "Shares of the whole pending request."],
      ["withdraw_at", "i64"],
    ]),
  ev("BackstopWithdrawn", "A withdrawal request was paid, pro rata in both tokens.", [
    ["market", P], ["depositor", P], ["shares", "u64"],
    ["debt", "u64", "Debt tokens paid."],
    ["collateral", "u64", "Collateral paid."],
    ["total_shares", "u64"],
  ]),
  ev("AuctionAbsorbed", "The backstop bought (part of) an auction's lot at the auction's price.", [
    ...AUCTION, ["caller", P], PRICE_PAID, BOUGHT,
    ["owe", "u64", "Debt tokens paid by the pool."],
    ["reward", "u64", "Caller reward from the insurance fund."],
    ...LEFT, TS,
  ]),
  ev("BackstopCollateralBought", "Someone bought collateral from the backstop.", [
    ["market", P], ["buyer", P], PRICE_PAID, ["collateral", "u64"],
    ["owe", "u64", "Debt tokens paid."],
    ["backstop_debt", "u64", "The pool's basket after."],
    ["backstop_collateral", "u64"], TS,
  ]),
  ev("BackstopFunded",
    "`fund_backstop` moved the backstop's accrued funding (interest and penalty shares) from the " +
      "market's liquidity vault into the pool.", [
      ["market", P], ["backstop", P],
      ["amount", "u64", "Debt tokens moved into the pool."],
      ["backstop_due", "u64", "Funding still due to the pool (the market had less idle cash)."],
      ["backstop_debt", "u64", "The pool's debt tokens after."],
      ["total_shares", "u64", "Pool shares (unchanged: each is worth more)."],
      TS,
    ]),
];

module.exports = { types, accounts, events };
