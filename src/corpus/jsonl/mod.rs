//! JSON Lines: streams of records, each a JSON object on one line whose text
//! field is a document.
//!
//! A stream is read in batches of [`BATCH`] lines; each batch is processed in
//! parallel with rayon while the next one is read and the one before
//! reaches the caller's sink in input order, so memory is bounded by two
//! batches, not the stream, and the output is the same bytes whatever the
//! thread count. [`for_each_grouped`] is that
//! loop: it parses the records and places each in its group (a site, from
//! [`JsonlOptions::group_field`]) before the work (clean, check, diff,
//! learn); [`RecordCleaner`] is the `clean` job on it.
//!
//! Records are edited in place: the text field's value is replaced by the
//! cleaned string and every other byte of the line (other fields, key order,
//! spacing, escapes, the line ending) is kept as it was. A record whose text
//! is unchanged is written back byte for byte. A line that is not a JSON
//! object with a string field is an [`InvalidRecord`]: reported with its line
//! number and passed through unchanged (or dropped), never fatal.
//!
//! Inputs named `*.gz` (gzip) or `*.zst` (Zstandard) are decompressed on the
//! fly ([`open`]).

mod clean;
mod record;

use std::io::{self, BufRead};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

pub use clean::RecordCleaner;
pub use record::{url_host, InvalidRecord, Record};

use super::{Entry, InputError, Pool};

/// Lines (records, blank and invalid ones) per parallel batch.
pub const BATCH: usize = 500;
/// The name of the annotation field.
pub const ANNOTATION: &str = "cruftless";

/// How records are handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlOptions {
    /// The field holding the text to clean (default `text`).
    pub field: String,
    /// The field that groups records into sites for counting (`learn`,
    /// `repeated` rules); see [`Record::group`]. `None`: all records of a
    /// run form one group.
    pub group_field: Option<String>,
    /// Add the `cruftless` field describing the removals (not to a text
    /// field of that name, which keeps its cleaned text).
    pub annotate: bool,
    /// Drop invalid records instead of passing them through (they are reported either way).
    pub drop_invalid: bool,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions {
            field: "text".to_string(),
            group_field: None,
            annotate: false,
            drop_invalid: false,
        }
    }
}

impl JsonlOptions {
    /// How the records are grouped, as saved in counts: `jsonl:FIELD`, or
    /// `jsonl` when all records form one group.
    pub fn grouping(&self) -> String {
        match &self.group_field {
            Some(field) => format!("jsonl:{field}"),
            None => "jsonl".to_string(),
        }
    }
}

/// Why a stream stopped: its input could not be read, or its output not written.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading the input failed (the batches read in full before it were
    /// handled, the lines read since were not).
    #[error("cannot read: {0}")]
    Read(#[source] io::Error),
    /// The sink failed to write.
    #[error("cannot write: {0}")]
    Write(#[source] io::Error),
}

/// What one line of a stream is.
#[derive(Debug)]
pub enum Line<T> {
    /// A blank line.
    Blank,
    /// Not a record, and why.
    Invalid(InvalidRecord),
    /// A record, and what the work made of it.
    Record(T),
}

/// Positions of records in their groups: the next record of a group is its
/// `n`th, in input order, counted on across the streams of one run.
#[derive(Debug, Default)]
pub struct GroupOrder {
    next: FxHashMap<String, u32>,
}

impl GroupOrder {
    /// The position of the next record of `group` (0 for its first).
    pub fn next(&mut self, group: &str) -> u32 {
        match self.next.get_mut(group) {
            Some(next) => {
                *next += 1;
                *next - 1
            }
            None => {
                self.next.insert(group.to_string(), 1);
                0
            }
        }
    }
}

/// Up to [`BATCH`] lines of a stream, endings included, one after the other
/// in one buffer, reused from batch to batch: no allocation a line (and its
/// regrowths), nor a batch.
#[derive(Debug, Default)]
struct LineBatch {
    bytes: Vec<u8>,
    /// Where each line ends in `bytes`.
    ends: Vec<usize>,
}

impl LineBatch {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Line `i`, its ending included.
    fn line(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn lines(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).map(|i| self.line(i))
    }
}

/// The largest buffer kept for the next batch: after a batch that held a
/// huge record, the next one starts with a new buffer.
const MAX_KEPT_BUFFER: usize = 16 << 20;

/// Reads up to [`BATCH`] lines from `reader` into `batch`, emptied first (a
/// batch done with, whose buffers are reused: a stream allocates three,
/// not one a batch); an empty batch at the end of the stream.
fn read_batch(reader: &mut dyn BufRead, mut batch: LineBatch) -> io::Result<LineBatch> {
    if batch.bytes.capacity() > MAX_KEPT_BUFFER {
        batch = LineBatch::default();
    }
    batch.bytes.clear();
    batch.ends.clear();
    while batch.len() < BATCH {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if buffer.is_empty() {
            // the end of the stream, after a last line with no ending
            if batch.bytes.len() > batch.ends.last().copied().unwrap_or(0) {
                batch.ends.push(batch.bytes.len());
            }
            break;
        }
        let (taken, line_ends) = match memchr::memchr(b'\n', buffer) {
            Some(newline) => (newline + 1, true),
            None => (buffer.len(), false),
        };
        batch.bytes.extend_from_slice(&buffer[..taken]);
        reader.consume(taken);
        if line_ends {
            batch.ends.push(batch.bytes.len());
        }
    }
    Ok(batch)
}

/// A record of a stream as [`for_each_grouped`] hands it to its work.
#[derive(Debug)]
pub struct Member<'a> {
    /// Its 1-based line number in the stream.
    pub number: usize,
    /// The record.
    pub record: Record<'a>,
    /// Its position among the records of its group, in input order.
    pub position: u32,
}

impl Member<'_> {
    /// The record as [`Cleaner::clean_members`](crate::Cleaner::clean_members)
    /// takes it: its group, its position in the group and its text.
    pub fn place(&self) -> (&str, u32, &[u8]) {
        (
            self.record.group(),
            self.position,
            self.record.text().as_bytes(),
        )
    }
}

/// Reads `reader` line by line in batches of [`BATCH`] (`threads` = 0 uses
/// every core; memory is bounded by two batches). Each line is parsed (in
/// parallel) with `options`' text and group fields; each record is then
/// given its position in its group from `order`, in input order; `work`
/// runs on runs of up to [`crate::corpus::BATCH`] records in a row (in
/// parallel; shorter runs when there are many threads) and returns what it
/// made of each, in order; `sink` gets every line in order: blank, invalid,
/// or what `work` made of the record. The positions are the same whatever
/// the thread count. The workers map one batch while this thread reads the
/// next and hands the last one to `sink`, so they do not wait for either.
///
/// # Errors
/// The first read error, or the first error `sink` returns; the stream stops
/// there: after a read error, once the batches read in full before it have
/// reached `sink`; after a sink error at once, though the batch after the
/// failed one has been mapped and its records counted in `order`.
///
/// # Panics
/// When `work` does not return one result per record; a panic in `work`
/// is resumed on the calling thread.
pub fn for_each_grouped<T, W, S>(
    reader: &mut dyn BufRead,
    threads: usize,
    options: &JsonlOptions,
    order: &mut GroupOrder,
    work: W,
    mut sink: S,
) -> Result<(), StreamError>
where
    T: Send,
    W: Fn(Vec<Member<'_>>) -> Vec<T> + Sync,
    S: FnMut(usize, &[u8], Line<T>) -> io::Result<()>,
{
    let pool = Pool::new(threads);
    let pool = &pool;
    let work = &work;
    std::thread::scope(|scope| {
        let mut first = 1;
        // the buffers of the batch last handed to `sink`, for the next read
        let mut spare = LineBatch::default();
        let mut order = Some(order);
        let mut mapping: Option<std::thread::ScopedJoinHandle<'_, _>> = None;
        loop {
            // the next batch is read while the workers map the last one
            let read = read_batch(reader, std::mem::take(&mut spare));
            let done: Option<Mapped<T>> = mapping.take().map(|job| {
                let (mapped, back) = job
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                order = Some(back);
                mapped
            });
            let mut failed = None;
            match read {
                Ok(batch) if !batch.is_empty() => {
                    let order = order.take().expect("the batch before is mapped");
                    let at = first;
                    first += batch.len();
                    mapping = Some(scope.spawn(move || {
                        let lines =
                            pool.install(|| map_batch(at, &batch, options, pool, order, work));
                        let mapped = Mapped {
                            first: at,
                            batch,
                            lines,
                        };
                        (mapped, order)
                    }));
                }
                Ok(_) => {}
                // the batch mapped before the error still reaches the sink
                Err(err) => failed = Some(err),
            }
            if let Some(done) = done {
                for (i, (line, parsed)) in done.batch.lines().zip(done.lines).enumerate() {
                    if let Err(err) = sink(done.first + i, line, parsed) {
                        // wait for the batch being mapped here, so that a
                        // panic in it cannot replace this error
                        if let Some(job) = mapping {
                            let _ = job.join();
                        }
                        return Err(StreamError::Write(err));
                    }
                }
                spare = done.batch;
            }
            if let Some(err) = failed {
                return Err(StreamError::Read(err));
            }
            if mapping.is_none() {
                return Ok(());
            }
        }
    })
}

/// A batch of lines as [`map_batch`] made it: its lines (the first is line
/// `first` of the stream) and what each one is.
struct Mapped<T> {
    first: usize,
    batch: LineBatch,
    lines: Vec<Line<T>>,
}

/// Parses the lines of one batch (the first is line `first` of the stream),
/// places the records in their groups and runs `work` on them, in `pool`.
fn map_batch<T, W>(
    first: usize,
    batch: &LineBatch,
    options: &JsonlOptions,
    pool: &Pool,
    order: &mut GroupOrder,
    work: &W,
) -> Vec<Line<T>>
where
    T: Send,
    W: Fn(Vec<Member<'_>>) -> Vec<T> + Sync,
{
    let group_field = options.group_field.as_deref();
    let parsed: Vec<Line<Record<'_>>> = (0..batch.len())
        .into_par_iter()
        .map(|i| {
            let line = batch.line(i);
            if crate::text::is_blank(line) {
                return Line::Blank;
            }
            match Record::parse_grouped(line, &options.field, group_field) {
                Ok(record) => Line::Record(record),
                Err(err) => Line::Invalid(err),
            }
        })
        .collect();
    // the records go to `work` in runs, and the other lines wait here;
    // runs are shorter than a batch when that gives each thread several
    let run_len = (batch.len() / (4 * pool.threads())).clamp(1, crate::corpus::BATCH);
    let mut runs: Vec<Vec<Member<'_>>> = Vec::new();
    let lines: Vec<Line<()>> = parsed
        .into_iter()
        .enumerate()
        .map(|(i, line)| match line {
            Line::Blank => Line::Blank,
            Line::Invalid(err) => Line::Invalid(err),
            Line::Record(record) => {
                let member = Member {
                    number: first + i,
                    position: order.next(record.group()),
                    record,
                };
                match runs.last_mut().filter(|run| run.len() < run_len) {
                    Some(run) => run.push(member),
                    None => runs.push(vec![member]),
                }
                Line::Record(())
            }
        })
        .collect();
    let results: Vec<Vec<T>> = runs
        .into_par_iter()
        .map(|run| {
            let len = run.len();
            let results = work(run);
            assert_eq!(results.len(), len, "one result per record");
            results
        })
        .collect();
    let mut results = results.into_iter().flatten();
    lines
        .into_iter()
        .map(|line| match line {
            Line::Blank => Line::Blank,
            Line::Invalid(err) => Line::Invalid(err),
            Line::Record(()) => Line::Record(results.next().expect("one result per record")),
        })
        .collect()
}

/// The error naming an invalid record: `NAME: line N: invalid record: why`.
pub fn invalid_error(name: &Path, number: usize, err: &InvalidRecord) -> InputError {
    InputError::new(name, format!("line {number}: invalid record: {err}"))
}

/// The error naming a stream whose reading failed midway; `done` says what
/// became of the records before it (`written`, `counted`): those of the
/// batches read in full, up to [`BATCH`] lines before the failure.
pub fn read_error(name: &Path, err: &io::Error, done: &str) -> InputError {
    let cause = InputError::io(name, err).message;
    InputError::new(
        name,
        format!("read failed ({cause}); the records before it were {done}"),
    )
}

/// How a stream is compressed, by its file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    fn of(path: &Path) -> Compression {
        match path.extension().and_then(|ext| ext.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// Opens a JSON Lines input for reading: standard input for `-`, a file
/// otherwise, decompressed on the fly when its name ends in `.gz` or `.zst`.
///
/// # Errors
/// The path and the I/O error.
pub fn open(entry: &Entry) -> Result<Box<dyn BufRead>, InputError> {
    open_with(entry, |file| file)
}

/// As [`open`], with the file's bytes read through `wrap` before they are
/// decompressed: how a caller counts the bytes read, for a progress bar
/// (standard input is not wrapped).
///
/// # Errors
/// The path and the I/O error.
pub fn open_with<R: io::Read + 'static>(
    entry: &Entry,
    wrap: impl FnOnce(std::fs::File) -> R,
) -> Result<Box<dyn BufRead>, InputError> {
    if entry.is_stdin() {
        return Ok(Box::new(io::BufReader::new(io::stdin())));
    }
    let file = std::fs::File::open(&entry.path).map_err(|e| InputError::io(&entry.path, &e))?;
    let file = wrap(file);
    Ok(match Compression::of(&entry.path) {
        Compression::None => Box::new(io::BufReader::new(file)),
        Compression::Gzip => {
            let decoder = flate2::read::MultiGzDecoder::new(io::BufReader::new(file));
            Box::new(io::BufReader::new(decoder))
        }
        Compression::Zstd => {
            let decoder = zstd::stream::read::Decoder::new(file)
                .map_err(|e| InputError::io(&entry.path, &e))?;
            Box::new(io::BufReader::new(decoder))
        }
    })
}

/// Where a JSON Lines input goes under an output folder: its mirrored path,
/// without the `.gz` or `.zst` of a compressed input (outputs are not compressed).
pub fn output_path(entry: &Entry) -> PathBuf {
    match Compression::of(&entry.out_rel) {
        Compression::None => entry.out_rel.clone(),
        Compression::Gzip | Compression::Zstd => entry.out_rel.with_extension(""),
    }
}

/// The input as named in reports: its path, or `<stdin>` for standard
/// input (spooled or not, see [`spool_stdin`]).
pub fn stream_name(entry: &Entry) -> PathBuf {
    if entry.rel.as_os_str() == "-" {
        PathBuf::from("<stdin>")
    } else {
        entry.path.clone()
    }
}

/// Copies standard input, when an entry reads it, into a temporary file and
/// points those entries at it, so that it can be read twice (as `learn`
/// does); they are still named `<stdin>`. The file is deleted when the
/// returned handle is dropped. Memory stays constant: the copy streams.
///
/// # Errors
/// Creating or writing the temporary file, or reading standard input.
pub fn spool_stdin(entries: &mut [Entry]) -> io::Result<Option<tempfile::NamedTempFile>> {
    if !entries.iter().any(Entry::is_stdin) {
        return Ok(None);
    }
    let mut file = tempfile::NamedTempFile::new()?;
    io::copy(&mut io::stdin().lock(), &mut file)?;
    for entry in entries.iter_mut().filter(|e| e.is_stdin()) {
        entry.path = file.path().to_path_buf();
    }
    Ok(Some(file))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `for_each_grouped` hands its sink for each line of `input`
    /// (records grouped by their `site` field), on `threads` threads.
    fn grouped<T: Send>(
        input: &str,
        threads: usize,
        order: &mut GroupOrder,
        work: impl Fn(Vec<Member<'_>>) -> Vec<T> + Sync,
    ) -> Vec<Line<T>> {
        let options = JsonlOptions {
            group_field: Some("site".to_string()),
            ..JsonlOptions::default()
        };
        let mut seen = Vec::new();
        for_each_grouped(
            &mut input.as_bytes(),
            threads,
            &options,
            order,
            work,
            |_, _, line| {
                seen.push(line);
                Ok(())
            },
        )
        .unwrap();
        seen
    }

    /// A reader whose every other read is interrupted, as a signal can.
    struct Stutter<'a> {
        bytes: &'a [u8],
        interrupt: bool,
    }

    impl io::Read for Stutter<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.interrupt = !self.interrupt;
            if self.interrupt {
                return Err(io::ErrorKind::Interrupted.into());
            }
            self.bytes.read(buf)
        }
    }

    #[test]
    fn batches_hold_every_line_whole_whatever_the_reader_buffer() {
        // lines longer and shorter than the reader's buffer, blank ones,
        // `\r\n`, then more than a batch; the stream ends with a line
        // ending, or with a last line without one
        let mut text: Vec<u8> = b"{\"text\": \"a long line\"}\n\n\r\nx\r\n".to_vec();
        text.extend((0..BATCH + 2).flat_map(|i| format!("{i}\n").into_bytes()));
        let ended = text.clone();
        text.extend_from_slice(b"last");
        for (text, last_batch) in [(&text, 7), (&ended, 6)] {
            for buffer in [1, 3, 8192] {
                let stutter = Stutter {
                    bytes: text,
                    interrupt: false,
                };
                let mut reader = io::BufReader::with_capacity(buffer, stutter);
                let mut lines: Vec<Vec<u8>> = Vec::new();
                let mut sizes = Vec::new();
                // each batch reuses the one before, as a stream does
                let mut batch = LineBatch::default();
                loop {
                    batch = read_batch(&mut reader, batch).unwrap();
                    if batch.is_empty() {
                        break;
                    }
                    sizes.push(batch.len());
                    lines.extend(batch.lines().map(<[u8]>::to_vec));
                }
                let want: Vec<&[u8]> = text.split_inclusive(|&b| b == b'\n').collect();
                assert_eq!(lines, want, "buffer {buffer}");
                assert_eq!(sizes, [BATCH, last_batch], "buffer {buffer}");
            }
        }
    }

    #[test]
    fn records_get_their_position_in_their_group_in_input_order() {
        let input = "{\"site\":\"a\",\"text\":\"\"}\n\n{\"site\":\"b\",\"text\":\"\"}\nnot json\n{\"site\":\"a\",\"text\":\"\"}\n{\"text\":\"\"}\n";
        for threads in [1, 3] {
            let mut order = GroupOrder::default();
            let work = |run: Vec<Member<'_>>| {
                run.into_iter()
                    .map(|m| (m.number, m.record.group().to_string(), m.position))
                    .collect()
            };
            let seen: Vec<String> = grouped(input, threads, &mut order, work)
                .into_iter()
                .map(|line| match line {
                    Line::Blank => "blank".to_string(),
                    Line::Invalid(_) => "invalid".to_string(),
                    Line::Record((n, group, position)) => format!("{n}:{group}:{position}"),
                })
                .collect();
            assert_eq!(
                seen,
                ["1:a:0", "blank", "3:b:0", "invalid", "5:a:1", "6::0"]
            );
            // a second stream of the same run goes on counting
            assert_eq!(order.next("a"), 2);
        }
    }

    /// Lines of records, then a read error.
    struct FailingReader {
        lines: io::Cursor<Vec<u8>>,
    }

    impl io::Read for FailingReader {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match self.lines.read(buf)? {
                0 => Err(io::Error::other("disk on fire")),
                n => Ok(n),
            }
        }
    }

    #[test]
    fn a_stream_stops_at_a_read_error_or_a_write_error() {
        let record = |i: usize| format!("{{\"site\":\"s\",\"text\":\"{i}\"}}\n");
        // two full batches and part of a third, then the error
        let text: String = (0..2 * BATCH + 3).map(record).collect();
        let work = |run: Vec<Member<'_>>| run.into_iter().map(|m| m.number).collect();
        for threads in [0, 1, 3] {
            let mut reader = io::BufReader::new(FailingReader {
                lines: io::Cursor::new(text.clone().into_bytes()),
            });
            let mut numbers = Vec::new();
            let streamed = for_each_grouped(
                &mut reader,
                threads,
                &JsonlOptions::default(),
                &mut GroupOrder::default(),
                work,
                |number, _, line| {
                    assert!(matches!(line, Line::Record(n) if n == number));
                    numbers.push(number);
                    Ok(())
                },
            );
            assert!(
                matches!(streamed, Err(StreamError::Read(_))),
                "{threads} threads"
            );
            // the batches read in full reach the sink, in order; the rest does not
            let in_order = numbers.iter().enumerate().all(|(i, &n)| n == i + 1);
            assert!(in_order && numbers.len() == 2 * BATCH, "{threads} threads");
            // a sink that fails stops the stream at once; the batch after
            // the failed one was mapped meanwhile
            let mut calls = 0;
            let mut order = GroupOrder::default();
            let streamed = for_each_grouped(
                &mut text.as_bytes(),
                threads,
                &JsonlOptions::default(),
                &mut order,
                work,
                |number, _, _| {
                    calls += 1;
                    match number {
                        7 => Err(io::Error::other("stdout closed")),
                        _ => Ok(()),
                    }
                },
            );
            assert!(
                matches!(streamed, Err(StreamError::Write(_))),
                "{threads} threads"
            );
            assert_eq!(order.next(""), 2 * BATCH as u32, "{threads} threads");
            assert_eq!(calls, 7, "{threads} threads");
        }
    }

    #[test]
    fn records_in_many_runs_come_back_in_input_order() {
        // more records than a read batch holds, with blank lines between
        // some: positions carry on from batch to batch
        let records = 2 * BATCH + 5;
        let input: String = (0..records)
            .map(|i| {
                let blank = if i % 7 == 0 { "\n" } else { "" };
                format!("{blank}{{\"site\":\"{}\",\"text\":\"{i}\"}}\n", i % 2)
            })
            .collect();
        // many threads make runs shorter than corpus::BATCH
        for threads in [1, 3, 40] {
            let work = |run: Vec<Member<'_>>| {
                assert!(run.len() <= crate::corpus::BATCH);
                run.into_iter()
                    .map(|m| (m.record.text().to_string(), m.position))
                    .collect()
            };
            let seen: Vec<(String, u32)> =
                grouped(&input, threads, &mut GroupOrder::default(), work)
                    .into_iter()
                    .filter_map(|line| match line {
                        Line::Record(record) => Some(record),
                        _ => None,
                    })
                    .collect();
            let want: Vec<(String, u32)> = (0..records)
                .map(|i| (i.to_string(), (i / 2) as u32))
                .collect();
            assert_eq!(seen, want, "{threads} threads");
        }
    }

    #[test]
    fn compressed_inputs_are_named_by_extension_and_mirrored_plain() {
        let entry = |name: &str| Entry {
            path: PathBuf::from(name),
            rel: PathBuf::from(name),
            out_rel: PathBuf::from(name),
        };
        let cases: &[(&str, &str)] = &[
            ("a.jsonl", "a.jsonl"),
            ("d/a.jsonl.gz", "d/a.jsonl"),
            ("a.jsonl.zst", "a.jsonl"),
        ];
        for (name, want) in cases {
            assert_eq!(output_path(&entry(name)), PathBuf::from(want), "{name}");
        }
        assert_eq!(stream_name(&entry("-")), PathBuf::from("<stdin>"));
        assert_eq!(stream_name(&entry("a.jsonl")), PathBuf::from("a.jsonl"));
    }

    #[test]
    fn open_with_reads_every_stored_byte_through_the_wrapper_and_decompresses_after() {
        use std::io::{Read, Write};
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;

        /// Counts the bytes read through it.
        struct Counting<R>(R, Arc<AtomicUsize>);
        impl<R: Read> Read for Counting<R> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.0.read(buf)?;
                self.1.fetch_add(n, Ordering::Relaxed);
                Ok(n)
            }
        }

        let dir = tempfile::tempdir().unwrap();
        let text = "{\"text\":\"Sign in\"}\n".repeat(5_000);
        let plain = dir.path().join("a.jsonl");
        std::fs::write(&plain, &text).unwrap();
        let gz = dir.path().join("a.jsonl.gz");
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
        for path in [plain, gz] {
            let entry = Entry {
                path: path.clone(),
                rel: path.clone(),
                out_rel: path.clone(),
            };
            let read = Arc::new(AtomicUsize::new(0));
            let counter = Arc::clone(&read);
            let mut reader = open_with(&entry, |file| Counting(file, counter)).unwrap();
            let mut out = String::new();
            reader.read_to_string(&mut out).unwrap();
            assert_eq!(out, text, "{}", path.display());
            let stored = std::fs::metadata(&path).unwrap().len() as usize;
            assert_eq!(read.load(Ordering::Relaxed), stored, "{}", path.display());
        }
    }
}
