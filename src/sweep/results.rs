//! Sweep results: one JSON object per cell (JSON Lines), merged and flattened to a tidy CSV.
//!
//! A record is `{"cell", "link", "lab", "version", "seed", "report"}`, or `"error"` in place of
//! `"report"` for a cell that could not run. The page reads the same files (see
//! [`parse_results`]), so what runs on a cluster comes back into its views.

use crate::labs;
use crate::params::Link;
use crate::session::Session;
use serde_json::{json, Map, Value};

/// The record of cell `cell` (its link `link`): the link's report after all its jobs ran.
pub fn run_cell(cell: usize, link: &str) -> Value {
    let s = Session::from_link(link);
    let version = env!("CARGO_PKG_VERSION");
    if let Some(w) = s.warnings.first() {
        return json!({"cell": cell, "link": link, "version": version, "error": w.to_string()});
    }
    let mut s = s;
    s.run_all(1);
    json!({
        "cell": cell,
        "link": link,
        "lab": s.params().lab,
        "version": version,
        "seed": s.params().seed,
        "report": s.report(),
    })
}

/// Parsed records of a JSON Lines text, and how many lines were not records.
pub fn parse_results(text: &str) -> (Vec<Value>, usize) {
    let mut out = Vec::new();
    let mut bad = 0;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match serde_json::from_str::<Value>(line) {
            Ok(v) if v.get("link").and_then(Value::as_str).is_some() => out.push(v),
            _ => bad += 1,
        }
    }
    (out, bad)
}

/// The records of several shards as one list: in cell order, each link once (the first copy
/// wins; copies with another report are counted as conflicts).
pub fn merge(records: Vec<Value>) -> (Vec<Value>, usize) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out: Vec<Value> = Vec::new();
    let mut conflicts = 0;
    for r in records {
        let link = r["link"].as_str().unwrap_or("").to_string();
        match seen.get(&link) {
            Some(&i) => {
                if out[i].get("report") != r.get("report") {
                    conflicts += 1;
                }
            }
            None => {
                seen.insert(link, out.len());
                out.push(r);
            }
        }
    }
    out.sort_by(|a, b| {
        let ka = (
            a["cell"].as_u64().unwrap_or(u64::MAX),
            a["link"].as_str().unwrap_or(""),
        );
        let kb = (
            b["cell"].as_u64().unwrap_or(u64::MAX),
            b["link"].as_str().unwrap_or(""),
        );
        ka.cmp(&kb)
    });
    (out, conflicts)
}

/// Scalars of a report as (dotted path, value): numbers, booleans and strings at any depth of
/// nested objects; arrays are not scalars and are left out.
pub fn scalars(v: &Value) -> Vec<(String, Value)> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    let p = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&p, x, out);
                }
            }
            Value::Number(_) | Value::Bool(_) | Value::String(_) => {
                out.push((prefix.to_string(), v.clone()))
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk("", v, &mut out);
    out
}

/// One tidy CSV: a row per cell; columns cell, lab, every parameter of the labs present (the
/// link's value, else the default), seed, error, then every scalar of the reports.
pub fn to_csv(records: &[Value]) -> String {
    let mut params: Vec<String> = Vec::new();
    let mut reports: Vec<String> = Vec::new();
    let mut rows: Vec<Map<String, Value>> = Vec::new();
    for r in records {
        let link = r["link"].as_str().unwrap_or("");
        let parsed = Link::parse(link);
        let mut row = Map::new();
        if let Some(info) = parsed.lab.as_deref().and_then(labs::find) {
            let (p, _) = info.params_from_pairs(&parsed.pairs);
            for s in info.specs {
                if !params.iter().any(|k| k == s.key) {
                    params.push(s.key.to_string());
                }
                row.insert(
                    format!("p:{}", s.key),
                    Value::String(p.text(s.key).unwrap_or_default()),
                );
            }
            row.insert("p:seed".into(), json!(p.seed));
            row.insert("lab".into(), json!(info.id));
        }
        row.insert("cell".into(), r["cell"].clone());
        if let Some(e) = r.get("error") {
            row.insert("error".into(), e.clone());
        }
        for (k, v) in scalars(&r["report"]) {
            if !reports.contains(&k) {
                reports.push(k.clone());
            }
            row.insert(format!("r:{k}"), v);
        }
        rows.push(row);
    }
    let mut head: Vec<String> = vec!["cell".into(), "lab".into()];
    head.extend(params.iter().cloned());
    head.push("seed".into());
    head.push("error".into());
    let mut cols: Vec<String> = vec!["cell".into(), "lab".into()];
    cols.extend(params.iter().map(|k| format!("p:{k}")));
    cols.push("p:seed".into());
    cols.push("error".into());
    for k in &reports {
        // a report number named like a parameter keeps both columns apart
        head.push(if params.contains(k) || k == "seed" {
            format!("report.{k}")
        } else {
            k.clone()
        });
        cols.push(format!("r:{k}"));
    }
    let mut out = head.iter().map(|h| quote(h)).collect::<Vec<_>>().join(",");
    out.push('\n');
    for row in &rows {
        let line: Vec<String> = cols
            .iter()
            .map(|c| match row.get(c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => quote(s),
                Some(v) => v.to_string(),
            })
            .collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// A CSV field, quoted when it must be.
fn quote(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_orders_dedups_and_flags_conflicts() {
        let a = json!({"cell": 1, "link": "lab=curl&seed=2", "report": {"x": 1}});
        let b = json!({"cell": 0, "link": "lab=curl&seed=1", "report": {"x": 2}});
        let c = json!({"cell": 1, "link": "lab=curl&seed=2", "report": {"x": 3}});
        let (m, conflicts) = merge(vec![a.clone(), b.clone(), a.clone(), c]);
        assert_eq!(m, vec![b, a]);
        assert_eq!(conflicts, 1);
    }

    #[test]
    fn csv_has_a_column_per_parameter_and_per_scalar() {
        let r = json!({"cell": 0, "link": "lab=hebbian&h=-2&seed=3",
            "report": {"stable_count": 2, "nested": {"a": 1.5}, "list": [1, 2], "note": "a,b"}});
        let csv = to_csv(&[r]);
        let mut lines = csv.lines();
        let head: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
        assert!(head.contains(&"h") && head.contains(&"net") && head.contains(&"seed"));
        assert!(
            head.contains(&"stable_count") && head.contains(&"nested.a") && !head.contains(&"list")
        );
        let row = lines.next().unwrap_or("");
        assert!(
            row.starts_with("0,hebbian,-2,") && row.contains(",\"a,b\","),
            "{row}"
        );
    }

    #[test]
    fn bad_lines_are_counted_not_fatal() {
        let (r, bad) =
            parse_results("{\"link\":\"lab=curl\"}\nnot json\n{\"no\":1}\n\n{\"link\":\"lab=x\"");
        assert_eq!((r.len(), bad), (1, 3));
    }
}
