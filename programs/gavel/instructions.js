// Gavel's instructions, their accounts and the PDAs those derive from, written once. Everything
// that lists an instruction's accounts or derives a PDA is generated from this file:
//   - idl/gavel.json (scripts/gen-idl.js): accounts with writable/signer flags, docs, PDA seeds,
//     fixed addresses and `relations` (what lets plain Anchor clients resolve them), and args;
//   - programs/gavel/src/instructions/accounts_gen.rs (scripts/gen-accounts.js): one struct per
//     instruction whose `from_slice` splits the account slice in this order;
//   - the "Accounts" list in the `//!` header of programs/gavel/src/instructions/<name>.rs;
//   - sdk/src/generated/pda.ts: each PDA's seed and derivation function (`PDAS` below);
//   - sdk/src/generated/instructions.ts: every SDK builder `<name>Ix`, which takes the accounts a
//     caller gives and derives the rest from their seeds.
// `node scripts/gen-accounts.js --check` and `node scripts/gen-idl.js --check` (both in
// scripts/test.sh) fail when a generated file is stale. How to add an instruction: README.md,
// "Adding an instruction".
//
// A PDA (`PDAS`): its constant seed, then the names of the values it derives from. A name is an
// account of the instruction, another PDA of this table (derived in turn), or a value a client
// gives (`INPUTS`). The program's seed constants (`state/seeds_gen.rs`) are generated from them.
//
// An instruction: `ix(name, docs, accounts, { args, remaining })`. An account:
// `a(name, flags, docs, extra)` with flags "w" writable and "s" signer; `extra` may hold the PDA it
// is (`pda: "<PDAS key>"`), a fixed `address`, or `relations` (the account's address is the
// same-named field of another account of the instruction). The IDL carries an account's seeds when
// every value they name is an account of the instruction (or, for `INPUTS` with an `idl` path, a
// field of one); the SDK derives every PDA from the accounts and inputs its caller gives.
// `remaining`: the accounts the program reads from the tail of the list (`name @ ..` in Rust), with
// the ones named in the IDL (`accounts`).

const PDAS = {
  config: ["config"],
  market: ["market", "collateral_mint", "debt_mint"],
  collateral_vault: ["collateral_vault", "market"],
  liquidity_vault: ["liquidity_vault", "market"],
  share_mint: ["share_mint", "market"],
  position: ["position", "market", "owner"],
  withdrawal_request: ["withdrawal", "market", "lp"],
  auction: ["auction", "market", "auction_id"],
  backstop: ["backstop", "market"],
  backstop_share_mint: ["backstop_shares", "market"],
  backstop_debt_vault: ["backstop_debt", "market"],
  backstop_collateral_vault: ["backstop_collateral", "market"],
  backstop_depositor: ["backstop_depositor", "backstop", "depositor"],
};

// What the PDAs that are SPL token accounts or mints hold (the others are the Gavel accounts of
// programs/gavel/layouts.js of the same name, `withdrawal_request` → `WithdrawalRequest`); their
// token authority is the market PDA. The README's "Accounts and seeds" table is generated from these.
const TOKEN_PDAS = {
  collateral_vault: "SPL token account of the collateral mint: positions' collateral and auctions' lots.",
  liquidity_vault: "SPL token account of the debt mint: LP cash + insurance fund.",
  share_mint: "SPL mint of the LP shares (decimals = debt decimals).",
  backstop_share_mint: "SPL mint of the backstop's shares (decimals = debt decimals).",
  backstop_debt_vault: "SPL token account of the debt mint: the backstop's `debt` + `warming`.",
  backstop_collateral_vault: "SPL token account of the collateral mint: the backstop's `collateral`.",
};

// Values seeds name that need not be accounts of the instruction: a client gives them.
const INPUTS = {
  collateral_mint: { type: "pubkey", docs: "The market's collateral mint." },
  debt_mint: { type: "pubkey", docs: "The market's debt mint." },
  owner: { type: "pubkey", docs: "The position's owner." },
  auction_id: {
    type: "u64",
    docs: "The auction's number: the market's `auction_count` at the kick.",
    idl: { kind: "account", path: "market.auction_count", account: "Market" },
  },
};

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
// `relations: [x]`: this account's address is the same-named field of account `x`.
const rel = (x) => ({ relations: [x] });
// The PDA `kind` (a key of PDAS), named `name` in the instruction.
const p = (name, flags, docs = "", kind = name, extra = {}) => a(name, flags, docs, { pda: kind, ...extra });
const config = (flags = "") => p("config", flags, "The protocol's Config (admin, stop level).");
const system = a("system_program", "", "", { address: SYSTEM });
const token = a("token_program", "", "", { address: TOKEN });
// The market, derived from its mints; `relations` when another account records it.
const market = (flags = "", relation) => p("market", flags, "", "market", relation ? rel(relation) : {});
const collateralVault = (docs) => p("collateral_vault", "w", docs);
const liquidityVault = (docs) => p("liquidity_vault", "w", docs);
const shareMint = (docs) => p("share_mint", "w", docs);
const position = () => p("position", "w");
// Position of an auction: the auction records it.
const auctionPosition = (docs = "The auctioned position.") => a("position", "w", docs, rel("auction"));
const withdrawalRequest = (docs) => p("withdrawal_request", "w", docs);
const backstop = (flags = "w") => p("backstop", flags);
const backstopDebtVault = (name = "debt_vault", docs = "") => p(name, "w", docs, "backstop_debt_vault");
const backstopCollateralVault = (name = "collateral_vault", docs = "") =>
  p(name, "w", docs, "backstop_collateral_vault");
const backstopShareMint = (docs, relation) =>
  p("share_mint", "w", docs, "backstop_share_mint", relation ? rel(relation) : {});
const depositorAccount = (docs) => p("depositor_account", "w", docs, "backstop_depositor");
const auction = (docs) => a("auction", "w", docs);
const kicker = (docs = "Gets the auction's rent if this closes it.") =>
  a("kicker", "w", docs, rel("auction"));

const ORACLES = "The market's collateral oracle, then its debt oracle when it has one.";
const ORACLES_ANCHORED = `For an anchored auction: ${ORACLES[0].toLowerCase()}${ORACLES.slice(1)}`;
const READS_ORACLES =
  "Market's collateral oracle; then its debt oracle when it has one (remaining accounts).";
// The market's oracles at the tail: the collateral oracle is named in the IDL.
const oracles = (docs = ORACLES) => ({ name: "oracles", docs, accounts: [a("collateral_oracle")] });
// Oracles only some calls pass (not named in the IDL).
const optionalOracles = (docs) => ({ name: "oracles", docs, accounts: [] });
const u64 = (name) => ({ name, type: "u64" });
const defined = (name) => ({ defined: { name } });
const params = (type) => ({ args: [{ name: "params", type: defined(type) }] });
const limits = { args: [u64("max_collateral"), u64("max_price")] };

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
      market("w"),
      a("collateral_mint", "", "A classic SPL mint."),
      a("debt_mint", "", "A classic SPL mint."),
      collateralVault(),
      liquidityVault(),
      shareMint("The LP share mint."),
      token,
      system,
    ],
    params("MarketParams"),
  ),
  ix(
    "update_market",
    "Admin: replaces a market's parameters (accrues first).",
    [a("admin", "s"), config(), a("market", "w")],
    params("MarketParams"),
  ),
  ix(
    "deposit_liquidity",
    "LP deposits debt tokens for shares at the current share price.",
    [
      a("lp", "s", "Authority of `lp_debt_account`."),
      config(),
      market("w"),
      liquidityVault(),
      shareMint(),
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
      market("w"),
      liquidityVault(),
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
      market("w"),
      liquidityVault(),
      a("funder_debt_account", "w", "Debt mint."),
      token,
    ],
    { args: [u64("amount")] },
  ),
  ix("open_position", "A borrower opens their position in a market.", [
    a("owner", "ws", "Pays the rent."),
    config(),
    market(),
    position(),
    system,
  ]),
  ix(
    "deposit_collateral",
    "Adds collateral to any position (no oracle needed).",
    [
      a("depositor", "s", "Authority of `source`."),
      market("w", "position"),
      position(),
      collateralVault(),
      a("source", "w", "Collateral mint."),
      token,
    ],
    { args: [u64("amount")] },
  ),
  ix(
    "withdraw_collateral",
    `Owner withdraws collateral, keeping LTV under max_ltv at price - confidence. ${READS_ORACLES}`,
    [
      a("owner", "s"),
      config(),
      market("w"),
      position(),
      collateralVault(),
      a("destination", "w", "Collateral mint."),
      token,
    ],
    { args: [u64("amount")], remaining: oracles(`${ORACLES} Read only when the position has debt.`) },
  ),
  ix(
    "borrow",
    `Owner borrows, keeping LTV under max_ltv at price - confidence and debt over dust. ${READS_ORACLES}`,
    [
      a("owner", "s"),
      config(),
      market("w"),
      position(),
      liquidityVault(),
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
      market("w", "position"),
      position(),
      liquidityVault(),
      a("source", "w", "Debt mint."),
      token,
    ],
    { args: [u64("amount")] },
  ),
  ix("close_position", "Owner closes an empty position; rent back.", [
    a("owner", "ws", "Receives the rent."),
    market(),
    position(),
  ]),
  ix("accrue", "Anyone compounds the market's borrow index up to now.", [a("market", "w")]),
  ix(
    "kick",
    `Anyone starts an auction of an unsafe position (stop 0). ${READS_ORACLES}`,
    [
      a("kicker", "ws", "Pays the auction's rent, gets it back at the close."),
      config(),
      market("w", "position"),
      position(),
      p("auction", "w", "Created here, numbered `market.auction_count` (u64 LE in its seeds)."),
      liquidityVault(),
      a("kicker_debt_account", "w", "Debt mint, owned by the kicker: receives the reward."),
      token,
      system,
    ],
    { remaining: oracles() },
  ),
  ix(
    "take",
    `Anyone buys collateral at the auction's current price (stop < 3). Anchored auctions: ${READS_ORACLES}`,
    [
      a("taker", "s", "Authority of `debt_source`."),
      config(),
      market("w", "auction"),
      auction(),
      auctionPosition(),
      collateralVault(),
      liquidityVault(),
      a("collateral_destination", "w", "Collateral mint: where the collateral goes."),
      a("debt_source", "w", "Debt mint."),
      kicker(),
      token,
    ],
    { ...limits, remaining: optionalOracles(ORACLES_ANCHORED) },
  ),
  ix(
    "take_begin",
    "Flash take, first half: collateral out now, payment by a take_end later in the same transaction. " +
      `Anchored auctions: ${READS_ORACLES}`,
    [
      a("taker", "s"),
      config(),
      market("w", "auction"),
      auction(),
      collateralVault(),
      a("collateral_destination", "w", "Collateral mint."),
      a("instructions_sysvar", "", "", { address: INSTRUCTIONS_SYSVAR }),
      token,
    ],
    { ...limits, remaining: optionalOracles(ORACLES_ANCHORED) },
  ),
  ix("take_end", "Flash take, second half: collects the payment recorded by take_begin.", [
    a("payer", "s", "Authority of `debt_source`."),
    market("w", "auction"),
    auction("Account index 2, which `take_begin` looks for."),
    auctionPosition(""),
    liquidityVault(),
    a("debt_source", "w", "Debt mint."),
    kicker(),
    token,
  ]),
  ix(
    "reset_auction",
    `Anyone restarts an auction past tail or below cusp from a fresh price (stop < 2). ${READS_ORACLES}`,
    [
      a("caller", "s"),
      config(),
      market("w", "auction"),
      auction(),
      liquidityVault(),
      a("caller_debt_account", "w", "Debt mint, owned by the caller: receives the reward."),
      token,
    ],
    { remaining: oracles() },
  ),
  ix("cancel_auction", "Admin at stop 3: collateral and remaining tab go back to the position.", [
    a("admin", "s"),
    config(),
    market("w", "auction"),
    auction(),
    auctionPosition(),
    kicker("Gets the auction's rent."),
  ]),
  ix(
    "request_withdrawal",
    "LP moves shares into a withdrawal request (one per LP and market); they keep sharing losses until claimed after the market's cooldown.",
    [
      a("lp", "ws", "Pays the request's rent; authority of `lp_share_account`."),
      config(),
      market("w"),
      shareMint(),
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
      market("w"),
      shareMint(),
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
      market(),
      backstop(),
      a("collateral_mint", "", "The market's."),
      a("debt_mint", "", "The market's."),
      backstopShareMint(),
      backstopDebtVault(),
      backstopCollateralVault(),
      token,
      system,
    ],
    params("BackstopParams"),
  ),
  ix(
    "update_backstop",
    "Admin: replaces a backstop's parameters.",
    [a("admin", "s"), config(), backstop()],
    params("BackstopParams"),
  ),
  ix(
    "deposit_backstop",
    "Deposits debt tokens into the backstop (they warm up first) and turns a warmed-up deposit into shares. " +
      "Market's oracles as remaining accounts when the pool holds collateral.",
    [
      a("depositor", "ws", "Pays the depositor account's rent the first time."),
      config(),
      market(),
      backstop(),
      depositorAccount("Created when missing."),
      backstopDebtVault(),
      backstopShareMint(),
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
      backstop(),
      depositorAccount("Created when missing."),
      backstopShareMint("The backstop's.", "backstop"),
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
      market(),
      backstop(),
      depositorAccount(""),
      backstopDebtVault(),
      backstopCollateralVault(),
      a("depositor_debt_account", "w", "Debt mint."),
      a("depositor_collateral_account", "w", "Collateral mint."),
      token,
    ],
  ),
  ix(
    "absorb",
    "Anyone lets the backstop buy a stalled or near-insolvent auction's lot at the auction's price (stop < 3). " +
      READS_ORACLES,
    [
      a("caller", "s"),
      config(),
      market("w", "auction"),
      backstop(),
      auction(),
      auctionPosition(),
      collateralVault("The market's."),
      liquidityVault("The market's."),
      backstopDebtVault("backstop_debt_vault"),
      backstopCollateralVault("backstop_collateral_vault"),
      a("caller_debt_account", "w", "Debt mint: receives the reward."),
      kicker(),
      token,
    ],
    { remaining: oracles() },
  ),
  ix(
    "buy_from_backstop",
    `Anyone buys the backstop's collateral at oracle × (1 − buy discount). ${READS_ORACLES}`,
    [
      a("buyer", "s", "Authority of `buyer_debt_account`."),
      config(),
      market("w"),
      backstop(),
      backstopDebtVault("debt_vault", "The backstop's."),
      backstopCollateralVault("collateral_vault", "The backstop's."),
      a("buyer_debt_account", "w", "Debt mint."),
      a("buyer_collateral_account", "w", "Collateral mint."),
      token,
    ],
    { ...limits, remaining: oracles() },
  ),
  ix(
    "fund_backstop",
    "Anyone moves the market's accrued backstop funding (interest and penalty shares) into the backstop (stop < 3).",
    [
      config(),
      market("w"),
      backstop(),
      liquidityVault("The market's."),
      backstopDebtVault("debt_vault", "The backstop's."),
      token,
    ],
  ),
];

// The IDL's form of an account: its PDA as seeds when the IDL can state them (see the top).
function idlAccount({ pda, ...acc }, accounts) {
  if (!pda) return acc;
  const names = new Set(accounts.map((x) => x.name));
  const [constant, ...refs] = PDAS[pda];
  const seeds = [{ kind: "const", value: Array.from(Buffer.from(constant)) }];
  for (const ref of refs) {
    const idl = names.has(ref) ? { kind: "account", path: ref } : INPUTS[ref]?.idl;
    if (!idl || (idl.account && !names.has(idl.path.split(".")[0]))) return acc;
    seeds.push(idl);
  }
  const { relations, ...rest } = acc;
  return { ...rest, pda: { seeds }, ...(relations ? { relations } : {}) };
}

module.exports = {
  PDAS,
  TOKEN_PDAS,
  INPUTS,
  // As written above, each PDA account naming its key in PDAS (what the SDK generator reads).
  table: instructions,
  // In the IDL's form (what the IDL, the Rust structs and the doc headers are written from).
  instructions: instructions.map((x) => ({
    ...x,
    accounts: x.accounts.map((acc) => idlAccount(acc, x.accounts)),
  })),
};
