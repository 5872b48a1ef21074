//! Typed errors of Gavel. Append-only: codes are stable and start at 6000 (Anchor's convention
//! for user errors), so `@coral-xyz/anchor` and the SDK map them by number. The IDL's `errors`
//! list must match [`GavelError::ALL`] (checked by `tests/idl.rs`).

use pinocchio::program_error::ProgramError;

macro_rules! gavel_errors {
    ($($name:ident = $code:literal => $msg:literal,)+) => {
        /// Every error the program returns, with its stable code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u32)]
        pub enum GavelError {
            $(#[doc = $msg] $name = $code,)+
        }

        impl GavelError {
            /// Every error, in code order.
            pub const ALL: &'static [GavelError] = &[$(Self::$name,)+];

            /// The variant name, as in the IDL.
            pub const fn name(self) -> &'static str {
                match self {
                    $(Self::$name => stringify!($name),)+
                }
            }

            /// The human-readable message, as in the IDL.
            pub const fn message(self) -> &'static str {
                match self {
                    $(Self::$name => $msg,)+
                }
            }

            /// The error with this code, if it is one of Gavel's.
            pub fn from_code(code: u32) -> Option<Self> {
                match code {
                    $($code => Some(Self::$name),)+
                    _ => None,
                }
            }

            /// The line anchor-lang logs for this error (`AnchorError occurred. Error Code: <name>.
            /// Error Number: <code>. Error Message: <message>.`), which `@coral-xyz/anchor`'s
            /// `AnchorError.parse` reads from the transaction logs. Each arm goes through
            /// `black_box` so the optimizer cannot fold the arms into a `.rodata` table of string
            /// pointers, which sbpf-linker 0.1.9 would leave unrelocated.
            pub fn anchor_log_line(self) -> &'static str {
                match self {
                    $(Self::$name => core::hint::black_box(concat!(
                        "AnchorError occurred. Error Code: ",
                        stringify!($name),
                        ". Error Number: ",
                        stringify!($code),
                        ". Error Message: ",
                        $msg,
                        "."
                    )),)+
                }
            }
        }
    };
}

gavel_errors! {
    InstructionUnknown = 6000 => "Unknown instruction discriminator",
    InstructionDataInvalid = 6001 => "Instruction arguments do not decode",
    ProgramIdInvalid = 6002 => "Program invoked under another program id",
    AccountsMissing = 6003 => "Not enough accounts for this instruction",
    SignerMissing = 6004 => "A required signature is missing",
    AccountNotWritable = 6005 => "An account that must be writable is not",
    AccountOwnerInvalid = 6006 => "Account is owned by the wrong program",
    AccountDiscriminatorInvalid = 6007 => "Account has the wrong type or size",
    AccountAddressInvalid = 6008 => "Account is not the expected PDA",
    ProgramAccountInvalid = 6009 => "Program account is not the expected program",
    ConfigAlreadyInitialized = 6010 => "Config is already initialized",
    AdminRequired = 6011 => "Only the config admin may do this",
    StopLevelInvalid = 6012 => "Stop level must be 0, 1, 2 or 3",
    MathOverflow = 6013 => "Arithmetic overflow",
    OracleOwnerInvalid = 6014 => "Oracle account is not owned by the market's Pyth program",
    OracleAccountInvalid = 6015 => "Oracle account is not the market's price account or feed",
    OracleNotTrading = 6016 => "Oracle price is not in trading status",
    OracleStale = 6017 => "Oracle price is too old",
    OracleConfidenceTooWide = 6018 => "Oracle confidence interval is too wide",
    OraclePriceInvalid = 6019 => "Oracle price is zero, negative or out of range",
    OracleVerificationInsufficient = 6020 => "Pyth price update is not fully verified",
    MarketParamsInvalid = 6021 => "Market parameters are out of range or inconsistent",
    OracleParamsInvalid = 6022 => "Market oracle settings are invalid",
    MintInvalid = 6023 => "Mint is not a classic SPL Token mint",
    TokenAccountInvalid = 6024 => "Token account has the wrong mint, owner or program",
    VaultInvalid = 6025 => "Vault or share mint is not the market's",
    AccountDuplicate = 6026 => "The same account was passed in two roles",
    AmountInvalid = 6027 => "Amount must be greater than zero",
    DepositTooSmall = 6028 => "Deposit is worth less than one LP share",
    PoolInsolvent = 6029 => "The pool has shares but no value; deposits are refused",
    LiquidityInsufficient = 6030 => "Not enough idle liquidity in the market",
    LtvExceeded = 6031 => "Position would exceed the market's max LTV",
    DebtBelowDust = 6032 => "Debt would be above zero but below dust",
    PositionNotEmpty = 6033 => "Position still has collateral or debt",
    PositionMismatch = 6034 => "Position belongs to another market or owner",
    PendingAdminRequired = 6035 => "Only the pending admin may accept",
    CollateralInsufficient = 6036 => "Not enough collateral in the position",
    MarketAlreadyExists = 6037 => "A market for this mint pair already exists",
    ProtocolStopped = 6038 => "The protocol stop level forbids this instruction",
    PositionSafe = 6039 => "Position is not over the liquidation LTV",
    HoleFull = 6040 => "No room under the market hole for a new auction",
    AuctionDusty = 6041 => "Auction or the position left behind would be below dust",
    AuctionNeedsReset = 6042 => "Auction needs a reset before it can be taken",
    PriceAboveMax = 6043 => "Auction price is above the taker's max price",
    TakeTooSmall = 6044 => "Take would buy no collateral or pay nothing",
    TakeLeavesDust = 6045 => "A partial take may not leave the tab below dust; take it all",
    AuctionResetNotNeeded = 6046 => "Auction is neither past tail nor below cusp",
    FlashTakeEndMissing = 6047 => "take_begin needs a matching take_end later in the transaction",
    FlashTakePending = 6048 => "A flash take is in progress on this auction",
    FlashTakeNotPending = 6049 => "take_end without a take_begin",
    KickerMismatch = 6050 => "Account is not the auction's kicker",
    AuctionMismatch = 6051 => "Auction belongs to another market or position",
    RewardAccountOwnerInvalid = 6052 => "The reward token account must be owned by the signer",
    WithdrawalCooldownActive = 6053 => "The withdrawal request's cooldown is not over",
    WithdrawalRequestMismatch = 6054 => "Withdrawal request belongs to another market or LP",
    WithdrawalRequestExists = 6055 => "The LP already has a withdrawal request in this market",
    ClockUnavailable = 6056 => "The Clock sysvar could not be read",
    PriceModeInvalid = 6057 => "Price mode must be 0 (Maker curve) or 1 (anchored to the oracle)",
    AnchorDiscountInvalid = 6058 => "Anchored discounts need start <= max base <= max cap < 100%",
    AnchorRateInvalid = 6059 => "Anchored price mode needs a discount rate above zero",
    KickTargetLtvInvalid = 6060 => "Kick target LTV must be below the liquidation LTV and leave room for penalty and discount",
    KickFullLtvInvalid = 6061 => "Full-kick LTV must be above the liquidation LTV and at most 100%",
    OraclePublishTimeOlder = 6062 => "Oracle price is older than one the market has already used",
    PositionAuctionLive = 6063 => "Position already has a live auction (partial kicks: one at a time)",
    BackstopParamsInvalid = 6064 => "Backstop parameters are out of range",
    BackstopMismatch = 6065 => "Backstop or depositor account belongs to another market or owner",
    BackstopNotAbsorbable = 6066 => "Auction is neither open past absorb_after_secs nor near insolvency",
    BackstopEmpty = 6067 => "The backstop has no debt tokens to absorb with",
    BackstopInsolvent = 6068 => "The backstop has shares but no value; deposits are refused",
    BackstopWithdrawalNotReady = 6069 => "No withdrawal request, or its cooldown has not ended",
    BackstopAuctionsLive = 6070 => "Backstop withdrawals wait while the market has live auctions",
    BackstopCollateralInsufficient = 6071 => "Not enough collateral in the backstop",
}

impl GavelError {
    /// The stable numeric code.
    pub const fn code(self) -> u32 {
        self as u32
    }
}

/// Logs Anchor's error line when `error` is one of Gavel's codes (program errors from other
/// sources, e.g. a failed token CPI, are left as the runtime reports them).
pub fn log_anchor_error(error: &ProgramError) {
    if let ProgramError::Custom(code) = error {
        if let Some(e) = GavelError::from_code(*code) {
            pinocchio::log::sol_log(e.anchor_log_line());
        }
    }
}

impl From<GavelError> for ProgramError {
    fn from(e: GavelError) -> Self {
        ProgramError::Custom(e as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_anchors_log_line() {
        for &e in GavelError::ALL {
            assert_eq!(GavelError::from_code(e.code()), Some(e));
            assert_eq!(
                e.anchor_log_line(),
                format!(
                    "AnchorError occurred. Error Code: {}. Error Number: {}. Error Message: {}.",
                    e.name(),
                    e.code(),
                    e.message()
                )
            );
        }
        assert_eq!(GavelError::from_code(5999), None);
        assert_eq!(GavelError::from_code(u32::MAX), None);
    }
}
