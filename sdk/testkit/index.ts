/**
 * Gavel's test kit: market defaults, token units, a LiteSVM chain with the real program and the
 * worlds built on it (lending → liquidation → backstop), SPL token builders, and the embedded
 * surfpool validator (start, stop, price accounts) with its one wrapper (`SdkChain`, `ChainMarket`). Shared by the apps (simulator, demo, benchmark),
 * the scripts and the specs, so that none of them imports another's files. Not part of the
 * published `@gavel/sdk` package (it lives outside sdk/src and needs LiteSVM and surfpool).
 * @module
 */
export * from "./units";
export * from "./params";
export * from "./program";
export * from "./svm";
export * from "./lending";
export * from "./liquidation";
export * from "./backstop";
export * from "./surfpool";
export * from "./tokens";
export * from "./sdk_chain";
export * from "./stub_ws";
