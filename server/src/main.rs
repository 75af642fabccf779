//! Peiling's server binary: `serve` (the default) runs the web application,
//! `migrate` brings a database up to the current schema.

use clap::{Parser, Subcommand};

use server::config::{DatabaseArgs, ServeArgs};
use server::{auth, db, results, startup, survey, telemetry};

#[derive(Parser)]
#[command(
    name = "server",
    version,
    about = "Peiling: the anonymous youth survey of the Icelandic Prevention Model"
)]
struct Cli {
    #[command(flatten)]
    database: DatabaseArgs,
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web application (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Create class codes for a class and print a code sheet.
    Codes(survey::codes::CodesArgs),
    /// Create a staff account (the first region coordinator, for one).
    CreateUser(auth::users::CreateUserArgs),
    /// Compute a wave's results now (while it runs, or after a correction),
    /// replacing earlier ones.
    Results(results::WaveArgs),
    /// Close a wave to answers and compute its results.
    CloseWave(results::WaveArgs),
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    let outcome = match cli.command {
        None | Some(Command::Serve) => startup::serve(cli.database, cli.serve).await,
        Some(Command::Migrate) => db::connect_and_migrate(&cli.database).await.map(|_| {
            tracing::info!("database is up to date");
        }),
        Some(Command::Codes(args)) => survey::codes::print_sheet(&cli.database, args).await,
        Some(Command::CreateUser(args)) => auth::users::create(&cli.database, args).await,
        Some(Command::Results(args)) => {
            results::run_command(&cli.database, cli.serve.suppression_k, args, false).await
        }
        Some(Command::CloseWave(args)) => {
            results::run_command(&cli.database, cli.serve.suppression_k, args, true).await
        }
    };
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
