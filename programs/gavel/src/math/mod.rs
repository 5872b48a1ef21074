//! Pure fixed-point math (no Solana imports), host-tested. Filled in by the Lending core work.
