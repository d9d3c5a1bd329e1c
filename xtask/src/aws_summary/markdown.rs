//! The summary as Markdown (`summary.md`): totals, the per-service table, failing services,
//! exclusions by reason, pairs that differ and the projection.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Outcome, Summary};

/// The summary as Markdown.
pub fn markdown(summary: &Summary) -> String {
    let mut text = String::new();
    let _ = write!(
        text,
        "# AWS services run\n\nModels: `aws/api-models-aws` at `{}`; selection: {}; {} partitions \
         (`count:K/{}`, {} recorded), run one after the other with `nice -n 19` on a shared \
         2-core machine by cargo-snapshot at {}. Written by `cargo xtask corpus`; see README, \
         \"All AWS services\".\n\n",
        summary.models_commit,
        summary.selection,
        summary.partitions,
        summary.partitions,
        summary.partitions_recorded,
        summary
            .tool_commits
            .iter()
            .map(|commit| format!("`{commit}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    totals(summary, &mut text);
    table(summary, &mut text);
    failing(summary, &mut text);
    exclusions(summary, &mut text);
    lost_members(summary, &mut text);
    pairs(summary, &mut text);
    projection(summary, &mut text);
    text
}

fn totals(summary: &Summary, text: &mut String) {
    let total = &summary.total;
    let _ = write!(
        text,
        "**Total**: {} services selected, {} run, {} failing; {} operations; {} snapshot files \
         ({} operations with a request snapshot, {} with a response snapshot, {} error \
         snapshots); {} exclusions; {} lost members; {} crate/model pairs whose operations \
         differ. Partitions: {:.0} min wall, {:.0} min CPU in all; largest process {} MiB.\n\n",
        total.services,
        total.run,
        total.failed,
        total.operations,
        total.snapshot_files,
        total.requests,
        total.responses,
        total.errors,
        total.exclusions,
        total.lost_members,
        total.pair_mismatches,
        total.wall_seconds / 60.0,
        total.cpu_seconds / 60.0,
        total.peak_mib
    );
}

fn table(summary: &Summary, text: &mut String) {
    text.push_str(
        "## Services\n\n`build s` is the cold build stage (client facts, harness code, `cargo \
         build` of the client and its harness), `CPU s` the CPU time of the whole partition \
         (cargo, rustc, harness), `peak MiB` its largest process. Partition 1 also builds the \
         dependencies every client shares.\n\n\
         | service | client | protocol | ops | requests | responses | errors | files | excluded | lost | outcome | part | build s | wall s | CPU s | peak MiB |\n\
         |---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|\n",
    );
    for row in &summary.services {
        let excluded: usize = row.exclusions.iter().map(|group| group.count).sum();
        let outcome = match &row.outcome {
            Outcome::Written => "ok",
            Outcome::BuildFailed { .. } => "build failed",
            Outcome::NothingWritten => "nothing written",
            Outcome::Stopped { .. } => "stopped",
            Outcome::NotRun => "not run",
            Outcome::Unpaired { .. } => "unpaired",
        };
        let cost = row.cost.map_or_else(
            || "| | | | ".to_owned(),
            |cost| {
                format!(
                    "| {:.1} | {:.1} | {:.1} | {} ",
                    cost.build_seconds, cost.wall_seconds, cost.cpu_seconds, cost.peak_mib
                )
            },
        );
        let _ = writeln!(
            text,
            "| {} | {} {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} {}|",
            row.name,
            row.crate_name,
            row.version,
            row.protocol,
            row.operations,
            row.requests,
            row.responses,
            row.errors,
            row.snapshot_files,
            excluded,
            row.lost_members.len(),
            outcome,
            row.partition,
            cost
        );
    }
}

fn failing(summary: &Summary, text: &mut String) {
    text.push_str("\n## Failing services\n\n");
    let failing: Vec<_> = summary
        .services
        .iter()
        .filter(|row| row.outcome.is_failure())
        .collect();
    if failing.is_empty() {
        text.push_str("None.\n");
    }
    for row in failing {
        let _ = writeln!(
            text,
            "- **{}** ({} {}): {}",
            row.name,
            row.crate_name,
            row.version,
            escape(&row.outcome.describe())
        );
    }
}

/// Exclusions grouped by stage, scope and reason across services, most frequent first.
fn exclusions(summary: &Summary, text: &mut String) {
    text.push_str("\n## Exclusions by reason\n\n");
    let mut groups: BTreeMap<(String, String, String), (usize, Vec<&str>)> = BTreeMap::new();
    for row in &summary.services {
        for group in &row.exclusions {
            let entry = groups
                .entry((
                    group.stage.to_string(),
                    group.scope.to_string(),
                    group.reason.clone(),
                ))
                .or_default();
            entry.0 += group.count;
            entry.1.push(&row.name);
        }
    }
    if groups.is_empty() {
        text.push_str("None.\n");
        return;
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    groups.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(&b.0)));
    text.push_str("| count | stage | scope | reason | services |\n|---:|---|---|---|---|\n");
    for ((stage, scope, reason), (count, services)) in groups {
        let _ = writeln!(
            text,
            "| {count} | {stage} | {scope} | {} | {} |",
            escape(&reason),
            services.join(", ")
        );
    }
}

fn lost_members(summary: &Summary, text: &mut String) {
    text.push_str(
        "\n## Lost members\n\nMembers set in a generated output or error that the client did \
         not give back (the round trip of the response or error snapshot).\n\n",
    );
    let mut any = false;
    for row in &summary.services {
        for lost in &row.lost_members {
            any = true;
            let _ = writeln!(
                text,
                "- {}: {} ({}): `{}`",
                row.name, lost.subject, lost.case, lost.path
            );
        }
    }
    if !any {
        text.push_str("None.\n");
    }
}

fn pairs(summary: &Summary, text: &mut String) {
    text.push_str(
        "\n## Crate/model pairs whose operations differ\n\nNo release the pairing rule tried has \
         exactly the model's operations (see `xtask/src/aws_pairing.rs`); the first candidate \
         is paired.\n\n",
    );
    let mut any = false;
    for row in &summary.services {
        if let Some(difference) = &row.operations_differ {
            any = true;
            let _ = writeln!(
                text,
                "- {} ({} {}): {}",
                row.name,
                row.crate_name,
                row.version,
                difference.describe()
            );
        }
    }
    if !any {
        text.push_str("None.\n");
    }
}

fn projection(summary: &Summary, text: &mut String) {
    let Some(projection) = &summary.projection else {
        text.push_str(
            "\n## Projection\n\nNot enough measured partitions to fit a per-client cost.\n",
        );
        return;
    };
    let _ = write!(
        text,
        "\n## Projection for all {} models ({} operations)\n\n\
         CPU time per client, fitted to {} measured partitions: {:.1} s + {:.2} s per operation; \
         the dependencies every client shares: {:.0} s once per job with a cold cache. The \
         largest model, {} ({} operations), is projected at {:.0} s. A 2-core job's wall time \
         is taken as its CPU time / 2, at least the shared dependencies / 2 plus its largest \
         client. CPU time was measured under the load of a shared machine, so these are upper \
         bounds for dedicated runners; the fit comes from small clients, so large ones are \
         extrapolated.\n\n\
         | parallel 2-core jobs | projected wall time, cold | busiest job (models, operations) |\n\
         |---:|---:|---|\n",
        projection.all_models,
        projection.all_operations,
        projection.fitted_partitions,
        projection.fixed_cpu_seconds,
        projection.per_operation_cpu_seconds,
        projection.shared_cpu_seconds,
        projection.largest.0,
        projection.largest.1,
        projection.largest.2,
    );
    for jobs in &projection.jobs {
        let _ = writeln!(
            text,
            "| {} | {:.0} min | {}, {} |",
            jobs.jobs,
            jobs.wall_seconds / 60.0,
            jobs.busiest.0,
            jobs.busiest.1
        );
    }
}

fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
