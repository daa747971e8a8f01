//! [`exp`](super::exp), the logistic function and [`tanh`](super::tanh) of four independent
//! values at once, for loops that carry several states side by side (the basins' starts, the
//! curl epoch's samples, a network's units). Each lane gets the scalar function's bits: the
//! scalar code's IEEE operations run on two lanes per 128-bit vector, its branches as
//! selects, written once over [`Pair`] for wasm SIMD128 (`v128`) and x86-64's baseline SSE2
//! (`__m128d`); other targets call the scalar function per lane. LLVM did not vectorise the
//! scalar calls (their range ends compiled to branches): a basin step ran half scalar.

/// Values per call.
pub const WIDTH: usize = 4;
/// Four values, one per lane.
pub type Lanes = [f64; WIDTH];

/// eˣ of each lane (the bits of [`super::exp`]).
#[inline(always)]
pub fn exp(x: Lanes) -> Lanes {
    imp::exp(x)
}

/// The logistic function `1/(1 + e⁻ᶻ)` of each lane.
#[inline(always)]
pub fn logistic(z: Lanes) -> Lanes {
    imp::logistic(z)
}

/// tanh of each lane (the bits of [`super::tanh`]).
#[inline(always)]
pub fn tanh(x: Lanes) -> Lanes {
    imp::tanh(x)
}

/// `out[i] = tanh(src[i])` over two slices (up to the shorter one's length), [`WIDTH`]
/// values at a time; the bits of the scalar loop.
#[inline]
pub fn tanh_into(src: &[f64], out: &mut [f64]) {
    let n = src.len().min(out.len());
    let (src, out) = (&src[..n], &mut out[..n]);
    let mut o = out.chunks_exact_mut(WIDTH);
    let mut i = src.chunks_exact(WIDTH);
    for (oc, ic) in (&mut o).zip(&mut i) {
        oc.copy_from_slice(&tanh([ic[0], ic[1], ic[2], ic[3]]));
    }
    for (ov, iv) in o.into_remainder().iter_mut().zip(i.remainder()) {
        *ov = super::tanh(*iv);
    }
}

/// Two f64 lanes of a 128-bit vector: the operations the exponentials need, each an exact
/// IEEE operation per lane (so a lane has the bits of the scalar code).
trait Pair: Copy {
    fn splat(v: f64) -> Self;
    fn new(a: f64, b: f64) -> Self;
    fn get(self) -> [f64; 2];
    fn add(self, o: Self) -> Self;
    fn sub(self, o: Self) -> Self;
    fn mul(self, o: Self) -> Self;
    fn div(self, o: Self) -> Self;
    /// `x.clamp(lo, hi)` (NaN passes through).
    fn clamp(self, lo: f64, hi: f64) -> Self;
    /// All-ones lanes where `self < o`, `self > o`, `self ≥ o`.
    fn lt(self, o: Self) -> Self;
    fn gt(self, o: Self) -> Self;
    fn ge(self, o: Self) -> Self;
    /// `if mask { a } else { b }` per lane.
    fn select(mask: Self, a: Self, b: Self) -> Self;
    fn and(self, o: Self) -> Self;
    fn or(self, o: Self) -> Self;
    /// `|x|` and `−x`: the sign bit cleared or flipped.
    fn abs(self) -> Self;
    fn neg(self) -> Self;
    /// 2ᵏ of an integer-valued `k`: `pow2` of the scalar code (the exponent bits of `k + 1023`
    /// from the bits of `k + SHIFT`).
    fn pow2(self) -> Self;
}

/// The scalar [`super::exp`]'s operations on two lanes.
#[inline(always)]
fn exp2<V: Pair>(x: V) -> V {
    use super::{EXP_C as C, EXP_HI, EXP_LO, LN2_HI, LN2_LO, SHIFT};
    let shift = V::splat(SHIFT);
    let xc = x.clamp(-746.0, 710.0);
    let k = xc
        .mul(V::splat(std::f64::consts::LOG2_E))
        .add(shift)
        .sub(shift);
    let r = xc.sub(k.mul(V::splat(LN2_HI))).sub(k.mul(V::splat(LN2_LO)));
    let r2 = r.mul(r);
    let r4 = r2.mul(r2);
    let r8 = r4.mul(r4);
    let c = |i: usize| V::splat(C[i]);
    let pair = |i: usize| (c(i).add(c(i + 1).mul(r))).add(c(i + 2).add(c(i + 3).mul(r)).mul(r2));
    let (q0, q1, q2) = (pair(0), pair(4), pair(8));
    let p = q0.add(q1.mul(r4)).add(q2.add(c(12).mul(r4)).mul(r8));
    let kh = k.mul(V::splat(0.5)).add(shift).sub(shift);
    let y = p.mul(kh.pow2()).mul(k.sub(kh).pow2());
    let y = V::select(x.lt(V::splat(EXP_LO)), V::splat(0.0), y);
    V::select(x.gt(V::splat(EXP_HI)), V::splat(f64::INFINITY), y)
}

/// `1/(1 + e⁻ᶻ)` on two lanes.
#[inline(always)]
fn logistic2<V: Pair>(z: V) -> V {
    let one = V::splat(1.0);
    one.div(one.add(exp2(z.neg())))
}

/// The scalar [`super::tanh`]'s operations on two lanes.
#[inline(always)]
fn tanh2<V: Pair>(x: V) -> V {
    let one = V::splat(1.0);
    let a = x.abs();
    let x2 = x.mul(x);
    let small = x.mul(one.sub(x2.div(V::splat(3.0)).mul(one.sub(V::splat(0.4).mul(x2)))));
    let mid = one.sub(V::splat(2.0).div(exp2(V::splat(2.0).mul(x)).add(one)));
    let r = V::select(a.lt(V::splat(0.01)), small, mid);
    // copysign(1, x): the sign bit of x on 1.0
    let unit = x.and(V::splat(-0.0)).or(one);
    V::select(a.ge(V::splat(19.0)), unit, r)
}

/// `f` of four lanes as two pairs.
#[inline(always)]
fn by_pairs<V: Pair>(x: Lanes, f: impl Fn(V) -> V) -> Lanes {
    let (a, b) = (f(V::new(x[0], x[1])).get(), f(V::new(x[2], x[3])).get());
    [a[0], a[1], b[0], b[1]]
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod imp {
    use super::{by_pairs, exp2, logistic2, tanh2, Lanes, Pair};
    use core::arch::wasm32::*;

    impl Pair for v128 {
        #[inline(always)]
        fn splat(v: f64) -> Self {
            f64x2_splat(v)
        }
        #[inline(always)]
        fn new(a: f64, b: f64) -> Self {
            f64x2(a, b)
        }
        #[inline(always)]
        fn get(self) -> [f64; 2] {
            [f64x2_extract_lane::<0>(self), f64x2_extract_lane::<1>(self)]
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            f64x2_add(self, o)
        }
        #[inline(always)]
        fn sub(self, o: Self) -> Self {
            f64x2_sub(self, o)
        }
        #[inline(always)]
        fn mul(self, o: Self) -> Self {
            f64x2_mul(self, o)
        }
        #[inline(always)]
        fn div(self, o: Self) -> Self {
            f64x2_div(self, o)
        }
        #[inline(always)]
        fn clamp(self, lo: f64, hi: f64) -> Self {
            // pmax(a, b) = a < b ? b : a, pmin(a, b) = b < a ? b : a: clamp's two ifs
            f64x2_pmin(f64x2_pmax(self, f64x2_splat(lo)), f64x2_splat(hi))
        }
        #[inline(always)]
        fn lt(self, o: Self) -> Self {
            f64x2_lt(self, o)
        }
        #[inline(always)]
        fn gt(self, o: Self) -> Self {
            f64x2_gt(self, o)
        }
        #[inline(always)]
        fn ge(self, o: Self) -> Self {
            f64x2_ge(self, o)
        }
        #[inline(always)]
        fn select(mask: Self, a: Self, b: Self) -> Self {
            v128_bitselect(a, b, mask)
        }
        #[inline(always)]
        fn and(self, o: Self) -> Self {
            v128_and(self, o)
        }
        #[inline(always)]
        fn or(self, o: Self) -> Self {
            v128_or(self, o)
        }
        #[inline(always)]
        fn abs(self) -> Self {
            f64x2_abs(self)
        }
        #[inline(always)]
        fn neg(self) -> Self {
            f64x2_neg(self)
        }
        #[inline(always)]
        fn pow2(self) -> Self {
            let shift = f64x2_splat(super::super::SHIFT);
            let int = i64x2_sub(f64x2_add(self, shift), shift);
            i64x2_shl(i64x2_add(int, i64x2_splat(1023)), 52)
        }
    }

    #[inline(always)]
    pub fn exp(x: Lanes) -> Lanes {
        by_pairs::<v128>(x, exp2)
    }
    #[inline(always)]
    pub fn logistic(z: Lanes) -> Lanes {
        by_pairs::<v128>(z, logistic2)
    }
    #[inline(always)]
    pub fn tanh(x: Lanes) -> Lanes {
        by_pairs::<v128>(x, tanh2)
    }
}

#[cfg(target_arch = "x86_64")]
mod imp {
    use super::{by_pairs, exp2, logistic2, tanh2, Lanes, Pair};
    use core::arch::x86_64::*;

    impl Pair for __m128d {
        #[inline(always)]
        fn splat(v: f64) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_set1_pd(v) }
        }
        #[inline(always)]
        fn new(a: f64, b: f64) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_set_pd(b, a) }
        }
        #[inline(always)]
        fn get(self) -> [f64; 2] {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe {
                [
                    _mm_cvtsd_f64(self),
                    _mm_cvtsd_f64(_mm_unpackhi_pd(self, self)),
                ]
            }
        }
        #[inline(always)]
        fn add(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_add_pd(self, o) }
        }
        #[inline(always)]
        fn sub(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_sub_pd(self, o) }
        }
        #[inline(always)]
        fn mul(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_mul_pd(self, o) }
        }
        #[inline(always)]
        fn div(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_div_pd(self, o) }
        }
        #[inline(always)]
        fn clamp(self, lo: f64, hi: f64) -> Self {
            // maxpd(a, b) = a > b ? a : b and minpd(a, b) = a < b ? a : b return b when
            // either is NaN: with the bound first, clamp's two ifs
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_min_pd(_mm_set1_pd(hi), _mm_max_pd(_mm_set1_pd(lo), self)) }
        }
        #[inline(always)]
        fn lt(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_cmplt_pd(self, o) }
        }
        #[inline(always)]
        fn gt(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_cmpgt_pd(self, o) }
        }
        #[inline(always)]
        fn ge(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_cmpge_pd(self, o) }
        }
        #[inline(always)]
        fn select(mask: Self, a: Self, b: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_or_pd(_mm_and_pd(mask, a), _mm_andnot_pd(mask, b)) }
        }
        #[inline(always)]
        fn and(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_and_pd(self, o) }
        }
        #[inline(always)]
        fn or(self, o: Self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_or_pd(self, o) }
        }
        #[inline(always)]
        fn abs(self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_andnot_pd(_mm_set1_pd(-0.0), self) }
        }
        #[inline(always)]
        fn neg(self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe { _mm_xor_pd(self, _mm_set1_pd(-0.0)) }
        }
        #[inline(always)]
        fn pow2(self) -> Self {
            // SAFETY: SSE2 is part of the x86-64 baseline
            unsafe {
                let shift = _mm_set1_pd(super::super::SHIFT);
                let int = _mm_sub_epi64(
                    _mm_castpd_si128(_mm_add_pd(self, shift)),
                    _mm_castpd_si128(shift),
                );
                _mm_castsi128_pd(_mm_slli_epi64::<52>(_mm_add_epi64(
                    int,
                    _mm_set1_epi64x(1023),
                )))
            }
        }
    }

    #[inline(always)]
    pub fn exp(x: Lanes) -> Lanes {
        by_pairs::<__m128d>(x, exp2)
    }
    #[inline(always)]
    pub fn logistic(z: Lanes) -> Lanes {
        by_pairs::<__m128d>(z, logistic2)
    }
    #[inline(always)]
    pub fn tanh(x: Lanes) -> Lanes {
        by_pairs::<__m128d>(x, tanh2)
    }
}

#[cfg(not(any(
    all(target_arch = "wasm32", target_feature = "simd128"),
    target_arch = "x86_64"
)))]
mod imp {
    use super::Lanes;

    #[inline(always)]
    pub fn exp(x: Lanes) -> Lanes {
        x.map(super::super::exp)
    }
    #[inline(always)]
    pub fn logistic(z: Lanes) -> Lanes {
        z.map(|z| 1.0 / (1.0 + super::super::exp(-z)))
    }
    #[inline(always)]
    pub fn tanh(x: Lanes) -> Lanes {
        x.map(super::super::tanh)
    }
}

/// Checks every lane of [`exp`], [`logistic`], [`tanh`] and [`tanh_into`] against the scalar functions, bit
/// for bit, on values across every branch (the range ends, tanh's small-x series, subnormal
/// results, signed zeros, infinities, NaN) and 4,000 pseudo-random ones on four scales. The
/// native tests run it on the scalar lanes, `tests/web.rs` on the SIMD128 ones.
pub fn self_check() -> Result<(), String> {
    let mut v = vec![
        0.0,
        -0.0,
        1e-300,
        -1e-300,
        0.009_999,
        0.01,
        -0.01,
        18.999,
        19.0,
        -19.0,
        709.78,
        709.79,
        710.0,
        711.0,
        -745.1,
        -745.2,
        -746.0,
        -800.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        -f64::NAN,
        -1e-310,
    ];
    let mut s = 0x2545_f491_4f6c_dd1du64;
    for i in 0..4000 {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let u = (s >> 11) as f64 / (1u64 << 53) as f64;
        let scale = [0.02, 3.0, 40.0, 1500.0][i % 4];
        v.push((2.0 * u - 1.0) * scale);
    }
    for q in v.chunks(WIDTH) {
        let mut x = [0.5; WIDTH];
        x[..q.len()].copy_from_slice(q);
        let (e, t, g) = (exp(x), tanh(x), logistic(x));
        for (l, &v) in x.iter().enumerate() {
            let want_g = 1.0 / (1.0 + super::exp(-v));
            for (what, got, want) in [
                ("exp", e[l], super::exp(v)),
                ("tanh", t[l], super::tanh(v)),
                ("logistic", g[l], want_g),
            ] {
                // wasm leaves a NaN's sign and payload to the engine: NaN matches any NaN
                let same = got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan());
                if !same {
                    return Err(format!("{what}({v:e}) lane {l}: {got:e}, scalar {want:e}"));
                }
            }
        }
    }
    for n in [0, 1, 3, 4, 7, 64, 1021] {
        let src = &v[5..5 + n];
        let mut out = vec![0.0; n];
        tanh_into(src, &mut out);
        for (&x, &got) in src.iter().zip(&out) {
            let want = super::tanh(x);
            if got.to_bits() != want.to_bits() && !(got.is_nan() && want.is_nan()) {
                return Err(format!("tanh_into({x:e}) of {n}: {got:e}, scalar {want:e}"));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn each_lane_has_the_scalar_bits() {
        assert_eq!(super::self_check(), Ok(()));
    }
}
