//! Every equilibrium of the network, and its stability.
//!
//! Equilibria are zeros of the reduced field (weights slaved, w_ij = (h/γw) σ_i σ_j), found by
//! step-limited Newton from many starts. Plain random starts miss saddles (note §9.1), so half
//! of the starts put each neuron on a root of its own one-neuron equation
//! −γx x + a σ(x) + b = 0 (a, b from random rates of the other neurons). Stability is read
//! from the eigenvalues of the full (neurons + synapses) Jacobian.

use super::model::{sigma, Model};
use crate::dynamics::linalg::{max_real_eigenvalue, EigenWork};
use crate::dynamics::newton::{bisect, Workspace};
use crate::dynamics::rng::{uniform, Rng};
use nalgebra::DMatrix;
use rand::Rng as _;

/// One equilibrium of the full system.
#[derive(Debug, Clone, PartialEq)]
pub struct Equilibrium {
    pub x: Vec<f64>,
    pub w: Vec<f64>,
    pub stable: bool,
    /// Largest real part of the full Jacobian's eigenvalues.
    pub max_real_eig: f64,
    /// max |F(x)| of the full field at (x, w).
    pub residual: f64,
}

impl Equilibrium {
    pub fn rates(&self) -> Vec<f64> {
        self.x.iter().map(|&v| sigma(v)).collect()
    }
}

/// Per-neuron bounds on equilibrium values. At an equilibrium
/// γx x_i = (h/γw) σ_i Σ_j σ_j² + Σ_j F_ij σ_j + u_i, so with c⁻ = min(0, (h/γw)·deg_i) and the
/// negative fixed inputs F⁻_i, x_i ≥ the (unique) root of γx x = c⁻ σ(x) + F⁻_i + u_i; likewise
/// x_i ≤ the largest root of γx x = c⁺ σ(x) + F⁺_i + u_i. These bounds are far tighter than the
/// naive ones (σ ≤ 1), which matters: starts at x ≈ −1000 all fall onto the same solutions.
pub fn neuron_bounds(m: &Model) -> Vec<(f64, f64)> {
    let n = m.net.n;
    let mut deg = vec![0.0f64; n];
    for &(i, _) in &m.net.synapses {
        deg[i] += 1.0;
    }
    let mut fneg = vec![0.0f64; n];
    let mut fpos = vec![0.0f64; n];
    for &(i, _, w) in &m.net.fixed {
        if w < 0.0 {
            fneg[i] += w;
        } else {
            fpos[i] += w;
        }
    }
    (0..n)
        .map(|i| {
            let u = m.u.get(i).copied().unwrap_or(0.0);
            let c = m.h / m.gw * deg[i];
            let (cm, cp) = (c.min(0.0), c.max(0.0));
            let lo_roots = one_neuron_roots(m.gx, cm, fneg[i] + u);
            let hi_roots = one_neuron_roots(m.gx, cp, fpos[i] + u);
            let lo = lo_roots.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = hi_roots.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let lo = if lo.is_finite() {
                lo
            } else {
                (cm + fneg[i] + u) / m.gx
            };
            let hi = if hi.is_finite() {
                hi
            } else {
                (cp + fpos[i] + u) / m.gx
            };
            (lo - 0.25, hi + 0.25)
        })
        .collect()
}

/// All roots of −γx x + a σ(x) + b = 0 (at most three), by scanning for sign changes.
fn one_neuron_roots(gx: f64, a: f64, b: f64) -> Vec<f64> {
    let f = |x: f64| -gx * x + a * sigma(x) + b;
    let lo = (b + a.min(0.0)) / gx - 1.0;
    let hi = (b + a.max(0.0)) / gx + 1.0;
    let steps = 400;
    let mut roots = Vec::new();
    let mut xp = lo;
    let mut fp = f(lo);
    for s in 1..=steps {
        let x = lo + (hi - lo) * s as f64 / steps as f64;
        let fx = f(x);
        if fp == 0.0 {
            roots.push(xp);
        } else if fp * fx < 0.0 {
            if let Some(r) = bisect(f, xp, x, 1e-12) {
                roots.push(r);
            }
        }
        xp = x;
        fp = fx;
    }
    roots
}

/// A start with each neuron on a root of its own one-neuron equation, given rates of the
/// others that are either all random in (0, 1) or each at its bound ("winner"/"loser").
fn root_start(m: &Model, bounds: &[(f64, f64)], rng: &mut Rng, binary: bool) -> Vec<f64> {
    let n = m.net.n;
    let r: Vec<f64> = (0..n)
        .map(|j| {
            if binary {
                let (lo, hi) = bounds[j];
                sigma(if rng.random::<bool>() { hi } else { lo })
            } else {
                rng.random::<f64>()
            }
        })
        .collect();
    let mut a = vec![0.0; n];
    let mut b: Vec<f64> = (0..n).map(|i| m.u.get(i).copied().unwrap_or(0.0)).collect();
    for &(i, j) in &m.net.synapses {
        a[i] += m.h / m.gw * r[j] * r[j];
    }
    for &(i, j, w) in &m.net.fixed {
        b[i] += w * r[j];
    }
    (0..n)
        .map(|i| {
            let roots = one_neuron_roots(m.gx, a[i], b[i]);
            if roots.is_empty() {
                b[i] / m.gx
            } else {
                roots[rng.random_range(0..roots.len())]
            }
        })
        .collect()
}

/// Newton-polishes `x0` onto an equilibrium; None if it does not converge.
pub fn polish(m: &Model, x0: &[f64], max_step: f64) -> Option<Vec<f64>> {
    let mut w = Workspace::default();
    polish_in(m, x0, max_step, &mut w).then_some(w.x)
}

/// [`polish`] in reusable buffers: true if it converged, with the equilibrium in `w.x`.
pub fn polish_in(m: &Model, x0: &[f64], max_step: f64, w: &mut Workspace) -> bool {
    let scale = x0.iter().fold(1.0f64, |a, v| a.max(v.abs()));
    let tol = 1e-12 * scale.max(1.0);
    let (_, _, converged) = w.solve(
        |x, f| m.reduced(x, f),
        |x, j| m.reduced_jacobian_into(x, j),
        x0,
        tol,
        max_step,
        200,
    );
    converged && w.x.iter().all(|v| v.is_finite())
}

/// Buffers for classifying many equilibria without allocating per equilibrium.
#[derive(Debug, Clone)]
pub struct StabilityWork {
    s: Vec<f64>,
    j: DMatrix<f64>,
    eig: EigenWork,
}

impl Default for StabilityWork {
    fn default() -> Self {
        StabilityWork {
            s: Vec::new(),
            j: DMatrix::zeros(0, 0),
            eig: EigenWork::default(),
        }
    }
}

/// Whether equilibrium x is stable: the largest real part of the full Jacobian's eigenvalues
/// at (x, w*(x)) is below 0 (the `stable` of [`classify`], bit for bit, without the rest of
/// its record).
pub fn is_stable(m: &Model, x: &[f64], w: &mut StabilityWork) -> bool {
    m.full_state_into(x, &mut w.s);
    m.jacobian_into(&w.s, &mut w.j);
    w.eig.max_real(&w.j) < 0.0
}

/// Classifies an equilibrium x by the full Jacobian at (x, w*(x)).
pub fn classify(m: &Model, x: &[f64]) -> Equilibrium {
    let s = m.full_state(x);
    let j = m.jacobian(&s);
    let mre = max_real_eigenvalue(&j);
    let mut f = vec![0.0; s.len()];
    m.field(&s, &mut f);
    let residual = f.iter().fold(0.0f64, |a, v| a.max(v.abs()));
    Equilibrium {
        x: x.to_vec(),
        w: s[m.net.n..].to_vec(),
        stable: mre < 0.0,
        max_real_eig: mre,
        residual,
    }
}

fn same(a: &[f64], b: &[f64]) -> bool {
    let scale = a.iter().chain(b).fold(1.0f64, |m, v| m.max(v.abs()));
    a.iter().zip(b).all(|(p, q)| (p - q).abs() < 1e-6 * scale)
}

/// Incremental multistart search: feed it starts, then read the distinct equilibria.
#[derive(Debug, Clone)]
pub struct Search {
    pub found: Vec<Vec<f64>>,
    max_step: f64,
    bounds: Vec<(f64, f64)>,
    /// Newton's buffers, reused by every start.
    newton: Workspace,
}

impl Search {
    pub fn new(m: &Model) -> Search {
        let bounds = neuron_bounds(m);
        let span = bounds.iter().fold(0.0f64, |a, (l, h)| a.max(h - l));
        Search {
            found: Vec::new(),
            max_step: (span / 10.0).max(0.5),
            bounds,
            newton: Workspace::default(),
        }
    }

    /// Tries one start; returns true if it found a new equilibrium.
    pub fn try_start(&mut self, m: &Model, x0: &[f64]) -> bool {
        if !polish_in(m, x0, self.max_step, &mut self.newton) {
            return false;
        }
        let x = &self.newton.x;
        if self.found.iter().any(|y| same(y, x)) {
            return false;
        }
        self.found.push(x.clone());
        true
    }

    /// Adds an already polished root unless it is one found before; true if it is new.
    pub fn add_root(&mut self, x: Vec<f64>) -> bool {
        if self.found.iter().any(|y| same(y, &x)) {
            return false;
        }
        self.found.push(x);
        true
    }

    /// Polishes `x0` with this search's step limit (None: Newton did not converge).
    pub fn polish(&self, m: &Model, x0: &[f64]) -> Option<Vec<f64>> {
        polish(m, x0, self.max_step)
    }

    /// `count` generated starts: one-neuron-root starts (binary and random rates of the
    /// others) and uniform starts within the neuron bounds, in turn. The starts are the only
    /// random part of a search, so they can be drawn first and polished anywhere.
    pub fn starts(&self, m: &Model, rng: &mut Rng, count: usize) -> Vec<Vec<f64>> {
        (0..count)
            .map(|s| match s % 3 {
                0 => root_start(m, &self.bounds, rng, true),
                1 => root_start(m, &self.bounds, rng, false),
                _ => self
                    .bounds
                    .iter()
                    .map(|&(lo, hi)| uniform(rng, lo, hi))
                    .collect(),
            })
            .collect()
    }

    /// Tries `count` generated starts (see [`Search::starts`]).
    pub fn random_starts(&mut self, m: &Model, rng: &mut Rng, count: usize) {
        for x0 in self.starts(m, rng, count) {
            self.try_start(m, &x0);
        }
    }

    /// The equilibria found, classified, in a stable order (stable first, then by x).
    pub fn equilibria(&self, m: &Model) -> Vec<Equilibrium> {
        let mut e: Vec<Equilibrium> = self.found.iter().map(|x| classify(m, x)).collect();
        e.sort_by(|a, b| {
            b.stable.cmp(&a.stable).then_with(|| {
                for (p, q) in a.x.iter().zip(&b.x) {
                    match p.partial_cmp(q) {
                        Some(std::cmp::Ordering::Equal) | None => continue,
                        Some(o) => return o,
                    }
                }
                std::cmp::Ordering::Equal
            })
        });
        e
    }
}

/// The starts of the network search of the lab and its report: `count` generated starts
/// drawn ten at a time from `rng` (the start families of [`Search::starts`] cycle within each
/// ten).
pub fn network_starts(m: &Model, rng: &mut Rng, count: usize) -> Vec<Vec<f64>> {
    let s = Search::new(m);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let chunk = (count - out.len()).min(10);
        out.extend(s.starts(m, rng, chunk));
    }
    out
}

/// Every equilibrium the lab's network search finds: [`network_starts`] polished in order and
/// deduplicated (the first root found is kept), classified and sorted.
pub fn network_equilibria(m: &Model, rng: &mut Rng, count: usize) -> Vec<Equilibrium> {
    let mut s = Search::new(m);
    for x0 in network_starts(m, rng, count) {
        s.try_start(m, &x0);
    }
    s.equilibria(m)
}

/// Finds the equilibria of `m` from `warm` starts plus `count` generated starts.
pub fn find_all(m: &Model, rng: &mut Rng, warm: &[Vec<f64>], count: usize) -> Vec<Equilibrium> {
    let mut s = Search::new(m);
    for w in warm {
        if w.len() == m.net.n {
            s.try_start(m, w);
        }
    }
    s.random_starts(m, rng, count);
    s.equilibria(m)
}
