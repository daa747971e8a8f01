//! What one training run depends on: the rule, the flossing schedule and the rest of its
//! configuration, with the note's prototype defaults (§5b).

use super::flossing::FlossGrad;
use super::lyapunov::Where;
use super::network::Leak;
use super::tasks::Task;

crate::choice_enum! {
    /// The learning rule (the `rule` parameter).
    pub enum Rule {
        /// The exact gradient.
        Bptt = "bptt" : "BPTT",
        /// e-prop with the readout weights as feedback.
        EpropSym = "eprop_sym" : "e-prop (symmetric)",
        /// e-prop with fixed random feedback.
        EpropRand = "eprop_rand" : "e-prop (random)",
        /// Murray's random-feedback local online rule.
        Rflo = "rflo" : "RFLO",
    }
}

crate::choice_enum! {
    /// When flossing acts (the `fmode` parameter).
    pub enum FlossMode {
        /// Flossing gradient added to the task gradient on every iteration (the note's prototype).
        During = "during",
        /// `fpre` flossing-only iterations before training (Engelken's pre-flossing).
        Before = "before",
        /// Pre-flossing plus two flossing-only phases of `fpre/2` iterations after 1/3 and 2/3
        /// of training (Engelken's inter-flossing, N_i = 2).
        Intermittent = "intermittent",
    }
}

/// Everything a run depends on.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub n: usize,
    pub g: f64,
    pub alpha: f64,
    pub sigma: f64,
    pub task: Task,
    pub t: usize,
    pub batch: usize,
    pub rule: Rule,
    pub lr: f64,
    pub iters: usize,
    pub floss: bool,
    pub beta: f64,
    pub target: f64,
    pub fmode: FlossMode,
    pub fgrad: FlossGrad,
    pub fpre: usize,
    /// Floss only while λ < λ* (avoids pushing stable large-g networks up).
    pub fbelow: bool,
    pub clip: f64,
    pub eval_every: usize,
    pub test_trials: usize,
    pub place: Where,
    /// Measure λ_max at every evaluation (the lab's main run; sweeps and tests skip it).
    pub track_lambda: bool,
    pub seed: u64,
}

impl Config {
    /// The note's prototype defaults (§5b) at a given gain, rule and seed.
    pub fn prototype(g: f64, rule: Rule, seed: u64) -> Config {
        Config {
            n: 64,
            g,
            alpha: 0.2,
            sigma: 0.1,
            task: Task::Recall,
            t: 80,
            batch: 16,
            rule,
            lr: 3e-3,
            iters: 300,
            floss: false,
            beta: 1.0,
            target: 0.0,
            fmode: FlossMode::During,
            fgrad: FlossGrad::Local,
            fpre: 100,
            fbelow: false,
            clip: 1.0,
            eval_every: 10,
            test_trials: 64,
            place: Where::Task,
            track_lambda: false,
            seed,
        }
    }
    pub fn leak(&self) -> Leak {
        Leak {
            alpha: self.alpha,
            sigma: self.sigma,
        }
    }
    /// Rough single-core seconds of the whole run natively, to ask before minutes-long work
    /// (not a promise; ±2×, conservative at large N). Measured with `lde report` on the quiet
    /// 2-core VM (2026-12-02): e-prop at N = 64, T = 80, batch 16 takes about 4.5 ms an
    /// iteration, i.e. ≈ 0.8 ns per batch·(T+1)·N² unit; BPTT 1.25×, RFLO 1×; flossing during
    /// training adds about a third, a flossing-only iteration half an iteration. Each
    /// evaluation runs the test trials and, when tracked, a λ_max measurement.
    pub fn seconds(&self) -> f64 {
        use super::train::Rule;
        let (n2, steps) = ((self.n * self.n) as f64, (self.t + 1) as f64);
        let unit = 0.8e-9 * self.batch as f64 * steps * n2;
        let rule = match self.rule {
            Rule::Bptt => 1.25,
            _ => 1.0,
        };
        let schedule = self.schedule();
        let floss_only = schedule.iter().filter(|&&f| f).count() as f64;
        let floss = if self.floss { 0.35 } else { 0.0 };
        let task = (schedule.len() as f64 - floss_only) * unit * (rule + floss);
        let evals = (self.iters / self.eval_every.max(1) + 1) as f64;
        let eval =
            0.15e-9 * steps * n2 * (self.test_trials as f64 + 16.0 * f64::from(self.track_lambda));
        task + 0.5 * floss_only * unit + evals * eval
    }

    /// The iteration schedule: for each unit, true = flossing only, false = task training.
    pub fn schedule(&self) -> Vec<bool> {
        let mut s = Vec::with_capacity(self.iters + 2 * self.fpre);
        let pre = self.floss && matches!(self.fmode, FlossMode::Before | FlossMode::Intermittent);
        let inter = self.floss && self.fmode == FlossMode::Intermittent;
        if pre {
            s.extend(std::iter::repeat_n(true, self.fpre));
        }
        for i in 0..self.iters {
            if inter && (i == self.iters / 3 || i == 2 * self.iters / 3) && i > 0 {
                s.extend(std::iter::repeat_n(true, self.fpre / 2));
            }
            s.push(false);
        }
        s
    }
}
