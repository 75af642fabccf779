//! The one answer to "may this user see or do this, on this scope?". Every
//! staff page, form and download asks [`may`]; anything not granted here is
//! denied. A denied request is answered exactly like a request for something
//! that does not exist, so it reveals nothing.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::role::Role;
use crate::entities::{app_user, class_code, municipality, school, user_village, village};

/// What a member of staff wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Dashboards, reports and downloads of released figures.
    ViewFigures,
    /// A municipality's or the region's released figures as the reference a
    /// place the viewer may see is compared with — not their dashboards.
    ViewReference,
    /// Submitted against expected, per school and class, while a wave runs.
    ViewResponseRates,
    /// The submission count of one class code (never its answers).
    ViewClassCount,
    /// Register classes of a school for a wave and print their code sheets.
    RegisterClasses,
    /// Places, waves, users, the threshold k, help texts, questionnaire versions.
    Administer,
    /// Who changed what, when.
    ViewAudit,
    /// Set, change and remove prevention goals of a place.
    SetGoals,
    /// Add and update the prevention actions of a place.
    RecordActions,
    /// Keep a municipality's prevention cycle: its ten steps per wave.
    RunCycle,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::ViewFigures,
        Action::ViewReference,
        Action::ViewResponseRates,
        Action::ViewClassCount,
        Action::RegisterClasses,
        Action::Administer,
        Action::ViewAudit,
        Action::SetGoals,
        Action::RecordActions,
        Action::RunCycle,
    ];
}

/// What it is done on, with the places it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Region,
    Municipality {
        id: i32,
    },
    Village {
        id: i32,
        municipality: i32,
    },
    School {
        id: i32,
        municipality: i32,
    },
    ClassCode {
        id: i32,
        school: i32,
        teacher: Option<i32>,
    },
}

/// A signed-in member of staff and the places their role covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i32,
    pub role: Role,
    /// The municipality of a municipality account or youth worker.
    pub municipality: Option<i32>,
    /// The school of a school coordinator or teacher…
    pub school: Option<i32>,
    /// …and the municipality that school lies in.
    pub school_municipality: Option<i32>,
    /// The villages a youth worker works in.
    pub villages: Vec<i32>,
}

/// Whether `principal` may do `action` on `target`. Deny by default.
pub fn may(principal: &Principal, action: Action, target: &Target) -> bool {
    use Action::*;
    let own_municipality = |id: i32| principal.municipality == Some(id);
    let own_school = |id: i32| principal.school == Some(id);
    match principal.role {
        // The region is the whole installation.
        Role::RegionCoordinator => true,
        Role::Municipality => match (action, *target) {
            (ViewFigures | ViewReference, Target::Region) => true,
            (
                ViewFigures | ViewReference | SetGoals | RecordActions | RunCycle,
                Target::Municipality { id },
            ) => own_municipality(id),
            (ViewFigures | SetGoals | RecordActions, Target::Village { municipality, .. }) => {
                own_municipality(municipality)
            }
            _ => false,
        },
        Role::SchoolCoordinator => match (action, *target) {
            (ViewFigures | ViewReference, Target::Region) => true,
            (ViewFigures | ViewReference, Target::Municipality { id }) => {
                principal.school_municipality == Some(id)
            }
            (
                ViewFigures | ViewResponseRates | RegisterClasses | SetGoals | RecordActions,
                Target::School { id, .. },
            ) => own_school(id),
            (ViewClassCount, Target::ClassCode { school, .. }) => own_school(school),
            _ => false,
        },
        // A youth worker sees their villages, set against the municipality and
        // the region; not those places' own dashboards, nor other villages.
        Role::YouthWorker => match (action, *target) {
            (ViewFigures | RecordActions, Target::Village { id, .. }) => {
                principal.villages.contains(&id)
            }
            (ViewReference, Target::Region) => true,
            (ViewReference, Target::Municipality { id }) => own_municipality(id),
            _ => false,
        },
        Role::Teacher => match (action, *target) {
            (
                ViewClassCount,
                Target::ClassCode {
                    school, teacher, ..
                },
            ) => own_school(school) && teacher == Some(principal.user_id),
            _ => false,
        },
    }
}

/// The principal of an active account, with its villages and its school's
/// municipality looked up. `None` for an unknown role (denied everything).
pub async fn principal(
    db: &impl ConnectionTrait,
    user: &app_user::Model,
) -> Result<Option<Principal>, DbErr> {
    let Some(role) = Role::from_key(&user.role) else {
        return Ok(None);
    };
    let school_municipality = match user.school_id {
        Some(id) => school::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| s.municipality_id),
        None => None,
    };
    let villages = user_village::Entity::find()
        .filter(user_village::Column::UserId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|v| v.village_id)
        .collect();
    Ok(Some(Principal {
        user_id: user.id,
        role,
        municipality: user.municipality_id,
        school: user.school_id,
        school_municipality,
        villages,
    }))
}

/// The places a scope in a request names, looked up; `None` when it does not
/// exist (answered like a denial).
pub mod lookup {
    use super::*;

    pub async fn municipality(db: &impl ConnectionTrait, id: i32) -> Result<Option<Target>, DbErr> {
        Ok(municipality::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|m| Target::Municipality { id: m.id }))
    }

    pub async fn village(db: &impl ConnectionTrait, id: i32) -> Result<Option<Target>, DbErr> {
        Ok(village::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|v| Target::Village {
                id: v.id,
                municipality: v.municipality_id,
            }))
    }

    pub async fn school(db: &impl ConnectionTrait, id: i32) -> Result<Option<Target>, DbErr> {
        Ok(school::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|s| Target::School {
                id: s.id,
                municipality: s.municipality_id,
            }))
    }

    pub fn class_code(code: &class_code::Model) -> Target {
        Target::ClassCode {
            id: code.id,
            school: code.school_id,
            teacher: code.teacher_user_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN_MUNICIPALITY: i32 = 1;
    const OTHER_MUNICIPALITY: i32 = 2;
    const OWN_SCHOOL: i32 = 10;
    const OTHER_SCHOOL: i32 = 11;
    const OWN_VILLAGE: i32 = 100;
    const OTHER_VILLAGE_SAME_MUNICIPALITY: i32 = 101;
    const VILLAGE_ELSEWHERE: i32 = 102;
    const TEACHER: i32 = 7;

    fn principal(role: Role) -> Principal {
        Principal {
            user_id: TEACHER,
            role,
            municipality: matches!(role, Role::Municipality | Role::YouthWorker)
                .then_some(OWN_MUNICIPALITY),
            school: matches!(role, Role::SchoolCoordinator | Role::Teacher).then_some(OWN_SCHOOL),
            school_municipality: matches!(role, Role::SchoolCoordinator | Role::Teacher)
                .then_some(OWN_MUNICIPALITY),
            villages: if role == Role::YouthWorker {
                vec![OWN_VILLAGE]
            } else {
                vec![]
            },
        }
    }

    /// Every target the tests ask about, named.
    fn targets() -> Vec<(&'static str, Target)> {
        vec![
            ("region", Target::Region),
            (
                "own municipality",
                Target::Municipality {
                    id: OWN_MUNICIPALITY,
                },
            ),
            (
                "other municipality",
                Target::Municipality {
                    id: OTHER_MUNICIPALITY,
                },
            ),
            (
                "own village",
                Target::Village {
                    id: OWN_VILLAGE,
                    municipality: OWN_MUNICIPALITY,
                },
            ),
            (
                "sister village",
                Target::Village {
                    id: OTHER_VILLAGE_SAME_MUNICIPALITY,
                    municipality: OWN_MUNICIPALITY,
                },
            ),
            (
                "village elsewhere",
                Target::Village {
                    id: VILLAGE_ELSEWHERE,
                    municipality: OTHER_MUNICIPALITY,
                },
            ),
            (
                "own school",
                Target::School {
                    id: OWN_SCHOOL,
                    municipality: OWN_MUNICIPALITY,
                },
            ),
            (
                "other school",
                Target::School {
                    id: OTHER_SCHOOL,
                    municipality: OTHER_MUNICIPALITY,
                },
            ),
            (
                "own class",
                Target::ClassCode {
                    id: 1,
                    school: OWN_SCHOOL,
                    teacher: Some(TEACHER),
                },
            ),
            (
                "colleague's class",
                Target::ClassCode {
                    id: 2,
                    school: OWN_SCHOOL,
                    teacher: Some(99),
                },
            ),
            (
                "class without teacher",
                Target::ClassCode {
                    id: 3,
                    school: OWN_SCHOOL,
                    teacher: None,
                },
            ),
            (
                "foreign class",
                Target::ClassCode {
                    id: 4,
                    school: OTHER_SCHOOL,
                    teacher: Some(TEACHER),
                },
            ),
        ]
    }

    /// What each role is granted; everything else must be denied.
    fn granted(role: Role) -> Vec<(Action, &'static str)> {
        use Action::*;
        match role {
            Role::RegionCoordinator => Action::ALL
                .iter()
                .flat_map(|&a| targets().into_iter().map(move |(n, _)| (a, n)))
                .collect(),
            Role::Municipality => vec![
                (ViewFigures, "region"),
                (ViewReference, "region"),
                (ViewFigures, "own municipality"),
                (ViewReference, "own municipality"),
                (ViewFigures, "own village"),
                (ViewFigures, "sister village"),
                (SetGoals, "own municipality"),
                (RecordActions, "own municipality"),
                (RunCycle, "own municipality"),
                (SetGoals, "own village"),
                (RecordActions, "own village"),
                (SetGoals, "sister village"),
                (RecordActions, "sister village"),
            ],
            Role::SchoolCoordinator => vec![
                (ViewFigures, "region"),
                (ViewReference, "region"),
                (ViewFigures, "own municipality"),
                (ViewReference, "own municipality"),
                (ViewFigures, "own school"),
                (ViewResponseRates, "own school"),
                (RegisterClasses, "own school"),
                (SetGoals, "own school"),
                (RecordActions, "own school"),
                (ViewClassCount, "own class"),
                (ViewClassCount, "colleague's class"),
                (ViewClassCount, "class without teacher"),
            ],
            Role::YouthWorker => vec![
                (ViewFigures, "own village"),
                (RecordActions, "own village"),
                (ViewReference, "region"),
                (ViewReference, "own municipality"),
            ],
            Role::Teacher => vec![(ViewClassCount, "own class")],
        }
    }

    #[test]
    fn every_role_is_granted_exactly_its_scope_and_denied_the_rest() {
        for role in Role::ALL {
            let principal = principal(role);
            let granted = granted(role);
            for action in Action::ALL {
                for (name, target) in targets() {
                    let expected = granted.contains(&(action, name));
                    assert_eq!(
                        may(&principal, action, &target),
                        expected,
                        "{role:?} {action:?} on {name}"
                    );
                }
            }
        }
    }

    #[test]
    fn an_account_without_its_scope_is_denied_everything_scoped() {
        for role in [
            Role::Municipality,
            Role::SchoolCoordinator,
            Role::YouthWorker,
            Role::Teacher,
        ] {
            let scopeless = Principal {
                user_id: TEACHER,
                role,
                municipality: None,
                school: None,
                school_municipality: None,
                villages: vec![],
            };
            for action in Action::ALL {
                for (name, target) in targets() {
                    if target == Target::Region {
                        continue;
                    }
                    assert!(
                        !may(&scopeless, action, &target),
                        "{role:?} {action:?} {name}"
                    );
                }
            }
        }
    }
}
