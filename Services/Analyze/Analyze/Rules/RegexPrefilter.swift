/// A cheap test that tells when a rule's regex cannot match, so the ICU engine (and
/// bridging the utterance to `NSString`) is skipped for most utterances.
///
/// Each top-level alternative of the pattern must contain some literal character outside
/// groups, classes and optional quantifiers; a text that holds none of these characters
/// (one per alternative) cannot match. A pattern for which this cannot be shown (an
/// alternative without such a literal, or a cased non-ASCII letter under case folding)
/// has no prefilter and always runs.
struct RegexPrefilter: Sendable {
    /// Any of these in the text lets the regex run; ASCII letters in both cases.
    let required: [Unicode.Scalar]

    init?(pattern: String) {
        var required: [Unicode.Scalar] = []
        for alternative in Self.topLevelAlternatives(Array(pattern.unicodeScalars)) {
            guard let literal = Self.requiredLiteral(alternative) else { return nil }
            for scalar in Self.caseForms(literal) where !required.contains(scalar) { required.append(scalar) }
        }
        guard !required.isEmpty else { return nil }
        self.required = required
    }

    func mayMatch(_ text: String) -> Bool {
        text.unicodeScalars.contains { required.contains($0) }
    }

    /// The pattern split at `|` outside groups and classes.
    static func topLevelAlternatives(_ p: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var alternatives: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var depth = 0
        var index = 0
        while index < p.count {
            let c = p[index]
            if c == "\\", index + 1 < p.count {
                current += [c, p[index + 1]]
                index += 2
                continue
            }
            if c == "[" {
                let end = classEnd(p, from: index)
                current += p[index..<end]
                index = end
                continue
            }
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if c == "|", depth == 0 {
                alternatives.append(current)
                current = []
            } else {
                current.append(c)
            }
            index += 1
        }
        alternatives.append(current)
        return alternatives
    }

    /// The last literal of `alternative` at group depth 0 that no quantifier makes optional,
    /// a space only when there is nothing else (spaces are everywhere).
    static func requiredLiteral(_ p: [Unicode.Scalar]) -> Unicode.Scalar? {
        var found: Unicode.Scalar?
        var space: Unicode.Scalar?
        var depth = 0
        var index = 0
        while index < p.count {
            let c = p[index]
            if c == "\\" {
                index += 2
                continue
            }
            if c == "[" {
                index = classEnd(p, from: index)
                continue
            }
            // A counted quantifier's digits and comma are not text the pattern needs.
            if c == "{", let close = p[index...].firstIndex(of: "}") {
                index = close + 1
                continue
            }
            if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }
            let isLiteral = depth == 0 && !"()|.^$?*+{}".unicodeScalars.contains(c)
            let next = index + 1 < p.count ? p[index + 1] : nil
            let optional = next == "?" || next == "*" || next == "{"
            if isLiteral, !optional, caseForms(c).count > 0 {
                if c.properties.isWhitespace { space = c } else { found = c }
            }
            index += 1
        }
        return found ?? space
    }

    /// The scalar as case-insensitive matching may see it; empty when that is not simple to say.
    static func caseForms(_ c: Unicode.Scalar) -> [Unicode.Scalar] {
        switch c.value {
        case 65...90: return [c, Unicode.Scalar(c.value + 32)!]
        case 97...122: return [c, Unicode.Scalar(c.value - 32)!]
        case 0..<128: return [c]
        default:
            let p = c.properties
            return p.isCased || p.changesWhenCaseFolded ? [] : [c]
        }
    }

    /// The index after the `]` that closes the class opening at `start`.
    private static func classEnd(_ p: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        if index < p.count, p[index] == "^" { index += 1 }
        if index < p.count, p[index] == "]" { index += 1 }
        while index < p.count, p[index] != "]" {
            index += p[index] == "\\" ? 2 : 1
        }
        return min(index + 1, p.count)
    }
}
