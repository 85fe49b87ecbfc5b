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

    /// An utterance's words ready to be numbered: Chinese as offsets into its text (no string
    /// per word), other languages as words.
    public struct Tokens: Sendable {
        let text: String
        let ranges: [ChineseSegmenter.WordRange]
        let words: [String]

        /// Each word's number in `table` (added when new), lower-cased as ``Tokenizer/words(_:language:)`` gives them.
        func ids(in table: inout TermTable) -> [Int32] {
            guard !ranges.isEmpty else { return words.map { table.id($0) } }
            var copy = text
            return copy.withUTF8 { bytes in
                ranges.map { range in
                    if range.isMark { return table.id(Tokenizer.mark) }
                    let word = UnsafeBufferPointer(rebasing: bytes[Int(range.start)..<Int(range.end)])
                    guard word.contains(where: { $0 >= 65 && $0 <= 90 }) else { return table.id(bytes: word) }
                    return table.id(String(decoding: word, as: UTF8.self).lowercased())
                }
            }
        }
    }

    static let mark = "|"

    /// The words of `text` for numbering (see ``Tokens``).
    public func tokens(_ text: String, language: String) -> Tokens {
        if language == "zh" { return Tokens(text: text, ranges: segmenter.wordRanges(text), words: []) }
        return Tokens(text: text, ranges: [], words: Self.latinWords(text))
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
