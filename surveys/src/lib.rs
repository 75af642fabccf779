//! Peiling's domain core.
//!
//! Everything here is pure: no database, no network, no clock. The same code runs
//! on the server and in the browser (wasm), so a rule such as "is this a valid
//! class code?" or "may this figure be shown?" lives in exactly one place.

pub mod class_code;
pub mod disclosure;
pub mod indicator;
pub mod planning;
pub mod questionnaire;
pub mod standard;
pub mod statistics;
pub mod synthetic;
pub mod validity;
pub mod wave;

pub use class_code::{ClassCode, ClassCodeError};
pub use disclosure::{
    Disclosure, GroupCounts, GroupRelease, Partition, Release, ReleaseError, SuppressionReason,
    SuppressionThreshold, Tabulation, TabulationError, ThresholdError, suppress, suppress_after,
};
pub use indicator::{Direction, Domain};
pub use questionnaire::{
    AnswerCode, AnswerError, AnswerOption, Answers, Indicator, Item, ItemKey, ItemKind, Problem,
    Questionnaire, Scale, Section,
};
pub use standard::standard_v1;
pub use statistics::{
    Change, Comparison, Difference, Interval, Share, ShareError, Standing, Trend,
};
pub use validity::{ValidityFlag, ValidityFlags};
pub use wave::{
    Breakdown, Computation, Exclusions, Gender, Group, MunicipalityId, Place, ReleaseBasis,
    Residence, SchoolId, SurveyResponse, VillageId, WaveError, WaveResults, compute_release,
    compute_wave,
};
