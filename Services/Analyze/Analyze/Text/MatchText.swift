/// The form rules are matched on: Chinese as written, Latin words lower-cased, Porter
/// stemmed and padded with one space (" refund annual fee "), clause punctuation as `|`,
/// other spaces dropped. Rule phrases go through the same function, so "refunds" in a
/// text matches the phrase "refund" and 年 费 matches 年费.
public enum MatchText {
    public static let boundary: Unicode.Scalar = "|"

    public static func normalize(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.utf8.count + 8)
        var word: [UInt8] = []
        var wordIsLetters = true
        func flushWord() {
            guard !word.isEmpty else { return }
            let raw = String(decoding: word, as: UTF8.self)
            let stem = wordIsLetters ? EnglishStemmer.stem(raw) : raw
            if out.last != " " { out.append(" ") }
            out.append(contentsOf: stem.unicodeScalars)
            out.append(" ")
            word.removeAll(keepingCapacity: true)
            wordIsLetters = true
        }
        for original in text.unicodeScalars {
            if ChineseSegmenter.isCJK(original) {
                flushWord()
                out.append(original)
                continue
            }
            var scalar = original
            if (0xFF01...0xFF5E).contains(scalar.value), let ascii = Unicode.Scalar(scalar.value - 0xFEE0) { scalar = ascii }
            let v = scalar.value
            if (65...90).contains(v) {
                word.append(UInt8(v + 32))
            } else if (97...122).contains(v) {
                word.append(UInt8(v))
            } else if (48...57).contains(v) || ((v == 39 || v == 0x2019) && !word.isEmpty) {
                // Digits and apostrophes ("can't") keep the word as written: no stemming.
                word.append(v == 0x2019 ? 39 : UInt8(v))
                wordIsLetters = false
            } else {
                flushWord()
                if isClausePunctuation(scalar) {
                    // The word before keeps its closing space, so " third time " matches before "!".
                    if out.last != boundary { out.append(boundary) }
                } else if v < 128 {
                    // ASCII letters and digits were taken above: the rest is space or punctuation.
                    continue
                } else if scalar.properties.isWhitespace || !(scalar.properties.isAlphabetic || scalar.properties.numericType != nil) {
                    continue
                } else {
                    out.append(scalar)
                }
            }
        }
        flushWord()
        return out
    }

    /// A phrase of the rule file in match form, without clause marks.
    public static func phrase(_ text: String) -> [Unicode.Scalar] {
        normalize(text).filter { $0 != boundary }
    }

    /// A word of contrast starts at `index` of a normalized text: 但(是) but not 不但, 可是,
    /// 不过 but not 不过分, 然而, " but ".
    static func contrastStarts(_ text: [Unicode.Scalar], at index: Int) -> Bool {
        func at(_ offset: Int, _ scalar: Unicode.Scalar) -> Bool {
            index + offset >= 0 && index + offset < text.count && text[index + offset] == scalar
        }
        switch text[index] {
        case "但": return !at(-1, "不")
        case "可": return at(1, "是")
        case "不": return at(1, "过") && !at(2, "分")
        case "然": return at(1, "而")
        case " ": return at(1, "b") && at(2, "u") && at(3, "t") && at(4, " ")
        default: return false
        }
    }

    static func isClausePunctuation(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case ",", ".", "!", "?", ";", ":", "\n", "，", "。", "！", "？", "；", "：", "、", "…", "~": return true
        default: return false
        }
    }
}
