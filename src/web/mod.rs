//! The wasm-bindgen layer: converts between the page and the core, and draws charts onto
//! canvases. It holds no science and no scheduling policy: the session says what work is
//! pending and which views changed; the page decides when to run and draw.

mod canvas;
mod results;
mod warm;
mod worker;

pub use results::SweepResults;
pub use warm::warm_heatmap;
pub use worker::JobRunner;

use crate::lab::{LabInfo, Table, View};
use crate::labs;
use crate::params::Kind;
use crate::plot::{render, Chart, Frame, RenderOptions};
use crate::session::{Progress, Session};
use crate::sweep::view::Sweep;
use plotters::prelude::IntoDrawingArea;
use serde_json::json;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(start)]
pub fn start() {
    // A panic prints its Rust message to the console; the page catches the thrown error and
    // shows an error box.
    console_error_panic_hook::set_once();
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn spec_json(s: &crate::params::ParamSpec) -> serde_json::Value {
    let kind = match s.kind {
        Kind::Real {
            min,
            max,
            default,
            step,
            log,
        } => {
            json!({"type": "real", "min": min, "max": max, "default": default, "step": step, "log": log})
        }
        Kind::Int { min, max, default } => {
            json!({"type": "int", "min": min, "max": max, "default": default})
        }
        Kind::Choice { options, default } => {
            json!({"type": "choice", "options": options, "default": options.get(default).copied().unwrap_or("")})
        }
        Kind::Flag { default } => json!({"type": "flag", "default": default}),
        Kind::Points { max, x, y, .. } => {
            json!({"type": "points", "max": max, "x": [x.0, x.1], "y": [y.0, y.1]})
        }
    };
    json!({"key": s.key, "label": s.label, "unit": s.unit, "help": s.help, "kind": kind})
}

fn view_json(v: &View) -> serde_json::Value {
    json!({
        "id": v.id, "title": v.title, "caption": v.caption, "clickable": v.clickable,
        "animated": v.animated, "shows": v.shows,
        "launch": v.launch.map(|l| json!({"labels": [l.labels.0, l.labels.1], "start": [l.start.0, l.start.1], "prompt": l.prompt, "button": l.button})),
    })
}

fn info_json(l: &LabInfo) -> serde_json::Value {
    json!({
        "id": l.id,
        "title": l.title,
        "short": l.short,
        "hero": l.hero,
        "key": l.key,
        "cite": l.cite,
        "specs": l.specs.iter().map(spec_json).collect::<Vec<_>>(),
        "views": (l.views)().iter().map(view_json).collect::<Vec<_>>(),
        "presets": l.presets.iter().map(|p| json!({"id": p.id, "label": p.label, "link": p.link, "note": p.note})).collect::<Vec<_>>(),
    })
}

fn progress_json(p: &Progress, animating: bool) -> String {
    json!({
        "done": p.done,
        "fraction": p.fraction(),
        "label": p.label(),
        "animating": animating,
        "stages": p.stages.iter().map(|s| json!({"id": s.id, "label": s.label, "noun": s.noun, "done": s.done, "total": s.total, "fraction": s.fraction})).collect::<Vec<_>>(),
    })
    .to_string()
}

/// Every lab's id, title, citation, parameter specs, views and presets (JSON).
#[wasm_bindgen]
pub fn catalogue() -> String {
    json!(labs::all().iter().map(|l| info_json(l)).collect::<Vec<_>>()).to_string()
}

/// One live lab on the page.
#[wasm_bindgen]
pub struct App {
    session: Session,
    frames: HashMap<String, Frame>,
    /// The chart last drawn in each view: what the hover read-out probes.
    drawn: HashMap<String, Chart>,
    /// A sweep's results file shown in the lab's sweep views in place of the in-page sweep.
    loaded: Option<Sweep>,
}

impl App {
    /// View `view` as shown: from the loaded results file where it takes one, else the lab's.
    fn shown(&self, view: &str) -> Option<(Chart, Table)> {
        let lab = self.session.lab();
        if let Some(Some(Ok(ct))) = self.loaded.as_ref().map(|f| lab.results_view(view, f)) {
            return Some(ct);
        }
        Some((lab.chart(view)?, lab.table(view)?))
    }

    /// The chart of view `view` as shown, without its table (a draw needs only the chart, and
    /// some tables cost more than their charts).
    fn shown_chart(&self, view: &str) -> Option<Chart> {
        let lab = self.session.lab();
        if let Some(Some(Ok((c, _)))) = self.loaded.as_ref().map(|f| lab.results_view(view, f)) {
            return Some(c);
        }
        lab.chart(view)
    }
}

#[wasm_bindgen]
impl App {
    /// Opens the state a link describes (query string or hash); bad parts become warnings.
    #[wasm_bindgen(constructor)]
    pub fn new(link: &str) -> App {
        App {
            session: Session::from_link(link),
            frames: HashMap::new(),
            drawn: HashMap::new(),
            loaded: None,
        }
    }

    /// Shows a sweep's results file (`lde sweep run`/`merge` output) in every view of this lab
    /// that takes one: JSON {views, cells, seeds, label}. An error names what does not fit, and
    /// leaves the page as it was.
    pub fn open_results(&mut self, text: &str) -> Result<String, JsValue> {
        let file = Sweep::parse(text).map_err(|e| JsValue::from_str(&e))?;
        let lab = self.session.lab();
        let mut views = Vec::new();
        let mut errors = Vec::new();
        for v in self.session.views() {
            match lab.results_view(v.id, &file) {
                Some(Ok(_)) => views.push(v.id),
                Some(Err(e)) => errors.push(format!("{}: {e}", v.title)),
                None => {}
            }
        }
        if views.is_empty() {
            let why = if errors.is_empty() {
                format!(
                    "no view of the {} lab takes a results file",
                    self.session.info.id
                )
            } else {
                errors.join("; ")
            };
            return Err(JsValue::from_str(&why));
        }
        let out = json!({"views": views, "cells": file.records.len(), "seeds": file.seeds(),
            "label": file.label()});
        self.loaded = Some(file);
        Ok(out.to_string())
    }

    /// Back to the in-page sweep in every view.
    pub fn close_results(&mut self) {
        self.loaded = None;
    }

    /// The views of this lab that take a results file, as a JSON list of ids.
    pub fn results_views(&self) -> String {
        let lab = self.session.lab();
        let probe = Sweep::default();
        let ids: Vec<&str> = self
            .session
            .views()
            .iter()
            .filter(|v| lab.results_view(v.id, &probe).is_some())
            .map(|v| v.id)
            .collect();
        json!(ids).to_string()
    }

    pub fn lab(&self) -> String {
        self.session.info.id.to_string()
    }

    pub fn embed(&self) -> bool {
        self.session.embed
    }

    /// Warnings about what the opening link got wrong (JSON array of strings).
    pub fn warnings(&self) -> String {
        json!(self
            .session
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<_>>())
        .to_string()
    }

    /// The link (query string without `?`) of the current state.
    pub fn link(&self) -> String {
        self.session.link()
    }

    /// Current values of every parameter and the seed (JSON object of link texts).
    pub fn values(&self) -> String {
        let p = self.session.params();
        let mut m = serde_json::Map::new();
        for (s, v) in p.specs.iter().zip(&p.values) {
            m.insert(s.key.into(), s.format_value(v).into());
        }
        m.insert("seed".into(), p.seed.to_string().into());
        serde_json::Value::Object(m).to_string()
    }

    /// Sets one parameter from text; returns a warning ("" if accepted).
    pub fn set(&mut self, key: &str, value: &str) -> String {
        match self.session.set(key, value) {
            Ok(()) => String::new(),
            Err(w) => w.to_string(),
        }
    }

    /// Applies a preset over the defaults, keeping the seed.
    pub fn preset(&mut self, id: &str) -> bool {
        match self
            .session
            .info
            .preset_params(id, self.session.params().seed)
        {
            Some(p) => {
                self.session.set_params(p);
                true
            }
            None => false,
        }
    }

    /// Back to the defaults, keeping the seed.
    pub fn reset(&mut self) {
        let mut p = self.session.info.defaults();
        p.seed = self.session.params().seed;
        self.session.set_params(p);
    }

    /// Switches to another lab at its defaults (keeping the seed); false for an unknown id.
    pub fn switch_lab(&mut self, id: &str) -> bool {
        let Some(info) = labs::find(id) else {
            return false;
        };
        let mut p = info.defaults();
        p.seed = self.session.params().seed;
        let embed = self.session.embed;
        self.session = Session::from_params(info, p);
        self.session.embed = embed;
        self.frames.clear();
        self.drawn.clear();
        self.loaded = None;
        true
    }

    /// Works in the page for about `budget_ms` milliseconds (no workers); returns progress
    /// JSON {done, fraction, label, animating, stages}.
    pub fn advance(&mut self, budget_ms: f64) -> String {
        let t0 = now_ms();
        let mut out = || now_ms() - t0 >= budget_ms;
        let p = self.session.advance(&mut out);
        progress_json(&p, self.session.animating())
    }

    /// The jobs not yet finished, for the worker pool: JSON [{stage, id, link, streams, jobs}]
    /// in priority order, each stage's jobs in the order to hand them out.
    pub fn pending(&self) -> String {
        json!(self
            .session
            .pending()
            .iter()
            .map(|p| json!({"stage": p.stage, "id": p.stage_id, "link": p.link, "streams": p.streams, "jobs": p.jobs}))
            .collect::<Vec<_>>())
        .to_string()
    }

    /// Takes in a job's output computed by a worker: "ok", "stale" (its stage link is no
    /// longer current: dropped), or what is wrong with it (nothing changes).
    pub fn absorb(
        &mut self,
        stage: &str,
        link: &str,
        index: usize,
        bytes: &[u8],
        finished: bool,
        fraction: f64,
    ) -> String {
        match self
            .session
            .absorb(stage, link, index, bytes.to_vec(), finished, fraction)
        {
            Ok(true) => "ok".into(),
            Ok(false) => "stale".into(),
            Err(e) => e,
        }
    }

    /// Progress JSON without doing any work.
    pub fn progress(&self) -> String {
        progress_json(&self.session.progress(), self.session.animating())
    }

    /// Animation ticks in all (0: nothing to animate).
    pub fn ticks(&self) -> usize {
        self.session.ticks()
    }

    /// The tick now shown.
    pub fn shown_tick(&self) -> usize {
        self.session.tick()
    }

    /// Shows tick `t` (clamped): the player's Step and scrubber; the animated views redraw.
    pub fn set_tick(&mut self, t: usize) {
        self.session.set_tick(t);
    }

    /// What tick `t` shows, in the lab's unit ("iteration 120").
    pub fn tick_label(&self, t: usize) -> String {
        self.session.lab().tick_label(t.min(self.session.ticks()))
    }

    /// Rough native seconds the pending work needs on `workers` cores (0: no cost model).
    pub fn estimate(&self, workers: usize) -> f64 {
        self.session.estimate(workers)
    }

    /// Whether the animation plays by itself as its data arrives.
    pub fn autoplay(&self) -> bool {
        self.session.lab().autoplay()
    }

    /// The views whose data changed since the last call (JSON array of ids).
    pub fn take_dirty(&mut self) -> String {
        json!(self.session.take_dirty()).to_string()
    }

    /// Marks every view for redrawing.
    pub fn mark_all(&mut self) {
        self.session.mark_all();
    }

    /// Draws `view` on `canvas` (whose pixel size the page has set to CSS size × `scale`);
    /// returns the milliseconds it took.
    pub fn draw(
        &mut self,
        view: &str,
        canvas: HtmlCanvasElement,
        scale: f64,
    ) -> Result<f64, JsValue> {
        let t0 = now_ms();
        let chart = self
            .shown_chart(view)
            .ok_or_else(|| JsValue::from_str(&format!("no view {view}")))?;
        let backend = canvas::FastCanvas::new(canvas)?;
        let root = backend.into_drawing_area();
        let frame = render(
            &root,
            &chart,
            RenderOptions {
                scale,
                raster: true,
            },
        )
        .map_err(|e| JsValue::from_str(&e))?;
        self.frames.insert(view.to_string(), frame);
        self.drawn.insert(view.to_string(), chart);
        Ok(now_ms() - t0)
    }

    /// A click at canvas pixel (px, py) of `view` (device pixels): true if it set parameters
    /// (the page then refreshes its controls and the link).
    pub fn click(&mut self, view: &str, px: f64, py: f64) -> bool {
        let Some(frame) = self.frames.get(view) else {
            return false;
        };
        match frame.to_data(px, py) {
            Some((x, y)) => self.session.click(view, x, y),
            None => false,
        }
    }

    /// The same action as a click, at data coordinates (the keyboard route to it).
    pub fn click_data(&mut self, view: &str, x: f64, y: f64) -> bool {
        self.session.click(view, x, y)
    }

    /// The point `view`'s launch inputs show now, as JSON [x, y] or null (no launch).
    pub fn launch_point(&self, view: &str) -> String {
        match self.session.launch_point(view) {
            Some((x, y)) => json!([x, y]).to_string(),
            None => "null".into(),
        }
    }

    /// Data coordinates under canvas pixel (px, py) of `view`, as JSON [x, y] or null.
    pub fn data_at(&self, view: &str, px: f64, py: f64) -> String {
        match self.frames.get(view).and_then(|f| f.to_data(px, py)) {
            Some((x, y)) => json!([x, y]).to_string(),
            None => "null".into(),
        }
    }

    /// The view's text alternative now: one or two sentences generated from its data.
    pub fn describe(&self, view: &str) -> String {
        self.shown_chart(view)
            .map_or_else(String::new, |c| crate::plot::describe::describe(&c))
    }

    /// The hover read-out at canvas pixel (px, py) of `view`: data coordinates, the nearest
    /// labelled curve's value, a heatmap's cell value ("" outside the plotting area).
    pub fn probe(&self, view: &str, px: f64, py: f64) -> String {
        let (Some(frame), Some(chart)) = (self.frames.get(view), self.drawn.get(view)) else {
            return String::new();
        };
        frame.to_data(px, py).map_or_else(String::new, |(x, y)| {
            crate::plot::describe::probe(chart, x, y)
        })
    }

    /// The view's numbers for the page's data table: JSON {header, rows, total}, at most
    /// `max_rows` rows.
    pub fn table(&self, view: &str, max_rows: usize) -> String {
        self.shown(view)
            .map_or_else(|| "null".into(), |(_, t)| t.to_json(max_rows).to_string())
    }

    pub fn svg(&self, view: &str, width: u32, height: u32) -> Result<String, JsValue> {
        let (w, h) = (width.clamp(100, 4000), height.clamp(100, 4000));
        match self.shown(view) {
            Some((c, _)) if self.loaded.is_some() => crate::plot::to_svg(&c, w, h),
            _ => self.session.svg(view, w, h),
        }
        .map_err(|e| JsValue::from_str(&e))
    }

    pub fn csv(&self, view: &str) -> Result<String, JsValue> {
        match self.shown(view) {
            Some((_, t)) if self.loaded.is_some() => Ok(t.to_csv()),
            _ => self.session.csv(view),
        }
        .map_err(|e| JsValue::from_str(&e))
    }

    /// The parameters as pretty JSON.
    pub fn params_json(&self) -> String {
        serde_json::to_string_pretty(&self.session.params().to_json()).unwrap_or_default()
    }

    /// The report in its envelope (lab, version, link, params, notices, the lab's numbers).
    pub fn report_json(&self) -> String {
        self.session.report().to_string()
    }

    /// Readouts as JSON [{label, value, help}, …].
    pub fn readouts(&self) -> String {
        json!(self
            .session
            .lab()
            .readouts()
            .iter()
            .map(|r| json!({"label": r.label, "value": r.value, "help": r.help}))
            .collect::<Vec<_>>())
        .to_string()
    }

    /// Notices as a JSON array of strings.
    pub fn notices(&self) -> String {
        json!(self.session.lab().notices()).to_string()
    }
}

/// Names of the benchmark kernels (JSON array).
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub fn bench_names() -> String {
    json!(labs::kernels().iter().map(|k| k.name).collect::<Vec<_>>()).to_string()
}

/// Times kernel `name` for at least `min_ms` with the given clock; returns ms per iteration (NaN if unknown).
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub fn bench(name: &str, min_ms: f64, now: &js_sys::Function) -> f64 {
    let clock = || {
        now.call0(&JsValue::NULL)
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0)
    };
    labs::kernels()
        .iter()
        .find(|k| k.name == name)
        .map_or(f64::NAN, |k| crate::kernels::time(k, &clock, min_ms).0)
}
