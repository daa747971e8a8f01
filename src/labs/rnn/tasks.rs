//! The two tasks of the note (§7; the paper's own tasks could not be read, so these are the
//! note's [INFERRED] demo tasks, not the paper's):
//!
//! - **recall** (delayed sign recall): input s = ±1 on steps 1–3, zero afterwards; target s on the
//!   last 10 steps only (masked MSE). Accuracy: sign of the mean output over those steps = s.
//! - **pattern** (Murray-style generation): a unit pulse on step 1, then zero input; target
//!   y*(t) = sin(2πt/100) + ½ sin(4πt/100) + ¼ sin(8πt/100) on every step. "Accuracy" for this
//!   regression task is the fraction of variance explained, max(0, 1 − E/E₀), with E₀ the loss of
//!   a zero output (0.328 for T = 100).
//!
//! Storage: every time series is column-major `rows × (T+1)·B` with time step t in the column
//! block `[t·B, (t+1)·B)`; block 0 is the initial state (no input, no target).

use crate::dynamics::fm;
use crate::dynamics::rng::Rng;
use rand::Rng as _;

crate::choice_enum! {
    /// The task (the `task` parameter).
    pub enum Task {
        /// Remember the sign of a 3-step cue and report it in the last 10 steps.
        Recall = "recall",
        /// After a start pulse, produce a sum of three sines.
        Pattern = "pattern",
    }
}

impl Task {
    /// Steps at the end of a recall trial on which the sign is asked for.
    pub const RECALL_WINDOW: usize = 10;
    /// Input steps of the recall cue.
    pub const CUE_STEPS: usize = 3;
}

/// The pattern target y*(t) = sin(2πt/100) + ½ sin(4πt/100) + ¼ sin(8πt/100).
pub fn pattern_target(t: usize) -> f64 {
    let p = 2.0 * std::f64::consts::PI * t as f64 / 100.0;
    fm::sin(p) + 0.5 * fm::sin(2.0 * p) + 0.25 * fm::sin(4.0 * p)
}

/// One batch of trials: inputs x (1 × (T+1)B), targets y* (1 × (T+1)B), the per-step mask,
/// and each trial's cue sign (recall).
#[derive(Debug, Clone)]
pub struct Batch {
    pub task: Task,
    pub t: usize,
    pub b: usize,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub mask: Vec<f64>,
    pub sign: Vec<f64>,
}

impl Batch {
    pub const N_IN: usize = 1;
    pub const N_OUT: usize = 1;

    /// An empty batch of `b` trials of `t` steps (call [`Batch::draw`] to fill it).
    pub fn new(task: Task, t: usize, b: usize) -> Batch {
        let cols = (t + 1) * b;
        let mut mask = vec![0.0; t + 1];
        match task {
            Task::Recall => {
                let from = t.saturating_sub(Task::RECALL_WINDOW - 1).max(1);
                for m in mask.iter_mut().take(t + 1).skip(from) {
                    *m = 1.0;
                }
            }
            Task::Pattern => {
                for m in mask.iter_mut().skip(1) {
                    *m = 1.0;
                }
            }
        }
        let mut batch = Batch {
            task,
            t,
            b,
            x: vec![0.0; cols],
            y: vec![0.0; cols],
            mask,
            sign: vec![1.0; b],
        };
        if task == Task::Pattern {
            batch.fill_pattern();
        }
        batch
    }

    fn fill_pattern(&mut self) {
        let b = self.b;
        for k in 0..b {
            self.x[b + k] = 1.0;
        }
        for t in 1..=self.t {
            for k in 0..b {
                self.y[t * b + k] = pattern_target(t);
            }
        }
    }

    /// Draws new cue signs (recall); the pattern task has no randomness besides the noise.
    pub fn draw(&mut self, rng: &mut Rng) {
        if self.task == Task::Pattern {
            return;
        }
        let b = self.b;
        for k in 0..b {
            self.sign[k] = if rng.random::<bool>() { 1.0 } else { -1.0 };
        }
        self.x.iter_mut().for_each(|v| *v = 0.0);
        self.y.iter_mut().for_each(|v| *v = 0.0);
        for t in 1..=self.t {
            for k in 0..b {
                if t <= Task::CUE_STEPS {
                    self.x[t * b + k] = self.sign[k];
                }
                if self.mask[t] > 0.0 {
                    self.y[t * b + k] = self.sign[k];
                }
            }
        }
    }

    /// Number of masked (scored) samples: B · (number of scored steps) · n_out.
    pub fn scored(&self) -> f64 {
        self.b as f64 * self.mask.iter().sum::<f64>()
    }

    /// Loss of a zero output E₀ = ½ Σ m y*² / M (0.5 for recall).
    pub fn zero_loss(&self) -> f64 {
        let b = self.b;
        let mut s = 0.0;
        for t in 0..=self.t {
            for k in 0..b {
                s += self.mask[t] * fm::powi(self.y[t * b + k], 2);
            }
        }
        0.5 * s / self.scored().max(1.0)
    }
}
