//! Keyed hashing of author ids: the clear id never leaves the parser.

use serde::{Deserialize, Serialize};
use siphasher::sip128::{Hasher128, SipHasher24};
use std::hash::Hasher;

/// The keyed hash of an author id. Equal authors under one key hash equally, so distinct
/// authors can be counted, but the id cannot be read back without the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AuthorHash(pub u64);

/// Hashes author ids with a secret 128-bit key (SipHash-2-4, a keyed PRF).
#[derive(Clone)]
pub struct AuthorHasher {
    key: [u8; 16],
}

impl std::fmt::Debug for AuthorHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key is a secret: never print it.
        f.write_str("AuthorHasher { key: <secret> }")
    }
}

impl AuthorHasher {
    /// A hasher with this secret key.
    pub fn new(key: [u8; 16]) -> Self {
        AuthorHasher { key }
    }

    /// The keyed hash of `author`, scoped by `source` so that the same handle on two networks
    /// (who may be two different people) counts as two voices.
    pub fn hash(&self, source: &str, author: &str) -> AuthorHash {
        let mut hasher = SipHasher24::new_with_key(&self.key);
        hasher.write(source.as_bytes());
        hasher.write_u8(0xff);
        hasher.write(author.as_bytes());
        let h = hasher.finish128();
        // Zero is reserved for "no author".
        AuthorHash((h.h1 ^ h.h2).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_author_same_hash_other_key_other_hash() {
        let a = AuthorHasher::new([1; 16]);
        let b = AuthorHasher::new([2; 16]);
        assert_eq!(a.hash("m", "alice"), a.hash("m", "alice"));
        assert_ne!(a.hash("m", "alice"), a.hash("m", "bob"));
        assert_ne!(a.hash("m", "alice"), b.hash("m", "alice"));
        assert_ne!(a.hash("m", "alice"), a.hash("n", "alice"));
        assert!(!format!("{a:?}").contains('1'));
    }
}
