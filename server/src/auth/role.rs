//! The roles staff can have; each sees only its own scope.

use app::i18n::Text;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Role {
    /// Manages the whole region (e.g. the GGD).
    RegionCoordinator,
    /// An alderman or policy officer: one municipality and its villages.
    Municipality,
    /// Registers classes and sees one school.
    SchoolCoordinator,
    /// Sees the villages a youth centre works in.
    YouthWorker,
    /// Sees submission counts of its class codes only.
    Teacher,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::RegionCoordinator,
        Role::Municipality,
        Role::SchoolCoordinator,
        Role::YouthWorker,
        Role::Teacher,
    ];

    /// As stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            Role::RegionCoordinator => "region_coordinator",
            Role::Municipality => "municipality",
            Role::SchoolCoordinator => "school_coordinator",
            Role::YouthWorker => "youth_worker",
            Role::Teacher => "teacher",
        }
    }

    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.key() == key)
    }

    pub fn label(self) -> Text {
        match self {
            Role::RegionCoordinator => Text::RoleRegionCoordinator,
            Role::Municipality => Text::RoleMunicipality,
            Role::SchoolCoordinator => Text::RoleSchoolCoordinator,
            Role::YouthWorker => Text::RoleYouthWorker,
            Role::Teacher => Text::RoleTeacher,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_survives_the_database() {
        for role in Role::ALL {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::from_key("admin"), None);
    }
}
