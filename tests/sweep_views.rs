//! A sweep's results file drawn in the lab's own sweep views: the curl phase diagram and the RNN
//! gain sweeps take the cells' reports, and a file that does not fit is refused with its reason.

use lde::lab::Table;
use lde::plot::Chart;
use lde::session::Session;
use lde::sweep::results::run_cell;
use lde::sweep::view::Sweep;
use serde_json::Value;

fn file(links: &[String]) -> (String, Vec<Value>) {
    let records: Vec<Value> = links
        .iter()
        .enumerate()
        .map(|(i, l)| run_cell(i, l))
        .collect();
    let text = records
        .iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    (text, records)
}

fn view(lab: &str, view: &str, text: &str) -> Result<(Chart, Table), String> {
    let s = Session::from_link(&format!("lab={lab}"));
    let f = Sweep::parse(text)?;
    s.lab()
        .results_view(view, &f)
        .expect("the view takes a file")
}

fn col(t: &Table, name: &str) -> Vec<f64> {
    let j = t.header.iter().position(|h| h == name).expect(name);
    let csv = t.to_csv();
    csv.lines()
        .skip(1)
        .map(|l| {
            l.split(',')
                .nth(j)
                .and_then(|x| x.parse().ok())
                .unwrap_or(f64::NAN)
        })
        .collect()
}

#[test]
fn curl_cells_fill_the_phase_diagram_with_their_unstable_share() {
    // c = 1/2: no flips (gradient descent, stable on the whole manifold) against half the
    // inputs flipped (regime B's small variant, α_h = 0.5 ≫ α_h* ≈ 0.05: chaotic)
    let links: Vec<String> = [0, 5]
        .iter()
        .flat_map(|nh| {
            (1..=3).map(move |seed| format!("lab=curl&m=10&n=20&nh={nh}&horizon=100&seed={seed}"))
        })
        .collect();
    let (text, records) = file(&links);
    let (chart, table) = view("curl", "phase", &text).expect("fits");
    assert!(
        chart.title.contains("6 cells, 3 seeds per point"),
        "{}",
        chart.title
    );
    let runs = col(&table, "runs");
    let share = col(&table, "unstable_fraction");
    let alpha = col(&table, "alpha");
    assert_eq!(runs, vec![3.0, 3.0]);
    // each square's share is its runs' share that end unstable, read off the reports
    for (a, s) in alpha.iter().zip(&share) {
        let own: Vec<bool> = records
            .iter()
            .filter(|r| (r["report"]["alpha_h"].as_f64().unwrap() - a).abs() < 0.05)
            .map(|r| {
                r["report"]["diverged_cd"].as_bool().unwrap()
                    || r["report"]["jacobian_max_eig"].as_f64().unwrap() > 0.0
            })
            .collect();
        assert_eq!(own.len(), 3);
        let want = own.iter().filter(|&&u| u).count() as f64 / 3.0;
        assert_eq!(*s, want);
    }
    assert_eq!(share[0], 0.0, "gradient descent ends stable");
    assert_eq!(
        share[1], 1.0,
        "half the inputs flipped at c = 1/2 ends unstable"
    );
}

#[test]
fn rnn_replicates_become_means_with_seed_error_bars() {
    // in the coarse-to-fine order of a plan, not by g: the lines must still run along g
    let links: Vec<String> = [1.5, 0.8]
        .iter()
        .flat_map(|g| {
            (1..=2).map(move |seed| {
                format!("lab=rnn&g={g}&iters=10&tests=16&sweep=off&reps=1&seed={seed}")
            })
        })
        .collect();
    let (text, records) = file(&links);
    for v in ["perf_g", "lyap_g"] {
        let (chart, table) = view("rnn", v, &text).expect("fits");
        assert!(
            chart.title.contains("4 cells, 2 seeds per point"),
            "{}",
            chart.title
        );
        let acc = col(&table, "accuracy");
        let lam = col(&table, "lambda_after");
        assert_eq!(col(&table, "g"), vec![0.8, 1.5]);
        for (k, g) in [0.8, 1.5].iter().enumerate() {
            let mine: Vec<&Value> = records
                .iter()
                .filter(|r| r["report"]["g"].as_f64() == Some(*g))
                .collect();
            let mean = |key: &str| {
                mine.iter()
                    .map(|r| r["report"][key].as_f64().unwrap())
                    .sum::<f64>()
                    / 2.0
            };
            assert_eq!(acc[k], mean("accuracy"));
            if v == "lyap_g" {
                assert_eq!(lam[k], mean("lyapunov_after"));
            }
        }
    }
}

#[test]
fn a_file_that_does_not_fit_is_refused_with_its_reason() {
    let (curl, _) = file(&["lab=curl&m=10&n=20&horizon=20&seed=1".to_string()]);
    let e = view("rnn", "perf_g", &curl).unwrap_err();
    assert!(e.contains("curl lab"), "{e}");
    let broken = curl.replacen(
        "\"jacobian_max_eig\":",
        "\"jacobian_max_eig\":null,\"x\":",
        1,
    );
    let e = view("curl", "phase", &broken).unwrap_err();
    assert!(
        e.contains("cell 0") && e.contains("jacobian_max_eig"),
        "{e}"
    );
    let gone = curl.replacen("\"alpha_h\":", "\"alpha_hh\":", 1);
    let e = view("curl", "phase", &gone).unwrap_err();
    assert!(e.contains("no 'alpha_h'"), "{e}");
    // views without a sweep take no file
    let s = Session::from_link("lab=curl");
    let f = Sweep::parse(&curl).expect("parses");
    assert!(s.lab().results_view("loss", &f).is_none());
}

#[test]
fn hebbian_cells_give_the_stable_count_against_h_per_decay() {
    // the choke network at γw = 0.1: convex above its onset (−3.39), multistable below
    let links: Vec<String> = [-1.0, -4.0]
        .iter()
        .map(|h| format!("lab=hebbian&h={h}&gamma_w=0.1&net=choke&seed=1"))
        .collect();
    let (text, records) = file(&links);
    let (chart, table) = view("hebbian", "count", &text).expect("fits");
    assert!(
        chart.title.contains("2 cells, 1 seed per point"),
        "{}",
        chart.title
    );
    assert_eq!(col(&table, "h"), vec![-4.0, -1.0], "ordered by h");
    let count = col(&table, "stable_count");
    let own = |h: f64| {
        records
            .iter()
            .find(|r| r["report"]["h"].as_f64() == Some(h))
            .and_then(|r| r["report"]["stable_count"].as_f64())
            .unwrap()
    };
    assert_eq!(count, vec![own(-4.0), own(-1.0)]);
    assert_eq!(count[1], 1.0, "one attractor above the onset");
    assert!(count[0] > 1.0, "several below it");
    let onset = col(&table, "onset");
    assert!(
        onset[0] < -1.0 && onset[0] > -4.0,
        "the onset lies between: {onset:?}"
    );
    // one network per file
    let mixed = text.replacen("\"net\":\"choke\"", "\"net\":\"pair\"", 1);
    let e = view("hebbian", "count", &mixed).unwrap_err();
    assert!(e.contains("mixes networks"), "{e}");
}
