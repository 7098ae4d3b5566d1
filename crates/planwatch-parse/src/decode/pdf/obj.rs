//! Small readers over lopdf objects that follow references and never fail loudly:
//! a missing or mistyped entry is `None`, which the callers treat as absent.

use lopdf::{Dictionary, Document, Object};

/// The object a reference chain ends at (the object itself when not a reference,
/// `Null` for a dangling or looping chain).
pub fn deref<'a>(doc: &'a Document, object: &'a Object) -> &'a Object {
    const NULL: &Object = &Object::Null;
    doc.dereference(object).map_or(NULL, |(_, o)| o)
}

/// A number (integer or real).
pub fn num(doc: &Document, object: &Object) -> Option<f32> {
    match deref(doc, object) {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) if r.is_finite() => Some(*r),
        _ => None,
    }
}

/// A name's bytes.
pub fn name_of(doc: &Document, object: Option<&Object>) -> Option<Vec<u8>> {
    match deref(doc, object?) {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

/// A dictionary, or a stream's dictionary.
pub fn dict_of<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, object) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// Entry `key` of `dict`, dereferenced.
pub fn get<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    dict.get(key).ok().map(|o| deref(doc, o))
}

/// Why [`stream_bytes`] gave nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamError {
    /// The object is not a stream.
    NotAStream,
    /// Its decoded bytes would exceed the limit (decoding stopped at the limit).
    TooLarge,
}

/// A stream's decoded bytes, at most `limit`; the raw bytes when its filter is
/// unknown to us (also at most `limit`).
pub fn stream_bytes(doc: &Document, object: &Object, limit: usize) -> Result<Vec<u8>, StreamError> {
    match deref(doc, object) {
        Object::Stream(s) => match s.decompressed_content_with_limit(limit) {
            Ok(bytes) => Ok(bytes),
            Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                ..
            })) => Err(StreamError::TooLarge),
            Err(_) if s.content.len() <= limit => Ok(s.content.clone()),
            Err(_) => Err(StreamError::TooLarge),
        },
        _ => Err(StreamError::NotAStream),
    }
}

/// Numbers of an array (`/MediaBox`, `/Matrix`).
pub fn numbers(doc: &Document, object: Option<&Object>) -> Vec<f32> {
    match object.map(|o| deref(doc, o)) {
        Some(Object::Array(items)) => items.iter().take(16).filter_map(|o| num(doc, o)).collect(),
        _ => Vec::new(),
    }
}
