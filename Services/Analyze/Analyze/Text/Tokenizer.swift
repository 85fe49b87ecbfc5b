import Foundation

/// Terms of a text for keywords, sentiment and clusters: jieba words for Chinese,
/// lower-cased Porter stems for English (also inside Chinese text).
public struct Tokenizer: Sendable {
    public let segmenter: ChineseSegmenter

    public init(segmenter: ChineseSegmenter) {
        self.segmenter = segmenter
    }

    /// Words in order, each as it is written (lower-cased); clause punctuation is `|`.
    public func words(_ text: String, language: String) -> [String] {
        if language == "zh" {
            return segmenter.segment(text).map { word in
                word.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) ? word.lowercased() : word
            }
        }
        return Self.latinWords(text)
    }

    /// Words reduced to their index form: Porter stems for Latin words, Chinese words as they are.
    public func terms(_ text: String, language: String) -> [String] {
        words(text, language: language).map { EnglishStemmer.stem($0) }
    }

    /// Splits on anything but letters, digits and apostrophes; lower-cases; keeps
    /// contractions whole ("don't") so negation can see them; clause punctuation is `|`.
    public static func latinWords(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                let word = String(current).trimmingCharacters(in: ["'"])
                if !word.isEmpty { words.append(word) }
                current.removeAll(keepingCapacity: true)
            }
        }
        for scalar in text.unicodeScalars {
            if ChineseSegmenter.isCJK(scalar) {
                flush()
                words.append(String(scalar))
            } else if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "'" || scalar == "’" {
                current.append(scalar == "’" ? "'" : scalar)
            } else {
                flush()
                if MatchText.isClausePunctuation(scalar), words.last != "|" { words.append("|") }
            }
        }
        flush()
        return words.map { $0.lowercased() }
    }
}
