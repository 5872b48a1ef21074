//! What the math module's host tests share: reading a golden-vector file (`tests/vectors/*.json`,
//! computed by the `scripts/gen-*-vectors.py` generators with exact integers) and checking every
//! case of it against the Rust functions.

use serde_json::Value;
use std::collections::BTreeSet;

/// The parsed `tests/vectors/<file>.json`.
pub fn vectors(file: &str) -> Value {
    let path = format!(
        "{}/../../tests/vectors/{file}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

/// A u64 argument (decimal string).
pub fn u(v: &Value) -> u64 {
    v.as_str()
        .expect("u64 args are strings")
        .parse()
        .expect("u64")
}

/// A u64 result as the vector files encode it (a decimal string).
pub fn num(x: u64) -> Value {
    Value::String(x.to_string())
}

/// One golden-vector file and what it must hold.
pub struct Golden {
    /// `tests/vectors/<file>.json`.
    pub file: &'static str,
    /// Every key of the file but `_format`-like ones (`_…`), in the order they are checked.
    pub functions: &'static [&'static str],
    /// Each function has more cases than this.
    pub min_cases: usize,
    /// All functions together have more cases than this.
    pub min_total: usize,
}

impl Golden {
    /// Checks that the file names exactly `functions`, each with more than `min_cases` cases and
    /// more than `min_total` in all, and that `run(name, args)` gives every case's `expected`
    /// (lists up to 20 differences). Returns the parsed file for further checks.
    pub fn check(&self, run: impl Fn(&str, &[Value]) -> Value) -> Value {
        let v = vectors(self.file);
        let obj = v.as_object().expect("object");
        let keys: BTreeSet<&str> = obj
            .keys()
            .map(String::as_str)
            .filter(|k| !k.starts_with('_'))
            .collect();
        let want: BTreeSet<&str> = self.functions.iter().copied().collect();
        assert_eq!(keys, want, "{}: vector keys", self.file);
        let mut failures = Vec::new();
        let mut total = 0;
        for &name in self.functions {
            let cases = obj[name].as_array().expect("cases");
            assert!(
                cases.len() > self.min_cases,
                "{name}: only {} cases",
                cases.len()
            );
            for case in cases {
                let args = case["args"].as_array().expect("args");
                let got = run(name, args);
                if got != case["expected"] {
                    failures.push(format!(
                        "{name}{args:?}: got {got}, want {}",
                        case["expected"]
                    ));
                }
                total += 1;
            }
        }
        assert!(total > self.min_total, "{}: only {total} cases", self.file);
        assert!(
            failures.is_empty(),
            "{} of {total} cases differ:\n{}",
            failures.len(),
            failures[..failures.len().min(20)].join("\n")
        );
        v
    }
}
