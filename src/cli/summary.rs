//! The end-of-run summary on stderr: totals, per-rule counts, skipped files,
//! guard trips and errors.

use std::io::Write;
use std::path::Path;

use cruftless::corpus::Summary;
use cruftless::{GuardTrip, Owner, RuleSet};

use super::ExitStatus;

/// Prints `summary`; with `errors_only`, just the failures.
pub fn print(rules: &RuleSet, summary: &Summary, errors_only: bool) {
    let mut err = std::io::stderr().lock();
    let _ = write(&mut err, rules, summary, errors_only);
}

/// How a cleaning run ends: its summary printed (with `quiet`, only when
/// something failed, and then only the failures) and the exit status it
/// gives.
pub fn finish(rules: &RuleSet, summary: &Summary, quiet: bool) -> ExitStatus {
    if !quiet || summary.failed() {
        print(rules, summary, quiet);
    }
    if summary.failed() {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    }
}

fn write(
    out: &mut dyn Write,
    rules: &RuleSet,
    s: &Summary,
    errors_only: bool,
) -> std::io::Result<()> {
    if !errors_only {
        let secs = s.elapsed.as_secs_f64();
        let share = if s.bytes_in > 0 {
            100.0 * (1.0 - s.bytes_out as f64 / s.bytes_in as f64)
        } else {
            0.0
        };
        writeln!(
            out,
            "cleaned {} document{} ({} changed) in {:.2} s ({:.1} MB/s): {} → {} bytes (-{:.1} %), {} line{} removed",
            s.documents,
            plural(s.documents),
            s.changed,
            secs,
            s.bytes_in as f64 / 1e6 / secs.max(1e-9),
            s.bytes_in,
            s.bytes_out,
            share,
            s.lines_removed,
            plural(s.lines_removed),
        )?;
        let width = s
            .owners
            .keys()
            .map(|o| owner_name(rules, *o).len())
            .max()
            .unwrap_or(0);
        for (owner, count) in &s.owners {
            // a singular "document" padded to its plural, so the columns line up
            let pad = if count.documents == 1 { " " } else { "" };
            writeln!(
                out,
                "  {:<width$}  {:>6} document{}{pad}  {:>8} line{}",
                owner_name(rules, *owner),
                count.documents,
                plural(count.documents),
                count.lines,
                plural(count.lines),
            )?;
        }
        for (path, reason) in &s.skipped {
            writeln!(out, "skipped {}: {reason}", path.display())?;
        }
        for (path, trip) in &s.tripped {
            write_trip(out, rules, path, trip)?;
        }
    }
    for error in &s.errors {
        writeln!(out, "error: {error}")?;
    }
    if !s.errors.is_empty() {
        writeln!(
            out,
            "{} document{} failed",
            s.errors.len(),
            plural(s.errors.len())
        )?;
    }
    Ok(())
}

/// The line saying the over-strip guard left a document unchanged.
pub fn write_trip(
    out: &mut dyn Write,
    rules: &RuleSet,
    path: &Path,
    trip: &GuardTrip,
) -> std::io::Result<()> {
    let top = trip
        .top_rule
        .map_or_else(|| "-".to_string(), |id| rules.name(id));
    writeln!(
        out,
        "guard: left {} unchanged: cleaning would remove {:.0} % of its text and keep {} words (most removed by {top}); --force obeys",
        path.display(),
        trip.removed_share * 100.0,
        trip.kept_words,
    )
}

/// `pack/id`, or `tidy`.
pub fn owner_name(rules: &RuleSet, owner: Owner) -> String {
    match owner {
        Owner::Rule(id) => rules.name(id),
        Owner::Tidy => "tidy".to_string(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
