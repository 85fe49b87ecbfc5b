import Foundation

/// Every word analyze has met, numbered, with what the analysers ask about it worked
/// out once: its index form (Porter stem, or the word itself), whether it can be a
/// keyword, its entry in the standard sentiment lexicon, and how many analysed
/// interactions held it as a term (its document frequency).
///
/// So each word of an interaction is hashed once; sentiment, keyword counting, TF-IDF and
/// learning then index arrays. Numbers are never reused, so they stay valid for the
/// life of the process (a restored corpus only resets the frequencies).
struct TermTable {
    /// Open addressing over FNV-1a of the UTF-8 bytes (see ``FNV1a``): the one hash per word
    /// of analyze. A slot holds the hash beside the number, so a probe reads one place.
    private var slots = [Slot](repeating: Slot(), count: 4096)
    /// Every word's UTF-8, one after another (word `id` is the bytes from `bounds[id]` to
    /// `bounds[id + 1]`): a probe compares bytes in place, without a `String`.
    private var bytes: [UInt8] = []
    private var bounds: [Int] = [0]
    private(set) var strings: [String] = []

    private struct Slot {
        var hash: UInt64 = 0
        /// -1 for a free slot.
        var id: Int32 = -1
    }
    /// The id of each word's index form.
    private(set) var stems: [Int32] = []
    private(set) var isCandidate: [Bool] = []
    private(set) var sentiment: [SentimentLexicon.Entry?] = []
    private(set) var isClauseMark: [Bool] = []
    /// Interactions that held the term (as an index form), for TF-IDF.
    var documentFrequency: [Int] = []

    /// The number of `word`, adding it when new.
    mutating func id(_ word: String) -> Int32 {
        var copy = word
        return copy.withUTF8 { id(bytes: $0) }
    }

    /// The number of the word whose UTF-8 is `bytes`, adding it when new: a string is made
    /// only for a word never seen before.
    mutating func id(bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (hash, slot, found) = lookup(bytes)
        if let found { return found }
        let word = String(decoding: bytes, as: UTF8.self)
        let id = Int32(strings.count)
        slots[slot] = Slot(hash: hash, id: id)
        self.bytes.append(contentsOf: bytes)
        bounds.append(self.bytes.count)
        strings.append(word)
        stems.append(id)
        isCandidate.append(KeywordExtractor.isCandidate(word))
        sentiment.append(SentimentLexicon.standard.entry(word))
        isClauseMark.append(word == "|")
        documentFrequency.append(0)
        if strings.count * 2 > slots.count { grow() }
        let stem = EnglishStemmer.stem(word)
        if stem != word {
            let stemID = self.id(stem)
            stems[Int(id)] = stemID
        }
        return id
    }

    /// The number of `word` when it has one.
    func existingID(_ word: String) -> Int32? {
        var copy = word
        return copy.withUTF8 { lookup($0).found }
    }

    /// The word's hash, and its number or the free slot where it would go.
    private func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> (hash: UInt64, slot: Int, found: Int32?) {
        let hash = FNV1a.hash(bytes)
        let mask = slots.count - 1
        var slot = FNV1a.slot(hash, mask: mask)
        while slots[slot].id >= 0 {
            let entry = slots[slot]
            if entry.hash == hash, equal(Int(entry.id), bytes) { return (hash, slot, entry.id) }
            slot = (slot + 1) & mask
        }
        return (hash, slot, nil)
    }

    private func equal(_ id: Int, _ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = bounds[id]
        guard bounds[id + 1] - start == word.count else { return false }
        for index in word.indices where bytes[start + index] != word[index] { return false }
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [Slot](repeating: Slot(), count: old.count * 2)
        let mask = slots.count - 1
        for entry in old where entry.id >= 0 {
            var slot = FNV1a.slot(entry.hash, mask: mask)
            while slots[slot].id >= 0 { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }
}
