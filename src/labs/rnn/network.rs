//! The leaky tanh rate network (note §2a/§7, the form in the authors' code lineage [INFERRED
//! for the paper]):
//!
//! ```text
//! a_t = (1−α) a_{t−1} + α (W h_{t−1} + W_in x_t + b) + σ √α ξ_t,   h_t = tanh(a_t),
//! y_t = W_out h_t + b_out,       a_0 = 0,  ξ_t ~ N(0, I)
//! ```
//! initialised W = g·Z/√N (Z_ij ~ N(0,1), the same Z for every g of one seed), W_in ~ N(0,1),
//! W_out ~ N(0,1/N), b = b_out = 0 (note §5b). The loss is E = ½ Σ_t m_t ‖y_t − y*_t‖² / M with
//! M the number of scored samples.

use super::tasks::{Batch, Task};
use crate::dynamics::fm;
use crate::dynamics::gemm::{gemm, Op};
use crate::dynamics::rng::{normal, Rng};

/// All trainable parameters (also used for their gradients and Adam's moments).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub n: usize,
    /// Recurrent weights, column-major N × N (W[i + N j] = W_ij, j → i).
    pub w: Vec<f64>,
    /// Input weights, N × n_in.
    pub w_in: Vec<f64>,
    pub b: Vec<f64>,
    /// Readout, n_out × N.
    pub w_out: Vec<f64>,
    pub b_out: Vec<f64>,
}

impl Weights {
    /// All zeros.
    pub fn zeros(n: usize) -> Weights {
        Weights {
            n,
            w: vec![0.0; n * n],
            w_in: vec![0.0; n * Batch::N_IN],
            b: vec![0.0; n],
            w_out: vec![0.0; n * Batch::N_OUT],
            b_out: vec![0.0; Batch::N_OUT],
        }
    }

    /// The initial network: W = g·Z/√N, W_in ~ N(0,1), W_out ~ N(0,1/N), zero biases.
    pub fn init(n: usize, g: f64, rng: &mut Rng) -> Weights {
        let mut p = Weights::zeros(n);
        let s = g / (n as f64).sqrt();
        p.w.iter_mut().for_each(|v| *v = s * normal(rng));
        p.w_in.iter_mut().for_each(|v| *v = normal(rng));
        let so = 1.0 / (n as f64).sqrt();
        p.w_out.iter_mut().for_each(|v| *v = so * normal(rng));
        p
    }

    /// The parameter blocks in a fixed order.
    pub fn parts(&self) -> [&[f64]; 5] {
        [&self.w, &self.w_in, &self.b, &self.w_out, &self.b_out]
    }
    /// The parameter blocks, mutable, in the order of [`Weights::parts`].
    pub fn parts_mut(&mut self) -> [&mut [f64]; 5] {
        [
            &mut self.w,
            &mut self.w_in,
            &mut self.b,
            &mut self.w_out,
            &mut self.b_out,
        ]
    }
    /// Sets every entry to zero.
    pub fn clear(&mut self) {
        for p in self.parts_mut() {
            p.iter_mut().for_each(|v| *v = 0.0);
        }
    }
    /// Euclidean norm over all blocks.
    pub fn norm(&self) -> f64 {
        self.parts()
            .iter()
            .map(|p| p.iter().map(|v| v * v).sum::<f64>())
            .sum::<f64>()
            .sqrt()
    }
    /// self ← self + c · other.
    pub fn axpy(&mut self, c: f64, other: &Weights) {
        for (a, b) in self.parts_mut().into_iter().zip(other.parts()) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += c * y);
        }
    }
    /// Multiplies every entry by c.
    pub fn scale(&mut self, c: f64) {
        for p in self.parts_mut() {
            p.iter_mut().for_each(|v| *v *= c);
        }
    }
    pub fn is_finite(&self) -> bool {
        self.parts().iter().all(|p| p.iter().all(|v| v.is_finite()))
    }
}

/// Fixed (non-trained) quantities of a network: leak α and noise σ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leak {
    pub alpha: f64,
    pub sigma: f64,
}

/// One batch's trajectory: pre-activations a, rates h, outputs y, the noise ξ that drove it,
/// and the output error δy = m (y − y*) / M. Buffers are allocated once per (N, T, B).
#[derive(Debug, Clone)]
pub struct Trajectory {
    pub n: usize,
    pub t: usize,
    pub b: usize,
    pub a: Vec<f64>,
    pub h: Vec<f64>,
    pub xi: Vec<f64>,
    pub y: Vec<f64>,
    pub dy: Vec<f64>,
}

impl Trajectory {
    pub fn new(n: usize, t: usize, b: usize) -> Trajectory {
        let cols = (t + 1) * b;
        Trajectory {
            n,
            t,
            b,
            a: vec![0.0; n * cols],
            h: vec![0.0; n * cols],
            xi: vec![0.0; n * cols],
            y: vec![0.0; Batch::N_OUT * cols],
            dy: vec![0.0; Batch::N_OUT * cols],
        }
    }

    /// A trajectory whose large buffers (a, h, ξ) are allocated later, a piece per call of
    /// [`Trajectory::grow`] (so that no single unit of work zeroes megabytes); y and δy are
    /// allocated now.
    pub fn lazy(n: usize, t: usize, b: usize) -> Trajectory {
        let cols = (t + 1) * b;
        Trajectory {
            n,
            t,
            b,
            a: Vec::new(),
            h: Vec::new(),
            xi: Vec::new(),
            y: vec![0.0; Batch::N_OUT * cols],
            dy: vec![0.0; Batch::N_OUT * cols],
        }
    }

    /// Allocates up to `*budget` more entries of the buffers of a [`Trajectory::lazy`];
    /// true when every buffer has its full size.
    pub fn grow(&mut self, budget: &mut usize) -> bool {
        let len = self.n * (self.t + 1) * self.b;
        grow(&mut self.a, len, budget)
            && grow(&mut self.h, len, budget)
            && grow(&mut self.xi, len, budget)
    }

    /// Fills ξ with fresh N(0,1) samples (blocks 1..T).
    pub fn draw_noise(&mut self, rng: &mut Rng) {
        self.draw_noise_steps(1, self.t + 1, rng);
    }

    /// Fills the noise blocks of steps `from..to` (within 1..=T) with fresh N(0,1) samples, in
    /// the order [`Trajectory::draw_noise`] draws them: drawing consecutive ranges one after
    /// the other gives the same ξ as one call.
    pub fn draw_noise_steps(&mut self, from: usize, to: usize, rng: &mut Rng) {
        let nb = self.n * self.b;
        let (from, to) = (from.max(1), to.min(self.t + 1));
        if from < to {
            self.xi[from * nb..to * nb]
                .iter_mut()
                .for_each(|v| *v = normal(rng));
        }
    }

    /// Sets the initial state a_0 (block 0; zero unless set), h_0 = tanh(a_0).
    pub fn set_initial(&mut self, a0: &[f64]) {
        let nb = self.n * self.b;
        for (j, &v) in a0.iter().take(nb).enumerate() {
            self.a[j] = v;
            self.h[j] = fm::tanh(v);
        }
    }

    /// Runs the network over the batch from a_0 (the leaky update above, with the stored noise ξ).
    pub fn run(&mut self, p: &Weights, leak: Leak, batch: &Batch) {
        self.run_steps(p, leak, batch, 1, self.t + 1);
        self.outputs(p);
    }

    /// Steps `from..to` (within 1..=T) of [`Trajectory::run`], without the outputs: running
    /// consecutive ranges and then [`Trajectory::outputs`] gives the same numbers as `run`.
    pub fn run_steps(&mut self, p: &Weights, leak: Leak, batch: &Batch, from: usize, to: usize) {
        let (n, b) = (self.n, self.b);
        let nb = n * b;
        let al = leak.alpha;
        let ns = leak.sigma * al.sqrt();
        for t in from.max(1)..to.min(self.t + 1) {
            let (a_prev, a_next) = self.a[(t - 1) * nb..(t + 1) * nb].split_at_mut(nb);
            let xi = &self.xi[t * nb..(t + 1) * nb];
            for k in 0..b {
                let x = batch.x[t * b + k];
                let col = k * n;
                for i in 0..n {
                    a_next[col + i] = (1.0 - al) * a_prev[col + i]
                        + al * (p.w_in[i] * x + p.b[i])
                        + ns * xi[col + i];
                }
            }
            let (h_prev, h_next) = self.h[(t - 1) * nb..(t + 1) * nb].split_at_mut(nb);
            gemm(
                a_next,
                n,
                b,
                al,
                Op::n(&p.w, n, n),
                Op::n(h_prev, n, b),
                1.0,
            );
            fm::lanes::tanh_into(a_next, h_next);
        }
    }

    /// The outputs y = W_out h + b_out of every step (the last part of [`Trajectory::run`]).
    pub fn outputs(&mut self, p: &Weights) {
        let (n, b) = (self.n, self.b);
        // y = W_out h + b_out (n_out = 1: a dot product per column)
        let cols = (self.t + 1) * b;
        for c in 0..cols {
            let hc = &self.h[c * n..(c + 1) * n];
            self.y[c] = p.b_out[0] + hc.iter().zip(&p.w_out).map(|(h, w)| h * w).sum::<f64>();
        }
    }

    /// The loss E = ½ Σ m (y − y*)² / M; also writes δy = m (y − y*) / M.
    pub fn loss(&mut self, batch: &Batch) -> f64 {
        let b = self.b;
        let inv = 1.0 / batch.scored().max(1.0);
        let mut e = 0.0;
        for t in 0..=self.t {
            let m = batch.mask[t];
            for k in 0..b {
                let c = t * b + k;
                let err = m * (self.y[c] - batch.y[c]);
                e += err * err;
                self.dy[c] = err * inv;
            }
        }
        0.5 * e * inv
    }

    /// Task accuracy: recall, the fraction of trials whose mean output over the scored steps has
    /// the cue's sign; pattern, max(0, 1 − E/E₀).
    pub fn accuracy(&self, batch: &Batch, loss: f64) -> f64 {
        match batch.task {
            Task::Recall => {
                let b = self.b;
                let mut right = 0usize;
                for k in 0..b {
                    let mut s = 0.0;
                    for t in 0..=self.t {
                        s += batch.mask[t] * self.y[t * b + k];
                    }
                    if s * batch.sign[k] > 0.0 {
                        right += 1;
                    }
                }
                right as f64 / b.max(1) as f64
            }
            Task::Pattern => {
                let e0 = batch.zero_loss();
                if e0 > 0.0 && loss.is_finite() {
                    (1.0 - loss / e0).max(0.0)
                } else {
                    0.0
                }
            }
        }
    }
}

/// Steps of an N-unit, b-column recurrent update (forward pass, tangent propagation) that make
/// one unit of work between two clock checks: about 1 ms natively (0.05 ms per step for N = 64
/// and 64 columns), so that no unit comes near the page's 50 ms long-task limit in wasm.
pub fn steps_per_unit(n: usize, b: usize) -> usize {
    const BUDGET: usize = 16 * 64 * (64 + 16) * 64;
    (BUDGET / (n.max(1) * (n + 16) * b.max(8))).max(1)
}

/// Entries (f64) allocated per unit of work by the lazy buffers (1 MB).
pub const ALLOC_PIECE: usize = 1 << 17;

/// Grows `v` with zeros towards `len` entries, by at most `*budget` (taken from it); true when
/// `v` has `len` entries. The memory is reserved at once but touched only as it grows.
pub fn grow(v: &mut Vec<f64>, len: usize, budget: &mut usize) -> bool {
    if v.len() < len {
        v.reserve_exact(len - v.len());
        let k = (len - v.len()).min(*budget);
        v.resize(v.len() + k, 0.0);
        *budget -= k;
    }
    v.len() >= len
}

/// f'(a) = 1 − tanh²(a) from h = tanh(a).
#[inline]
pub fn dtanh(h: f64) -> f64 {
    1.0 - h * h
}
