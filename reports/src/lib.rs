//! What Peiling's dashboards, printable reports and downloads show, drawn from a
//! wave's released figures: charts as SVG, tables as CSV and XLSX, and key
//! messages in plain language. Nothing here decides what may be shown — that was
//! decided once, by [`surveys::disclosure`], when the wave's results were
//! computed; a figure arrives here released or suppressed and is drawn as such.

pub mod charts;
pub mod export;
pub mod messages;

/// A released share as a page shows it: percentage, its 95 % interval, and the
/// number of students who answered the item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub percent: f64,
    pub low: f64,
    pub high: f64,
    pub n: u64,
}

impl Estimate {
    /// The share's percentage and 95 % Wilson interval; `None` when nobody
    /// answered.
    pub fn of(share: surveys::Share) -> Option<Estimate> {
        let interval = share.wilson_interval()?;
        Some(Estimate {
            percent: share.percent()?,
            low: interval.lower * 100.0,
            high: interval.upper * 100.0,
            n: share.denominator(),
        })
    }
}

/// One figure in a chart or table: released, withheld by the suppression rule,
/// or absent (the group had nobody, or the indicator was not asked that wave).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Released(Estimate),
    Suppressed,
    Missing,
}

impl Figure {
    pub fn released(self) -> Option<Estimate> {
        match self {
            Figure::Released(estimate) => Some(estimate),
            _ => None,
        }
    }
}

/// A table as the page shows it and the downloads carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Also the sheet name and file name stem; see [`export`].
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A percentage, shown with one decimal.
    Percent(f64),
    Count(u64),
    /// A withheld figure, with the words the page shows instead
    /// (e.g. "fewer than 10 respondents").
    Suppressed(String),
    Empty,
}

/// The languages reports are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Nl,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Nl => "nl",
            Language::En => "en",
        }
    }

    /// A percentage as readers of this language write it: `24,5 %` in Dutch,
    /// `24.5%` in English, with `decimals` digits after the separator.
    pub fn percent(self, value: f64, decimals: usize) -> String {
        let number = format!("{value:.decimals$}");
        match self {
            Language::Nl => format!("{} %", number.replace('.', ",")),
            Language::En => format!("{number}%"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_follow_the_language() {
        assert_eq!(Language::Nl.percent(24.46, 1), "24,5 %");
        assert_eq!(Language::En.percent(24.46, 1), "24.5%");
        assert_eq!(Language::Nl.percent(19.5, 0), "20 %");
    }

    #[test]
    fn an_estimate_carries_the_wilson_interval_in_percent() {
        let share = surveys::Share::new(25, 100).expect("valid share");
        let estimate = Estimate::of(share).expect("someone answered");
        assert_eq!(estimate.percent, 25.0);
        assert_eq!(estimate.n, 100);
        assert!(estimate.low > 17.0 && estimate.low < 18.0, "{estimate:?}");
        assert!(estimate.high > 33.0 && estimate.high < 35.0, "{estimate:?}");
    }
}
