//! The groups a wave's figures are about, and their stable names.
//!
//! A group is a place (the region, a municipality, the students of a municipality
//! who live in one village, a school) and a breakdown of it (everybody, one school
//! year, one gender). Its name is what the server stores results under and what
//! URLs and exports use: `region`, `municipality:3`, `municipality:3/village:17`,
//! `municipality:3/village:elsewhere`, `municipality:3/village:unknown`,
//! `school:5`, each optionally followed by `/year:2` or `/gender:girl`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

use crate::questionnaire::AnswerCode;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A municipality, by the server's id.
    MunicipalityId
);
id!(
    /// A school, by the server's id.
    SchoolId
);
id!(
    /// A village (kern) of a municipality, by the server's id.
    VillageId
);

impl VillageId {
    /// The village a village-of-residence answer names. The server offers each
    /// municipality's villages with their ids as answer codes; the questionnaire's
    /// own "elsewhere" code is never a village (see [`Residence`]).
    pub fn from_answer(code: AnswerCode) -> VillageId {
        VillageId(i64::from(code))
    }
}

/// Where the students of a municipality live, as they answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Residence {
    Village(VillageId),
    /// Outside the municipality's villages.
    Elsewhere,
    /// The question was skipped. Kept as a group of its own so that the villages
    /// add up to the municipality: a sum with a silent remainder is no sum.
    Unknown,
}

/// The answer to the gender item. Codes as in the standard questionnaire
/// (`gender`: 1 boy, 2 girl, 3 describes themself another way, 9 rather not say).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gender {
    Boy,
    Girl,
    Other,
    /// Rather not say, or skipped; a group of its own so genders add up.
    Unknown,
}

impl Gender {
    /// The item the gender is read from.
    pub const ITEM: &'static str = "gender";

    pub fn from_answer(code: Option<AnswerCode>) -> Gender {
        match code {
            Some(1) => Gender::Boy,
            Some(2) => Gender::Girl,
            Some(3) => Gender::Other,
            _ => Gender::Unknown,
        }
    }

    /// Stable key, as in group names.
    pub fn key(self) -> &'static str {
        match self {
            Gender::Boy => "boy",
            Gender::Girl => "girl",
            Gender::Other => "other",
            Gender::Unknown => "unknown",
        }
    }

    fn from_key(key: &str) -> Option<Gender> {
        [Gender::Boy, Gender::Girl, Gender::Other, Gender::Unknown]
            .into_iter()
            .find(|g| g.key() == key)
    }
}

/// Whose figures: a place of the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    Region,
    Municipality(MunicipalityId),
    /// The students of a municipality who live in one village (or elsewhere, or
    /// did not say).
    Residence(MunicipalityId, Residence),
    School(SchoolId),
}

impl Place {
    /// Whether every student of `part` is also a student of `self`. Schools are
    /// placed in the region only: a school's students come from several
    /// municipalities' villages.
    pub fn contains(self, part: Place) -> bool {
        match (self, part) {
            (Place::Region, _) => part != Place::Region,
            (Place::Municipality(m), Place::Residence(n, _)) => m == n,
            _ => false,
        }
    }
}

/// Which students of a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Breakdown {
    All,
    SchoolYear(u8),
    Gender(Gender),
}

/// One group whose figures a wave releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group {
    pub place: Place,
    pub breakdown: Breakdown,
}

impl Group {
    pub fn new(place: Place, breakdown: Breakdown) -> Group {
        Group { place, breakdown }
    }

    /// All students of a place.
    pub fn all(place: Place) -> Group {
        Group::new(place, Breakdown::All)
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.place {
            Place::Region => f.write_str("region")?,
            Place::Municipality(m) => write!(f, "municipality:{m}")?,
            Place::Residence(m, residence) => {
                write!(f, "municipality:{m}/village:")?;
                match residence {
                    Residence::Village(v) => write!(f, "{v}")?,
                    Residence::Elsewhere => f.write_str("elsewhere")?,
                    Residence::Unknown => f.write_str("unknown")?,
                }
            }
            Place::School(s) => write!(f, "school:{s}")?,
        }
        match self.breakdown {
            Breakdown::All => Ok(()),
            Breakdown::SchoolYear(year) => write!(f, "/year:{year}"),
            Breakdown::Gender(gender) => write!(f, "/gender:{}", gender.key()),
        }
    }
}

/// A group name that does not follow the scheme above.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a group name")]
pub struct GroupNameError(pub String);

impl FromStr for Group {
    type Err = GroupNameError;

    fn from_str(name: &str) -> Result<Group, GroupNameError> {
        parse(name).ok_or_else(|| GroupNameError(name.to_owned()))
    }
}

fn parse(name: &str) -> Option<Group> {
    let mut parts = name.split('/').peekable();
    let id = |value: &str| value.parse::<i64>().ok();
    let first = parts.next()?;
    let place = match first.split_once(':') {
        None if first == "region" => Place::Region,
        Some(("municipality", m)) => {
            let m = MunicipalityId(id(m)?);
            match parts.peek().and_then(|p| p.strip_prefix("village:")) {
                None => Place::Municipality(m),
                Some(village) => {
                    parts.next();
                    let residence = match village {
                        "elsewhere" => Residence::Elsewhere,
                        "unknown" => Residence::Unknown,
                        v => Residence::Village(VillageId(id(v)?)),
                    };
                    Place::Residence(m, residence)
                }
            }
        }
        Some(("school", s)) => Place::School(SchoolId(id(s)?)),
        _ => return None,
    };
    let breakdown = match parts.next().map(|p| p.split_once(':')) {
        None => Breakdown::All,
        Some(Some(("year", year))) => Breakdown::SchoolYear(year.parse().ok()?),
        Some(Some(("gender", gender))) => Breakdown::Gender(Gender::from_key(gender)?),
        Some(_) => return None,
    };
    let group = Group { place, breakdown };
    // One spelling per group: "region2" or "year:02" are not names.
    (parts.next().is_none() && group.to_string() == name).then_some(group)
}

impl Serialize for Group {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Group {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_to_their_group() {
        let m = MunicipalityId(3);
        let groups = [
            Group::all(Place::Region),
            Group::all(Place::Municipality(m)),
            Group::new(
                Place::Residence(m, Residence::Village(VillageId(17))),
                Breakdown::SchoolYear(2),
            ),
            Group::new(
                Place::Residence(m, Residence::Elsewhere),
                Breakdown::Gender(Gender::Other),
            ),
            Group::all(Place::Residence(m, Residence::Unknown)),
            Group::new(Place::School(SchoolId(5)), Breakdown::Gender(Gender::Girl)),
        ];
        let names: Vec<String> = groups.iter().map(ToString::to_string).collect();
        assert_eq!(
            names,
            [
                "region",
                "municipality:3",
                "municipality:3/village:17/year:2",
                "municipality:3/village:elsewhere/gender:other",
                "municipality:3/village:unknown",
                "school:5/gender:girl",
            ]
        );
        for (group, name) in groups.iter().zip(&names) {
            assert_eq!(name.parse::<Group>().as_ref(), Ok(group));
        }
    }

    #[test]
    fn names_off_the_scheme_are_refused() {
        for name in [
            "",
            "region2",
            "region/",
            "municipality",
            "municipality:x",
            "municipality:3/village:",
            "school:5/village:1",
            "school:5/year:02",
            "school:5/year:2/gender:boy",
            "school:5/gender:woman",
            "village:17",
        ] {
            assert!(name.parse::<Group>().is_err(), "{name:?} was accepted");
        }
    }

    #[test]
    fn a_village_is_inside_its_own_municipality_only() {
        let village = Place::Residence(MunicipalityId(1), Residence::Village(VillageId(4)));
        assert!(Place::Municipality(MunicipalityId(1)).contains(village));
        assert!(!Place::Municipality(MunicipalityId(2)).contains(village));
        assert!(Place::Region.contains(village));
        assert!(Place::Region.contains(Place::School(SchoolId(1))));
        assert!(!Place::Region.contains(Place::Region));
    }
}
