//! Whether a model serializes to exactly a given JSON value, without building the value:
//! a `Serializer` that compares as it goes. Used by [`super::check`] so that the runner can
//! check "the model written back is still the body" cheaply.

use serde::ser::{self, Serialize};
use serde_json::Value;
use std::fmt;

/// "Not the same" (or a serializer error); the comparison stops at the first difference.
#[derive(Debug)]
pub struct Differs;

impl fmt::Display for Differs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("differs")
    }
}

impl std::error::Error for Differs {}

impl ser::Error for Differs {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Differs
    }
}

/// Whether `model` serializes to a JSON value equal to `expected` (objects compared as maps).
pub fn same<T: Serialize + ?Sized>(model: &T, expected: &Value) -> bool {
    model.serialize(Same(expected)).is_ok()
}

struct Same<'a>(&'a Value);

fn check(ok: bool) -> Result<(), Differs> {
    if ok {
        Ok(())
    } else {
        Err(Differs)
    }
}

fn num_eq(v: &Value, x: f64) -> bool {
    v.as_f64() == Some(x)
}

/// What is left of an expected string while a `Display` value is written against it.
struct Rest<'a>(&'a str);

impl fmt::Write for Rest<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.0.strip_prefix(s) {
            Some(rest) => {
                self.0 = rest;
                Ok(())
            }
            None => Err(fmt::Error),
        }
    }
}

struct Seq<'a> {
    items: &'a [Value],
    at: usize,
}

struct Map<'a> {
    obj: &'a serde_json::Map<String, Value>,
    seen: usize,
    key: Option<&'a Value>,
}

/// The narrow integer and float methods, forwarded to the 64-bit ones.
macro_rules! forward_numbers {
    ($ok:ty) => {
        fn serialize_i8(self, v: i8) -> Result<$ok, Differs> {
            self.serialize_i64(i64::from(v))
        }
        fn serialize_i16(self, v: i16) -> Result<$ok, Differs> {
            self.serialize_i64(i64::from(v))
        }
        fn serialize_i32(self, v: i32) -> Result<$ok, Differs> {
            self.serialize_i64(i64::from(v))
        }
        fn serialize_u8(self, v: u8) -> Result<$ok, Differs> {
            self.serialize_u64(u64::from(v))
        }
        fn serialize_u16(self, v: u16) -> Result<$ok, Differs> {
            self.serialize_u64(u64::from(v))
        }
        fn serialize_u32(self, v: u32) -> Result<$ok, Differs> {
            self.serialize_u64(u64::from(v))
        }
        fn serialize_f32(self, v: f32) -> Result<$ok, Differs> {
            self.serialize_f64(f64::from(v))
        }
    };
}

/// Serializes a map key and looks it up in the expected object (no allocation for string keys).
struct KeyIn<'a>(&'a serde_json::Map<String, Value>);

/// Looks a key up: small objects (most objects of an API body) by comparing keys, which is
/// cheaper than hashing the key; larger ones through the map's index.
fn find<'a>(obj: &'a serde_json::Map<String, Value>, key: &str) -> Result<&'a Value, Differs> {
    let found = if obj.len() <= 12 {
        obj.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        obj.get(key)
    };
    found.ok_or(Differs)
}

impl<'a> ser::Serializer for KeyIn<'a> {
    type Ok = &'a Value;
    type Error = Differs;
    type SerializeSeq = ser::Impossible<&'a Value, Differs>;
    type SerializeTuple = ser::Impossible<&'a Value, Differs>;
    type SerializeTupleStruct = ser::Impossible<&'a Value, Differs>;
    type SerializeTupleVariant = ser::Impossible<&'a Value, Differs>;
    type SerializeMap = ser::Impossible<&'a Value, Differs>;
    type SerializeStruct = ser::Impossible<&'a Value, Differs>;
    type SerializeStructVariant = ser::Impossible<&'a Value, Differs>;
    forward_numbers!(&'a Value);
    fn serialize_str(self, v: &str) -> Result<&'a Value, Differs> {
        find(self.0, v)
    }
    fn serialize_bool(self, _: bool) -> Result<&'a Value, Differs> {
        Err(Differs)
    }
    fn serialize_i64(self, v: i64) -> Result<&'a Value, Differs> {
        find(self.0, &v.to_string())
    }
    fn serialize_u64(self, v: u64) -> Result<&'a Value, Differs> {
        find(self.0, &v.to_string())
    }
    fn serialize_f64(self, _: f64) -> Result<&'a Value, Differs> {
        Err(Differs)
    }
    fn serialize_char(self, v: char) -> Result<&'a Value, Differs> {
        find(self.0, &v.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<&'a Value, Differs> {
        Err(Differs)
    }
    fn serialize_none(self) -> Result<&'a Value, Differs> {
        Err(Differs)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<&'a Value, Differs> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<&'a Value, Differs> {
        Err(Differs)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<&'a Value, Differs> {
        Err(Differs)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<&'a Value, Differs> {
        find(self.0, v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<&'a Value, Differs> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<&'a Value, Differs> {
        Err(Differs)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Differs> {
        Err(Differs)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Differs> {
        Err(Differs)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Differs> {
        Err(Differs)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Differs> {
        Err(Differs)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Differs> {
        Err(Differs)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Differs> {
        Err(Differs)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Differs> {
        Err(Differs)
    }
}

impl<'a> ser::Serializer for Same<'a> {
    type Ok = ();
    type Error = Differs;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = ser::Impossible<(), Differs>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Map<'a>;
    type SerializeStructVariant = ser::Impossible<(), Differs>;
    forward_numbers!(());

    fn serialize_bool(self, v: bool) -> Result<(), Differs> {
        check(self.0.as_bool() == Some(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Differs> {
        check(self.0.as_i64() == Some(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Differs> {
        check(self.0.as_u64() == Some(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Differs> {
        // An f64 field writes `0.0` where the body had `0`: the same number, and it validates
        // as `number` either way.
        check(num_eq(self.0, v))
    }
    fn serialize_char(self, v: char) -> Result<(), Differs> {
        let mut b = [0u8; 4];
        self.serialize_str(v.encode_utf8(&mut b))
    }
    fn serialize_str(self, v: &str) -> Result<(), Differs> {
        check(self.0.as_str() == Some(v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Differs> {
        Err(Differs)
    }
    fn serialize_none(self) -> Result<(), Differs> {
        check(self.0.is_null())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), Differs> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Differs> {
        check(self.0.is_null())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Differs> {
        check(self.0.is_null())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<(), Differs> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<(), Differs> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Differs> {
        Err(Differs)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'a>, Differs> {
        match self.0 {
            Value::Array(items) => Ok(Seq { items, at: 0 }),
            _ => Err(Differs),
        }
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, Differs> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'a>, Differs> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Differs> {
        Err(Differs)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'a>, Differs> {
        match self.0 {
            Value::Object(obj) => Ok(Map {
                obj,
                seen: 0,
                key: None,
            }),
            _ => Err(Differs),
        }
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map<'a>, Differs> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Differs> {
        Err(Differs)
    }
    fn collect_str<T: fmt::Display + ?Sized>(self, v: &T) -> Result<(), Differs> {
        // Compared piece by piece as it is written, without building the string.
        let expected = self.0.as_str().ok_or(Differs)?;
        let mut rest = Rest(expected);
        fmt::write(&mut rest, format_args!("{v}")).map_err(|_| Differs)?;
        check(rest.0.is_empty())
    }
}

impl Seq<'_> {
    fn next<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
        let item = self.items.get(self.at).ok_or(Differs)?;
        self.at += 1;
        v.serialize(Same(item))
    }
    fn done(self) -> Result<(), Differs> {
        check(self.at == self.items.len())
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = ();
    type Error = Differs;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
        self.next(v)
    }
    fn end(self) -> Result<(), Differs> {
        self.done()
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = ();
    type Error = Differs;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
        self.next(v)
    }
    fn end(self) -> Result<(), Differs> {
        self.done()
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = ();
    type Error = Differs;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
        self.next(v)
    }
    fn end(self) -> Result<(), Differs> {
        self.done()
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = ();
    type Error = Differs;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), Differs> {
        self.key = Some(k.serialize(KeyIn(self.obj))?);
        self.seen += 1;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), Differs> {
        let expected = self.key.take().ok_or(Differs)?;
        v.serialize(Same(expected))
    }
    fn end(self) -> Result<(), Differs> {
        check(self.seen == self.obj.len())
    }
}

impl ser::SerializeStruct for Map<'_> {
    type Ok = ();
    type Error = Differs;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        v: &T,
    ) -> Result<(), Differs> {
        let expected = find(self.obj, key)?;
        self.seen += 1;
        v.serialize(Same(expected))
    }
    fn end(self) -> Result<(), Differs> {
        check(self.seen == self.obj.len())
    }
}

#[cfg(test)]
mod tests {
    use super::same;
    use serde_json::json;

    #[test]
    fn compares_like_value_equality() {
        let v = json!({"a": [1, "x", null, true], "b": {"c": 2.5}});
        assert!(same(&v, &v));
        assert!(
            !same(&json!({"a": [1, "x", null, true]}), &v),
            "missing key"
        );
        assert!(
            !same(
                &json!({"a": [1, "x", null, true], "b": {"c": 2.5}, "d": 1}),
                &v
            ),
            "extra key"
        );
        assert!(
            !same(&json!({"a": [1, "x", null], "b": {"c": 2.5}}), &v),
            "shorter array"
        );
        assert!(
            !same(&json!({"a": [1, "y", null, true], "b": {"c": 2.5}}), &v),
            "other string"
        );
        assert!(
            same(&json!({"b": {"c": 2.5}, "a": [1, "x", null, true]}), &v),
            "key order does not matter"
        );
        assert!(same(&0.0f64, &json!(0)));
        assert!(!same(&1i64, &json!("1")));
    }

    #[test]
    fn display_values_and_non_string_keys() {
        // jiff writes a timestamp with `collect_str`: compared while it is written.
        let t: hwc_jobs::runtime::Timestamp = "2024-06-06T15:55:31.5Z".parse().unwrap();
        assert!(same(&t, &json!("2024-06-06T15:55:31.5Z")));
        assert!(!same(&t, &json!("2024-06-06T15:55:31.50Z")), "longer");
        assert!(!same(&t, &json!("2024-06-06T15:55:31")), "shorter");
        assert!(!same(&t, &json!("2024-06-06T15:55:32.5Z")), "other");
        assert!(!same(&t, &json!(1)), "not a string");
        let m: std::collections::BTreeMap<i32, bool> = [(1, true), (20, false)].into();
        assert!(same(&m, &json!({"1": true, "20": false})));
        assert!(!same(&m, &json!({"1": true, "2": false})));
        // Past 12 keys the object's index is used instead of a scan: same answers.
        let big: std::collections::BTreeMap<String, usize> =
            (0..20).map(|i| (format!("k{i}"), i)).collect();
        let mut expected = serde_json::to_value(&big).unwrap();
        assert!(same(&big, &expected));
        expected["k19"] = json!(0);
        assert!(!same(&big, &expected));
        expected.as_object_mut().unwrap().remove("k19");
        assert!(!same(&big, &expected));
    }
}
