//! Typed errors of Gavel. Append-only: codes are stable and start at 6000 (Anchor's convention
//! for user errors), so `@coral-xyz/anchor` and the SDK map them by number.

use pinocchio::program_error::ProgramError;

/// Every error the program returns, with its stable code (`6000 + index`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum GavelError {
    /// 6000: the instruction discriminator matches no Gavel instruction.
    InstructionUnknown = 6000,
    /// 6001: the instruction arguments do not decode.
    InstructionDataInvalid = 6001,
    /// 6002: the program was invoked under another program id.
    ProgramIdInvalid = 6002,
    /// 6003: fewer accounts than the instruction needs.
    AccountsMissing = 6003,
    /// 6004: an account that must sign did not.
    SignerMissing = 6004,
    /// 6005: an account that must be writable is not.
    AccountNotWritable = 6005,
    /// 6006: an account is owned by the wrong program.
    AccountOwnerInvalid = 6006,
    /// 6007: an account's discriminator or size is not the expected type.
    AccountDiscriminatorInvalid = 6007,
    /// 6008: an account is not the expected PDA (seeds or canonical bump).
    AccountAddressInvalid = 6008,
    /// 6009: a program account (system, token, sysvar) is not the expected program.
    ProgramAccountInvalid = 6009,
    /// 6010: the config already exists.
    ConfigAlreadyInitialized = 6010,
    /// 6011: the signer is not the config admin.
    AdminRequired = 6011,
    /// 6012: stop level above 3.
    StopLevelInvalid = 6012,
    /// 6013: an arithmetic operation overflowed.
    MathOverflow = 6013,
}

impl GavelError {
    /// Every error, in code order (the IDL's `errors` list must match it).
    pub const ALL: [GavelError; 14] = [
        Self::InstructionUnknown,
        Self::InstructionDataInvalid,
        Self::ProgramIdInvalid,
        Self::AccountsMissing,
        Self::SignerMissing,
        Self::AccountNotWritable,
        Self::AccountOwnerInvalid,
        Self::AccountDiscriminatorInvalid,
        Self::AccountAddressInvalid,
        Self::ProgramAccountInvalid,
        Self::ConfigAlreadyInitialized,
        Self::AdminRequired,
        Self::StopLevelInvalid,
        Self::MathOverflow,
    ];

    /// The stable numeric code.
    pub const fn code(self) -> u32 {
        self as u32
    }

    /// The variant name, as in the IDL.
    pub const fn name(self) -> &'static str {
        match self {
            Self::InstructionUnknown => "InstructionUnknown",
            Self::InstructionDataInvalid => "InstructionDataInvalid",
            Self::ProgramIdInvalid => "ProgramIdInvalid",
            Self::AccountsMissing => "AccountsMissing",
            Self::SignerMissing => "SignerMissing",
            Self::AccountNotWritable => "AccountNotWritable",
            Self::AccountOwnerInvalid => "AccountOwnerInvalid",
            Self::AccountDiscriminatorInvalid => "AccountDiscriminatorInvalid",
            Self::AccountAddressInvalid => "AccountAddressInvalid",
            Self::ProgramAccountInvalid => "ProgramAccountInvalid",
            Self::ConfigAlreadyInitialized => "ConfigAlreadyInitialized",
            Self::AdminRequired => "AdminRequired",
            Self::StopLevelInvalid => "StopLevelInvalid",
            Self::MathOverflow => "MathOverflow",
        }
    }

    /// The human-readable message, as in the IDL.
    pub const fn message(self) -> &'static str {
        match self {
            Self::InstructionUnknown => "Unknown instruction discriminator",
            Self::InstructionDataInvalid => "Instruction arguments do not decode",
            Self::ProgramIdInvalid => "Program invoked under another program id",
            Self::AccountsMissing => "Not enough accounts for this instruction",
            Self::SignerMissing => "A required signature is missing",
            Self::AccountNotWritable => "An account that must be writable is not",
            Self::AccountOwnerInvalid => "Account is owned by the wrong program",
            Self::AccountDiscriminatorInvalid => "Account has the wrong type or size",
            Self::AccountAddressInvalid => "Account is not the expected PDA",
            Self::ProgramAccountInvalid => "Program account is not the expected program",
            Self::ConfigAlreadyInitialized => "Config is already initialized",
            Self::AdminRequired => "Only the config admin may do this",
            Self::StopLevelInvalid => "Stop level must be 0, 1, 2 or 3",
            Self::MathOverflow => "Arithmetic overflow",
        }
    }
}

impl From<GavelError> for ProgramError {
    fn from(e: GavelError) -> Self {
        ProgramError::Custom(e as u32)
    }
}
