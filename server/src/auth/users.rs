//! `server create-user`: the first region coordinator (and, until the
//! administration screens exist, any other account) from the command line.

use std::io::BufRead;

use anyhow::{Context, bail};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::{password, role::Role};
use crate::config::DatabaseArgs;
use crate::entities::{app_user, municipality, region, school, user_village, village};

#[derive(clap::Args, Debug)]
pub struct CreateUserArgs {
    /// The e-mail address the person logs in with.
    #[arg(long)]
    pub email: String,
    /// The name shown in the application and the audit log.
    #[arg(long)]
    pub name: String,
    #[arg(long, value_enum)]
    pub role: Role,
    /// The municipality a municipality account or youth worker works for.
    #[arg(long)]
    pub municipality: Option<i32>,
    /// The school of a school coordinator or teacher.
    #[arg(long)]
    pub school: Option<i32>,
    /// A village a youth worker works in (repeat for several); each must lie
    /// in the youth worker's municipality.
    #[arg(long = "village")]
    pub villages: Vec<i32>,
    /// Read the password from the first line of standard input instead of
    /// generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

pub async fn create(database: &DatabaseArgs, args: CreateUserArgs) -> anyhow::Result<()> {
    let email = args.email.trim().to_lowercase();
    if !looks_like_email(&email) {
        bail!("'{}' is not an e-mail address", args.email);
    }
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        bail!("the name must be 1 to 200 characters");
    }
    let (generated, secret) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("could not read the password")?;
        (false, line.trim_end_matches(['\r', '\n']).to_owned())
    } else {
        (true, password::generate())
    };
    if secret.chars().count() < password::MINIMUM_LENGTH {
        bail!(
            "a password needs at least {} characters",
            password::MINIMUM_LENGTH
        );
    }

    let db = crate::db::connect_and_migrate(database).await?;
    if app_user::Entity::find()
        .filter(app_user::Column::Email.eq(&email))
        .one(&db)
        .await?
        .is_some()
    {
        bail!("there is already an account for {email}");
    }
    let region = region::Entity::find()
        .one(&db)
        .await?
        .context("there is no region yet")?;
    let municipality_id = match (args.role, args.municipality) {
        (Role::Municipality | Role::YouthWorker, None) => bail!("this role needs --municipality"),
        (_, Some(id)) => Some(
            municipality::Entity::find_by_id(id)
                .one(&db)
                .await?
                .with_context(|| format!("there is no municipality {id}"))?
                .id,
        ),
        (_, None) => None,
    };
    let school_id = match (args.role, args.school) {
        (Role::SchoolCoordinator | Role::Teacher, None) => bail!("this role needs --school"),
        (_, Some(id)) => Some(
            school::Entity::find_by_id(id)
                .one(&db)
                .await?
                .with_context(|| format!("there is no school {id}"))?
                .id,
        ),
        (_, None) => None,
    };
    if args.role == Role::YouthWorker && args.villages.is_empty() {
        bail!("a youth worker needs at least one --village");
    }
    if args.role != Role::YouthWorker && !args.villages.is_empty() {
        bail!("only a youth worker works in villages");
    }
    for id in &args.villages {
        let found = village::Entity::find_by_id(*id)
            .one(&db)
            .await?
            .with_context(|| format!("there is no village {id}"))?;
        if Some(found.municipality_id) != municipality_id {
            bail!(
                "village {id} does not lie in municipality {}",
                municipality_id.unwrap_or_default()
            );
        }
    }
    let hash =
        password::hash(&secret).map_err(|e| anyhow::anyhow!("could not hash the password: {e}"))?;
    let txn = crate::db::begin_write(&db).await?;
    let user = app_user::ActiveModel {
        email: Set(email.clone()),
        display_name: Set(name.to_owned()),
        password_hash: Set(hash),
        role: Set(args.role.key().to_owned()),
        region_id: Set(Some(region.id)),
        municipality_id: Set(municipality_id),
        school_id: Set(school_id),
        active: Set(true),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for id in &args.villages {
        user_village::ActiveModel {
            user_id: Set(user.id),
            village_id: Set(*id),
        }
        .insert(&txn)
        .await?;
    }
    crate::admin::audit::record(
        &txn,
        None,
        "user.created",
        format!("user:{}", user.id),
        serde_json::json!({ "role": args.role.key(), "municipality": municipality_id, "school": school_id, "villages": args.villages }),
    )
    .await?;
    txn.commit().await?;
    println!("Created {} account for {email}.", args.role.key());
    if generated {
        println!("Password (shown once): {secret}");
    }
    Ok(())
}

pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn plausible_addresses_pass_and_others_do_not() {
        assert!(looks_like_email("wethouder@heidebroek.nl"));
        assert!(!looks_like_email("wethouder"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a b@c.nl"));
    }
}
