//! Long work as stages of independent jobs.
//!
//! A lab declares its long work as [`Stage`]s. A stage is a list of jobs; a job is a pure
//! function of (the stage's link, the stage, the job's index) and its output is plain data
//! that is merged in job order. So one job description ([`JobSpec`]) runs unchanged on the
//! page, in a Web Worker and in `lde` on another machine, with the same bits everywhere.
//!
//! Two choices go beyond the design in ARCHITECTURE.md, and why:
//! - **Stages never wait for each other.** Whatever a stage needs from "earlier" work is part
//!   of the lab's context, rebuilt from the link (cheaply, or lazily on a job's first use). So
//!   every stage can be scheduled at once and a pool of workers stays full; the declared order
//!   is only a priority.
//! - **Each stage names the parameters its jobs read** ([`Deps`]). The stage's link holds just
//!   those (and the seed), so results survive a change of any other parameter: moving the
//!   "shown attractor" slider recomputes nothing, and a click that moves the 1-D start keeps the
//!   N-D training. The contract test checks that a job gives the same bits from the full link
//!   and from its stage's link, so a missing dependency cannot go unnoticed.

use crate::params::{Link, Params};

/// A clock: returns true once the time slice is used up.
pub type OutOfTime<'a> = &'a mut dyn FnMut() -> bool;

/// Which parameters a stage's jobs read (besides the seed, which every stage reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deps {
    /// Every parameter.
    All,
    /// Only these keys.
    Keys(&'static [&'static str]),
}

impl Deps {
    pub fn contains(&self, key: &str) -> bool {
        match self {
            Deps::All => true,
            Deps::Keys(k) => k.contains(&key),
        }
    }
}

/// The order in which a stage's jobs are handed out (results still merge in index order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// 0, 1, 2, …
    Linear,
    /// Coarse to fine: 0, n/2, n/4, 3n/4, … so that a partly done stage covers its whole range.
    Interleaved,
    /// The costliest jobs first, as the lab knows them (indices, most expensive first): a
    /// stage of few jobs of unequal cost then ends on the short ones, which fill the workers
    /// evenly. Indices missing from the list follow in index order; any beyond the stage are
    /// ignored.
    Costliest(&'static [usize]),
}

/// One stage of a lab's long work.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    /// Written once, in the lab's stage enum; views name it in `shows`.
    pub id: &'static str,
    /// What the progress bar calls it: "basins", "sweep over g".
    pub label: String,
    /// What one job is, plural: "rows", "runs", "seeds".
    pub noun: &'static str,
    pub jobs: usize,
    pub deps: Deps,
    pub order: Order,
    /// Jobs post partial outputs while they run (training shown live).
    pub streams: bool,
    /// Without workers, the page advances this stage's jobs side by side (the runs of one
    /// comparison grow together) instead of one after the other.
    pub side_by_side: bool,
}

impl Stage {
    /// A stage of `jobs` one-shot jobs handed out in index order.
    pub fn new(
        id: &'static str,
        label: impl Into<String>,
        noun: &'static str,
        jobs: usize,
    ) -> Self {
        Stage {
            id,
            label: label.into(),
            noun,
            jobs,
            deps: Deps::All,
            order: Order::Linear,
            streams: false,
            side_by_side: false,
        }
    }
    pub fn deps(mut self, keys: &'static [&'static str]) -> Self {
        self.deps = Deps::Keys(keys);
        self
    }
    pub fn interleaved(mut self) -> Self {
        self.order = Order::Interleaved;
        self
    }
    pub fn costliest_first(mut self, order: &'static [usize]) -> Self {
        self.order = Order::Costliest(order);
        self
    }
    pub fn streaming(mut self) -> Self {
        self.streams = true;
        self
    }
    pub fn side_by_side(mut self) -> Self {
        self.side_by_side = true;
        self
    }

    /// The job indices in the order they are handed out.
    pub fn schedule(&self) -> Vec<usize> {
        match self.order {
            Order::Linear => (0..self.jobs).collect(),
            Order::Interleaved => interleave(self.jobs),
            Order::Costliest(first) => {
                let mut out: Vec<usize> = Vec::with_capacity(self.jobs);
                for &i in first {
                    if i < self.jobs && !out.contains(&i) {
                        out.push(i);
                    }
                }
                for i in 0..self.jobs {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
                out
            }
        }
    }

    /// The link a job of this stage is a function of: the lab, the stage's parameters, the seed.
    pub fn link(&self, p: &Params) -> String {
        p.link_of(|k| self.deps.contains(k))
    }
}

/// 0..n coarse to fine: each pass halves the stride and takes the indices not yet taken.
pub fn interleave(n: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(n);
    let mut taken = vec![false; n];
    let mut stride = n.next_power_of_two().max(1);
    while out.len() < n {
        let mut i = 0;
        while i < n {
            if !taken[i] {
                taken[i] = true;
                out.push(i);
            }
            i += stride;
        }
        if stride == 1 {
            break;
        }
        stride /= 2;
    }
    out
}

/// A job in progress. Short jobs finish in their first [`Work::step`]; long ones (training)
/// check the clock between units of work and may be read part-way ([`Work::output`]).
pub trait Work<O>: Send {
    /// Works until finished or `out_of_time()`; true when finished.
    fn step(&mut self, out_of_time: OutOfTime) -> bool;
    /// The output so far (None before there is any); the job's result once [`Work::step`]
    /// returned true.
    fn output(&self) -> Option<O>;
    /// How far the job has come, in [0, 1].
    fn fraction(&self) -> f64 {
        0.0
    }
}

/// A job computed in one go by `f` (1–20 ms: it ignores the clock).
pub fn once<O, F>(f: F) -> Box<dyn Work<O>>
where
    O: Clone + Send + 'static,
    F: FnOnce() -> O + Send + 'static,
{
    Box::new(Once {
        f: Some(f),
        out: None,
    })
}

struct Once<O, F> {
    f: Option<F>,
    out: Option<O>,
}

impl<O: Clone + Send, F: FnOnce() -> O + Send> Work<O> for Once<O, F> {
    fn step(&mut self, _: OutOfTime) -> bool {
        if let Some(f) = self.f.take() {
            self.out = Some(f());
        }
        true
    }
    fn output(&self) -> Option<O> {
        self.out.clone()
    }
    fn fraction(&self) -> f64 {
        if self.out.is_some() {
            1.0
        } else {
            0.0
        }
    }
}

/// A job that steps `unit` until it returns false, checking the clock between units.
pub struct Stepper<S, O> {
    pub state: S,
    unit: fn(&mut S) -> bool,
    out: fn(&S) -> O,
    frac: fn(&S) -> f64,
    finished: bool,
}

impl<S, O> Stepper<S, O> {
    /// `unit` does one short unit of work and returns false when nothing is left; `out` reads
    /// the output; `frac` says how far it has come.
    pub fn new(state: S, unit: fn(&mut S) -> bool, out: fn(&S) -> O, frac: fn(&S) -> f64) -> Self {
        Stepper {
            state,
            unit,
            out,
            frac,
            finished: false,
        }
    }
}

impl<S: Send, O> Work<O> for Stepper<S, O> {
    fn step(&mut self, out_of_time: OutOfTime) -> bool {
        while !self.finished {
            if !(self.unit)(&mut self.state) {
                self.finished = true;
            } else if out_of_time() {
                break;
            }
        }
        self.finished
    }
    fn output(&self) -> Option<O> {
        Some((self.out)(&self.state))
    }
    fn fraction(&self) -> f64 {
        if self.finished {
            1.0
        } else {
            (self.frac)(&self.state).clamp(0.0, 1.0)
        }
    }
}

/// One job, as text: the stage's link plus `stage=<id>&job=<index>`, e.g.
/// `lab=hebbian&h=-2&…&seed=1&stage=basins&job=17`. The page, a worker and `lde job` all read
/// this same form.
#[derive(Debug, Clone, PartialEq)]
pub struct JobSpec {
    pub link: String,
    pub stage: String,
    pub index: usize,
}

impl JobSpec {
    pub fn to_text(&self) -> String {
        format!("{}&stage={}&job={}", self.link, self.stage, self.index)
    }

    /// Parses the text form; the link part keeps everything but `stage` and `job`.
    pub fn parse(text: &str) -> Result<JobSpec, String> {
        let link = Link::parse(text);
        let stage = link
            .page_value("stage")
            .ok_or("a job needs stage=<id>")?
            .to_string();
        let index = link
            .page_value("job")
            .ok_or("a job needs job=<index>")?
            .parse::<usize>()
            .map_err(|_| "job=<index> must be a whole number".to_string())?;
        let rest: Vec<&str> = text
            .trim_start_matches(['?', '#'])
            .split('&')
            .filter(|p| !(p.starts_with("stage=") || p.starts_with("job=") || p.is_empty()))
            .collect();
        Ok(JobSpec {
            link: rest.join("&"),
            stage,
            index,
        })
    }
}

/// The FNV-1a 64-bit digest of `bytes` (to compare job outputs across places by one number).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interleave_is_a_coarse_to_fine_permutation() {
        for n in [0usize, 1, 2, 3, 7, 8, 9, 100] {
            let o = interleave(n);
            let mut s = o.clone();
            s.sort_unstable();
            assert_eq!(s, (0..n).collect::<Vec<_>>(), "n = {n}");
        }
        assert_eq!(interleave(8), vec![0, 4, 2, 6, 1, 3, 5, 7]);
    }

    #[test]
    fn costliest_first_is_a_permutation_led_by_its_list() {
        for n in [0usize, 1, 3, 7, 9] {
            let o = Stage::new("s", "s", "jobs", n)
                .costliest_first(&[3, 6, 3, 2, 40])
                .schedule();
            let mut s = o.clone();
            s.sort_unstable();
            assert_eq!(s, (0..n).collect::<Vec<_>>(), "n = {n}");
        }
        let o = Stage::new("s", "s", "jobs", 7)
            .costliest_first(&[3, 6, 2])
            .schedule();
        assert_eq!(o, vec![3, 6, 2, 0, 1, 4, 5]);
    }

    #[test]
    fn job_spec_roundtrip() {
        let j = JobSpec {
            link: "lab=hebbian&h=-2&seed=3".into(),
            stage: "basins".into(),
            index: 17,
        };
        assert_eq!(JobSpec::parse(&j.to_text()), Ok(j));
        assert!(JobSpec::parse("lab=hebbian&stage=basins").is_err());
    }
}
