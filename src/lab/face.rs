//! What every lab shows besides its charts, in one shape: readouts, numbers as text, tables
//! (CSV and the page's data tables), clicks, and the report envelope.

use crate::dynamics::fm;
use crate::params::Params;
use serde_json::{json, Value as Json};

/// A live readout beside the plots.
#[derive(Debug, Clone, PartialEq)]
pub struct Readout {
    pub label: String,
    pub value: String,
    /// One sentence: what the number is.
    pub help: String,
}

impl Readout {
    pub fn new(
        label: impl Into<String>,
        value: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Readout {
            label: label.into(),
            value: value.into(),
            help: help.into(),
        }
    }
}

/// The one number formatter of readouts and chart text: 4 significant digits with trailing
/// zeros dropped ("300", "0.1235", "−1.237", "3.5e-5"; whole numbers below 10⁶ in full);
/// "—" for NaN (no value), "∞" and
/// "−∞" for infinities, and never "-0".
pub fn num(v: f64) -> String {
    num_sig(v, 4)
}

/// [`num`] with `sig` significant digits (1–17).
pub fn num_sig(v: f64, sig: usize) -> String {
    if v.is_nan() {
        return "—".into();
    }
    if v.is_infinite() {
        return if v > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    if v == 0.0 {
        return "0".into();
    }
    let sig = sig.clamp(1, 17);
    let a = v.abs();
    let exp = fm::log10(a).floor() as i32;
    let s = if !(-4..6).contains(&exp) {
        let s = format!("{:.*e}", sig - 1, v);
        // 1.500e-5 → 1.5e-5
        match s.split_once('e') {
            Some((m, e)) => format!("{}e{}", trim_zeros(m), e),
            None => s,
        }
    } else {
        let decimals = (sig as i32 - 1 - exp).max(0) as usize;
        trim_zeros(&format!("{v:.decimals$}"))
    };
    match s.strip_prefix('-') {
        Some("0") => "0".into(),
        Some(rest) => format!("−{rest}"),
        None => s,
    }
}

fn trim_zeros(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// A number for a JSON report: the value, or null when it is not finite.
pub fn json_num(v: f64) -> Json {
    if v.is_finite() {
        json!(v)
    } else {
        Json::Null
    }
}

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Num(f64),
    Int(i64),
    Text(String),
}

impl Cell {
    /// The cell as CSV text: numbers exactly (shortest round trip), NaN and infinities empty.
    pub fn csv(&self) -> String {
        match self {
            Cell::Num(v) if v.is_finite() => {
                if *v == 0.0 {
                    "0".into()
                } else {
                    format!("{v}")
                }
            }
            Cell::Num(_) => String::new(),
            Cell::Int(i) => i.to_string(),
            Cell::Text(t) => {
                if t.contains([',', '"', '\n']) {
                    format!("\"{}\"", t.replace('"', "\"\""))
                } else {
                    t.clone()
                }
            }
        }
    }

    /// The cell as JSON (numbers, null for a missing value, strings).
    pub fn json(&self) -> Json {
        match self {
            Cell::Num(v) => json_num(*v),
            Cell::Int(i) => json!(i),
            Cell::Text(t) => json!(t),
        }
    }
}

impl From<f64> for Cell {
    fn from(v: f64) -> Self {
        Cell::Num(v)
    }
}
impl From<usize> for Cell {
    fn from(v: usize) -> Self {
        Cell::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<u64> for Cell {
    fn from(v: u64) -> Self {
        Cell::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<i64> for Cell {
    fn from(v: i64) -> Self {
        Cell::Int(v)
    }
}
impl From<i32> for Cell {
    fn from(v: i32) -> Self {
        Cell::Int(v.into())
    }
}
impl From<bool> for Cell {
    fn from(v: bool) -> Self {
        Cell::Int(i64::from(v))
    }
}
impl From<&str> for Cell {
    fn from(v: &str) -> Self {
        Cell::Text(v.to_string())
    }
}
impl From<String> for Cell {
    fn from(v: String) -> Self {
        Cell::Text(v)
    }
}
impl From<Option<usize>> for Cell {
    fn from(v: Option<usize>) -> Self {
        v.map_or(Cell::Num(f64::NAN), Cell::from)
    }
}

/// A row of cells: `row![x, y, "label"]`.
#[macro_export]
macro_rules! row {
    ($($c:expr),* $(,)?) => { vec![$($crate::lab::face::Cell::from($c)),*] };
}

/// The data behind a view: a header and rectangular rows. It is the view's CSV and the page's
/// data table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new<S: AsRef<str>>(header: &[S]) -> Table {
        Table {
            header: header.iter().map(|h| h.as_ref().to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Appends a row, padded with empty cells or cut to the header's width (always rectangular).
    pub fn push(&mut self, mut row: Vec<Cell>) {
        row.resize(self.header.len(), Cell::Num(f64::NAN));
        self.rows.push(row);
    }

    /// The table as CSV with a header row.
    pub fn to_csv(&self) -> String {
        let mut s = self.header.join(",");
        s.push('\n');
        for r in &self.rows {
            let cells: Vec<String> = r.iter().map(Cell::csv).collect();
            s.push_str(&cells.join(","));
            s.push('\n');
        }
        s
    }

    /// The first `max_rows` rows as JSON `{header, rows, total}` (the page's data table).
    pub fn to_json(&self, max_rows: usize) -> Json {
        json!({
            "header": self.header,
            "rows": self.rows.iter().take(max_rows).map(|r| r.iter().map(Cell::json).collect::<Vec<_>>()).collect::<Vec<_>>(),
            "total": self.rows.len(),
        })
    }
}

/// What a click on a view did.
#[derive(Debug, Clone, PartialEq)]
pub enum Click {
    /// The click sets parameters (a start point, a launched trajectory): the page applies them,
    /// updates its controls and the link. Only the stages that read them are recomputed.
    Params(Params),
    /// The click means nothing there (outside the data, or a view without clicks).
    Ignored,
}

/// A view's keyboard route to its click: the "Launch" inputs and where they start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Launch {
    /// The inputs' labels ("x1(0)", "w1"); an empty second label: the click reads x only.
    pub labels: (&'static str, &'static str),
    /// Their default values: a point the view shows.
    pub start: (f64, f64),
    /// The words before the inputs and on the button ("Start at" … "Launch").
    pub prompt: &'static str,
    pub button: &'static str,
}

/// The report every lab gives, in one envelope: which lab and version, the link that reopens
/// it, the parameters, the notices, then the lab's own numbers (`body`, a JSON object).
pub fn envelope(params: &Params, notices: &[String], body: Json) -> Json {
    let mut m = match body {
        Json::Object(m) => m,
        other => {
            let mut m = serde_json::Map::new();
            m.insert("value".into(), other);
            m
        }
    };
    m.insert("lab".into(), json!(params.lab));
    m.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    m.insert("link".into(), json!(params.to_link()));
    m.insert("params".into(), params.to_json());
    m.insert("notices".into(), json!(notices));
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_significant_digits() {
        assert_eq!(num(300.0), "300");
        assert_eq!(num(300.00001), "300");
        assert_eq!(num(0.123456), "0.1235");
        assert_eq!(num(-1.23721), "−1.237");
        assert_eq!(num(3.5e-5), "3.5e-5");
        assert_eq!(num(1.2e7), "1.2e7");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(-1e-20), "−1e-20");
        assert_eq!(num(f64::NAN), "—");
        assert_eq!(num(f64::INFINITY), "∞");
        assert_eq!(num(12345.0), "12345");
        assert_eq!(num(123456.0), "123456");
        assert_eq!(num(1234567.0), "1.235e6");
    }

    #[test]
    fn tables_are_rectangular_csv() {
        let mut t = Table::new(&["a", "b", "c"]);
        t.push(row![1.5, 2usize]);
        t.push(row![f64::NAN, "x,y", true, 9.0]);
        assert_eq!(t.to_csv(), "a,b,c\n1.5,2,\n,\"x,y\",1\n");
    }
}
