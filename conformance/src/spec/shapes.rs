//! What the walk of a body needs of a schema, compiled once per response from the generator's IR:
//! objects (properties, spellings), arrays, enums.

use super::*;

/// A property of an object shape.
#[derive(Debug, Clone)]
pub struct PropShape {
    /// Canonical name.
    pub name: String,
    /// Other accepted spellings (`x-aliases`).
    pub aliases: Vec<String>,
    /// Spellings tolerated though undocumented (`x-tolerated-aliases`).
    pub tolerated: Vec<String>,
    /// The shape of its value.
    pub shape: usize,
    /// Pointer of the property schema.
    pub pointer: String,
}

/// What the walk needs of a schema, compiled once per response so that walking a body
/// does no pointer lookups.
#[derive(Debug, Clone)]
pub enum Shape {
    /// An object with listed properties.
    Object {
        /// Pointer of the object schema.
        pointer: String,
        /// Its properties.
        props: Vec<PropShape>,
        /// Whether unlisted properties are allowed (then they are warnings).
        extra_allowed: bool,
        /// Every spelling (canonical names and aliases), looked up for each key of a body.
        spellings: Spellings,
    },
    /// An array.
    Array {
        /// The shape of its items.
        items: usize,
    },
    /// A map (`additionalProperties` only): any keys, every value of one shape. The checks do
    /// not walk map values; coverage counts them at `/*`.
    Map {
        /// The shape of its values.
        values: usize,
    },
    /// A string enum.
    Enum {
        /// Pointer of the `enum` keyword.
        pointer: String,
        /// Documented values.
        values: Vec<String>,
        /// Whether other values are accepted (`x-open-enum`, default true).
        open: bool,
    },
    /// Nothing to walk.
    Any,
}

/// Compiled shapes; index 0 is always [`Shape::Any`].
#[derive(Debug, Clone)]
pub struct Shapes {
    pub(super) arena: Vec<Shape>,
    memo: std::collections::HashMap<String, usize>,
}

impl Default for Shapes {
    fn default() -> Self {
        Shapes {
            arena: vec![Shape::Any],
            memo: std::collections::HashMap::new(),
        }
    }
}

impl Shapes {
    /// Every compiled shape, by index.
    pub fn arena(&self) -> &[Shape] {
        &self.arena
    }

    /// The shape of a type of the generator's IR (named types compiled once; cycles are fine).
    pub fn of(&mut self, api: &Api, ty: &TypeRef) -> usize {
        match ty {
            TypeRef::Array(items) => {
                let items = self.of(api, items);
                self.arena.push(Shape::Array { items });
                self.arena.len() - 1
            }
            TypeRef::Named(name) => self.named(api, name),
            TypeRef::Map(values) => match self.of(api, values) {
                0 => 0,
                values => {
                    self.arena.push(Shape::Map { values });
                    self.arena.len() - 1
                }
            },
            // Nothing to walk in a scalar.
            _ => 0,
        }
    }

    pub(super) fn named(&mut self, api: &Api, name: &str) -> usize {
        if let Some(&id) = self.memo.get(name) {
            return id;
        }
        let Some(t) = api.types.iter().find(|t| t.name == name) else {
            return 0;
        };
        if let TypeKind::Alias(inner) = &t.kind {
            // The shape of what it names (the resolver refuses aliases that name themselves).
            let id = self.of(api, inner);
            self.memo.insert(name.to_owned(), id);
            return id;
        }
        let id = self.arena.len();
        self.arena.push(Shape::Any);
        self.memo.insert(name.to_owned(), id);
        let shape = match &t.kind {
            TypeKind::Enum(e) => Shape::Enum {
                pointer: format!("{}/enum", t.pointer),
                values: e.variants.iter().map(|v| v.wire.clone()).collect(),
                open: e.open,
            },
            TypeKind::Struct(st) => {
                let props: Vec<PropShape> = st
                    .fields
                    .iter()
                    .map(|f| PropShape {
                        name: f.wire_name.clone(),
                        aliases: f.aliases.clone(),
                        tolerated: f.tolerated.clone(),
                        shape: self.of(api, &f.ty),
                        pointer: f.pointer.clone(),
                    })
                    .collect();
                let spellings = Spellings::new(&props);
                Shape::Object {
                    pointer: t.pointer.clone(),
                    props,
                    spellings,
                    extra_allowed: st.keep_additional,
                }
            }
            // Which alternative a value is depends on the value: the JSON Schema validator
            // judges `oneOf`/`anyOf`, the walk does not go inside.
            TypeKind::Alias(_) | TypeKind::Union(_) => Shape::Any,
        };
        self.arena[id] = shape;
        id
    }
}

/// One step of a JSON pointer, kept unrendered until a finding needs it.
#[derive(Debug, Clone)]
pub enum Seg<'v> {
    /// An object key.
    Key(&'v str),
    /// An array index.
    Index(usize),
}

pub(super) fn render(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for t in path {
        s.push('/');
        match t {
            Seg::Key(k) => s.push_str(&escape(k)),
            Seg::Index(i) => s.push_str(&i.to_string()),
        }
    }
    s
}

/// The spellings of an object's properties (names and `x-aliases`) in a small open-addressing
/// hash table: a body's key is hashed once (FNV-1a) and compared with one or two entries.
#[derive(Debug, Clone)]
pub struct Spellings {
    /// (spelling, property index, whether it is the canonical name).
    pub(super) entries: Vec<(String, usize, bool)>,
    /// Entry index + 1 per slot; 0 is empty. The length is a power of two, at least twice the
    /// number of entries.
    pub(super) slots: Vec<u32>,
}

pub(super) fn fnv1a(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Spellings {
    /// Spellings are distinct: the generator refuses a spelling claimed twice.
    pub(super) fn new(props: &[PropShape]) -> Self {
        let mut entries: Vec<(String, usize, bool)> = Vec::new();
        for canonical in [true, false] {
            for (i, p) in props.iter().enumerate() {
                let names: Vec<&String> = if canonical {
                    vec![&p.name]
                } else {
                    p.aliases.iter().chain(&p.tolerated).collect()
                };
                for n in names {
                    if !entries.iter().any(|(s, _, _)| s == n) {
                        entries.push((n.clone(), i, canonical));
                    }
                }
            }
        }
        let size = (entries.len() * 2).next_power_of_two().max(4);
        let mut slots = vec![0u32; size];
        for (e, (name, _, _)) in entries.iter().enumerate() {
            let mut at = fnv1a(name) as usize & (size - 1);
            while slots[at] != 0 {
                at = (at + 1) & (size - 1);
            }
            slots[at] = u32::try_from(e + 1).unwrap_or(u32::MAX);
        }
        Spellings { entries, slots }
    }

    /// Which property `key` spells: (property index, whether it is the canonical spelling).
    pub(super) fn get(&self, key: &str) -> Option<(usize, bool)> {
        let mask = self.slots.len() - 1;
        let mut at = fnv1a(key) as usize & mask;
        loop {
            let e = *self.slots.get(at)? as usize;
            let (name, prop, canonical) = self.entries.get(e.checked_sub(1)?)?;
            if name == key {
                return Some((*prop, *canonical));
            }
            at = (at + 1) & mask;
        }
    }
}
