//! Joint neuron–synapse dynamics with pairwise plasticity (Gong, Chen & Ching, arXiv 2312.14896):
//!
//! ```text
//! dx_i/dt  = −γx x_i + Σ_j M_ij w_ij σ(x_j) + Σ_j F_ij σ(x_j) + u_i
//! dw_ij/dt = ε (−γw w_ij + h σ(x_i) σ(x_j))        (M_ij = 1: plastic synapse j → i)
//! ```
//! with logistic σ, h > 0 Hebbian and h < 0 anti-Hebbian (the authors' C = −h), F the fixed
//! (non-plastic) inter-cluster weights of the authors' ring. The state is `[x_0..x_n, w_0..w_m]`
//! with one `w` per plastic synapse in the order of [`Network::synapses`].

use crate::dynamics::fm;
use nalgebra::DMatrix;

/// Logistic σ(z) = 1 / (1 + e^(−z)).
#[inline]
pub fn sigma(z: f64) -> f64 {
    1.0 / (1.0 + fm::exp(-z))
}

/// G(V) = V ln V + (1 − V) ln(1 − V), so that G'(V) = σ⁻¹(V).
pub fn entropy_g(v: f64) -> f64 {
    let t = |p: f64| if p > 0.0 { p * fm::ln(p) } else { 0.0 };
    t(v) + t(1.0 - v)
}

crate::choice_enum! {
    /// Which network the network views simulate (the `net` parameter).
    pub enum NetKind {
        /// Two all-to-all plastic 3-cliques sharing one "choke" neuron (neuron 3 of 5).
        Choke = "choke",
        /// Two neurons with a reciprocal plastic pair: the reduced motif of the pitchfork.
        Pair = "pair",
        /// The authors' ring: 4 plastic 3-cliques with fixed inter-cluster weights.
        Ring = "ring" : "4×3 ring",
        /// One all-to-all plastic 3-clique.
        Clique3 = "clique3" : "3-clique",
        /// One all-to-all plastic 4-clique.
        Clique4 = "clique4" : "4-clique",
        /// A chain of 3 neurons, each neighbouring pair a reciprocal plastic pair.
        Chain3 = "chain3" : "chain of 3",
        /// A chain of 4 neurons of reciprocal plastic pairs.
        Chain4 = "chain4" : "chain of 4",
        /// Two plastic 3-cliques joined by one reciprocal plastic "bridge" pair (6 neurons).
        Bridge = "bridge" : "bridged 3-cliques",
    }
}

/// The fixed inter-cluster links of the authors' ring (target ← source, 0-based neuron index
/// 3·cluster + neuron), in the note's link order.
pub const RING_LINKS: [(usize, usize); 8] = [
    (0, 3),
    (2, 5),
    (3, 6),
    (5, 8),
    (7, 10),
    (8, 11),
    (9, 0),
    (11, 2),
];

/// The hard-coded inter-cluster weights of the note (§5), one per [`RING_LINKS`] entry.
pub const RING_WEIGHTS: [f64; 8] = [1.26, -1.32, 6.40, 1.05, -5.36, 3.62, 13.04, 9.47];

/// Topology: neurons, plastic synapses (post, pre), fixed weights (post, pre, value), layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub kind: NetKind,
    pub n: usize,
    pub synapses: Vec<(usize, usize)>,
    pub fixed: Vec<(usize, usize, f64)>,
    /// Drawing positions in the unit square.
    pub pos: Vec<(f64, f64)>,
    /// Neurons where clusters meet (the choke neuron; the ring's interconnection neurons).
    pub junction: Vec<bool>,
}

/// `n` drawing positions on a regular polygon of radius `r` around `c`, the first at the top.
fn polygon(n: usize, c: (f64, f64), r: f64) -> Vec<(f64, f64)> {
    (0..n)
        .map(|k| {
            let a = std::f64::consts::FRAC_PI_2 + k as f64 * std::f64::consts::TAU / n as f64;
            (c.0 + r * fm::cos(a), c.1 + r * fm::sin(a))
        })
        .collect()
}

fn clique(nodes: &[usize], syn: &mut Vec<(usize, usize)>) {
    for &i in nodes {
        for &j in nodes {
            if i != j {
                syn.push((i, j));
            }
        }
    }
}

impl Network {
    pub fn new(kind: NetKind) -> Network {
        let mut synapses = Vec::new();
        let plain =
            |n: usize, synapses: Vec<(usize, usize)>, pos: Vec<(f64, f64)>, junctions: &[usize]| {
                let mut junction = vec![false; n];
                for &j in junctions {
                    junction[j] = true;
                }
                Network {
                    kind,
                    n,
                    synapses,
                    fixed: Vec::new(),
                    pos,
                    junction,
                }
            };
        match kind {
            NetKind::Clique3 => {
                clique(&[0, 1, 2], &mut synapses);
                plain(3, synapses, polygon(3, (0.5, 0.47), 0.36), &[])
            }
            NetKind::Clique4 => {
                clique(&[0, 1, 2, 3], &mut synapses);
                plain(4, synapses, polygon(4, (0.5, 0.5), 0.38), &[])
            }
            NetKind::Chain3 | NetKind::Chain4 => {
                let n = if kind == NetKind::Chain3 { 3 } else { 4 };
                for i in 1..n {
                    clique(&[i - 1, i], &mut synapses);
                }
                let pos = (0..n)
                    .map(|i| (0.1 + 0.8 * i as f64 / (n - 1) as f64, 0.5))
                    .collect();
                let inner: Vec<usize> = (1..n - 1).collect();
                plain(n, synapses, pos, &inner)
            }
            NetKind::Bridge => {
                clique(&[0, 1, 2], &mut synapses);
                clique(&[3, 4, 5], &mut synapses);
                clique(&[2, 3], &mut synapses);
                let pos = vec![
                    (0.08, 0.85),
                    (0.08, 0.15),
                    (0.38, 0.5),
                    (0.62, 0.5),
                    (0.92, 0.85),
                    (0.92, 0.15),
                ];
                plain(6, synapses, pos, &[2, 3])
            }
            NetKind::Pair => {
                clique(&[0, 1], &mut synapses);
                Network {
                    kind,
                    n: 2,
                    synapses,
                    fixed: Vec::new(),
                    pos: vec![(0.25, 0.5), (0.75, 0.5)],
                    junction: vec![false; 2],
                }
            }
            NetKind::Choke => {
                clique(&[0, 1, 2], &mut synapses);
                clique(&[2, 3, 4], &mut synapses);
                let mut junction = vec![false; 5];
                junction[2] = true;
                Network {
                    kind,
                    n: 5,
                    synapses,
                    fixed: Vec::new(),
                    pos: vec![
                        (0.1, 0.85),
                        (0.1, 0.15),
                        (0.5, 0.5),
                        (0.9, 0.85),
                        (0.9, 0.15),
                    ],
                    junction,
                }
            }
            NetKind::Ring => {
                for c in 0..4 {
                    clique(&[3 * c, 3 * c + 1, 3 * c + 2], &mut synapses);
                }
                let fixed: Vec<(usize, usize, f64)> = RING_LINKS
                    .iter()
                    .zip(RING_WEIGHTS)
                    .map(|(&(t, s), w)| (t, s, w))
                    .collect();
                let mut junction = vec![false; 12];
                for &(t, s, _) in &fixed {
                    junction[t] = true;
                    junction[s] = true;
                }
                // clusters at the corners of a square, each a small triangle
                let centres = [(0.22, 0.78), (0.78, 0.78), (0.78, 0.22), (0.22, 0.22)];
                let mut pos = Vec::new();
                for (cx, cy) in centres {
                    for k in 0..3 {
                        let a = std::f64::consts::PI / 2.0
                            + k as f64 * 2.0 * std::f64::consts::PI / 3.0;
                        pos.push((cx + 0.13 * fm::cos(a), cy + 0.13 * fm::sin(a)));
                    }
                }
                Network {
                    kind,
                    n: 12,
                    synapses,
                    fixed,
                    pos,
                    junction,
                }
            }
        }
    }

    /// Number of plastic synapses.
    pub fn m(&self) -> usize {
        self.synapses.len()
    }

    /// Human name of neuron `i` (1-based; the ring's as x_{cluster,neuron}).
    pub fn name(&self, i: usize) -> String {
        match self.kind {
            NetKind::Ring => format!("x{},{}", i / 3 + 1, i % 3 + 1),
            _ => format!("x{}", i + 1),
        }
    }
}

/// The model: a network and its rates.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub net: Network,
    pub gx: f64,
    pub gw: f64,
    pub eps: f64,
    pub h: f64,
    /// Bias u_i per neuron.
    pub u: Vec<f64>,
}

impl Model {
    /// Dimension of the full state (neurons + plastic synapses).
    pub fn dim(&self) -> usize {
        self.net.n + self.net.m()
    }

    /// k = h / (γx γw), the dimensionless plasticity strength.
    pub fn k(&self) -> f64 {
        self.h / (self.gx * self.gw)
    }

    /// Calls `f` with σ(x_i) of the first n entries of `x`, computed once per neuron (on the
    /// stack for up to 16 neurons: these are evaluated inside Newton and ODE loops).
    fn with_sigmas<R>(&self, x: &[f64], f: impl FnOnce(&[f64]) -> R) -> R {
        let n = self.net.n;
        if n <= 16 {
            let mut sg = [0.0f64; 16];
            for (s, &v) in sg.iter_mut().zip(&x[..n]) {
                *s = sigma(v);
            }
            f(&sg[..n])
        } else {
            let sg: Vec<f64> = x[..n].iter().map(|&v| sigma(v)).collect();
            f(&sg)
        }
    }

    /// The full vector field at state `s = [x, w]`.
    pub fn field(&self, s: &[f64], ds: &mut [f64]) {
        self.with_sigmas(s, |sg| self.field_with(s, ds, sg));
    }

    fn field_with(&self, s: &[f64], ds: &mut [f64], sg: &[f64]) {
        let n = self.net.n;
        for i in 0..n {
            ds[i] = -self.gx * s[i] + self.u.get(i).copied().unwrap_or(0.0);
        }
        for (k, &(i, j)) in self.net.synapses.iter().enumerate() {
            let w = s[n + k];
            ds[i] += w * sg[j];
            ds[n + k] = self.eps * (-self.gw * w + self.h * sg[i] * sg[j]);
        }
        for &(i, j, c) in &self.net.fixed {
            ds[i] += c * sg[j];
        }
    }

    /// Analytic Jacobian of the full field at `s`.
    pub fn jacobian(&self, s: &[f64]) -> DMatrix<f64> {
        let d = self.dim();
        let mut j = DMatrix::zeros(d, d);
        self.jacobian_into(s, &mut j);
        j
    }

    /// [`Model::jacobian`] written into `j` (resized to dim × dim if it is not; every entry
    /// overwritten).
    pub fn jacobian_into(&self, s: &[f64], j: &mut DMatrix<f64>) {
        let n = self.net.n;
        let d = self.dim();
        if j.nrows() != d || j.ncols() != d {
            *j = DMatrix::zeros(d, d);
        }
        j.fill(0.0);
        let ds = |v: f64| v * (1.0 - v);
        self.with_sigmas(s, |sg| {
            for i in 0..n {
                j[(i, i)] = -self.gx;
            }
            for (k, &(a, b)) in self.net.synapses.iter().enumerate() {
                let w = s[n + k];
                j[(a, b)] += w * ds(sg[b]);
                j[(a, n + k)] = sg[b];
                j[(n + k, a)] += self.eps * self.h * ds(sg[a]) * sg[b];
                j[(n + k, b)] += self.eps * self.h * sg[a] * ds(sg[b]);
                j[(n + k, n + k)] = -self.eps * self.gw;
            }
            for &(a, b, c) in &self.net.fixed {
                j[(a, b)] += c * ds(sg[b]);
            }
        });
    }

    /// The full state `[x, w*(x)]` with the slaved weights w_ij = (h/γw) σ(x_i) σ(x_j).
    pub fn full_state(&self, x: &[f64]) -> Vec<f64> {
        let mut s = Vec::with_capacity(self.dim());
        self.full_state_into(x, &mut s);
        s
    }

    /// [`Model::full_state`] written into `s` (cleared first).
    pub fn full_state_into(&self, x: &[f64], s: &mut Vec<f64>) {
        s.clear();
        s.extend_from_slice(x);
        let c = self.h / self.gw;
        s.extend(
            self.net
                .synapses
                .iter()
                .map(|&(i, j)| c * sigma(x[i]) * sigma(x[j])),
        );
    }

    /// Reduced (slaved-weight) field, whose zeros are exactly the full system's equilibria:
    /// F_i(x) = −γx x_i + (h/γw) σ_i Σ_j M_ij σ_j² + Σ_j F_ij σ_j + u_i.
    pub fn reduced(&self, x: &[f64], f: &mut [f64]) {
        let n = self.net.n;
        let c = self.h / self.gw;
        for i in 0..n {
            f[i] = -self.gx * x[i] + self.u.get(i).copied().unwrap_or(0.0);
        }
        self.with_sigmas(x, |sg| {
            for &(i, j) in &self.net.synapses {
                let (si, sj) = (sg[i], sg[j]);
                f[i] += c * si * sj * sj;
            }
            for &(i, j, w) in &self.net.fixed {
                f[i] += w * sg[j];
            }
        });
    }

    /// Jacobian of [`Model::reduced`].
    pub fn reduced_jacobian(&self, x: &[f64]) -> DMatrix<f64> {
        let n = self.net.n;
        let mut j = DMatrix::zeros(n, n);
        self.reduced_jacobian_into(x, &mut j);
        j
    }

    /// [`Model::reduced_jacobian`] written into `j` (n×n, every entry overwritten).
    pub fn reduced_jacobian_into(&self, x: &[f64], j: &mut DMatrix<f64>) {
        let n = self.net.n;
        let c = self.h / self.gw;
        j.fill(0.0);
        for i in 0..n {
            j[(i, i)] = -self.gx;
        }
        self.with_sigmas(x, |sg| {
            for &(a, b) in &self.net.synapses {
                let (sa, sb) = (sg[a], sg[b]);
                let (da, db) = (sa * (1.0 - sa), sb * (1.0 - sb));
                j[(a, a)] += c * da * sb * sb;
                j[(a, b)] += c * sa * 2.0 * sb * db;
            }
            for &(a, b, w) in &self.net.fixed {
                let sb = sg[b];
                j[(a, b)] += w * sb * (1.0 - sb);
            }
        });
    }

    /// Effective energy after eliminating the weights (no fixed weights):
    /// E_eff(V) = γx Σ G(V_i) − (h/(4γw)) Σ_{i≠j} M_ij V_i² V_j² − Σ u_i V_i, V = σ(x).
    pub fn energy(&self, x: &[f64]) -> f64 {
        let v: Vec<f64> = x.iter().map(|&z| sigma(z)).collect();
        let mut e: f64 = v.iter().map(|&vi| self.gx * entropy_g(vi)).sum();
        for &(i, j) in &self.net.synapses {
            e -= self.h / (4.0 * self.gw) * v[i] * v[i] * v[j] * v[j];
        }
        for (i, vi) in v.iter().enumerate() {
            e -= self.u.get(i).copied().unwrap_or(0.0) * vi;
        }
        e
    }
}

/// A fast, allocation-free RK4 integrator for the pair (state x1, x2, w12, w21).
#[derive(Debug, Clone, Copy)]
pub struct PairFlow {
    pub gx: f64,
    pub gw: f64,
    pub eps: f64,
    pub h: f64,
    pub u: [f64; 2],
}

impl PairFlow {
    pub fn from_model(m: &Model) -> PairFlow {
        PairFlow {
            gx: m.gx,
            gw: m.gw,
            eps: m.eps,
            h: m.h,
            u: [
                m.u.first().copied().unwrap_or(0.0),
                m.u.get(1).copied().unwrap_or(0.0),
            ],
        }
    }

    /// d/dt (x1, x2, w12, w21).
    #[inline]
    pub fn eval(&self, s: [f64; 4]) -> [f64; 4] {
        let (s1, s2) = (sigma(s[0]), sigma(s[1]));
        let hebb = self.h * s1 * s2;
        [
            -self.gx * s[0] + s[2] * s2 + self.u[0],
            -self.gx * s[1] + s[3] * s1 + self.u[1],
            self.eps * (-self.gw * s[2] + hebb),
            self.eps * (-self.gw * s[3] + hebb),
        ]
    }

    /// One RK4 step of size `dt`; returns the new state.
    #[inline]
    pub fn rk4(&self, s: [f64; 4], dt: f64) -> [f64; 4] {
        let add = |a: [f64; 4], b: [f64; 4], c: f64| {
            [
                a[0] + c * b[0],
                a[1] + c * b[1],
                a[2] + c * b[2],
                a[3] + c * b[3],
            ]
        };
        let k1 = self.eval(s);
        let k2 = self.eval(add(s, k1, 0.5 * dt));
        let k3 = self.eval(add(s, k2, 0.5 * dt));
        let k4 = self.eval(add(s, k3, dt));
        let mut out = s;
        for i in 0..4 {
            out[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::linalg::numeric_jacobian;

    fn model(kind: NetKind) -> Model {
        let net = Network::new(kind);
        let n = net.n;
        Model {
            net,
            gx: 0.1,
            gw: 0.1,
            eps: 0.7,
            h: -2.0,
            u: (0..n).map(|i| 0.01 * i as f64).collect(),
        }
    }

    #[test]
    fn analytic_jacobians_match_finite_differences() {
        for kind in [NetKind::Pair, NetKind::Choke, NetKind::Ring] {
            let m = model(kind);
            let s: Vec<f64> = (0..m.dim())
                .map(|i| ((i * 7919) % 13) as f64 * 0.3 - 2.0)
                .collect();
            let a = m.jacobian(&s);
            let b = numeric_jacobian(|x, y| m.field(x, y), &s, 1e-6);
            assert!((a - b).amax() < 1e-6, "{kind:?} full");
            let x = &s[..m.net.n];
            let a = m.reduced_jacobian(x);
            let b = numeric_jacobian(|x, y| m.reduced(x, y), x, 1e-6);
            assert!((a - b).amax() < 1e-6, "{kind:?} reduced");
        }
    }

    #[test]
    fn pair_flow_matches_general_field() {
        let m = model(NetKind::Pair);
        let p = PairFlow::from_model(&m);
        let s = [-1.0, 0.3, -0.5, 0.2];
        let mut ds = [0.0; 4];
        m.field(&s, &mut ds);
        let q = p.eval(s);
        for i in 0..4 {
            assert!((ds[i] - q[i]).abs() < 1e-15);
        }
    }

    #[test]
    fn slaved_flow_is_gradient_of_energy() {
        // V̇_i = −σ'(x_i) ∂E/∂V_i for the pair without fixed weights: ẋ_i = −∂E/∂V_i.
        let m = model(NetKind::Pair);
        let x = [-1.3, -0.4];
        let mut f = [0.0; 2];
        m.reduced(&x, &mut f);
        for i in 0..2 {
            let dv = 1e-6;
            let v0 = sigma(x[i]);
            let xp = |v: f64| fm::ln(v / (1.0 - v));
            let mut a = x;
            a[i] = xp(v0 + dv);
            let mut b = x;
            b[i] = xp(v0 - dv);
            let de = (m.energy(&a) - m.energy(&b)) / (2.0 * dv);
            assert!((f[i] + de).abs() < 1e-6, "{} vs {}", f[i], -de);
        }
    }
}
