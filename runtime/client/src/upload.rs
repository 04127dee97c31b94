//! [`Upload`]: a file sent as a part of a `multipart/form-data` request.

use bytes::Bytes;

/// A file to upload in a `multipart/form-data` request.
///
/// The contents are read once, into shared memory: sending the request, and
/// every retry of it, uses them without copying or reading the file again.
///
/// ```
/// use sunshine_conversations::Upload;
///
/// # async fn run() -> std::io::Result<()> {
/// let pixel = Upload::new(b"\x89PNG\r\n\x1a\n", "pixel.png").with_content_type("image/png");
/// # let dir = std::env::temp_dir().join(format!("upload-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// # let path = dir.join("logo.png");
/// # std::fs::write(&path, pixel.bytes())?;
/// // The media type comes from the extension.
/// let logo = Upload::from_path(&path).await?;
/// assert_eq!(logo.content_type(), Some("image/png"));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok(())
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(run()).unwrap();
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    bytes: Bytes,
    file_name: String,
    content_type: Option<String>,
}

/// The contents of an [`Upload`]: what [`Upload::new`] takes. A `Vec<u8>`,
/// `String` or `bytes::Bytes` is taken without copying; a byte string
/// literal (`b"…"`), a `&[u8]` or a `&str` is copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileContents(Bytes);

impl From<Bytes> for FileContents {
    fn from(bytes: Bytes) -> Self {
        FileContents(bytes)
    }
}

impl From<Vec<u8>> for FileContents {
    fn from(bytes: Vec<u8>) -> Self {
        FileContents(bytes.into())
    }
}

impl From<String> for FileContents {
    fn from(text: String) -> Self {
        FileContents(text.into())
    }
}

impl From<&[u8]> for FileContents {
    fn from(bytes: &[u8]) -> Self {
        FileContents(Bytes::copy_from_slice(bytes))
    }
}

impl<const N: usize> From<&[u8; N]> for FileContents {
    fn from(bytes: &[u8; N]) -> Self {
        FileContents(Bytes::copy_from_slice(bytes))
    }
}

impl From<&str> for FileContents {
    fn from(text: &str) -> Self {
        FileContents(Bytes::copy_from_slice(text.as_bytes()))
    }
}

impl Upload {
    /// An upload of `contents` (a `Vec<u8>`, `b"…"`, `&[u8]`,
    /// `bytes::Bytes`, a string…) named `file_name`, without a media type
    /// until [`with_content_type`](Self::with_content_type).
    pub fn new(contents: impl Into<FileContents>, file_name: impl Into<String>) -> Self {
        Self {
            bytes: contents.into().0,
            file_name: file_name.into(),
            content_type: None,
        }
    }

    /// The file at `path`, named after its last path component, with the
    /// media type its extension stands for (`image/png` for `.png`), if it
    /// is a known one.
    ///
    /// # Errors
    ///
    /// The I/O error if the file cannot be read.
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = tokio::fs::read(path).await?;
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let upload = Self::new(bytes, file_name);
        Ok(match mime_guess::from_path(path).first_raw() {
            Some(content_type) => upload.with_content_type(content_type),
            None => upload,
        })
    }

    /// Everything `reader` yields until its end, named `file_name`.
    ///
    /// # Errors
    ///
    /// The I/O error if reading fails.
    pub async fn from_reader(
        mut reader: impl tokio::io::AsyncRead + Unpin,
        file_name: impl Into<String>,
    ) -> std::io::Result<Self> {
        let mut bytes = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut reader, &mut bytes).await?;
        Ok(Self::new(bytes, file_name))
    }

    /// Sets the media type, such as `image/png`; without one the server
    /// guesses.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The contents.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The media type, if set.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_contents_makes_the_same_upload() {
        let from_vec = Upload::new(b"abc".to_vec(), "a.bin");
        let from_static: &'static [u8] = b"abc";
        for other in [
            Upload::new(b"abc", "a.bin"),
            Upload::new(from_static, "a.bin"),
            Upload::new(Bytes::from_static(b"abc"), "a.bin"),
            Upload::new("abc", "a.bin"),
            Upload::new("abc".to_owned(), "a.bin"),
        ] {
            assert_eq!(other, from_vec);
        }
    }

    #[tokio::test]
    async fn a_file_from_disk_gets_the_media_type_of_its_extension() {
        let dir = std::env::temp_dir().join(format!("upload-media-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut types = Vec::new();
        for name in [
            "pixel.png",
            "notes.txt",
            "report.PDF",
            "data.unknownext",
            "README",
        ] {
            let path = dir.join(name);
            std::fs::write(&path, b"x").unwrap();
            let upload = Upload::from_path(&path).await.unwrap();
            assert_eq!(upload.file_name(), name);
            types.push(upload.content_type().map(str::to_owned));
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            types,
            [
                Some("image/png".to_owned()),
                Some("text/plain".to_owned()),
                Some("application/pdf".to_owned()),
                None,
                None
            ]
        );
    }
}
