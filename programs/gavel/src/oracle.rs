//! Pyth oracle readers and guards. Filled in by the Lending core work.
