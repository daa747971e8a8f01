//! The pair's bifurcation diagram by continuation in h: at each h the equilibria are
//! Newton-polished from the previous h's equilibria (and, where it exists, the closed-form
//! symmetric/asymmetric solution of the unbiased pair), classified by the full Jacobian,
//! and joined into branches by nearest continuation. With u ≠ 0 this traces the imperfect
//! pitchfork, which has no closed form.

use super::equilibria::{is_stable, polish_in, StabilityWork};
use super::model::Model;
use super::pitchfork::{asymmetric_at, symmetric_x};
use crate::dynamics::newton::Workspace;

/// One computed point of a branch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BranchPoint {
    pub h: f64,
    pub x1: f64,
    pub x2: f64,
    pub stable: bool,
}

/// A continuous branch of equilibria.
pub type Branch = Vec<BranchPoint>;

/// Branches of the pair's equilibria for h on `steps + 1` values in `[h_lo, h_hi]`.
/// `base` supplies γx, γw, ε and u (its h is replaced).
pub fn pair_branches(base: &Model, h_lo: f64, h_hi: f64, steps: usize) -> Vec<Branch> {
    let mut m = base.clone();
    let mut branches: Vec<Branch> = Vec::new();
    // The buffers live across the h steps: a step allocates only when a branch grows past its
    // capacity or a new branch starts.
    let mut active: Vec<usize> = Vec::new(); // indices of branches that reached the previous h
    let mut next_active: Vec<usize> = Vec::new();
    let mut prev: Vec<[f64; 2]> = Vec::new();
    let mut sols: Vec<[f64; 2]> = Vec::new();
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let mut sol_branch: Vec<Option<usize>> = Vec::new();
    let mut used: Vec<bool> = Vec::new();
    let mut newton = Workspace::default();
    let mut stability = StabilityWork::default();
    let steps = steps.max(2);
    for s in 0..=steps {
        let h = h_lo + (h_hi - h_lo) * s as f64 / steps as f64;
        m.h = h;
        let k = m.k();
        // the previous h's equilibria, then the closed-form starts
        let xs = symmetric_x(k);
        let mut extra = [[xs, xs]; 3];
        let mut n_extra = 1;
        if prev.len() < 3 {
            if let Some((lo, hi)) = asymmetric_at(k) {
                extra[1] = [lo, hi];
                extra[2] = [hi, lo];
                n_extra = 3;
            }
        }
        sols.clear();
        for st in prev.iter().chain(&extra[..n_extra]) {
            if polish_in(&m, st, 0.5, &mut newton) {
                let x = [newton.x[0], newton.x[1]];
                if !sols
                    .iter()
                    .any(|y| (y[0] - x[0]).abs() + (y[1] - x[1]).abs() < 1e-7)
                {
                    sols.push(x);
                }
            }
        }
        // join to the nearest active branch (greedy by distance), else start a new branch
        pairs.clear();
        for (si, x) in sols.iter().enumerate() {
            for (ai, &b) in active.iter().enumerate() {
                if let Some(last) = branches[b].last() {
                    // match on the order parameter x1 − x2 (what the diagram plots): along
                    // a branch x1 + x2 can move fast (x ≈ k σ³ rises steeply on the Hebbian
                    // side), while distinct branches are apart in x1 − x2 except where they meet
                    let d = ((last.x1 - last.x2) - (x[0] - x[1])).abs();
                    pairs.push((d, si, ai));
                }
            }
        }
        pairs.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        sol_branch.clear();
        sol_branch.resize(sols.len(), None);
        used.clear();
        used.resize(active.len(), false);
        for &(d, si, ai) in &pairs {
            let scale = (sols[si][0] - sols[si][1]).abs();
            if sol_branch[si].is_none() && !used[ai] && d < 0.5 + 0.25 * scale {
                sol_branch[si] = Some(active[ai]);
                used[ai] = true;
            }
        }
        next_active.clear();
        for (si, x) in sols.iter().enumerate() {
            let p = BranchPoint {
                h,
                x1: x[0],
                x2: x[1],
                stable: is_stable(&m, x, &mut stability),
            };
            let b = match sol_branch[si] {
                Some(b) => b,
                None => {
                    branches.push(Vec::new());
                    branches.len() - 1
                }
            };
            branches[b].push(p);
            next_active.push(b);
        }
        std::mem::swap(&mut active, &mut next_active);
        std::mem::swap(&mut prev, &mut sols);
    }
    branches
}

#[cfg(test)]
mod tests {
    use super::super::equilibria::classify;
    use super::super::model::{Model, NetKind, Network};
    use super::*;

    fn pair(u2: f64) -> Model {
        Model {
            net: Network::new(NetKind::Pair),
            gx: 0.1,
            gw: 0.1,
            eps: 1.0,
            h: 0.0,
            u: vec![0.0, u2],
        }
    }

    #[test]
    fn unbiased_pitchfork_has_three_branches_past_hc() {
        let b = pair_branches(&pair(0.0), -3.0, 1.0, 200);
        let at = |h: f64| -> usize {
            b.iter()
                .filter(|br| br.iter().any(|p| (p.h - h).abs() < 1e-9))
                .count()
        };
        assert_eq!(at(1.0), 1);
        assert_eq!(at(-1.0), 1);
        assert_eq!(at(-2.0), 3);
    }

    #[test]
    fn branch_stability_is_the_full_classification() {
        // the continuation's stability-only test gives `classify`'s flag at every point, and
        // the symmetric state is stable above h_c and unstable below it (the pitchfork)
        let m = pair(0.0);
        let hc = super::super::pitchfork::critical_k() * m.gx * m.gw;
        let (mut sym, mut unstable) = (0, 0);
        for p in pair_branches(&m, -3.0, 1.0, 80).iter().flatten() {
            let mut mh = m.clone();
            mh.h = p.h;
            assert_eq!(p.stable, classify(&mh, &[p.x1, p.x2]).stable, "{p:?}");
            if p.x1 == p.x2 && (p.h - hc).abs() > 0.05 {
                assert_eq!(p.stable, p.h > hc, "{p:?}");
                sym += 1;
                unstable += usize::from(!p.stable);
            }
        }
        assert!(
            sym > 50 && unstable > 10,
            "{sym} symmetric points, {unstable} unstable"
        );
    }

    #[test]
    fn bias_unfolds_the_pitchfork() {
        // With u2 > 0 neuron 2 is favoured: the branch through the old symmetric state stays
        // stable and continuous, and the other stable branch appears at a fold below h_c.
        let b = pair_branches(&pair(0.02), -3.0, 1.0, 400);
        let cont = b.iter().find(|br| {
            br.first().is_some_and(|p| p.h == -3.0) && br.last().is_some_and(|p| p.h == 1.0)
        });
        let cont = cont.map(|c| c.iter().all(|p| p.stable)).unwrap_or(false);
        assert!(
            cont,
            "one branch runs continuously and stably across the whole range"
        );
        assert!(b.len() >= 2);
    }
}
