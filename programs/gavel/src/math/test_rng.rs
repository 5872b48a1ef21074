//! splitmix64: the small deterministic generator (no extra dev-dependency) of the seeded property
//! tests, shared by the math module's host tests and `tests/math_props.rs` (which includes this
//! file by path). Each test file adds the value shapes it draws (ranges, bit lengths, edge cases).

pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
