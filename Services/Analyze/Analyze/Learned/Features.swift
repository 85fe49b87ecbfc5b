import Foundation

/// The sparse features the learned model reads, as 64-bit hashes: the model file lists the
/// hashes it learned a weight for, so a text needs no vocabulary of strings.
///
/// Per utterance (agent turns in their own namespace, so the model can learn that the
/// agent's words say little about the customer's stance): jieba words and English Porter stems,
/// word bigrams, a word inside a negation's scope (the three words after 不, 没有, not…
/// in the same clause) as a feature of its own, and Chinese character bigrams, which
/// survive the recogniser's slips (环款 still shares 款 pairs with 还款) and unpunctuated
/// speech. Per document: the language, the channel and the rule pack's phrase hits
/// (categories that fired, complaint-risk and effort signals).
enum Features {
    /// Words that open a negation's scope, by the hash of their bytes.
    struct Negations: Sendable {
        let hashes: Set<UInt64>
        /// One bit per hash's low bits: nearly every word is answered here, without hashing
        /// its hash again for the set.
        private let bits: [UInt64]

        init(_ words: [String]) {
            hashes = Set(words.map { word in
                var copy = word.lowercased()
                return copy.withUTF8(Features.wordHash)
            })
            var bits = [UInt64](repeating: 0, count: 16)
            for hash in hashes { bits[Int(hash >> 6 & 15)] |= 1 << (hash & 63) }
            self.bits = bits
        }

        func contains(_ hash: UInt64) -> Bool {
            bits[Int(hash >> 6 & 15)] & (1 << (hash & 63)) != 0 && hashes.contains(hash)
        }
    }

    private static let negationReach = 3

    /// Lower-cases ASCII letters, so "Refund" and "refund" are one word.
    static func wordHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            let folded = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
            hash = (hash ^ UInt64(folded)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var x = a ^ (b &* 0x9e37_79b9_7f4a_7c15)
        x = (x ^ (x >> 31)) &* 0xbf58_476d_1ce4_e5b9
        return x ^ (x >> 29)
    }

    enum Kind: UInt64 {
        case word = 1, bigram, negated, chars, language, channel, rule, signal
    }

    static func tag(_ kind: Kind, agent: Bool) -> UInt64 { kind.rawValue &* 2 &+ (agent ? 1 : 0) }

    /// Calls `emit` with every feature of one utterance; returns how many it emitted.
    @discardableResult
    static func utterance(_ tokens: Tokenizer.Tokens, agent: Bool, negations: Negations, _ emit: (UInt64) -> Void) -> Int {
        var count = 0
        var previous: UInt64 = 0
        var scope = 0
        func word(_ hash: UInt64, isMark: Bool) {
            if isMark {
                previous = 0
                scope = 0
                return
            }
            emit(mix(hash, tag(.word, agent: agent)))
            count += 1
            if previous != 0 {
                emit(mix(mix(previous, hash), tag(.bigram, agent: agent)))
                count += 1
            }
            if scope > 0 {
                emit(mix(hash, tag(.negated, agent: agent)))
                count += 1
                scope -= 1
            }
            if negations.contains(hash) { scope = negationReach }
            previous = hash
        }
        if tokens.ranges.isEmpty {
            for text in tokens.words {
                var stem = text == Tokenizer.mark ? text : EnglishStemmer.stem(text)
                word(stem.withUTF8(wordHash), isMark: text == Tokenizer.mark)
            }
        } else {
            var copy = tokens.text
            copy.withUTF8 { bytes in
                for range in tokens.ranges {
                    if range.isMark {
                        word(0, isMark: true)
                    } else {
                        word(wordHash(UnsafeBufferPointer(rebasing: bytes[Int(range.start)..<Int(range.end)])), isMark: false)
                    }
                }
            }
        }
        var last: UInt32 = 0
        let chars = tag(.chars, agent: agent)
        for scalar in tokens.text.unicodeScalars {
            let value = scalar.value
            guard value >= 0x3400 && value <= 0x9FFF else {
                last = 0
                continue
            }
            if last != 0 {
                emit(mix(UInt64(last) << 32 | UInt64(value), chars))
                count += 1
            }
            last = value
        }
        return count
    }

    /// The document's features: language, channel, rule hits and signals (each a name).
    static func document(language: String, channel: String, rules: [String], signals: [String], _ emit: (UInt64) -> Void) {
        emit(named(.language, language))
        emit(named(.channel, channel))
        for rule in rules { emit(named(.rule, rule)) }
        for signal in signals { emit(named(.signal, signal)) }
    }

    static func named(_ kind: Kind, _ name: String) -> UInt64 {
        var copy = name
        return mix(copy.withUTF8(wordHash), tag(kind, agent: false))
    }
}
