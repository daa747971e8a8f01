//! The results files the page ships (`www/sweeps/`) are what today's code computes: a cell's
//! link gives the same report bit for bit. A kernel change that moves the last bit of any
//! reported number fails here until the files are regenerated (the README's commands under
//! "Headline reproductions"); before this test, all four files had drifted by an ulp or so.

use lde::sweep::results::{parse_results, run_cell};
use serde_json::Value;

/// Recomputes the first, middle and last cells of one shipped file.
fn check(file: &str) {
    let path = format!("{}/www/sweeps/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (mut records, bad) = parse_results(&text);
    assert_eq!(bad, 0, "{file}: lines that are not records");
    records.sort_by_key(|r| r["cell"].as_u64());
    assert!(records.len() >= 3, "{file}: {} records", records.len());
    let picks = [0, records.len() / 2, records.len() - 1];
    for r in picks.iter().map(|&i| &records[i]) {
        let (cell, link) = (r["cell"].as_u64(), r["link"].as_str());
        let (Some(cell), Some(link)) = (cell, link) else {
            panic!("{file}: a record without cell or link: {r}");
        };
        let fresh = run_cell(cell as usize, link);
        assert!(fresh.get("error").is_none(), "{file}: {link}: {fresh}");
        assert_eq!(
            fresh["report"], r["report"],
            "{file}, cell {cell} ({link}): today's report differs from the shipped one; \
             regenerate the file with the README's sweep commands"
        );
        assert_eq!(fresh["seed"], r["seed"], "{file}, cell {cell}");
        assert_eq!(fresh["lab"], r["lab"], "{file}, cell {cell}");
        assert!(
            matches!(r["version"], Value::String(_)),
            "{file}, cell {cell}"
        );
    }
}

#[test]
fn curl_phase_hidden_is_reproduced() {
    check("curl-phase-hidden.jsonl");
}

#[test]
fn curl_phase_readout_is_reproduced() {
    check("curl-phase-readout.jsonl");
}

#[test]
fn hebbian_count_is_reproduced() {
    check("hebbian-count.jsonl");
}

#[test]
fn rnn_gain_rules_is_reproduced() {
    check("rnn-gain-rules.jsonl");
}
