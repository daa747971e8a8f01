//! The native side of a sweep: running cells on threads (rayon) with a progress bar
//! (indicatif), resuming from a partial results file, SLURM array scripts and local shards.

use super::results::{merge, parse_results, run_cell, to_csv};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{IsTerminal, Read, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// The cells of a cells file (or of stdin for `-`): one link per non-empty line, `#` comments.
pub fn read_cells(path: &str) -> Result<Vec<String>, String> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("reading the cells from stdin: {e}"))?;
    } else {
        text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect())
}

/// `I/N` with 0 ≤ I < N.
pub fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let bad = || format!("--shard {text}: give I/N with 0 ≤ I < N");
    let (i, n) = text.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (i.parse().map_err(|_| bad())?, n.parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// Opens `path` for appending after its last complete line (a task killed mid-write leaves a
/// partial line; it is cut off), and returns the links already there.
fn open_resumable(path: &str) -> Result<(File, HashSet<String>), String> {
    let mut f = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .map_err(|e| format!("opening {path}: {e}"))?;
    let mut text = String::new();
    f.read_to_string(&mut text)
        .map_err(|e| format!("reading {path}: {e}"))?;
    let keep = text.rfind('\n').map_or(0, |i| i + 1);
    f.set_len(keep as u64)
        .and_then(|_| f.seek(SeekFrom::End(0)).map(|_| ()))
        .map_err(|e| format!("resuming {path}: {e}"))?;
    let (done, _) = parse_results(&text[..keep]);
    let links = done
        .iter()
        .filter(|r| r.get("report").is_some())
        .filter_map(|r| r["link"].as_str().map(String::from))
        .collect();
    Ok((f, links))
}

/// Summary of one `sweep run`.
#[derive(Debug, Default, PartialEq)]
pub struct RunSummary {
    pub ran: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// Runs shard `shard` of `cells` (cell i belongs to shard i mod N) on `threads` threads and
/// writes one record per line to `out` (stdout if None), skipping cells already in `out`.
/// Records are written as cells finish; `sweep merge` puts them in cell order.
pub fn run(
    cells: &[String],
    shard: (usize, usize),
    threads: usize,
    out: Option<&str>,
) -> Result<RunSummary, String> {
    let (sink, done): (Box<dyn Write + Send>, HashSet<String>) = match out {
        Some(p) => {
            let (f, d) = open_resumable(p)?;
            (Box::new(f), d)
        }
        None => (Box::new(std::io::stdout()), HashSet::new()),
    };
    let mine: Vec<(usize, &String)> = cells
        .iter()
        .enumerate()
        .filter(|(i, _)| i % shard.1 == shard.0)
        .collect();
    let todo: Vec<(usize, &String)> = mine
        .iter()
        .copied()
        .filter(|(_, c)| !done.contains(*c))
        .collect();
    let skipped = mine.len() - todo.len();
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(todo.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{prefix} [{bar:30}] {pos}/{len} cells, {elapsed} elapsed, ~{eta} left",
        ) {
            b.set_style(style.progress_chars("=> "));
        }
        b.set_prefix(format!("shard {}/{}", shard.0, shard.1));
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let sink = Mutex::new(sink);
    let failed = Mutex::new(0usize);
    let write_err: Mutex<Option<String>> = Mutex::new(None);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| format!("starting {threads} threads: {e}"))?;
    pool.install(|| {
        use rayon::prelude::*;
        todo.par_iter().for_each(|&(i, link)| {
            let rec = std::panic::catch_unwind(|| run_cell(i, link)).unwrap_or_else(
                |_| serde_json::json!({"cell": i, "link": link, "error": "the cell panicked"}),
            );
            if rec.get("error").is_some() {
                if let Ok(mut n) = failed.lock() {
                    *n += 1;
                }
                bar.suspend(|| eprintln!("lde sweep: cell {i} ({link}): {}", rec["error"]));
            }
            if let Ok(mut s) = sink.lock() {
                if let Err(e) = writeln!(s, "{rec}").and_then(|_| s.flush()) {
                    if let Ok(mut w) = write_err.lock() {
                        *w = Some(e.to_string());
                    }
                }
            }
            bar.inc(1);
        });
    });
    bar.finish_and_clear();
    if let Some(e) = write_err.into_inner().ok().flatten() {
        return Err(format!("writing the results: {e}"));
    }
    Ok(RunSummary {
        ran: todo.len(),
        skipped,
        failed: failed.into_inner().unwrap_or(0),
    })
}

/// Options of `sweep slurm`.
pub struct SlurmOptions {
    pub tasks: usize,
    pub time: String,
    pub cpus: usize,
    pub partition: Option<String>,
    pub dir: String,
}

/// An sbatch script for an array of `o.tasks` tasks; task I runs shard I/N of `cells_path`
/// into `DIR/shard-I.jsonl` (so each task resumes its own file if it is requeued).
pub fn slurm_script(lde: &str, cells_path: &str, o: &SlurmOptions) -> Result<String, String> {
    let t = &o.time;
    let ok_time = {
        let parts: Vec<&str> = t.split(':').collect();
        parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    };
    if !ok_time {
        return Err(format!("--time {t}: give HH:MM:SS"));
    }
    if o.tasks == 0 || o.tasks > 100_000 {
        return Err("--tasks must be from 1 to 100000".into());
    }
    let q = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
    let mut s = String::from("#!/bin/bash\n");
    s.push_str("#SBATCH --job-name=lde-sweep\n");
    s.push_str(&format!("#SBATCH --array=0-{}\n", o.tasks - 1));
    s.push_str(&format!("#SBATCH --cpus-per-task={}\n", o.cpus.max(1)));
    s.push_str(&format!("#SBATCH --time={t}\n"));
    if let Some(p) = &o.partition {
        s.push_str(&format!("#SBATCH --partition={p}\n"));
    }
    s.push_str(&format!("#SBATCH --output={}/task-%a.log\n", o.dir));
    s.push_str("# generated by `lde sweep slurm`; each task writes its own results file and\n");
    s.push_str("# skips the cells already in it, so a requeued or resubmitted task resumes.\n");
    s.push_str("set -euo pipefail\n");
    s.push_str(&format!(
        "{} sweep run {} --shard \"$SLURM_ARRAY_TASK_ID/{}\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\" --out {}/shard-\"$SLURM_ARRAY_TASK_ID\".jsonl\n",
        q(lde),
        q(cells_path),
        o.tasks,
        q(&o.dir)
    ));
    Ok(s)
}

/// Runs the cells as `jobs` local shard processes of this binary (`lde sweep run --shard
/// i/jobs --threads 1`), each into `OUT.shard-i`, then merges them into `out` (stdout if None).
pub fn parallel(cells_path: &str, jobs: usize, out: Option<&str>) -> Result<String, String> {
    let exe = std::env::current_exe().map_err(|e| format!("finding lde itself: {e}"))?;
    let base = out.unwrap_or("lde-sweep.jsonl");
    let mut children = Vec::new();
    for i in 0..jobs {
        let file = format!("{base}.shard-{i}");
        let child = std::process::Command::new(&exe)
            .args([
                "sweep",
                "run",
                cells_path,
                "--shard",
                &format!("{i}/{jobs}"),
            ])
            .args(["--threads", "1", "--out", &file])
            .spawn()
            .map_err(|e| format!("starting shard {i}: {e}"))?;
        children.push((file, child));
    }
    let mut records = Vec::new();
    let mut failed = Vec::new();
    for (i, (file, mut c)) in children.into_iter().enumerate() {
        if !c.wait().map(|s| s.success()).unwrap_or(false) {
            failed.push(i);
        }
        let text = std::fs::read_to_string(&file).map_err(|e| format!("reading {file}: {e}"))?;
        records.extend(parse_results(&text).0);
    }
    if !failed.is_empty() {
        return Err(format!("shards {failed:?} failed; rerun to resume them"));
    }
    let (merged, _) = merge(records);
    let text: String = merged.iter().map(|r| format!("{r}\n")).collect();
    if let Some(p) = out {
        std::fs::write(p, &text).map_err(|e| format!("writing {p}: {e}"))?;
        for i in 0..jobs {
            let _ = std::fs::remove_file(format!("{base}.shard-{i}"));
        }
        return Ok(String::new());
    }
    Ok(text)
}

/// `sweep merge`: the records of `files`, in cell order and deduplicated, as JSON Lines or
/// (with `csv`) one tidy CSV. Unreadable lines and conflicting copies are reported on stderr.
pub fn merge_files(files: &[String], csv: bool) -> Result<String, String> {
    if files.is_empty() {
        return Err("sweep merge needs at least one results file".into());
    }
    let mut all = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).map_err(|e| format!("reading {f}: {e}"))?;
        let (r, bad) = parse_results(&text);
        if bad > 0 {
            eprintln!("lde sweep merge: {f}: skipped {bad} line(s) that are not cell records");
        }
        all.extend(r);
    }
    let (merged, conflicts) = merge(all);
    if conflicts > 0 {
        eprintln!(
            "lde sweep merge: {conflicts} cell(s) appear with different reports; kept the first"
        );
    }
    if csv {
        return Ok(to_csv(&merged));
    }
    Ok(merged.iter().map(|r| format!("{r}\n")).collect())
}
