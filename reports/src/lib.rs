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

/// Digits after the decimal separator of every percentage: on the page, in
/// the charts and in every download.
pub const PERCENT_DECIMALS: usize = 1;

/// A percentage rounded exactly as the page writes it, as a number. Downloads
/// write this rather than the share itself: 31.147540983606557 in a cell tells
/// a reader it is 19 of 61, where the page says 31.1 % to someone who may not
/// see n. Rounding through the decimal text is the page's own rounding, so
/// the two can never differ in the last digit.
pub fn shown_percent(value: f64) -> f64 {
    format!("{value:.precision$}", precision = PERCENT_DECIMALS)
        .parse()
        .unwrap_or(value)
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
    fn a_shown_percent_is_the_number_the_page_writes() {
        let nineteen_of_sixty_one = 19.0 * 100.0 / 61.0;
        assert_eq!(shown_percent(nineteen_of_sixty_one), 31.1);
        for value in [0.0, 0.05, 0.15, 7.25, 24.46, 66.65, 99.96, 100.0] {
            let shown = shown_percent(value);
            // The page writes the same for both…
            for language in [Language::Nl, Language::En] {
                assert_eq!(
                    language.percent(shown, PERCENT_DECIMALS),
                    language.percent(value, PERCENT_DECIMALS),
                    "{value}"
                );
            }
            // …and the number holds nothing beyond it.
            let digits = shown.to_string();
            assert!(
                digits
                    .split_once('.')
                    .is_none_or(|(_, decimals)| decimals.len() <= PERCENT_DECIMALS),
                "{value} is written as {digits}"
            );
        }
        assert!(shown_percent(f64::NAN).is_nan());
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
