//! The minibatch gradient sums of a [`Run`], a group of [`LANES`] samples at a time.
//!
//! `g1 = Σ_μ δ1_μ x_μᵀ`, `g2 = Σ_μ e_μ h_μ` with `e_μ = φ(w2·φ(W1 x_μ)) − y_μ` and
//! `δ1_μ = (w2 e_μ) ⊙ φ'(a_μ)`. One sample alone waits on each of its dot products and tanh's in
//! turn; a group's samples are independent, so their forward passes run side by side in
//! vector lanes (inputs transposed so a lane is one sample), and each row of g1 takes the
//! group's four outer-product terms while it is in registers. Every lane does exactly the
//! operations of one sample in the order of the one-sample loop (the dot product's four
//! partial sums, then z over j in order), and every sum takes the samples in order, so the bits
//! are those of the one-sample loop (tested against it).

use super::Run;
use crate::dynamics::fm::lanes::{Lanes, WIDTH};

/// Samples per group: the width of the lane-wise tanh (`fm::lanes`), which runs two samples
/// per SIMD128 vector in wasm.
pub const LANES: usize = WIDTH;

impl Run {
    /// Accumulates `g1`, `g2` over `order[start..end]` (the samples in index order for the full
    /// batch) for activation `f` (applied to the group's lanes at once) with derivative
    /// `df(a, f(a))`; returns `Σ_μ ½ e_μ²`.
    #[inline(always)]
    pub(super) fn accumulate<F: Fn(Lanes) -> Lanes, D: Fn(f64, f64) -> f64>(
        &mut self,
        x: &[f64],
        y: &[f64],
        start: usize,
        end: usize,
        f: F,
        df: D,
    ) -> f64 {
        let (m, n) = (self.net.m, self.net.n);
        let full = start == 0 && end == y.len();
        let mut sum = 0.0;
        let mut idx = start;
        while idx < end {
            let lanes = (end - idx).min(LANES);
            // padding lanes repeat the group's first sample; their results are not used
            let mus: [usize; LANES] = std::array::from_fn(|l| {
                let i = if l < lanes { idx + l } else { idx };
                if full {
                    i
                } else {
                    self.order[i]
                }
            });
            let rows: [&[f64]; LANES] = std::array::from_fn(|l| &x[mus[l] * m..(mus[l] + 1) * m]);
            for (k, xt) in self.xt.chunks_exact_mut(LANES).enumerate() {
                for l in 0..LANES {
                    xt[l] = rows[l][k];
                }
            }
            let out = self.forward_lanes(&f);
            let mut e = [0.0; LANES];
            for l in 0..lanes {
                e[l] = out[l] - y[mus[l]];
                sum += 0.5 * e[l] * e[l];
            }
            for j in 0..n {
                let mut d1 = [0.0; LANES];
                for l in 0..lanes {
                    let h = self.h[j * LANES + l];
                    self.g2[j] += e[l] * h;
                    d1[l] = self.net.w2[j] * e[l] * df(self.a[j * LANES + l], h);
                }
                let g = &mut self.g1[j * m..(j + 1) * m];
                if lanes == LANES && d1.iter().all(|d| *d != 0.0) {
                    for (k, gv) in g.iter_mut().enumerate() {
                        let mut v = *gv;
                        for l in 0..LANES {
                            v += d1[l] * rows[l][k];
                        }
                        *gv = v;
                    }
                } else {
                    // a zero δ1 adds nothing (the one-sample loop skips it, so must this)
                    for l in 0..lanes {
                        if d1[l] != 0.0 {
                            for (gv, xv) in g.iter_mut().zip(rows[l]) {
                                *gv += d1[l] * xv;
                            }
                        }
                    }
                }
            }
            idx += lanes;
        }
        sum
    }

    /// The outputs `f(Σ_j w2_j f(a_j))`, `a_j = W1_j · x`, of the group in `xt`, one sample per
    /// lane; writes `a` and `h`. Each lane's `a_j` is `network::dot`'s sum: four partial sums
    /// over k mod 4, added as (s0 + s1) + (s2 + s3), then the remainder in order.
    #[inline(always)]
    fn forward_lanes<F: Fn(Lanes) -> Lanes>(&mut self, f: &F) -> [f64; LANES] {
        let m = self.net.m;
        let split = m - m % 4;
        let mut z = [0.0; LANES];
        for j in 0..self.net.n {
            let w = &self.net.w1[j * m..(j + 1) * m];
            let mut acc = [[0.0f64; LANES]; 4];
            for (wc, xc) in w[..split]
                .chunks_exact(4)
                .zip(self.xt[..split * LANES].chunks_exact(4 * LANES))
            {
                for q in 0..4 {
                    for l in 0..LANES {
                        acc[q][l] += wc[q] * xc[q * LANES + l];
                    }
                }
            }
            let mut a = [0.0; LANES];
            for l in 0..LANES {
                a[l] = (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l]);
            }
            for (k, wk) in w.iter().enumerate().skip(split) {
                for l in 0..LANES {
                    a[l] += wk * self.xt[k * LANES + l];
                }
            }
            let h = f(a);
            let w2j = self.net.w2[j];
            for l in 0..LANES {
                z[l] += w2j * h[l];
            }
            self.a[j * LANES..(j + 1) * LANES].copy_from_slice(&a);
            self.h[j * LANES..(j + 1) * LANES].copy_from_slice(&h);
        }
        f(z)
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::network::{dot, flips, Act, Data, Net, Problem};
    use super::*;
    use crate::dynamics::rng;

    /// The one-sample loop the lanes replace: forward, error, then g2 and g1 per sample.
    fn one_at_a_time(run: &Run, prob: &Problem, order: &[usize]) -> (Vec<f64>, Vec<f64>, f64) {
        let Data::Samples {
            x_train, y_train, ..
        } = &prob.data
        else {
            unreachable!("samples")
        };
        let (m, n, act) = (run.net.m, run.net.n, prob.act);
        let (mut g1, mut g2) = (vec![0.0; n * m], vec![0.0; n]);
        let (mut a, mut h) = (vec![0.0; n], vec![0.0; n]);
        let mut sum = 0.0;
        for &mu in order {
            let xr = &x_train[mu * m..(mu + 1) * m];
            let mut z = 0.0;
            for j in 0..n {
                a[j] = dot(&run.net.w1[j * m..(j + 1) * m], xr);
                h[j] = act.f(a[j]);
                z += run.net.w2[j] * h[j];
            }
            let e = act.f(z) - y_train[mu];
            sum += 0.5 * e * e;
            for j in 0..n {
                g2[j] += e * h[j];
                let d1 = run.net.w2[j] * e * act.df(a[j], h[j]);
                if d1 != 0.0 {
                    for (gv, xv) in g1[j * m..(j + 1) * m].iter_mut().zip(xr) {
                        *gv += d1 * xv;
                    }
                }
            }
        }
        (g1, g2, sum)
    }

    #[test]
    fn lanes_give_the_bits_of_one_sample_at_a_time() {
        for (act, m, n, p, start, end) in [
            (Act::Tanh, 30, 3, 300, 0, 300),
            (Act::Tanh, 7, 5, 23, 0, 23),
            (Act::Tanh, 9, 4, 23, 5, 18),
            (Act::Relu, 13, 6, 41, 0, 41),
            (Act::Relu, 13, 6, 41, 3, 10),
            (Act::Linear, 4, 2, 9, 1, 8),
        ] {
            let mut r = rng::seeded(7 + m as u64, 0);
            let teacher = Net::uniform(m, n, 1.0, &mut r);
            let net = Net::uniform(m, n, 2.0, &mut r);
            let mut r2 = rng::seeded(8 + m as u64, 0);
            let (x_train, y_train, x_test, y_test) =
                Problem::samples(&teacher, act, p, &mut r, &mut r2);
            let prob = Problem {
                m,
                n,
                act,
                eta: 1.0,
                teacher,
                data: Data::Samples {
                    x_train,
                    y_train,
                    x_test,
                    y_test,
                    batch: p,
                },
            };
            let (d_in, d_hid) = flips(m, n, 1, 1);
            let mut run = Run::new(net, d_in, d_hid, true, 3, p);
            // a shuffled order, as minibatches use
            run.order.reverse();
            run.order.swap(1, p / 2);
            let Data::Samples {
                x_train, y_train, ..
            } = &prob.data
            else {
                unreachable!("samples")
            };
            let order: Vec<usize> = if start == 0 && end == p {
                (0..p).collect()
            } else {
                run.order[start..end].to_vec()
            };
            let (g1, g2, sum) = one_at_a_time(&run, &prob, &order);
            run.g1.iter_mut().for_each(|v| *v = 0.0);
            run.g2.iter_mut().for_each(|v| *v = 0.0);
            let got = match act {
                Act::Tanh => run.accumulate(
                    x_train,
                    y_train,
                    start,
                    end,
                    crate::dynamics::fm::lanes::tanh,
                    |_, h| 1.0 - h * h,
                ),
                Act::Relu => run.accumulate(
                    x_train,
                    y_train,
                    start,
                    end,
                    |a| a.map(|v| v.max(0.0)),
                    |a, _| if a > 0.0 { 1.0 } else { 0.0 },
                ),
                Act::Linear => run.accumulate(x_train, y_train, start, end, |a| a, |_, _| 1.0),
            };
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(got.to_bits(), sum.to_bits(), "{act:?} m={m} p={p}");
            assert_eq!(bits(&run.g1), bits(&g1), "{act:?} m={m} p={p}: g1");
            assert_eq!(bits(&run.g2), bits(&g2), "{act:?} m={m} p={p}: g2");
        }
    }
}
