import Foundation
import Synchronization

/// Document frequencies of terms over every interaction analysed so far. It grows as
/// data flows: each analysed interaction adds its distinct terms once.
public final class CorpusFrequencies: Sendable {
    public struct Snapshot: Codable, Sendable, Equatable {
        public var documents: Int
        public var frequencies: [String: Int]

        public init(documents: Int = 0, frequencies: [String: Int] = [:]) {
            self.documents = documents
            self.frequencies = frequencies
        }
    }

    /// The number of interactions and the terms with their frequencies (see ``TermTable``).
    struct Table {
        var documents = 0
        var terms = TermTable()

        init(_ snapshot: Snapshot) {
            restore(snapshot)
        }

        /// Keeps every word's number: only the frequencies change.
        mutating func restore(_ snapshot: Snapshot) {
            documents = snapshot.documents
            for index in terms.documentFrequency.indices { terms.documentFrequency[index] = 0 }
            for (term, count) in snapshot.frequencies { terms.documentFrequency[Int(terms.id(term))] += count }
        }

        /// Smoothed inverse document frequency, the analysed document counted when `documentCounts`.
        func idf(documentFrequency: Int, documentCounts: Bool) -> Double {
            log(Double(1 + documents + (documentCounts ? 1 : 0)) / Double(1 + documentFrequency)) + 1
        }
    }

    private let state: Mutex<Table>

    public init(_ snapshot: Snapshot = Snapshot()) {
        state = Mutex(Table(snapshot))
    }

    public var snapshot: Snapshot {
        state.withLock { table in
            var frequencies: [String: Int] = [:]
            for (index, count) in table.terms.documentFrequency.enumerated() where count > 0 {
                frequencies[table.terms.strings[index], default: 0] += count
            }
            return Snapshot(documents: table.documents, frequencies: frequencies)
        }
    }

    /// Replaces the frequencies (with what PostgreSQL kept).
    public func restore(_ snapshot: Snapshot) {
        state.withLock { $0.restore(snapshot) }
    }

    /// Adds one document's distinct terms.
    public func observe(_ terms: some Sequence<String>) {
        state.withLock { table in
            table.documents += 1
            for term in terms { table.terms.documentFrequency[Int(table.terms.id(term))] += 1 }
        }
    }

    /// Adds one document's distinct terms, numbered.
    func observe(ids: [Int32]) {
        state.withLock { table in
            table.documents += 1
            for id in ids { table.terms.documentFrequency[Int(id)] += 1 }
        }
    }

    /// Runs `body` on the table under the lock: one lock for all the words of an interaction.
    func withTable<R>(_ body: (inout Table) -> R) -> R {
        state.withLock { body(&$0) }
    }

    /// Smoothed inverse document frequency, `ln((1 + N) / (1 + df)) + 1`, for each term,
    /// counting the document being analysed (`including`) as part of the corpus.
    public func idf(_ terms: some Sequence<String>, including document: Set<String> = []) -> [String: Double] {
        state.withLock { table in
            var result: [String: Double] = [:]
            for term in terms {
                let known = table.terms.existingID(term).map { table.terms.documentFrequency[Int($0)] } ?? 0
                result[term] = table.idf(documentFrequency: known + (document.contains(term) ? 1 : 0), documentCounts: !document.isEmpty)
            }
            return result
        }
    }
}

/// TF-IDF keywords of one interaction against the ``CorpusFrequencies``.
public struct KeywordExtractor: Sendable {
    public var limit: Int

    public init(limit: Int = 8) {
        self.limit = limit
    }

    /// The candidate terms of one interaction: each distinct index form (Porter stem for
    /// English) with its count and the word as first written.
    struct Counts {
        var terms: [Int32] = []
        var counts: [Int] = []
        var surfaces: [Int32] = []
        var total = 0

        /// Counts the candidate words among `ids` (numbered by `table`).
        init(_ ids: [Int32], table: borrowing TermTable) {
            // Stem → its index in `terms`, by open addressing: a Dictionary's hashing cost
            // more than the rest of the counting.
            var capacity = 16
            while capacity < ids.count * 2 { capacity <<= 1 }
            let mask = capacity - 1
            var places = [Int32](repeating: -1, count: capacity)
            for id in ids where table.isCandidate[Int(id)] {
                let stem = table.stems[Int(id)]
                total += 1
                var slot = Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: stem)) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
                while places[slot] >= 0, terms[Int(places[slot])] != stem { slot = (slot + 1) & mask }
                if places[slot] >= 0 {
                    counts[Int(places[slot])] += 1
                } else {
                    places[slot] = Int32(terms.count)
                    terms.append(stem)
                    counts.append(1)
                    surfaces.append(id)
                }
            }
        }
    }

    /// Terms that can be keywords: no stop words, clause marks, single Chinese
    /// characters, numbers or anything with a digit or `@` (PII never becomes a keyword).
    public static func candidates(_ terms: [String]) -> [String] {
        terms.filter(isCandidate)
    }

    static func isCandidate(_ term: String) -> Bool {
        var scalars = 0
        var ascii = true
        for byte in term.utf8 {
            if (48...57).contains(byte) || byte == 64 { return false }
            if byte & 0xC0 != 0x80 { scalars += 1 }
            if byte >= 0x80 { ascii = false }
        }
        if scalars <= 1 { return false }
        if ascii, scalars < 3 { return false }
        return !Stopwords.keys.contains(UTF8Key(term))
    }

    /// The top terms by TF-IDF with their weights, scaled so the first is 1.
    public func extract(_ terms: [String], corpus: CorpusFrequencies, including document: Set<String> = []) -> [(term: String, weight: Double)] {
        guard !terms.isEmpty else { return [] }
        var counts: [String: Int] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        let idf = corpus.idf(counts.keys, including: document)
        let total = Double(terms.count)
        let distinct = Array(counts)
        let weights = distinct.map { Double($0.value) / total * (idf[$0.key] ?? 1) }
        return top(weights, term: { distinct[$0].key }, shown: { distinct[$0].key })
    }

    /// Keywords of an interaction's own terms (each counted as part of the corpus), shown as first written.
    func extract(_ counts: Counts, table: CorpusFrequencies.Table) -> [(term: String, weight: Double)] {
        guard counts.total > 0 else { return [] }
        let total = Double(counts.total)
        let strings = table.terms.strings
        let weights = counts.terms.indices.map { index in
            let idf = table.idf(documentFrequency: table.terms.documentFrequency[Int(counts.terms[index])] + 1, documentCounts: true)
            return Double(counts.counts[index]) / total * idf
        }
        return top(weights, term: { strings[Int(counts.terms[$0])] }, shown: { strings[Int(counts.surfaces[$0])] })
    }

    /// The `limit` heaviest, ties by index form (`term`); weights scaled so the first is 1.
    /// Strings are read only for ties and for the terms kept.
    private func top(_ weights: [Double], term: (Int) -> String, shown: (Int) -> String) -> [(term: String, weight: Double)] {
        func before(_ a: Int, _ b: Int) -> Bool {
            weights[a] != weights[b] ? weights[a] > weights[b] : UTF8Key.precedes(term(a), term(b))
        }
        // The first `limit` in that order, by insertion: a full sort cost more than everything else here.
        var ranked: [Int] = []
        ranked.reserveCapacity(limit + 1)
        for index in weights.indices {
            if ranked.count == limit, let last = ranked.last, !before(index, last) { continue }
            var position = ranked.count
            while position > 0, before(index, ranked[position - 1]) { position -= 1 }
            ranked.insert(index, at: position)
            if ranked.count > limit { ranked.removeLast() }
        }
        guard let first = ranked.first, weights[first] > 0 else { return [] }
        let top = weights[first]
        return ranked.map { (shown($0), ((weights[$0] / top) * 1000).rounded() / 1000) }
    }
}

/// Words too common to say anything about an interaction.
enum Stopwords {
    static let all: Set<String> = Set(chinese + english.map(EnglishStemmer.stem) + english)
    static let keys: Set<UTF8Key> = Set(all.map(UTF8Key.init))

    static let chinese = [
        "的", "了", "是", "我", "你", "他", "她", "它", "我们", "你们", "他们", "她们", "这", "那", "这个", "那个", "这些", "那些",
        "吗", "呢", "吧", "啊", "呀", "哦", "嗯", "在", "和", "与", "就", "都", "也", "还", "又", "很", "把", "被", "给", "让", "对",
        "从", "到", "跟", "一个", "什么", "怎么", "为什么", "如何", "可以", "能", "会", "要", "想", "没有", "不是", "已经", "现在",
        "今天", "一下", "一直", "您", "好", "请", "谢谢", "您好", "你好", "请问", "帮", "帮我", "这样", "那样", "因为", "所以",
        "但是", "然后", "如果", "还是", "或者", "而且", "自己", "时候", "问题", "这边", "那边", "一些", "有点", "好的", "是的",
        "知道", "觉得", "需要", "可能", "应该", "不能", "还有", "就是", "不过", "之前", "之后", "以后", "已经", "一下子", "没",
        "呃", "哈", "嘛", "啦", "喂", "对对", "对的", "怎么办", "多少", "这么", "那么", "非常", "特别", "真的", "一点", "女士",
        "先生", "客户", "您的", "我的", "你的", "有没有", "是不是", "能不能", "可不可以", "麻烦", "情况", "看看", "一次",
        "处理", "再不", "马上", "抱歉", "不好意思", "稍等", "一下儿", "这款", "那款", "您看", "给您", "帮您", "为您",
    ]

    static let english = [
        "the", "a", "an", "and", "or", "but", "if", "then", "so", "to", "of", "in", "on", "at", "for", "with", "by", "from",
        "is", "are", "was", "were", "be", "been", "being", "am", "do", "does", "did", "have", "has", "had", "i", "you", "he",
        "she", "it", "we", "they", "me", "him", "her", "us", "them", "my", "your", "our", "their", "its", "this", "that",
        "these", "those", "there", "here", "what", "which", "who", "whom", "how", "why", "when", "where", "can", "could",
        "would", "should", "will", "shall", "may", "might", "must", "not", "no", "yes", "just", "also", "very", "really",
        "about", "again", "all", "any", "some", "more", "most", "other", "than", "too", "only", "own", "same", "such",
        "into", "over", "after", "before", "up", "down", "out", "off", "as", "because", "until", "while", "please", "thank",
        "thanks", "hello", "hi", "okay", "ok", "sir", "madam", "today", "now", "get", "got", "want", "need", "know", "like",
        "one", "two", "don't", "i'm", "it's", "can't", "i've", "that's", "you're", "let", "see", "said", "say", "tell",
        "still", "even", "much", "many", "way", "well", "yeah", "sure", "call", "customer",
    ]
}
