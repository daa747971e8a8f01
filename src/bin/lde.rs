//! `lde`: the explorer's command line, on the same core and the same parameters as the page.
//!
//! ```text
//! lde report <lab> key=value ...        key numbers as JSON
//! lde csv <lab> <view> key=value ...    the data behind one view
//! lde svg <lab> <view> key=value ...    one view as SVG (same drawing code as the canvas)
//! lde link <lab> key=value ...          the link that opens this state in the page
//! lde job '<link>&stage=<id>&job=<i>'   one job of a lab's long work, as JSON
//! lde labs                              the labs, their views, parameters and presets
//! lde sweep plan|run|slurm|parallel|merge  sweeps of cells (links) on threads, shards, SLURM
//! ```
//! `report`, `csv` and `svg` run the lab's jobs on `--threads K` native threads (default: all
//! cores); the numbers do not depend on K.

use lde::labs;
use lde::params::{Kind, Params};
use lde::session::Session;
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage:
  lde report <lab> [key=value ...] [--threads K]
  lde csv <lab> <view> [key=value ...] [--threads K]
  lde svg <lab> <view> [key=value ...] [--size WxH] [--threads K]
  lde link <lab> [key=value ...]
  lde job '<stage link>&stage=<id>&job=<index>'
  lde labs
  lde sweep plan <lab> key=START:STOP:COUNT|key=log:START:STOP:COUNT|key=a,b,c ... [key=value ...] [seeds=K] [seed=S]
  lde sweep run CELLS [--shard I/N] [--threads K] [--out FILE]
  lde sweep slurm CELLS --tasks N [--time HH:MM:SS] [--cpus K] [--partition P] [--dir DIR]
  lde sweep parallel CELLS --jobs N [--out FILE]
  lde sweep merge FILES... [--csv]
  lde sweep view FILE <view> [key=value ...] [--size WxH] [--csv]
A key=value may also be preset=<name> (applied first). Labs: ";

fn lab_names() -> String {
    labs::all()
        .iter()
        .map(|l| l.id)
        .collect::<Vec<_>>()
        .join(", ")
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("lde: {msg}");
    ExitCode::from(2)
}

/// Parses `key=value` arguments strictly: any warning is an error on the command line.
/// A `preset=<id>` is applied first, the other pairs over it (the page's rule too).
fn params_of(info: &'static lde::lab::LabInfo, args: &[String]) -> Result<Params, String> {
    let mut pairs = Vec::new();
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(format!("'{a}' is not key=value"));
        };
        if k == "preset" && info.preset_params(v, 0).is_none() {
            return Err(info.no_preset(v));
        }
        pairs.push((k.to_string(), v.to_string()));
    }
    let (p, w) = info.params_from_pairs(&pairs);
    if let Some(first) = w.first() {
        let keys: Vec<&str> = info.specs.iter().map(|s| s.key).collect();
        return Err(format!(
            "{first}\nparameters of {}: {}, seed",
            info.id,
            keys.join(", ")
        ));
    }
    Ok(p)
}

fn describe() -> String {
    let mut s = String::new();
    for l in labs::all() {
        s.push_str(&format!(
            "{} — {}\n  views: {}\n  presets: {}\n  parameters:\n",
            l.id,
            l.title,
            (l.views)()
                .iter()
                .map(|v| v.id)
                .collect::<Vec<_>>()
                .join(", "),
            l.presets
                .iter()
                .map(|p| p.id)
                .collect::<Vec<_>>()
                .join(", ")
        ));
        for sp in l.specs {
            let range = match sp.kind {
                Kind::Real {
                    min, max, default, ..
                } => format!("{min}…{max}, default {default}"),
                Kind::Int { min, max, default } => format!("{min}…{max}, default {default}"),
                Kind::Choice { options, default } => format!(
                    "{} (default {})",
                    options.join("|"),
                    options.get(default).unwrap_or(&"")
                ),
                Kind::Flag { default } => format!("0|1, default {}", u8::from(default)),
                Kind::Points { max, .. } => format!("up to {max} points x,y;x,y"),
            };
            s.push_str(&format!("    {:<14} {range}  — {}\n", sp.key, sp.help));
        }
    }
    s
}

fn run(args: &[String]) -> Result<String, String> {
    let usage = || format!("{USAGE}{}", lab_names());
    let cmd = args.first().ok_or_else(usage)?;
    if cmd == "labs" {
        return Ok(describe());
    }
    if cmd == "-h" || cmd == "--help" || cmd == "help" {
        return Ok(usage());
    }
    if cmd == "sweep" {
        // sweeps run on native threads and processes (the wasm build of this binary, which
        // `cargo test --target wasm32` compiles, has no sweep)
        #[cfg(not(target_arch = "wasm32"))]
        return sweep(&args[1..]);
        #[cfg(target_arch = "wasm32")]
        return Err("lde sweep needs the native build".into());
    }
    if cmd == "job" {
        let text = args.get(1).ok_or_else(usage)?;
        return job(text);
    }
    let lab_id = args.get(1).ok_or_else(usage)?;
    let info = labs::find(lab_id)
        .ok_or_else(|| format!("no lab named '{lab_id}' (labs: {})", lab_names()))?;
    let mut rest: Vec<String> = args[2..].to_vec();
    let threads = take_threads(&mut rest)?;
    let size = take_size(&mut rest)?;
    let views = (info.views)()
        .iter()
        .map(|v| v.id)
        .collect::<Vec<_>>()
        .join(", ");
    let view_of = |rest: &mut Vec<String>| -> Result<String, String> {
        if rest.is_empty() || rest[0].contains('=') {
            return Err(format!("which view? views of {}: {views}", info.id));
        }
        let v = rest.remove(0);
        if !(info.views)().iter().any(|x| x.id == v) {
            return Err(format!(
                "the {} lab has no view '{v}' (views: {views})",
                info.id
            ));
        }
        Ok(v)
    };
    match cmd.as_str() {
        "report" => {
            let mut s = Session::from_params(info, params_of(info, &rest)?);
            s.run_all(threads);
            serde_json::to_string_pretty(&s.report()).map_err(|e| e.to_string())
        }
        "csv" | "svg" => {
            let view = view_of(&mut rest)?;
            let mut s = Session::from_params(info, params_of(info, &rest)?);
            s.run_all(threads);
            if cmd == "csv" {
                s.csv(&view)
            } else {
                s.svg(&view, size.0, size.1)
            }
        }
        "link" => {
            let p = params_of(info, &rest)?;
            Ok(p.to_link())
        }
        _ => Err(usage()),
    }
}

/// Takes `--NAME VALUE` out of the arguments.
#[cfg(not(target_arch = "wasm32"))]
fn take_opt(rest: &mut Vec<String>, name: &str) -> Result<Option<String>, String> {
    let Some(i) = rest.iter().position(|a| a == name) else {
        return Ok(None);
    };
    let v = rest
        .get(i + 1)
        .cloned()
        .ok_or_else(|| format!("{name} needs a value"))?;
    rest.drain(i..=i + 1);
    Ok(Some(v))
}

/// A whole number from `lo` to `hi` given to option `name`.
#[cfg(not(target_arch = "wasm32"))]
fn number(name: &str, v: &str, lo: usize, hi: usize) -> Result<usize, String> {
    v.parse::<usize>()
        .ok()
        .filter(|k| (lo..=hi).contains(k))
        .ok_or_else(|| format!("{name} needs a whole number from {lo} to {hi}"))
}

/// `lde sweep …` (see `lde::sweep`).
#[cfg(not(target_arch = "wasm32"))]
fn sweep(args: &[String]) -> Result<String, String> {
    use lde::sweep::native;
    let usage = || format!("{USAGE}{}", lab_names());
    let sub = args.first().ok_or_else(usage)?;
    let mut rest: Vec<String> = args[1..].to_vec();
    let cells_arg = |rest: &mut Vec<String>| -> Result<String, String> {
        if rest.is_empty() || rest[0].starts_with("--") {
            return Err(format!(
                "sweep {sub} needs a CELLS file (the output of sweep plan; - for stdin)"
            ));
        }
        Ok(rest.remove(0))
    };
    let no_more = |rest: &[String]| match rest.first() {
        Some(a) => Err(format!("sweep {sub}: unexpected argument '{a}'")),
        None => Ok(()),
    };
    match sub.as_str() {
        "plan" => {
            let lab_id = rest.first().cloned().ok_or_else(usage)?;
            let info = labs::find(&lab_id)
                .ok_or_else(|| format!("no lab named '{lab_id}' (labs: {})", lab_names()))?;
            Ok(lde::sweep::plan::plan(info, &rest[1..])?.join("\n"))
        }
        "run" => {
            let cells = native::read_cells(&cells_arg(&mut rest)?)?;
            let shard = match take_opt(&mut rest, "--shard")? {
                Some(s) => native::parse_shard(&s)?,
                None => (0, 1),
            };
            let threads = take_threads(&mut rest)?;
            let out = take_opt(&mut rest, "--out")?;
            no_more(&rest)?;
            let sum = native::run(&cells, shard, threads, out.as_deref())?;
            eprintln!(
                "lde sweep run: shard {}/{}: {} cell(s) run, {} already done, {} failed",
                shard.0, shard.1, sum.ran, sum.skipped, sum.failed
            );
            if sum.failed > 0 {
                return Err(format!(
                    "{} cell(s) failed (their records say why)",
                    sum.failed
                ));
            }
            Ok(String::new())
        }
        "slurm" => {
            let cells = cells_arg(&mut rest)?;
            let tasks = take_opt(&mut rest, "--tasks")?.ok_or("sweep slurm needs --tasks N")?;
            let o = native::SlurmOptions {
                tasks: number("--tasks", &tasks, 1, 100_000)?,
                time: take_opt(&mut rest, "--time")?.unwrap_or_else(|| "01:00:00".into()),
                cpus: match take_opt(&mut rest, "--cpus")? {
                    Some(c) => number("--cpus", &c, 1, 1024)?,
                    None => 1,
                },
                partition: take_opt(&mut rest, "--partition")?,
                dir: take_opt(&mut rest, "--dir")?.unwrap_or_else(|| ".".into()),
            };
            no_more(&rest)?;
            let abs = |p: &str| {
                std::fs::canonicalize(p).map_or(p.to_string(), |a| a.display().to_string())
            };
            std::fs::metadata(&cells).map_err(|e| format!("{cells}: {e}"))?;
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            native::slurm_script(
                &exe.display().to_string(),
                &abs(&cells),
                &native::SlurmOptions {
                    dir: abs(&o.dir),
                    ..o
                },
            )
        }
        "parallel" => {
            let cells = cells_arg(&mut rest)?;
            let jobs = take_opt(&mut rest, "--jobs")?.ok_or("sweep parallel needs --jobs N")?;
            let jobs = number("--jobs", &jobs, 1, 256)?;
            let out = take_opt(&mut rest, "--out")?;
            no_more(&rest)?;
            native::read_cells(&cells)?;
            native::parallel(&cells, jobs, out.as_deref())
        }
        "view" => sweep_view(&mut rest),
        "merge" => {
            let csv = rest.iter().any(|a| a == "--csv");
            rest.retain(|a| a != "--csv");
            native::merge_files(&rest, csv)
        }
        _ => Err(usage()),
    }
}

/// Takes `--size WxH` out of the arguments (default 800×500).
fn take_size(rest: &mut Vec<String>) -> Result<(u32, u32), String> {
    let Some(i) = rest.iter().position(|a| a == "--size") else {
        return Ok((800, 500));
    };
    let v = rest.get(i + 1).cloned().ok_or("--size needs WxH")?;
    let (w, h) = v.split_once('x').ok_or("--size needs WxH")?;
    let w: u32 = w.parse().map_err(|_| "--size needs WxH")?;
    let h: u32 = h.parse().map_err(|_| "--size needs WxH")?;
    if !(100..=4000).contains(&w) || !(100..=4000).contains(&h) {
        return Err("--size must be between 100x100 and 4000x4000".into());
    }
    rest.drain(i..=i + 1);
    Ok((w, h))
}

/// `lde sweep view FILE VIEW [key=value ...]`: a results file drawn in its lab's sweep view, as
/// the page draws it (SVG, or the view's table as CSV); the keys set the live overlays.
#[cfg(not(target_arch = "wasm32"))]
fn sweep_view(rest: &mut Vec<String>) -> Result<String, String> {
    let size = take_size(rest)?;
    let csv = rest.iter().any(|a| a == "--csv");
    rest.retain(|a| a != "--csv");
    if rest.len() < 2 {
        return Err("sweep view needs a results FILE and a view".into());
    }
    let path = rest.remove(0);
    let view = rest.remove(0);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    let file = lde::sweep::view::Sweep::parse(&text).map_err(|e| format!("{path}: {e}"))?;
    let [lab_id] = &file.labs[..] else {
        return Err(format!("{path}: the cells must come from one lab"));
    };
    let info = labs::find(lab_id).ok_or_else(|| format!("{path}: no lab named '{lab_id}'"))?;
    let mut s = Session::from_params(info, params_of(info, rest)?);
    s.run_all(1);
    let (chart, table) = s.lab().results_view(&view, &file).ok_or_else(|| {
        format!("the {lab_id} lab's view '{view}' does not take a results file")
    })??;
    if csv {
        Ok(table.to_csv())
    } else {
        lde::plot::to_svg(&chart, size.0, size.1)
    }
}

/// Takes `--threads K` out of the arguments (default: every core).
fn take_threads(rest: &mut Vec<String>) -> Result<usize, String> {
    let Some(i) = rest.iter().position(|a| a == "--threads") else {
        return Ok(std::thread::available_parallelism().map_or(1, |n| n.get()));
    };
    let k = rest
        .get(i + 1)
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|k| (1..=256).contains(k))
        .ok_or("--threads needs a number from 1 to 256")?;
    rest.drain(i..=i + 1);
    Ok(k)
}

/// Runs one job given as text and prints its output as JSON, with its size and a digest of
/// its bytes (so that outputs computed in different places can be compared bit for bit).
fn job(text: &str) -> Result<String, String> {
    let spec = lde::lab::work::JobSpec::parse(text)?;
    let bytes = lde::session::run_job(&spec)?;
    let (lab, _) = lde::session::job_lab(&spec)?;
    let out = lab.output_json(&bytes)?;
    let j = serde_json::json!({
        "job": spec.to_text(),
        "bytes": bytes.len(),
        "fnv1a64": format!("{:016x}", lde::lab::work::fnv1a64(&bytes)),
        "output": out,
    });
    serde_json::to_string_pretty(&j).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(out) if out.is_empty() => ExitCode::SUCCESS,
        Ok(out) => {
            let mut so = std::io::stdout().lock();
            if writeln!(so, "{}", out.trim_end()).is_err() {
                return ExitCode::from(1);
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
