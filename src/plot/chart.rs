//! A chart as plain data: axes and layers. Labs build these; [`super::render`] draws them.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// The explorer's palette (colour-blind safe, Okabe–Ito).
pub mod palette {
    use super::Rgb;
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    pub const GREY: Rgb = Rgb(120, 120, 120);
    pub const LIGHT: Rgb = Rgb(200, 200, 200);
    pub const ORANGE: Rgb = Rgb(230, 159, 0);
    pub const SKY: Rgb = Rgb(86, 180, 233);
    pub const GREEN: Rgb = Rgb(0, 158, 115);
    pub const YELLOW: Rgb = Rgb(240, 228, 66);
    pub const BLUE: Rgb = Rgb(0, 114, 178);
    pub const VERMILION: Rgb = Rgb(213, 94, 0);
    pub const PURPLE: Rgb = Rgb(204, 121, 167);
    pub const WHITE: Rgb = Rgb(255, 255, 255);
    /// Categorical colours in order.
    pub const SERIES: [Rgb; 7] = [BLUE, VERMILION, GREEN, PURPLE, ORANGE, SKY, BLACK];
}

/// A continuous colour map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ColorMap {
    /// Perceptually uniform dark-blue → yellow (viridis).
    Viridis,
    /// Diverging blue → white → red, centred on the middle of the range.
    Diverging,
    /// Light greys, for a quiet background.
    Greys,
}

/// How a heatmap's values are coloured.
#[derive(Debug, Clone, PartialEq)]
pub enum Fill {
    /// Continuous values mapped through a colour map over `[vmin, vmax]`.
    Scalar { map: ColorMap, vmin: f64, vmax: f64 },
    /// Integer classes (the value rounded) with one colour each; negative or NaN = `none`.
    Classes { colors: Vec<Rgb>, none: Rgb },
}

/// A grid of values over a rectangle of data space, row-major from the bottom row
/// (`values[j * nx + i]` is at `x_range.0 + (i + ½)·dx`, `y_range.0 + (j + ½)·dy`).
#[derive(Debug, Clone, PartialEq)]
pub struct Heatmap {
    pub nx: usize,
    pub ny: usize,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub values: Vec<f64>,
    pub fill: Fill,
    /// Cells not yet computed are drawn transparent: `NaN` values.
    pub alpha: u8,
}

/// Line style.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stroke {
    Solid,
    Dashed,
    Dotted,
}

/// A marker's look.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shape {
    Filled,
    Hollow,
    Cross,
    /// A filled square and a filled triangle, for series beyond the circle and the cross.
    Square,
    Triangle,
    /// The key of a categorical heatmap's class k: a square swatch with the class's texture
    /// ([`super::colormap::texture_ink`]), so the classes differ by more than colour. As a point
    /// marker it is a plain square.
    Swatch(u8),
}

/// One point marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub color: Rgb,
    pub shape: Shape,
    /// Radius in CSS pixels.
    pub size: f64,
    pub label: Option<String>,
}

/// A straight segment from `.0` to `.1` with colour `.2` and width `.3` (CSS pixels).
pub type Segment = ((f64, f64), (f64, f64), Rgb, f64);

/// One drawable layer, in data coordinates.
#[derive(Debug, Clone, PartialEq)]
pub enum Layer {
    Heatmap(Heatmap),
    /// A polyline; NaN points break it into pieces.
    Line {
        points: Vec<(f64, f64)>,
        color: Rgb,
        width: f64,
        stroke: Stroke,
        /// Legend entry (None: not in the legend).
        label: Option<String>,
    },
    Markers(Vec<Marker>),
    /// Arrows from `.0` to `.1` (a flow field).
    Arrows {
        arrows: Vec<((f64, f64), (f64, f64))>,
        color: Rgb,
    },
    /// Straight segments (graph edges, bars), each with its own colour and width.
    Segments(Vec<Segment>),
    /// A vertical line across the plot with a label at its top.
    VLine {
        x: f64,
        color: Rgb,
        stroke: Stroke,
        label: String,
    },
    /// A horizontal line across the plot with a label at its right end.
    HLine {
        y: f64,
        color: Rgb,
        stroke: Stroke,
        label: String,
    },
    /// Legend-only rows: what each colour or marker means, with the marker it is drawn with.
    Key(Vec<(String, Rgb, Shape)>),
    /// Text anchored at a data point.
    Text {
        x: f64,
        y: f64,
        text: String,
        color: Rgb,
    },
}

/// Where the legend sits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Corner {
    UpperRight,
    UpperLeft,
    LowerRight,
    LowerLeft,
}

/// Axis scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    Linear,
    Log10,
}

/// A chart: title, axes, layers, and an optional colour bar for a scalar heatmap.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub x_scale: Scale,
    pub y_scale: Scale,
    /// Hide the axes (graph drawings).
    pub axes: bool,
    /// Number the y axis (false: a categorical axis whose rows are labelled in the plot).
    pub y_ticks: bool,
    /// Vertical lines carry their labels upright along the line, on a white backing (for
    /// lines close together or over a heatmap), instead of across its top.
    pub labels_along: bool,
    /// Keep one data unit the same length on both axes.
    pub equal_aspect: bool,
    pub layers: Vec<Layer>,
    /// Where the legend of labelled lines goes.
    pub legend: Corner,
    /// Text shown in the middle when there is nothing to plot yet or a run failed.
    pub message: Option<String>,
    /// The colour bar's quantity and units (for the first scalar heatmap); None: no bar.
    pub bar: Option<String>,
}

impl Chart {
    /// An empty linear chart.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Chart {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            x_range: (0.0, 1.0),
            y_range: (0.0, 1.0),
            x_scale: Scale::Linear,
            y_scale: Scale::Linear,
            axes: true,
            y_ticks: true,
            labels_along: false,
            equal_aspect: false,
            layers: Vec::new(),
            legend: Corner::UpperRight,
            message: None,
            bar: None,
        }
    }
    pub fn x_range(mut self, a: f64, b: f64) -> Self {
        self.x_range = (a, b);
        self
    }
    pub fn y_range(mut self, a: f64, b: f64) -> Self {
        self.y_range = (a, b);
        self
    }
    /// A colour bar for the scalar heatmap, labelled with its quantity and units.
    pub fn colour_bar(mut self, label: &str) -> Self {
        self.bar = Some(label.to_string());
        self
    }
    /// Vertical lines' labels run along their lines ([`Chart::labels_along`]).
    pub fn labels_along(mut self) -> Self {
        self.labels_along = true;
        self
    }
    pub fn log_y(mut self) -> Self {
        self.y_scale = Scale::Log10;
        self
    }
    pub fn layer(mut self, l: Layer) -> Self {
        self.layers.push(l);
        self
    }
    pub fn push(&mut self, l: Layer) {
        self.layers.push(l);
    }
    /// A solid line layer with a legend label.
    pub fn line(points: Vec<(f64, f64)>, color: Rgb, label: &str) -> Layer {
        Layer::Line {
            points,
            color,
            width: 2.0,
            stroke: Stroke::Solid,
            label: if label.is_empty() {
                None
            } else {
                Some(label.to_string())
            },
        }
    }
    /// Sets the y range to the finite data of the line layers, padded by 5 %.
    pub fn fit_y(mut self) -> Self {
        let mut lo = f64::INFINITY;
        let mut hi = f64::NEG_INFINITY;
        for l in &self.layers {
            if let Layer::Line { points, .. } = l {
                for &(_, y) in points {
                    let ok = y.is_finite() && (self.y_scale == Scale::Linear || y > 0.0);
                    if ok {
                        lo = lo.min(y);
                        hi = hi.max(y);
                    }
                }
            }
        }
        if lo.is_finite() && hi.is_finite() {
            self.y_range = pad_range(lo, hi, self.y_scale);
        }
        self
    }
}

/// A range around `[lo, hi]` with a margin (multiplicative on a log scale), never empty.
pub fn pad_range(lo: f64, hi: f64, scale: Scale) -> (f64, f64) {
    match scale {
        Scale::Linear => {
            let span = (hi - lo).abs();
            let m = if span > 0.0 {
                0.05 * span
            } else {
                0.5 * lo.abs().max(1.0)
            };
            (lo - m, hi + m)
        }
        Scale::Log10 => {
            let (l, h) = (lo.max(f64::MIN_POSITIVE), hi.max(f64::MIN_POSITIVE));
            if h / l < 10.0 {
                (l / 3.0, h * 3.0)
            } else {
                (l / 1.5, h * 1.5)
            }
        }
    }
}

/// Builders for the layers every lab draws.
impl Layer {
    /// A polyline with a legend label ("" for none).
    pub fn line(
        points: Vec<(f64, f64)>,
        color: Rgb,
        width: f64,
        stroke: Stroke,
        label: &str,
    ) -> Layer {
        Layer::Line {
            points,
            color,
            width,
            stroke,
            label: (!label.is_empty()).then(|| label.to_string()),
        }
    }
    /// A vertical reference line with a label at its top ("" for none).
    pub fn vline(x: f64, color: Rgb, stroke: Stroke, label: impl Into<String>) -> Layer {
        Layer::VLine {
            x,
            color,
            stroke,
            label: label.into(),
        }
    }
    /// A horizontal reference line with a label at its right end ("" for none).
    pub fn hline(y: f64, color: Rgb, stroke: Stroke, label: impl Into<String>) -> Layer {
        Layer::HLine {
            y,
            color,
            stroke,
            label: label.into(),
        }
    }
    /// Text centred on a data point.
    pub fn text(x: f64, y: f64, text: impl Into<String>, color: Rgb) -> Layer {
        Layer::Text {
            x,
            y,
            text: text.into(),
            color,
        }
    }
    /// The same marker at every point.
    pub fn markers(points: &[(f64, f64)], color: Rgb, shape: Shape, size: f64) -> Layer {
        Layer::Markers(
            points
                .iter()
                .map(|&(x, y)| Marker::new(x, y, color, shape, size))
                .collect(),
        )
    }
}

impl Marker {
    pub fn new(x: f64, y: f64, color: Rgb, shape: Shape, size: f64) -> Marker {
        Marker {
            x,
            y,
            color,
            shape,
            size,
            label: None,
        }
    }
    /// The marker with a text label beside it.
    pub fn labelled(mut self, label: impl Into<String>) -> Marker {
        self.label = Some(label.into());
        self
    }
}

impl Chart {
    /// Adds a polyline as one layer per finite piece (no NaN reaches the chart); the first
    /// piece carries the legend label.
    pub fn push_pieces(
        &mut self,
        points: &[(f64, f64)],
        color: Rgb,
        width: f64,
        stroke: Stroke,
        label: &str,
    ) {
        let mut first = true;
        for piece in points.split(|p| !(p.0.is_finite() && p.1.is_finite())) {
            if piece.is_empty() {
                continue;
            }
            self.push(Layer::line(
                piece.to_vec(),
                color,
                width,
                stroke,
                if first { label } else { "" },
            ));
            first = false;
        }
    }
    /// A message shown in the middle of the plot (nothing to plot yet, a failed run).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }
}

/// The points with finite coordinates.
pub fn finite_points(pts: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    pts.into_iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite())
        .collect()
}

/// The points a log y axis can show (finite, y > 0).
pub fn log_points(pts: impl IntoIterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    pts.into_iter()
        .filter(|p| p.0.is_finite() && p.1.is_finite() && p.1 > 0.0)
        .collect()
}
