//! [`Bitmap`]: a set of 65,536 bits, the quick "no" in front of the
//! literal lookups (a line whose shape or first bytes no literal has is
//! passed over without a lookup).

/// 65,536 bits, indexed by a 16-bit key (two bytes, or [`Bitmap::key`], a
/// hash of a number); 8 KiB, so it stays in the CPU's first-level cache.
#[derive(Debug)]
pub(super) struct Bitmap(Box<[u64]>);

impl Default for Bitmap {
    fn default() -> Bitmap {
        Bitmap(vec![0; 1 << 10].into_boxed_slice())
    }
}

impl Bitmap {
    /// The bit for `packed` (a multiplicative hash of it).
    pub fn key(packed: u64) -> usize {
        (packed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
    }

    /// Sets bit `key`.
    pub fn set(&mut self, key: usize) {
        self.0[key / 64] |= 1 << (key % 64);
    }

    /// True when bit `key` is set.
    pub fn get(&self, key: usize) -> bool {
        self.0[key / 64] & (1 << (key % 64)) != 0
    }
}
