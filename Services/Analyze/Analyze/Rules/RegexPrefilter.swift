/// A cheap test that tells when a rule's regex cannot match, so the ICU engine (and
/// bridging the utterance to `NSString`) is skipped for most utterances.
///
/// Each top-level alternative of the pattern needs certain characters: a literal, a class
/// ([6789], \d) or a group (each of whose alternatives needs one of a few characters) that
/// no quantifier makes optional. A text that lacks one of them for every alternative cannot
/// match. Lookbehinds and negative lookaheads need nothing; a positive lookahead needs what
/// its content needs. A pattern for which no alternative can be shown to need anything
/// (or that uses syntax this reading does not know) has no prefilter and always runs.
///
/// Characters alone pass almost every text for a pattern such as 我…[789]\d…了, since most
/// texts hold 我, a phone number and 了. So each alternative also needs certain pairs of
/// adjacent characters: where a part that must match is followed by more that must match,
/// the last character of the one is next to the first character of the other (a digit
/// right before 岁 or 了 in that pattern).
struct RegexPrefilter: Sendable {
    /// Per top-level alternative: the sets of characters it needs, one character of each set
    /// (ASCII letters in both cases), the rarest-looking first.
    let alternatives: [[[Unicode.Scalar]]]
    /// Per top-level alternative: the pairs of adjacent characters it needs, one of each.
    let pairs: [[Pair]]

    /// A character of `before` directly followed by one of `after`.
    struct Pair: Sendable, Equatable {
        let before: [Unicode.Scalar]
        let after: [Unicode.Scalar]
    }

    /// Pairs of sets with more combinations than this cost more to test than they save.
    static let pairLimit = 256

    init?(pattern: String) {
        var parser = Parser(pattern: Array(pattern.unicodeScalars))
        guard let sequences = try? parser.alternation(), parser.index == parser.pattern.count else { return nil }
        let pairs = sequences.map(Self.pairs)
        guard !zip(sequences, pairs).contains(where: { $0.needs.isEmpty && $1.isEmpty }) else { return nil }
        alternatives = sequences.map { $0.needs.sorted { Self.cost($0) < Self.cost($1) } }
        self.pairs = pairs
    }

    func mayMatch(_ text: String) -> Bool { mayMatch(Presence(text)) }

    func mayMatch(_ presence: Presence) -> Bool {
        zip(alternatives, pairs).contains { needs, pairs in
            needs.allSatisfy { set in set.contains(where: presence.contains) } && pairs.allSatisfy(presence.contains)
        }
    }

    /// Where a piece that must match is followed by a rest that must match, the piece's
    /// last character and the rest's first are adjacent in any text the sequence matches.
    static func pairs(_ sequence: Sequence) -> [Pair] {
        var pairs: [Pair] = []
        for (index, piece) in sequence.pieces.enumerated() where !piece.nullable {
            let rest = Sequence(needs: [], pieces: Array(sequence.pieces[(index + 1)...]))
            guard !rest.nullable, let last = piece.last.flatMap(caseForms), let first = rest.first.flatMap(caseForms),
                  !last.isEmpty, !first.isEmpty, last.count * first.count <= pairLimit else { continue }
            let pair = Pair(before: last, after: first)
            if !pairs.contains(pair) { pairs.append(pair) }
        }
        return pairs
    }

    /// Which characters a text has, code points folded to 16 bits: built once per utterance
    /// for all the regexes that look at it. A fold can only say yes too often, which runs a
    /// regex that would not match, never the reverse.
    /// Adjacent pairs are hashed to 16 bits the same way.
    struct Presence {
        /// The characters' bits, then the pairs' bits: one allocation per utterance.
        private var bits = [UInt64](repeating: 0, count: 2 * Self.words)
        private static let words = 1024

        init(_ text: String) {
            bits.withUnsafeMutableBufferPointer { bits in
                var previous: UInt32?
                for scalar in text.unicodeScalars {
                    Self.set(bits, Int(scalar.value & 0xFFFF))
                    if let previous { Self.set(bits, Self.words * 64 + Self.pairBit(previous, scalar.value)) }
                    previous = scalar.value
                }
            }
        }

        func contains(_ scalar: Unicode.Scalar) -> Bool {
            Self.test(bits, Int(scalar.value & 0xFFFF))
        }

        func contains(_ pair: Pair) -> Bool {
            pair.before.contains { before in
                pair.after.contains { after in Self.test(bits, Self.words * 64 + Self.pairBit(before.value, after.value)) }
            }
        }

        private static func pairBit(_ before: UInt32, _ after: UInt32) -> Int {
            Int(((before &* 0x9E37_79B1) ^ (after &* 0x85EB_CA77)) >> 16)
        }

        private static func set(_ bits: UnsafeMutableBufferPointer<UInt64>, _ bit: Int) {
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
        }

        private static func test(_ bits: [UInt64], _ bit: Int) -> Bool {
            bits[bit >> 6] & (1 << UInt64(bit & 63)) != 0
        }
    }

    /// Characters found in most texts make a set a poor first test.
    private static let common = Set("我你他她的了是在有不这那就都也一个人要".unicodeScalars)

    static func cost(_ set: [Unicode.Scalar]) -> Int {
        set.count + (set.contains(where: common.contains) ? 1_000 : 0)
    }

    private struct Unsupported: Error {}

    /// What one atom of the pattern asks of a text.
    struct Piece {
        /// One of these characters must be in the text (nil: nothing one can name).
        var need: [Unicode.Scalar]?
        /// The characters its match can begin and end with; nil when not known, empty when
        /// it consumes nothing (a lookaround or an anchor).
        var first: [Unicode.Scalar]?
        var last: [Unicode.Scalar]?
        /// It can match without consuming a character.
        var nullable: Bool

        static let zeroWidth = Piece(need: nil, first: [], last: [], nullable: true)
        static let anyCharacter = Piece(need: nil, first: nil, last: nil, nullable: false)

        static func character(_ set: [Unicode.Scalar]) -> Piece {
            Piece(need: set, first: set, last: set, nullable: false)
        }
    }

    /// One alternative: the character sets it needs and its pieces in order.
    struct Sequence {
        var needs: [[Unicode.Scalar]]
        var pieces: [Piece]

        var nullable: Bool { pieces.allSatisfy(\.nullable) }

        /// The characters a match that consumes any can begin with.
        var first: [Unicode.Scalar]? { Self.edge(pieces, \.first) }
        var last: [Unicode.Scalar]? { Self.edge(pieces.reversed(), \.last) }

        private static func edge(_ pieces: some Swift.Sequence<Piece>, _ side: KeyPath<Piece, [Unicode.Scalar]?>) -> [Unicode.Scalar]? {
            var union: [Unicode.Scalar] = []
            for piece in pieces {
                guard let set = piece[keyPath: side] else { return nil }
                for c in set where !union.contains(c) { union.append(c) }
                if !piece.nullable { break }
            }
            return union
        }
    }

    /// A recursive reading of the pattern, enough to say which characters it needs.
    private struct Parser {
        let pattern: [Unicode.Scalar]
        var index = 0

        /// Alternatives up to the `)` that closes the current group (or the end).
        mutating func alternation() throws(Unsupported) -> [Sequence] {
            var alternatives: [Sequence] = []
            var current = Sequence(needs: [], pieces: [])
            while index < pattern.count, pattern[index] != ")" {
                if pattern[index] == "|" {
                    alternatives.append(current)
                    current = Sequence(needs: [], pieces: [])
                    index += 1
                    continue
                }
                var piece = try atom()
                if try optionalQuantifier() {
                    piece.need = nil
                    piece.nullable = true
                }
                if let needed = piece.need, let folded = RegexPrefilter.caseForms(needed) {
                    current.needs.append(folded)
                }
                current.pieces.append(piece)
            }
            alternatives.append(current)
            return alternatives
        }

        mutating func atom() throws(Unsupported) -> Piece {
            let c = pattern[index]
            index += 1
            switch c {
            case "\\":
                return try escape()
            case "[":
                return try characterClass()
            case "(":
                return try group()
            case ".":
                return .anyCharacter
            case "^", "$":
                return .zeroWidth
            case "*", "+", "?", "{", "]", "}":
                throw Unsupported()
            default:
                return c.properties.isWhitespace ? Piece(need: nil, first: [c], last: [c], nullable: false) : .character([c])
            }
        }

        mutating func escape() throws(Unsupported) -> Piece {
            guard index < pattern.count else { throw Unsupported() }
            let c = pattern[index]
            index += 1
            if c == "d" { return .character(Self.digits) }
            if "bBAzZG".unicodeScalars.contains(c) { return .zeroWidth }
            if "DwWsS".unicodeScalars.contains(c) { return .anyCharacter }
            if c == "u" { return .character([try hex(4)]) }
            if c.properties.isAlphabetic || c.properties.numericType != nil { throw Unsupported() }
            return .character([c])
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

        /// A plain class of characters and short ranges; any character for anything else (it
        /// still needs one, but saying which would take more than this reading).
        mutating func characterClass() throws(Unsupported) -> Piece {
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
            return plain && !members.isEmpty ? .character(members) : .anyCharacter
        }

        /// A group needs one of what each of its alternatives needs (the cheapest set of each).
        /// A lookahead needs what its content needs but, like a lookbehind, consumes nothing.
        mutating func group() throws(Unsupported) -> Piece {
            var counts = true
            var consumes = true
            if index < pattern.count, pattern[index] == "?" {
                let rest = pattern[index...].prefix(3).map(Character.init)
                if rest.starts(with: [Character("?"), ":"]) {
                    index += 2
                } else if rest.starts(with: [Character("?"), "="]) {
                    index += 2
                    consumes = false
                } else if rest.starts(with: [Character("?"), "!"]) {
                    index += 2
                    counts = false
                    consumes = false
                } else if rest == ["?", "<", "="] || rest == ["?", "<", "!"] {
                    index += 3
                    counts = false
                    consumes = false
                } else if let end = pattern[(index + 1)...].firstIndex(where: { !"imsxwu-".unicodeScalars.contains($0) }),
                          pattern[end] == ")" || pattern[end] == ":" {
                    // Free spacing changes what whitespace means; the other flags change how, not which, characters match.
                    if pattern[(index + 1)..<end].contains("x") { throw Unsupported() }
                    // Flags: (?-i) alone needs nothing; (?i:…) is a group. Case forms already cover either case.
                    index = end + 1
                    if pattern[end] == ")" { return .zeroWidth }
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
            var piece = Piece.zeroWidth
            if consumes {
                piece.first = Self.union(alternatives.map(\.first))
                piece.last = Self.union(alternatives.map(\.last))
                piece.nullable = alternatives.contains(where: \.nullable)
            }
            guard counts, !alternatives.contains(where: \.needs.isEmpty) else { return piece }
            var union: [Unicode.Scalar] = []
            for alternative in alternatives {
                let cheapest = alternative.needs.min { RegexPrefilter.cost($0) < RegexPrefilter.cost($1) }!
                for c in cheapest where !union.contains(c) { union.append(c) }
            }
            piece.need = union
            return piece
        }

        static func union(_ sets: [[Unicode.Scalar]?]) -> [Unicode.Scalar]? {
            var union: [Unicode.Scalar] = []
            for set in sets {
                guard let set else { return nil }
                for c in set where !union.contains(c) { union.append(c) }
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
