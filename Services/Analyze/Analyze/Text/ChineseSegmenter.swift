import CJieba
import Foundation
import Synchronization
import VOCFastJSON

/// Chinese word segmentation by jieba: cppjieba's MixSegment (maximum probability over
/// jieba's dictionary, HMM for runs of characters the dictionary does not join), the same
/// words the Python `jieba.lcut` world works with, plus the finance words of the rule pack.
///
/// The dictionary is loaded once into a compact table (`Shared/CJieba`, 28 MB where
/// cppjieba's own trie takes 116 MB) and serves every thread. Segmenting reads it under a
/// shared lock; adding words (at a rule-pack reload) takes it exclusively, so a reload
/// never races a segmentation.
public final class ChineseSegmenter: @unchecked Sendable {
    /// jieba's dictionary and HMM model, shipped with analyze (fetched from the cppjieba
    /// source package by `scripts/fetch-cppjieba.sh`).
    public static func bundledDictionary() -> URL? {
        Bundle.module.url(forResource: "jieba", withExtension: nil)
    }

    private let jieba: OpaquePointer
    private let added = Mutex<Set<String>>([])
    private let lexiconLock: UnsafeMutablePointer<pthread_rwlock_t>
    private let cache: Mutex<ClauseCache>
    private let useCache: Bool

    /// Clauses whose words are kept (a few MB at most); 0 sends every clause to jieba.
    public static let defaultClauseCache = 20_000

    /// Loads jieba's dictionary and HMM model.
    /// - Parameters:
    ///   - dictionary: a folder with `jieba.dict.utf8` and `hmm_model.utf8`; nil: the bundled one.
    ///   - clauseCache: how many clauses' words to keep (see ``segment(_:)``).
    /// - Throws: ``AnalyzeError`` when the files are missing or malformed.
    public init(dictionary: URL? = nil, clauseCache: Int = ChineseSegmenter.defaultClauseCache) throws(AnalyzeError) {
        guard let folder = dictionary ?? Self.bundledDictionary() else {
            throw AnalyzeError(.segmenter, "jieba's dictionary is not bundled: run scripts/fetch-cppjieba.sh and rebuild, or set analyze.jiebaDictionary")
        }
        let words = folder.appendingPathComponent("jieba.dict.utf8").path
        let hmm = folder.appendingPathComponent("hmm_model.utf8").path
        var error = [CChar](repeating: 0, count: 512)
        guard let jieba = voc_jieba_open(words, hmm, &error, error.count) else {
            let reason = String(decoding: error.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw AnalyzeError(.segmenter, "jieba's dictionary in \(folder.path) could not be loaded: \(reason)")
        }
        self.jieba = jieba
        cache = Mutex(ClauseCache(capacity: clauseCache))
        useCache = clauseCache > 0
        lexiconLock = .allocate(capacity: 1)
        pthread_rwlock_init(lexiconLock, nil)
    }

    deinit {
        voc_jieba_close(jieba)
        pthread_rwlock_destroy(lexiconLock)
        lexiconLock.deallocate()
    }

    /// Adds domain words (保本, 赎回, 征信 …) to the dictionary so they stay whole, with the
    /// weight jieba gives user words; words it already has keep their own weight.
    public func addWords<S: Sequence<String>>(_ words: S) {
        let fresh = added.withLock { known -> [String] in
            let new = words.filter { word in
                !word.isEmpty && word.unicodeScalars.contains(where: Self.isCJK) && !known.contains(word)
            }
            known.formUnion(new)
            return new
        }
        guard !fresh.isEmpty else { return }
        pthread_rwlock_wrlock(lexiconLock)
        defer { pthread_rwlock_unlock(lexiconLock) }
        // New words change how cached clauses split.
        cache.withLock { $0.removeAll() }
        for word in fresh {
            var copy = word
            _ = copy.withUTF8 { voc_jieba_add_word(jieba, $0.baseAddress, $0.count) }
        }
    }

    /// One word of a text by its UTF-8 offsets, or a clause mark (`start` < 0).
    public struct WordRange: Sendable, Equatable {
        public var start: Int32
        public var end: Int32

        static let mark = WordRange(start: -1, end: -1)
        public var isMark: Bool { start < 0 }

        func shifted(by offset: Int) -> WordRange {
            isMark ? self : WordRange(start: start + Int32(offset), end: end + Int32(offset))
        }
    }

    /// The words of `text`, in order; clause punctuation (，。！？…) becomes `|`, other punctuation and spaces are dropped.
    public func segment(_ text: String) -> [String] {
        Self.strings(text, wordRanges(text))
    }

    /// The words of `text` as UTF-8 offsets, without making a string per word (analyze numbers
    /// them straight from the bytes, see ``TermTable``); clause punctuation is a mark.
    ///
    /// The text is cut at full-width commas and full stops, where jieba cuts it anyway, and each
    /// clause is looked up in ``ClauseCache`` before jieba sees it: contact-centre speech
    /// repeats its clauses (greetings, scripts, the same complaint).
    public func wordRanges(_ text: String) -> [WordRange] {
        var words: [WordRange] = []
        var copy = text
        copy.withUTF8 { bytes in
            words.reserveCapacity(bytes.count / 4)
            var clauseStart = 0
            var index = 0
            while index < bytes.count {
                guard Self.isClauseCut(bytes, at: index) else {
                    index += 1
                    continue
                }
                appendClause(bytes, clauseStart..<index, to: &words)
                if words.last?.isMark != true { words.append(.mark) }
                index += 3
                clauseStart = index
            }
            appendClause(bytes, clauseStart..<bytes.count, to: &words)
        }
        return words
    }

    /// jieba over the whole text at once, without cutting or the cache: what ``segment(_:)`` must equal.
    func segmentWhole(_ text: String) -> [String] {
        pthread_rwlock_rdlock(lexiconLock)
        defer { pthread_rwlock_unlock(lexiconLock) }
        var words: [WordRange] = []
        var copy = text
        copy.withUTF8 { jiebaSegment($0, into: &words) }
        return Self.strings(text, words)
    }

    /// The ranges' words as strings, `|` for a mark.
    static func strings(_ text: String, _ ranges: [WordRange]) -> [String] {
        var copy = text
        return copy.withUTF8 { bytes in
            ranges.map { $0.isMark ? "|" : String(decoding: UnsafeBufferPointer(rebasing: bytes[Int($0.start)..<Int($0.end)]), as: UTF8.self) }
        }
    }

    private func appendClause(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, to words: inout [WordRange]) {
        guard !range.isEmpty else { return }
        let clause = UnsafeBufferPointer(rebasing: text[range])
        if useCache, let cached = cache.withLock({ $0.words(of: clause) }) {
            appendWords(cached, at: range.lowerBound, to: &words)
            return
        }
        pthread_rwlock_rdlock(lexiconLock)
        defer { pthread_rwlock_unlock(lexiconLock) }
        var clauseWords: [WordRange] = []
        jiebaSegment(clause, into: &clauseWords)
        // Still under the lexicon lock, so a clause split before new words arrived is never cached after them.
        if useCache { cache.withLock { $0.insert(clause, clauseWords) } }
        appendWords(clauseWords, at: range.lowerBound, to: &words)
    }

    /// Appends a clause's words (offsets within the clause), keeping at most one mark in a row as jieba over the whole text would.
    private func appendWords(_ clauseWords: [WordRange], at offset: Int, to words: inout [WordRange]) {
        for word in clauseWords where !(word.isMark && words.last?.isMark == true) { words.append(word.shifted(by: offset)) }
    }

    /// jieba over UTF-8 bytes, offsets relative to them; the caller holds the lexicon lock.
    private func jiebaSegment(_ text: UnsafeBufferPointer<UInt8>, into words: inout [WordRange]) {
        guard let base = text.baseAddress, !text.isEmpty else { return }
        // A word is at least one character (1–4 bytes), so one end per byte always suffices.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: text.count) { ends in
            let count = base.withMemoryRebound(to: CChar.self, capacity: text.count) {
                voc_jieba_cut(jieba, $0, text.count, ends.baseAddress, ends.count)
            }
            var start = 0
            for index in 0..<min(count, ends.count) {
                let end = Int(ends[index])
                defer { start = end }
                switch Self.kind(UnsafeBufferPointer(rebasing: text[start..<end])) {
                case .word:
                    words.append(WordRange(start: Int32(start), end: Int32(end)))
                case .clauseMark:
                    // Clause punctuation stays as one mark so negation does not reach across it.
                    if words.last?.isMark != true { words.append(.mark) }
                case .skip:
                    continue
                }
            }
        }
    }

    enum TokenKind { case word, clauseMark, skip }

    /// What a token of jieba's is for the analysers: a word (Chinese, Latin letters, digits),
    /// clause punctuation, or something to drop (spaces, other punctuation).
    static func kind(_ bytes: UnsafeBufferPointer<UInt8>) -> TokenKind {
        guard let first = bytes.first else { return .skip }
        switch first {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .word
        case 0xE4...0xE9: return .word  // U+4E00–U+9FFF, the common Chinese characters
        default: break
        }
        // One character of clause punctuation (，。？ …), the common case here, without a String.
        if let scalar = singleScalar(bytes), MatchText.isClausePunctuation(scalar) { return .clauseMark }
        let word = String(decoding: bytes, as: UTF8.self)
        guard isPunctuation(word) else { return .word }
        if let scalar = word.unicodeScalars.first, MatchText.isClausePunctuation(scalar) { return .clauseMark }
        return .skip
    }

    /// A full-width comma or full stop (，。) starts at `index`: jieba cuts its input there
    /// before segmenting (cppjieba's PreFilter), so a text cut there splits into the same words.
    /// Other clause marks (！？；：、) are not cuts: the HMM can join the characters around them.
    /// Each is three bytes in UTF-8.
    static func isClauseCut(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 2 < bytes.count else { return false }
        switch (bytes[index], bytes[index + 1], bytes[index + 2]) {
        case (0xEF, 0xBC, 0x8C), (0xE3, 0x80, 0x82):
            return true
        default:
            return false
        }
    }

    /// The one character `bytes` (valid UTF-8) hold, or nil when they hold more.
    static func singleScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard let lead = bytes.first else { return nil }
        if lead < 0x80 { return bytes.count == 1 ? Unicode.Scalar(lead) : nil }
        let (scalar, length) = UTF8Text.decode(bytes, at: 0)
        return length == bytes.count ? scalar : nil
    }

    static func isPunctuation(_ word: String) -> Bool {
        guard let first = word.unicodeScalars.first, !isCJK(first) else { return false }
        if first.isASCII, first.properties.isAlphabetic || (48...57).contains(first.value) { return false }
        return word.unicodeScalars.allSatisfy { !$0.properties.isAlphabetic && $0.properties.numericType == nil }
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0xF900...0xFAFF: return true
        default: return false
        }
    }
}
