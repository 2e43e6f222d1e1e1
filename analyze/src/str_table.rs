//! A read-only table from byte strings to small values, for the lookups made for every token of
//! every post (the phrase index of each lexicon and of the platform aliases): the same answers
//! as a `HashMap<Box<str>, V>`, in fewer instructions. Keys are kept in one byte buffer; a
//! lookup hashes the key with a few wide reads (no `memcpy` of the tail), probes an
//! open-addressed slot list that stores each key's full hash, and compares the bytes of a slot
//! whose hash and length agree with wide reads too (no `memcmp` call).
//!
//! This module owns only the table. What the keys mean belongs to its users; it is built once
//! at start-up and never changes.

/// Multipliers of the hash (odd 64-bit constants with well-mixed bits).
const MIX_A: u64 = 0x9E37_79B9_7F4A_7C15;
const MIX_B: u64 = 0xD6E8_FEB8_6659_FD93;

/// `start` of a slot that holds no key.
const EMPTY: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Slot<V> {
    hash: u64,
    start: u32,
    len: u32,
    value: V,
}

/// Byte-string keys to copyable values; see the module documentation.
#[derive(Debug, Clone)]
pub(crate) struct StrTable<V> {
    slots: Box<[Slot<V>]>,
    bytes: Box<[u8]>,
    /// `slots.len() - 1` (a power of two less one).
    mask: usize,
    len: usize,
}

impl<V: Copy + Default> Default for StrTable<V> {
    fn default() -> Self {
        StrTable::new(std::iter::empty::<(&str, V)>())
    }
}

impl<V: Copy + Default> StrTable<V> {
    /// The table of `entries`. A key given twice keeps its last value, as inserting into a
    /// map would. Keys longer than `u32::MAX` bytes cannot occur in our data files (which are
    /// compiled in or read into memory whole) and are not supported.
    pub fn new<K: AsRef<str>>(entries: impl IntoIterator<Item = (K, V)>) -> StrTable<V> {
        let entries: Vec<(K, V)> = entries.into_iter().collect();
        // At most a quarter full, so that most probes end at the first slot: at half full the
        // second probes and their mispredicted branches cost more than the larger table
        // (docs/PERFORMANCE.md, "Classification speed, eleventh session").
        let capacity = (entries.len() * 4).next_power_of_two().max(8);
        let empty = Slot {
            hash: 0,
            start: EMPTY,
            len: 0,
            value: V::default(),
        };
        let mut table = StrTable {
            slots: vec![empty; capacity].into_boxed_slice(),
            bytes: Box::default(),
            mask: capacity - 1,
            len: 0,
        };
        let mut bytes: Vec<u8> = Vec::new();
        for (key, value) in &entries {
            let key = key.as_ref().as_bytes();
            let hash = hash(key);
            let mut at = table.home(hash);
            loop {
                let slot = &mut table.slots[at];
                if slot.start == EMPTY {
                    *slot = Slot {
                        hash,
                        start: bytes.len() as u32,
                        len: key.len() as u32,
                        value: *value,
                    };
                    bytes.extend_from_slice(key);
                    table.len += 1;
                    break;
                }
                let (start, len) = (slot.start as usize, slot.len as usize);
                if slot.hash == hash && bytes[start..start + len] == *key {
                    slot.value = *value;
                    break;
                }
                at = (at + 1) & table.mask;
            }
        }
        table.bytes = bytes.into_boxed_slice();
        table
    }
}

impl<V: Copy> StrTable<V> {
    /// The slot where the probe for `hash` starts.
    #[inline]
    fn home(&self, hash: u64) -> usize {
        // The high bits of a last multiplication are the best mixed.
        (hash.wrapping_mul(MIX_B) >> 32) as usize & self.mask
    }

    /// The value of `key`, if it is in the table. Inlined into its few callers: the call's
    /// register saving cost a third as much as the lookup itself.
    #[inline(always)]
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        let hash = hash(key);
        let mut at = self.home(hash);
        loop {
            let slot = &self.slots[at];
            if slot.start == EMPTY {
                return None;
            }
            if slot.hash == hash && slot.len as usize == key.len() {
                let start = slot.start as usize;
                if let Some(stored) = self.bytes.get(start..start + key.len())
                    && same_bytes(stored, key)
                {
                    return Some(&slot.value);
                }
            }
            at = (at + 1) & self.mask;
        }
    }

    /// How many keys the table holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }
}

/// String keys to string values, each with a small payload `P`, filled as it goes: the
/// per-thread stem cache, looked up for every word of every stemmed stream, whose payload is
/// what the lexicon's phrase index knows of the stem (so that the stream's first lookups need
/// no second table). Keys and values are kept one after the other in one `String`; slots hold
/// the full hash, so growing never rehashes a key.
#[derive(Debug, Clone, Default)]
pub(crate) struct StrCache<P: Copy + Default = ()> {
    slots: Vec<CacheSlot<P>>,
    text: String,
    len: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct CacheSlot<P> {
    hash: u64,
    /// Where the key starts in `text` ([`EMPTY`] for a free slot); its value follows it.
    start: u32,
    key_len: u32,
    value_len: u32,
    payload: P,
}

impl<P: Copy + Default> CacheSlot<P> {
    fn free() -> CacheSlot<P> {
        CacheSlot {
            hash: 0,
            start: EMPTY,
            key_len: 0,
            value_len: 0,
            payload: P::default(),
        }
    }
}

impl<P: Copy + Default> StrCache<P> {
    /// The slot where the probe for `hash` starts (`slots` is not empty).
    #[inline]
    fn home(&self, hash: u64) -> usize {
        (hash.wrapping_mul(MIX_B) >> 32) as usize & (self.slots.len() - 1)
    }

    /// The value stored for `key`.
    #[cfg(test)]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.get_with(key).map(|(value, _)| value)
    }

    /// The value and the payload stored for `key`.
    #[inline(always)]
    pub fn get_with(&self, key: &str) -> Option<(&str, P)> {
        if self.slots.is_empty() {
            return None;
        }
        let key_bytes = key.as_bytes();
        let hash = hash(key_bytes);
        let mask = self.slots.len() - 1;
        let mut at = self.home(hash);
        loop {
            let slot = &self.slots[at];
            if slot.start == EMPTY {
                return None;
            }
            if slot.hash == hash && slot.key_len as usize == key_bytes.len() {
                let start = slot.start as usize;
                let value_start = start + key_bytes.len();
                if let Some(stored) = self.text.as_bytes().get(start..value_start)
                    && same_bytes(stored, key_bytes)
                {
                    return self
                        .text
                        .get(value_start..value_start + slot.value_len as usize)
                        .map(|value| (value, slot.payload));
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Stores `value` for `key`, which the caller found missing with [`StrCache::get`]. A
    /// cache whose text would pass 4 GiB starts over rather than store offsets that overflow.
    #[cfg(test)]
    pub fn insert(&mut self, key: &str, value: &str) {
        self.insert_with(key, value, P::default());
    }

    /// [`StrCache::insert`] with a payload.
    pub fn insert_with(&mut self, key: &str, value: &str, payload: P) {
        if self.text.len() + key.len() + value.len() > u32::MAX as usize {
            self.clear();
        }
        // At most half full, so that a miss ends after a probe or two.
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let hash = hash(key.as_bytes());
        let mask = self.slots.len() - 1;
        let mut at = self.home(hash);
        while self.slots[at].start != EMPTY {
            at = (at + 1) & mask;
        }
        self.slots[at] = CacheSlot {
            hash,
            start: self.text.len() as u32,
            key_len: key.len() as u32,
            value_len: value.len() as u32,
            payload,
        };
        self.text.push_str(key);
        self.text.push_str(value);
        self.len += 1;
    }

    /// Twice the slots (64 at first), every stored key placed again by its kept hash.
    fn grow(&mut self) {
        let capacity = (self.slots.len() * 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![CacheSlot::free(); capacity]);
        let mask = capacity - 1;
        for slot in old.into_iter().filter(|s| s.start != EMPTY) {
            let mut at = self.home(slot.hash);
            while self.slots[at].start != EMPTY {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }

    /// How many keys are stored.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Forgets every key, keeping the memory.
    pub fn clear(&mut self) {
        self.slots.fill(CacheSlot::free());
        self.text.clear();
        self.len = 0;
    }
}

/// The little-endian `u64` at `at` (the caller checks that 8 bytes are there).
#[inline]
fn read_u64(b: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(word)
}

/// The little-endian `u32` at `at` (the caller checks that 4 bytes are there).
#[inline]
fn read_u32(b: &[u8], at: usize) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(&b[at..at + 4]);
    u32::from_le_bytes(word)
}

/// A 64-bit hash of `b`: whole 8-byte words, then the tail read as one word that overlaps
/// the last whole one (or, below 8 bytes, as two overlapping halves or three single bytes),
/// so no byte-by-byte loop or copy is needed. The length is mixed in, so keys that differ
/// only by the overlap hash apart.
#[inline]
fn hash(b: &[u8]) -> u64 {
    let len = b.len();
    let mut h = (len as u64).wrapping_mul(MIX_A);
    let tail = if len >= 8 {
        let mut at = 0;
        while at + 8 < len {
            h = (h ^ read_u64(b, at)).wrapping_mul(MIX_A).rotate_left(29);
            at += 8;
        }
        read_u64(b, len - 8)
    } else if len >= 4 {
        u64::from(read_u32(b, 0)) | u64::from(read_u32(b, len - 4)) << 32
    } else if len > 0 {
        u64::from(b[0]) | u64::from(b[len / 2]) << 8 | u64::from(b[len - 1]) << 16
    } else {
        0
    };
    (h ^ tail).wrapping_mul(MIX_B).rotate_left(31) ^ h
}

/// Whether two byte strings of the same length are equal, compared a word at a time with the
/// same overlapping reads as [`hash`].
#[inline]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let len = a.len();
    if len != b.len() {
        return false;
    }
    if len >= 8 {
        let mut at = 0;
        while at + 8 < len {
            if read_u64(a, at) != read_u64(b, at) {
                return false;
            }
            at += 8;
        }
        read_u64(a, len - 8) == read_u64(b, len - 8)
    } else if len >= 4 {
        read_u32(a, 0) == read_u32(b, 0) && read_u32(a, len - 4) == read_u32(b, len - 4)
    } else {
        // Not `a == b`, which calls `memcmp`.
        a.iter().zip(b).all(|(x, y)| x == y)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Strings of every length from 0 to 40 over a small alphabet (so that many share
    /// prefixes, suffixes and lengths), multi-byte characters included.
    fn words(count: usize, seed: u64) -> Vec<String> {
        const PIECES: &[&str] = &["a", "b", "ab", " ", "é", "ы", "の", "z", "0", "tok", "😭"];
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        (0..count)
            .map(|_| {
                let target = (next() % 41) as usize;
                let mut w = String::new();
                while w.len() < target {
                    w.push_str(PIECES[(next() >> 7) as usize % PIECES.len()]);
                }
                w
            })
            .collect()
    }

    #[test]
    fn answers_as_a_hash_map() {
        let keys = words(3_000, 11);
        let entries: Vec<(&str, u32)> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i as u32))
            .collect();
        let map: HashMap<&str, u32> = entries.iter().copied().collect();
        let table = StrTable::new(entries.iter().copied());
        assert_eq!(table.len(), map.len());
        let mut found = 0;
        for probe in keys.iter().chain(words(20_000, 12).iter()) {
            let expected = map.get(probe.as_str()).copied();
            assert_eq!(table.get(probe.as_bytes()).copied(), expected, "{probe:?}");
            found += usize::from(expected.is_some());
        }
        assert!(found >= keys.len(), "every key is found");
        assert!(found > keys.len(), "some random probes are keys too");
    }

    #[test]
    fn cache_answers_as_a_hash_map_while_it_grows_and_after_clearing() {
        let keys = words(5_000, 21);
        let mut cache: StrCache = StrCache::default();
        let mut map: HashMap<String, String> = HashMap::new();
        assert_eq!(cache.get("anything"), None);
        for round in 0..2 {
            for (i, k) in keys.iter().enumerate() {
                let value = format!("{}{i}", k.chars().take(3).collect::<String>());
                if cache.get(k).is_none() {
                    cache.insert(k, &value);
                    map.insert(k.clone(), value);
                }
                assert_eq!(cache.get(k), map.get(k).map(String::as_str), "{k:?}");
            }
            assert_eq!(cache.len(), map.len());
            for probe in keys.iter().chain(words(5_000, 22 + round).iter()) {
                assert_eq!(
                    cache.get(probe),
                    map.get(probe).map(String::as_str),
                    "{probe:?}"
                );
            }
            cache.clear();
            map.clear();
            assert_eq!(cache.get(&keys[0]), None);
        }
    }

    #[test]
    fn last_value_of_a_repeated_key_wins_and_empty_tables_answer_nothing() {
        let table = StrTable::new([("down", 1u32), ("up", 2), ("down", 3)]);
        assert_eq!(table.len(), 2);
        assert_eq!(table.get(b"down"), Some(&3));
        assert_eq!(table.get(b"up"), Some(&2));
        assert_eq!(table.get(b"dow"), None);
        let empty: StrTable<u32> = StrTable::default();
        assert_eq!(empty.get(b""), None);
        assert_eq!(empty.get(b"down"), None);
    }

    #[test]
    fn equal_lengths_and_overlaps_are_told_apart() {
        // Keys that agree on the bytes the overlapping reads see twice.
        let keys = [
            "abcdefghi",
            "abcdefghj",
            "abcdefgh",
            "xbcdefghi",
            "abcd",
            "abce",
            "ab",
        ];
        let table = StrTable::new(keys.iter().enumerate().map(|(i, k)| (*k, i)));
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(table.get(k.as_bytes()), Some(&i));
        }
        assert_eq!(table.get(b"abcdefghk"), None);
        assert_eq!(table.get(b"abc"), None);
        assert_eq!(table.get(b"a"), None);
    }
}
