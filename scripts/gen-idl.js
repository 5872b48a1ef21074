#!/usr/bin/env node
// Writes idl/gavel.json (Anchor IDL spec 0.1.0) from the compact description below. The program
// is not built with anchor-lang, so this file is the IDL's source; programs/gavel/tests/idl.rs
// checks it against the program (instruction and error lists, every account and event layout),
// and the mocha specs drive the real .so through it. `--check` fails if idl/gavel.json is stale.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const disc = (ns, name) =>
  Array.from(crypto.createHash("sha256").update(`${ns}:${name}`).digest().subarray(0, 8));
const seed = (s) => ({ kind: "const", value: Array.from(Buffer.from(s)) });
const acc = (name) => ({ kind: "account", path: name });
const SYSTEM = "11111111111111111111111111111111";
const TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

// Account metas: [name, flags, extra] with flags "w" writable, "s" signer.
const a = (name, flags = "", extra = {}) => ({
  name,
  ...(flags.includes("w") ? { writable: true } : {}),
  ...(flags.includes("s") ? { signer: true } : {}),
  ...extra,
});
const config = (flags = "") => a("config", flags, { pda: { seeds: [seed("config")] } });
const system = a("system_program", "", { address: SYSTEM });
const token = a("token_program", "", { address: TOKEN });
const position = (flags, ownerName) =>
  a("position", flags, { pda: { seeds: [seed("position"), acc("market"), acc(ownerName)] } });
const marketPda = { pda: { seeds: [seed("market"), acc("collateral_mint"), acc("debt_mint")] } };
const vaultPda = (s) => ({ pda: { seeds: [seed(s), acc("market")] } });
const withdrawalRequest = a("withdrawal_request", "w", {
  pda: { seeds: [seed("withdrawal"), acc("market"), acc("lp")] },
});
const backstopDepositorPda = (owner) => ({
  pda: { seeds: [seed("backstop_depositor"), acc("backstop"), acc(owner)] },
});
// Account resolution for plain Anchor clients: `rel(x)` reads this account's address from the
// same-named field of account `x` (anchor's `relations`), `fromMarket` derives it from the market.
const rel = (x) => ({ relations: [x] });
const fromMarket = (s) => vaultPda(s);
const backstopPda = vaultPda("backstop");
const auctionPda = {
  pda: {
    seeds: [
      seed("auction"),
      acc("market"),
      { kind: "account", path: "market.auction_count", account: "Market" },
    ],
  },
};
const oracleDocs = ["Market's collateral oracle; then its debt oracle when it has one (remaining accounts)."];

const ix = (name, docs, accounts, args = []) => ({
  name,
  docs: [docs],
  discriminator: disc("global", name),
  accounts,
  args,
});

const instructions = [
  ix("initialize_config", "Creates the Config PDA with the signer as admin and stop level 0.", [
    a("admin", "ws"),
    config("w"),
    system,
  ]),
  ix(
    "set_stop",
    "Admin: sets the stop level (0 live, 1 no kicks, 2 no kicks or resets, 3 admin only).",
    [a("admin", "s"), config("w")],
    [{ name: "stop", type: "u8" }],
  ),
  ix(
    "transfer_admin",
    "Admin: nominates a new admin (all zero cancels).",
    [a("admin", "s"), config("w")],
    [{ name: "new_admin", type: "pubkey" }],
  ),
  ix("accept_admin", "The nominated admin takes over.", [a("pending_admin", "s"), config("w")]),
  ix(
    "create_market",
    "Admin: creates a market for a (collateral, debt) mint pair with its vaults and LP share mint.",
    [
      a("admin", "ws"),
      config(),
      a("market", "w", marketPda),
      a("collateral_mint"),
      a("debt_mint"),
      a("collateral_vault", "w", vaultPda("collateral_vault")),
      a("liquidity_vault", "w", vaultPda("liquidity_vault")),
      a("share_mint", "w", vaultPda("share_mint")),
      token,
      system,
    ],
    [{ name: "params", type: { defined: { name: "MarketParams" } } }],
  ),
  ix(
    "update_market",
    "Admin: replaces a market's parameters (accrues first).",
    [a("admin", "s"), config(), a("market", "w")],
    [{ name: "params", type: { defined: { name: "MarketParams" } } }],
  ),
  ix(
    "deposit_liquidity",
    "LP deposits debt tokens for shares at the current share price.",
    [
      a("lp", "s"),
      config(),
      a("market", "w"),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("share_mint", "w", fromMarket("share_mint")),
      a("lp_debt_account", "w"),
      a("lp_share_account", "w"),
      token,
    ],
    [{ name: "amount", type: "u64" }],
  ),
  ix(
    "withdraw_liquidity",
    "LP claims shares of their withdrawal request after its cooldown, at min(value at request, value now), from idle cash; live auctions count only up to the insurance fund.",
    [
      a("lp", "ws"),
      config(),
      a("market", "w"),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("lp_debt_account", "w"),
      withdrawalRequest,
      token,
    ],
    [{ name: "shares", type: "u64" }],
  ),
  ix(
    "fund_insurance",
    "Anyone adds debt tokens to the market's insurance fund.",
    [
      a("funder", "s"),
      a("market", "w"),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("funder_debt_account", "w"),
      token,
    ],
    [{ name: "amount", type: "u64" }],
  ),
  ix("open_position", "A borrower opens their position in a market.", [
    a("owner", "ws"),
    config(),
    a("market"),
    position("w", "owner"),
    system,
  ]),
  ix(
    "deposit_collateral",
    "Adds collateral to any position (no oracle needed).",
    [
      a("depositor", "s"),
      a("market", "w", rel("position")),
      a("position", "w"),
      a("collateral_vault", "w", fromMarket("collateral_vault")),
      a("source", "w"),
      token,
    ],
    [{ name: "amount", type: "u64" }],
  ),
  ix(
    "withdraw_collateral",
    "Owner withdraws collateral, keeping LTV under max_ltv at price - confidence. " + oracleDocs[0],
    [
      a("owner", "s"),
      config(),
      a("market", "w"),
      position("w", "owner"),
      a("collateral_vault", "w", fromMarket("collateral_vault")),
      a("destination", "w"),
      token,
      a("collateral_oracle"),
    ],
    [{ name: "amount", type: "u64" }],
  ),
  ix(
    "borrow",
    "Owner borrows, keeping LTV under max_ltv at price - confidence and debt over dust. " + oracleDocs[0],
    [
      a("owner", "s"),
      config(),
      a("market", "w"),
      position("w", "owner"),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("destination", "w"),
      token,
      a("collateral_oracle"),
    ],
    [{ name: "amount", type: "u64" }],
  ),
  ix(
    "repay",
    "Anyone repays a position's debt (capped at the debt; u64::MAX repays all).",
    [
      a("payer", "s"),
      a("market", "w", rel("position")),
      a("position", "w"),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("source", "w"),
      token,
    ],
    [{ name: "amount", type: "u64" }],
  ),
  ix("close_position", "Owner closes an empty position; rent back.", [
    a("owner", "ws"),
    a("market"),
    position("w", "owner"),
  ]),
  ix("accrue", "Anyone compounds the market's borrow index up to now.", [a("market", "w")]),
  ix("kick", "Anyone starts an auction of an unsafe position (stop 0). " + oracleDocs[0], [
    a("kicker", "ws"),
    config(),
    a("market", "w", rel("position")),
    a("position", "w"),
    a("auction", "w", auctionPda),
    a("liquidity_vault", "w", fromMarket("liquidity_vault")),
    a("kicker_debt_account", "w"),
    token,
    system,
    a("collateral_oracle"),
  ]),
  ix(
    "take",
    "Anyone buys collateral at the auction's current price (stop < 3). Anchored auctions: " + oracleDocs[0],
    [
      a("taker", "s"),
      config(),
      a("market", "w", rel("auction")),
      a("auction", "w"),
      a("position", "w", rel("auction")),
      a("collateral_vault", "w", fromMarket("collateral_vault")),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("collateral_destination", "w"),
      a("debt_source", "w"),
      a("kicker", "w", rel("auction")),
      token,
    ],
    [
      { name: "max_collateral", type: "u64" },
      { name: "max_price", type: "u64" },
    ],
  ),
  ix(
    "take_begin",
    "Flash take, first half: collateral out now, payment by a take_end later in the same transaction. Anchored auctions: " +
      oracleDocs[0],
    [
      a("taker", "s"),
      config(),
      a("market", "w", rel("auction")),
      a("auction", "w"),
      a("collateral_vault", "w", fromMarket("collateral_vault")),
      a("collateral_destination", "w"),
      a("instructions_sysvar", "", { address: "Sysvar1nstructions1111111111111111111111111" }),
      token,
    ],
    [
      { name: "max_collateral", type: "u64" },
      { name: "max_price", type: "u64" },
    ],
  ),
  ix("take_end", "Flash take, second half: collects the payment recorded by take_begin.", [
    a("payer", "s"),
    a("market", "w", rel("auction")),
    a("auction", "w"),
    a("position", "w", rel("auction")),
    a("liquidity_vault", "w", fromMarket("liquidity_vault")),
    a("debt_source", "w"),
    a("kicker", "w", rel("auction")),
    token,
  ]),
  ix(
    "reset_auction",
    "Anyone restarts an auction past tail or below cusp from a fresh price (stop < 2). " + oracleDocs[0],
    [
      a("caller", "s"),
      config(),
      a("market", "w", rel("auction")),
      a("auction", "w"),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("caller_debt_account", "w"),
      token,
      a("collateral_oracle"),
    ],
  ),
  ix("cancel_auction", "Admin at stop 3: collateral and remaining tab go back to the position.", [
    a("admin", "s"),
    config(),
    a("market", "w", rel("auction")),
    a("auction", "w"),
    a("position", "w", rel("auction")),
    a("kicker", "w", rel("auction")),
  ]),
  ix(
    "request_withdrawal",
    "LP moves shares into a withdrawal request (one per LP and market); they keep sharing losses until claimed after the market's cooldown.",
    [
      a("lp", "ws"),
      config(),
      a("market", "w"),
      a("share_mint", "w", fromMarket("share_mint")),
      a("lp_share_account", "w"),
      withdrawalRequest,
      token,
      system,
    ],
    [{ name: "shares", type: "u64" }],
  ),
  ix(
    "cancel_withdrawal",
    "LP takes back the shares of their withdrawal request, worth at most their value at the request (any excess is forfeited to the pool).",
    [
      a("lp", "ws"),
      config(),
      a("market", "w"),
      a("share_mint", "w", fromMarket("share_mint")),
      a("lp_share_account", "w"),
      withdrawalRequest,
      token,
    ],
  ),
  ix(
    "create_backstop",
    "Admin: creates a market's backstop pool with its share mint and debt and collateral vaults.",
    [
      a("admin", "ws"),
      config(),
      a("market", "", marketPda),
      a("backstop", "w", vaultPda("backstop")),
      a("collateral_mint"),
      a("debt_mint"),
      a("share_mint", "w", vaultPda("backstop_shares")),
      a("debt_vault", "w", vaultPda("backstop_debt")),
      a("collateral_vault", "w", vaultPda("backstop_collateral")),
      token,
      system,
    ],
    [{ name: "params", type: { defined: { name: "BackstopParams" } } }],
  ),
  ix(
    "update_backstop",
    "Admin: replaces a backstop's parameters.",
    [a("admin", "s"), config(), a("backstop", "w")],
    [{ name: "params", type: { defined: { name: "BackstopParams" } } }],
  ),
  ix(
    "deposit_backstop",
    "Deposits debt tokens into the backstop (they warm up first) and turns a warmed-up deposit into shares. " +
      "Market's oracles as remaining accounts when the pool holds collateral.",
    [
      a("depositor", "ws"),
      config(),
      a("market"),
      a("backstop", "w", backstopPda),
      a("depositor_account", "w", backstopDepositorPda("depositor")),
      a("debt_vault", "w", fromMarket("backstop_debt")),
      a("share_mint", "w", fromMarket("backstop_shares")),
      a("depositor_debt_account", "w"),
      a("depositor_share_account", "w"),
      token,
      system,
    ],
    [{ name: "amount", type: "u64" }],
  ),
  ix(
    "request_backstop_withdrawal",
    "Burns backstop shares into a withdrawal request, paid after the cooldown; they keep sharing gains and losses.",
    [
      a("depositor", "ws"),
      config(),
      a("backstop", "w"),
      a("depositor_account", "w", backstopDepositorPda("depositor")),
      a("share_mint", "w", rel("backstop")),
      a("depositor_share_account", "w"),
      token,
      system,
    ],
    [{ name: "shares", type: "u64" }],
  ),
  ix(
    "withdraw_backstop",
    "Pays a withdrawal request after its cooldown, pro rata in both tokens; waits while the market has live auctions.",
    [
      a("depositor", "s"),
      config(),
      a("market"),
      a("backstop", "w", backstopPda),
      a("depositor_account", "w", backstopDepositorPda("depositor")),
      a("debt_vault", "w", fromMarket("backstop_debt")),
      a("collateral_vault", "w", fromMarket("backstop_collateral")),
      a("depositor_debt_account", "w"),
      a("depositor_collateral_account", "w"),
      token,
    ],
  ),
  ix(
    "absorb",
    "Anyone lets the backstop buy a stalled or near-insolvent auction's lot at the auction's price (stop < 3). " +
      oracleDocs[0],
    [
      a("caller", "s"),
      config(),
      a("market", "w", rel("auction")),
      a("backstop", "w", backstopPda),
      a("auction", "w"),
      a("position", "w", rel("auction")),
      a("collateral_vault", "w", fromMarket("collateral_vault")),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("backstop_debt_vault", "w", fromMarket("backstop_debt")),
      a("backstop_collateral_vault", "w", fromMarket("backstop_collateral")),
      a("caller_debt_account", "w"),
      a("kicker", "w", rel("auction")),
      token,
      a("collateral_oracle"),
    ],
  ),
  ix(
    "buy_from_backstop",
    "Anyone buys the backstop's collateral at oracle × (1 − buy discount). " + oracleDocs[0],
    [
      a("buyer", "s"),
      config(),
      a("market", "w"),
      a("backstop", "w", backstopPda),
      a("debt_vault", "w", fromMarket("backstop_debt")),
      a("collateral_vault", "w", fromMarket("backstop_collateral")),
      a("buyer_debt_account", "w"),
      a("buyer_collateral_account", "w"),
      token,
      a("collateral_oracle"),
    ],
    [
      { name: "max_collateral", type: "u64" },
      { name: "max_price", type: "u64" },
    ],
  ),
  ix(
    "fund_backstop",
    "Anyone moves the market's accrued backstop funding (interest and penalty shares) into the backstop (stop < 3).",
    [
      config(),
      a("market", "w"),
      a("backstop", "w", backstopPda),
      a("liquidity_vault", "w", fromMarket("liquidity_vault")),
      a("debt_vault", "w", fromMarket("backstop_debt")),
      token,
    ],
  ),
];

const f = (name, type) => ({ name, type });
const P = "pubkey";
const defined = (name) => ({ defined: { name } });
const struct = (name, fields, docs) => ({
  name,
  ...(docs ? { docs: [docs] } : {}),
  type: { kind: "struct", fields: fields.map(([n, t]) => f(n, t)) },
});

const types = [
  {
    name: "Curve",
    docs: ["Auction price curve; cut factors on CUT_SCALE = 1e18."],
    type: {
      kind: "enum",
      variants: [
        { name: "Linear", fields: [f("tau_secs", "u64")] },
        { name: "StairstepExp", fields: [f("step_secs", "u64"), f("cut", "u64")] },
        { name: "Exp", fields: [f("cut", "u64")] },
      ],
    },
  },
  struct(
    "MarketParams",
    [
      ["max_ltv_bps", "u16"],
      ["liquidation_ltv_bps", "u16"],
      ["chop_bps", "u16"],
      ["buf_bps", "u16"],
      ["cusp_bps", "u16"],
      ["chip_bps", "u16"],
      ["tip", "u64"],
      ["tail_secs", "u64"],
      ["hole", "u64"],
      ["dust", "u64"],
      ["borrow_rate_per_sec_wad", "u64"],
      ["oracle_program", P],
      ["collateral_oracle_kind", "u8"],
      ["collateral_oracle", P],
      ["debt_oracle_kind", "u8"],
      ["debt_oracle", P],
      ["max_age_secs", "u64"],
      ["max_age_slots", "u64"],
      ["max_conf_bps", "u16"],
      ["curve", defined("Curve")],
      ["withdraw_cooldown_secs", "u64"],
      ["price_mode", "u8"],
      ["anchor_start_bps", "u16"],
      ["anchor_rate_bps_per_min", "u16"],
      ["anchor_max_base_bps", "u16"],
      ["anchor_max_cap_bps", "u16"],
      ["kick_target_ltv_bps", "u16"],
      ["kick_full_ltv_bps", "u16"],
      ["backstop_interest_share_bps", "u16"],
      ["backstop_penalty_share_bps", "u16"],
    ],
    "Everything the admin sets on a market.",
  ),
  struct(
    "BackstopParams",
    [
      ["absorb_after_secs", "u64"],
      ["absorb_near_bps", "u16"],
      ["buy_discount_bps", "u16"],
      ["withdraw_cooldown_secs", "u64"],
      ["warmup_secs", "u64"],
    ],
    "Everything the admin sets on a backstop pool.",
  ),
  struct("Config", [
    ["admin", P],
    ["pending_admin", P],
    ["stop", "u8"],
    ["bump", "u8"],
    ["reserved", { array: ["u8", 64] }],
  ]),
  struct("Market", [
    ["bump", "u8"],
    ["collateral_mint", P],
    ["debt_mint", P],
    ["collateral_decimals", "u8"],
    ["debt_decimals", "u8"],
    ["collateral_vault", P],
    ["liquidity_vault", P],
    ["share_mint", P],
    ["total_shares", "u64"],
    ["cash", "u64"],
    ["insurance", "u64"],
    ["art_total", "u64"],
    ["rate", "u64"],
    ["last_accrual_ts", "i64"],
    ["collateral_total", "u64"],
    ["dirt", "u64"],
    ["auction_debt", "u64"],
    ["auction_count", "u64"],
    ["params", defined("MarketParams")],
    ["collateral_publish_time", "i64"],
    ["debt_publish_time", "i64"],
    ["backstop_due", "u64"],
  ]),
  struct("Position", [
    ["market", P],
    ["owner", P],
    ["ink", "u64"],
    ["art", "u64"],
    ["auctions", "u64"],
    ["bump", "u8"],
    ["reserved", { array: ["u8", 24] }],
  ]),
  struct("WithdrawalRequest", [
    ["market", P],
    ["lp", P],
    ["shares", "u64"],
    ["value", "u64"],
    ["requested_ts", "i64"],
    ["claimable_ts", "i64"],
    ["bump", "u8"],
    ["reserved", { array: ["u8", 23] }],
  ]),
  // prettier-ignore
  struct("Auction", [
    ["market", P], ["id", "u64"], ["position", P], ["owner", P], ["kicker", P],
    ["tab", "u64"], ["lot", "u64"], ["debt", "u64"], ["top", "u64"], ["tic", "i64"],
    ["initial_tab", "u64"], ["initial_lot", "u64"], ["pending_owe", "u64"], ["flash", "u8"], ["bump", "u8"],
    ["initial_debt", "u64"], ["rewards_paid", "u64"], ["price_mode", "u8"], ["d_max_bps", "u16"],
    ["kicked_at", "i64"],
    ["reserved", { array: ["u8", 5] }],
  ]),
  // prettier-ignore
  struct("Backstop", [
    ["market", P], ["share_mint", P], ["debt_vault", P], ["collateral_vault", P],
    ["total_shares", "u64"], ["debt", "u64"], ["collateral", "u64"], ["warming", "u64"],
    ["params", defined("BackstopParams")], ["bump", "u8"],
    ["reserved", { array: ["u8", 32] }],
  ]),
  // prettier-ignore
  struct("BackstopDepositor", [
    ["backstop", P], ["owner", P], ["warming", "u64"], ["warm_at", "i64"],
    ["withdraw_shares", "u64"], ["withdraw_at", "i64"], ["bump", "u8"],
    ["reserved", { array: ["u8", 16] }],
  ]),
];

const events = [
  ["ConfigInitialized", [["admin", P]]],
  [
    "StopChanged",
    [
      ["admin", P],
      ["previous", "u8"],
      ["stop", "u8"],
      ["unix_timestamp", "i64"],
    ],
  ],
  [
    "AdminTransferProposed",
    [
      ["admin", P],
      ["pending_admin", P],
    ],
  ],
  [
    "AdminTransferAccepted",
    [
      ["previous_admin", P],
      ["admin", P],
    ],
  ],
  [
    "MarketCreated",
    [
      ["market", P],
      ["collateral_mint", P],
      ["debt_mint", P],
      ["params", defined("MarketParams")],
    ],
  ],
  [
    "MarketUpdated",
    [
      ["market", P],
      ["params", defined("MarketParams")],
    ],
  ],
  [
    "InterestAccrued",
    [
      ["market", P],
      ["rate", "u64"],
      ["elapsed_secs", "u64"],
      ["total_debt", "u64"],
      ["unix_timestamp", "i64"],
    ],
  ],
  [
    "LiquidityDeposited",
    [
      ["market", P],
      ["lp", P],
      ["amount", "u64"],
      ["shares", "u64"],
      ["total_shares", "u64"],
      ["pool_value", "u64"],
    ],
  ],
  [
    "LiquidityWithdrawn",
    [
      ["market", P],
      ["lp", P],
      ["amount", "u64"],
      ["shares", "u64"],
      ["total_shares", "u64"],
      ["pool_value", "u64"],
    ],
  ],
  [
    "InsuranceFunded",
    [
      ["market", P],
      ["funder", P],
      ["amount", "u64"],
      ["insurance", "u64"],
    ],
  ],
  [
    "PositionOpened",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
    ],
  ],
  [
    "CollateralDeposited",
    [
      ["market", P],
      ["position", P],
      ["depositor", P],
      ["amount", "u64"],
      ["ink", "u64"],
    ],
  ],
  [
    "CollateralWithdrawn",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
      ["amount", "u64"],
      ["ink", "u64"],
    ],
  ],
  [
    "DebtBorrowed",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
      ["amount", "u64"],
      ["art", "u64"],
      ["debt", "u64"],
      ["rate", "u64"],
    ],
  ],
  [
    "DebtRepaid",
    [
      ["market", P],
      ["position", P],
      ["payer", P],
      ["amount", "u64"],
      ["art", "u64"],
      ["debt", "u64"],
      ["rate", "u64"],
    ],
  ],
  [
    "PositionClosed",
    [
      ["market", P],
      ["position", P],
      ["owner", P],
    ],
  ],
  // prettier-ignore
  ["AuctionStarted", [["market", P], ["auction", P], ["id", "u64"], ["position", P], ["owner", P], ["kicker", P], ["tab", "u64"], ["lot", "u64"], ["debt", "u64"], ["top", "u64"], ["oracle_price", "u64"], ["reward", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["AuctionTaken", [["market", P], ["auction", P], ["id", "u64"], ["taker", P], ["price", "u64"], ["collateral", "u64"], ["owe", "u64"], ["tab", "u64"], ["lot", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["AuctionReset", [["market", P], ["auction", P], ["id", "u64"], ["caller", P], ["top", "u64"], ["tab", "u64"], ["lot", "u64"], ["reward", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["AuctionSettled", [["market", P], ["auction", P], ["id", "u64"], ["position", P], ["reason", "u8"], ["raised", "u64"], ["returned_collateral", "u64"], ["bad_debt", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["BadDebt", [["market", P], ["auction", P], ["id", "u64"], ["debt", "u64"], ["covered_by_insurance", "u64"], ["socialized", "u64"]]],
  // prettier-ignore
  ["WithdrawalRequested", [["market", P], ["lp", P], ["shares", "u64"], ["value", "u64"], ["claimable_ts", "i64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["WithdrawalCancelled", [["market", P], ["lp", P], ["shares_returned", "u64"], ["shares_forfeited", "u64"], ["total_shares", "u64"]]],
  [
    "BackstopCreated",
    [
      ["market", P],
      ["backstop", P],
      ["params", defined("BackstopParams")],
    ],
  ],
  [
    "BackstopUpdated",
    [
      ["market", P],
      ["backstop", P],
      ["params", defined("BackstopParams")],
    ],
  ],
  // prettier-ignore
  ["BackstopDeposited", [["market", P], ["depositor", P], ["amount", "u64"], ["activated", "u64"], ["shares", "u64"], ["total_shares", "u64"], ["warming", "u64"], ["warm_at", "i64"]]],
  // prettier-ignore
  ["BackstopWithdrawalRequested", [["market", P], ["depositor", P], ["shares", "u64"], ["withdraw_at", "i64"]]],
  // prettier-ignore
  ["BackstopWithdrawn", [["market", P], ["depositor", P], ["shares", "u64"], ["debt", "u64"], ["collateral", "u64"], ["total_shares", "u64"]]],
  // prettier-ignore
  ["AuctionAbsorbed", [["market", P], ["auction", P], ["id", "u64"], ["caller", P], ["price", "u64"], ["collateral", "u64"], ["owe", "u64"], ["reward", "u64"], ["tab", "u64"], ["lot", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["BackstopCollateralBought", [["market", P], ["buyer", P], ["price", "u64"], ["collateral", "u64"], ["owe", "u64"], ["backstop_debt", "u64"], ["backstop_collateral", "u64"], ["unix_timestamp", "i64"]]],
  // prettier-ignore
  ["BackstopFunded", [["market", P], ["backstop", P], ["amount", "u64"], ["backstop_due", "u64"], ["backstop_debt", "u64"], ["total_shares", "u64"], ["unix_timestamp", "i64"]]],
];

const root = path.join(__dirname, "..");
const out = path.join(root, "idl/gavel.json");
// Errors: read from the program's one list (programs/gavel/src/error.rs: `Name = code => "message",`).
const errorSource = fs.readFileSync(path.join(root, "programs/gavel/src/error.rs"), "utf8");
const errors = [...errorSource.matchAll(/^\s+([A-Z][A-Za-z0-9]*) = (\d+) => "((?:[^"\\]|\\.)*)",$/gm)].map(
  ([, name, code, msg]) => ({ code: Number(code), name, msg: msg.replace(/\\(.)/g, "$1") }),
);
if (errors.length === 0) throw new Error("no errors found in programs/gavel/src/error.rs");
const idl = {
  address: "7GP234LwKLTdc6kkRBi2DE9vU4ATK3K5vYP8J1WZV1mM",
  metadata: {
    name: "gavel",
    version: "0.1.0",
    spec: "0.1.0",
    description: "Gavel: Dutch-auction liquidation protocol for Solana",
  },
  instructions,
  accounts: [
    "Config",
    "Market",
    "Position",
    "Auction",
    "WithdrawalRequest",
    "Backstop",
    "BackstopDepositor",
  ].map((n) => ({
    name: n,
    discriminator: disc("account", n),
  })),
  events: events.map(([n]) => ({ name: n, discriminator: disc("event", n) })),
  errors,
  types: [...types, ...events.map(([n, fields]) => struct(n, fields))],
};
const text = JSON.stringify(idl, null, 2) + "\n";
// The same bytes go to the SDK's copy (sdk/src/idl/gavel.json), which the SDK imports so that the
// @gavel/sdk package builds from sdk/ alone; idl/gavel.json stays the IDL of record.
const outputs = [out, path.join(root, "sdk/src/idl/gavel.json")];
if (process.argv.includes("--check")) {
  for (const file of outputs) {
    if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
      console.error(`${path.relative(root, file)} is stale: run \`node scripts/gen-idl.js\``);
      process.exit(1);
    }
  }
} else {
  for (const file of outputs) fs.writeFileSync(file, text);
}
