//! One limit policy for every archive and every decoder: how many zip entries, how
//! many unpacked bytes in all, what compression ratio, how many rows and cells a file
//! may bring. DOCX plans and XLSX actuals open their zip through [`Archive`]; the
//! DOCX, XLSX and CSV readers count rows and cells with [`Grid`].
//!
//! Sizes written in a zip are only claims: [`Archive::open`] refuses a file whose
//! claims are already too large, and every read inflates through one shared budget,
//! so a lying header costs at most [`Limits::max_unpacked`] bytes of work and memory.

use std::fmt;
use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

/// The numbers of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries in one zip (a DOCX has a few dozen, an XLSX a dozen).
    pub max_entries: usize,
    /// Most bytes all entries of one zip may unpack to.
    pub max_unpacked: u64,
    /// Highest unpacked/packed ratio of an entry larger than [`Limits::ratio_floor`].
    pub max_ratio: u64,
    /// Entries up to this many unpacked bytes are not held to the ratio (small XML
    /// parts of repeated markup compress very well and are harmless).
    pub ratio_floor: u64,
    /// Most rows of one table (a sheet, a CSV file).
    pub max_rows: usize,
    /// Most cells of one table, counting the empty ones a row's width implies.
    pub max_cells: usize,
}

/// The policy every reader uses.
pub const LIMITS: Limits = Limits {
    max_entries: 10_000,
    max_unpacked: 64 << 20,
    max_ratio: 100,
    ratio_floor: 1 << 20,
    max_rows: 200_000,
    max_cells: 4_000_000,
};

/// Which limit a file broke, with the numbers; the message is for people (zh-CN).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitError {
    /// Not a readable zip.
    Corrupt(String),
    /// More entries than [`Limits::max_entries`].
    Entries(usize),
    /// Unpacks to more than [`Limits::max_unpacked`] bytes.
    Unpacked(u64),
    /// An entry compressed more than [`Limits::max_ratio`] to one.
    Ratio {
        /// Entry name.
        entry: String,
        /// Its ratio.
        ratio: u64,
    },
    /// More rows than [`Limits::max_rows`].
    Rows(usize),
    /// More cells than [`Limits::max_cells`].
    Cells(usize),
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = LIMITS;
        match self {
            LimitError::Corrupt(why) => write!(f, "压缩包已损坏({why})"),
            LimitError::Entries(n) => write!(
                f,
                "压缩包内文件过多({n} 个,上限 {} 个),疑似压缩炸弹",
                l.max_entries
            ),
            LimitError::Unpacked(n) => write!(
                f,
                "解压后超过 {} MB(至少 {} MB),疑似压缩炸弹",
                l.max_unpacked >> 20,
                n >> 20
            ),
            LimitError::Ratio { entry, ratio } => write!(
                f,
                "压缩包内 {entry} 的压缩比为 {ratio}:1,超过上限 {}:1,疑似压缩炸弹",
                l.max_ratio
            ),
            LimitError::Rows(n) => write!(f, "表格超过 {} 行(至少 {n} 行)", l.max_rows),
            LimitError::Cells(n) => {
                write!(f, "表格超过 {} 个单元格(至少 {n} 个)", l.max_cells)
            }
        }
    }
}

impl std::error::Error for LimitError {}

/// A zip held to [`LIMITS`]: its entry count and claimed sizes checked when opened,
/// its reads drawn from one budget of unpacked bytes.
pub struct Archive<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Unpacked bytes still allowed.
    budget: u64,
}

impl<'a> Archive<'a> {
    /// Open a zip, refusing it if its entry count or claimed sizes break the policy.
    pub fn open(bytes: &'a [u8]) -> Result<Archive<'a>, LimitError> {
        // The end record's count is read before the zip library indexes every entry.
        if let Some(entries) = declared_entries(bytes) {
            check_entries(entries)?;
        }
        let mut zip =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| LimitError::Corrupt(e.to_string()))?;
        check_entries(zip.len())?;
        let mut claimed: u64 = 0;
        let mut ratios = Ok(());
        for i in 0..zip.len() {
            let entry = zip.by_index_raw(i).map_err(corrupt)?;
            claimed = claimed.saturating_add(entry.size());
            if ratios.is_ok() {
                ratios = check_ratio(entry.name(), entry.size(), entry.compressed_size());
            }
        }
        // The total says more about a bomb than one entry's ratio: report it first.
        if claimed > LIMITS.max_unpacked {
            return Err(LimitError::Unpacked(claimed));
        }
        ratios?;
        Ok(Archive {
            zip,
            budget: LIMITS.max_unpacked,
        })
    }

    /// Whether an entry of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// Inflate one entry (`None` if absent), whatever its header claims, within the budget.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, LimitError> {
        let Some(index) = self.zip.index_for_name(name) else {
            return Ok(None);
        };
        self.read_index(index).map(Some)
    }

    /// Inflate every entry once, within the budget: the check to run before handing the
    /// bytes to a library that inflates them itself (calamine for XLSX).
    pub fn inflate_all(&mut self) -> Result<(), LimitError> {
        for i in 0..self.zip.len() {
            self.read_index(i)?;
        }
        Ok(())
    }

    fn read_index(&mut self, index: usize) -> Result<Vec<u8>, LimitError> {
        let spent = LIMITS.max_unpacked - self.budget;
        let entry = self.zip.by_index(index).map_err(corrupt)?;
        let name = entry.name().to_string();
        let packed = entry.compressed_size();
        let mut buf = Vec::new();
        entry
            .take(self.budget + 1)
            .read_to_end(&mut buf)
            .map_err(|e| LimitError::Corrupt(format!("{name} 解压失败:{e}")))?;
        let len = buf.len() as u64;
        if len > self.budget {
            return Err(LimitError::Unpacked(spent + len));
        }
        check_ratio(&name, len, packed)?;
        self.budget -= len;
        Ok(buf)
    }
}

fn check_entries(entries: usize) -> Result<(), LimitError> {
    if entries > LIMITS.max_entries {
        return Err(LimitError::Entries(entries));
    }
    Ok(())
}

fn check_ratio(name: &str, unpacked: u64, packed: u64) -> Result<(), LimitError> {
    if unpacked <= LIMITS.ratio_floor {
        return Ok(());
    }
    let ratio = unpacked / packed.max(1);
    if ratio > LIMITS.max_ratio {
        return Err(LimitError::Ratio {
            entry: name.to_string(),
            ratio,
        });
    }
    Ok(())
}

fn corrupt(e: ZipError) -> LimitError {
    LimitError::Corrupt(e.to_string())
}

/// The entry count of the end-of-central-directory record.
fn declared_entries(bytes: &[u8]) -> Option<usize> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let tail_start = bytes.len().saturating_sub(22 + 65_535);
    let tail = &bytes[tail_start..];
    let pos = tail.windows(4).rposition(|w| w == EOCD)?;
    let record = tail.get(pos..pos + 22)?;
    Some(usize::from(u16::from_le_bytes([record[10], record[11]])))
}

/// Counts the rows and cells a reader materializes, against [`LIMITS`].
#[derive(Debug, Default)]
pub struct Grid {
    rows: usize,
    cells: usize,
}

impl Grid {
    /// Count one more row.
    pub fn row(&mut self) -> Result<(), LimitError> {
        self.rows += 1;
        if self.rows > LIMITS.max_rows {
            return Err(LimitError::Rows(self.rows));
        }
        Ok(())
    }

    /// Count `n` more cells (empty ones included: a row's width takes memory too);
    /// call it before allocating them.
    pub fn cells(&mut self, n: usize) -> Result<(), LimitError> {
        self.cells = self.cells.saturating_add(n);
        if self.cells > LIMITS.max_cells {
            return Err(LimitError::Cells(self.cells));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        zip_with(entries, zip::CompressionMethod::Deflated)
    }

    fn zip_with(entries: &[(&str, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, bytes) in entries {
            let options = SimpleFileOptions::default().compression_method(method);
            w.start_file(*name, options).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn ordinary_archives_open_and_read() {
        let bytes = zip_of(&[("a.xml", b"<a/>".to_vec()), ("b.xml", vec![b'x'; 5000])]);
        let mut a = Archive::open(&bytes).unwrap();
        assert!(a.contains("a.xml") && !a.contains("c.xml"));
        assert_eq!(a.read("a.xml").unwrap().unwrap(), b"<a/>");
        assert_eq!(a.read("c.xml").unwrap(), None);
        a.inflate_all().unwrap();
    }

    #[test]
    fn a_highly_compressed_entry_is_refused_by_its_ratio() {
        // 2 MB of zeros deflate to about 2 KB: a ratio near 1000:1.
        let bytes = zip_of(&[("xl/worksheets/sheet1.xml", vec![0; 2 << 20])]);
        let err = match Archive::open(&bytes) {
            Err(e) => e,
            Ok(_) => panic!("a 1000:1 entry must be refused"),
        };
        assert!(
            matches!(&err, LimitError::Ratio { entry, ratio } if entry == "xl/worksheets/sheet1.xml" && *ratio > 100),
            "{err:?}"
        );
        assert!(err.to_string().contains("压缩炸弹"), "{err}");
    }

    #[test]
    fn the_budget_is_shared_between_reads() {
        // Eight stored entries of 9 MB: each alone is fine, together they pass 64 MB.
        let names: Vec<String> = (0..8).map(|i| format!("part{i}.bin")).collect();
        let entries: Vec<(&str, Vec<u8>)> = names
            .iter()
            .map(|n| (n.as_str(), vec![7; 9 << 20]))
            .collect();
        let bytes = zip_with(&entries, zip::CompressionMethod::Stored);
        // The claimed sizes already add up to 72 MB.
        assert!(matches!(
            Archive::open(&bytes),
            Err(LimitError::Unpacked(n)) if n == 72 << 20
        ));
    }

    #[test]
    fn grids_count_rows_and_implied_cells() {
        let mut g = Grid::default();
        for _ in 0..LIMITS.max_rows {
            g.row().unwrap();
        }
        assert_eq!(g.row(), Err(LimitError::Rows(LIMITS.max_rows + 1)));
        let mut g = Grid::default();
        // One row 16384 columns wide (a stray cell in column XFD) is 16384 cells.
        g.cells(16_384).unwrap();
        assert_eq!(
            g.cells(LIMITS.max_cells),
            Err(LimitError::Cells(LIMITS.max_cells + 16_384))
        );
    }

    #[test]
    fn too_many_entries_are_refused_before_indexing() {
        let entries: Vec<(String, Vec<u8>)> = (0..=LIMITS.max_entries)
            .map(|i| (format!("{i}"), Vec::new()))
            .collect();
        let refs: Vec<(&str, Vec<u8>)> = entries
            .iter()
            .map(|(n, b)| (n.as_str(), b.clone()))
            .collect();
        let bytes = zip_of(&refs);
        assert!(matches!(
            Archive::open(&bytes),
            Err(LimitError::Entries(n)) if n == LIMITS.max_entries + 1
        ));
    }
}
