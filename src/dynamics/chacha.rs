//! The explorer's random generator: ChaCha with 8 rounds, the stream `rand_chacha`'s
//! `ChaCha8Rng` gives for the same seed and stream, word for word (tested against it below).
//!
//! Why our own: on wasm32 `rand_chacha`'s block function is its portable scalar fallback (its
//! SIMD back end, `ppv-lite86`, knows x86 only), and refilling the buffer took a fifth of an
//! e-prop iteration's wasm time against 4 % natively. Here four blocks are computed side by
//! side, one lane per block: one `v128` per state word in the SIMD128 build, `[u32; 4]`
//! elsewhere (the scalar wasm build, and the native tests; natively the explorer keeps
//! `rand_chacha`, whose AVX2 path is faster than these lanes). Integer arithmetic gives the
//! same bits on every target. The buffering around the blocks is `rand_core`'s [`BlockRng`],
//! as in `rand_chacha`.
//!
//! Block layout (Bernstein's original ChaCha): the constants "expand 32-byte k", the 256-bit
//! key (the seed's bytes, little-endian words), a 64-bit block counter (words 12–13) and a
//! 64-bit stream number (words 14–15). One refill is four consecutive blocks, 64 words.

use rand::rand_core::block::{BlockRng, BlockRngCore};
use rand::rand_core::{RngCore, SeedableRng};

/// Rounds of ChaCha8: four double rounds.
const DOUBLE_ROUNDS: usize = 4;
const CONSTANTS: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// Four blocks of output.
#[derive(Clone, Debug)]
pub struct Words(pub [u32; 64]);

impl Default for Words {
    fn default() -> Self {
        Words([0; 64])
    }
}

impl AsRef<[u32]> for Words {
    fn as_ref(&self) -> &[u32] {
        &self.0
    }
}

impl AsMut<[u32]> for Words {
    fn as_mut(&mut self) -> &mut [u32] {
        &mut self.0
    }
}

/// The block function's state: key, next block number, stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Core {
    key: [u32; 8],
    block: u64,
    stream: u64,
}

/// One state word of the four blocks.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
type Lanes = [u32; 4];

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn add(a: &mut Lanes, b: &Lanes) {
    for l in 0..4 {
        a[l] = a[l].wrapping_add(b[l]);
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn xor_rotate(d: &mut Lanes, a: &Lanes, r: u32) {
    for l in 0..4 {
        d[l] = (d[l] ^ a[l]).rotate_left(r);
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn lanes(v: [u32; 4]) -> Lanes {
    v
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn unlanes(v: Lanes) -> [u32; 4] {
    v
}

// The SIMD128 build: the compiler did not vectorise the loops above for wasm32, so the lanes
// are one v128 (the same wrapping adds, xors and rotations, lane by lane).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
type Lanes = core::arch::wasm32::v128;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn add(a: &mut Lanes, b: &Lanes) {
    *a = core::arch::wasm32::u32x4_add(*a, *b);
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn xor_rotate(d: &mut Lanes, a: &Lanes, r: u32) {
    use core::arch::wasm32::{i8x16_shuffle, u32x4_shl, u32x4_shr, v128_or, v128_xor};
    let x = v128_xor(*d, *a);
    // rotations by whole bytes are byte shuffles within each (little-endian) lane
    *d = match r {
        16 => i8x16_shuffle::<2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13>(x, x),
        8 => i8x16_shuffle::<3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14>(x, x),
        _ => v128_or(u32x4_shl(x, r), u32x4_shr(x, 32 - r)),
    };
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn lanes(v: [u32; 4]) -> Lanes {
    core::arch::wasm32::u32x4(v[0], v[1], v[2], v[3])
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn unlanes(v: Lanes) -> [u32; 4] {
    use core::arch::wasm32::u32x4_extract_lane;
    [
        u32x4_extract_lane::<0>(v),
        u32x4_extract_lane::<1>(v),
        u32x4_extract_lane::<2>(v),
        u32x4_extract_lane::<3>(v),
    ]
}

/// The quarter round on words a, b, c, d of all four blocks:
/// a += b; d ^= a; d <<<= 16; c += d; b ^= c; b <<<= 12; a += b; d ^= a; d <<<= 8;
/// c += d; b ^= c; b <<<= 7.
#[inline(always)]
fn quarter(x: &mut [Lanes; 16], a: usize, b: usize, c: usize, d: usize) {
    let (mut va, mut vb, mut vc, mut vd) = (x[a], x[b], x[c], x[d]);
    add(&mut va, &vb);
    xor_rotate(&mut vd, &va, 16);
    add(&mut vc, &vd);
    xor_rotate(&mut vb, &vc, 12);
    add(&mut va, &vb);
    xor_rotate(&mut vd, &va, 8);
    add(&mut vc, &vd);
    xor_rotate(&mut vb, &vc, 7);
    (x[a], x[b], x[c], x[d]) = (va, vb, vc, vd);
}

/// One double round: the quarter round on the columns, then on the diagonals.
#[inline(always)]
fn double_round(x: &mut [Lanes; 16]) {
    quarter(x, 0, 4, 8, 12);
    quarter(x, 1, 5, 9, 13);
    quarter(x, 2, 6, 10, 14);
    quarter(x, 3, 7, 11, 15);
    quarter(x, 0, 5, 10, 15);
    quarter(x, 1, 6, 11, 12);
    quarter(x, 2, 7, 8, 13);
    quarter(x, 3, 4, 9, 14);
}

impl Core {
    /// Blocks `block … block + 3` into `out`, block after block.
    fn four_blocks(&self, out: &mut [u32; 64]) {
        let mut words = [[0u32; 4]; 16];
        for l in 0..4 {
            let n = self.block.wrapping_add(l as u64);
            words[..4]
                .iter_mut()
                .zip(CONSTANTS)
                .for_each(|(w, c)| w[l] = c);
            words[4..12]
                .iter_mut()
                .zip(self.key)
                .for_each(|(w, k)| w[l] = k);
            words[12][l] = n as u32;
            words[13][l] = (n >> 32) as u32;
            words[14][l] = self.stream as u32;
            words[15][l] = (self.stream >> 32) as u32;
        }
        let input = words.map(lanes);
        let mut x = input;
        for _ in 0..DOUBLE_ROUNDS {
            double_round(&mut x);
        }
        for (w, (xw, iw)) in x.iter_mut().zip(&input).enumerate() {
            add(xw, iw);
            for (l, v) in unlanes(*xw).into_iter().enumerate() {
                out[16 * l + w] = v;
            }
        }
    }
}

impl BlockRngCore for Core {
    type Item = u32;
    type Results = Words;

    fn generate(&mut self, results: &mut Words) {
        self.four_blocks(&mut results.0);
        self.block = self.block.wrapping_add(4);
    }
}

impl SeedableRng for Core {
    type Seed = [u8; 32];

    fn from_seed(seed: [u8; 32]) -> Core {
        let mut key = [0u32; 8];
        for (k, b) in key.iter_mut().zip(seed.chunks_exact(4)) {
            *k = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        Core {
            key,
            block: 0,
            stream: 0,
        }
    }
}

/// ChaCha8 as a random number generator.
#[derive(Clone, Debug)]
pub struct ChaCha8(BlockRng<Core>);

impl ChaCha8 {
    /// The generator `rand_chacha::ChaCha8Rng::seed_from_u64(seed)` with `set_stream(stream)`
    /// gives (the seed expanded by `rand_core`'s PCG32, as there).
    pub fn new(seed: u64, stream: u64) -> ChaCha8 {
        let mut core = Core::seed_from_u64(seed);
        core.stream = stream;
        ChaCha8(BlockRng::new(core))
    }
}

impl RngCore for ChaCha8 {
    #[inline]
    fn next_u32(&mut self) -> u32 {
        self.0.next_u32()
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    #[inline]
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        self.0.fill_bytes(dest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;
    use rand_chacha::ChaCha8Rng;

    fn theirs(seed: u64, stream: u64) -> ChaCha8Rng {
        let mut r = ChaCha8Rng::seed_from_u64(seed);
        r.set_stream(stream);
        r
    }

    #[test]
    fn the_same_stream_as_rand_chacha() {
        for seed in [0, 1, 7, 12345, u64::MAX] {
            for stream in [0, 1, 2, 5, 1 << 40, u64::MAX] {
                let (mut a, mut b) = (ChaCha8::new(seed, stream), theirs(seed, stream));
                // a mix of widths, so that 64-bit draws straddle the 64-word buffer's end
                for i in 0..3000u32 {
                    match i % 7 {
                        0 | 3 => assert_eq!(a.next_u32(), b.next_u32()),
                        5 => {
                            let (mut x, mut y) = ([0u8; 13], [0u8; 13]);
                            a.fill_bytes(&mut x);
                            b.fill_bytes(&mut y);
                            assert_eq!(x, y);
                        }
                        _ => assert_eq!(
                            a.next_u64(),
                            b.next_u64(),
                            "seed {seed} stream {stream} draw {i}"
                        ),
                    }
                }
                assert_eq!(a.random::<f64>().to_bits(), b.random::<f64>().to_bits());
                assert_eq!(a.random_range(0..1000u32), b.random_range(0..1000u32));
            }
        }
    }

    #[test]
    fn rfc_7539_style_block_with_a_64_bit_counter() {
        // an independent check of the block function: the ChaCha20 keystream of Bernstein's
        // reference test vector (all-zero key and nonce), block 0, whose first words are
        // 0xade0b876, 0x903df1a0 — run with 10 double rounds instead of 4
        let core = Core::from_seed([0; 32]);
        let mut input = [0u32; 16];
        input[..4].copy_from_slice(&CONSTANTS);
        let mut x = input.map(|v| lanes([v; 4]));
        let start = x;
        for _ in 0..10 {
            double_round(&mut x);
        }
        let w0 = unlanes(x[0])[0].wrapping_add(unlanes(start[0])[0]);
        let w1 = unlanes(x[1])[0].wrapping_add(unlanes(start[1])[0]);
        assert_eq!((w0, w1), (0xade0_b876, 0x903d_f1a0));
        assert_eq!(core.block, 0);
    }
}
