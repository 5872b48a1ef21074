//! The committed IDL (`idl/gavel.json`) must agree with the program: instruction names and
//! discriminators, account and event discriminators and Borsh layouts, error codes and messages.
//! Layouts are checked by encoding a value with the program's own writer and decoding it with the
//! IDL's type description.

use gavel::{
    error::GavelError,
    events::{self, ConfigInitialized, Event, MarketCreated, StopChanged, EVENT_BUF_LEN},
    instructions,
    state::{
        discriminator, Auction, Backstop, BackstopDepositor, BackstopParams, Config, Curve, Market,
        MarketParams, Position, WithdrawalRequest,
    },
};
use serde_json::{json, Value};

fn idl() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../idl/gavel.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("read idl")).expect("parse idl")
}

fn disc(v: &Value) -> [u8; 8] {
    let bytes: Vec<u8> = v["discriminator"]
        .as_array()
        .expect("discriminator")
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    bytes.try_into().expect("8 bytes")
}

/// A 32-byte key of `b`s, as the IDL decoder gives it.
fn key(b: u8) -> Value {
    Value::from(vec![b; 32])
}

fn find<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("{name} missing from IDL"))
}

/// Decodes `data` with the IDL type `ty`; returns the fields as JSON and the bytes consumed.
fn decode(idl: &Value, ty: &Value, data: &[u8]) -> (Value, usize) {
    if let Some(s) = ty.as_str() {
        let n = match s {
            "u8" | "bool" => 1,
            "u16" => 2,
            "u32" => 4,
            "u64" | "i64" => 8,
            "u128" | "i128" => 16,
            "pubkey" => 32,
            other => panic!("unsupported IDL type {other}"),
        };
        let v = match s {
            "u8" => Value::from(data[0]),
            "u16" => Value::from(u16::from_le_bytes(data[..2].try_into().unwrap())),
            "bool" => Value::from(data[0] != 0),
            "u64" => Value::from(u64::from_le_bytes(data[..8].try_into().unwrap())),
            "i64" => Value::from(i64::from_le_bytes(data[..8].try_into().unwrap())),
            _ => Value::from(data[..n].to_vec()),
        };
        return (v, n);
    }
    if let Some(arr) = ty.get("array") {
        let len = arr[1].as_u64().unwrap() as usize;
        let mut out = Vec::new();
        let mut pos = 0;
        for _ in 0..len {
            let (v, n) = decode(idl, &arr[0], &data[pos..]);
            out.push(v);
            pos += n;
        }
        return (Value::from(out), pos);
    }
    let name = ty["defined"]["name"]
        .as_str()
        .or_else(|| ty["defined"].as_str())
        .expect("defined type");
    decode_struct(idl, name, data)
}

fn decode_fields(idl: &Value, fields: &Value, data: &[u8]) -> (Value, usize) {
    let mut map = serde_json::Map::new();
    let mut pos = 0;
    for field in fields.as_array().unwrap() {
        let (v, n) = decode(idl, &field["type"], &data[pos..]);
        map.insert(field["name"].as_str().unwrap().to_string(), v);
        pos += n;
    }
    (Value::Object(map), pos)
}

fn decode_struct(idl: &Value, name: &str, data: &[u8]) -> (Value, usize) {
    let def = find(&idl["types"], name);
    if def["type"]["kind"] == "enum" {
        let tag = data[0] as usize;
        let variant = &def["type"]["variants"][tag];
        let (fields, n) = decode_fields(idl, &variant["fields"], &data[1..]);
        let mut map = serde_json::Map::new();
        map.insert(variant["name"].as_str().unwrap().to_string(), fields);
        return (Value::Object(map), 1 + n);
    }
    let mut map = serde_json::Map::new();
    let mut pos = 0;
    for field in def["type"]["fields"].as_array().unwrap() {
        let (v, n) = decode(idl, &field["type"], &data[pos..]);
        map.insert(field["name"].as_str().unwrap().to_string(), v);
        pos += n;
    }
    (Value::Object(map), pos)
}

/// What the layout checks use of an account type: its name in the IDL and its own (inherent)
/// size, discriminator, writer and reader.
trait Account: Sized + PartialEq + std::fmt::Debug {
    const NAME: &'static str;
    const LEN: usize;
    const DISCRIMINATOR: [u8; 8];
    fn write(&self, data: &mut [u8]) -> Result<(), GavelError>;
    fn read(data: &[u8]) -> Result<Self, GavelError>;
}

macro_rules! accounts {
    ($($t:ident),+) => {$(
        impl Account for $t {
            const NAME: &'static str = stringify!($t);
            const LEN: usize = $t::LEN;
            const DISCRIMINATOR: [u8; 8] = $t::DISCRIMINATOR;
            fn write(&self, data: &mut [u8]) -> Result<(), GavelError> {
                $t::write(self, data)
            }
            fn read(data: &[u8]) -> Result<Self, GavelError> {
                $t::read(data)
            }
        }
    )+};
}

accounts!(
    Config,
    Market,
    Position,
    Auction,
    Backstop,
    BackstopDepositor,
    WithdrawalRequest
);

/// Writes `account` with the program's writer into an account of its size, checks the
/// discriminator (against the IDL's too) and that the reader gives `account` back; returns the
/// fields the IDL decodes from the bytes and the account size the IDL layout implies.
fn encode_decode<A: Account>(idl: &Value, account: &A) -> (Value, usize) {
    assert_eq!(
        disc(find(&idl["accounts"], A::NAME)),
        A::DISCRIMINATOR,
        "{} discriminator",
        A::NAME
    );
    let mut data = vec![0u8; A::LEN];
    account.write(&mut data).unwrap();
    assert_eq!(data[..8], A::DISCRIMINATOR, "{}", A::NAME);
    assert_eq!(&A::read(&data).unwrap(), account, "{} read back", A::NAME);
    let (v, n) = decode_struct(idl, A::NAME, &data[8..]);
    (v, 8 + n)
}

/// Every field of `want` (objects compared field by field, so `want` may name only some) is the
/// same in `got`.
fn assert_fields(got: &Value, want: &Value, path: &str) {
    match want {
        Value::Object(fields) => {
            for (k, w) in fields {
                assert_fields(&got[k], w, &format!("{path}.{k}"));
            }
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

/// [`encode_decode`] for a fixed-size account: the IDL layout fills it exactly, and decodes the
/// fields of `want`.
fn check_layout<A: Account>(idl: &Value, account: &A, want: Value) {
    let (v, len) = encode_decode(idl, account);
    assert_eq!(len, A::LEN, "IDL size of {}", A::NAME);
    assert_fields(&v, &want, A::NAME);
}

#[test]
fn instructions_match() {
    let idl = idl();
    let list = idl["instructions"].as_array().unwrap();
    assert_eq!(list.len(), instructions::ALL.len(), "instruction count");
    for &(name, d) in instructions::ALL {
        let ix = find(&idl["instructions"], name);
        assert_eq!(disc(ix), d, "{name} discriminator");
        assert_eq!(d, discriminator::instruction(name));
    }
}

#[test]
fn errors_match() {
    let idl = idl();
    let list = idl["errors"].as_array().unwrap();
    assert_eq!(list.len(), GavelError::ALL.len(), "error count");
    for (e, v) in GavelError::ALL.iter().zip(list) {
        assert_eq!(v["code"].as_u64().unwrap() as u32, e.code(), "{}", e.name());
        assert_eq!(v["name"], e.name());
        assert_eq!(v["msg"], e.message());
    }
    // Codes start at 6000 and only grow: appending keeps every existing code stable. (Helpers
    // working in parallel append in reserved ranges, so gaps are allowed until the ranges are
    // compacted at merge.)
    assert_eq!(GavelError::ALL[0].code(), 6000);
    for pair in GavelError::ALL.windows(2) {
        assert!(pair[0].code() < pair[1].code(), "{}", pair[1].name());
    }
}

#[test]
fn config_layout_matches() {
    let config = Config {
        admin: [7u8; 32],
        pending_admin: [9u8; 32],
        stop: 2,
        bump: 254,
    };
    check_layout(
        &idl(),
        &config,
        json!({ "admin": key(7), "pending_admin": key(9), "stop": 2, "bump": 254 }),
    );
}

/// Encodes `event` with the program's encoder; the IDL decodes exactly its bytes, including the
/// fields of `want`.
fn check_event<E: Event>(idl: &Value, name: &str, event: &E, want: Value) {
    assert_eq!(disc(find(&idl["events"], name)), E::DISCRIMINATOR, "{name}");
    let mut buf = [core::mem::MaybeUninit::<u8>::uninit(); EVENT_BUF_LEN];
    let len = event.encode(&mut buf);
    // SAFETY: `encode` initialized the first `len` bytes.
    let bytes = unsafe { core::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), len) };
    let (v, n) = decode_struct(idl, name, &bytes[8..]);
    assert_eq!(8 + n, len, "{name} encoded length");
    assert_fields(&v, &want, name);
}

fn sample_params() -> MarketParams {
    MarketParams {
        max_ltv_bps: 7_000,
        liquidation_ltv_bps: 8_000,
        chop_bps: 1_300,
        buf_bps: 12_000,
        cusp_bps: 4_500,
        chip_bps: 10,
        tip: 250,
        tail_secs: 7_200,
        hole: 40_000_000,
        dust: 7_500,
        borrow_rate_per_sec_wad: 1_547_125_957,
        oracle_program: [4u8; 32],
        collateral_oracle_kind: 1,
        collateral_oracle: [5u8; 32],
        debt_oracle_kind: 0,
        debt_oracle: [6u8; 32],
        max_age_secs: 60,
        max_age_slots: 150,
        max_conf_bps: 200,
        curve: Curve::StairstepExp {
            step_secs: 90,
            cut: 990_000_000_000_000_000,
        },
        withdraw_cooldown_secs: 3_600,
        price_mode: 1,
        anchor_start_bps: 50,
        anchor_rate_bps_per_min: 51,
        anchor_max_base_bps: 300,
        anchor_max_cap_bps: 800,
        kick_target_ltv_bps: 7_000,
        kick_full_ltv_bps: 9_000,
        backstop_interest_share_bps: 1_234,
        backstop_penalty_share_bps: 4_321,
    }
}

#[test]
fn market_and_position_layouts_match() {
    let idl = idl();
    for curve in [
        Curve::Linear { tau_secs: 3_600 },
        Curve::StairstepExp {
            step_secs: 90,
            cut: 99,
        },
        Curve::Exp { cut: 7 },
    ] {
        let market = Market {
            bump: 253,
            collateral_mint: [1u8; 32],
            debt_mint: [2u8; 32],
            collateral_decimals: 9,
            debt_decimals: 6,
            collateral_vault: [3u8; 32],
            liquidity_vault: [7u8; 32],
            share_mint: [8u8; 32],
            total_shares: 11,
            cash: 12,
            insurance: 13,
            art_total: 14,
            rate: 15,
            last_accrual_ts: -16,
            collateral_total: 17,
            dirt: 18,
            auction_debt: 20,
            auction_count: 19,
            params: MarketParams {
                curve,
                ..sample_params()
            },
            collateral_publish_time: -21,
            debt_publish_time: 22,
            backstop_due: 23,
        };
        let (v, len) = encode_decode(&idl, &market);
        assert!(len <= Market::LEN, "IDL layout fits the account");
        let curve_json = match curve {
            Curve::Linear { tau_secs } => json!({ "Linear": { "tau_secs": tau_secs } }),
            Curve::StairstepExp { step_secs, cut } => {
                json!({ "StairstepExp": { "step_secs": step_secs, "cut": cut } })
            }
            Curve::Exp { cut } => json!({ "Exp": { "cut": cut } }),
        };
        let want = json!({
            "last_accrual_ts": -16,
            "auction_count": 19,
            "collateral_publish_time": -21,
            "debt_publish_time": 22,
            "backstop_due": 23,
            "params": {
                "max_conf_bps": 200,
                "debt_oracle": key(6),
                "withdraw_cooldown_secs": 3_600,
                "anchor_rate_bps_per_min": 51,
                "kick_full_ltv_bps": 9_000,
                "backstop_interest_share_bps": 1_234,
                "backstop_penalty_share_bps": 4_321,
                "curve": curve_json,
            },
        });
        assert_fields(&v, &want, "Market");
    }
    // The largest curve fills the account exactly.
    let market = Market::read(&{
        let mut d = vec![0u8; Market::LEN];
        // The StairstepExp tag, its 16 bytes, the cooldown (8), the engine v2 parameters (13), the
        // backstop shares (4), the two publish times and the backstop due (24) end the account.
        d[Market::LEN - 17 - 8 - 13 - 4 - 24] = 1;
        d
    })
    .unwrap();
    assert_eq!(encode_decode(&idl, &market).1, Market::LEN);

    let position = Position {
        market: [1u8; 32],
        owner: [2u8; 32],
        ink: 3,
        art: 4,
        auctions: 6,
        bump: 5,
        unearned_rewards: 7,
    };
    check_layout(
        &idl,
        &position,
        json!({ "ink": 3, "art": 4, "bump": 5, "auctions": 6, "unearned_rewards": 7 }),
    );

    let auction = Auction {
        market: [1u8; 32],
        id: 2,
        position: [3u8; 32],
        owner: [4u8; 32],
        kicker: [5u8; 32],
        tab: 6,
        lot: 7,
        debt: 8,
        top: 9,
        tic: -10,
        initial_tab: 11,
        initial_lot: 12,
        pending_owe: 13,
        flash: 1,
        bump: 14,
        initial_debt: 15,
        rewards_paid: 16,
        price_mode: 1,
        d_max_bps: 650,
        kicked_at: -17,
    };
    let want = json!({
        "tic": -10,
        "pending_owe": 13,
        "initial_debt": 15,
        "rewards_paid": 16,
        "kicker": key(5),
        "price_mode": 1,
        "d_max_bps": 650,
        "kicked_at": -17,
    });
    check_layout(&idl, &auction, want);

    let backstop = Backstop {
        market: [1u8; 32],
        share_mint: [2u8; 32],
        debt_vault: [3u8; 32],
        collateral_vault: [4u8; 32],
        total_shares: 5,
        debt: 6,
        collateral: 7,
        warming: 8,
        params: BackstopParams {
            absorb_after_secs: 9,
            absorb_near_bps: 10,
            buy_discount_bps: 11,
            withdraw_cooldown_secs: 12,
            warmup_secs: 13,
        },
        bump: 14,
    };
    let want = json!({
        "warming": 8,
        "params": { "buy_discount_bps": 11, "warmup_secs": 13 },
        "bump": 14,
    });
    check_layout(&idl, &backstop, want);

    let depositor = BackstopDepositor {
        backstop: [1u8; 32],
        owner: [2u8; 32],
        warming: 3,
        warm_at: -4,
        withdraw_shares: 5,
        withdraw_at: -6,
        bump: 7,
    };
    check_layout(
        &idl,
        &depositor,
        json!({ "warm_at": -4, "withdraw_at": -6, "bump": 7 }),
    );
}

#[test]
fn withdrawal_request_layout_matches() {
    let request = WithdrawalRequest {
        market: [1u8; 32],
        lp: [2u8; 32],
        shares: 3,
        value: 4,
        requested_ts: -5,
        claimable_ts: 6,
        bump: 7,
    };
    let want = json!({
        "lp": key(2),
        "shares": 3,
        "value": 4,
        "requested_ts": -5,
        "claimable_ts": 6,
        "bump": 7,
    });
    check_layout(&idl(), &request, want);
}

#[test]
fn event_fields_match() {
    let idl = idl();
    let list = idl["events"].as_array().unwrap();
    assert_eq!(list.len(), events::ALL.len(), "event count");
    for (name, fields) in events::ALL {
        let e = find(&idl["events"], name);
        assert_eq!(disc(e), discriminator::event(name), "{name}");
        let def = &find(&idl["types"], name)["type"]["fields"];
        let idl_fields: Vec<(String, String)> = def
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let ty = match &f["type"] {
                    Value::String(s) => s.clone(),
                    other => other["defined"]["name"].as_str().unwrap().to_string(),
                };
                (f["name"].as_str().unwrap().to_string(), ty)
            })
            .collect();
        let rust_fields: Vec<(String, String)> = fields
            .iter()
            .map(|(n, t)| {
                let ty = if *t == "Pubkey" { "pubkey" } else { t };
                (n.to_string(), ty.to_string())
            })
            .collect();
        assert_eq!(idl_fields, rust_fields, "{name} fields");
    }
}

#[test]
fn events_encode_as_the_idl_decodes() {
    let idl = idl();
    check_event(
        &idl,
        "MarketCreated",
        &MarketCreated {
            market: [1u8; 32],
            collateral_mint: [2u8; 32],
            debt_mint: [3u8; 32],
            params: sample_params(),
        },
        json!({ "params": { "tip": 250, "curve": { "StairstepExp": { "step_secs": 90 } } } }),
    );
    check_event(
        &idl,
        "ConfigInitialized",
        &ConfigInitialized { admin: [3u8; 32] },
        json!({ "admin": key(3) }),
    );
    check_event(
        &idl,
        "StopChanged",
        &StopChanged {
            admin: [1u8; 32],
            previous: 1,
            stop: 3,
            unix_timestamp: -5,
        },
        json!({ "previous": 1, "stop": 3, "unix_timestamp": -5 }),
    );
}

#[test]
fn program_id_matches() {
    let idl = idl();
    let id = idl["address"].as_str().unwrap();
    // The TS suite checks that the committed keypair under keys/ derives this same id.
    assert_eq!(five8_const::decode_32_const(id), gavel::ID);
}
