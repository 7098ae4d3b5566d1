//! Legacy Word formats (.doc, .wps, .rtf) through LibreOffice.
//!
//! `soffice --headless --convert-to docx` runs in a fresh temporary directory
//! (input, output and its own user profile, so concurrent conversions never share
//! a profile lock), in its own process group, and is killed with its children when
//! it overruns [`CONVERT_TIMEOUT`]. The DOCX it writes goes through our DOCX decoder.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{DecodeError, MAX_INPUT_BYTES};

/// Longest a conversion may run; a 200-page .doc converts in a few seconds.
pub const CONVERT_TIMEOUT: Duration = Duration::from_secs(120);

/// How often the running converter is checked.
const POLL: Duration = Duration::from_millis(50);

/// Environment variable naming the LibreOffice binary (default: `soffice` on PATH).
pub const SOFFICE_ENV: &str = "PLANWATCH_SOFFICE";

/// A legacy format recognised by its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legacy {
    /// OLE2 compound file: Word 97–2003 .doc or WPS .wps.
    Ole,
    /// Rich Text Format.
    Rtf,
}

impl Legacy {
    fn extension(self) -> &'static str {
        match self {
            Legacy::Ole => "doc",
            Legacy::Rtf => "rtf",
        }
    }
}

/// The legacy format of these bytes, if any. Spreadsheets and slides in OLE2 files
/// (.xls, .ppt) are not documents and are left alone.
pub fn sniff(bytes: &[u8], lower_path: &str) -> Option<Legacy> {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(b"{\\rtf") {
        return Some(Legacy::Rtf);
    }
    let other_office = [".xls", ".ppt", ".msg", ".et", ".dps"]
        .iter()
        .any(|ext| lower_path.ends_with(ext));
    (bytes.starts_with(OLE) && !other_office).then_some(Legacy::Ole)
}

/// Convert to DOCX bytes with LibreOffice.
pub fn to_docx(bytes: &[u8], kind: Legacy) -> Result<Vec<u8>, DecodeError> {
    let soffice = std::env::var(SOFFICE_ENV).unwrap_or_else(|_| "soffice".into());
    convert(bytes, kind, &soffice, CONVERT_TIMEOUT)
}

fn convert(
    bytes: &[u8],
    kind: Legacy,
    soffice: &str,
    timeout: Duration,
) -> Result<Vec<u8>, DecodeError> {
    let dir = tempfile::Builder::new()
        .prefix("planwatch-convert-")
        .tempdir()
        .map_err(|e| fail(format!("无法创建临时目录({e})")))?;
    let input = dir.path().join(format!("input.{}", kind.extension()));
    std::fs::write(&input, bytes).map_err(|e| fail(format!("无法写入临时文件({e})")))?;
    let out = dir.path().join("out");
    let profile = format!("file://{}", dir.path().join("profile").display());
    let mut command = Command::new(soffice);
    command
        .arg(format!("-env:UserInstallation={profile}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(&out)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DecodeError::Convert(
            "读取 .doc/.wps/.rtf 文件需要 LibreOffice:请安装 LibreOffice(Debian/Ubuntu:apt install libreoffice-writer-nogui),或先在 WPS/Word 中另存为 .docx 再上传".into(),
        ),
        _ => fail(format!("无法启动 LibreOffice({e})")),
    })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > timeout => {
                kill_group(&mut child);
                return Err(fail(format!(
                    "LibreOffice 转换超过 {} 秒仍未完成,已终止",
                    timeout.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(e) => {
                kill_group(&mut child);
                return Err(fail(format!("等待 LibreOffice 时出错({e})")));
            }
        }
    };
    let converted = out.join("input.docx");
    if !status.success() || !converted.is_file() {
        return Err(fail(
            "LibreOffice 无法转换该文件,文件可能已损坏或不是 Word/WPS 文档".into(),
        ));
    }
    read_bounded(&converted)
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, DecodeError> {
    let file = std::fs::File::open(path).map_err(|e| fail(format!("无法读取转换结果({e})")))?;
    let mut buf = Vec::new();
    file.take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut buf)
        .map_err(|e| fail(format!("无法读取转换结果({e})")))?;
    if buf.len() > MAX_INPUT_BYTES {
        return Err(DecodeError::TooLarge);
    }
    Ok(buf)
}

/// Kill the converter and everything it started (soffice forks soffice.bin). The
/// child leads its own process group, which is signalled by system call, never through
/// the `kill` program: on Debian 12 (procps-ng 4.0.2) `kill -KILL -PGID` was seen to
/// signal processes outside the group too, the caller included, which as root ends far
/// more than the converter.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, Signal, kill_process_group};
        let group = Pid::from_child(child);
        // The group of pid 1 would mean every process; a child is never pid 1.
        if group != Pid::INIT {
            let _ = kill_process_group(group, Signal::KILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn fail(why: String) -> DecodeError {
    DecodeError::Convert(format!("无法转换旧版文档:{why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_legacy_formats() {
        assert_eq!(sniff(b"{\\rtf1\\ansi hello}", "a.rtf"), Some(Legacy::Rtf));
        let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest";
        assert_eq!(sniff(ole, "plan.doc"), Some(Legacy::Ole));
        assert_eq!(sniff(ole, "plan.wps"), Some(Legacy::Ole));
        assert_eq!(sniff(ole, "data.xls"), None);
        assert_eq!(sniff(b"plain text", "a.doc"), None);
    }

    #[test]
    fn missing_libreoffice_says_what_to_install() {
        let err = convert(
            b"{\\rtf1 x}",
            Legacy::Rtf,
            "/nonexistent/soffice",
            CONVERT_TIMEOUT,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("需要 LibreOffice") && err.contains("apt install"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_hanging_converter_is_killed_at_the_time_limit() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let fake = dir.path().join("soffice");
        // Like soffice, the converter starts a child of its own and waits for it.
        let pid_file = dir.path().join("child.pid");
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\nsleep 30 &\necho $! > '{}'\nwait\n",
                pid_file.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let started = Instant::now();
        let err = convert(
            b"{\\rtf1 x}",
            Legacy::Rtf,
            fake.to_str().unwrap(),
            Duration::from_secs(1),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("超过 1 秒"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(10));
        // The converter's child went with it (gone, or a zombie waiting for init);
        // this test process, outside the group, is still here to check.
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let deadline = Instant::now() + Duration::from_secs(5);
        let alive = loop {
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()));
            let alive = stat.is_ok_and(|s| {
                s.rsplit_once(") ")
                    .is_some_and(|(_, rest)| !rest.starts_with('Z'))
            });
            if !alive || Instant::now() > deadline {
                break alive;
            }
            std::thread::sleep(POLL);
        };
        assert!(!alive, "the converter's child {pid} survived");
    }

    #[cfg(unix)]
    #[test]
    fn a_converter_that_writes_nothing_is_an_error() {
        let err = convert(b"{\\rtf1 x}", Legacy::Rtf, "true", CONVERT_TIMEOUT)
            .unwrap_err()
            .to_string();
        assert!(err.contains("无法转换该文件"), "{err}");
    }
}
