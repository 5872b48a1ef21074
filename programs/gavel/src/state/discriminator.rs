//! Anchor discriminators computed at compile time: `sha256("<namespace>:<name>")[..8]`.
//!
//! Computed by a `const fn` SHA-256, so no discriminator is ever typed by hand and none can drift
//! from its name; the host tests check them against the `sha2` crate.

use sha2_const_stable::Sha256;

const fn first8(prefix: &str, name: &str) -> [u8; 8] {
    let h = Sha256::new()
        .update(prefix.as_bytes())
        .update(name.as_bytes())
        .finalize();
    [h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]]
}

/// Instruction discriminator: `sha256("global:<name>")[..8]`.
pub const fn instruction(name: &str) -> [u8; 8] {
    first8("global:", name)
}

/// Account discriminator: `sha256("account:<Type>")[..8]`.
pub const fn account(name: &str) -> [u8; 8] {
    first8("account:", name)
}

/// Event discriminator: `sha256("event:<Name>")[..8]`.
pub const fn event(name: &str) -> [u8; 8] {
    first8("event:", name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256 as RefSha256};

    fn reference(s: &str) -> [u8; 8] {
        RefSha256::digest(s.as_bytes())[..8].try_into().unwrap()
    }

    #[test]
    fn matches_reference_sha256() {
        assert_eq!(
            instruction("initialize_config"),
            reference("global:initialize_config")
        );
        assert_eq!(account("Config"), reference("account:Config"));
        assert_eq!(event("StopChanged"), reference("event:StopChanged"));
    }

    #[test]
    fn known_anchor_discriminators() {
        // Values computed independently with Node's crypto for these names.
        assert_eq!(
            instruction("initialize_config"),
            [208, 127, 21, 1, 194, 190, 196, 70]
        );
        assert_eq!(account("Config"), [155, 12, 170, 224, 30, 250, 204, 130]);
        assert_eq!(
            event("StopChanged"),
            [35, 165, 220, 121, 182, 135, 152, 102]
        );
    }
}
