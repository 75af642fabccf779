//! Server-drawn SVG charts for Peiling's dashboards and printable reports: a
//! community's trend over the waves, villages side by side for one indicator,
//! and a community's risk and protection profile against the region.
//!
//! Each chart is drawn by `plotters` into a string and then labelled for
//! assistive technology: the root `<svg>` gets `role="img"`, a `<title>` and a
//! `<desc>` named by `aria-labelledby`, and a `viewBox` so the page can scale it
//! with `max-width:100%; height:auto`.
//!
//! What the charts promise:
//! - a suppressed figure is never drawn as a value: where it would be, the chart
//!   says why in words (the caller's `suppressed_label`); a missing figure is a
//!   gap, and lines never bridge gaps;
//! - the title is not drawn inside the image (the page shows it as a heading), but
//!   a [`Chart::note`] is, so a chart copied out of the page still says e.g. that
//!   its data are synthetic;
//! - colours come from a colour-blind-safe set, text has at least 4.5:1 contrast
//!   on white, and reference series also differ by dash and marker shape;
//! - the same input gives the same bytes.
//!
//! No fonts are read: plotters is built without font features and only writes
//! `<text>` elements, which the browser lays out. Where a layout needs a text's
//! width (label columns, the legend), it is estimated from the number of
//! characters, generously, and labels longer than their column end in "…".
//!
//! If plotters reports an error, the functions still return a well-formed SVG
//! with the title, the description and a sentence that the chart could not be
//! drawn, so a page never breaks on a chart.

use std::fmt::Write as _;

use std::ops::Range;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::{Estimate, Figure, Language};

/// What every chart carries besides its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Unique within a page, e.g. `trend-drunk_30d`; names the `<title>` and
    /// `<desc>` elements. Characters other than ASCII letters, digits, `-`, `_`
    /// and `.` are replaced by `-`, so the id stays one token in
    /// `aria-labelledby`.
    pub id: String,
    pub title: String,
    /// What a screen reader reads instead of the picture: the figures in words.
    pub description: String,
    /// Written visibly in the bottom-right corner, e.g. "Synthetic data".
    pub note: Option<String>,
    /// How percentages are written on axes and values.
    pub language: Language,
}

/// One line of figures, one per wave or group.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub figures: Vec<Figure>,
}

/// A community's figures over the waves, with reference lines.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub chart: Chart,
    /// The x axis, e.g. "2018", "2020", "2022".
    pub waves: Vec<String>,
    /// The first series is the community itself, drawn as a line with its 95 %
    /// interval as a band; the others are references (municipality, region),
    /// drawn as thinner dashed lines with their own marker shape.
    pub series: Vec<Series>,
    /// Written where a figure is suppressed, e.g. "fewer than 10 respondents".
    pub suppressed_label: String,
    /// Goals set on the community's figure: each drawn as a dotted path from
    /// its baseline to its target, the target as a diamond.
    pub goals: Vec<GoalLine>,
}

/// A goal on a trend chart: from the baseline (a wave on the x axis and its
/// percentage) to the target (the wave or year it should be reached by, also
/// on the x axis, and the target percentage).
#[derive(Debug, Clone, PartialEq)]
pub struct GoalLine {
    /// The legend's words, e.g. "Goal: 10% by 2026".
    pub label: String,
    pub from: (usize, f64),
    pub to: (usize, f64),
}

/// One village's bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub figure: Figure,
    /// Drawn in a stronger colour, with its label in bold: the village the
    /// reader came for.
    pub highlighted: bool,
}

/// Villages side by side for one indicator, as horizontal bars with their
/// 95 % intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub chart: Chart,
    pub bars: Vec<Bar>,
    /// A reference percentage, e.g. `("Municipality", 21.3)`, drawn as a
    /// labelled line across all bars.
    pub reference: Option<(String, f64)>,
    pub suppressed_label: String,
}

/// One indicator of a profile: the community's figure and the reference's.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileRow {
    pub label: String,
    pub community: Figure,
    pub reference: Figure,
}

/// A community's risk and protection profile against a reference (usually the
/// region): per indicator a dot with its interval for the community and a tick
/// for the reference, on a 0–100 % axis, grouped under two headings.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileChart {
    pub chart: Chart,
    pub community_label: String,
    pub reference_label: String,
    pub risk: Vec<ProfileRow>,
    pub protective: Vec<ProfileRow>,
    pub risk_heading: String,
    pub protective_heading: String,
    pub suppressed_label: String,
}

/// The community's line over the waves, with its 95 % interval band, and the
/// reference series as dashed lines; returns the SVG document.
pub fn trend(trend: &TrendChart) -> String {
    let chart = &trend.chart;
    let language = chart.language;
    let waves = trend.waves.len();
    let keys = trend_keys(trend);
    let (placed, legend_height) = key_layout(&keys);
    let plot_height = 300;
    let top = PAD + legend_height;
    let height = top + plot_height + note_height(chart) + PAD;

    let highest = trend
        .series
        .iter()
        .flat_map(|series| series.figures.iter().take(waves))
        .filter_map(|figure| estimate(*figure))
        .map(|estimate| estimate.high)
        .chain(trend.goals.iter().flat_map(|g| [g.from.1, g.to.1]))
        .fold(0.0, f64::max);
    let (scale_top, ticks) = percent_scale(highest);
    let positions: Vec<f64> = (0..waves).map(|wave| wave as f64).collect();
    let x_range = -0.5..(waves.max(1) as f64 - 0.5);

    render(chart, height, |root| {
        draw_keys(root, &keys, &placed, PAD)?;
        let (_, below) = root.split_vertically(top);
        let (plot, _) = below.split_vertically(plot_height);
        let mut grid = ChartBuilder::on(&plot)
            .margin_right(24)
            .margin_top(8)
            .y_label_area_size(56)
            .x_label_area_size(32)
            .build_cartesian_2d(
                Axis::new(x_range, positions),
                Axis::new(0.0..scale_top, ticks),
            )?;
        let wave_label = |x: &f64| {
            trend
                .waves
                .get(x.round().max(0.0) as usize)
                .map(|wave| clean(wave))
                .unwrap_or_default()
        };
        let percent_label = |y: &f64| language.percent(*y, 0);
        grid.configure_mesh()
            .disable_x_mesh()
            .bold_line_style(GRID)
            .axis_style(AXIS)
            .label_style(text_style(LABEL_PX, &TEXT))
            .x_label_formatter(&wave_label)
            .y_label_formatter(&percent_label)
            .draw()?;

        let plotting = grid.plotting_area();
        if let Some(community) = trend.series.first() {
            // The band first, so every line and marker stays on top of it.
            for run in runs(&community.figures, waves) {
                if let [(x, single)] = run.as_slice() {
                    let (centre, high) = grid.backend_coord(&(*x, single.high));
                    let (_, low) = grid.backend_coord(&(*x, single.low));
                    root.draw(&Rectangle::new(
                        [(centre - 6, high), (centre + 6, low)],
                        BAND.filled(),
                    ))?;
                } else {
                    let upper = run.iter().map(|(x, e)| (*x, e.high));
                    let lower = run.iter().rev().map(|(x, e)| (*x, e.low));
                    let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
                    plotting.draw(&Polygon::new(outline, BAND.filled()))?;
                }
            }
        }
        for (index, series) in trend.series.iter().enumerate().skip(1) {
            let (colour, marker) = reference_style(index);
            for run in runs(&series.figures, waves) {
                if run.len() > 1 {
                    let line: Vec<(f64, f64)> = run.iter().map(|(x, e)| (*x, e.percent)).collect();
                    plotting.draw(&DashedPathElement::new(line, 7, 4, colour.stroke_width(2)))?;
                }
                for (x, e) in &run {
                    draw_marker(root, grid.backend_coord(&(*x, e.percent)), marker, colour)?;
                }
            }
        }
        for goal in &trend.goals {
            let from = (goal.from.0 as f64, goal.from.1);
            let to = (goal.to.0 as f64, goal.to.1);
            plotting.draw(&DashedPathElement::new(
                [from, to],
                3,
                4,
                GOAL.stroke_width(2),
            ))?;
            draw_marker(root, grid.backend_coord(&to), Marker::Diamond, GOAL)?;
        }
        if let Some(community) = trend.series.first() {
            for run in runs(&community.figures, waves) {
                if run.len() > 1 {
                    let line: Vec<(f64, f64)> = run.iter().map(|(x, e)| (*x, e.percent)).collect();
                    plotting.draw(&PathElement::new(line, COMMUNITY.stroke_width(3)))?;
                }
                for (x, e) in &run {
                    let at = grid.backend_coord(&(*x, e.percent));
                    draw_marker(root, at, Marker::Circle, COMMUNITY)?;
                }
            }
        }

        // Suppression is said in words at the wave it concerns, just above the
        // axis, wrapped to the room between the waves and on a white ground so
        // lines passing behind do not cross the words.
        let slot = plot_width(&grid, waves) / waves.max(1) as f64;
        for wave in 0..waves {
            let Some(words) = trend_suppression(trend, wave) else {
                continue;
            };
            let (x, axis) = grid.backend_coord(&(wave as f64, 0.0));
            let lines = wrap(&words, SMALL_PX, slot - 8.0);
            let widest = lines
                .iter()
                .map(|line| text_width(line, SMALL_PX))
                .fold(0.0, f64::max);
            let half = (widest / 2.0).ceil() as i32 + 3;
            let tall = (lines.len() as f64 * SMALL_PX * LINE_SPACING).ceil() as i32 + 4;
            let ground = WHITE.mix(0.85).filled();
            root.draw(&Rectangle::new(
                [(x - half, axis - 4 - tall), (x + half, axis - 2)],
                ground,
            ))?;
            let centre = axis - 4 - tall / 2;
            draw_lines(root, &lines, (x, centre), HPos::Center)?;
        }
        Ok(())
    })
}

/// Villages side by side as horizontal bars with interval whiskers, values at
/// the bar ends and an optional labelled reference line; returns the SVG
/// document.
pub fn side_by_side(bars: &BarChart) -> String {
    let chart = &bars.chart;
    let language = chart.language;
    let rows = bars.bars.len();
    let label_column = label_column(bars.bars.iter().map(|bar| bar.label.as_str()));
    let top = 52;
    let axis = 32;
    let plot_height = rows.max(1) as u32 * BAR_ROW + axis;
    let height = top + plot_height + note_height(chart) + PAD;

    let reference = bars
        .reference
        .as_ref()
        .filter(|(_, value)| value.is_finite())
        .map(|(label, value)| (clean(label), value.clamp(0.0, 100.0)));
    let highest = bars
        .bars
        .iter()
        .filter_map(|bar| estimate(bar.figure))
        .map(|estimate| estimate.high)
        .chain(reference.iter().map(|(_, value)| *value))
        .fold(0.0, f64::max);
    let (scale_top, ticks) = percent_scale(highest);

    render(chart, height, |root| {
        let interval = Key {
            swatch: Swatch::Whisker,
            label: interval_label(language).to_owned(),
        };
        let (placed, _) = key_layout(std::slice::from_ref(&interval));
        draw_keys(root, std::slice::from_ref(&interval), &placed, PAD)?;

        let (_, below) = root.split_vertically(top);
        let (plot, _) = below.split_vertically(plot_height);
        let mut grid = ChartBuilder::on(&plot)
            .margin_right(VALUE_MARGIN)
            .y_label_area_size(label_column)
            .x_label_area_size(axis)
            .build_cartesian_2d(
                Axis::new(0.0..scale_top, ticks),
                Axis::new(0.0..rows.max(1) as f64, Vec::new()),
            )?;
        let percent_label = |x: &f64| language.percent(*x, 0);
        grid.configure_mesh()
            .disable_y_mesh()
            .bold_line_style(GRID)
            .axis_style(AXIS)
            .label_style(text_style(LABEL_PX, &TEXT))
            .x_label_formatter(&percent_label)
            .draw()?;

        let plotting = grid.plotting_area();
        let (left, _) = grid.backend_coord(&(0.0, 0.0));
        for (row, bar) in bars.bars.iter().enumerate() {
            // The first bar at the top, as the reader's eye goes.
            let centre = rows as f64 - row as f64 - 0.5;
            let (_, y) = grid.backend_coord(&(0.0, centre));
            let weight = if bar.highlighted {
                FontStyle::Bold
            } else {
                FontStyle::Normal
            };
            let name = fit(&clean(&bar.label), LABEL_PX, f64::from(label_column) - 16.0);
            let style =
                weighted_style(LABEL_PX, &TEXT, weight).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(name, (left - 8, y), style))?;

            match tidy(bar.figure) {
                Figure::Released(e) => {
                    let corners = [(0.0, centre - 0.32), (e.percent, centre + 0.32)];
                    if bar.highlighted {
                        plotting.draw(&Rectangle::new(corners, BAR_STRONG.filled()))?;
                    } else {
                        plotting.draw(&Rectangle::new(corners, BAR_LIGHT.filled()))?;
                        plotting.draw(&Rectangle::new(corners, COMMUNITY.stroke_width(1)))?;
                    }
                    let (low, _) = grid.backend_coord(&(e.low, centre));
                    let (high, _) = grid.backend_coord(&(e.high, centre));
                    draw_whisker(root, low, high, y, WHISKER)?;
                    let (end, _) = grid.backend_coord(&(e.percent, centre));
                    let value = language.percent(e.percent, crate::PERCENT_DECIMALS);
                    let style = weighted_style(LABEL_PX, &TEXT, weight)
                        .pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw(&Text::new(value, (end.max(high) + 8, y), style))?;
                }
                Figure::Suppressed => {
                    let words = clean(&bars.suppressed_label);
                    let lines = wrap(&words, SMALL_PX, f64::from(WIDTH as i32 - left - 12));
                    draw_lines(root, &lines, (left + 6, y), HPos::Left)?;
                }
                Figure::Missing => {
                    root.draw(&Text::new(GAP, (left + 6, y), muted_style()))?;
                }
            }
        }

        if let Some((label, value)) = &reference {
            let (x, bottom) = grid.backend_coord(&(*value, 0.0));
            let (_, plot_top) = grid.backend_coord(&(*value, rows.max(1) as f64));
            root.draw(&DashedPathElement::new(
                [(x, plot_top - 4), (x, bottom)],
                6,
                4,
                REFERENCE.stroke_width(2),
            ))?;
            let words = format!(
                "{label}: {}",
                language.percent(*value, crate::PERCENT_DECIMALS)
            );
            let (right, _) = grid.backend_coord(&(scale_top, 0.0));
            let half = (text_width(&words, SMALL_PX) / 2.0).ceil() as i32;
            let centre = x.clamp(
                left + half,
                (right + VALUE_MARGIN as i32 - PAD as i32 - half).max(left + half),
            );
            let style = text_style(SMALL_PX, &REFERENCE).pos(Pos::new(HPos::Center, VPos::Bottom));
            root.draw(&Text::new(words, (centre, plot_top - 8), style))?;
        }
        Ok(())
    })
}

/// The community's risk and protective factors against the reference, under
/// two headings, on a 0–100 % axis; returns the SVG document.
pub fn profile(profile: &ProfileChart) -> String {
    let chart = &profile.chart;
    let language = chart.language;
    let mut lines = Vec::new();
    for (heading, rows) in [
        (&profile.risk_heading, &profile.risk),
        (&profile.protective_heading, &profile.protective),
    ] {
        if !rows.is_empty() {
            lines.push(ProfileLine::Heading(heading));
            lines.extend(rows.iter().map(ProfileLine::Row));
        }
    }
    let label_column = label_column(
        profile
            .risk
            .iter()
            .chain(&profile.protective)
            .map(|row| row.label.as_str()),
    );
    let keys = vec![
        Key {
            swatch: Swatch::Dot,
            label: clean(&profile.community_label),
        },
        Key {
            swatch: Swatch::Tick,
            label: clean(&profile.reference_label),
        },
        Key {
            swatch: Swatch::Whisker,
            label: interval_label(language).to_owned(),
        },
    ];
    let (placed, legend_height) = key_layout(&keys);
    let top = PAD + legend_height + 8;
    let axis = 32;
    let count = lines.len().max(1);
    let plot_height = count as u32 * PROFILE_ROW + axis;
    let height = top + plot_height + note_height(chart) + PAD;
    let ticks: Vec<f64> = (0..=5).map(|step| f64::from(step) * 20.0).collect();

    render(chart, height, |root| {
        draw_keys(root, &keys, &placed, PAD)?;
        let (_, below) = root.split_vertically(top);
        let (plot, _) = below.split_vertically(plot_height);
        let mut grid = ChartBuilder::on(&plot)
            .margin_right(24)
            .y_label_area_size(label_column)
            .x_label_area_size(axis)
            .build_cartesian_2d(
                Axis::new(0.0..100.0, ticks),
                Axis::new(0.0..count as f64, Vec::new()),
            )?;
        let percent_label = |x: &f64| language.percent(*x, 0);
        grid.configure_mesh()
            .disable_y_mesh()
            .bold_line_style(GRID)
            .axis_style(AXIS)
            .label_style(text_style(LABEL_PX, &TEXT))
            .x_label_formatter(&percent_label)
            .draw()?;

        let (left, _) = grid.backend_coord(&(0.0, 0.0));
        let (right, _) = grid.backend_coord(&(100.0, 0.0));
        for (index, line) in lines.iter().enumerate() {
            let centre = count as f64 - index as f64 - 0.5;
            let (_, y) = grid.backend_coord(&(0.0, centre));
            let row = match line {
                ProfileLine::Heading(heading) => {
                    let style = weighted_style(HEADING_PX, &TEXT, FontStyle::Bold)
                        .pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw(&Text::new(clean(heading), (PAD as i32, y), style))?;
                    continue;
                }
                ProfileLine::Row(row) => row,
            };
            let name = fit(&clean(&row.label), LABEL_PX, f64::from(label_column) - 16.0);
            let style = text_style(LABEL_PX, &TEXT).pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(name, (left - 8, y), style))?;

            let community = tidy(row.community);
            let reference = tidy(row.reference);
            if let Figure::Released(e) = reference {
                let (x, _) = grid.backend_coord(&(e.percent, centre));
                draw_marker(root, (x, y), Marker::Tick, REFERENCE)?;
            }
            if let Figure::Released(e) = community {
                let (low, _) = grid.backend_coord(&(e.low, centre));
                let (high, _) = grid.backend_coord(&(e.high, centre));
                draw_whisker(root, low, high, y, COMMUNITY)?;
                let (x, _) = grid.backend_coord(&(e.percent, centre));
                draw_marker(root, (x, y), Marker::Dot, COMMUNITY)?;
            }

            // Words for what is not drawn go to the side of the row the drawn
            // figures leave most room on, wrapped to it.
            let words = match (community, reference) {
                (Figure::Suppressed, _) => Some(clean(&profile.suppressed_label)),
                (_, Figure::Suppressed) => Some(format!(
                    "{}: {}",
                    clean(&profile.reference_label),
                    clean(&profile.suppressed_label)
                )),
                (Figure::Missing, Figure::Missing) => Some(GAP.to_owned()),
                _ => None,
            };
            let drawn: Vec<Estimate> = [community, reference]
                .into_iter()
                .filter_map(Figure::released)
                .collect();
            let low = drawn.iter().map(|e| e.low).fold(100.0, f64::min);
            let high = drawn.iter().map(|e| e.high).fold(0.0, f64::max);
            let (low, _) = grid.backend_coord(&(low, centre));
            let (high, _) = grid.backend_coord(&(high, centre));
            if let Some(words) = words {
                let room_left = f64::from(low - left - 12);
                let room_right = f64::from(right - high - 12);
                if !drawn.is_empty() && room_right > room_left {
                    let lines = wrap(&words, SMALL_PX, room_right);
                    draw_lines(root, &lines, (right - 6, y), HPos::Right)?;
                } else {
                    let lines = wrap(&words, SMALL_PX, room_left);
                    draw_lines(root, &lines, (left + 6, y), HPos::Left)?;
                }
            }
        }
        Ok(())
    })
}

type Failure = DrawingAreaErrorKind<std::io::Error>;
type Root<'a> = DrawingArea<SVGBackend<'a>, Shift>;

const WIDTH: u32 = 640;
const PAD: u32 = 12;
const BAR_ROW: u32 = 30;
const PROFILE_ROW: u32 = 28;
const NOTE_HEIGHT: u32 = 20;
/// Room right of the bar chart's scale for the values printed at the bar ends.
const VALUE_MARGIN: u32 = 64;

// Text sizes in pixels, chosen so that the `font-size` plotters writes (the
// size divided by 1.24) comes out as a round number.
const LABEL_PX: f64 = 12.0;
const SMALL_PX: f64 = 11.0;
const HEADING_PX: f64 = 14.0;
/// plotters writes `font-size` as the given size divided by 1.24; this undoes it.
const FONT_SCALE: f64 = 1.24;
/// Generous average glyph width of a sans-serif font, in ems: layouts that use
/// it leave room rather than overlap.
const GLYPH_EM: f64 = 0.58;

/// What a missing figure shows where a row would otherwise look broken.
const GAP: &str = "–";

// Okabe–Ito blue, and darkened Okabe–Ito hues for the references, so that each
// also passes 4.5:1 against white when used for text.
const COMMUNITY: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const REFERENCES: [RGBColor; 4] = [
    RGBColor(0xB0, 0x4A, 0x00),
    RGBColor(0x00, 0x7A, 0x5A),
    RGBColor(0x8F, 0x4F, 0x7E),
    RGBColor(0x59, 0x59, 0x59),
];
const REFERENCE: RGBColor = REFERENCES[0];
const BAND: RGBAColor = RGBAColor(0x00, 0x72, 0xB2, 0.2);
// The highlighted bar in full blue, the others light with a blue edge; the
// whiskers keep at least 3:1 against both.
const BAR_STRONG: RGBColor = COMMUNITY;
const BAR_LIGHT: RGBColor = RGBColor(0xB3, 0xD3, 0xEA);
const WHISKER: RGBColor = RGBColor(0x1F, 0x1F, 0x1F);
const TEXT: RGBColor = RGBColor(0x33, 0x33, 0x33);
const MUTED: RGBColor = RGBColor(0x59, 0x59, 0x59);
const AXIS: RGBColor = RGBColor(0x76, 0x76, 0x76);
const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// Goals: the Okabe–Ito bluish green, apart from the community and references.
const GOAL: RGBColor = RGBColor(0x00, 0x7A, 0x5E);

/// Draws one chart into an SVG string and labels it; on a drawing error, a
/// chart that says so.
fn render(
    chart: &Chart,
    height: u32,
    draw: impl FnOnce(&Root<'_>) -> Result<(), Failure>,
) -> String {
    let mut plot = String::new();
    let drawn = {
        let root = SVGBackend::with_string(&mut plot, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)
            .and_then(|()| draw(&root))
            .and_then(|()| draw_note(&root, chart, height))
            .and_then(|()| root.present())
    };
    match drawn {
        Ok(()) => labelled(chart, &plot, height).unwrap_or_else(|| undrawn(chart, height)),
        Err(_) => undrawn(chart, height),
    }
}

fn draw_note(root: &Root<'_>, chart: &Chart, height: u32) -> Result<(), Failure> {
    let Some(note) = &chart.note else {
        return Ok(());
    };
    let style = weighted_style(SMALL_PX, &MUTED, FontStyle::Italic)
        .pos(Pos::new(HPos::Right, VPos::Bottom));
    let at = ((WIDTH - PAD) as i32, (height - PAD / 2) as i32);
    root.draw(&Text::new(clean(note), at, style))
}

fn note_height(chart: &Chart) -> u32 {
    if chart.note.is_some() { NOTE_HEIGHT } else { 0 }
}

/// Gives plotters' root `<svg>` its role, its accessible name and description.
fn labelled(chart: &Chart, plot: &str, height: u32) -> Option<String> {
    let open = plot.find("<svg")?;
    let close = open + plot[open..].find('>')?;
    let id = identifier(&chart.id);
    let mut svg = String::with_capacity(plot.len() + 512);
    svg.push_str(&plot[..close]);
    let _ = write!(
        svg,
        "{} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>",
        if plot[open..close].contains("viewBox") {
            String::new()
        } else {
            format!(" viewBox=\"0 0 {WIDTH} {height}\"")
        },
        escape(&chart.title),
        escape(&chart.description),
    );
    svg.push_str(&plot[close + 1..]);
    Some(svg)
}

/// The chart a page shows when plotters could not draw one.
fn undrawn(chart: &Chart, height: u32) -> String {
    let id = identifier(&chart.id);
    let message = match chart.language {
        Language::Nl => "Deze grafiek kon niet worden getekend.",
        Language::En => "This chart could not be drawn.",
    };
    format!(
        "<svg width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\n\
         <title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n\
         <text x=\"{PAD}\" y=\"32\" font-family=\"sans-serif\" font-size=\"14\" fill=\"#333333\">{message}</text>\n\
         </svg>\n",
        escape(&chart.title),
        escape(&chart.description),
    )
}

/// A chart id as one safe token for `id` and `aria-labelledby`.
fn identifier(id: &str) -> String {
    let token: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if token.is_empty() {
        "chart".to_owned()
    } else {
        token
    }
}

/// Caller text without the characters XML cannot carry at all, even escaped.
/// plotters escapes the rest of the text it writes.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        })
        .collect()
}

/// Caller text for the elements written here rather than by plotters.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

fn text_style(px: f64, colour: &RGBColor) -> TextStyle<'static> {
    weighted_style(px, colour, FontStyle::Normal)
}

fn weighted_style(px: f64, colour: &RGBColor, weight: FontStyle) -> TextStyle<'static> {
    (FontFamily::SansSerif, px * FONT_SCALE, weight)
        .into_font()
        .color(colour)
}

fn muted_style() -> TextStyle<'static> {
    weighted_style(SMALL_PX, &MUTED, FontStyle::Italic).pos(Pos::new(HPos::Left, VPos::Center))
}

/// Line height of wrapped text, in ems.
const LINE_SPACING: f64 = 1.2;

/// The words of a text in lines of at most `room` pixels; a single word wider
/// than that gets a line of its own.
fn wrap(text: &str, px: f64, room: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(line, px) + text_width(word, px) + px * GLYPH_EM <= room => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Wrapped words in the muted style, centred vertically on `at`.
fn draw_lines(
    root: &Root<'_>,
    lines: &[String],
    (x, y): (i32, i32),
    align: HPos,
) -> Result<(), Failure> {
    let step = SMALL_PX * LINE_SPACING;
    let first = f64::from(y) - step * (lines.len() as f64 - 1.0) / 2.0;
    let style = muted_style().pos(Pos::new(align, VPos::Center));
    for (index, line) in lines.iter().enumerate() {
        let at = (x, (first + step * index as f64).round() as i32);
        root.draw(&Text::new(line.clone(), at, style.clone()))?;
    }
    Ok(())
}

/// Estimated width of a text in pixels; see [`GLYPH_EM`].
fn text_width(text: &str, px: f64) -> f64 {
    text.chars().count() as f64 * px * GLYPH_EM
}

/// The text, shortened with "…" to fit `room` pixels.
fn fit(text: &str, px: f64, room: f64) -> String {
    if text_width(text, px) <= room {
        return text.to_owned();
    }
    let keep = ((room / (px * GLYPH_EM)).floor() as usize).saturating_sub(1);
    let mut short: String = text.chars().take(keep).collect();
    short.truncate(short.trim_end().len());
    short.push('…');
    short
}

/// Width of the label column left of a bar or profile chart: as wide as the
/// longest label, within limits that leave the scale enough room.
fn label_column<'a>(labels: impl Iterator<Item = &'a str>) -> u32 {
    let widest = labels
        .map(|label| text_width(label, LABEL_PX))
        .fold(0.0, f64::max);
    (widest + 20.0).clamp(80.0, f64::from(WIDTH) * 0.42).ceil() as u32
}

/// Width of a trend chart's plotting area in pixels.
fn plot_width<CT>(grid: &ChartContext<'_, SVGBackend<'_>, CT>, waves: usize) -> f64
where
    CT: CoordTranslate<From = (f64, f64)>,
{
    let (first, _) = grid.as_coord_spec().translate(&(-0.5, 0.0));
    let (last, _) = grid
        .as_coord_spec()
        .translate(&(waves.max(1) as f64 - 0.5, 0.0));
    f64::from(last - first)
}

/// A linear axis whose ticks are exactly the given values: whole percentages,
/// or the positions of the waves, never ticks between them.
struct Axis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Axis {
    fn new(range: Range<f64>, ticks: Vec<f64>) -> Axis {
        Axis { range, ticks }
    }
}

impl Ranged for Axis {
    // The labels are always formatted by the chart, in the reader's language.
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if span <= 0.0 {
            return limit.0;
        }
        let share = (value - self.range.start) / span;
        (f64::from(limit.0) + share * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A percentage scale from 0 that contains `highest`, with its ticks: never
/// beyond 100 %, and only as tall as the figures need.
fn percent_scale(highest: f64) -> (f64, Vec<f64>) {
    let highest = if highest.is_finite() {
        highest.clamp(0.0, 100.0)
    } else {
        100.0
    };
    let step = match highest {
        h if h <= 20.0 => 5.0,
        h if h <= 60.0 => 10.0,
        _ => 20.0,
    };
    let top = ((highest / step).ceil() * step).clamp(step, 100.0);
    let ticks = (0..=(top / step).round() as u32)
        .map(|tick| f64::from(tick) * step)
        .collect();
    (top, ticks)
}

/// A figure as a chart can draw it: a released figure with a number that is
/// not finite is treated as missing, and the interval is kept within 0–100 %
/// and around the percentage.
fn tidy(figure: Figure) -> Figure {
    match figure {
        Figure::Released(e) if e.percent.is_finite() => {
            let percent = e.percent.clamp(0.0, 100.0);
            let low = if e.low.is_finite() {
                e.low.clamp(0.0, percent)
            } else {
                percent
            };
            let high = if e.high.is_finite() {
                e.high.clamp(percent, 100.0)
            } else {
                percent
            };
            Figure::Released(Estimate {
                percent,
                low,
                high,
                n: e.n,
            })
        }
        Figure::Released(_) | Figure::Missing => Figure::Missing,
        Figure::Suppressed => Figure::Suppressed,
    }
}

fn estimate(figure: Figure) -> Option<Estimate> {
    tidy(figure).released()
}

/// The unbroken stretches of released figures over the waves, each point with
/// its wave position: lines and bands are drawn per stretch, never across a
/// suppressed or missing wave.
fn runs(figures: &[Figure], waves: usize) -> Vec<Vec<(f64, Estimate)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for wave in 0..waves {
        match figures.get(wave).copied().and_then(estimate) {
            Some(e) => current.push((wave as f64, e)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The words a trend chart writes at a wave where figures are suppressed: the
/// label alone when only the community's figure is, else naming the series.
fn trend_suppression(trend: &TrendChart, wave: usize) -> Option<String> {
    let suppressed: Vec<(usize, &Series)> = trend
        .series
        .iter()
        .enumerate()
        .filter(|(_, series)| matches!(series.figures.get(wave), Some(Figure::Suppressed)))
        .collect();
    let label = clean(&trend.suppressed_label);
    match suppressed.as_slice() {
        [] => None,
        [(0, _)] => Some(label),
        named => {
            let names: Vec<String> = named
                .iter()
                .map(|(_, series)| clean(&series.label))
                .collect();
            Some(format!("{}: {label}", names.join(", ")))
        }
    }
}

fn reference_style(index: usize) -> (RGBColor, Marker) {
    const MARKERS: [Marker; 4] = [
        Marker::Square,
        Marker::Triangle,
        Marker::Diamond,
        Marker::Cross,
    ];
    let slot = index.saturating_sub(1) % REFERENCES.len();
    (REFERENCES[slot], MARKERS[slot])
}

fn interval_label(language: Language) -> &'static str {
    match language {
        Language::Nl => "95%-betrouwbaarheidsinterval",
        Language::En => "95% confidence interval",
    }
}

enum ProfileLine<'a> {
    Heading(&'a str),
    Row(&'a ProfileRow),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Marker {
    /// The community's points in a trend.
    Circle,
    /// The community's figure in a profile, a little larger.
    Dot,
    /// The reference's figure in a profile: a tick, so a dot on top of it
    /// leaves both visible.
    Tick,
    Square,
    Triangle,
    Diamond,
    Cross,
}

fn draw_marker(
    root: &Root<'_>,
    (x, y): (i32, i32),
    marker: Marker,
    colour: RGBColor,
) -> Result<(), Failure> {
    let fill = colour.filled();
    match marker {
        Marker::Circle => root.draw(&Circle::new((x, y), 4, fill)),
        Marker::Dot => root.draw(&Circle::new((x, y), 5, fill)),
        Marker::Tick => root.draw(&PathElement::new(
            [(x, y - 9), (x, y + 9)],
            colour.stroke_width(3),
        )),
        Marker::Square => root.draw(&Rectangle::new([(x - 4, y - 4), (x + 4, y + 4)], fill)),
        Marker::Triangle => root.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y + 4), (x - 5, y + 4)],
            fill,
        )),
        Marker::Diamond => root.draw(&Polygon::new(
            vec![(x, y - 5), (x + 5, y), (x, y + 5), (x - 5, y)],
            fill,
        )),
        Marker::Cross => {
            let stroke = colour.stroke_width(2);
            root.draw(&PathElement::new([(x - 4, y - 4), (x + 4, y + 4)], stroke))?;
            root.draw(&PathElement::new([(x - 4, y + 4), (x + 4, y - 4)], stroke))
        }
    }
}

/// A 95 % interval as a horizontal line with end caps.
fn draw_whisker(
    root: &Root<'_>,
    low: i32,
    high: i32,
    y: i32,
    colour: RGBColor,
) -> Result<(), Failure> {
    let stroke = colour.stroke_width(1);
    root.draw(&PathElement::new([(low, y), (high, y)], stroke))?;
    root.draw(&PathElement::new([(low, y - 5), (low, y + 5)], stroke))?;
    root.draw(&PathElement::new([(high, y - 5), (high, y + 5)], stroke))
}

/// One entry of a legend.
struct Key {
    swatch: Swatch,
    label: String,
}

enum Swatch {
    /// The community's line over its interval band.
    Community,
    /// The interval band alone.
    Band,
    /// A reference series: its dashed line and marker.
    Reference(usize),
    /// An interval whisker.
    Whisker,
    /// The community's dot with its interval, in a profile.
    Dot,
    /// A goal's dotted path and target diamond.
    Goal,
    /// The reference's tick, in a profile.
    Tick,
}

const SWATCH_WIDTH: i32 = 28;
const KEY_LINE: u32 = 22;

fn trend_keys(trend: &TrendChart) -> Vec<Key> {
    let mut keys = Vec::new();
    for (index, series) in trend.series.iter().enumerate() {
        let swatch = if index == 0 {
            Swatch::Community
        } else {
            Swatch::Reference(index)
        };
        keys.push(Key {
            swatch,
            label: clean(&series.label),
        });
        if index == 0 {
            keys.push(Key {
                swatch: Swatch::Band,
                label: interval_label(trend.chart.language).to_owned(),
            });
        }
    }
    for goal in &trend.goals {
        keys.push(Key {
            swatch: Swatch::Goal,
            label: clean(&goal.label),
        });
    }
    keys
}

/// Where each legend entry goes, left to right and wrapping to a new line when
/// the chart's width is used up; with the legend's height.
fn key_layout(keys: &[Key]) -> (Vec<(i32, u32)>, u32) {
    let right = f64::from(WIDTH - PAD);
    let mut placed = Vec::with_capacity(keys.len());
    let mut x = f64::from(PAD);
    let mut line = 0;
    for key in keys {
        let width = f64::from(SWATCH_WIDTH) + 6.0 + text_width(&key.label, LABEL_PX);
        if x > f64::from(PAD) && x + width > right {
            line += 1;
            x = f64::from(PAD);
        }
        placed.push((x.round() as i32, line));
        x += width + 18.0;
    }
    let lines = if keys.is_empty() { 0 } else { line + 1 };
    (placed, lines * KEY_LINE)
}

fn draw_keys(
    root: &Root<'_>,
    keys: &[Key],
    placed: &[(i32, u32)],
    top: u32,
) -> Result<(), Failure> {
    for (key, (x, line)) in keys.iter().zip(placed) {
        let x = *x;
        let y = (top + line * KEY_LINE + KEY_LINE / 2) as i32;
        let middle = x + SWATCH_WIDTH / 2;
        let end = x + SWATCH_WIDTH;
        match key.swatch {
            Swatch::Community => {
                root.draw(&Rectangle::new([(x, y - 7), (end, y + 7)], BAND.filled()))?;
                // A filled strip, not a stroked path, so the community's line
                // remains the only solid path of its colour in the chart.
                root.draw(&Rectangle::new(
                    [(x, y - 1), (end, y + 2)],
                    COMMUNITY.filled(),
                ))?;
                draw_marker(root, (middle, y), Marker::Circle, COMMUNITY)?;
            }
            Swatch::Band => {
                root.draw(&Rectangle::new([(x, y - 7), (end, y + 7)], BAND.filled()))?;
            }
            Swatch::Reference(index) => {
                let (colour, marker) = reference_style(index);
                root.draw(&DashedPathElement::new(
                    [(x, y), (end, y)],
                    7,
                    4,
                    colour.stroke_width(2),
                ))?;
                draw_marker(root, (middle, y), marker, colour)?;
            }
            Swatch::Whisker => draw_whisker(root, x + 2, end - 2, y, WHISKER)?,
            Swatch::Dot => {
                draw_whisker(root, x + 2, end - 2, y, COMMUNITY)?;
                draw_marker(root, (middle, y), Marker::Dot, COMMUNITY)?;
            }
            Swatch::Tick => draw_marker(root, (middle, y), Marker::Tick, REFERENCE)?,
            Swatch::Goal => {
                root.draw(&DashedPathElement::new(
                    [(x, y), (end, y)],
                    3,
                    4,
                    GOAL.stroke_width(2),
                ))?;
                draw_marker(root, (end - 4, y), Marker::Diamond, GOAL)?;
            }
        }
        let style = text_style(LABEL_PX, &TEXT).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw(&Text::new(key.label.clone(), (end + 6, y), style))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "<script>&\"'";

    fn chart(id: &str) -> Chart {
        Chart {
            id: id.to_owned(),
            title: "Drunk in the last 30 days".to_owned(),
            description: "Share of students who were drunk in the last 30 days.".to_owned(),
            note: None,
            language: Language::En,
        }
    }

    fn released(percent: f64) -> Figure {
        Figure::Released(Estimate {
            percent,
            low: percent - 5.0,
            high: percent + 5.0,
            n: 120,
        })
    }

    fn trend_of(community: Vec<Figure>) -> TrendChart {
        let waves = ["2016", "2018", "2020", "2022", "2024"];
        TrendChart {
            chart: chart("trend-drunk_30d"),
            waves: waves
                .iter()
                .take(community.len())
                .map(|wave| wave.to_string())
                .collect(),
            series: vec![
                Series {
                    label: "Hoogland".to_owned(),
                    figures: community,
                },
                Series {
                    label: "Municipality".to_owned(),
                    figures: vec![released(24.0); 5],
                },
                Series {
                    label: "Region".to_owned(),
                    figures: vec![released(22.0); 5],
                },
            ],
            suppressed_label: "fewer than 10 respondents".to_owned(),
            goals: vec![],
        }
    }

    #[test]
    fn a_goal_is_drawn_from_its_baseline_to_its_target_with_a_key() {
        let plain = trend(&trend_of(vec![released(20.0); 4]));
        let mut with_goal = trend_of(vec![released(20.0); 4]);
        with_goal.waves.push("2026".to_owned());
        with_goal.goals.push(GoalLine {
            label: format!("Goal {HOSTILE}: 10% by 2026"),
            from: (1, 20.0),
            to: (4, 10.0),
        });
        let svg = trend(&with_goal);
        let goal_colour = |svg: &str| svg.to_ascii_uppercase().matches("#007A5E").count();
        assert_eq!(goal_colour(&plain), 0, "no goal, no goal colour");
        assert!(
            goal_colour(&svg) >= 3,
            "path, target and key in the goal colour"
        );
        assert!(svg.contains("10% by 2026"), "the key names the goal");
        assert!(!svg.contains("<script>"), "the label is escaped");
        assert!(svg.contains("\n2026\n"), "the target year is on the axis");
    }

    fn villages() -> BarChart {
        BarChart {
            chart: chart("villages-drunk_30d"),
            bars: vec![
                Bar {
                    label: "Hoogland".to_owned(),
                    figure: released(24.5),
                    highlighted: true,
                },
                Bar {
                    label: "Leusden".to_owned(),
                    figure: Figure::Suppressed,
                    highlighted: false,
                },
                Bar {
                    label: "Woudenberg".to_owned(),
                    figure: released(18.0),
                    highlighted: false,
                },
            ],
            reference: Some(("Municipality".to_owned(), 21.3)),
            suppressed_label: "fewer than 10 respondents".to_owned(),
        }
    }

    fn hoogland_profile() -> ProfileChart {
        ProfileChart {
            chart: chart("profile-hoogland"),
            community_label: "Hoogland".to_owned(),
            reference_label: "Region".to_owned(),
            risk: vec![
                ProfileRow {
                    label: "Parents allow drinking".to_owned(),
                    community: released(34.0),
                    reference: released(28.0),
                },
                ProfileRow {
                    label: "Out after midnight".to_owned(),
                    community: Figure::Suppressed,
                    reference: released(22.0),
                },
            ],
            protective: vec![ProfileRow {
                label: "Sports in a club".to_owned(),
                community: released(61.0),
                reference: released(58.0),
            }],
            risk_heading: "Risk factors".to_owned(),
            protective_heading: "Protective factors".to_owned(),
            suppressed_label: "fewer than 10 respondents".to_owned(),
        }
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        match roxmltree::Document::parse(svg) {
            Ok(document) => document,
            Err(error) => panic!("not well-formed ({error}):\n{svg}"),
        }
    }

    /// Every `<text>` with its content, trimmed as a browser shows it.
    fn texts<'a>(document: &'a roxmltree::Document<'a>) -> Vec<(String, roxmltree::Node<'a, 'a>)> {
        document
            .descendants()
            .filter(|node| node.has_tag_name("text"))
            .map(|node| (node.text().unwrap_or_default().trim().to_owned(), node))
            .collect()
    }

    fn text_node<'a>(
        document: &'a roxmltree::Document<'a>,
        content: &str,
    ) -> roxmltree::Node<'a, 'a> {
        match texts(document)
            .into_iter()
            .find(|(text, _)| text == content)
        {
            Some((_, node)) => node,
            None => panic!("no text {content:?} in the chart"),
        }
    }

    fn number(node: roxmltree::Node<'_, '_>, attribute: &str) -> f64 {
        node.attribute(attribute)
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no numeric {attribute} on {node:?}"))
    }

    fn hex(colour: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", colour.0, colour.1, colour.2)
    }

    fn points(node: roxmltree::Node<'_, '_>) -> Vec<(f64, f64)> {
        node.attribute("points")
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|pair| {
                let (x, y) = pair.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect()
    }

    /// The community's line: solid, 3 px, in the community's colour.
    fn community_lines<'a>(document: &'a roxmltree::Document<'a>) -> Vec<Vec<(f64, f64)>> {
        document
            .descendants()
            .filter(|node| {
                node.has_tag_name("polyline")
                    && node.attribute("stroke") == Some(hex(COMMUNITY).as_str())
                    && node.attribute("stroke-width") == Some("3")
            })
            .map(points)
            .collect()
    }

    fn assert_labelled(svg: &str, id: &str, title: &str, description: &str) {
        let document = parse(svg);
        let root = document.root_element();
        assert!(root.has_tag_name("svg"));
        assert_eq!(root.attribute("role"), Some("img"));
        let labelled_by = format!("{id}-title {id}-desc");
        assert_eq!(
            root.attribute("aria-labelledby"),
            Some(labelled_by.as_str())
        );
        let view_box = root.attribute("viewBox").unwrap_or_default();
        let width = root.attribute("width").unwrap_or_default();
        let height = root.attribute("height").unwrap_or_default();
        assert_eq!(view_box, format!("0 0 {width} {height}"));
        let mut children = root.children().filter(|node| node.is_element());
        let first = children.next().expect("a first child");
        let second = children.next().expect("a second child");
        assert!(first.has_tag_name("title"), "{first:?}");
        assert_eq!(first.attribute("id"), Some(format!("{id}-title").as_str()));
        assert_eq!(first.text(), Some(title));
        assert!(second.has_tag_name("desc"), "{second:?}");
        assert_eq!(second.attribute("id"), Some(format!("{id}-desc").as_str()));
        assert_eq!(second.text(), Some(description));
    }

    #[test]
    fn every_chart_is_well_formed_svg_with_title_and_desc() {
        let title = "Drunk in the last 30 days";
        let description = "Share of students who were drunk in the last 30 days.";
        let trend_chart = trend_of(vec![released(30.0); 5]);
        assert_labelled(&trend(&trend_chart), "trend-drunk_30d", title, description);
        assert_labelled(
            &side_by_side(&villages()),
            "villages-drunk_30d",
            title,
            description,
        );
        assert_labelled(
            &profile(&hoogland_profile()),
            "profile-hoogland",
            title,
            description,
        );
    }

    #[test]
    fn caller_text_is_escaped() {
        let hostile = || HOSTILE.to_owned();
        let hostile_chart = || Chart {
            id: hostile(),
            title: hostile(),
            description: hostile(),
            note: Some(hostile()),
            language: Language::En,
        };
        let mut trend_chart = trend_of(vec![released(30.0), Figure::Suppressed, released(28.0)]);
        trend_chart.chart = hostile_chart();
        trend_chart.waves = vec![hostile(), "2018".to_owned(), "2020".to_owned()];
        trend_chart.series[1].label = hostile();
        trend_chart.suppressed_label = hostile();
        let mut bars = villages();
        bars.chart = hostile_chart();
        bars.bars[0].label = hostile();
        bars.reference = Some((hostile(), 21.3));
        bars.suppressed_label = hostile();
        let mut rows = hoogland_profile();
        rows.chart = hostile_chart();
        rows.risk_heading = hostile();
        rows.risk[0].label = hostile();
        rows.community_label = hostile();
        rows.suppressed_label = hostile();

        for svg in [trend(&trend_chart), side_by_side(&bars), profile(&rows)] {
            let document = parse(&svg);
            assert!(
                document
                    .descendants()
                    .all(|node| !node.has_tag_name("script"))
            );
            let root = document.root_element();
            assert_eq!(
                root.attribute("aria-labelledby"),
                Some("-script-----title -script-----desc")
            );
            let title = root.children().find(|node| node.has_tag_name("title"));
            assert_eq!(title.and_then(|node| node.text()), Some(HOSTILE));
            let shown = texts(&document)
                .iter()
                .filter(|(text, _)| text == HOSTILE)
                .count();
            // At least the note and one label, each read back exactly.
            assert!(shown >= 2, "{shown} texts in:\n{svg}");
        }
    }

    #[test]
    fn characters_xml_cannot_carry_are_left_out() {
        let mut bars = villages();
        bars.chart.title = "Drunk\u{1} in\u{FFFF} the last 30 days".to_owned();
        bars.bars[0].label = "Hoog\u{0}land".to_owned();
        let svg = side_by_side(&bars);
        let document = parse(&svg);
        text_node(&document, "Hoogland");
        let title = document.root_element().first_element_child();
        assert_eq!(
            title.and_then(|node| node.text()),
            Some("Drunk in the last 30 days")
        );
    }

    #[test]
    fn a_suppressed_village_is_labelled_not_drawn() {
        let svg = side_by_side(&villages());
        let document = parse(&svg);
        let bars: Vec<_> = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("rect")
                    && [hex(BAR_STRONG), hex(BAR_LIGHT)]
                        .iter()
                        .any(|fill| node.attribute("fill") == Some(fill))
            })
            .collect();
        assert_eq!(bars.len(), 2, "two released villages, two bars");

        let village = text_node(&document, "Leusden");
        let words = text_node(&document, "fewer than 10 respondents");
        assert_eq!(
            number(words, "y"),
            number(village, "y"),
            "the words stand in the village's row"
        );
        let row = number(village, "y");
        for bar in bars {
            let (top, bottom) = (number(bar, "y"), number(bar, "y") + number(bar, "height"));
            assert!(
                !(top..=bottom).contains(&row),
                "no bar in the suppressed row"
            );
        }
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn a_missing_village_is_a_dash_without_words() {
        let mut bars = villages();
        bars.bars[1].figure = Figure::Missing;
        let svg = side_by_side(&bars);
        let document = parse(&svg);
        let village = text_node(&document, "Leusden");
        let dash = text_node(&document, GAP);
        assert_eq!(number(dash, "y"), number(village, "y"));
        assert!(
            texts(&document)
                .iter()
                .all(|(text, _)| text != "fewer than 10 respondents")
        );
    }

    #[test]
    fn the_highlighted_village_stands_out() {
        let svg = side_by_side(&villages());
        let document = parse(&svg);
        let strong = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("rect")
                    && node.attribute("fill") == Some(hex(BAR_STRONG).as_str())
            })
            .count();
        assert_eq!(strong, 1);
        assert_eq!(
            text_node(&document, "Hoogland").attribute("font-weight"),
            Some("bold")
        );
        assert_eq!(
            text_node(&document, "Woudenberg").attribute("font-weight"),
            None
        );
    }

    #[test]
    fn values_are_printed_past_the_bar_and_its_whisker() {
        let svg = side_by_side(&villages());
        let document = parse(&svg);
        let value = text_node(&document, "24.5%");
        let bar = document
            .descendants()
            .find(|node| {
                node.has_tag_name("rect")
                    && node.attribute("fill") == Some(hex(BAR_STRONG).as_str())
            })
            .expect("the highlighted bar");
        let bar_end = number(bar, "x") + number(bar, "width");
        let whisker_end = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("polyline")
                    && node.attribute("stroke") == Some(hex(WHISKER).as_str())
            })
            .flat_map(points)
            .filter(|(_, y)| *y == number(value, "y"))
            .map(|(x, _)| x)
            .fold(0.0, f64::max);
        assert!(whisker_end > bar_end, "the whisker reaches past the bar");
        assert!(number(value, "x") > whisker_end);
        assert_eq!(value.attribute("text-anchor"), Some("start"));
    }

    #[test]
    fn the_reference_line_is_labelled() {
        let svg = side_by_side(&villages());
        let document = parse(&svg);
        let label = text_node(&document, "Municipality: 21.3%");
        let dashes: Vec<_> = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("polyline")
                    && node.attribute("stroke") == Some(hex(REFERENCE).as_str())
            })
            .flat_map(points)
            .collect();
        assert!(dashes.len() > 4, "a dashed line is many short strokes");
        let x = dashes[0].0;
        assert!(
            dashes.iter().all(|(other, _)| *other == x),
            "the line is vertical"
        );
        assert_eq!(number(label, "x"), x, "the label stands at its line");
    }

    #[test]
    fn gaps_are_not_bridged() {
        let figures = vec![
            released(30.0),
            released(28.0),
            Figure::Suppressed,
            released(25.0),
            released(21.0),
        ];
        let svg = trend(&trend_of(figures));
        let document = parse(&svg);
        let lines = community_lines(&document);
        assert_eq!(lines.len(), 2, "one line each side of the gap");
        let gap = number(text_node(&document, "2020"), "x");
        for line in &lines {
            assert_eq!(line.len(), 2);
            let all_before = line.iter().all(|(x, _)| *x < gap);
            let all_after = line.iter().all(|(x, _)| *x > gap);
            assert!(all_before || all_after, "{line:?} crosses the gap at {gap}");
        }
        let bands = document
            .descendants()
            .filter(|node| node.has_tag_name("polygon") && node.attribute("opacity") == Some("0.2"))
            .count();
        assert_eq!(bands, 2, "the interval band breaks at the gap too");
    }

    #[test]
    fn a_suppressed_wave_is_labelled_at_its_wave() {
        let figures = vec![
            released(30.0),
            released(28.0),
            Figure::Suppressed,
            released(25.0),
            released(21.0),
        ];
        let svg = trend(&trend_of(figures));
        let document = parse(&svg);
        let wave = text_node(&document, "2020");
        let words: Vec<_> = texts(&document)
            .into_iter()
            .filter(|(_, node)| node.attribute("fill") == Some(hex(MUTED).as_str()))
            .collect();
        let written: Vec<&str> = words.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(written.join(" "), "fewer than 10 respondents");
        for (_, node) in &words {
            assert_eq!(number(*node, "x"), number(wave, "x"));
            assert!(number(*node, "y") < number(wave, "y"), "above the axis");
        }
        let markers = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("circle")
                    && node.attribute("fill") == Some(hex(COMMUNITY).as_str())
            })
            .filter(|node| number(*node, "cx") == number(wave, "x"))
            .count();
        assert_eq!(markers, 0, "no point at the suppressed wave");
    }

    #[test]
    fn a_suppressed_reference_is_named() {
        let mut trend_chart = trend_of(vec![released(30.0); 3]);
        trend_chart.series[2].figures[1] = Figure::Suppressed;
        let svg = trend(&trend_chart);
        let document = parse(&svg);
        let written: Vec<String> = texts(&document)
            .into_iter()
            .filter(|(_, node)| node.attribute("fill") == Some(hex(MUTED).as_str()))
            .map(|(text, _)| text)
            .collect();
        assert_eq!(written.join(" "), "Region: fewer than 10 respondents");
    }

    #[test]
    fn a_missing_wave_is_a_silent_gap() {
        let figures = vec![
            released(30.0),
            released(28.0),
            Figure::Missing,
            released(25.0),
            released(21.0),
        ];
        let svg = trend(&trend_of(figures));
        let document = parse(&svg);
        assert_eq!(community_lines(&document).len(), 2);
        assert!(
            texts(&document)
                .iter()
                .all(|(text, _)| !text.contains("respondents"))
        );
    }

    #[test]
    fn a_lone_figure_between_gaps_is_a_point_with_its_interval() {
        let figures = vec![Figure::Suppressed, released(28.0), Figure::Missing];
        let svg = trend(&trend_of(figures));
        let document = parse(&svg);
        assert!(community_lines(&document).is_empty());
        let wave = number(text_node(&document, "2018"), "x");
        let point = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("circle")
                    && node.attribute("fill") == Some(hex(COMMUNITY).as_str())
            })
            .filter(|node| number(*node, "cx") == wave)
            .count();
        assert_eq!(point, 1);
        let interval = document.descendants().any(|node| {
            node.has_tag_name("rect")
                && node.attribute("opacity") == Some("0.2")
                && (number(node, "x")..=number(node, "x") + number(node, "width")).contains(&wave)
        });
        assert!(interval);
    }

    #[test]
    fn reference_series_differ_by_more_than_colour() {
        let svg = trend(&trend_of(vec![released(30.0); 5]));
        let document = parse(&svg);
        let strokes = |colour: RGBColor| {
            document
                .descendants()
                .filter(|node| {
                    node.has_tag_name("polyline")
                        && node.attribute("stroke") == Some(hex(colour).as_str())
                })
                .count()
        };
        // Dashed: a line over five waves is drawn as many short strokes.
        assert!(strokes(REFERENCES[0]) > 10);
        assert!(strokes(REFERENCES[1]) > 10);
        let (municipality, region) = (hex(REFERENCES[0]), hex(REFERENCES[1]));
        let squares = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("rect") && node.attribute("fill") == Some(municipality.as_str())
            })
            .count();
        let triangles = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("polygon") && node.attribute("fill") == Some(region.as_str())
            })
            .filter(|node| points(*node).len() == 3)
            .count();
        // Five waves and one more in the legend.
        assert_eq!(squares, 6);
        assert_eq!(triangles, 6);
        for label in [
            "Hoogland",
            "Municipality",
            "Region",
            "95% confidence interval",
        ] {
            text_node(&document, label);
        }
    }

    #[test]
    fn the_scale_contains_every_interval() {
        let mut trend_chart = trend_of(vec![released(30.0), released(42.0)]);
        trend_chart.series.truncate(1);
        let svg = trend(&trend_chart);
        let document = parse(&svg);
        // The highest interval reaches 47 %: the scale ends at the next tick.
        text_node(&document, "50%");
        assert!(
            texts(&document)
                .iter()
                .all(|(text, _)| text != "60%" && text != "100%")
        );
        let axis_top = number(text_node(&document, "50%"), "y");
        let band_top = document
            .descendants()
            .filter(|node| node.has_tag_name("polygon") && node.attribute("opacity") == Some("0.2"))
            .flat_map(points)
            .map(|(_, y)| y)
            .fold(f64::MAX, f64::min);
        assert!(band_top >= axis_top, "the band stays within the scale");
    }

    #[test]
    fn percentages_follow_the_chart_language() {
        let mut bars = villages();
        bars.chart.language = Language::Nl;
        let svg = side_by_side(&bars);
        let document = parse(&svg);
        text_node(&document, "24,5 %");
        text_node(&document, "20 %");
        text_node(&document, "Municipality: 21,3 %");
        text_node(&document, "95%-betrouwbaarheidsinterval");
    }

    #[test]
    fn the_note_is_written_inside_the_chart() {
        let mut bars = villages();
        let without = side_by_side(&bars);
        bars.chart.note = Some("Synthetic data".to_owned());
        let with = side_by_side(&bars);
        let document = parse(&with);
        let note = text_node(&document, "Synthetic data");
        let root = document.root_element();
        assert!(number(note, "x") <= number(root, "width"));
        assert!(number(note, "y") <= number(root, "height"));
        assert!(number(root, "height") > number(parse(&without).root_element(), "height"));
        assert!(!without.contains("Synthetic data"));
    }

    #[test]
    fn a_profile_groups_rows_under_their_headings() {
        let svg = profile(&hoogland_profile());
        let document = parse(&svg);
        let y = |label: &str| number(text_node(&document, label), "y");
        assert!(y("Risk factors") < y("Parents allow drinking"));
        assert!(y("Parents allow drinking") < y("Out after midnight"));
        assert!(y("Out after midnight") < y("Protective factors"));
        assert!(y("Protective factors") < y("Sports in a club"));
        assert_eq!(
            text_node(&document, "Risk factors").attribute("font-weight"),
            Some("bold")
        );

        let dots: Vec<f64> = document
            .descendants()
            .filter(|node| node.has_tag_name("circle") && node.attribute("r") == Some("5"))
            .map(|node| number(node, "cy"))
            .collect();
        // Two released rows, and the legend's dot.
        assert_eq!(dots.len(), 3);
        assert!(dots.contains(&y("Parents allow drinking")));
        assert!(
            !dots.contains(&y("Out after midnight")),
            "no dot for a suppressed figure"
        );
        let words = text_node(&document, "fewer than 10 respondents");
        assert_eq!(number(words, "y"), y("Out after midnight"));
        let ticks = document
            .descendants()
            .filter(|node| {
                node.has_tag_name("polyline")
                    && node.attribute("stroke") == Some(hex(REFERENCE).as_str())
            })
            .count();
        assert_eq!(
            ticks, 4,
            "the region's tick in every row, and in the legend"
        );
    }

    #[test]
    fn a_suppressed_reference_in_a_profile_is_named() {
        let mut rows = hoogland_profile();
        rows.protective[0].reference = Figure::Suppressed;
        let svg = profile(&rows);
        let document = parse(&svg);
        let written: Vec<String> = texts(&document)
            .into_iter()
            .filter(|(_, node)| node.attribute("fill") == Some(hex(MUTED).as_str()))
            .map(|(text, _)| text)
            .collect();
        assert!(
            written
                .join(" ")
                .contains("Region: fewer than 10 respondents"),
            "{written:?}"
        );
    }

    #[test]
    fn the_same_figures_give_the_same_chart() {
        let trend_chart = trend_of(vec![released(30.0), Figure::Suppressed, released(25.0)]);
        assert_eq!(trend(&trend_chart), trend(&trend_chart));
        assert_eq!(side_by_side(&villages()), side_by_side(&villages()));
        assert_eq!(profile(&hoogland_profile()), profile(&hoogland_profile()));
    }

    #[test]
    fn charts_without_figures_are_still_well_formed() {
        let mut empty_trend = trend_of(Vec::new());
        empty_trend.series.clear();
        let mut odd_trend = trend_of(vec![released(f64::NAN), released(30.0)]);
        odd_trend.series[1].figures.clear();
        let mut empty_bars = villages();
        empty_bars.bars.clear();
        empty_bars.reference = Some(("Municipality".to_owned(), f64::INFINITY));
        let mut empty_profile = hoogland_profile();
        empty_profile.risk.clear();
        empty_profile.protective.clear();
        for svg in [
            trend(&empty_trend),
            trend(&odd_trend),
            side_by_side(&empty_bars),
            profile(&empty_profile),
        ] {
            let document = parse(&svg);
            assert_eq!(document.root_element().attribute("role"), Some("img"));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
        }
    }

    #[test]
    fn long_labels_are_shortened_to_their_column() {
        let mut bars = villages();
        bars.bars[2].label = "Village ".repeat(20);
        let svg = side_by_side(&bars);
        let document = parse(&svg);
        let label = texts(&document)
            .into_iter()
            .find(|(text, _)| text.starts_with("Village"))
            .map(|(text, _)| text)
            .unwrap_or_default();
        assert!(label.ends_with('…'), "{label}");
        assert!(text_width(&label, LABEL_PX) <= f64::from(WIDTH) * 0.42);
    }

    #[test]
    fn a_chart_that_cannot_be_drawn_still_has_its_title_and_says_so() {
        let mut bars = villages();
        bars.chart.title = HOSTILE.to_owned();
        let svg = undrawn(&bars.chart, 200);
        assert_labelled(&svg, "villages-drunk_30d", HOSTILE, &bars.chart.description);
        let document = parse(&svg);
        text_node(&document, "This chart could not be drawn.");
    }

    #[test]
    fn text_is_wrapped_at_word_boundaries() {
        let lines = wrap("fewer than 10 respondents", 10.0, 60.0);
        assert_eq!(lines, ["fewer than", "10", "respondents"]);
        assert_eq!(wrap("", 10.0, 80.0), Vec::<String>::new());
    }
}
