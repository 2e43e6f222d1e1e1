//! A few-bit summary of a token (its length and first and last bytes) for the bit filters in
//! front of the matchers' hash tables: equal tokens have equal sketches, so a clear bit means
//! the token cannot be there and the lookup is skipped. Owns only [`token_sketch`].

/// The top `bits` bits (1 to 32) of a mix of the token's length and first and last bytes.
pub(crate) fn token_sketch(token: &str, bits: u32) -> u32 {
    debug_assert!((1..=32).contains(&bits));
    let b = token.as_bytes();
    let first = b.first().copied().unwrap_or(0) as u32;
    let last = b.last().copied().unwrap_or(0) as u32;
    let mixed = (b.len() as u32)
        .wrapping_mul(0x9E37_79B9)
        .wrapping_add(first.wrapping_mul(0x85EB_CA6B))
        .wrapping_add(last.wrapping_mul(0xC2B2_AE35));
    mixed >> (32 - bits)
}
