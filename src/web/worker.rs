//! What a Web Worker runs: jobs given as text, a time slice at a time, with their outputs as
//! bytes. The worker keeps the last few labs it built (one per stage link), so the jobs of one
//! stage share their lab's context (drawn starts, the N-D task).

use crate::lab::work::JobSpec;
use crate::lab::{AnyLab, ErasedWork};
use crate::runner::job_lab;
use wasm_bindgen::prelude::*;

/// Labs kept per worker.
const KEEP: usize = 4;

/// A job runner in a worker.
#[wasm_bindgen]
pub struct JobRunner {
    labs: Vec<(String, Box<dyn AnyLab>)>,
    work: Option<Box<dyn ErasedWork>>,
}

impl Default for JobRunner {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl JobRunner {
    #[wasm_bindgen(constructor)]
    pub fn new() -> JobRunner {
        JobRunner {
            labs: Vec::new(),
            work: None,
        }
    }

    /// Starts the job `text` (`<stage link>&stage=<id>&job=<index>`); an error names what is
    /// wrong with it.
    pub fn start(&mut self, text: &str) -> Result<(), JsValue> {
        let spec = JobSpec::parse(text).map_err(|e| JsValue::from_str(&e))?;
        let key = format!("{}&stage={}", spec.link, spec.stage);
        let pos = self.labs.iter().position(|(k, _)| *k == key);
        let lab = match pos {
            Some(i) => self.labs.remove(i).1,
            None => job_lab(&spec).map_err(|e| JsValue::from_str(&e))?.0,
        };
        let stage = lab
            .stages()
            .iter()
            .position(|s| s.id == spec.stage)
            .ok_or_else(|| JsValue::from_str("no such stage"))?;
        self.work = Some(
            lab.start(stage, spec.index)
                .ok_or_else(|| JsValue::from_str(&format!("no job {}", spec.index)))?,
        );
        self.labs.insert(0, (key, lab));
        self.labs.truncate(KEEP);
        Ok(())
    }

    /// Works on the current job for about `budget_ms`; true when it is finished (or there is none).
    pub fn step(&mut self, budget_ms: f64) -> bool {
        let Some(w) = self.work.as_mut() else {
            return true;
        };
        let t0 = js_sys::Date::now();
        let mut out = || js_sys::Date::now() - t0 >= budget_ms;
        w.step(&mut out)
    }

    /// The current job's output so far (its result once finished), as bytes.
    pub fn output(&self) -> Option<Vec<u8>> {
        self.work.as_ref().and_then(|w| w.output())
    }

    /// How far the current job has come, in [0, 1].
    pub fn fraction(&self) -> f64 {
        self.work.as_ref().map_or(0.0, |w| w.fraction())
    }

    /// Drops the current job.
    pub fn cancel(&mut self) {
        self.work = None;
    }
}
