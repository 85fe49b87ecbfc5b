/// A cheap test that tells when a rule's regex cannot match, so the ICU engine (and
/// bridging the utterance to `NSString`) is skipped for most utterances.
///
/// Each top-level alternative of the pattern needs certain characters: a literal, a class
/// ([6789], \d) or a group (each of whose alternatives needs one of a few characters) that
/// no quantifier makes optional. A text that lacks one of them for every alternative cannot
/// match. Lookbehinds and negative lookaheads need nothing; a positive lookahead needs what
/// its content needs. A pattern for which no alternative can be shown to need anything
/// (or that uses syntax this reading does not know) has no prefilter and always runs.
struct RegexPrefilter: Sendable {
    /// Per top-level alternative: the sets of characters it needs, one character of each set
    /// (ASCII letters in both cases), the rarest-looking first.
    let alternatives: [[[Unicode.Scalar]]]

    init?(pattern: String) {
        var parser = Parser(pattern: Array(pattern.unicodeScalars))
        guard let alternatives = try? parser.alternation(), parser.index == parser.pattern.count,
              !alternatives.contains(where: \.isEmpty) else { return nil }
        self.alternatives = alternatives.map { $0.sorted { Self.cost($0) < Self.cost($1) } }
    }

    func mayMatch(_ text: String) -> Bool { mayMatch(Presence(text)) }

    func mayMatch(_ presence: Presence) -> Bool {
        alternatives.contains { needs in
            needs.allSatisfy { set in set.contains(where: presence.contains) }
        }
    }

    /// Which characters a text has, code points folded to 16 bits: built once per utterance
    /// for all the regexes that look at it. A fold can only say yes too often, which runs a
    /// regex that would not match, never the reverse.
    struct Presence {
        private var bits = [UInt64](repeating: 0, count: 1024)

        init(_ text: String) {
            for scalar in text.unicodeScalars {
                let bit = Int(scalar.value & 0xFFFF)
                bits[bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            let bit = Int(scalar.value & 0xFFFF)
            return bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }
    }

    /// Characters found in most texts make a set a poor first test.
    private static let common = Set("我你他她的了是在有不这那就都也一个人要".unicodeScalars)

    static func cost(_ set: [Unicode.Scalar]) -> Int {
        set.count + (set.contains(where: common.contains) ? 1_000 : 0)
    }

    private struct Unsupported: Error {}

    /// A recursive reading of the pattern, enough to say which characters it needs.
    private struct Parser {
        let pattern: [Unicode.Scalar]
        var index = 0

        /// Alternatives up to the `)` that closes the current group (or the end).
        mutating func alternation() throws(Unsupported) -> [[[Unicode.Scalar]]] {
            var alternatives: [[[Unicode.Scalar]]] = []
            var current: [[Unicode.Scalar]] = []
            while index < pattern.count, pattern[index] != ")" {
                if pattern[index] == "|" {
                    alternatives.append(current)
                    current = []
                    index += 1
                    continue
                }
                let needed = try atom()
                if !(try optionalQuantifier()), let needed, let folded = RegexPrefilter.caseForms(needed) {
                    current.append(folded)
                }
            }
            alternatives.append(current)
            return alternatives
        }

        /// What one atom needs: a set of characters, or nil when it needs nothing one can name.
        mutating func atom() throws(Unsupported) -> [Unicode.Scalar]? {
            let c = pattern[index]
            index += 1
            switch c {
            case "\\":
                return try escape()
            case "[":
                return try characterClass()
            case "(":
                return try group()
            case ".", "^", "$":
                return nil
            case "*", "+", "?", "{", "]", "}":
                throw Unsupported()
            default:
                return c.properties.isWhitespace ? nil : [c]
            }
        }

        mutating func escape() throws(Unsupported) -> [Unicode.Scalar]? {
            guard index < pattern.count else { throw Unsupported() }
            let c = pattern[index]
            index += 1
            if c == "d" { return Self.digits }
            if "DwWsSbBAzZG".unicodeScalars.contains(c) { return nil }
            if c == "u" { return [try hex(4)] }
            if c.properties.isAlphabetic || c.properties.numericType != nil { throw Unsupported() }
            return [c]
        }

        /// `\uXXXX`: the character with the hex code that follows.
        mutating func hex(_ digits: Int) throws(Unsupported) -> Unicode.Scalar {
            guard index + digits <= pattern.count,
                  let value = UInt32(String(String.UnicodeScalarView(pattern[index..<(index + digits)])), radix: 16),
                  let scalar = Unicode.Scalar(value) else { throw Unsupported() }
            index += digits
            return scalar
        }

        static let digits = Array("0123456789".unicodeScalars)

        /// A plain class of characters and short ranges; nil for anything else (it still
        /// needs one character, but saying which would take more than this reading).
        mutating func characterClass() throws(Unsupported) -> [Unicode.Scalar]? {
            var members: [Unicode.Scalar] = []
            var plain = true
            if index < pattern.count, pattern[index] == "^" {
                plain = false
                index += 1
            }
            var first = true
            while index < pattern.count, pattern[index] != "]" || first {
                first = false
                var c = pattern[index]
                index += 1
                if c == "[" || c == "&" { throw Unsupported() }
                if c == "\\" {
                    guard index < pattern.count else { throw Unsupported() }
                    c = pattern[index]
                    index += 1
                    if c == "d" {
                        members += Self.digits
                        continue
                    }
                    if c == "u" {
                        c = try hex(4)
                    } else if c.properties.isAlphabetic || c.properties.numericType != nil {
                        plain = false
                        continue
                    }
                }
                if index + 1 < pattern.count, pattern[index] == "-", pattern[index + 1] != "]" {
                    let upper = pattern[index + 1]
                    index += 2
                    guard upper.value >= c.value, upper.value - c.value < 128 else {
                        plain = false
                        continue
                    }
                    members += (c.value...upper.value).compactMap(Unicode.Scalar.init)
                } else {
                    members.append(c)
                }
            }
            guard index < pattern.count else { throw Unsupported() }
            index += 1
            return plain && !members.isEmpty ? members : nil
        }

        /// A group needs one of what each of its alternatives needs (the cheapest set of each).
        mutating func group() throws(Unsupported) -> [Unicode.Scalar]? {
            var counts = true
            if index < pattern.count, pattern[index] == "?" {
                let rest = pattern[index...].prefix(3).map(Character.init)
                if rest.starts(with: [Character("?"), ":"]) || rest.starts(with: [Character("?"), "="]) {
                    index += 2
                } else if rest.starts(with: [Character("?"), "!"]) {
                    index += 2
                    counts = false
                } else if rest == ["?", "<", "="] || rest == ["?", "<", "!"] {
                    index += 3
                    counts = false
                } else if let end = pattern[(index + 1)...].firstIndex(where: { !"imsxwu-".unicodeScalars.contains($0) }),
                          pattern[end] == ")" || pattern[end] == ":" {
                    // Flags: (?-i) alone needs nothing; (?i:…) is a group. Case forms already cover either case.
                    index = end + 1
                    if pattern[end] == ")" { return nil }
                } else if rest.starts(with: [Character("?"), "<"]) {
                    guard let close = pattern[index...].firstIndex(of: ">") else { throw Unsupported() }
                    index = close + 1
                } else {
                    throw Unsupported()
                }
            }
            let alternatives = try alternation()
            guard index < pattern.count, pattern[index] == ")" else { throw Unsupported() }
            index += 1
            guard counts, !alternatives.contains(where: \.isEmpty) else { return nil }
            var union: [Unicode.Scalar] = []
            for needs in alternatives {
                let cheapest = needs.min { RegexPrefilter.cost($0) < RegexPrefilter.cost($1) }!
                for c in cheapest where !union.contains(c) { union.append(c) }
            }
            return union
        }

        /// Reads a quantifier after an atom, if any; true when it lets the atom be absent.
        mutating func optionalQuantifier() throws(Unsupported) -> Bool {
            guard index < pattern.count else { return false }
            var optional = false
            switch pattern[index] {
            case "?", "*":
                optional = true
                index += 1
            case "+":
                index += 1
            case "{":
                guard let close = pattern[index...].firstIndex(of: "}") else { throw Unsupported() }
                let bounds = String(String.UnicodeScalarView(pattern[(index + 1)..<close]))
                guard let least = Int(bounds.split(separator: ",", omittingEmptySubsequences: false).first ?? "") else {
                    throw Unsupported()
                }
                optional = least == 0
                index = close + 1
            default:
                return false
            }
            // A lazy or possessive mark changes how, not whether.
            if index < pattern.count, pattern[index] == "?" || pattern[index] == "+" { index += 1 }
            return optional
        }
    }

    /// The set as case-insensitive matching may see it; nil when that is not simple to say.
    static func caseForms(_ set: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var forms: [Unicode.Scalar] = []
        for c in set {
            let more: [Unicode.Scalar]
            switch c.value {
            case 65...90: more = [c, Unicode.Scalar(c.value + 32)!]
            case 97...122: more = [c, Unicode.Scalar(c.value - 32)!]
            case 0..<128: more = [c]
            default:
                let p = c.properties
                if p.isCased || p.changesWhenCaseFolded { return nil }
                more = [c]
            }
            for form in more where !forms.contains(form) { forms.append(form) }
        }
        return forms
    }
}
