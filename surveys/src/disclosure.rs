//! Disclosure control: which figures may be released.
//!
//! No figure is shown for a group of fewer than `k` valid respondents. `k` is a
//! setting of the region, 10 by default and never below 5.

use std::fmt;

/// The smallest group size for which any figure is released.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SuppressionThreshold(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ThresholdError {
    #[error("the suppression threshold is {0}, but it may never be below {min}", min = SuppressionThreshold::MINIMUM)]
    BelowMinimum(u32),
}

impl SuppressionThreshold {
    /// Below five, a figure can point at a single student too easily.
    pub const MINIMUM: u32 = 5;
    pub const DEFAULT: SuppressionThreshold = SuppressionThreshold(10);

    pub fn new(k: u32) -> Result<Self, ThresholdError> {
        if k < Self::MINIMUM {
            Err(ThresholdError::BelowMinimum(k))
        } else {
            Ok(SuppressionThreshold(k))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Whether a group of `valid_respondents` is large enough to show anything of.
    pub fn allows(self, valid_respondents: u64) -> bool {
        valid_respondents >= u64::from(self.0)
    }
}

impl Default for SuppressionThreshold {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for SuppressionThreshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for SuppressionThreshold {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let k: u32 = s
            .trim()
            .parse()
            .map_err(|_| format!("'{s}' is not a whole number"))?;
        SuppressionThreshold::new(k).map_err(|e| e.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for SuppressionThreshold {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let k = u32::deserialize(d)?;
        SuppressionThreshold::new(k).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_threshold_is_ten() {
        assert_eq!(SuppressionThreshold::default().get(), 10);
    }

    #[test]
    fn a_threshold_below_five_is_refused() {
        assert_eq!(
            SuppressionThreshold::new(4),
            Err(ThresholdError::BelowMinimum(4))
        );
        assert!("3".parse::<SuppressionThreshold>().is_err());
        assert_eq!("5".parse::<SuppressionThreshold>().unwrap().get(), 5);
    }

    #[test]
    fn a_group_of_seven_is_not_allowed_under_the_default() {
        let k = SuppressionThreshold::default();
        assert!(!k.allows(7));
        assert!(k.allows(10));
    }
}
