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
use serde_json::Value;

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
    let idl = idl();
    assert_eq!(
        disc(find(&idl["accounts"], "Config")),
        Config::DISCRIMINATOR
    );
    let config = Config {
        admin: [7u8; 32],
        pending_admin: [9u8; 32],
        stop: 2,
        bump: 254,
    };
    let mut data = vec![0u8; Config::LEN];
    config.write(&mut data).unwrap();
    assert_eq!(data[..8], Config::DISCRIMINATOR);
    let (v, n) = decode_struct(&idl, "Config", &data[8..]);
    assert_eq!(8 + n, Config::LEN, "IDL size of Config");
    assert_eq!(v["admin"], Value::from(vec![7u8; 32]));
    assert_eq!(v["pending_admin"], Value::from(vec![9u8; 32]));
    assert_eq!(v["stop"], 2);
    assert_eq!(v["bump"], 254);
    assert_eq!(Config::read(&data).unwrap(), config);
}

fn check_event<E: Event>(idl: &Value, name: &str, event: &E) -> Value {
    assert_eq!(disc(find(&idl["events"], name)), E::DISCRIMINATOR, "{name}");
    let mut buf = [core::mem::MaybeUninit::<u8>::uninit(); EVENT_BUF_LEN];
    let len = event.encode(&mut buf);
    // SAFETY: `encode` initialized the first `len` bytes.
    let bytes = unsafe { core::slice::from_raw_parts(buf.as_ptr().cast::<u8>(), len) };
    let (v, n) = decode_struct(idl, name, &bytes[8..]);
    assert_eq!(8 + n, len, "{name} encoded length");
    v
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
    assert_eq!(
        disc(find(&idl["accounts"], "Market")),
        Market::DISCRIMINATOR
    );
    assert_eq!(
        disc(find(&idl["accounts"], "Position")),
        Position::DISCRIMINATOR
    );
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
        let mut data = vec![0u8; Market::LEN];
        market.write(&mut data).unwrap();
        let (v, n) = decode_struct(&idl, "Market", &data[8..]);
        assert!(8 + n <= Market::LEN, "IDL layout fits the account");
        assert_eq!(v["last_accrual_ts"], -16);
        assert_eq!(v["auction_count"], 19);
        assert_eq!(v["params"]["max_conf_bps"], 200);
        assert_eq!(v["params"]["debt_oracle"], Value::from(vec![6u8; 32]));
        assert_eq!(v["params"]["withdraw_cooldown_secs"], 3_600);
        assert_eq!(v["params"]["anchor_rate_bps_per_min"], 51);
        assert_eq!(v["params"]["kick_full_ltv_bps"], 9_000);
        assert_eq!(v["collateral_publish_time"], -21);
        assert_eq!(v["debt_publish_time"], 22);
        assert_eq!(v["params"]["backstop_interest_share_bps"], 1_234);
        assert_eq!(v["params"]["backstop_penalty_share_bps"], 4_321);
        assert_eq!(v["backstop_due"], 23);
        let curve_json = &v["params"]["curve"];
        match curve {
            Curve::Linear { tau_secs } => assert_eq!(curve_json["Linear"]["tau_secs"], tau_secs),
            Curve::StairstepExp { step_secs, cut } => {
                assert_eq!(curve_json["StairstepExp"]["step_secs"], step_secs);
                assert_eq!(curve_json["StairstepExp"]["cut"], cut);
            }
            Curve::Exp { cut } => assert_eq!(curve_json["Exp"]["cut"], cut),
        }
        assert_eq!(Market::read(&data).unwrap(), market);
    }
    // The largest curve fills the account exactly.
    let mut data = vec![0u8; Market::LEN];
    let market = Market::read(&{
        let mut d = vec![0u8; Market::LEN];
        // The StairstepExp tag, its 16 bytes, the cooldown (8), the engine v2 parameters (13), the
        // backstop shares (4), the two publish times and the backstop due (24) end the account.
        d[Market::LEN - 17 - 8 - 13 - 4 - 24] = 1;
        d
    })
    .unwrap();
    market.write(&mut data).unwrap();
    assert_eq!(8 + decode_struct(&idl, "Market", &data[8..]).1, Market::LEN);

    let position = Position {
        market: [1u8; 32],
        owner: [2u8; 32],
        ink: 3,
        art: 4,
        auctions: 6,
        bump: 5,
    };
    let mut data = vec![0u8; Position::LEN];
    position.write(&mut data).unwrap();
    let (v, n) = decode_struct(&idl, "Position", &data[8..]);
    assert_eq!(8 + n, Position::LEN);
    assert_eq!(
        (v["ink"].clone(), v["art"].clone(), v["bump"].clone()),
        (3.into(), 4.into(), 5.into())
    );
    assert_eq!(v["auctions"], 6);
    assert_eq!(Position::read(&data).unwrap(), position);

    assert_eq!(
        disc(find(&idl["accounts"], "Auction")),
        Auction::DISCRIMINATOR
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
    let mut data = vec![0u8; Auction::LEN];
    auction.write(&mut data).unwrap();
    let (v, n) = decode_struct(&idl, "Auction", &data[8..]);
    assert_eq!(8 + n, Auction::LEN);
    assert_eq!(v["tic"], -10);
    assert_eq!(v["pending_owe"], 13);
    assert_eq!(
        (v["initial_debt"].clone(), v["rewards_paid"].clone()),
        (15.into(), 16.into())
    );
    assert_eq!(v["kicker"], Value::from(vec![5u8; 32]));
    assert_eq!(v["price_mode"], 1);
    assert_eq!(v["d_max_bps"], 650);
    assert_eq!(v["kicked_at"], -17);
    assert_eq!(Auction::read(&data).unwrap(), auction);

    assert_eq!(
        disc(find(&idl["accounts"], "Backstop")),
        Backstop::DISCRIMINATOR
    );
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
    let mut data = vec![0u8; Backstop::LEN];
    backstop.write(&mut data).unwrap();
    let (v, n) = decode_struct(&idl, "Backstop", &data[8..]);
    assert_eq!(8 + n, Backstop::LEN);
    assert_eq!(v["warming"], 8);
    assert_eq!(v["params"]["buy_discount_bps"], 11);
    assert_eq!(v["params"]["warmup_secs"], 13);
    assert_eq!(v["bump"], 14);
    assert_eq!(Backstop::read(&data).unwrap(), backstop);

    assert_eq!(
        disc(find(&idl["accounts"], "BackstopDepositor")),
        BackstopDepositor::DISCRIMINATOR
    );
    let depositor = BackstopDepositor {
        backstop: [1u8; 32],
        owner: [2u8; 32],
        warming: 3,
        warm_at: -4,
        withdraw_shares: 5,
        withdraw_at: -6,
        bump: 7,
    };
    let mut data = vec![0u8; BackstopDepositor::LEN];
    depositor.write(&mut data).unwrap();
    let (v, n) = decode_struct(&idl, "BackstopDepositor", &data[8..]);
    assert_eq!(8 + n, BackstopDepositor::LEN);
    assert_eq!(v["warm_at"], -4);
    assert_eq!(v["withdraw_at"], -6);
    assert_eq!(v["bump"], 7);
    assert_eq!(BackstopDepositor::read(&data).unwrap(), depositor);
}

#[test]
fn withdrawal_request_layout_matches() {
    let idl = idl();
    assert_eq!(
        disc(find(&idl["accounts"], "WithdrawalRequest")),
        WithdrawalRequest::DISCRIMINATOR
    );
    let request = WithdrawalRequest {
        market: [1u8; 32],
        lp: [2u8; 32],
        shares: 3,
        value: 4,
        requested_ts: -5,
        claimable_ts: 6,
        bump: 7,
    };
    let mut data = vec![0u8; WithdrawalRequest::LEN];
    request.write(&mut data).unwrap();
    let (v, n) = decode_struct(&idl, "WithdrawalRequest", &data[8..]);
    assert_eq!(8 + n, WithdrawalRequest::LEN);
    assert_eq!(v["lp"], Value::from(vec![2u8; 32]));
    assert_eq!(
        (
            v["shares"].clone(),
            v["value"].clone(),
            v["requested_ts"].clone()
        ),
        (3.into(), 4.into(), (-5).into())
    );
    assert_eq!(
        (v["claimable_ts"].clone(), v["bump"].clone()),
        (6.into(), 7.into())
    );
    assert_eq!(WithdrawalRequest::read(&data).unwrap(), request);
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
    let v = check_event(
        &idl,
        "MarketCreated",
        &MarketCreated {
            market: [1u8; 32],
            collateral_mint: [2u8; 32],
            debt_mint: [3u8; 32],
            params: sample_params(),
        },
    );
    assert_eq!(v["params"]["tip"], 250);
    assert_eq!(v["params"]["curve"]["StairstepExp"]["step_secs"], 90);
    let v = check_event(
        &idl,
        "ConfigInitialized",
        &ConfigInitialized { admin: [3u8; 32] },
    );
    assert_eq!(v["admin"], Value::from(vec![3u8; 32]));
    let v = check_event(
        &idl,
        "StopChanged",
        &StopChanged {
            admin: [1u8; 32],
            previous: 1,
            stop: 3,
            unix_timestamp: -5,
        },
    );
    assert_eq!(
        (v["previous"].clone(), v["stop"].clone()),
        (1.into(), 3.into())
    );
    assert_eq!(v["unix_timestamp"], -5);
}

#[test]
fn program_id_matches() {
    let idl = idl();
    let id = idl["address"].as_str().unwrap();
    // The TS suite checks that the committed keypair under keys/ derives this same id.
    assert_eq!(five8_const::decode_32_const(id), gavel::ID);
}
