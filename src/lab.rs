//! The lab contract: the small face every lab shows to the page, the CLI and the tests.
//!
//! A lab is built from a [`Params`] (a pure function of it), does its long work in slices
//! through [`Lab::advance`], and describes each of its views as a plain [`Chart`] that
//! [`crate::plot::render`] draws on any plotters backend.

use crate::params::{ParamSpec, Params, Warning};
use crate::plot::Chart;

/// How far a lab's pending work has come.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// True when nothing is left to compute (animations may still be running).
    pub done: bool,
    /// Fraction of the pending work done, in [0, 1].
    pub fraction: f64,
    /// What is being computed now, for the progress indicator ("basins 4300/10000").
    pub label: String,
}

impl Progress {
    pub fn finished() -> Self {
        Progress {
            done: true,
            fraction: 1.0,
            label: String::new(),
        }
    }
    pub fn working(fraction: f64, label: impl Into<String>) -> Self {
        Progress {
            done: false,
            fraction: fraction.clamp(0.0, 1.0),
            label: label.into(),
        }
    }
}

/// A view of a lab: one plot with its own canvas, CSV and SVG.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub id: &'static str,
    pub title: &'static str,
    /// One or two sentences under the plot: what it shows and how to read it.
    pub caption: &'static str,
    /// True when a click on the plot means something (see [`Lab::click`]).
    pub clickable: bool,
}

/// A named parameter set that reproduces one of the papers' views.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub label: &'static str,
    /// The link fragment applied over the defaults, e.g. `"net=choke&h=-4"`.
    pub link: &'static str,
    /// What the preset shows, and the caveat that applies to it, if any.
    pub note: &'static str,
}

/// A clock given to [`Lab::advance`]: returns true once the time slice is used up.
pub type OutOfTime<'a> = &'a mut dyn FnMut() -> bool;

/// The face every lab offers.
pub trait Lab {
    /// The lab's parameters (the state that the link carries).
    fn params(&self) -> &Params;

    /// Does pending work (sweeps, basins, training, animations) until `out_of_time()` says
    /// stop or the work is done. Each unit of work between two clock checks should be well
    /// under a few milliseconds so that the page never blocks.
    fn advance(&mut self, out_of_time: OutOfTime) -> Progress;

    /// True while the lab animates (a trajectory or training in progress) even after
    /// `advance` reported its sweeps done.
    fn animating(&self) -> bool {
        false
    }

    /// The chart of one view, from the current state (None for an unknown view).
    fn chart(&self, view: &str) -> Option<Chart>;

    /// The data behind one view as CSV with a header row.
    fn csv(&self, view: &str) -> Option<String>;

    /// The lab's key numbers as JSON.
    fn report(&self) -> serde_json::Value;

    /// Live readouts shown beside the plots: (label, value text, help).
    fn readouts(&self) -> Vec<(String, String, String)>;

    /// A click at data coordinates `(x, y)` of `view`; returns true if the lab reacted
    /// (e.g. launched a trajectory from that point).
    fn click(&mut self, _view: &str, _x: f64, _y: f64) -> bool {
        false
    }

    /// Messages about the current state the page must show (a diverging run, a caveat).
    fn notices(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Static description of a lab kind: its id, specs, views, presets and constructor.
pub struct LabInfo {
    pub id: &'static str,
    pub title: &'static str,
    pub specs: &'static [ParamSpec],
    pub views: &'static [View],
    pub presets: &'static [Preset],
    pub build: fn(Params) -> Box<dyn Lab>,
}

impl LabInfo {
    /// Default parameters of this lab.
    pub fn defaults(&self) -> Params {
        Params::defaults(self.id, self.specs)
    }

    /// Parameters from `key=value` pairs over the defaults, with warnings for what was ignored.
    pub fn params_from_pairs(&self, pairs: &[(String, String)]) -> (Params, Vec<Warning>) {
        let mut p = self.defaults();
        let w = p.apply(pairs);
        (p, w)
    }

    /// Parameters of a preset (over the defaults, keeping `seed`).
    pub fn preset_params(&self, preset: &str, seed: u64) -> Option<Params> {
        let pr = self.presets.iter().find(|p| p.id == preset)?;
        let mut p = self.defaults();
        p.apply(&crate::params::split_link(pr.link));
        p.seed = seed;
        Some(p)
    }
}

/// Runs a lab's pending work to the end (CLI and tests), with a cap on iterations.
pub fn run_to_completion(lab: &mut dyn Lab) -> Progress {
    let mut never = || false;
    let mut p = lab.advance(&mut never);
    let mut guard = 0;
    while !p.done && guard < 1_000_000 {
        p = lab.advance(&mut never);
        guard += 1;
    }
    p
}
