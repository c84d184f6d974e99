//! Newtypes for the strings that are easy to swap: an article's id, an
//! annotation's id and a moment. Functions that take more than one of them
//! take these types, so the compiler catches a swapped pair.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<T: AsRef<str> + ?Sized> From<&T> for $name {
            fn from(s: &T) -> Self {
                $name(s.as_ref().to_string())
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }
    };
}

id_type!(
    /// An article's id (a seed's file stem, or `user-<12 hex>`).
    ArticleId
);
id_type!(
    /// An annotation's id (a UUID v4).
    AnnotationId
);
id_type!(
    /// A moment, as RFC 3339 UTC with milliseconds.
    Timestamp
);
