//! The onset of multistability: the h at which the network's stable count first exceeds 1,
//! sweeping h down from 0 (the anti-Hebbian side), located by bisection.
//!
//! The count at each h is the report's own multistart search ([`super::experiments::search`]),
//! so the onset is consistent with the stable-count view and the report. The sweep steps down
//! from 0 by [`STEP`]·max(1, |h|) (0.1 down to h = −1, then 10 % of |h|, so the 4-clique's
//! onset near −17.5 costs about 55 searches, not 350); between the last h with one stable
//! state and the first with more, bisection halves the bracket to [`TOL`]. A window of
//! multistability narrower than a step could be stepped over: the step is small against the
//! onsets (the pair's is −1.237).

use super::experiments::search;
use super::model::Model;

/// Step of the downward sweep in h, relative to max(1, |h|).
pub const STEP: f64 = 0.1;

/// The next h of the downward sweep from `h`.
fn next_h(h: f64) -> f64 {
    h - STEP * h.abs().max(1.0)
}
/// Width of the final bracket.
pub const TOL: f64 = 5e-5;

/// Stable equilibria of `m` at gain `h`.
fn stable_at(m: &Model, h: f64, seed: u64) -> usize {
    let mut m = m.clone();
    m.h = h;
    search(&m, seed).iter().filter(|e| e.stable).count()
}

/// Where the onset search stands: stepping down, or bisecting a bracket.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Next: the count at `h` (0 first); `above` is the last h with one stable state.
    Sweep {
        h: f64,
        above: f64,
    },
    /// More than one stable state at `a`, at most one at `b`.
    Bisect {
        a: f64,
        b: f64,
    },
    Done(Option<f64>),
}

/// The onset search as a job: one multistart search per step, so a worker can slice, pause
/// and cancel it (the ring's search takes a few hundred ms).
pub struct OnsetJob {
    m: Model,
    lo: f64,
    seed: u64,
    phase: Phase,
    searches: usize,
}

impl OnsetJob {
    pub fn new(m: Model, lo: f64, seed: u64) -> OnsetJob {
        OnsetJob {
            m,
            lo,
            seed,
            phase: Phase::Sweep { h: 0.0, above: 0.0 },
            searches: 0,
        }
    }

    /// One search: advances the phase.
    fn advance(&mut self) {
        self.searches += 1;
        self.phase = match self.phase {
            Phase::Sweep { h, above } => {
                let h = h.max(self.lo);
                if stable_at(&self.m, h, self.seed) > 1 {
                    if h == 0.0 {
                        Phase::Done(Some(0.0))
                    } else {
                        Phase::Bisect { a: h, b: above }
                    }
                } else if h <= self.lo {
                    Phase::Done(None)
                } else {
                    Phase::Sweep {
                        h: next_h(h),
                        above: h,
                    }
                }
            }
            Phase::Bisect { a, b } if b - a <= TOL => Phase::Done(Some(0.5 * (a + b))),
            Phase::Bisect { a, b } => {
                let mid = 0.5 * (a + b);
                if stable_at(&self.m, mid, self.seed) > 1 {
                    Phase::Bisect { a: mid, b }
                } else {
                    Phase::Bisect { a, b: mid }
                }
            }
            done => done,
        };
    }

    /// The onset h in [lo, 0] (Some(0) if already multistable at h = 0; None if the count
    /// never exceeds 1 down to `lo`), once the search is over.
    pub fn result(&self) -> Option<Option<f64>> {
        match self.phase {
            Phase::Done(r) => Some(r),
            _ => None,
        }
    }
}

impl crate::lab::work::Work<super::experiments::Out> for OnsetJob {
    fn step(&mut self, out_of_time: crate::lab::work::OutOfTime) -> bool {
        while self.result().is_none() {
            self.advance();
            if out_of_time() {
                break;
            }
        }
        self.result().is_some()
    }
    fn output(&self) -> Option<super::experiments::Out> {
        self.result().map(super::experiments::Out::Onset)
    }
    fn fraction(&self) -> f64 {
        // about half the sweep's steps down to lo, and 12 bisections
        let sweep = 1.0 / STEP + crate::dynamics::fm::ln((-self.lo).max(1.0)) / STEP;
        let expected = sweep * 0.5 + 12.0;
        (self.searches as f64 / expected).min(0.95)
    }
}

/// [`OnsetJob`] run to the end.
pub fn onset(m: &Model, lo: f64, seed: u64) -> Option<f64> {
    let mut job = OnsetJob::new(m.clone(), lo, seed);
    while job.result().is_none() {
        job.advance();
    }
    job.result().flatten()
}
