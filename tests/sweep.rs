//! `lde sweep`: plans validate against the specs, a cell's record does not depend on the shard
//! or the thread count, a killed run resumes, merge deduplicates and flattens; and on a real
//! single-node SLURM the generated array script gives the serial run's bits.

use std::path::{Path, PathBuf};
use std::process::Command;

fn lde(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lde"))
        .args(args)
        .output()
        .expect("run lde");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(args: &[&str]) -> String {
    let (code, out, err) = lde(args);
    assert_eq!(code, 0, "lde {args:?}: {err}");
    out
}

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("lde-sweep-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A small curl sweep: 3 sizes × 2 seeds, each cell a fraction of a second.
fn cells(d: &Path) -> PathBuf {
    let plan = ok(&[
        "sweep",
        "plan",
        "curl",
        "m=4:12:3",
        "n=10",
        "horizon=20",
        "p=40",
        "seeds=2",
        "seed=5",
    ]);
    assert_eq!(plan.lines().count(), 6, "{plan}");
    let f = d.join("cells.txt");
    std::fs::write(&f, plan).expect("write cells");
    f
}

#[test]
fn bad_plans_exit_with_2_and_say_why() {
    for (args, want) in [
        (
            vec!["sweep", "plan", "curl", "mm=1:2:3"],
            "no parameter 'mm'",
        ),
        (vec!["sweep", "plan", "curl", "eta=0:50:3"], "outside"),
        (
            vec![
                "sweep",
                "plan",
                "hebbian",
                "h=-1:1:2000",
                "gamma_x=0.02:0.5:1000",
            ],
            "at most 1000000",
        ),
        (vec!["sweep", "plan", "nolab", "h=1"], "no lab named"),
        (vec!["sweep", "run", "/nonexistent/cells"], "reading"),
        (
            vec!["sweep", "slurm", "Cargo.toml", "--tasks", "0"],
            "--tasks",
        ),
    ] {
        let (code, _, err) = lde(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

#[test]
fn shards_threads_and_resume_give_the_serial_bits() {
    let d = dir("local");
    let c = cells(&d);
    let serial = d.join("serial.jsonl");
    ok(&["sweep", "run", s(&c), "--threads", "1", "--out", s(&serial)]);
    let want = ok(&["sweep", "merge", s(&serial)]);
    assert_eq!(want.lines().count(), 6);
    // one thread writes in cell order, so merging must give the file back byte for byte:
    // every double parsed and re-printed keeps its bits (serde_json's default parser is
    // off by an ulp on some 17-digit values, e.g. 0.11472090846007149)
    assert_eq!(
        want,
        std::fs::read_to_string(&serial).unwrap_or_default(),
        "merge keeps every record's bits"
    );
    let first: serde_json::Value =
        serde_json::from_str(want.lines().next().unwrap_or("")).expect("record");
    assert_eq!(first["lab"], "curl");
    assert!(first["report"].is_object() && first["seed"].is_u64() && first["version"].is_string());

    // three shards on two threads each, merged
    let mut files = Vec::new();
    for i in 0..3 {
        let f = d.join(format!("shard-{i}.jsonl"));
        ok(&[
            "sweep",
            "run",
            s(&c),
            "--shard",
            &format!("{i}/3"),
            "--threads",
            "2",
            "--out",
            s(&f),
        ]);
        assert_eq!(
            std::fs::read_to_string(&f)
                .unwrap_or_default()
                .lines()
                .count(),
            2
        );
        files.push(f);
    }
    let mut args = vec!["sweep", "merge"];
    args.extend(files.iter().map(|f| s(f)));
    assert_eq!(ok(&args), want, "shards merge to the serial run");

    // a killed run: two whole records and half of a third; the rerun completes it
    let part = d.join("part.jsonl");
    let text = std::fs::read_to_string(&serial).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    std::fs::write(
        &part,
        format!(
            "{}\n{}\n{}",
            lines[0],
            lines[1],
            &lines[2][..lines[2].len() / 2]
        ),
    )
    .expect("write");
    let (code, _, err) = lde(&["sweep", "run", s(&c), "--out", s(&part)]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("4 cell(s) run, 2 already done"), "{err}");
    assert_eq!(
        ok(&["sweep", "merge", s(&part)]),
        want,
        "the resumed file equals the serial run"
    );

    // duplicates across files merge away; --csv has one row per cell
    let csv = ok(&["sweep", "merge", s(&serial), s(&part), "--csv"]);
    let head: Vec<&str> = csv.lines().next().unwrap_or("").split(',').collect();
    assert_eq!(csv.lines().count(), 7);
    for col in ["cell", "lab", "m", "n", "eta", "seed"] {
        assert!(head.contains(&col), "column {col}: {head:?}");
    }
    // the local parallel runner gives the same records
    let par = d.join("par.jsonl");
    ok(&["sweep", "parallel", s(&c), "--jobs", "2", "--out", s(&par)]);
    assert_eq!(std::fs::read_to_string(&par).unwrap_or_default(), want);
    let _ = std::fs::remove_dir_all(&d);
}

/// Stops the test cluster when the test ends, however it ends.
struct Cluster(PathBuf, PathBuf);
impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("bash")
            .arg(&self.0)
            .arg("stop")
            .env("SLURM_TEST_DIR", &self.1)
            .status();
    }
}

#[test]
fn slurm_array_gives_the_serial_bits() {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    if !root {
        eprintln!("SKIPPED: starting the single-node SLURM needs root");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/slurm_single_node.sh");
    let d = dir("slurm");
    let cluster = Cluster(script.clone(), d.join("cluster"));
    let up = Command::new("bash")
        .arg(&script)
        .arg("start")
        .env("SLURM_TEST_DIR", d.join("cluster"))
        .status()
        .expect("run the cluster script");
    assert!(up.success(), "the single-node SLURM started");
    let c = cells(&d);
    let results = d.join("results");
    std::fs::create_dir_all(&results).expect("results dir");
    let sbatch = ok(&[
        "sweep",
        "slurm",
        s(&c),
        "--tasks",
        "3",
        "--time",
        "00:05:00",
        "--cpus",
        "1",
        "--dir",
        s(&results),
    ]);
    assert!(
        sbatch.contains("#SBATCH --array=0-2")
            && sbatch.contains("--shard \"$SLURM_ARRAY_TASK_ID/3\""),
        "{sbatch}"
    );
    let job = d.join("sweep.sbatch");
    std::fs::write(&job, &sbatch).expect("write sbatch");
    let out = Command::new("sbatch")
        .arg("--parsable")
        .arg(&job)
        .current_dir(&d)
        .output()
        .expect("sbatch");
    assert!(
        out.status.success(),
        "sbatch: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let waited = Command::new("bash")
        .arg(&script)
        .args(["wait", &id, "120"])
        .env("SLURM_TEST_DIR", d.join("cluster"))
        .status()
        .expect("wait");
    assert!(waited.success(), "every array task COMPLETED");
    let shards: Vec<String> = (0..3)
        .map(|i| s(&results.join(format!("shard-{i}.jsonl"))).to_string())
        .collect();
    for f in &shards {
        assert!(Path::new(f).exists(), "{f}: one results file per task");
    }
    let mut args = vec!["sweep", "merge"];
    args.extend(shards.iter().map(String::as_str));
    let merged = ok(&args);
    let serial = d.join("serial.jsonl");
    ok(&["sweep", "run", s(&c), "--threads", "2", "--out", s(&serial)]);
    assert_eq!(
        merged,
        ok(&["sweep", "merge", s(&serial)]),
        "the array's merged results are the serial run's bits"
    );
    drop(cluster);
    let _ = std::fs::remove_dir_all(&d);
}

/// `lde sweep view` draws a results file in its lab's sweep view as the page does: the curl
/// phase diagram's squares hold the file's runs (fractions of M by `nh=of:m:…`), its title the
/// count; a view without a results form and a file of no records are refused.
#[test]
fn a_results_file_is_drawn_in_its_view() {
    let d = dir("view");
    let plan = ok(&[
        "sweep",
        "plan",
        "curl",
        "m=10,40",
        "n=40",
        "nh=of:m:0:1:2",
        "horizon=20",
        "seed=3",
    ]);
    // nh = 0 and nh = M for both sizes
    let nh: Vec<&str> = plan
        .lines()
        .filter_map(|c| c.split('&').find(|p| p.starts_with("nh=")))
        .collect();
    assert_eq!(nh.len(), 4, "{plan}");
    assert!(plan.contains("m=10&n=40&nh=10&") && plan.contains("m=40&n=40&nh=40&"));
    let cells = d.join("cells.txt");
    std::fs::write(&cells, &plan).expect("write cells");
    let out = d.join("r.jsonl");
    ok(&[
        "sweep",
        "run",
        s(&cells),
        "--threads",
        "2",
        "--out",
        s(&out),
    ]);
    let svg = ok(&["sweep", "view", s(&out), "phase", "--size", "500x320"]);
    assert!(svg.starts_with("<svg") && svg.contains("4 cells"), "title");
    let csv = ok(&["sweep", "view", s(&out), "phase", "--csv"]);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 4, "one grid square per (c, α) point: {csv}");
    // gradient descent (α = 0) ends stable; with every input flipped, c = 1/4 stays stable (the
    // paper: stable for any α_h when c ≤ 1/4) and c = 1 does not (one flip suffices past 2/3)
    let share = |c: &str, alpha: &str| {
        rows.iter()
            .find(|r| r.starts_with(c) && r.contains(&format!(",{alpha},")))
            .and_then(|r| r.rsplit(',').next())
            .unwrap_or("missing")
            .to_string()
    };
    let (quarter, one) = ("-0.54", "-0.03");
    assert_eq!(share(quarter, "0.025"), "0", "{csv}");
    assert_eq!(share(one, "0.025"), "0", "{csv}");
    assert_eq!(share(quarter, "0.975"), "0", "{csv}");
    assert_eq!(share(one, "0.975"), "1", "{csv}");
    let (code, _, err) = lde(&["sweep", "view", s(&out), "loss"]);
    assert_eq!(code, 2);
    assert!(err.contains("does not take a results file"), "{err}");
    let (code, _, err) = lde(&["sweep", "view", s(&cells), "phase"]);
    assert_eq!(code, 2);
    assert!(err.contains("no cell records"), "{err}");
}
