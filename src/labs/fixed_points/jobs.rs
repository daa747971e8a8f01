//! The fixed-point lab's job machinery: the N-D context shared by the jobs of one lab, how the
//! line and plane scans split into jobs at a given size, and one rule's training job.

use super::experiments::Out;
use super::linear::Rule;
use super::rules::{Task, TaskSpec, TrainView, Trainer};
use super::surface::{self, Surface};
use std::sync::{Arc, OnceLock};

/// Work per job of the line and plane stages, in multiply-adds (≈ 10 ms in wasm).
const JOB_FLOPS: f64 = 2e7;

/// The N-D task and the scan's centre, built on a job's first use and shared by the jobs of
/// one lab.
pub struct Context {
    pub spec: TaskSpec,
    pub task: OnceLock<Result<Task, String>>,
    pub surface: OnceLock<Result<Surface, String>>,
}

impl Context {
    pub fn task(&self) -> &Result<Task, String> {
        self.task.get_or_init(|| Task::new(self.spec))
    }
    pub fn surface(&self) -> &Result<Surface, String> {
        self.surface.get_or_init(|| match self.task() {
            Ok(t) => Surface::new(&t.x, &t.rhat, self.spec.seed)
                .ok_or_else(|| "the centre W₀ = (R̂ − X)R̂⁺ could not be computed".to_string()),
            Err(e) => Err(e.clone()),
        })
    }
}

/// One job of the line stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineJob {
    /// Points `from..to` of line `trace`.
    Losses {
        trace: usize,
        from: usize,
        to: usize,
    },
    Poles(usize),
    /// Stability points `from..to` (point k is at line point k·STABILITY_EVERY).
    Stab {
        from: usize,
        to: usize,
    },
}

/// How the line and plane stages split into jobs at this size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    pub line_block: usize,
    pub stab_block: usize,
    pub cell_block: usize,
    pub cells: usize,
}

/// Number of stability points of line 1.
pub const STAB_POINTS: usize = (surface::LINE_POINTS - 1) / surface::STABILITY_EVERY + 1;

impl Layout {
    pub fn new(n: usize, m: usize, grid: usize) -> Layout {
        let (n, m) = (n as f64, m as f64);
        // one LU solve with m right-hand sides; one eigen-decomposition
        let solve = n * n * n + 2.0 * n * n * m;
        let eig = 25.0 * n * n * n;
        let blk = |cost: f64, max: usize| ((JOB_FLOPS / cost) as usize).clamp(1, max.max(1));
        let cells = grid * grid;
        Layout {
            line_block: blk(solve, surface::LINE_POINTS),
            stab_block: blk(eig, STAB_POINTS),
            cell_block: blk(solve, cells),
            cells,
        }
    }
    fn line_blocks(&self) -> usize {
        surface::LINE_POINTS.div_ceil(self.line_block)
    }
    pub fn line_jobs(&self) -> usize {
        surface::TRACES * self.line_blocks()
            + surface::TRACES
            + STAB_POINTS.div_ceil(self.stab_block)
    }
    pub fn line_job(&self, index: usize) -> Option<LineJob> {
        let per = self.line_blocks();
        let losses = surface::TRACES * per;
        if index < losses {
            let (trace, b) = (index / per, index % per);
            let from = b * self.line_block;
            let to = (from + self.line_block).min(surface::LINE_POINTS);
            return Some(LineJob::Losses { trace, from, to });
        }
        if index < losses + surface::TRACES {
            return Some(LineJob::Poles(index - losses));
        }
        let from = (index - losses - surface::TRACES) * self.stab_block;
        (from < STAB_POINTS).then(|| LineJob::Stab {
            from,
            to: (from + self.stab_block).min(STAB_POINTS),
        })
    }
    pub fn plane_jobs(&self) -> usize {
        self.cells.div_ceil(self.cell_block)
    }
    /// The cells of plane job `index`.
    pub fn plane_cells(&self, index: usize) -> std::ops::Range<usize> {
        let from = (index * self.cell_block).min(self.cells);
        from..(from + self.cell_block).min(self.cells)
    }
}

/// One rule's training job: builds the task on its first unit, then trains.
pub struct RuleRun {
    pub ctx: Arc<Context>,
    pub rule: Rule,
    pub eta: f64,
    pub iters: usize,
    pub trainer: Option<Trainer>,
    pub error: Option<String>,
}

impl RuleRun {
    pub fn unit(&mut self) -> bool {
        let task = match self.ctx.task() {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(e.clone());
                return false;
            }
        };
        match self.trainer.as_mut() {
            None => {
                self.trainer = Some(Trainer::new(task, self.rule, self.eta, self.iters));
                true
            }
            Some(t) => {
                t.advance(task);
                !t.done()
            }
        }
    }
    pub fn out(&self) -> Out {
        match (&self.error, &self.trainer) {
            (Some(e), _) => Out::Train(Err(e.clone())),
            (None, Some(t)) => Out::Train(Ok(t.view())),
            (None, None) => Out::Train(Ok(TrainView {
                rule: self.rule,
                losses: Vec::new(),
                checks: Vec::new(),
                stop: None,
                iters: self.iters,
                done: false,
            })),
        }
    }
    pub fn fraction(&self) -> f64 {
        self.trainer
            .as_ref()
            .map_or(0.0, |t| t.losses.len() as f64 / (self.iters + 1) as f64)
    }
}
