//! `pattern` of JSON Schema (an ECMA-262 regular expression, unanchored) for checking parameters
//! before a request is sent, without a regular-expression crate: the common subset is parsed into
//! a small automaton and run in time linear in the text (no backtracking).
//!
//! Supported: literals and escapes (`\.`, `\t`, `\uXXXX`), `.`, `\d \D \w \W \s \S`, classes
//! (`[a-z0-9_-]`, `[^…]`), groups (`(…)`, `(?:…)`, `(?<name>…)`), `|`, `* + ? {n} {n,} {n,m}`
//! (lazy forms too), `^` and `$`. Not supported (the generator refuses such a pattern, naming
//! it): look-around, back-references, `\b`, Unicode property escapes.
//!
//! The generator (`hwc-jobs-codegen`) owns this file, `codegen/src/pattern.rs`: it checks every
//! pattern of a spec with it, and `cargo xtask gen` copies it into the generated crate as
//! `runtime/pattern.rs`.

/// A parsed pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    states: Vec<State>,
    start: usize,
}

#[derive(Debug, Clone)]
enum State {
    /// Consume one character in the set, then go on.
    Char(Set, usize),
    /// Go on to both, consuming nothing.
    Split(usize, usize),
    /// Only at the start of the text.
    Start(usize),
    /// Only at the end of the text.
    End(usize),
    /// A match.
    Accept,
}

#[derive(Debug, Clone)]
struct Set {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Set {
    fn one(c: char) -> Self {
        Set {
            negated: false,
            ranges: vec![(c, c)],
        }
    }
    fn contains(&self, c: char) -> bool {
        self.ranges.iter().any(|(a, b)| *a <= c && c <= *b) != self.negated
    }
}

#[derive(Debug, Clone)]
enum Node {
    Set(Set),
    Start,
    End,
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, u32, Option<u32>),
}

/// Most automaton states a pattern may need (counted repetitions are unrolled).
const MAX_STATES: usize = 20_000;

impl Pattern {
    /// Parses a pattern; the error says what is not supported or malformed.
    pub fn new(pattern: &str) -> Result<Self, String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut p = Parser { chars, at: 0 };
        let node = p.alternation()?;
        if p.at < p.chars.len() {
            return Err(format!("unexpected `{}` at {}", p.chars[p.at], p.at));
        }
        let mut states = vec![State::Accept];
        let start = compile(&node, 0, &mut states)?;
        Ok(Pattern { states, start })
    }

    /// Whether the pattern matches somewhere in `text` (JSON Schema patterns are not anchored).
    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let n = self.states.len();
        let mut current = vec![false; n];
        let mut next = vec![false; n];
        for pos in 0..=chars.len() {
            // A match may begin anywhere.
            if self.closure(self.start, pos, chars.len(), &mut current) {
                return true;
            }
            let Some(&c) = chars.get(pos) else { break };
            next.iter_mut().for_each(|s| *s = false);
            let mut accepted = false;
            for (on, state) in current.iter().zip(&self.states) {
                if let (true, State::Char(set, to)) = (on, state) {
                    if set.contains(c) {
                        accepted |= self.closure(*to, pos + 1, chars.len(), &mut next);
                    }
                }
            }
            if accepted {
                return true;
            }
            std::mem::swap(&mut current, &mut next);
        }
        false
    }

    /// Adds `s` and what it reaches without consuming to `set`; true when that accepts.
    fn closure(&self, s: usize, pos: usize, len: usize, set: &mut [bool]) -> bool {
        let mut stack = vec![s];
        let mut accepted = false;
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut set[s], true) {
                continue;
            }
            match &self.states[s] {
                State::Accept => accepted = true,
                State::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                State::Start(t) if pos == 0 => stack.push(*t),
                State::End(t) if pos == len => stack.push(*t),
                _ => {}
            }
        }
        accepted
    }
}

/// Compiles `node` so that it continues to `next`; returns its entry state.
fn compile(node: &Node, next: usize, states: &mut Vec<State>) -> Result<usize, String> {
    if states.len() > MAX_STATES {
        return Err(
            "the pattern is too large (counted repetitions unroll into too many states)".into(),
        );
    }
    let push = |states: &mut Vec<State>, s: State| {
        states.push(s);
        states.len() - 1
    };
    Ok(match node {
        Node::Set(set) => push(states, State::Char(set.clone(), next)),
        Node::Start => push(states, State::Start(next)),
        Node::End => push(states, State::End(next)),
        Node::Seq(items) => {
            let mut at = next;
            for item in items.iter().rev() {
                at = compile(item, at, states)?;
            }
            at
        }
        Node::Alt(options) => {
            let mut entries = Vec::new();
            for o in options {
                entries.push(compile(o, next, states)?);
            }
            let mut at = entries.pop().unwrap_or(next);
            while let Some(e) = entries.pop() {
                at = push(states, State::Split(e, at));
            }
            at
        }
        Node::Repeat(inner, min, max) => {
            // The optional tail first (built backwards from `next`), then the required copies.
            let mut at = next;
            match max {
                None => {
                    // A loop: split → inner → back to the split.
                    let split = push(states, State::Split(0, next));
                    let body = compile(inner, split, states)?;
                    states[split] = State::Split(body, next);
                    at = split;
                }
                Some(max) => {
                    for _ in *min..*max {
                        let body = compile(inner, at, states)?;
                        at = push(states, State::Split(body, at));
                    }
                }
            }
            for _ in 0..*min {
                at = compile(inner, at, states)?;
            }
            at
        }
    })
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn alternation(&mut self) -> Result<Node, String> {
        let mut options = vec![self.sequence()?];
        while self.eat('|') {
            options.push(self.sequence()?);
        }
        Ok(if options.len() == 1 {
            options.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Alt(options)
        })
    }

    fn sequence(&mut self) -> Result<Node, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Seq(items))
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            // `counted` consumes the braces itself.
            Some('{') => match self.counted()? {
                Some(bounds) => {
                    self.at -= 1;
                    bounds
                }
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        // The quantifier's (last) character.
        self.at += 1;
        if matches!(atom, Node::Start | Node::End) {
            return Err("a quantifier after `^` or `$`".into());
        }
        // Lazy and greedy match the same texts.
        self.eat('?');
        Ok(Node::Repeat(Box::new(atom), min, max))
    }

    /// `{n}`, `{n,}`, `{n,m}`; `None` (and nothing consumed) when the `{` is a literal.
    fn counted(&mut self) -> Result<Option<(u32, Option<u32>)>, String> {
        let start = self.at;
        self.at += 1;
        let number = |p: &mut Parser| -> Option<u32> {
            let from = p.at;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.at += 1;
            }
            p.chars[from..p.at].iter().collect::<String>().parse().ok()
        };
        let Some(min) = number(self) else {
            self.at = start;
            return Ok(None);
        };
        let max = if self.eat(',') {
            if self.peek() == Some('}') {
                None
            } else {
                match number(self) {
                    Some(m) => Some(m),
                    None => {
                        self.at = start;
                        return Ok(None);
                    }
                }
            }
        } else {
            Some(min)
        };
        if !self.eat('}') {
            self.at = start;
            return Ok(None);
        }
        if max.is_some_and(|m| m < min) {
            return Err(format!("`{{{min},…}}`: the maximum is below the minimum"));
        }
        Ok(Some((min, max)))
    }

    fn atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.peek() else {
            return Err("unexpected end".into());
        };
        self.at += 1;
        Ok(match c {
            '^' => Node::Start,
            '$' => Node::End,
            '.' => Node::Set(Set {
                negated: true,
                ranges: vec![('\n', '\n'), ('\r', '\r'), ('\u{2028}', '\u{2029}')],
            }),
            '(' => {
                if self.eat('?') {
                    if self.eat(':') {
                    } else if self.peek() == Some('<')
                        && !matches!(self.chars.get(self.at + 1), Some('=') | Some('!'))
                    {
                        // A named group: the name is skipped.
                        while let Some(c) = self.peek() {
                            self.at += 1;
                            if c == '>' {
                                break;
                            }
                        }
                    } else {
                        return Err(
                            "look-around `(?=`, `(?!`, `(?<=`, `(?<!` is not supported".into()
                        );
                    }
                }
                let inner = self.alternation()?;
                if !self.eat(')') {
                    return Err("a `(` is not closed".into());
                }
                inner
            }
            ')' => return Err("a `)` without its `(`".into()),
            '[' => Node::Set(self.class()?),
            '\\' => Node::Set(self.escape(false)?),
            '*' | '+' | '?' => return Err(format!("`{c}` with nothing to repeat")),
            other => Node::Set(Set::one(other)),
        })
    }

    fn class(&mut self) -> Result<Set, String> {
        let negated = self.eat('^');
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err("a `[` is not closed".into());
            };
            if c == ']' && !first {
                self.at += 1;
                break;
            }
            first = false;
            self.at += 1;
            let lo = if c == '\\' {
                let set = self.escape(true)?;
                if set.negated || set.ranges.len() != 1 || set.ranges[0].0 != set.ranges[0].1 {
                    // `\d`, `\w`, `\s` inside a class (their negations are not supported there).
                    if set.negated {
                        return Err("`\\D`, `\\W`, `\\S` inside a class are not supported".into());
                    }
                    ranges.extend(set.ranges);
                    continue;
                }
                set.ranges[0].0
            } else {
                c
            };
            if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|n| *n != ']') {
                self.at += 1;
                let hi = match self.peek() {
                    Some('\\') => {
                        self.at += 1;
                        let set = self.escape(true)?;
                        if set.ranges.len() != 1 {
                            return Err("a class range must end in one character".into());
                        }
                        set.ranges[0].0
                    }
                    Some(h) => {
                        self.at += 1;
                        h
                    }
                    None => return Err("a `[` is not closed".into()),
                };
                if hi < lo {
                    return Err(format!("the class range `{lo}-{hi}` is out of order"));
                }
                ranges.push((lo, hi));
            } else {
                ranges.push((lo, lo));
            }
        }
        Ok(Set { negated, ranges })
    }

    /// After a `\`.
    fn escape(&mut self, in_class: bool) -> Result<Set, String> {
        let Some(c) = self.peek() else {
            return Err("a `\\` at the end".into());
        };
        self.at += 1;
        let digits = vec![('0', '9')];
        let word = vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
        let space = vec![
            ('\t', '\r'),
            (' ', ' '),
            ('\u{a0}', '\u{a0}'),
            ('\u{1680}', '\u{1680}'),
            ('\u{2000}', '\u{200a}'),
            ('\u{2028}', '\u{2029}'),
            ('\u{202f}', '\u{202f}'),
            ('\u{205f}', '\u{205f}'),
            ('\u{3000}', '\u{3000}'),
            ('\u{feff}', '\u{feff}'),
        ];
        let set = |negated, ranges| Set { negated, ranges };
        Ok(match c {
            'd' => set(false, digits),
            'D' => set(true, digits),
            'w' => set(false, word),
            'W' => set(true, word),
            's' => set(false, space),
            'S' => set(true, space),
            't' => Set::one('\t'),
            'n' => Set::one('\n'),
            'r' => Set::one('\r'),
            'f' => Set::one('\u{c}'),
            'v' => Set::one('\u{b}'),
            '0' => Set::one('\0'),
            'b' if in_class => Set::one('\u{8}'),
            'u' => {
                let hex: String = self.chars.iter().skip(self.at).take(4).collect();
                let code = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 4)
                    .and_then(char::from_u32)
                    .ok_or("`\\u` needs four hex digits")?;
                self.at += 4;
                Set::one(code)
            }
            'x' => {
                let hex: String = self.chars.iter().skip(self.at).take(2).collect();
                let code = u32::from_str_radix(&hex, 16)
                    .ok()
                    .filter(|_| hex.len() == 2)
                    .and_then(char::from_u32)
                    .ok_or("`\\x` needs two hex digits")?;
                self.at += 2;
                Set::one(code)
            }
            'b' | 'B' => return Err("word boundaries `\\b`, `\\B` are not supported".into()),
            'p' | 'P' => return Err("Unicode property escapes `\\p{…}` are not supported".into()),
            '1'..='9' => return Err("back-references are not supported".into()),
            'k' => return Err("named back-references are not supported".into()),
            other if other.is_ascii_alphanumeric() => {
                return Err(format!("the escape `\\{other}` is not supported"))
            }
            other => Set::one(other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn m(p: &str, t: &str) -> bool {
        Pattern::new(p)
            .unwrap_or_else(|e| panic!("{p}: {e}"))
            .is_match(t)
    }

    #[test]
    fn the_common_subset() {
        assert!(m("^[A-Z0-9-]+$", "JOB-17"));
        assert!(!m("^[A-Z0-9-]+$", "job-17"));
        assert!(!m("^[A-Z0-9-]+$", ""));
        assert!(m("^[a-z][a-z0-9-]{0,62}[a-z0-9]$", "my-app1"));
        assert!(!m("^[a-z][a-z0-9-]{0,62}[a-z0-9]$", "my-app-"));
        assert!(m("b", "abc"), "unanchored: anywhere in the text");
        assert!(m("^(ab|cd)*$", "abcdab"));
        assert!(!m("^(ab|cd)*$", "abc"));
        assert!(m("^\\d{3}-\\d{4}$", "555-1234"));
        assert!(!m("^\\d{3}-\\d{4}$", "55-1234"));
        assert!(m("^a.c$", "a-c") && !m("^a.c$", "a\nc"));
        assert!(m("^[^/]+$", "x y") && !m("^[^/]+$", "x/y"));
        assert!(m("^\\w+@\\w+\\.com$", "me@host.com"));
        assert!(m("^(?:x|y)+?$", "xyx"));
        assert!(m("^(?<year>\\d{4})$", "2026"));
        assert!(m("^\\u00e9t\\u00e9$", "été"));
        assert!(m("^a{2,}$", "aaaa") && !m("^a{2,}$", "a"));
        assert!(m("^a{1,3}$", "aaa") && !m("^a{1,3}$", "aaaa"));
        assert!(m("x{,2}", "x{,2}"), "not a quantifier: literal");
        assert!(m("^[\\d.]+$", "1.2.3"));
        assert!(m("^$", ""));
        // Linear: no catastrophic backtracking.
        let evil = "a".repeat(5000) + "!";
        assert!(!m("^(a+)+$", &evil));
    }

    #[test]
    fn unsupported_and_malformed_patterns_say_why() {
        for p in [
            "(?=x)",
            "(?!x)",
            "(?<=x)",
            "\\1",
            "\\bword",
            "\\p{L}",
            "(unclosed",
            "x)",
            "[a-",
            "*x",
            "a{3,1}",
            "\\q",
            "[z-a]",
        ] {
            assert!(Pattern::new(p).is_err(), "{p}");
        }
    }
}
