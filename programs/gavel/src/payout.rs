//! A payout from one of a market's vaults to a position's owner: what `borrow` (debt tokens from
//! the liquidity vault) and `withdraw_collateral` (collateral from the collateral vault) check
//! before it, and how it is paid. Their own rules (the position's new debt or collateral, the
//! LTV check at a fresh price) stay in the instruction files.

use pinocchio::{account_info::AccountInfo, program_error::ProgramError, ProgramResult};

use crate::{
    checks::{require_distinct, require_token_account, require_vault},
    context::{
        load_market_mut, load_position_mut, load_prices, now, read_u64_arg, require_user_call,
        PositionSlots,
    },
    error::GavelError,
    instructions::accounts_gen::{BorrowAccounts, WithdrawCollateralAccounts},
    math,
    oracle::Now,
    state::{stop::Gate, Market, Position},
    token::transfer_from_vault,
};

/// Which of the market's vaults a payout comes from.
#[derive(Clone, Copy)]
pub enum Vault {
    /// The liquidity vault: debt tokens, at most the market's idle cash.
    Liquidity,
    /// The collateral vault: at most the position's collateral.
    Collateral,
}

/// A payout instruction's accounts, gate and vault.
pub struct Payout<'a> {
    /// The position owner (signer).
    pub owner: &'a AccountInfo,
    /// The protocol's Config.
    pub config: &'a AccountInfo,
    /// The market (writable).
    pub market: &'a AccountInfo,
    /// The owner's position (writable).
    pub position: &'a AccountInfo,
    /// The market's vault the payout comes from.
    pub vault: &'a AccountInfo,
    /// The owner's token account of that vault's mint.
    pub destination: &'a AccountInfo,
    /// SPL Token program.
    pub token_program: &'a AccountInfo,
    /// The market's oracles.
    pub oracles: &'a [AccountInfo],
    /// The instruction's row of `state::stop`.
    pub gate: Gate,
    /// Which vault pays.
    pub from: Vault,
}

/// `From` the generated accounts of each payout instruction: which account is its vault, which
/// vault that is, and the instruction's gate.
macro_rules! payout_from {
    ($($accounts:ident => $vault:ident, $from:ident, $gate:ident;)+) => {$(
        impl<'a> From<$accounts<'a>> for Payout<'a> {
            #[inline(always)]
            fn from(a: $accounts<'a>) -> Self {
                Self {
                    owner: a.owner,
                    config: a.config,
                    market: a.market,
                    position: a.position,
                    vault: a.$vault,
                    destination: a.destination,
                    token_program: a.token_program,
                    oracles: a.oracles,
                    gate: crate::state::stop::$gate,
                    from: Vault::$from,
                }
            }
        }
    )+};
}

payout_from! {
    BorrowAccounts => liquidity_vault, Liquidity, BORROW;
    WithdrawCollateralAccounts => collateral_vault, Collateral, WITHDRAW_COLLATERAL;
}

/// Everything before a payout's own rule, in this order: the argument `amount: u64`;
/// [`require_user_call`] with the payout's gate; the market and the owner's position of it,
/// loaded writable into `slots`; `vault` is the market's vault and `destination` a token account
/// of its mint other than the vault; `amount > 0` (`AmountInvalid`) and at most the market's
/// idle cash (`LiquidityInsufficient`) or the position's collateral (`CollateralInsufficient`);
/// then the market accrues to now. Returns the market, the position, the amount and the clock.
#[inline(always)]
pub fn open_payout<'a>(
    a: &Payout,
    args: &[u8],
    slots: &'a mut PositionSlots,
) -> Result<(&'a mut Market, &'a mut Position, u64, Now), ProgramError> {
    let amount = read_u64_arg(args)?;
    require_user_call(a.owner, a.token_program, a.config, a.gate)?;
    let market = load_market_mut(a.market, &mut slots.market)?;
    let position = load_position_mut(
        a.position,
        a.market.key(),
        Some(a.owner.key()),
        &mut slots.position,
    )?;
    let (vault, mint, held, short) = match a.from {
        Vault::Liquidity => (
            &market.liquidity_vault,
            &market.debt_mint,
            market.cash,
            GavelError::LiquidityInsufficient,
        ),
        Vault::Collateral => (
            &market.collateral_vault,
            &market.collateral_mint,
            position.ink,
            GavelError::CollateralInsufficient,
        ),
    };
    require_vault(a.vault, vault)?;
    require_token_account(a.destination, mint)?;
    require_distinct(a.destination, a.vault)?;
    if amount == 0 {
        return Err(GavelError::AmountInvalid.into());
    }
    if amount > held {
        return Err(short.into());
    }
    let now = now()?;
    market.accrue(now.unix_timestamp)?;
    Ok((market, position, amount, now))
}

/// Pays `amount` from the vault to the destination (signed by the market) and stores the position
/// and the market.
#[inline(always)]
pub fn pay_out(a: &Payout, market: &Market, position: &Position, amount: u64) -> ProgramResult {
    transfer_from_vault(market, a.market, a.vault, a.destination, amount)?;
    position.store(a.position)?;
    market.store(a.market)?;
    Ok(())
}

/// Requires `debt` to be within the market's `max_ltv_bps` of `ink` valued at the conservative
/// price (`context::load_prices`' `low`: collateral at price − confidence, debt at price +
/// confidence), read from the payout's oracles with every guard: the position a payout leaves.
#[inline(never)]
pub fn require_within_max_ltv(
    a: &Payout,
    market: &Market,
    ink: u64,
    debt: u64,
    now: &Now,
) -> Result<(), GavelError> {
    let low_price = load_prices(market, a.oracles, now)?.low;
    let value = math::value_floor(ink, low_price).ok_or(GavelError::MathOverflow)?;
    let max_debt = math::max_debt_for(value, market.params.max_ltv_bps as u64)
        .ok_or(GavelError::MathOverflow)?;
    if debt > max_debt {
        return Err(GavelError::LtvExceeded);
    }
    Ok(())
}
