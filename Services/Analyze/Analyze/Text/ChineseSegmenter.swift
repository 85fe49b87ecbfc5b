import CFriso
import Foundation
import Synchronization

/// Chinese word segmentation by friso (Debian's `libfriso-dev`, MMSEG complex mode)
/// with its UTF-8 lexicon (`friso-dict`), plus the finance words of the rule pack.
///
/// The lexicon is loaded once; friso tasks come from a pool, one per call at a time, so
/// one segmenter serves every thread. Segmenting reads the lexicon under a shared lock;
/// adding words (at a rule-pack reload) takes it exclusively, so a reload never races a
/// segmentation.
public final class ChineseSegmenter: @unchecked Sendable {
    /// The friso configuration Debian installs; it points at `/usr/share/friso/dict/UTF-8/`.
    public static let defaultIni = "/etc/friso/friso.ini"

    private let friso: friso_t
    private let config: friso_config_t
    private let added = Mutex<Set<String>>([])
    private let lexiconLock: UnsafeMutablePointer<pthread_rwlock_t>
    private let cache: Mutex<ClauseCache>
    /// Friso tasks are reused: allocating one per call cost as much as segmenting a short clause.
    private let tasks = Mutex<[Task]>([])

    /// A friso task; one thread at a time uses it (it is out of the pool meanwhile).
    private struct Task: @unchecked Sendable {
        let task: friso_task_t
    }

    /// Clauses whose words are kept (a few MB at most); 0 sends every clause to friso.
    public static let defaultClauseCache = 20_000

    /// Loads friso's lexicon.
    /// - Parameters:
    ///   - ini: a friso `.ini` file (`friso.lex_dir` names the lexicon folder).
    ///   - clauseCache: how many clauses' words to keep (see ``segment(_:)``).
    /// - Throws: ``AnalyzeError`` when the file or the lexicon cannot be loaded.
    public init(ini: String = ChineseSegmenter.defaultIni, clauseCache: Int = ChineseSegmenter.defaultClauseCache) throws(AnalyzeError) {
        guard FileManager.default.isReadableFile(atPath: ini) else {
            throw AnalyzeError(.segmenter, "friso configuration \(ini) is missing: apt-get install libfriso-dev friso-dict")
        }
        guard let friso = friso_new(), let config = friso_new_config() else {
            throw AnalyzeError(.segmenter, "friso could not allocate its state")
        }
        let loaded = ini.withCString { friso_init_from_ifile(friso, config, UnsafeMutablePointer(mutating: $0)) }
        guard loaded == 1 else {
            friso_free(friso)
            free(config)
            throw AnalyzeError(.segmenter, "friso could not load its lexicon from \(ini)")
        }
        // Words only: no synonyms appended, stop words kept (the analysers decide), and
        // characters outside the lexicon kept as single-character tokens.
        config.pointee.add_syn = 0
        config.pointee.clr_stw = 0
        config.pointee.keep_urec = 1
        self.friso = friso
        self.config = config
        cache = Mutex(ClauseCache(capacity: clauseCache))
        lexiconLock = .allocate(capacity: 1)
        pthread_rwlock_init(lexiconLock, nil)
    }

    deinit {
        for pooled in tasks.withLock({ $0 }) { friso_free_task(pooled.task) }
        friso_free(friso)
        free(config)
        pthread_rwlock_destroy(lexiconLock)
        lexiconLock.deallocate()
    }

    /// Adds domain words (保本, 赎回, 征信 …) to the lexicon so they stay whole.
    /// Words already present are skipped; friso keeps the strings for its lifetime.
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
            let exists = word.withCString { friso_dic_match(friso.pointee.dic, __LEX_CJK_WORDS__, UnsafeMutablePointer(mutating: $0)) }
            if exists == 1 { continue }
            // friso stores the pointer: the copy lives as long as the process.
            friso_dic_add(friso.pointee.dic, __LEX_CJK_WORDS__, strdup(word), nil)
        }
    }

    /// The words of `text`, in order; clause punctuation (，。！？…) becomes `|`, other punctuation is dropped.
    ///
    /// The text is cut at full-width clause marks, where friso ends every word anyway, and each
    /// clause is looked up in ``ClauseCache`` before friso sees it: contact-centre speech
    /// repeats its clauses (greetings, scripts, the same complaint), and MMSEG is the most
    /// expensive step of analyze.
    public func segment(_ text: String) -> [String] {
        var words: [String] = []
        words.reserveCapacity(text.utf8.count / 4)
        var copy = text
        copy.withUTF8 { bytes in
            var clauseStart = 0
            var index = 0
            while index < bytes.count {
                guard Self.isClauseCut(bytes, at: index) else {
                    index += 1
                    continue
                }
                appendClause(UnsafeBufferPointer(rebasing: bytes[clauseStart..<index]), to: &words)
                if !Self.endsWithMark(words) { words.append("|") }
                index += 3
                clauseStart = index
            }
            appendClause(UnsafeBufferPointer(rebasing: bytes[clauseStart...]), to: &words)
        }
        return words
    }

    /// Friso over the whole text at once, without cutting or the cache: what ``segment(_:)`` must equal.
    func segmentWhole(_ text: String) -> [String] {
        pthread_rwlock_rdlock(lexiconLock)
        defer { pthread_rwlock_unlock(lexiconLock) }
        var words: [String] = []
        frisoSegment(text, into: &words)
        return words
    }

    private func appendClause(_ clause: UnsafeBufferPointer<UInt8>, to words: inout [String]) {
        guard !clause.isEmpty else { return }
        if let cached = cache.withLock({ $0.words(of: clause) }) {
            appendWords(cached, to: &words)
            return
        }
        pthread_rwlock_rdlock(lexiconLock)
        defer { pthread_rwlock_unlock(lexiconLock) }
        var clauseWords: [String] = []
        frisoSegment(String(decoding: clause, as: UTF8.self), into: &clauseWords)
        // Still under the lexicon lock, so a clause split before new words arrived is never cached after them.
        cache.withLock { $0.insert(clause, clauseWords) }
        appendWords(clauseWords, to: &words)
    }

    /// Appends a clause's words, keeping at most one `|` in a row as friso over the whole text would.
    private func appendWords(_ clauseWords: [String], to words: inout [String]) {
        for word in clauseWords where !(Self.isMark(word) && Self.endsWithMark(words)) { words.append(word) }
    }

    /// Friso over one text, with a task borrowed from the pool; the caller holds the lexicon lock.
    private func frisoSegment(_ text: String, into words: inout [String]) {
        guard let task = tasks.withLock({ $0.popLast()?.task }) ?? friso_new_task() else { return }
        defer { tasks.withLock { $0.append(Task(task: task)) } }
        var copy = Array(text.utf8CString)
        copy.withUnsafeMutableBufferPointer { buffer in
            friso_set_text(task, buffer.baseAddress)
            while let token = voc_friso_next(friso, config, task) {
                let length = Int(token.pointee.length)
                if length == 0 { continue }
                let word = withUnsafeBytes(of: &token.pointee.word) { raw in
                    String(decoding: UnsafeRawBufferPointer(rebasing: raw[..<min(length, raw.count)]), as: UTF8.self)
                }
                if token.pointee.type == UInt8(__LEX_PUNC_WORDS__.rawValue) || Self.isPunctuation(word) {
                    // Clause punctuation stays as one mark so negation does not reach across it.
                    if let first = word.unicodeScalars.first, MatchText.isClausePunctuation(first), !Self.endsWithMark(words) { words.append("|") }
                    continue
                }
                words.append(word)
            }
        }
    }

    /// A full-width clause mark (，。！？；：、) starts at `index`: friso always ends a word
    /// before one and emits it alone. Each is three bytes in UTF-8.
    static func isClauseCut(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        guard index + 2 < bytes.count else { return false }
        switch (bytes[index], bytes[index + 1], bytes[index + 2]) {
        case (0xEF, 0xBC, 0x8C), (0xEF, 0xBC, 0x81), (0xEF, 0xBC, 0x9F), (0xEF, 0xBC, 0x9B), (0xEF, 0xBC, 0x9A),
             (0xE3, 0x80, 0x82), (0xE3, 0x80, 0x81):
            return true
        default:
            return false
        }
    }

    /// `word` is the clause mark `|`, by its bytes (`==` on strings compares normalised forms).
    @inline(__always)
    static func isMark(_ word: String) -> Bool {
        word.utf8.count == 1 && word.utf8.first == UInt8(ascii: "|")
    }

    static func endsWithMark(_ words: [String]) -> Bool {
        words.last.map(isMark) ?? false
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
