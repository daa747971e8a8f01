//! The two training runs of one setting, each a job of its own: curl descent with its
//! stability, q and Lyapunov diagnostics ([`CdTraining`]), and gradient descent from the same
//! initial weights on the same data ([`GdTraining`]). The runs share no state, so running them
//! apart gives the numbers of running them side by side.

use super::chaos::{Lyapunov, QWindow};
use super::config::{Config, PROJ_MAX_M, UNIT_COST};
use super::network::{self, stream, Problem, SIGMA2};
use super::run::Run;
use super::stability;
use crate::dynamics::fm;
use crate::dynamics::rng;
use serde::{Deserialize, Serialize};

/// Errors of one run at one time t = η·epoch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErrRec {
    pub t: f64,
    pub train: f64,
    pub test: f64,
}

/// Stability of the curl-descent weights at one time (eigenvalues per unit time t).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StabRec {
    pub t: f64,
    /// λ_min(X).
    pub lam_min_x: f64,
    /// −σx² λ_min(X): the largest nontrivial Jacobian eigenvalue of the unprojected flow.
    pub jac: f64,
    /// −σx² min Re eig(X_p): the same for the norm-projected flow (NaN if off or skipped).
    pub jac_proj: f64,
    /// min Re eig(X_p).
    pub lam_min_xp: f64,
    /// ‖(I − D)∇L‖ / ‖∇L‖.
    pub curl: f64,
}

/// How often a run records its errors: every `epochs/400` epochs.
fn rec_every(cfg: &Config) -> usize {
    (cfg.epochs.max(1) / 400).max(1)
}

/// The errors of `r` now (NaN once it diverged).
fn errors(r: &mut Run, prob: &Problem) -> (f64, f64) {
    if r.diverged {
        (f64::NAN, f64::NAN)
    } else {
        (r.train_error(prob), r.test_error(prob))
    }
}

/// Appends a record at time `t` unless the last one is at `t` already.
fn record(errs: &mut Vec<ErrRec>, r: &mut Run, prob: &Problem, t: f64) {
    let (train, test) = errors(r, prob);
    if errs.last().is_some_and(|e| e.t == t) {
        return;
    }
    errs.push(ErrRec { t, train, test });
}

/// What the curl-descent job shows as it runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CdView {
    pub errs: Vec<ErrRec>,
    pub stab: Vec<StabRec>,
    /// Spectrum of X (ascending) and of X_p (real, imaginary parts) at the last stability record.
    pub spectrum: Vec<f64>,
    pub spectrum_proj: Vec<(f64, f64)>,
    /// (time at a window's end, q of the window).
    pub q: Vec<(f64, f64)>,
    /// (time, running estimate) of the largest Lyapunov exponent, and the estimate now.
    pub lyap_running: Vec<(f64, f64)>,
    pub lyap: f64,
    pub epoch: usize,
    pub epochs: usize,
    pub diverged: bool,
    pub diverged_at: Option<f64>,
}

/// What the gradient-descent job shows as it runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GdView {
    pub errs: Vec<ErrRec>,
    pub epoch: usize,
    pub epochs: usize,
    pub diverged: bool,
    pub diverged_at: Option<f64>,
}

/// Curl descent with its diagnostics.
pub struct CdTraining {
    pub cfg: Config,
    pub prob: Problem,
    pub cd: Run,
    pub lyap: Lyapunov,
    pub q: QWindow,
    pub view: CdView,
    stab_every: usize,
    epochs_per_unit: usize,
}

impl CdTraining {
    pub fn new(cfg: &Config, seed: u64) -> CdTraining {
        let (prob, _gd, mut cd) = cfg.runs(seed);
        // Lyapunov shadow: the CD run displaced by d0 along a random direction
        let mut shadow = cd.clone();
        let mut rl = rng::seeded(seed, stream::LYAPUNOV);
        let theta_norm = fm::hypot(network::norm(&cd.net.w1), network::norm(&cd.net.w2));
        let d0 = 1e-8 * theta_norm.max(1.0);
        let mut dir: Vec<f64> = (0..cd.net.w1.len() + cd.net.w2.len())
            .map(|_| rng::normal(&mut rl))
            .collect();
        network::rescale(&mut dir, d0);
        let nw1 = shadow.net.w1.len();
        for (w, d) in shadow.net.w1.iter_mut().zip(&dir[..nw1]) {
            *w += d;
        }
        for (w, d) in shadow.net.w2.iter_mut().zip(&dir[nw1..]) {
            *w += d;
        }
        shadow.invalidate_cache();
        let epochs = cfg.epochs.max(1);
        let lyap = Lyapunov::new(shadow, d0, 10, epochs / 5);
        let m3 = fm::powi(cfg.m as f64, 3);
        let eig_cost = 10.0 * m3
            + if cfg.proj && cfg.m <= PROJ_MAX_M {
                25.0 * m3
            } else {
                0.0
            }
            + cfg.epoch_cost();
        let k = (3e7 / eig_cost).clamp(2.0, 100.0) as usize;
        let mut view = CdView {
            epochs: cfg.epochs,
            diverged: cd.diverged,
            lyap: f64::NAN,
            ..CdView::default()
        };
        record(&mut view.errs, &mut cd, &prob, 0.0);
        CdTraining {
            cfg: cfg.clone(),
            prob,
            cd,
            lyap,
            q: QWindow::new(epochs / 8),
            view,
            stab_every: (epochs / k).max(1),
            epochs_per_unit: ((UNIT_COST / (2.0 * cfg.epoch_cost())).floor() as usize).max(1),
        }
    }

    pub fn time(&self) -> f64 {
        self.cd.epoch as f64 * self.cfg.eta
    }

    pub fn done(&self) -> bool {
        self.cd.diverged || self.cd.epoch >= self.cfg.epochs
    }

    pub fn fraction(&self) -> f64 {
        self.cd.epoch as f64 / self.cfg.epochs.max(1) as f64
    }

    /// Trains a slice of epochs (≈ [`UNIT_COST`] multiply-adds). Returns false when done.
    pub fn unit(&mut self) -> bool {
        if self.done() {
            return false;
        }
        if self.view.stab.is_empty() {
            // the first eigen-decomposition is a unit of its own
            self.record_stability();
            return true;
        }
        let rec = rec_every(&self.cfg);
        for _ in 0..self.epochs_per_unit {
            if self.done() {
                break;
            }
            self.cd.epoch(&self.prob);
            self.lyap.after_epoch(&self.prob, &self.cd);
            self.q.push(self.time(), &self.cd.net.w1, &self.cd.net.w2);
            if self.cd.diverged && self.view.diverged_at.is_none() {
                self.view.diverged_at = Some(self.time());
            }
            let e = self.cd.epoch;
            if e.is_multiple_of(rec) || self.done() {
                let t = self.time();
                record(&mut self.view.errs, &mut self.cd, &self.prob, t);
            }
            if e.is_multiple_of(self.stab_every) || self.done() {
                self.record_stability();
            }
        }
        self.view.epoch = self.cd.epoch;
        self.view.diverged = self.cd.diverged;
        self.view.q.clone_from(&self.q.values);
        self.view.lyap_running.clone_from(&self.lyap.running);
        self.view.lyap = self.lyap.exponent();
        true
    }

    fn record_stability(&mut self) {
        if self.cd.diverged {
            return;
        }
        let t = self.time();
        if self.view.stab.last().is_some_and(|r| r.t == t) {
            return;
        }
        let net = &self.cd.net;
        let x = stability::x_matrix(net, &self.cd.d_in, &self.cd.d_hid);
        let spec = crate::dynamics::linalg::symmetric_eigenvalues(&x);
        let lam = spec.first().copied().unwrap_or(f64::NAN);
        let (jac_proj, lam_p) = if self.cfg.proj && self.cfg.m <= PROJ_MAX_M {
            let xp = stability::x_projected(net, &self.cd.d_in, &self.cd.d_hid);
            let ev = stability::eig_ascending(&xp);
            self.view.spectrum_proj = ev.iter().map(|c| (c.re, c.im)).collect();
            let lp = ev.first().map_or(f64::NAN, |c| c.re);
            (-SIGMA2 * lp, lp)
        } else {
            self.view.spectrum_proj.clear();
            (f64::NAN, f64::NAN)
        };
        self.view.spectrum = spec;
        let curl = self.cd.curl_fraction(&self.prob);
        self.view.stab.push(StabRec {
            t,
            lam_min_x: lam,
            jac: -SIGMA2 * lam,
            jac_proj,
            lam_min_xp: lam_p,
            curl,
        });
    }
}

impl CdView {
    /// The largest nontrivial Jacobian eigenvalue of the flow actually run (projected if on).
    pub fn jacobian_max(&self, proj: bool) -> f64 {
        self.stab.last().map_or(f64::NAN, |s| {
            if proj && s.jac_proj.is_finite() {
                s.jac_proj
            } else {
                s.jac
            }
        })
    }

    /// The q of the last completed window.
    pub fn q_last(&self) -> f64 {
        self.q.last().map_or(f64::NAN, |v| v.1)
    }
}

/// The last finite test error of a run's records.
pub fn final_error(errs: &[ErrRec]) -> f64 {
    errs.iter()
        .rev()
        .map(|r| r.test)
        .find(|v| v.is_finite())
        .unwrap_or(f64::NAN)
}

/// Gradient descent from the same start.
pub struct GdTraining {
    pub cfg: Config,
    pub prob: Problem,
    pub gd: Run,
    pub view: GdView,
    epochs_per_unit: usize,
}

impl GdTraining {
    pub fn new(cfg: &Config, seed: u64) -> GdTraining {
        let (prob, mut gd, _cd) = cfg.runs(seed);
        let mut view = GdView {
            epochs: cfg.epochs,
            diverged: gd.diverged,
            ..GdView::default()
        };
        record(&mut view.errs, &mut gd, &prob, 0.0);
        GdTraining {
            cfg: cfg.clone(),
            prob,
            gd,
            view,
            epochs_per_unit: ((UNIT_COST / cfg.epoch_cost()).floor() as usize).max(1),
        }
    }

    pub fn time(&self) -> f64 {
        self.gd.epoch as f64 * self.cfg.eta
    }

    pub fn done(&self) -> bool {
        self.gd.diverged || self.gd.epoch >= self.cfg.epochs
    }

    pub fn fraction(&self) -> f64 {
        self.gd.epoch as f64 / self.cfg.epochs.max(1) as f64
    }

    /// Trains a slice of epochs. Returns false when done.
    pub fn unit(&mut self) -> bool {
        if self.done() {
            return false;
        }
        let rec = rec_every(&self.cfg);
        for _ in 0..self.epochs_per_unit {
            if self.done() {
                break;
            }
            self.gd.epoch(&self.prob);
            if self.gd.diverged && self.view.diverged_at.is_none() {
                self.view.diverged_at = Some(self.time());
            }
            if self.gd.epoch.is_multiple_of(rec) || self.done() {
                let t = self.time();
                record(&mut self.view.errs, &mut self.gd, &self.prob, t);
            }
        }
        self.view.epoch = self.gd.epoch;
        self.view.diverged = self.gd.diverged;
        true
    }
}
