#!/usr/bin/env bash
# Builds target/deploy/gavel.so from source without the Solana platform tools.
#
# Route (see README "Building the program"): Debian's rustc-web (Rust 1.96, LLVM 22) compiles the
# crate for `bpfel-unknown-none` against the prebuilt core/alloc rlibs of libstd-rust-web-dev-bpf,
# and `sbpf-linker` (crates.io, pinned) links the LLVM bitcode into a Solana sBPF v0 `.so`.
# Idempotent: installs only what is missing. Set GAVEL_BUILD_STD=1 to rebuild core/alloc from
# rust-web-src with -Zbuild-std instead of using the prebuilt rlibs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

SBPF_LINKER_VERSION=0.1.9
DEBIAN_PKGS=(rustc-web cargo-web rust-web-src libstd-rust-web-dev-bpf llvm-22 llvm-22-dev)
LLVM_LIB=/usr/lib/llvm-22/lib
HOST_CARGO=${HOST_CARGO:-$(command -v cargo || echo "$HOME/.cargo/bin/cargo")}

log() { echo "[build-program] $*" >&2; }

missing=()
for p in "${DEBIAN_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

LINKER_BIN="$HOME/.cargo/bin/sbpf-linker"
# (0.1.9 prints its version on stderr and exits non-zero, hence the `|| true`.)
linker_version=$("$LINKER_BIN" --version 2>&1 || true)
if [[ "$linker_version" != *"sbpf-linker $SBPF_LINKER_VERSION"* ]]; then
  log "installing sbpf-linker $SBPF_LINKER_VERSION from crates.io (about 1 minute)"
  LD_LIBRARY_PATH=$LLVM_LIB "$HOST_CARGO" install sbpf-linker --version "=$SBPF_LINKER_VERSION" --locked --quiet
fi

# Every syscall name must be exported to the linker: sbpf-linker 0.1.9 otherwise internalizes the
# undefined syscall declarations and LLVM's dead-argument elimination strips their parameters
# (calls then reach the runtime without arguments).
SYSCALLS=sol_alt_bn128_compression,sol_alt_bn128_group_op,sol_big_mod_exp,sol_blake3,sol_create_program_address,sol_curve_group_op,sol_curve_multiscalar_mul,sol_curve_pairing_map,sol_curve_validate_point,sol_get_clock_sysvar,sol_get_epoch_rewards_sysvar,sol_get_epoch_schedule_sysvar,sol_get_epoch_stake,sol_get_fees_sysvar,sol_get_last_restart_slot,sol_get_processed_sibling_instruction,sol_get_rent_sysvar,sol_get_return_data,sol_get_stack_height,sol_get_sysvar,sol_invoke_signed_c,sol_invoke_signed_rust,sol_keccak256,sol_log_,sol_log_64_,sol_log_compute_units_,sol_log_data,sol_log_pubkey,sol_memcmp_,sol_memcpy_,sol_memmove_,sol_memset_,sol_panic_,sol_poseidon,sol_remaining_compute_units,sol_secp256k1_recover,sol_set_return_data,sol_sha256,sol_try_find_program_address

RUSTFLAGS_BPF=(
  -C linker=sbpf-linker -C panic=abort -C relocation-model=static
  -C link-arg=--llvm-args=-bpf-stack-size=4096
  -C "link-arg=--export=$SYSCALLS"
  -C "link-arg=--dump-module=$ROOT/target/sbpf/ir"
  # Solana code (pinocchio included) keys on target_os = "solana"; the bpfel target says "none".
  --cfg 'target_os="solana"' -A explicit_builtin_cfgs_in_flags
)
export CARGO_TARGET_BPFEL_UNKNOWN_NONE_RUSTFLAGS="${RUSTFLAGS_BPF[*]}"
BUILD_STD_ARGS=()
if [ "${GAVEL_BUILD_STD:-0}" = 1 ]; then
  # core/alloc sources come from rust-web-src; their few crates.io dependencies
  # (compiler_builtins, ...) from crates.io itself.
  BUILD_STD_ARGS=(-Zbuild-std=core,alloc)
fi

log "compiling programs/gavel for bpfel-unknown-none"
start=$(date +%s)
PATH="$HOME/.cargo/bin:$PATH" LD_LIBRARY_PATH=$LLVM_LIB RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
  /usr/bin/cargo build --release --locked --target bpfel-unknown-none -p gavel \
  --target-dir "$ROOT/target/sbpf" "${BUILD_STD_ARGS[@]}" 2>&1 | grep -v "dlopen failed" >&2
# Guard against sbpf-linker 0.1.9's .rodata limits: it neither aligns .rodata nor emits
# relocations for pointers stored there, so a constant with a pointer inside or an alignment above
# 1 is silently broken at run time. Only panic `Location`s (used on the abort path) are tolerated.
bad=$(grep -E '^@[^=]+= .*constant' target/sbpf/ir/post-opt.ll |
  grep -v 'constant <{ ptr, \[16 x i8\] }>' | grep -E 'ptr @|align ([2-9]|[1-9][0-9])' || true)
if [ -n "$bad" ]; then
  log "error: constants in .rodata that sbpf-linker 0.1.9 would break (align > 1 or pointers):"
  echo "$bad" | cut -c1-300 >&2
  log "build seed arrays with gavel::seeds!, keep pointer tables off-chain"
  exit 1
fi
# Guard against sbpf-linker 0.1.9's call encoding: when a function that LLVM outlined on its own
# is emitted before `rust_begin_unwind`, the panic path's call to it gets an offset past the end of
# .text and the loader refuses the whole program ("invalid account data"). Mark such helpers
# #[inline(never)] (then they are emitted after it) or #[inline(always)].
so=target/sbpf/bpfel-unknown-none/release/libgavel.so
bad_calls=$(/usr/lib/llvm-22/bin/llvm-objdump -d --no-show-raw-insn "$so" | awk '
  function hex(s,  n, i, neg) {
    neg = substr(s, 1, 1) == "-"; if (neg) s = substr(s, 2)
    s = substr(s, 3); n = 0
    for (i = 1; i <= length(s); i++) n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return neg ? -n : n
  }
  /^ *[0-9]+:/ { at = $1 + 0; if (first == "") first = at; last = at
                 if ($2 == "call" && $3 != "-0x1") call[at] = hex($3) }
  END { for (at in call) { t = at + 1 + call[at]; if (t < first || t > last) print at } }')
if [ -n "$bad_calls" ]; then
  log "error: calls out of .text (sbpf-linker call-offset bug) at instructions: $bad_calls"
  exit 1
fi
mkdir -p target/deploy
cp target/sbpf/bpfel-unknown-none/release/libgavel.so target/deploy/gavel.so
# Where `anchor build` / `anchor deploy` / `anchor keys sync` look for the program keypair: a copy
# of the committed local-test key, so Anchor keeps the program id instead of generating a new one.
cp keys/gavel-program-keypair.json target/deploy/gavel-keypair.json
log "target/deploy/gavel.so: $(stat -c %s target/deploy/gavel.so) bytes in $(($(date +%s) - start)) s"
