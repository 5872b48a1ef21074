//! Events, emitted Anchor-style: `sol_log_data([sha256("event:<Name>")[..8] ‖ Borsh fields])`,
//! which shows up as a `Program data: <base64>` log line that Anchor's `EventParser` decodes.
//! Every event is declared once with [`gavel_event!`], which also records its field names and
//! types for the IDL check.

use core::mem::MaybeUninit;

use pinocchio::pubkey::Pubkey;

use crate::state::{discriminator, BackstopParams, MarketParams, Writer};

/// Largest encoded event, in bytes.
pub const EVENT_BUF_LEN: usize = 512;

/// A field type that can appear in an event.
pub trait EventField {
    /// Borsh-encodes the value.
    fn encode(&self, w: &mut Writer);
}

impl EventField for Pubkey {
    fn encode(&self, w: &mut Writer) {
        w.bytes(self);
    }
}

impl EventField for u8 {
    fn encode(&self, w: &mut Writer) {
        w.u8(*self);
    }
}

impl EventField for u64 {
    fn encode(&self, w: &mut Writer) {
        w.u64(*self);
    }
}

impl EventField for i64 {
    fn encode(&self, w: &mut Writer) {
        w.i64(*self);
    }
}

impl EventField for BackstopParams {
    fn encode(&self, w: &mut Writer) {
        self.write(w);
    }
}

impl EventField for MarketParams {
    fn encode(&self, w: &mut Writer) {
        self.write(w);
    }
}

/// An event: a discriminator and a fixed Borsh layout.
pub trait Event {
    /// `sha256("event:<Name>")[..8]`.
    const DISCRIMINATOR: [u8; 8];
    /// IDL name.
    const NAME: &'static str;
    /// `(field name, Rust type)` in order, for the IDL check.
    const FIELDS: &'static [(&'static str, &'static str)];

    /// Writes the fields (after the discriminator).
    fn encode_fields(&self, w: &mut Writer);

    /// Encodes discriminator and fields into `buf`; returns the length (the bytes before it
    /// are initialized).
    fn encode(&self, buf: &mut [MaybeUninit<u8>; EVENT_BUF_LEN]) -> usize {
        let mut w = Writer::new_uninit(buf);
        w.bytes(&Self::DISCRIMINATOR);
        self.encode_fields(&mut w);
        w.len()
    }

    /// Logs the event with `sol_log_data`. The buffer is not zeroed first (that cost ~150 CU
    /// and ~30 bytes of `.so` per event).
    fn emit(&self) {
        let mut buf = [MaybeUninit::<u8>::uninit(); EVENT_BUF_LEN];
        let len = self.encode(&mut buf);
        // SAFETY: `encode` initialized the first `len` bytes (`len <= EVENT_BUF_LEN`).
        let data = unsafe { core::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), len) };
        pinocchio::log::sol_log_data(&[data]);
    }
}

macro_rules! gavel_event {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $fdoc:literal])* $field:ident: $ty:ident),+ $(,)? }) => {
        $(#[doc = $doc])*
        pub struct $name {
            $($(#[doc = $fdoc])* pub $field: $ty,)+
        }

        impl Event for $name {
            const DISCRIMINATOR: [u8; 8] = discriminator::event(stringify!($name));
            const NAME: &'static str = stringify!($name);
            const FIELDS: &'static [(&'static str, &'static str)] =
                &[$((stringify!($field), stringify!($ty)),)+];

            fn encode_fields(&self, w: &mut Writer) {
                $(EventField::encode(&self.$field, w);)+
            }
        }
    };
}

gavel_event! {
    /// The config was created.
    ConfigInitialized { admin: Pubkey }
}

gavel_event! {
    /// The admin changed the stop level.
    StopChanged { admin: Pubkey, previous: u8, stop: u8, unix_timestamp: i64 }
}

gavel_event! {
    /// The admin nominated a new admin (who must accept).
    AdminTransferProposed { admin: Pubkey, pending_admin: Pubkey }
}

gavel_event! {
    /// The nominated admin accepted.
    AdminTransferAccepted { previous_admin: Pubkey, admin: Pubkey }
}

gavel_event! {
    /// A market was created.
    MarketCreated { market: Pubkey, collateral_mint: Pubkey, debt_mint: Pubkey, params: MarketParams }
}

gavel_event! {
    /// A market's parameters changed.
    MarketUpdated { market: Pubkey, params: MarketParams }
}

gavel_event! {
    /// Interest was compounded into the borrow index by `accrue`.
    InterestAccrued { market: Pubkey, rate: u64, elapsed_secs: u64, total_debt: u64, unix_timestamp: i64 }
}

gavel_event! {
    /// An LP deposited debt tokens and received shares.
    LiquidityDeposited { market: Pubkey, lp: Pubkey, amount: u64, shares: u64, total_shares: u64, pool_value: u64 }
}

gavel_event! {
    /// An LP burned shares and received debt tokens.
    LiquidityWithdrawn { market: Pubkey, lp: Pubkey, amount: u64, shares: u64, total_shares: u64, pool_value: u64 }
}

gavel_event! {
    /// Someone added to a market's insurance fund.
    InsuranceFunded { market: Pubkey, funder: Pubkey, amount: u64, insurance: u64 }
}

gavel_event! {
    /// A borrower opened a position.
    PositionOpened { market: Pubkey, position: Pubkey, owner: Pubkey }
}

gavel_event! {
    /// Collateral was added to a position.
    CollateralDeposited { market: Pubkey, position: Pubkey, depositor: Pubkey, amount: u64, ink: u64 }
}

gavel_event! {
    /// The owner took collateral out of a position.
    CollateralWithdrawn { market: Pubkey, position: Pubkey, owner: Pubkey, amount: u64, ink: u64 }
}

gavel_event! {
    /// The owner borrowed debt tokens.
    DebtBorrowed { market: Pubkey, position: Pubkey, owner: Pubkey, amount: u64, art: u64, debt: u64, rate: u64 }
}

gavel_event! {
    /// Debt of a position was repaid.
    DebtRepaid { market: Pubkey, position: Pubkey, payer: Pubkey, amount: u64, art: u64, debt: u64, rate: u64 }
}

gavel_event! {
    /// An empty position was closed and its rent returned.
    PositionClosed { market: Pubkey, position: Pubkey, owner: Pubkey }
}

gavel_event! {
    /// A position was kicked into an auction (Maker's `Bark` + `Kick`).
    AuctionStarted {
        market: Pubkey, auction: Pubkey, id: u64, position: Pubkey, owner: Pubkey, kicker: Pubkey,
        /// Debt + penalty to raise.
        tab: u64,
        /// Collateral for sale.
        lot: u64,
        /// Debt part of the tab.
        debt: u64,
        /// Start price (PRICE_SCALE).
        top: u64,
        /// Oracle price at the kick (PRICE_SCALE).
        oracle_price: u64,
        /// Kicker reward paid from the insurance fund.
        reward: u64,
        unix_timestamp: i64
    }
}

gavel_event! {
    /// A bidder bought collateral from an auction (`take` or a flash take's `take_end`).
    AuctionTaken {
        market: Pubkey, auction: Pubkey, id: u64, taker: Pubkey,
        /// Price paid (PRICE_SCALE).
        price: u64,
        /// Collateral bought.
        collateral: u64,
        /// Debt tokens paid.
        owe: u64,
        /// Tab left.
        tab: u64,
        /// Lot left.
        lot: u64,
        unix_timestamp: i64
    }
}

gavel_event! {
    /// An auction's price curve was restarted from a fresh oracle price (Maker's `Redo`).
    AuctionReset {
        market: Pubkey, auction: Pubkey, id: u64, caller: Pubkey,
        /// New start price (PRICE_SCALE).
        top: u64,
        tab: u64,
        lot: u64,
        /// Reward paid to the caller from the insurance fund.
        reward: u64,
        unix_timestamp: i64
    }
}

gavel_event! {
    /// An auction closed. `reason`: 0 tab raised in full, 1 collateral exhausted, 2 cancelled.
    AuctionSettled {
        market: Pubkey, auction: Pubkey, id: u64, position: Pubkey,
        reason: u8,
        /// Total debt tokens raised over the auction's life.
        raised: u64,
        /// Collateral returned to the position.
        returned_collateral: u64,
        /// Debt left unpaid (see `BadDebt`).
        bad_debt: u64,
        unix_timestamp: i64
    }
}

gavel_event! {
    /// An auction ran out of collateral before raising its debt.
    BadDebt {
        market: Pubkey, auction: Pubkey, id: u64,
        /// Debt left unraised.
        debt: u64,
        /// Part covered by the insurance fund.
        covered_by_insurance: u64,
        /// Part taken from the LPs (pool value drops by this).
        socialized: u64
    }
}

gavel_event! {
    /// An LP asked to withdraw: `shares` burned from their account into a request worth at most
    /// `value`, claimable from `claimable_ts`.
    WithdrawalRequested { market: Pubkey, lp: Pubkey, shares: u64, value: u64, claimable_ts: i64, unix_timestamp: i64 }
}

gavel_event! {
    /// An LP cancelled their withdrawal request: `shares_returned` minted back, `shares_forfeited`
    /// (the interest earned since the request) left to the pool.
    WithdrawalCancelled { market: Pubkey, lp: Pubkey, shares_returned: u64, shares_forfeited: u64, total_shares: u64 }
}

gavel_event! {
    /// A market's backstop pool was created.
    BackstopCreated { market: Pubkey, backstop: Pubkey, params: BackstopParams }
}

gavel_event! {
    /// A backstop's parameters changed.
    BackstopUpdated { market: Pubkey, backstop: Pubkey, params: BackstopParams }
}

gavel_event! {
    /// A depositor deposited into a backstop and/or a warmed-up deposit became shares.
    BackstopDeposited {
        market: Pubkey, depositor: Pubkey,
        /// Debt tokens deposited now (warming up).
        amount: u64,
        /// Warmed-up debt tokens that became shares now.
        activated: u64,
        /// Shares minted for them.
        shares: u64,
        total_shares: u64,
        /// The depositor's balance still warming up, and when it may become shares.
        warming: u64,
        warm_at: i64
    }
}

gavel_event! {
    /// A depositor asked to withdraw backstop shares (burned now, paid after the cooldown).
    BackstopWithdrawalRequested {
        market: Pubkey, depositor: Pubkey,
        /// Shares of the whole pending request.
        shares: u64,
        withdraw_at: i64
    }
}

gavel_event! {
    /// A withdrawal request was paid, pro rata in both tokens.
    BackstopWithdrawn {
        market: Pubkey, depositor: Pubkey, shares: u64,
        /// Debt tokens paid.
        debt: u64,
        /// Collateral paid.
        collateral: u64,
        total_shares: u64
    }
}

gavel_event! {
    /// The backstop bought (part of) an auction's lot at the auction's price.
    AuctionAbsorbed {
        market: Pubkey, auction: Pubkey, id: u64, caller: Pubkey,
        /// Price paid (PRICE_SCALE).
        price: u64,
        /// Collateral bought.
        collateral: u64,
        /// Debt tokens paid by the pool.
        owe: u64,
        /// Caller reward from the insurance fund.
        reward: u64,
        /// Tab left.
        tab: u64,
        /// Lot left.
        lot: u64,
        unix_timestamp: i64
    }
}

gavel_event! {
    /// Someone bought collateral from the backstop.
    BackstopCollateralBought {
        market: Pubkey, buyer: Pubkey,
        /// Price paid (PRICE_SCALE).
        price: u64,
        collateral: u64,
        /// Debt tokens paid.
        owe: u64,
        /// The pool's basket after.
        backstop_debt: u64,
        backstop_collateral: u64,
        unix_timestamp: i64
    }
}

gavel_event! {
    /// `fund_backstop` moved the backstop's accrued funding (interest and penalty shares) from
    /// the market's liquidity vault into the pool.
    BackstopFunded {
        market: Pubkey, backstop: Pubkey,
        /// Debt tokens moved into the pool.
        amount: u64,
        /// Funding still due to the pool (the market had less idle cash).
        backstop_due: u64,
        /// The pool's debt tokens after.
        backstop_debt: u64,
        /// Pool shares (unchanged: each is worth more).
        total_shares: u64,
        unix_timestamp: i64
    }
}

/// Every event's `(name, fields)`, for the IDL check.
pub const ALL: &[(&str, &[(&str, &str)])] = &[
    (ConfigInitialized::NAME, ConfigInitialized::FIELDS),
    (StopChanged::NAME, StopChanged::FIELDS),
    (AdminTransferProposed::NAME, AdminTransferProposed::FIELDS),
    (AdminTransferAccepted::NAME, AdminTransferAccepted::FIELDS),
    (MarketCreated::NAME, MarketCreated::FIELDS),
    (MarketUpdated::NAME, MarketUpdated::FIELDS),
    (InterestAccrued::NAME, InterestAccrued::FIELDS),
    (LiquidityDeposited::NAME, LiquidityDeposited::FIELDS),
    (LiquidityWithdrawn::NAME, LiquidityWithdrawn::FIELDS),
    (InsuranceFunded::NAME, InsuranceFunded::FIELDS),
    (PositionOpened::NAME, PositionOpened::FIELDS),
    (CollateralDeposited::NAME, CollateralDeposited::FIELDS),
    (CollateralWithdrawn::NAME, CollateralWithdrawn::FIELDS),
    (DebtBorrowed::NAME, DebtBorrowed::FIELDS),
    (DebtRepaid::NAME, DebtRepaid::FIELDS),
    (PositionClosed::NAME, PositionClosed::FIELDS),
    (AuctionStarted::NAME, AuctionStarted::FIELDS),
    (AuctionTaken::NAME, AuctionTaken::FIELDS),
    (AuctionReset::NAME, AuctionReset::FIELDS),
    (AuctionSettled::NAME, AuctionSettled::FIELDS),
    (BadDebt::NAME, BadDebt::FIELDS),
    (WithdrawalRequested::NAME, WithdrawalRequested::FIELDS),
    (WithdrawalCancelled::NAME, WithdrawalCancelled::FIELDS),
    (BackstopCreated::NAME, BackstopCreated::FIELDS),
    (BackstopUpdated::NAME, BackstopUpdated::FIELDS),
    (BackstopDeposited::NAME, BackstopDeposited::FIELDS),
    (
        BackstopWithdrawalRequested::NAME,
        BackstopWithdrawalRequested::FIELDS,
    ),
    (BackstopWithdrawn::NAME, BackstopWithdrawn::FIELDS),
    (AuctionAbsorbed::NAME, AuctionAbsorbed::FIELDS),
    (
        BackstopCollateralBought::NAME,
        BackstopCollateralBought::FIELDS,
    ),
    (BackstopFunded::NAME, BackstopFunded::FIELDS),
];
