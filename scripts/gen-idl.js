#!/usr/bin/env node
// Writes idl/gavel.json (Anchor IDL spec 0.1.0) from the instruction table of
// programs/gavel/instructions.js and the types, events and errors below. The program is not built
// with anchor-lang, so these are the IDL's source; programs/gavel/tests/idl.rs
// checks it against the program (instruction and error lists, every account and event layout),
// and the mocha specs drive the real .so through it. `--check` fails if idl/gavel.json is stale.
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const disc = (ns, name) =>
  Array.from(crypto.createHash("sha256").update(`${ns}:${name}`).digest().subarray(0, 8));
// Instructions and their accounts come from the program's one table (programs/gavel/instructions.js);
// the accounts the program reads from the tail of the list (oracles) follow, as named there.
const { instructions: table } = require("../programs/gavel/instructions.js");
const instructions = table.map(({ name, docs, accounts, args, remaining }) => ({
  name,
  docs,
  discriminator: disc("global", name),
  accounts: [...accounts, ...(remaining ? remaining.accounts : [])],
  args,
}));

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
