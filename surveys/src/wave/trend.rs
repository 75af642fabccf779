//! Figures across waves: which may be set side by side, and how they changed.
//!
//! A trend compares like with like: an indicator is trended from one wave to a
//! later one only when every questionnaire version in between defines it the same
//! way (same item, same numerator codes, same treatment of students routed past
//! the item, same direction) and each newer version passes its check against the
//! one before it and lists the item as unchanged.

use crate::disclosure::Release;
use crate::questionnaire::{Indicator, Questionnaire};
use crate::statistics::Change;

use super::{Group, QuestionnaireVersion, WaveResults};

/// Whether `indicator` may be trended across `versions`: the questionnaires of
/// the earlier wave up to the later one, in order, one entry when both waves
/// used the same version.
pub fn may_trend(indicator: &str, versions: &[&Questionnaire]) -> bool {
    let Some(first) = versions.first() else {
        return false;
    };
    let Some(defined) = first.indicator(indicator) else {
        return false;
    };
    versions.windows(2).all(|pair| {
        let (before, after) = (pair[0], pair[1]);
        after.key() == before.key()
            && after.version() == before.version() + 1
            && after
                .indicator(indicator)
                .is_some_and(|now| same_definition(now, defined))
            && after.unchanged_items().contains(&defined.item)
            && after.check_against(before).is_empty()
    })
}

fn same_definition(a: &Indicator, b: &Indicator) -> bool {
    a.item == b.item
        && a.numerator == b.numerator
        && a.not_shown_counts_as_no == b.not_shown_counts_as_no
        && a.direction == b.direction
}

/// How a group's indicator changed from `earlier` to `later` (the previous wave,
/// or the first): real when the two-proportion test and the three-point rule both
/// say so, labelled by the indicator's direction.
///
/// `versions` are the questionnaires from the earlier wave's to the later wave's,
/// as for [`may_trend`]. Suppressed when either wave's share is. `None` when the
/// indicator may not be trended across them, `versions` do not match the waves,
/// or the group or indicator is missing from either wave.
pub fn change(
    earlier: &WaveResults,
    later: &WaveResults,
    versions: &[&Questionnaire],
    group: &Group,
    indicator: &str,
) -> Option<Release<Change>> {
    let (first, last) = (versions.first()?, versions.last()?);
    if earlier.questionnaire() != &QuestionnaireVersion::of(first)
        || later.questionnaire() != &QuestionnaireVersion::of(last)
        || !may_trend(indicator, versions)
    {
        return None;
    }
    let direction = later.direction(indicator)?;
    let before = earlier.share(group, indicator)?;
    let now = later.share(group, indicator)?;
    match before.and(now) {
        Release::Released((before, now)) => {
            Change::between(before, now, direction).map(Release::Released)
        }
        Release::Suppressed(reason) => Some(Release::Suppressed(reason)),
    }
}
