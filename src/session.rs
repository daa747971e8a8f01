//! A session: one live lab built from a link, the outputs of its jobs, and what the page
//! needs to schedule, merge and redraw them. The page's wasm layer, the worker, the CLI and the
//! tests all hold one.
//!
//! Results are kept per stage under the stage's link (the parameters its jobs read, and the
//! seed). When the parameters change, every stage whose link is unchanged keeps its results,
//! and a job in progress for such a stage keeps running. Results arriving for a stage link that
//! is no longer current are stale and dropped: the stage link is the generation tag.

use crate::lab::work::{JobSpec, OutOfTime, Stage};
use crate::lab::{AnyLab, Click, ErasedWork, LabInfo, View};
use crate::labs;
use crate::params::{short, Link, Params, Warning};
use crate::runner::parallel_map;
pub use crate::runner::{job_lab, run_job, run_job_text};

/// The outputs of one stage's jobs under one stage link.
struct StageState {
    stage: Stage,
    link: String,
    outputs: Vec<Option<Vec<u8>>>,
    finished: Vec<bool>,
    /// Fraction done of each job (1 when finished).
    fraction: Vec<f64>,
}

impl StageState {
    fn new(stage: Stage, link: String) -> StageState {
        let n = stage.jobs;
        StageState {
            stage,
            link,
            outputs: vec![None; n],
            finished: vec![false; n],
            fraction: vec![0.0; n],
        }
    }
    fn done(&self) -> usize {
        self.finished.iter().filter(|f| **f).count()
    }
}

/// A job the session runs itself (the page without workers).
struct Running {
    stage: usize,
    index: usize,
    link: String,
    work: Box<dyn ErasedWork>,
}

/// How far one stage has come.
#[derive(Debug, Clone, PartialEq)]
pub struct StageProgress {
    pub id: &'static str,
    pub label: String,
    pub noun: &'static str,
    pub done: usize,
    pub total: usize,
    /// Jobs done plus the fractions of those part-way, over the total.
    pub fraction: f64,
}

/// How far the session's work has come.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub done: bool,
    pub stages: Vec<StageProgress>,
}

impl Progress {
    /// "basins: 40/100 rows" for the first unfinished stage ("" when done).
    pub fn label(&self) -> String {
        self.stages
            .iter()
            .find(|s| s.done < s.total)
            .map(|s| format!("{}: {}/{} {}", s.label, s.done, s.total, s.noun))
            .unwrap_or_default()
    }
    /// Fraction of all jobs done.
    pub fn fraction(&self) -> f64 {
        let total: usize = self.stages.iter().map(|s| s.total).sum();
        if total == 0 {
            return 1.0;
        }
        self.stages
            .iter()
            .map(|s| s.fraction * s.total as f64)
            .sum::<f64>()
            / total as f64
    }
}

/// A pending job for an outside scheduler (the worker pool).
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub stage: usize,
    pub stage_id: &'static str,
    pub link: String,
    pub streams: bool,
    /// Jobs not finished, in the order to hand them out.
    pub jobs: Vec<usize>,
}

/// One live lab and what was ignored when it was opened.
pub struct Session {
    pub info: &'static LabInfo,
    lab: Box<dyn AnyLab>,
    pub warnings: Vec<Warning>,
    pub embed: bool,
    stages: Vec<StageState>,
    views: Vec<View>,
    dirty: Vec<bool>,
    running: Vec<Running>,
    tick: usize,
}

impl Session {
    /// Opens the lab a link names (or the first lab, with a warning, for a wrong name), with
    /// the link's values over the defaults. Never fails: bad values become warnings.
    pub fn from_link(link: &str) -> Session {
        let parsed = Link::parse(link);
        let mut warnings = Vec::new();
        let info = match parsed.lab.as_deref() {
            None | Some("") => labs::default_lab(),
            Some(name) => labs::find(name).unwrap_or_else(|| {
                warnings.push(Warning {
                    key: "lab".into(),
                    message: format!(
                        "no lab named '{}'; opened the {} lab",
                        short(name),
                        labs::default_lab().id
                    ),
                });
                labs::default_lab()
            }),
        };
        // A link for another lab's parameters would only produce noise: apply it only to its own lab.
        let pairs: Vec<(String, String)> = if warnings.is_empty() {
            parsed.pairs
        } else {
            Vec::new()
        };
        let (params, w) = info.params_from_pairs(&pairs);
        warnings.extend(w);
        let mut s = Session::from_params(info, params);
        s.warnings = warnings;
        s.embed = parsed.embed;
        s
    }

    /// A session of lab `info` from explicit parameters.
    pub fn from_params(info: &'static LabInfo, params: Params) -> Session {
        let lab = (info.build)(params);
        let views = lab.views();
        let mut s = Session {
            info,
            dirty: vec![true; views.len()],
            views,
            lab,
            warnings: Vec::new(),
            embed: false,
            stages: Vec::new(),
            running: Vec::new(),
            tick: 0,
        };
        s.stages = s.fresh_stages();
        s
    }

    fn fresh_stages(&self) -> Vec<StageState> {
        let p = self.lab.params();
        self.lab
            .stages()
            .into_iter()
            .map(|st| {
                let link = st.link(p);
                StageState::new(st, link)
            })
            .collect()
    }

    /// Rebuilds the lab from new parameters (a control moved, a preset, a click). Stages whose
    /// link is unchanged keep their outputs (and a job of theirs in progress keeps running).
    pub fn set_params(&mut self, params: Params) {
        let mut lab = (self.info.build)(params);
        let mut fresh: Vec<StageState> = {
            let p = lab.params();
            lab.stages()
                .into_iter()
                .map(|st| {
                    let link = st.link(p);
                    StageState::new(st, link)
                })
                .collect()
        };
        for (i, new) in fresh.iter_mut().enumerate() {
            let Some(old) = self
                .stages
                .iter_mut()
                .find(|o| o.stage.id == new.stage.id && o.link == new.link)
            else {
                continue;
            };
            if old.stage.jobs != new.stage.jobs {
                continue;
            }
            for j in 0..new.stage.jobs {
                if let Some(bytes) = old.outputs[j].take() {
                    if lab.absorb(i, j, &bytes, old.finished[j]).is_ok() {
                        new.outputs[j] = Some(bytes);
                        new.finished[j] = old.finished[j];
                        new.fraction[j] = old.fraction[j];
                    }
                }
            }
        }
        // jobs in progress continue if their stage still has the same link
        let old_ids: Vec<&'static str> = self.stages.iter().map(|s| s.stage.id).collect();
        self.running = std::mem::take(&mut self.running)
            .into_iter()
            .filter_map(|r| {
                let i = fresh
                    .iter()
                    .position(|s| s.link == r.link && s.stage.id == old_ids[r.stage])?;
                Some(Running { stage: i, ..r })
            })
            .collect();
        self.lab = lab;
        self.stages = fresh;
        self.tick = 0;
        self.lab.set_tick(0);
        self.dirty.iter_mut().for_each(|d| *d = true);
    }

    /// Sets one parameter from link text; the warning says why it was refused.
    pub fn set(&mut self, key: &str, text: &str) -> Result<(), Warning> {
        let mut p = self.params().clone();
        p.set(key, text)?;
        self.set_params(p);
        Ok(())
    }

    pub fn params(&self) -> &Params {
        self.lab.params()
    }

    pub fn lab(&self) -> &dyn AnyLab {
        self.lab.as_ref()
    }

    pub fn views(&self) -> &[View] {
        &self.views
    }

    /// The link that reopens this exact state.
    pub fn link(&self) -> String {
        let mut l = self.params().to_link();
        if self.embed {
            l.push_str("&embed=1");
        }
        l
    }

    // ---------- work ----------

    /// The declared stages and their links.
    pub fn stages(&self) -> Vec<(Stage, String)> {
        self.stages
            .iter()
            .map(|s| (s.stage.clone(), s.link.clone()))
            .collect()
    }

    /// The jobs not yet finished, stage by stage in priority order.
    pub fn pending(&self) -> Vec<Pending> {
        self.stages
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let jobs: Vec<usize> = s
                    .stage
                    .schedule()
                    .into_iter()
                    .filter(|&j| !s.finished[j])
                    .collect();
                (!jobs.is_empty()).then(|| Pending {
                    stage: i,
                    stage_id: s.stage.id,
                    link: s.link.clone(),
                    streams: s.stage.streams,
                    jobs,
                })
            })
            .collect()
    }

    /// Rough seconds the pending work needs natively on `workers` cores, from the labs' cost
    /// models: the longest job, or the total shared out, whichever is longer (0: unknown).
    pub fn estimate(&self, workers: usize) -> f64 {
        let costs: Vec<f64> = self
            .pending()
            .iter()
            .flat_map(|p| p.jobs.iter().map(|&j| self.lab.job_cost(p.stage, j)))
            .collect();
        let longest = costs.iter().copied().fold(0.0, f64::max);
        longest.max(costs.iter().sum::<f64>() / workers.max(1) as f64)
    }

    /// The text form of job `index` of stage `stage`.
    pub fn job_spec(&self, stage: usize, index: usize) -> Option<JobSpec> {
        let s = self.stages.get(stage)?;
        (index < s.stage.jobs).then(|| JobSpec {
            link: s.link.clone(),
            stage: s.stage.id.to_string(),
            index,
        })
    }

    /// Takes in an output computed elsewhere (a worker) for stage `stage_id` under `link`.
    /// Returns Ok(false) for a stale result (the stage's link has changed since), which is
    /// dropped; an error for output that does not fit, which changes nothing.
    pub fn absorb(
        &mut self,
        stage_id: &str,
        link: &str,
        index: usize,
        bytes: Vec<u8>,
        finished: bool,
        fraction: f64,
    ) -> Result<bool, String> {
        let Some(i) = self
            .stages
            .iter()
            .position(|s| s.stage.id == stage_id && s.link == link)
        else {
            return Ok(false);
        };
        if index >= self.stages[i].stage.jobs {
            return Err(format!("stage {stage_id} has no job {index}"));
        }
        if self.stages[i].finished[index] {
            return Ok(false);
        }
        self.lab.absorb(i, index, &bytes, finished)?;
        let s = &mut self.stages[i];
        s.outputs[index] = Some(bytes);
        s.finished[index] = finished;
        s.fraction[index] = if finished {
            1.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        self.mark_stage(i);
        Ok(true)
    }

    fn mark_stage(&mut self, stage: usize) {
        let id = self.stages[stage].stage.id;
        for (v, d) in self.views.iter().zip(self.dirty.iter_mut()) {
            if v.shows.contains(&id) {
                *d = true;
            }
        }
    }

    /// Does pending work in the page itself until `out_of_time()` (no workers): the next job in
    /// priority order (all of a side-by-side stage's jobs at once, a unit of each in turn),
    /// stepped within the budget. Finished outputs are taken in at once, partial outputs of
    /// streaming jobs once per call.
    pub fn advance(&mut self, out_of_time: OutOfTime) -> Progress {
        loop {
            if self.running.is_empty() && !self.start_next() {
                break;
            }
            let mut i = 0;
            let alone = self.running.len() == 1;
            while i < self.running.len() {
                let finished = if alone {
                    self.running[i].work.step(out_of_time)
                } else {
                    self.running[i].work.step(&mut || true)
                };
                if finished {
                    let r = self.running.remove(i);
                    self.take_output(&r, true);
                } else {
                    i += 1;
                }
            }
            if out_of_time() {
                break;
            }
        }
        let running = std::mem::take(&mut self.running);
        for r in &running {
            if self.stages[r.stage].stage.streams {
                self.take_output(r, false);
            }
        }
        self.running = running;
        self.progress()
    }

    /// Starts the next pending job (every pending job of a side-by-side stage); false if none.
    fn start_next(&mut self) -> bool {
        for p in self.pending() {
            let together = self.stages[p.stage].stage.side_by_side;
            let take = if together { p.jobs.len() } else { 1 };
            for &index in p.jobs.iter().take(take) {
                match self.lab.start(p.stage, index) {
                    Some(work) => self.running.push(Running {
                        stage: p.stage,
                        index,
                        link: p.link.clone(),
                        work,
                    }),
                    // a declared job the lab cannot start: count it done, empty
                    None => self.stages[p.stage].finished[index] = true,
                }
            }
            if !self.running.is_empty() {
                return true;
            }
        }
        false
    }

    fn take_output(&mut self, r: &Running, finished: bool) {
        if let Some(bytes) = r.work.output() {
            let id = self.stages[r.stage].stage.id;
            let frac = r.work.fraction();
            let _ = self.absorb(id, &r.link, r.index, bytes, finished, frac);
        } else if finished {
            self.stages[r.stage].finished[r.index] = true;
        }
    }

    /// Runs every pending job to the end (CLI and tests), on `threads` native threads; the
    /// outputs are taken in stage by stage in job order, so the result does not depend on
    /// the number of threads.
    pub fn run_all(&mut self, threads: usize) {
        self.running.clear();
        let todo: Vec<(usize, usize, String, &'static str)> = self
            .pending()
            .into_iter()
            .flat_map(|p| {
                let mut jobs = p.jobs.clone();
                jobs.sort_unstable();
                jobs.into_iter()
                    .map(move |j| (p.stage, j, p.link.clone(), p.stage_id))
            })
            .collect();
        let run = |&(stage, index, _, _): &(usize, usize, String, &'static str)| {
            self.lab.start(stage, index).and_then(|mut w| {
                let mut never = || false;
                while !w.step(&mut never) {}
                w.output()
            })
        };
        let outputs: Vec<Option<Vec<u8>>> = parallel_map(&todo, threads, run);
        for ((stage, index, link, id), out) in todo.iter().zip(outputs) {
            match out {
                Some(bytes) => {
                    let _ = self.absorb(id, link, *index, bytes, true, 1.0);
                }
                None => self.stages[*stage].finished[*index] = true,
            }
        }
        // the finished state, as the page shows it once its animation is over
        self.set_tick(self.ticks());
    }

    /// The finished outputs: (stage, job, bytes), stage by stage in job order.
    pub fn outputs(&self) -> Vec<(usize, usize, Vec<u8>)> {
        let mut v = Vec::new();
        for (i, s) in self.stages.iter().enumerate() {
            for (j, o) in s.outputs.iter().enumerate() {
                if let (true, Some(b)) = (s.finished[j], o) {
                    v.push((i, j, b.clone()));
                }
            }
        }
        v
    }

    /// How far the work has come.
    pub fn progress(&self) -> Progress {
        let stages: Vec<StageProgress> = self
            .stages
            .iter()
            .map(|s| {
                let total = s.stage.jobs;
                let part: f64 = s.fraction.iter().sum();
                StageProgress {
                    id: s.stage.id,
                    label: s.stage.label.clone(),
                    noun: s.stage.noun,
                    done: s.done(),
                    total,
                    fraction: if total == 0 { 1.0 } else { part / total as f64 },
                }
            })
            .collect();
        Progress {
            done: stages.iter().all(|s| s.done >= s.total),
            stages,
        }
    }

    // ---------- animation and redraws ----------

    /// Ticks the animation needs in all.
    pub fn ticks(&self) -> usize {
        self.lab.ticks()
    }

    pub fn tick(&self) -> usize {
        self.tick
    }

    /// Shows animation tick `t` (clamped to the animation's length).
    pub fn set_tick(&mut self, t: usize) {
        let t = t.min(self.lab.ticks());
        if t != self.tick {
            self.tick = t;
            self.lab.set_tick(t);
            for (v, d) in self.views.iter().zip(self.dirty.iter_mut()) {
                if v.animated {
                    *d = true;
                }
            }
        }
    }

    /// True while the animation has ticks left to show.
    pub fn animating(&self) -> bool {
        self.tick < self.lab.ticks()
    }

    /// Marks every view for redrawing (the canvas was resized, the tab was switched).
    pub fn mark_all(&mut self) {
        self.dirty.iter_mut().for_each(|d| *d = true);
    }

    /// The views whose data changed since the last call (and forgets them).
    pub fn take_dirty(&mut self) -> Vec<&'static str> {
        let out = self
            .views
            .iter()
            .zip(self.dirty.iter_mut())
            .filter(|(_, d)| **d)
            .map(|(v, d)| {
                *d = false;
                v.id
            })
            .collect();
        out
    }

    // ---------- the face ----------

    /// The point `view`'s launch inputs show: the one its click set, else the launch default.
    pub fn launch_point(&self, view: &str) -> Option<(f64, f64)> {
        self.lab.launch_point(view)
    }

    /// A click at data coordinates of `view`: Ok(true) if it set parameters.
    pub fn click(&mut self, view: &str, x: f64, y: f64) -> bool {
        match self.lab.click(view, x, y) {
            Click::Params(p) => {
                self.set_params(p);
                true
            }
            Click::Ignored => false,
        }
    }

    /// The SVG of one view, drawn by the same code as the canvas.
    pub fn svg(&self, view: &str, width: u32, height: u32) -> Result<String, String> {
        let chart = self
            .lab
            .chart(view)
            .ok_or_else(|| format!("the {} lab has no view '{}'", self.info.id, short(view)))?;
        crate::plot::to_svg(&chart, width, height)
    }

    /// The CSV behind one view.
    pub fn csv(&self, view: &str) -> Result<String, String> {
        self.lab
            .table(view)
            .map(|t| t.to_csv())
            .ok_or_else(|| format!("the {} lab has no view '{}'", self.info.id, short(view)))
    }

    /// The report in its envelope.
    pub fn report(&self) -> serde_json::Value {
        self.lab.report()
    }
}
