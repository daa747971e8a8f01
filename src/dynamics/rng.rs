//! Seeded randomness: the same seed gives the same numbers natively and in wasm.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The explorer's random generator (ChaCha8: portable, stable across platforms and versions).
pub type Rng = ChaCha8Rng;

/// A generator for `seed`, split into independent `stream`s for different uses of one seed
/// (e.g. stream 0 for initial weights, stream 1 for data).
pub fn seeded(seed: u64, stream: u64) -> Rng {
    let mut r = ChaCha8Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// A standard normal sample (Box–Muller on the generator's uniforms).
pub fn normal(rng: &mut Rng) -> f64 {
    use rand_distr::{Distribution, StandardNormal};
    StandardNormal.sample(rng)
}

/// A uniform sample in `[lo, hi)`.
pub fn uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    use rand::Rng as _;
    lo + (hi - lo) * rng.random::<f64>()
}
