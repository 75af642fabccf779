//! What an indicator is about and which way is better.

use serde::{Deserialize, Serialize};

/// The life domain an indicator belongs to; dashboards group by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// Substance use itself: the outcomes prevention tries to lower.
    Outcome,
    Family,
    Peers,
    School,
    Leisure,
    Wellbeing,
}

/// Whether a rise in the indicator is good or bad news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Substance use: lower is better.
    Outcome,
    /// A risk factor: lower is better.
    Risk,
    /// A protective factor: higher is better.
    Protective,
}

impl Direction {
    /// True when a rise in this indicator is an improvement.
    pub fn higher_is_better(self) -> bool {
        matches!(self, Direction::Protective)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_protective_factor_improves_by_rising() {
        assert!(Direction::Protective.higher_is_better());
        assert!(!Direction::Risk.higher_is_better());
        assert!(!Direction::Outcome.higher_is_better());
    }
}
