import Foundation

/// Word error rate: (substitutions + deletions + insertions) / reference words, after
/// lower-casing and removing punctuation. Chinese and Japanese have no spaces, so each
/// of their characters counts as a word (character error rate).
public enum WordErrorRate {
    public struct Score: Sendable, Equatable {
        public var errors: Int
        public var referenceWords: Int
        public var rate: Double { referenceWords == 0 ? (errors == 0 ? 0 : 1) : Double(errors) / Double(referenceWords) }
    }

    public static func score(reference: String, hypothesis: String) -> Score {
        let ref = tokens(reference), hyp = tokens(hypothesis)
        return Score(errors: editDistance(ref, hyp), referenceWords: ref.count)
    }

    /// Lower-cased words without punctuation; CJK characters one by one.
    public static func tokens(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        func flush() {
            if !current.isEmpty { words.append(current); current = "" }
        }
        for character in text.lowercased() {
            if character == "’" || character == "'" {
                if !current.isEmpty { current.append("'") }
            } else if character.unicodeScalars.contains(where: isCJK) {
                flush()
                words.append(String(character))
            } else if character.isLetter || character.isNumber {
                current.append(character)
            } else {
                flush()
            }
        }
        flush()
        return words.map { $0.hasSuffix("'") ? String($0.dropLast()) : $0 }
    }

    /// Levenshtein distance over tokens.
    static func editDistance(_ a: [String], _ b: [String]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(substitution, previous[j] + 1, current[j - 1] + 1)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    private static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}
