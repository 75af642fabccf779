//! Peiling's database schema: one migration per change, the same for SQLite and
//! PostgreSQL. The server applies pending migrations at start-up.

pub use sea_orm_migration::prelude::*;

mod m0001_core_model;
mod m0002_survey_flow;
mod m0003_login_throttle;
mod m0004_wave_results;
mod m0005_administration;
mod m0006_synthetic_region;
mod m0007_wave_releases;
mod m0008_sealed_drafts;
mod m0009_prevention_planning;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_core_model::Migration),
            Box::new(m0002_survey_flow::Migration),
            Box::new(m0003_login_throttle::Migration),
            Box::new(m0004_wave_results::Migration),
            Box::new(m0005_administration::Migration),
            Box::new(m0006_synthetic_region::Migration),
            Box::new(m0007_wave_releases::Migration),
            Box::new(m0008_sealed_drafts::Migration),
            Box::new(m0009_prevention_planning::Migration),
        ]
    }
}
