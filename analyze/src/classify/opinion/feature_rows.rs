//! The table a model finds its features' rows in: feature hash → row, read once per feature of
//! every post a model is asked about (forty-odd lookups a post, in two or three models).

/// Feature hash → row of the model's weights, as an open-addressing table with linear
/// probing over the hashes themselves. The hashes come out of a multiplication
/// (`opinion::combine`), so their high bits are already well mixed and pick the slot without
/// hashing again; a lookup reads a slot or two of one array (the rows sit in another, read
/// only on a hit), where a general hash map hashed the key, read a group of control bytes and
/// then the entry. Lookups give exactly what a map of the same pairs would.
#[derive(Debug, Clone)]
pub(super) struct FeatureRows {
    /// The hashes, at the slot their high bits pick or after it (wrapping); 0 marks an empty
    /// slot, so the feature whose hash is 0 is kept apart in `zero`.
    hashes: Box<[u64]>,
    /// The row of the hash in the same slot of `hashes`.
    rows: Box<[u32]>,
    /// How far to shift a hash right to get its slot (64 minus the bits of the slot count).
    shift: u32,
    /// The row of the feature whose hash is 0, if the model has one.
    zero: Option<u32>,
}

impl FeatureRows {
    /// The table of `pairs` (hash, row), hashes all different. At most half its slots are
    /// used, so that a lookup of a hash the model lacks meets an empty slot soon.
    pub(super) fn new(pairs: impl ExactSizeIterator<Item = (u64, u32)>) -> FeatureRows {
        let slots = (pairs.len() * 2).next_power_of_two().max(2);
        let shift = 64 - slots.trailing_zeros();
        let mut table = FeatureRows {
            hashes: vec![0; slots].into_boxed_slice(),
            rows: vec![0; slots].into_boxed_slice(),
            shift,
            zero: None,
        };
        let mask = slots - 1;
        for (hash, row) in pairs {
            if hash == 0 {
                table.zero = Some(row);
                continue;
            }
            let mut at = table.slot(hash);
            while table.hashes[at] != 0 {
                debug_assert_ne!(table.hashes[at], hash, "a hash given twice");
                at = (at + 1) & mask;
            }
            table.hashes[at] = hash;
            table.rows[at] = row;
        }
        table
    }

    /// The first slot `hash` may sit in.
    #[inline]
    fn slot(&self, hash: u64) -> usize {
        (hash >> self.shift) as usize
    }

    /// The row of the feature with hash `hash`, if the model knows it.
    #[inline]
    pub(super) fn get(&self, hash: u64) -> Option<u32> {
        if hash == 0 {
            return self.zero;
        }
        let mask = self.hashes.len() - 1;
        let mut at = self.slot(hash);
        loop {
            match self.hashes[at] {
                h if h == hash => return Some(self.rows[at]),
                0 => return None,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::FeatureRows;
    use proptest::prelude::*;

    proptest! {
        /// Every lookup answers as a hash map of the same pairs does: hashes given and not,
        /// 0 among them, and hashes that share their high bits (the same first slot).
        #[test]
        fn lookups_answer_as_a_map_of_the_same_pairs(
            hashes in proptest::collection::hash_set(
                prop_oneof![any::<u64>(), (0u64..8).prop_map(|low| low), (0u64..8).prop_map(|low| (7u64 << 61) | low)],
                0..200,
            ),
            others in proptest::collection::vec(any::<u64>(), 0..50),
        ) {
            let pairs: Vec<(u64, u32)> = hashes.iter().copied().zip(0u32..).collect();
            let map: std::collections::HashMap<u64, u32> = pairs.iter().copied().collect();
            let table = FeatureRows::new(pairs.iter().copied());
            for &h in hashes.iter().chain(&others).chain(&[0, u64::MAX, 1]) {
                prop_assert_eq!(table.get(h), map.get(&h).copied());
            }
        }
    }

    #[test]
    fn an_empty_table_knows_nothing() {
        let table = FeatureRows::new(std::iter::empty());
        assert_eq!(table.get(0), None);
        assert_eq!(table.get(42), None);
        assert_eq!(table.get(u64::MAX), None);
    }
}
