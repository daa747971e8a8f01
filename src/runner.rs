//! Running jobs away from a session: from their text (a worker, `lde job`, another machine),
//! and many at once on native threads.

use crate::lab::work::JobSpec;
use crate::lab::AnyLab;
use crate::labs;
use crate::params::{short, Link};

/// Maps `f` over `items` on `threads` native threads (rayon), in order; sequential on wasm.
pub fn parallel_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 {
        use rayon::prelude::*;
        if let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            return pool.install(|| items.par_iter().map(&f).collect());
        }
    }
    let _ = threads;
    items.iter().map(f).collect()
}

/// Runs the job a text names (`<stage link>&stage=<id>&job=<index>`) to the end.
pub fn run_job_text(text: &str) -> Result<Vec<u8>, String> {
    run_job(&JobSpec::parse(text)?)
}

/// Runs one job given as text ([`JobSpec`]) to the end: the lab built from the job's link
/// (which must be valid), the stage found by id. Returns the output bytes.
pub fn run_job(spec: &JobSpec) -> Result<Vec<u8>, String> {
    let (lab, stage) = job_lab(spec)?;
    let mut w = lab
        .start(stage, spec.index)
        .ok_or_else(|| format!("stage {} has no job {}", spec.stage, spec.index))?;
    let mut never = || false;
    while !w.step(&mut never) {}
    w.output()
        .ok_or_else(|| format!("job {} of {} gave no output", spec.index, spec.stage))
}

/// The lab a job's link describes (strictly: any ignored part is an error) and the stage index.
pub fn job_lab(spec: &JobSpec) -> Result<(Box<dyn AnyLab>, usize), String> {
    let link = Link::parse(&spec.link);
    let info = link
        .lab
        .as_deref()
        .and_then(labs::find)
        .ok_or("the job's link names no lab")?;
    let (p, w) = info.params_from_pairs(&link.pairs);
    if let Some(w) = w.first() {
        return Err(format!("the job's link is not valid: {w}"));
    }
    let lab = (info.build)(p);
    let stage = lab
        .stages()
        .iter()
        .position(|s| s.id == spec.stage)
        .ok_or_else(|| format!("the {} lab has no stage '{}'", info.id, short(&spec.stage)))?;
    Ok((lab, stage))
}
