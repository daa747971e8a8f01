//! Float math that gives the same bits on every target. `f64::exp`, `ln`, `sin`, … call the
//! platform's math library (glibc natively, Rust's libm port in wasm), whose last bits differ;
//! these functions are written here in plain arithmetic (`exp`, `tanh`: the hot ones) or call
//! the `libm` crate everywhere, so a link gives the same numbers in the browser and in `lde`.
//! Arithmetic and `sqrt` are exact IEEE operations and need no wrapper. Clippy forbids the std
//! methods in the core (clippy.toml).

pub mod lanes;

/// ln 2 split into a head with trailing zeros (so `k·LN2_HI` is exact for |k| < 2¹¹) and a tail.
const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);

/// 1.5·2⁵²: adding and subtracting it rounds a double below 2⁵¹ in magnitude to the nearest
/// integer, ties to even (the default rounding mode), in two additions that vectorise.
const SHIFT: f64 = 6_755_399_441_055_744.0;

/// The integer-valued double `k` (|k| < 2⁵¹) as an i64, from the bits of `k + SHIFT`.
#[inline(always)]
fn int_of(k: f64) -> i64 {
    (k + SHIFT).to_bits() as i64 - SHIFT.to_bits() as i64
}

/// 2ᵏ for an integer-valued `k` in the normal range [−1022, 1023], from its exponent bits.
#[inline(always)]
fn pow2(k: f64) -> f64 {
    f64::from_bits(((int_of(k) + 1023) << 52) as u64)
}

/// The Taylor coefficients 1/n! of [`exp`]'s series, n = 0…12.
const EXP_C: [f64; 13] = [
    1.0,
    1.0,
    1.0 / 2.0,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5040.0,
    1.0 / 40320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
];
/// Above this, eˣ overflows; below [`EXP_LO`] it underflows to 0.
const EXP_HI: f64 = 709.782_712_893_384;
const EXP_LO: f64 = -745.133_219_101_941_2;

/// eˣ: `x = k ln2 + r` with |r| ≤ ln2/2, `eʳ` by its Taylor series to r¹² (remainder below
/// 2·10⁻¹⁶ relative) in Estrin's scheme, then `2ᵏ` from the exponent bits in two factors
/// `2^⌊k/2⌉ · 2^(k−⌊k/2⌉)` (so subnormal results and e⁷⁰⁹ are right; where p·2ᵏ is normal
/// both products are exact). About an ulp, no table, no division (within 3 ulps of glibc's
/// over the whole range, tested). Branch-free (the ends of the range are selects), so loops
/// over arrays vectorise, and a SIMD lane gives the bits of the scalar call.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    const C: [f64; 13] = EXP_C;
    const HI: f64 = EXP_HI;
    const LO: f64 = EXP_LO;
    // NaN passes through the clamp (and through every step below)
    let xc = x.clamp(-746.0, 710.0);
    let k = (xc * std::f64::consts::LOG2_E + SHIFT) - SHIFT;
    let r = (xc - k * LN2_HI) - k * LN2_LO;
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let q0 = (C[0] + C[1] * r) + (C[2] + C[3] * r) * r2;
    let q1 = (C[4] + C[5] * r) + (C[6] + C[7] * r) * r2;
    let q2 = (C[8] + C[9] * r) + (C[10] + C[11] * r) * r2;
    let p = (q0 + q1 * r4) + (q2 + C[12] * r4) * r8;
    let kh = (k * 0.5 + SHIFT) - SHIFT;
    let y = p * pow2(kh) * pow2(k - kh);
    if x > HI {
        f64::INFINITY
    } else if x < LO {
        0.0
    } else {
        y
    }
}
/// ln x.
#[inline]
pub fn ln(x: f64) -> f64 {
    libm::log(x)
}
/// log₁₀ x.
#[inline]
pub fn log10(x: f64) -> f64 {
    libm::log10(x)
}
/// xʸ.
#[inline]
pub fn powf(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}
/// xⁿ by repeated squaring (the same operations on every target).
#[inline]
pub fn powi(x: f64, n: i32) -> f64 {
    let mut base = x;
    let mut e = n.unsigned_abs();
    let mut r = 1.0;
    while e > 0 {
        if e & 1 == 1 {
            r *= base;
        }
        e >>= 1;
        if e > 0 {
            base *= base;
        }
    }
    if n < 0 {
        1.0 / r
    } else {
        r
    }
}
/// sin x.
#[inline]
pub fn sin(x: f64) -> f64 {
    libm::sin(x)
}
/// cos x.
#[inline]
pub fn cos(x: f64) -> f64 {
    libm::cos(x)
}
/// tanh x: `x(1 − (x²/3)(1 − 2x²/5))` for |x| < 0.01 (error below 6·10⁻¹⁶), `1 − 2/(e²ˣ + 1)`
/// up to |x| = 19 (absolute error about 10⁻¹⁶), ±1 beyond. Relative error below 10⁻¹³.
/// Branch-free (all three are computed and one selected), so array loops vectorise.
#[inline(always)]
pub fn tanh(x: f64) -> f64 {
    let a = x.abs();
    let x2 = x * x;
    let small = x * (1.0 - x2 / 3.0 * (1.0 - 0.4 * x2));
    let mid = 1.0 - 2.0 / (exp(2.0 * x) + 1.0);
    let r = if a < 0.01 { small } else { mid };
    if a >= 19.0 {
        1.0f64.copysign(x)
    } else {
        r
    }
}
/// √(x² + y²) without overflow.
#[inline]
pub fn hypot(x: f64, y: f64) -> f64 {
    libm::hypot(x, y)
}
/// arccos x.
#[inline]
pub fn acos(x: f64) -> f64 {
    libm::acos(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn exp_is_within_an_ulp_or_two_over_the_whole_range() {
        for i in 0..=200_000 {
            let x = -745.0 + 1454.7 * i as f64 / 200_000.0;
            let (got, want) = (exp(x), x.exp());
            let ulp = want.abs().max(f64::MIN_POSITIVE) * f64::EPSILON;
            assert!(
                (got - want).abs() <= 3.0 * ulp,
                "exp({x}) = {got}, std {want}"
            );
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(-800.0), 0.0);
        assert_eq!(exp(710.0), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
        assert!(exp(-740.0) > 0.0, "subnormal results");
        for i in 0..20_000 {
            let x = -25.0 + 50.0 * i as f64 / 19_999.0;
            let (got, want) = (tanh(x), x.tanh());
            assert!(
                (got - want).abs() <= 1e-13 * want.abs().max(1e-300),
                "tanh({x})"
            );
        }
    }

    #[test]
    #[allow(clippy::disallowed_methods)]
    fn agrees_with_std_to_an_ulp_or_two() {
        let close = |a: f64, b: f64| (a - b).abs() <= 4.0 * f64::EPSILON * a.abs().max(b.abs());
        for i in 0..2000 {
            let x = -20.0 + 40.0 * i as f64 / 1999.0;
            assert!(close(exp(x), x.exp()), "exp {x}");
            assert!(
                close(sin(x), x.sin()) || (sin(x) - x.sin()).abs() < 1e-15,
                "sin {x}"
            );
            let y = 1e-3 + i as f64;
            assert!(close(ln(y), y.ln()), "ln {y}");
            assert!(close(log10(y), y.log10()), "log10 {y}");
            assert!(close(powf(y, 0.37), y.powf(0.37)), "pow {y}");
        }
        for n in -7..8 {
            assert!(close(powi(1.37, n), 1.37f64.powi(n)), "powi {n}");
        }
        assert_eq!(powi(2.0, 10), 1024.0);
        assert_eq!(powi(0.5, -2), 4.0);
    }

    /// The branchy scaling (one product in the normal range, `k/2` truncated near the ends)
    /// that `exp` had before it became branch-free: the rewrite must keep every bit.
    fn exp_branchy(x: f64) -> f64 {
        if x.is_nan() {
            return x;
        }
        if x > 709.782_712_893_384 {
            return f64::INFINITY;
        }
        if x < -745.133_219_101_941_2 {
            return 0.0;
        }
        let k = (x * std::f64::consts::LOG2_E).round_ties_even();
        let r = (x - k * LN2_HI) - k * LN2_LO;
        // the same polynomial as `exp`, evaluated there: e^r = exp(r) since r rounds to k = 0
        let p = exp(r);
        let ki = k as i64;
        let pow2 = |e: i64| f64::from_bits(((e + 1023) as u64) << 52);
        if (-1022..=1023).contains(&ki) {
            p * pow2(ki)
        } else {
            let h = ki / 2;
            p * pow2(h) * pow2(ki - h)
        }
    }

    #[test]
    fn branch_free_exp_keeps_the_bits_of_the_branchy_one() {
        for i in 0..=400_000 {
            let x = -760.0 + 1480.0 * i as f64 / 400_000.0;
            assert_eq!(exp(x).to_bits(), exp_branchy(x).to_bits(), "exp({x})");
        }
        // the subnormal and overflow ends, ulp by ulp
        for base in [-745.133_219_101_941_2f64, -708.4, 709.782_712_893_384] {
            let mut x = base;
            for _ in 0..2000 {
                assert_eq!(exp(x).to_bits(), exp_branchy(x).to_bits(), "exp({x})");
                x = f64::from_bits(x.to_bits() + 1_000_000);
            }
        }
        assert!(exp(f64::NAN).is_nan() && tanh(f64::NAN).is_nan());
        assert_eq!(tanh(-30.0), -1.0);
    }
}
