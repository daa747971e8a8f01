//! The lab contract: one shape for every lab.
//!
//! A lab is built from its [`Params`] (cheaply: a pure function of the link). It declares
//! - its **views** once each ([`ViewDef`]: metadata, chart, table, click, keyboard launch), so
//!   [`Lab::chart`], [`Lab::table`], [`Lab::csv`] and [`Lab::click`] are provided lookups;
//! - its **long work** as [`Stage`]s of independent jobs ([`work`]), whose outputs it absorbs
//!   in job order;
//! - its **report**, **readouts** and **notices** (the envelope is built in one place,
//!   [`face::envelope`]).
//!
//! [`AnyLab`] is the object-safe face the session, the page, the CLI and the tests use; every
//! [`Lab`] has it. Job outputs cross it as bytes (postcard: f64 bit for bit, NaN included).

pub mod face;
pub mod settings;
pub mod work;

pub use face::{Cell, Click, Launch, Readout, Table};
pub use work::{Deps, OutOfTime, Stage, Work};

use crate::kernels::Kernel;
use crate::params::{ParamSpec, Params, Warning};
use crate::plot::Chart;
use crate::sweep::view::Sweep;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value as Json;

/// A view's metadata: what the page's catalogue and the CLI list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub id: &'static str,
    pub title: &'static str,
    /// One or two sentences under the plot: what it shows and how to read it.
    pub caption: &'static str,
    /// The stages whose outputs it draws: it is redrawn whenever one of them changes.
    pub shows: &'static [&'static str],
    /// It shows the animation (redrawn on every tick).
    pub animated: bool,
    /// A click on it means something; `launch` is its keyboard route.
    pub clickable: bool,
    pub launch: Option<Launch>,
}

/// Reads back the point a view's click set: `(x, y)` in the view's data coordinates.
pub type PointOf<L> = fn(&L) -> Option<(f64, f64)>;

/// One view of lab `L`, declared once: metadata, chart, table, and click, side by side.
pub struct ViewDef<L> {
    pub meta: View,
    pub chart: fn(&L) -> Chart,
    pub table: fn(&L) -> Table,
    pub click: Option<fn(&L, f64, f64) -> Click>,
    /// The point the view's click last set (the launch inputs show it); None: the launch default.
    pub point: Option<PointOf<L>>,
}

impl<L> ViewDef<L> {
    /// A view drawn by `chart` with its data in `table`.
    pub const fn new(
        id: &'static str,
        title: &'static str,
        caption: &'static str,
        chart: fn(&L) -> Chart,
        table: fn(&L) -> Table,
    ) -> Self {
        ViewDef {
            meta: View {
                id,
                title,
                caption,
                shows: &[],
                animated: false,
                clickable: false,
                launch: None,
            },
            chart,
            table,
            click: None,
            point: None,
        }
    }
    /// The stages it draws.
    pub const fn shows(mut self, stages: &'static [&'static str]) -> Self {
        self.meta.shows = stages;
        self
    }
    /// It shows the animation.
    pub const fn animated(mut self) -> Self {
        self.meta.animated = true;
        self
    }
    /// A click at data coordinates calls `f`; `launch` is the keyboard route to the same action.
    pub const fn click(mut self, f: fn(&L, f64, f64) -> Click, launch: Launch) -> Self {
        self.click = Some(f);
        self.meta.clickable = true;
        self.meta.launch = Some(launch);
        self
    }
    /// `f` reads back the point the click set, so the launch inputs follow the state.
    pub const fn point(mut self, f: PointOf<L>) -> Self {
        self.point = Some(f);
        self
    }
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

/// A lab: typed, with its views and stages declared once.
pub trait Lab: Sized + Send + Sync + 'static {
    /// The output of one job (one enum per lab, a variant per stage).
    type Out: Serialize + DeserializeOwned + Clone + Send + 'static;

    /// Every view, in page order.
    const VIEWS: &'static [ViewDef<Self>];

    /// Builds the lab from its parameters: cheap (no long work), a pure function of them.
    fn new(p: Params) -> Self;

    fn params(&self) -> &Params;

    /// The long work, in priority order; the i-th stage is stage `i` of [`Lab::job`].
    fn stages(&self) -> Vec<Stage>;

    /// Job `index` of stage `stage`, ready to run (None for an index out of range).
    fn job(&self, stage: usize, index: usize) -> Option<Box<dyn Work<Self::Out>>>;

    /// Takes in the output of job `index` of `stage`: partial while it runs (streaming stages),
    /// final when `finished`. Outputs land in per-job slots, so their arrival order does not
    /// matter; merges that depend on order are done in job order.
    fn absorb(&mut self, stage: usize, index: usize, out: Self::Out, finished: bool);

    /// The lab's key numbers (a JSON object; [`face::envelope`] adds lab, link, params, notices).
    fn report(&self) -> Json;

    fn readouts(&self) -> Vec<Readout>;

    /// Messages about the current state (a diverging run, a caveat, what was adjusted).
    fn notices(&self) -> Vec<String> {
        Vec::new()
    }

    /// How many animation ticks the animated views need to show everything (0: none).
    fn ticks(&self) -> usize {
        0
    }

    /// Shows the animation at tick `t` (the page advances it once per frame).
    fn set_tick(&mut self, _t: usize) {}

    /// What tick `t` shows, in the lab's own unit ("iteration 120", "t = 3.5").
    fn tick_label(&self, t: usize) -> String {
        format!("frame {t}")
    }

    /// Rough single-core seconds of job `index` of `stage`, natively (0: cheap or unknown):
    /// lets the page ask before a setting that would run for minutes starts.
    fn job_cost(&self, _stage: usize, _index: usize) -> f64 {
        0.0
    }

    /// The animation plays by itself as its data arrives (false: it is shown at its end and
    /// replayed only on request, e.g. a training run that is watched live anyway).
    fn autoplay(&self) -> bool {
        true
    }

    /// View `view` drawn from a sweep's results file (`lde sweep run`/`merge` output) instead of
    /// the in-page work: the same axes, the file's cells. None: the view takes no file; an error
    /// names what in the file does not fit.
    fn results_view(&self, _view: &str, _file: &Sweep) -> Option<Result<(Chart, Table), String>> {
        None
    }

    /// The view `id`.
    fn view(id: &str) -> Option<&'static ViewDef<Self>> {
        Self::VIEWS.iter().find(|v| v.meta.id == id)
    }

    /// The chart of view `id` (None for an unknown view).
    fn chart(&self, id: &str) -> Option<Chart> {
        Self::view(id).map(|v| (v.chart)(self))
    }

    /// The data of view `id`.
    fn table(&self, id: &str) -> Option<Table> {
        Self::view(id).map(|v| (v.table)(self))
    }

    /// The data of view `id` as CSV with a header row.
    fn csv(&self, id: &str) -> Option<String> {
        self.table(id).map(|t| t.to_csv())
    }

    /// The point view `id`'s launch inputs show now: the one its click set, else the launch
    /// default (None: the view has no launch).
    fn launch_point(&self, id: &str) -> Option<(f64, f64)> {
        let v = Self::view(id)?;
        let start = v.meta.launch?.start;
        Some(v.point.and_then(|f| f(self)).unwrap_or(start))
    }

    /// A click at data coordinates `(x, y)` of view `id`.
    fn click(&self, id: &str, x: f64, y: f64) -> Click {
        match Self::view(id).and_then(|v| v.click) {
            Some(f) if x.is_finite() && y.is_finite() => f(self, x, y),
            _ => Click::Ignored,
        }
    }
}

/// A job in progress whose output is bytes (the object-safe form of [`Work`]).
pub trait ErasedWork: Send {
    fn step(&mut self, out_of_time: OutOfTime) -> bool;
    fn output(&self) -> Option<Vec<u8>>;
    fn fraction(&self) -> f64;
}

struct Erased<O>(Box<dyn Work<O>>);

impl<O: Serialize> ErasedWork for Erased<O> {
    fn step(&mut self, out_of_time: OutOfTime) -> bool {
        self.0.step(out_of_time)
    }
    fn output(&self) -> Option<Vec<u8>> {
        self.0.output().and_then(|o| postcard::to_allocvec(&o).ok())
    }
    fn fraction(&self) -> f64 {
        self.0.fraction()
    }
}

/// The object-safe face of a lab: what the session, the page and the CLI use.
pub trait AnyLab: Send + Sync {
    fn params(&self) -> &Params;
    fn views(&self) -> Vec<View>;
    fn stages(&self) -> Vec<Stage>;
    fn start(&self, stage: usize, index: usize) -> Option<Box<dyn ErasedWork>>;
    /// Takes in a job's output bytes; an error names what is wrong and changes nothing.
    fn absorb(
        &mut self,
        stage: usize,
        index: usize,
        bytes: &[u8],
        finished: bool,
    ) -> Result<(), String>;
    /// A job's output bytes as JSON (for `lde job` and for people).
    fn output_json(&self, bytes: &[u8]) -> Result<Json, String>;
    fn chart(&self, view: &str) -> Option<Chart>;
    fn table(&self, view: &str) -> Option<Table>;
    fn click(&self, view: &str, x: f64, y: f64) -> Click;
    fn launch_point(&self, view: &str) -> Option<(f64, f64)>;
    fn report(&self) -> Json;
    fn readouts(&self) -> Vec<Readout>;
    fn notices(&self) -> Vec<String>;
    fn ticks(&self) -> usize;
    fn set_tick(&mut self, t: usize);
    fn tick_label(&self, t: usize) -> String;
    fn autoplay(&self) -> bool;
    fn job_cost(&self, stage: usize, index: usize) -> f64;
    fn results_view(&self, view: &str, file: &Sweep) -> Option<Result<(Chart, Table), String>>;
    /// The lab itself, for typed access (tests and benchmarks).
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<L: Lab> AnyLab for L {
    fn params(&self) -> &Params {
        Lab::params(self)
    }
    fn views(&self) -> Vec<View> {
        L::VIEWS.iter().map(|v| v.meta).collect()
    }
    fn stages(&self) -> Vec<Stage> {
        Lab::stages(self)
    }
    fn start(&self, stage: usize, index: usize) -> Option<Box<dyn ErasedWork>> {
        let w = Lab::job(self, stage, index)?;
        Some(Box::new(Erased(w)))
    }
    fn absorb(
        &mut self,
        stage: usize,
        index: usize,
        bytes: &[u8],
        finished: bool,
    ) -> Result<(), String> {
        let stages = Lab::stages(self);
        let Some(s) = stages.get(stage) else {
            return Err(format!("no stage {stage}"));
        };
        if index >= s.jobs {
            return Err(format!("stage {} has no job {index}", s.id));
        }
        let out: L::Out = postcard::from_bytes(bytes)
            .map_err(|e| format!("the output of {} job {index} is unreadable: {e}", s.id))?;
        Lab::absorb(self, stage, index, out, finished);
        Ok(())
    }
    fn output_json(&self, bytes: &[u8]) -> Result<Json, String> {
        let out: L::Out = postcard::from_bytes(bytes).map_err(|e| e.to_string())?;
        serde_json::to_value(&out).map_err(|e| e.to_string())
    }
    fn chart(&self, view: &str) -> Option<Chart> {
        Lab::chart(self, view)
    }
    fn table(&self, view: &str) -> Option<Table> {
        Lab::table(self, view)
    }
    fn click(&self, view: &str, x: f64, y: f64) -> Click {
        Lab::click(self, view, x, y)
    }
    fn launch_point(&self, view: &str) -> Option<(f64, f64)> {
        Lab::launch_point(self, view)
    }
    fn report(&self) -> Json {
        face::envelope(Lab::params(self), &Lab::notices(self), Lab::report(self))
    }
    fn readouts(&self) -> Vec<Readout> {
        Lab::readouts(self)
    }
    fn notices(&self) -> Vec<String> {
        Lab::notices(self)
    }
    fn ticks(&self) -> usize {
        Lab::ticks(self)
    }
    fn set_tick(&mut self, t: usize) {
        Lab::set_tick(self, t)
    }
    fn tick_label(&self, t: usize) -> String {
        Lab::tick_label(self, t)
    }
    fn autoplay(&self) -> bool {
        Lab::autoplay(self)
    }
    fn job_cost(&self, stage: usize, index: usize) -> f64 {
        Lab::job_cost(self, stage, index)
    }
    fn results_view(&self, view: &str, file: &Sweep) -> Option<Result<(Chart, Table), String>> {
        Lab::results_view(self, view, file)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Builds lab `L` behind the object-safe face (the registry's constructor).
pub fn build<L: Lab>(p: Params) -> Box<dyn AnyLab> {
    Box::new(L::new(p))
}

/// The view metadata of lab `L`.
pub fn view_list<L: Lab>() -> Vec<View> {
    L::VIEWS.iter().map(|v| v.meta).collect()
}

/// Static description of a lab kind: its id, specs, views, presets, constructor and kernels.
pub struct LabInfo {
    pub id: &'static str,
    pub title: &'static str,
    /// A tab label of a word or two.
    pub short: &'static str,
    /// The view the page shows first, beside the `key` controls.
    pub hero: &'static str,
    /// The parameters that drive the hero's story, shown with it in the first screen.
    pub key: &'static [&'static str],
    /// The paper(s) the lab implements, as a citation line.
    pub cite: &'static str,
    pub specs: &'static [ParamSpec],
    pub presets: &'static [Preset],
    pub views: fn() -> Vec<View>,
    pub build: fn(Params) -> Box<dyn AnyLab>,
    /// The lab's benchmark kernels (for `make bench`).
    pub kernels: fn() -> Vec<Kernel>,
}

impl LabInfo {
    /// Default parameters of this lab.
    pub fn defaults(&self) -> Params {
        Params::defaults(self.id, self.specs)
    }

    /// Parameters from `key=value` pairs over the defaults, with warnings for what was ignored.
    /// A `preset=<id>` pair is applied first, wherever it stands, and the other pairs over it:
    /// the rule `lde` and sweep plans follow, so a link with a preset opens the same numbers
    /// everywhere. An unknown preset is a warning and leaves the defaults.
    pub fn params_from_pairs(&self, pairs: &[(String, String)]) -> (Params, Vec<Warning>) {
        let mut p = self.defaults();
        let mut w = Vec::new();
        let presets: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| k == "preset")
            .map(|(_, v)| v.as_str())
            .collect();
        if presets.len() > 1 {
            w.push(Warning {
                key: "preset".into(),
                message: "given more than once; the last value is used".into(),
            });
        }
        if let Some(id) = presets.last() {
            match self.preset_params(id, p.seed) {
                Some(q) => p = q,
                None => w.push(Warning {
                    key: "preset".into(),
                    message: format!("{}; using the defaults", self.no_preset(id)),
                }),
            }
        }
        let rest: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| k != "preset")
            .cloned()
            .collect();
        w.extend(p.apply(&rest));
        (p, w)
    }

    /// The message for a preset name this lab does not have, listing the ones it has.
    pub fn no_preset(&self, id: &str) -> String {
        let names: Vec<&str> = self.presets.iter().map(|p| p.id).collect();
        format!(
            "the {} lab has no preset '{}' (presets: {})",
            self.id,
            crate::params::short(id),
            names.join(", ")
        )
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
