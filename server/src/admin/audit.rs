//! The audit log: every administrative change, who made it and when, for the
//! region coordinator. Entries name ids and settings, never answers or
//! passwords.

use axum::{Router, extract::State, response::Response, routing::get};
use chrono::Utc;
use leptos::prelude::*;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, QueryOrder, QuerySelect, Set,
};

use super::{Staff, say};
use crate::auth::authz::{Action, Target};
use crate::entities::{app_user, audit_log};
use crate::error::AppError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/staff/audit", get(audit_page))
}

/// Writes one entry; call it in the same transaction as the change.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: Option<i32>,
    action: &str,
    subject: String,
    detail: serde_json::Value,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        actor_user_id: Set(actor),
        action: Set(action.to_owned()),
        subject: Set(subject),
        detail: Set(Some(detail.to_string())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How many of the latest entries the page shows.
const SHOWN: u64 = 500;

async fn audit_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::ViewAudit, Some(Target::Region))?;
    let entries = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Id)
        .limit(SHOWN)
        .all(&state.db)
        .await?;
    let names: std::collections::HashMap<i32, String> = app_user::Entity::find()
        .all(&state.db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let lang = staff.lang;
    let rows = entries
        .into_iter()
        .map(|entry| {
            let who = entry
                .actor_user_id
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| say(lang, "opdrachtregel", "command line").to_owned());
            (
                entry.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                who,
                entry.action,
                entry.subject,
                entry.detail.unwrap_or_default(),
            )
        })
        .collect::<Vec<_>>();
    Ok(staff.page(say(lang, "Logboek", "Audit log"), move || {
        view! {
            <p>{say(lang, "De laatste 500 wijzigingen, nieuwste eerst.", "The latest 500 changes, newest first.")}</p>
            <div class="table-wrap">
                <table class="data">
                    <thead>
                        <tr>
                            <th scope="col">{say(lang, "Wanneer", "When")}</th>
                            <th scope="col">{say(lang, "Wie", "Who")}</th>
                            <th scope="col">{say(lang, "Wat", "What")}</th>
                            <th scope="col">{say(lang, "Waarop", "Subject")}</th>
                            <th scope="col">{say(lang, "Details", "Details")}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows
                            .into_iter()
                            .map(|(at, who, action, subject, detail)| view! {
                                <tr><td>{at}</td><td>{who}</td><td><code>{action}</code></td><td>{subject}</td><td class="detail">{detail}</td></tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
    }))
}
