//! A read-only table from `u64` keys to small copyable values, for lookups made many times a
//! post: the learned models' feature rows (keyed by feature hash) and the gazetteer's names
//! of up to eight bytes (keyed by their packed bytes). The same answers as a hash map of the
//! same pairs, in fewer instructions: open addressing with linear probing over an array of the
//! keys alone (the values sit in another, read only on a hit), where a general hash map read
//! a group of control bytes and then the entry.
//!
//! This module owns only the table. What the keys mean belongs to its users; it is built once
//! and never changes.

/// The multiplier that spreads a key over the slots (an odd 64-bit constant with well-mixed
/// bits): the slot is the high bits of the product, which every bit of the key reaches.
const MIX: u64 = 0x9E37_79B9_7F4A_7C15;

/// `u64` keys to copyable values; see the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct U64Table<V> {
    /// The keys, at the slot [`U64Table::home`] picks or after it (wrapping); 0 marks an empty
    /// slot, so the value of the key 0 is kept apart in `zero`.
    keys: Box<[u64]>,
    /// The value of the key in the same slot of `keys`.
    values: Box<[V]>,
    /// How far to shift a product right to get a slot (64 minus the bits of the slot count).
    shift: u32,
    /// The value of the key 0, if the table has it.
    zero: Option<V>,
}

impl<V: Copy> U64Table<V> {
    /// The table of `pairs` (key, value). A key given twice keeps its last value, as inserting
    /// into a map would. At most half its slots are used, so that a lookup of a key the table
    /// lacks meets an empty slot soon.
    pub(crate) fn new(pairs: impl IntoIterator<Item = (u64, V)>) -> U64Table<V> {
        let pairs: Vec<(u64, V)> = pairs.into_iter().collect();
        let slots = (pairs.len() * 2).next_power_of_two().max(2);
        let mask = slots - 1;
        let mut table = U64Table {
            keys: vec![0; slots].into_boxed_slice(),
            // Any value fills the empty slots (never read: a lookup reads the value of a slot
            // whose key it found); a table without pairs has none to read at all.
            values: match pairs.first() {
                Some(&(_, filler)) => vec![filler; slots].into_boxed_slice(),
                None => Box::default(),
            },
            shift: 64 - slots.trailing_zeros(),
            zero: None,
        };
        for (key, value) in pairs {
            if key == 0 {
                table.zero = Some(value);
                continue;
            }
            let mut at = table.home(key);
            while table.keys[at] != 0 && table.keys[at] != key {
                at = (at + 1) & mask;
            }
            table.keys[at] = key;
            table.values[at] = value;
        }
        table
    }

    /// The first slot `key` may sit in.
    #[inline]
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(MIX) >> self.shift) as usize
    }

    /// The value of `key`, if the table has it.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<V> {
        if key == 0 {
            return self.zero;
        }
        let mask = self.keys.len() - 1;
        let mut at = self.home(key);
        loop {
            match self.keys[at] {
                k if k == key => return Some(self.values[at]),
                0 => return None,
                _ => at = (at + 1) & mask,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::U64Table;
    use proptest::prelude::*;

    proptest! {
        /// Every lookup answers as a hash map of the same pairs does: keys given and not,
        /// 0 among them, small keys (packed short words) and keys that differ only in their
        /// high bits, keys given twice (the last value kept).
        #[test]
        fn lookups_answer_as_a_map_of_the_same_pairs(
            pairs in proptest::collection::vec(
                (
                    prop_oneof![
                        any::<u64>(),
                        (0u64..8).prop_map(|low| low),
                        (0u64..8).prop_map(|high| high << 61),
                    ],
                    any::<u32>(),
                ),
                0..200,
            ),
            others in proptest::collection::vec(any::<u64>(), 0..50),
        ) {
            let map: std::collections::HashMap<u64, u32> = pairs.iter().copied().collect();
            let table = U64Table::new(pairs.iter().copied());
            for &key in pairs.iter().map(|(k, _)| k).chain(&others).chain(&[0, 1, u64::MAX]) {
                prop_assert_eq!(table.get(key), map.get(&key).copied());
            }
        }
    }

    #[test]
    fn an_empty_table_knows_nothing() {
        let table: U64Table<u32> = U64Table::new(std::iter::empty());
        assert_eq!(table.get(0), None);
        assert_eq!(table.get(42), None);
        assert_eq!(table.get(u64::MAX), None);
    }
}
