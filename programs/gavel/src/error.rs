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
            /// `AnchorError.parse` reads from the transaction logs. Assembled in `buf` from the
            /// shared phrases and this error's cut of [`LOG_TEXT`] (one full literal per error
            /// cost ~7 KB of `.so`); returns the line's length.
            #[inline(always)]
            pub fn anchor_log_line(self, buf: &mut [u8; LOG_LINE_MAX]) -> usize {
                /// Every name then its message, in code order, unseparated: [`LOG_CUTS`] cuts it.
                const LOG_TEXT: &str = concat!($(stringify!($name), $msg,)+);
                /// Per error (index `code - FIRST_CODE`): offset in [`LOG_TEXT`] (u16, little
                /// endian), name length, message length. Bytes only: `.rodata` stays pointer-free
                /// with alignment 1.
                const LOG_CUTS: [[u8; 4]; GavelError::ALL.len()] =
                    log_cuts([$([stringify!($name).len(), $msg.len()],)+]);
                const _: () = assert!(codes_contiguous(GavelError::ALL));
                // `self.code() >= FIRST_CODE` and the codes are contiguous (asserted above).
                // `black_box`: folded into the table's address, `- FIRST_CODE * 4` would point
                // the relocated constant outside `.rodata`, which the loader rejects.
                let index = core::hint::black_box(self.code().wrapping_sub(FIRST_CODE));
                let [lo, hi, name_len, msg_len] = LOG_CUTS[index as usize];
                let name_at = usize::from(u16::from_le_bytes([lo, hi]));
                let msg_at = name_at.wrapping_add(usize::from(name_len));
                let text = LOG_TEXT.as_bytes();
                let code = u64::from(self.code());
                // Four digits (codes 6000..=9999, asserted by `codes_contiguous`).
                let digits = [
                    b'0' | (code / 1000 % 10) as u8,
                    b'0' | (code / 100 % 10) as u8,
                    b'0' | (code / 10 % 10) as u8,
                    b'0' | (code % 10) as u8,
                ];
                let mut line = Line { buf, len: 0 };
                line.push(LOG_PREFIX.as_bytes());
                line.push(&text[name_at..msg_at]);
                line.push(LOG_NUMBER.as_bytes());
                line.push(&digits);
                line.push(LOG_MESSAGE.as_bytes());
                line.push(&text[msg_at..msg_at.wrapping_add(usize::from(msg_len))]);
                line.push(b".");
                line.len
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
    IdlAuthorityMismatch = 6072 => "Signer is not the IDL account's authority or the program's upgrade authority",
    IdlAccountFull = 6073 => "IDL data does not fit in the IDL account",
    BackstopInterestShareInvalid = 6074 => "Backstop interest share must be at most 50%",
    BackstopPenaltyShareInvalid = 6075 => "Backstop penalty share must be at most 50%",
    BackstopFundingNone = 6076 => "No backstop funding is due, or the market has no idle cash for it",
    BackstopNoShares = 6077 => "The backstop has no shares to credit funding to",
}

impl GavelError {
    /// The stable numeric code.
    pub const fn code(self) -> u32 {
        self as u32
    }
}

/// The first error code (Anchor's first user error code).
const FIRST_CODE: u32 = 6000;
/// Room for the longest Anchor log line (checked at compile time by `log_cuts`).
pub const LOG_LINE_MAX: usize = 256;
const LOG_PREFIX: &str = "AnchorError occurred. Error Code: ";
const LOG_NUMBER: &str = ". Error Number: ";
const LOG_MESSAGE: &str = ". Error Message: ";

/// `true` when the codes run `FIRST_CODE, FIRST_CODE + 1, ...` with four digits each (the log
/// line indexes [`GavelError::anchor_log_line`]'s tables by `code - FIRST_CODE`).
// Evaluated at compile time only, where an overflow is a build error.
#[allow(clippy::arithmetic_side_effects)]
const fn codes_contiguous(all: &[GavelError]) -> bool {
    let mut i = 0;
    while i < all.len() {
        if all[i] as u32 != FIRST_CODE + i as u32 || all[i] as u32 > 9999 {
            return false;
        }
        i += 1;
    }
    true
}

/// The cut table of the log text from each error's `[name length, message length]`.
// Evaluated at compile time only, where an overflow is a build error.
#[allow(clippy::arithmetic_side_effects)]
const fn log_cuts<const N: usize>(lens: [[usize; 2]; N]) -> [[u8; 4]; N] {
    let fixed = LOG_PREFIX.len() + LOG_NUMBER.len() + 4 + LOG_MESSAGE.len() + 1;
    let mut cuts = [[0u8; 4]; N];
    let mut at = 0;
    let mut i = 0;
    while i < N {
        let [name, msg] = lens[i];
        assert!(name <= 255 && msg <= 255 && at <= 0xffff);
        assert!(fixed + name + msg <= LOG_LINE_MAX);
        cuts[i] = [at as u8, (at >> 8) as u8, name as u8, msg as u8];
        at += name + msg;
        i += 1;
    }
    cuts
}

/// A log line being assembled; a piece that would not fit is dropped (never happens: the longest
/// line fits, asserted by `log_cuts`).
struct Line<'a> {
    buf: &'a mut [u8; LOG_LINE_MAX],
    len: usize,
}

impl Line<'_> {
    fn push(&mut self, piece: &[u8]) {
        let end = self.len.wrapping_add(piece.len());
        if let Some(dst) = self.buf.get_mut(self.len..end) {
            dst.copy_from_slice(piece);
            self.len = end;
        }
    }
}

/// Logs Anchor's error line when `error` is one of Gavel's codes (program errors from other
/// sources, e.g. a failed token CPI, are left as the runtime reports them).
///
///
/// `inline(never)`, stated: one shared copy; and a function that LLVM outlines on its own is
/// emitted before `rust_begin_unwind`, whereupon sbpf-linker 0.1.9 encodes the panic path's call
/// to `rust_begin_unwind` with an out-of-bounds offset and the loader rejects the program.
#[inline(never)]
pub fn log_anchor_error(error: &ProgramError) {
    if let ProgramError::Custom(code) = error {
        if let Some(e) = GavelError::from_code(*code) {
            let mut buf = [0u8; LOG_LINE_MAX];
            let len = e.anchor_log_line(&mut buf);
            // SAFETY: the line is made of whole `&str`s (ASCII phrases, digits and this error's
            // name and message, cut at their own boundaries), so it is valid UTF-8.
            let line = unsafe { core::str::from_utf8_unchecked(&buf[..len]) };
            pinocchio::log::sol_log(line);
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
            let mut buf = [0u8; LOG_LINE_MAX];
            let len = e.anchor_log_line(&mut buf);
            assert_eq!(
                core::str::from_utf8(&buf[..len]).unwrap(),
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
