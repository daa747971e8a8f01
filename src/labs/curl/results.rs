//! A sweep's results file in the phase diagram (the paper's Fig. 3a/4 protocol, run with
//! `lde sweep`): each cell is one full curl-descent run, and a (c, α) grid square is coloured by
//! the share of its runs that end unstable, i.e. diverged, or with the largest nontrivial Jacobian
//! eigenvalue −σx²λ_min(X) > 0 at the final weights (the chaotic regime never settles on a stable
//! point of the solution manifold). The random-matrix boundaries are computed live, as in the
//! in-page map, so the file's cells are read against the same curves and axes.

use super::experiments::CurlLab;
use super::more_views::phase_frame;
use super::phase::{self, Layer};
use crate::dynamics::fm;
use crate::lab::Table;
use crate::plot::{Chart, Layer as PlotLayer};
use crate::row;
use crate::sweep::view::Sweep;

/// One finished cell: (log₁₀ c, α_h, α_r, ended unstable).
type Cell = (f64, f64, f64, bool);

fn cells(file: &Sweep) -> Result<Vec<Cell>, String> {
    let mut out = Vec::new();
    for (i, r) in file.ran() {
        let c = Sweep::number(i, r, "c")?;
        let ah = Sweep::number(i, r, "alpha_h")?;
        let ar = Sweep::number(i, r, "alpha_r")?;
        let diverged = r["report"]["diverged_cd"].as_bool().unwrap_or(false);
        let unstable = diverged || Sweep::number(i, r, "jacobian_max_eig")? > 0.0;
        if c <= 0.0 {
            return Err(format!("cell {i} has c = {c}, not a positive ratio M/N"));
        }
        out.push((fm::log10(c), ah, ar, unstable));
    }
    if out.is_empty() {
        return Err("no cell of the file ran (every record is an error)".into());
    }
    Ok(out)
}

/// Grid square (column, row) of a cell, if it is inside the diagram.
fn square(log_c: f64, alpha: f64) -> Option<(usize, usize)> {
    let u = (log_c - phase::LOG_C.0) / (phase::LOG_C.1 - phase::LOG_C.0);
    if !(0.0..=1.0).contains(&u) || !(0.0..=1.0).contains(&alpha) {
        return None;
    }
    let col = ((u * phase::COLS as f64) as usize).min(phase::COLS - 1);
    let row = ((alpha * phase::ROWS as f64) as usize).min(phase::ROWS - 1);
    Some((col, row))
}

/// The flipped layer the file sweeps: the one whose α varies while the other stays 0; the lab's
/// own when the file flips both.
fn layer_of(lab: &CurlLab, cells: &[Cell]) -> Layer {
    let hidden = cells.iter().all(|c| c.2 == 0.0);
    let readout = cells.iter().all(|c| c.1 == 0.0);
    match (hidden, readout) {
        (true, false) => Layer::Hidden,
        (false, true) => Layer::Readout,
        _ => lab.phase.layer,
    }
}

/// Per grid square: (runs, unstable runs), row-major from the bottom row; and the number of
/// cells outside the diagram.
fn tally(cells: &[Cell], layer: Layer) -> (Vec<(usize, usize)>, usize) {
    let mut grid = vec![(0, 0); phase::COLS * phase::ROWS];
    let mut outside = 0;
    for &(lc, ah, ar, unstable) in cells {
        let alpha = if layer == Layer::Hidden { ah } else { ar };
        match square(lc, alpha) {
            Some((col, row)) => {
                let g = &mut grid[row * phase::COLS + col];
                g.0 += 1;
                g.1 += usize::from(unstable);
            }
            None => outside += 1,
        }
    }
    (grid, outside)
}

/// The phase diagram and its table from a results file of the curl lab.
pub fn phase_from_results(lab: &CurlLab, file: &Sweep) -> Result<(Chart, Table), String> {
    file.require_lab("curl")?;
    let cells = cells(file)?;
    let layer = layer_of(lab, &cells);
    let (grid, outside) = tally(&cells, layer);
    let values = grid
        .iter()
        .map(|&(n, u)| {
            if n == 0 {
                f64::NAN
            } else {
                u as f64 / n as f64
            }
        })
        .collect();
    let which = if layer == Layer::Hidden {
        "inputs"
    } else {
        "hidden units"
    };
    let mut c = phase_frame(
        lab,
        format!("Phase diagram, {which} flipped: {}", file.label()),
        "share of runs unstable",
        values,
    );
    if outside > 0 {
        c.push(PlotLayer::text(
            phase::LOG_C.0 + 0.05 * (phase::LOG_C.1 - phase::LOG_C.0),
            0.95,
            format!("{outside} cell(s) outside the diagram"),
            crate::plot::palette::GREY,
        ));
    }
    let mut t = Table::new(&["log10_c", "alpha", "flipped", "runs", "unstable_fraction"]);
    for (k, &(n, u)) in grid.iter().enumerate().filter(|(_, g)| g.0 > 0) {
        let (col, row) = (k % phase::COLS, k / phase::COLS);
        t.push(row![
            phase::col_log_c(col),
            (row as f64 + 0.5) / phase::ROWS as f64,
            which,
            n,
            u as f64 / n as f64
        ]);
    }
    Ok((c, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_fall_in_the_square_of_their_c_and_alpha() {
        assert_eq!(square(phase::LOG_C.0, 0.0), Some((0, 0)));
        assert_eq!(
            square(phase::LOG_C.1, 1.0),
            Some((phase::COLS - 1, phase::ROWS - 1))
        );
        assert_eq!(square(phase::LOG_C.1 + 0.1, 0.5), None);
        let cells = [
            (phase::col_log_c(3), 0.52, 0.0, true),
            (phase::col_log_c(3), 0.53, 0.0, false),
            (phase::col_log_c(3), 0.53, 0.0, false),
            (9.0, 0.5, 0.0, true),
        ];
        let (grid, outside) = tally(&cells, Layer::Hidden);
        assert_eq!(outside, 1);
        assert_eq!(grid[10 * phase::COLS + 3], (3, 1));
        assert_eq!(grid.iter().map(|g| g.0).sum::<usize>(), 3);
    }
}
