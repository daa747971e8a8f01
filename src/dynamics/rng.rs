//! Seeded randomness: the same seed gives the same numbers natively and in wasm.

use super::fm;

/// The explorer's random generator: ChaCha8, portable and stable across platforms. In wasm it
/// is our own block function ([`super::chacha`]), natively `rand_chacha`'s (which picks AVX2
/// at run time there); the two give the same stream, word for word (tested, and
/// `tests/browser/builds.test.mjs` compares both wasm builds with `lde` on every preset).
#[cfg(target_arch = "wasm32")]
pub type Rng = super::chacha::ChaCha8;
#[cfg(not(target_arch = "wasm32"))]
pub type Rng = rand_chacha::ChaCha8Rng;

/// A generator for `seed`, split into independent `stream`s for different uses of one seed
/// (e.g. stream 0 for initial weights, stream 1 for data).
#[cfg(target_arch = "wasm32")]
pub fn seeded(seed: u64, stream: u64) -> Rng {
    Rng::new(seed, stream)
}

/// A generator for `seed`, split into independent `stream`s for different uses of one seed
/// (e.g. stream 0 for initial weights, stream 1 for data).
#[cfg(not(target_arch = "wasm32"))]
pub fn seeded(seed: u64, stream: u64) -> Rng {
    use rand::SeedableRng;
    let mut r = Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}

/// Layers of the normal ziggurat (Marsaglia & Tsang 2000): 128, with the base layer's
/// right edge `R` and the common layer area `V` of their paper.
const LAYERS: usize = 128;
const R: f64 = 3.442_619_855_899;
const V: f64 = 9.912_563_035_262_17e-3;

/// Layer edges x₀ = V/f(R) (the base strip with its tail), x₁ = R, xᵢ₊₁ = f⁻¹(V/xᵢ + f(xᵢ)),
/// x₁₂₈ = 0, and fᵢ = f(xᵢ), for f(x) = exp(−x²/2). Computed once with [`fm`] functions, so
/// the table (and every sample) has the same bits on every target.
fn ziggurat() -> &'static ([f64; LAYERS + 1], [f64; LAYERS + 1]) {
    static TABLE: std::sync::OnceLock<([f64; LAYERS + 1], [f64; LAYERS + 1])> =
        std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let f = |x: f64| fm::exp(-0.5 * x * x);
        let mut x = [0.0; LAYERS + 1];
        x[0] = V / f(R);
        x[1] = R;
        for i in 1..LAYERS - 1 {
            x[i + 1] = (-2.0 * fm::ln(V / x[i] + f(x[i]))).sqrt();
        }
        x[LAYERS] = 0.0;
        let mut fx = [0.0; LAYERS + 1];
        for i in 0..=LAYERS {
            fx[i] = f(x[i]);
        }
        fx[LAYERS] = 1.0;
        (x, fx)
    })
}

/// A standard normal sample by the ziggurat method: one 64-bit draw gives the layer (low 7
/// bits) and a signed uniform u ∈ [−1, 1) (high 53 bits); z = u·xᵢ is accepted at once when
/// |z| < xᵢ₊₁ (about 99 % of draws), else by the wedge test f(xᵢ) + U·(fᵢ₊₁ − fᵢ) < f(z), or,
/// in the base layer, from the tail beyond R (Marsaglia's exponential method). The
/// functions are [`fm`]'s, so a seed gives the same samples natively and in wasm (the
/// platform libm that `rand_distr` would use differs between them in the last bits).
pub fn normal(rng: &mut Rng) -> f64 {
    use rand::RngCore;
    let (x, fx) = ziggurat();
    let unit = |rng: &mut Rng| (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
    loop {
        let bits = rng.next_u64();
        let i = (bits & (LAYERS as u64 - 1)) as usize;
        let u = 2.0 * ((bits >> 11) as f64 * (1.0 / (1u64 << 53) as f64)) - 1.0;
        let z = u * x[i];
        if z.abs() < x[i + 1] {
            return z;
        }
        if i == 0 {
            // the tail |z| > R: a = −ln(U₁)/R, b = −ln(U₂), accept when 2b > a²
            loop {
                let a = -fm::ln(1.0 - unit(rng)) / R;
                let b = -fm::ln(1.0 - unit(rng));
                if 2.0 * b > a * a {
                    return if u < 0.0 { -(R + a) } else { R + a };
                }
            }
        }
        if fx[i] + unit(rng) * (fx[i + 1] - fx[i]) < fm::exp(-0.5 * z * z) {
            return z;
        }
    }
}

/// A uniform sample in `[lo, hi)`.
pub fn uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    use rand::Rng as _;
    lo + (hi - lo) * rng.random::<f64>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_samples_have_the_normal_moments_and_tails() {
        let mut rng = seeded(11, 0);
        let n = 2_000_000;
        let (mut m1, mut m2, mut m4) = (0.0, 0.0, 0.0);
        let mut beyond = [0usize; 4]; // |z| > 1, 2, 3, R
        for _ in 0..n {
            let z = normal(&mut rng);
            m1 += z;
            m2 += z * z;
            m4 += z * z * z * z;
            for (k, t) in [1.0, 2.0, 3.0, R].iter().enumerate() {
                if z.abs() > *t {
                    beyond[k] += 1;
                }
            }
        }
        let nf = n as f64;
        let (mean, var, kurt) = (m1 / nf, m2 / nf, m4 / nf);
        assert!(mean.abs() < 3e-3, "mean {mean}");
        assert!((var - 1.0).abs() < 4e-3, "variance {var}");
        assert!((kurt - 3.0).abs() < 0.03, "fourth moment {kurt}");
        // P(|Z| > t) = erfc(t/√2): 0.3173, 0.04550, 0.002700, 0.0005761
        for (k, p) in [0.317_310_5, 0.045_500_26, 0.002_699_80, 0.000_576_1]
            .iter()
            .enumerate()
        {
            let got = beyond[k] as f64 / nf;
            let se = (p * (1.0 - p) / nf).sqrt();
            assert!(
                (got - p).abs() < 5.0 * se,
                "P(|z| > t{k}) = {got}, want {p}"
            );
        }
    }

    #[test]
    fn ziggurat_layers_close_at_the_top() {
        let (x, _) = ziggurat();
        // the recursion from R with area V reaches x ≈ 0 exactly at the last layer
        assert!(
            x[LAYERS - 1] > 0.0 && x[LAYERS - 1] < 0.3,
            "{}",
            x[LAYERS - 1]
        );
        assert!(x.windows(2).all(|w| w[0] > w[1]));
    }
}
