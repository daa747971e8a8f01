//! A sweep's results in the page: any report number against any parameter that varies across
//! the cells, every cell a dot and the mean over the replicates at each value a line.

use super::results::scalars;
use crate::params::Link;
use crate::plot::{Chart, Layer, Rgb, Shape, Stroke};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// (x, y) pairs.
pub type Points = Vec<(f64, f64)>;

/// Loaded records of one results file, with the parameters and report numbers they hold.
#[derive(Debug, Clone, Default)]
pub struct Sweep {
    pub records: Vec<Value>,
    /// Keys whose value differs between cells (the sweep's axes, and the seed).
    pub varied: Vec<String>,
    /// Report scalars that are numbers in at least one cell.
    pub numbers: Vec<String>,
    pub labs: Vec<String>,
    pub errors: usize,
    pub skipped_lines: usize,
}

/// A key whose unsigned order is the order of the doubles (the sign bit flipped for positive
/// numbers, every bit for negative ones): exact, and undone by [`from_order_key`].
pub fn order_key(x: f64) -> u64 {
    if x.is_sign_positive() {
        x.to_bits() | (1 << 63)
    } else {
        !x.to_bits()
    }
}

/// The double of an [`order_key`].
pub fn from_order_key(k: u64) -> f64 {
    if k >> 63 == 1 {
        f64::from_bits(k & !(1 << 63))
    } else {
        f64::from_bits(!k)
    }
}

/// Parameter values of a record's link as (key, number) pairs (non-numbers are left out).
fn params_of(r: &Value) -> Vec<(String, f64)> {
    let link = Link::parse(r["link"].as_str().unwrap_or(""));
    link.pairs
        .iter()
        .filter_map(|(k, v)| v.parse::<f64>().ok().map(|x| (k.clone(), x)))
        .chain(r["seed"].as_f64().map(|s| ("seed".to_string(), s)))
        .collect()
}

impl Sweep {
    /// Reads a JSON Lines results text (`lde sweep run` or `merge` output).
    pub fn parse(text: &str) -> Result<Sweep, String> {
        let (records, skipped_lines) = super::results::parse_results(text);
        let (records, _) = super::results::merge(records);
        if records.is_empty() {
            return Err(format!(
                "no cell records in the file ({skipped_lines} line(s) that are not records); \
                 give the output of lde sweep run or lde sweep merge"
            ));
        }
        let mut values: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        let mut numbers: Vec<String> = Vec::new();
        let mut labs: Vec<String> = Vec::new();
        let mut errors = 0;
        for r in &records {
            for (k, v) in params_of(r) {
                values.entry(k).or_default().push(v);
            }
            if r.get("error").is_some() {
                errors += 1;
            }
            if let Some(l) = r["lab"].as_str() {
                if !labs.iter().any(|x| x == l) {
                    labs.push(l.to_string());
                }
            }
            for (k, v) in scalars(&r["report"]) {
                if v.is_number() && !numbers.contains(&k) {
                    numbers.push(k);
                }
            }
        }
        let varied = values
            .into_iter()
            .filter(|(_, v)| v.iter().any(|x| x.to_bits() != v[0].to_bits()))
            .map(|(k, _)| k)
            .collect();
        Ok(Sweep {
            records,
            varied,
            numbers,
            labs,
            errors,
            skipped_lines,
        })
    }

    /// The most cells that share one parameter point (their links equal but for the seed): the
    /// replicate seeds per point.
    pub fn seeds(&self) -> usize {
        let mut points: BTreeMap<String, usize> = BTreeMap::new();
        for r in &self.records {
            let link = Link::parse(r["link"].as_str().unwrap_or(""));
            let key: Vec<String> = link
                .pairs
                .iter()
                .filter(|(k, _)| k != "seed")
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            *points.entry(key.join("&")).or_default() += 1;
        }
        points.values().copied().max().unwrap_or(0)
    }

    /// "24 cells, 2 seeds per point": what a view drawn from the file says it holds.
    pub fn label(&self) -> String {
        let (c, s) = (self.records.len(), self.seeds());
        format!(
            "{c} cell{}, {s} seed{} per point",
            if c == 1 { "" } else { "s" },
            if s == 1 { "" } else { "s" }
        )
    }

    /// An error unless every cell is of lab `id`.
    pub fn require_lab(&self, id: &str) -> Result<(), String> {
        match self.labs.iter().find(|l| *l != id) {
            Some(other) => Err(format!(
                "the file holds cells of the {other} lab, not of the {id} lab: open it in that lab"
            )),
            None => Ok(()),
        }
    }

    /// The cells that ran (a cell with an `error` is left out) with their cell numbers, in file
    /// order.
    pub fn ran(&self) -> impl Iterator<Item = (usize, &Value)> {
        self.records
            .iter()
            .enumerate()
            .filter(|(_, r)| r.get("error").is_none())
            .map(|(i, r)| (r["cell"].as_u64().map_or(i, |c| c as usize), r))
    }

    /// Report number `key` of cell `i` (`r`); an error naming the cell if it is missing or not
    /// finite.
    pub fn number(i: usize, r: &Value, key: &str) -> Result<f64, String> {
        let v = r["report"]
            .pointer(&format!("/{}", key.replace('.', "/")))
            .ok_or_else(|| format!("cell {i} has no '{key}' in its report"))?;
        match v.as_f64() {
            Some(x) if x.is_finite() => Ok(x),
            _ => Err(format!("cell {i}'s '{key}' is {v}, not a finite number")),
        }
    }

    /// What the page shows about the file before anything is chosen.
    pub fn summary(&self) -> Value {
        json!({
            "cells": self.records.len(),
            "labs": self.labs,
            "varied": self.varied,
            "numbers": self.numbers,
            "errors": self.errors,
            "skipped_lines": self.skipped_lines,
        })
    }

    /// (x, y) of every cell that has both, and the mean of y at each x.
    pub fn points(&self, x: &str, y: &str) -> (Points, Points) {
        let mut pts = Vec::new();
        let mut by_x: BTreeMap<u64, (f64, f64, usize)> = BTreeMap::new();
        for r in &self.records {
            let Some(px) = params_of(r)
                .into_iter()
                .find(|(k, _)| k == x)
                .map(|(_, v)| v)
            else {
                continue;
            };
            let Some(py) = scalars(&r["report"])
                .into_iter()
                .find(|(k, _)| k == y)
                .and_then(|(_, v)| v.as_f64())
            else {
                continue;
            };
            if px.is_finite() && py.is_finite() {
                pts.push((px, py));
                let e = by_x.entry(order_key(px)).or_insert((px, 0.0, 0));
                e.1 += py;
                e.2 += 1;
            }
        }
        let mean = by_x.values().map(|&(x, s, n)| (x, s / n as f64)).collect();
        (pts, mean)
    }

    /// The chart of report number `y` against parameter `x`.
    pub fn chart(&self, x: &str, y: &str) -> Chart {
        let (pts, mean) = self.points(x, y);
        let mut c = Chart::new(format!("Sweep results: {y} against {x}"), x, y);
        if pts.is_empty() {
            return c.with_message(format!(
                "no cell has both the parameter {x} and the number {y}"
            ));
        }
        let (x0, x1) = pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| {
            (a.0.min(p.0), a.1.max(p.0))
        });
        let (y0, y1) = pts.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |a, p| {
            (a.0.min(p.1), a.1.max(p.1))
        });
        let (x0, x1) = crate::plot::pad_range(x0, x1, crate::plot::Scale::Linear);
        let (y0, y1) = crate::plot::pad_range(y0, y1, crate::plot::Scale::Linear);
        c = c.x_range(x0, x1).y_range(y0, y1);
        c.push(Layer::markers(&pts, Rgb(90, 130, 190), Shape::Filled, 3.0));
        c.push(Layer::line(
            mean,
            Rgb(200, 80, 30),
            2.0,
            Stroke::Solid,
            "mean over cells",
        ));
        c
    }

    /// The chart's data as CSV: x, y per cell.
    pub fn csv(&self, x: &str, y: &str) -> String {
        let (pts, _) = self.points(x, y);
        let mut s = format!("{x},{y}\n");
        for (a, b) in pts {
            s.push_str(&format!("{a},{b}\n"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_results_file_gives_its_axes_and_means() {
        let text = [
            r#"{"cell":0,"link":"lab=curl&m=4&seed=1","lab":"curl","seed":1,"report":{"loss":1.0}}"#,
            r#"{"cell":1,"link":"lab=curl&m=4&seed=2","lab":"curl","seed":2,"report":{"loss":3.0}}"#,
            r#"{"cell":2,"link":"lab=curl&m=8&seed=1","lab":"curl","seed":1,"report":{"loss":5.0}}"#,
            "garbage",
        ]
        .join("\n");
        let s = Sweep::parse(&text).expect("parse");
        assert_eq!(s.varied, vec!["m".to_string(), "seed".to_string()]);
        assert_eq!(s.numbers, vec!["loss".to_string()]);
        assert_eq!(s.skipped_lines, 1);
        let (pts, mean) = s.points("m", "loss");
        assert_eq!(pts.len(), 3);
        assert_eq!(mean, vec![(4.0, 2.0), (8.0, 5.0)]);
        assert!(s.chart("m", "nothing").message.is_some());
        assert!(Sweep::parse("not a results file").is_err());
    }
}
