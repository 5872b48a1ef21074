// Gavel's instructions and their accounts, written once. Everything that lists an instruction's
// accounts is generated from this table:
//   - idl/gavel.json (scripts/gen-idl.js): accounts with writable/signer flags, docs, PDA seeds,
//     fixed addresses and `relations` (what lets plain Anchor clients resolve them), and args;
//   - programs/gavel/src/instructions/accounts_gen.rs (scripts/gen-accounts.js): one struct per
//     instruction whose `from_slice` splits the account slice in this order;
//   - the "Accounts" list in the `//!` header of programs/gavel/src/instructions/<name>.rs;
//   - sdk/src/generated/accounts.ts: the account metas of each SDK builder.
// `node scripts/gen-accounts.js --check` and `node scripts/gen-idl.js --check` (both in
// scripts/test.sh) fail when a generated file is stale. How to add an instruction: README.md,
// "Adding an instruction".
//
// An instruction: `ix(name, docs, accounts, { args, remaining })`. An account:
// `a(name, flags, docs, extra)` with flags "w" writable and "s" signer; `extra` may hold a PDA
// (`pda: { seeds }`), a fixed `address`, or `relations` (the account's address is the same-named
// field of another account of the instruction). `remaining`: the accounts the program reads from
// the tail of the list (`name @ ..` in Rust), with the ones named in the IDL (`accounts`).

const seed = (s) => ({ kind: "const", value: Array.from(Buffer.from(s)) });
const acc = (name) => ({ kind: "account", path: name });
const SYSTEM = "11111111111111111111111111111111";
const TOKEN = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
const INSTRUCTIONS_SYSVAR = "Sysvar1nstructions1111111111111111111111111";

const a = (name, flags = "", docs = "", extra = {}) => ({
  name,
  ...(docs ? { docs: [docs] } : {}),
  ...(flags.includes("w") ? { writable: true } : {}),
  ...(flags.includes("s") ? { signer: true } : {}),
  ...extra,
});
const pda = (...seeds) => ({ pda: { seeds } });
const config = (flags = "") =>
  a("config", flags, "The protocol's Config (admin, stop level).", pda(seed("config")));
const system = a("system_program", "", "", { address: SYSTEM });
const token = a("token_program", "", "", { address: TOKEN });
const position = (flags, ownerName, docs = "") =>
  a("position", flags, docs, pda(seed("position"), acc("market"), acc(ownerName)));
const marketPda = pda(seed("market"), acc("collateral_mint"), acc("debt_mint"));
// An account derived from the market alone (its vaults, share mint, backstop and its vaults).
const fromMarket = (s) => pda(seed(s), acc("market"));
const withdrawalRequest = (docs) =>
  a("withdrawal_request", "w", docs, pda(seed("withdrawal"), acc("market"), acc("lp")));
const depositorAccount = (docs) =>
  a("depositor_account", "w", docs, pda(seed("backstop_depositor"), acc("backstop"), acc("depositor")));
// `relations: [x]`: this account's address is the same-named field of account `x`.
const rel = (x) => ({ relations: [x] });
const auctionPda = pda(seed("auction"), acc("market"), {
  kind: "account",
  path: "market.auction_count",
  account: "Market",
});
const AUCTION_RENT = "Gets the auction's rent if this closes it.";
const ORACLES = "The market's collateral oracle, then its debt oracle when it has one.";
// The market's oracles at the tail: the collateral oracle is named in the IDL.
const oracles = (docs = ORACLES) => ({ name: "oracles", docs, accounts: [a("collateral_oracle")] });
// Oracles only some calls pass (not named in the IDL).
const optionalOracles = (docs) => ({ name: "oracles", docs, accounts: [] });
const u64 = (name) => ({ name, type: "u64" });
const defined = (name) => ({ defined: { name } });

const ix = (name, docs, accounts, { args = [], remaining } = {}) => ({
  name,
  docs: [docs],
  accounts,
  args,
  ...(remaining ? { remaining } : {}),
});

const instructions = [
  ix("initialize_config", "Creates the Config PDA with the signer as admin and stop level 0.", [
    a("admin", "ws", "Pays the rent; becomes the admin."),
    config("w"),
    system,
  ]),
  ix(
    "set_stop",
    "Admin: sets the stop level (0 live, 1 no kicks, 2 no kicks or resets, 3 admin only).",
    [a("admin", "s"), config("w")],
    { args: [{ name: "stop", type: "u8" }] },
  ),
  ix("transfer_admin", "Admin: nominates a new admin (all zero cancels).", [a("admin", "s"), config("w")], {
    args: [{ name: "new_admin", type: "pubkey" }],
  }),
  ix("accept_admin", "The nominated admin takes over.", [a("pending_admin", "s"), config("w")]),
  ix(
    "create_market",
    "Admin: creates a market for a (collateral, debt) mint pair with its vaults and LP share mint.",
    [
      a("admin", "ws", "Pays the rent."),
      config(),
      a("market", "w", "", marketPda),
      a("collateral_mint", "", "A classic SPL mint."),
      a("debt_mint", "", "A classic SPL mint."),
      a("collateral_vault", "w", "", fromMarket("collateral_vault")),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("share_mint", "w", "The LP share mint.", fromMarket("share_mint")),
      token,
      system,
    ],
    { args: [{ name: "params", type: defined("MarketParams") }] },
  ),
  ix(
    "update_market",
    "Admin: replaces a market's parameters (accrues first).",
    [a("admin", "s"), config(), a("market", "w")],
    {
      args: [{ name: "params", type: defined("MarketParams") }],
    },
  ),
  ix(
    "deposit_liquidity",
    "LP deposits debt tokens for shares at the current share price.",
    [
      a("lp", "s", "Authority of `lp_debt_account`."),
      config(),
      a("market", "w"),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("share_mint", "w", "", fromMarket("share_mint")),
      a("lp_debt_account", "w", "Debt mint."),
      a("lp_share_account", "w", "Share mint."),
      token,
    ],
    { args: [u64("amount")] },
  ),
  ix(
    "withdraw_liquidity",
    "LP claims shares of their withdrawal request after its cooldown, at min(value at request, value now), from idle cash; live auctions count only up to the insurance fund.",
    [
      a("lp", "ws", "Gets the request's rent back when it closes."),
      config(),
      a("market", "w"),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("lp_debt_account", "w", "Debt mint."),
      withdrawalRequest("The LP's request in this market."),
      token,
    ],
    { args: [u64("shares")] },
  ),
  ix(
    "fund_insurance",
    "Anyone adds debt tokens to the market's insurance fund.",
    [
      a("funder", "s", "Authority of `funder_debt_account`."),
      a("market", "w"),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("funder_debt_account", "w", "Debt mint."),
      token,
    ],
    { args: [u64("amount")] },
  ),
  ix("open_position", "A borrower opens their position in a market.", [
    a("owner", "ws", "Pays the rent."),
    config(),
    a("market"),
    position("w", "owner"),
    system,
  ]),
  ix(
    "deposit_collateral",
    "Adds collateral to any position (no oracle needed).",
    [
      a("depositor", "s", "Authority of `source`."),
      a("market", "w", "", rel("position")),
      a("position", "w"),
      a("collateral_vault", "w", "", fromMarket("collateral_vault")),
      a("source", "w", "Collateral mint."),
      token,
    ],
    { args: [u64("amount")] },
  ),
  ix(
    "withdraw_collateral",
    "Owner withdraws collateral, keeping LTV under max_ltv at price - confidence. " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("owner", "s"),
      config(),
      a("market", "w"),
      position("w", "owner"),
      a("collateral_vault", "w", "", fromMarket("collateral_vault")),
      a("destination", "w", "Collateral mint."),
      token,
    ],
    { args: [u64("amount")], remaining: oracles(`${ORACLES} Read only when the position has debt.`) },
  ),
  ix(
    "borrow",
    "Owner borrows, keeping LTV under max_ltv at price - confidence and debt over dust. " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("owner", "s"),
      config(),
      a("market", "w"),
      position("w", "owner"),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("destination", "w", "Debt mint."),
      token,
    ],
    { args: [u64("amount")], remaining: oracles() },
  ),
  ix(
    "repay",
    "Anyone repays a position's debt (capped at the debt; u64::MAX repays all).",
    [
      a("payer", "s", "Authority of `source`."),
      a("market", "w", "", rel("position")),
      a("position", "w"),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("source", "w", "Debt mint."),
      token,
    ],
    { args: [u64("amount")] },
  ),
  ix("close_position", "Owner closes an empty position; rent back.", [
    a("owner", "ws", "Receives the rent."),
    a("market"),
    position("w", "owner"),
  ]),
  ix("accrue", "Anyone compounds the market's borrow index up to now.", [a("market", "w")]),
  ix(
    "kick",
    "Anyone starts an auction of an unsafe position (stop 0). " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("kicker", "ws", "Pays the auction's rent, gets it back at the close."),
      config(),
      a("market", "w", "", rel("position")),
      a("position", "w"),
      a("auction", "w", "Created here, numbered `market.auction_count` (u64 LE in its seeds).", auctionPda),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("kicker_debt_account", "w", "Debt mint, owned by the kicker: receives the reward."),
      token,
      system,
    ],
    { remaining: oracles() },
  ),
  ix(
    "take",
    "Anyone buys collateral at the auction's current price (stop < 3). Anchored auctions: " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("taker", "s", "Authority of `debt_source`."),
      config(),
      a("market", "w", "", rel("auction")),
      a("auction", "w"),
      a("position", "w", "The auctioned position.", rel("auction")),
      a("collateral_vault", "w", "", fromMarket("collateral_vault")),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("collateral_destination", "w", "Collateral mint: where the collateral goes."),
      a("debt_source", "w", "Debt mint."),
      a("kicker", "w", AUCTION_RENT, rel("auction")),
      token,
    ],
    {
      args: [u64("max_collateral"), u64("max_price")],
      remaining: optionalOracles(`For an anchored auction: ${ORACLES[0].toLowerCase()}${ORACLES.slice(1)}`),
    },
  ),
  ix(
    "take_begin",
    "Flash take, first half: collateral out now, payment by a take_end later in the same transaction. Anchored auctions: " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("taker", "s"),
      config(),
      a("market", "w", "", rel("auction")),
      a("auction", "w"),
      a("collateral_vault", "w", "", fromMarket("collateral_vault")),
      a("collateral_destination", "w", "Collateral mint."),
      a("instructions_sysvar", "", "", { address: INSTRUCTIONS_SYSVAR }),
      token,
    ],
    {
      args: [u64("max_collateral"), u64("max_price")],
      remaining: optionalOracles(`For an anchored auction: ${ORACLES[0].toLowerCase()}${ORACLES.slice(1)}`),
    },
  ),
  ix("take_end", "Flash take, second half: collects the payment recorded by take_begin.", [
    a("payer", "s", "Authority of `debt_source`."),
    a("market", "w", "", rel("auction")),
    a("auction", "w", "Account index 2, which `take_begin` looks for."),
    a("position", "w", "", rel("auction")),
    a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
    a("debt_source", "w", "Debt mint."),
    a("kicker", "w", AUCTION_RENT, rel("auction")),
    token,
  ]),
  ix(
    "reset_auction",
    "Anyone restarts an auction past tail or below cusp from a fresh price (stop < 2). " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("caller", "s"),
      config(),
      a("market", "w", "", rel("auction")),
      a("auction", "w"),
      a("liquidity_vault", "w", "", fromMarket("liquidity_vault")),
      a("caller_debt_account", "w", "Debt mint, owned by the caller: receives the reward."),
      token,
    ],
    { remaining: oracles() },
  ),
  ix("cancel_auction", "Admin at stop 3: collateral and remaining tab go back to the position.", [
    a("admin", "s"),
    config(),
    a("market", "w", "", rel("auction")),
    a("auction", "w"),
    a("position", "w", "The auctioned position.", rel("auction")),
    a("kicker", "w", "Gets the auction's rent.", rel("auction")),
  ]),
  ix(
    "request_withdrawal",
    "LP moves shares into a withdrawal request (one per LP and market); they keep sharing losses until claimed after the market's cooldown.",
    [
      a("lp", "ws", "Pays the request's rent; authority of `lp_share_account`."),
      config(),
      a("market", "w"),
      a("share_mint", "w", "", fromMarket("share_mint")),
      a("lp_share_account", "w", "Share mint."),
      withdrawalRequest("Created here."),
      token,
      system,
    ],
    { args: [u64("shares")] },
  ),
  ix(
    "cancel_withdrawal",
    "LP takes back the shares of their withdrawal request, worth at most their value at the request (any excess is forfeited to the pool).",
    [
      a("lp", "ws", "Gets the request's rent back."),
      config(),
      a("market", "w"),
      a("share_mint", "w", "", fromMarket("share_mint")),
      a("lp_share_account", "w", "Share mint."),
      withdrawalRequest("The LP's request in this market."),
      token,
    ],
  ),
  ix(
    "create_backstop",
    "Admin: creates a market's backstop pool with its share mint and debt and collateral vaults.",
    [
      a("admin", "ws", "Pays the rent."),
      config(),
      a("market", "", "", marketPda),
      a("backstop", "w", "", fromMarket("backstop")),
      a("collateral_mint", "", "The market's."),
      a("debt_mint", "", "The market's."),
      a("share_mint", "w", "", fromMarket("backstop_shares")),
      a("debt_vault", "w", "", fromMarket("backstop_debt")),
      a("collateral_vault", "w", "", fromMarket("backstop_collateral")),
      token,
      system,
    ],
    { args: [{ name: "params", type: defined("BackstopParams") }] },
  ),
  ix(
    "update_backstop",
    "Admin: replaces a backstop's parameters.",
    [a("admin", "s"), config(), a("backstop", "w")],
    {
      args: [{ name: "params", type: defined("BackstopParams") }],
    },
  ),
  ix(
    "deposit_backstop",
    "Deposits debt tokens into the backstop (they warm up first) and turns a warmed-up deposit into shares. " +
      "Market's oracles as remaining accounts when the pool holds collateral.",
    [
      a("depositor", "ws", "Pays the depositor account's rent the first time."),
      config(),
      a("market"),
      a("backstop", "w", "", fromMarket("backstop")),
      depositorAccount("Created when missing."),
      a("debt_vault", "w", "", fromMarket("backstop_debt")),
      a("share_mint", "w", "", fromMarket("backstop_shares")),
      a("depositor_debt_account", "w", "Debt mint."),
      a("depositor_share_account", "w", "Backstop share mint."),
      token,
      system,
    ],
    {
      args: [u64("amount")],
      remaining: optionalOracles(
        `${ORACLES} Read only when the pool holds collateral and a warmed-up deposit becomes shares.`,
      ),
    },
  ),
  ix(
    "request_backstop_withdrawal",
    "Burns backstop shares into a withdrawal request, paid after the cooldown; they keep sharing gains and losses.",
    [
      a("depositor", "ws", "Pays the depositor account's rent the first time."),
      config(),
      a("backstop", "w"),
      depositorAccount("Created when missing."),
      a("share_mint", "w", "The backstop's.", rel("backstop")),
      a("depositor_share_account", "w", "Backstop share mint, authority `depositor`."),
      token,
      system,
    ],
    { args: [u64("shares")] },
  ),
  ix(
    "withdraw_backstop",
    "Pays a withdrawal request after its cooldown, pro rata in both tokens; waits while the market has live auctions.",
    [
      a("depositor", "s"),
      config(),
      a("market"),
      a("backstop", "w", "", fromMarket("backstop")),
      depositorAccount(""),
      a("debt_vault", "w", "", fromMarket("backstop_debt")),
      a("collateral_vault", "w", "", fromMarket("backstop_collateral")),
      a("depositor_debt_account", "w", "Debt mint."),
      a("depositor_collateral_account", "w", "Collateral mint."),
      token,
    ],
  ),
  ix(
    "absorb",
    "Anyone lets the backstop buy a stalled or near-insolvent auction's lot at the auction's price (stop < 3). " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("caller", "s"),
      config(),
      a("market", "w", "", rel("auction")),
      a("backstop", "w", "", fromMarket("backstop")),
      a("auction", "w"),
      a("position", "w", "The auctioned position.", rel("auction")),
      a("collateral_vault", "w", "The market's.", fromMarket("collateral_vault")),
      a("liquidity_vault", "w", "The market's.", fromMarket("liquidity_vault")),
      a("backstop_debt_vault", "w", "", fromMarket("backstop_debt")),
      a("backstop_collateral_vault", "w", "", fromMarket("backstop_collateral")),
      a("caller_debt_account", "w", "Debt mint: receives the reward."),
      a("kicker", "w", AUCTION_RENT, rel("auction")),
      token,
    ],
    { remaining: oracles() },
  ),
  ix(
    "buy_from_backstop",
    "Anyone buys the backstop's collateral at oracle × (1 − buy discount). " +
      "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).",
    [
      a("buyer", "s", "Authority of `buyer_debt_account`."),
      config(),
      a("market", "w"),
      a("backstop", "w", "", fromMarket("backstop")),
      a("debt_vault", "w", "The backstop's.", fromMarket("backstop_debt")),
      a("collateral_vault", "w", "The backstop's.", fromMarket("backstop_collateral")),
      a("buyer_debt_account", "w", "Debt mint."),
      a("buyer_collateral_account", "w", "Collateral mint."),
      token,
    ],
    { args: [u64("max_collateral"), u64("max_price")], remaining: oracles() },
  ),
  ix(
    "fund_backstop",
    "Anyone moves the market's accrued backstop funding (interest and penalty shares) into the backstop (stop < 3).",
    [
      config(),
      a("market", "w"),
      a("backstop", "w", "", fromMarket("backstop")),
      a("liquidity_vault", "w", "The market's.", fromMarket("liquidity_vault")),
      a("debt_vault", "w", "The backstop's.", fromMarket("backstop_debt")),
      token,
    ],
  ),
];

module.exports = { instructions };
