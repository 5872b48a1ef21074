//! The committed IDL (`idl/gavel.json`) must agree with the program: instruction names and
//! discriminators, account and event discriminators and Borsh layouts, error codes and messages.
//! Layouts are checked by encoding a value with the program's own writer and decoding it with the
//! IDL's type description.

use gavel::{
    error::GavelError,
    events::{ConfigInitialized, Event, StopChanged, EVENT_BUF_LEN},
    instructions,
    state::{discriminator, Config},
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

fn decode_struct(idl: &Value, name: &str, data: &[u8]) -> (Value, usize) {
    let def = find(&idl["types"], name);
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
    for (name, d) in instructions::ALL {
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
    // Codes are dense from 6000: appending keeps every existing code stable.
    for (i, e) in GavelError::ALL.iter().enumerate() {
        assert_eq!(e.code(), 6000 + i as u32);
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
    let mut buf = [0u8; EVENT_BUF_LEN];
    let len = event.encode(&mut buf);
    let (v, n) = decode_struct(idl, name, &buf[8..len]);
    assert_eq!(8 + n, len, "{name} encoded length");
    v
}

#[test]
fn events_match() {
    let idl = idl();
    assert_eq!(idl["events"].as_array().unwrap().len(), 2, "event count");
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
