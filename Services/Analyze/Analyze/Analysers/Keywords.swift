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

    /// The snapshot's table keyed by bytes (see ``UTF8Key``): it is read for every term of every interaction.
    private struct Table {
        var documents = 0
        var frequencies: [UTF8Key: Int] = [:]

        init(_ snapshot: Snapshot) {
            documents = snapshot.documents
            frequencies.reserveCapacity(snapshot.frequencies.count)
            for (term, count) in snapshot.frequencies { frequencies[UTF8Key(term), default: 0] += count }
        }
    }

    private let state: Mutex<Table>

    public init(_ snapshot: Snapshot = Snapshot()) {
        state = Mutex(Table(snapshot))
    }

    public var snapshot: Snapshot {
        state.withLock { table in
            Snapshot(documents: table.documents,
                     frequencies: Dictionary(table.frequencies.map { ($0.key.string, $0.value) }, uniquingKeysWith: +))
        }
    }

    /// Replaces the table (with what PostgreSQL kept).
    public func restore(_ snapshot: Snapshot) {
        let table = Table(snapshot)
        state.withLock { $0 = table }
    }

    /// Adds one document's distinct terms.
    public func observe(_ terms: some Sequence<String>) {
        let keys = terms.map(UTF8Key.init)
        state.withLock { table in
            table.documents += 1
            for key in keys { table.frequencies[key, default: 0] += 1 }
        }
    }

    /// Smoothed inverse document frequency, `ln((1 + N) / (1 + df)) + 1`, for each term,
    /// counting the document being analysed (`including`) as part of the corpus.
    public func idf(_ terms: some Sequence<String>, including document: Set<String> = []) -> [String: Double] {
        let list = Array(terms)
        let values = idf(list.map(UTF8Key.init), inDocument: list.map { document.contains($0) }, documentCounts: !document.isEmpty)
        return Dictionary(zip(list, values), uniquingKeysWith: { first, _ in first })
    }

    /// The same, in the order of `keys`; `inDocument[i]` says whether the analysed document holds `keys[i]`.
    func idf(_ keys: [UTF8Key], inDocument: [Bool], documentCounts: Bool) -> [Double] {
        state.withLock { table in
            let documents = Double(1 + table.documents + (documentCounts ? 1 : 0))
            return keys.indices.map { index in
                let df = (table.frequencies[keys[index]] ?? 0) + (inDocument[index] ? 1 : 0)
                return log(documents / Double(1 + df)) + 1
            }
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
        var terms: [UTF8Key] = []
        var counts: [Int] = []
        var surfaces: [String] = []
        var total = 0

        init(_ words: some Sequence<String>, stem: Bool) {
            var slots: [UTF8Key: Int] = [:]
            for word in words where KeywordExtractor.isCandidate(word) {
                let key = UTF8Key(stem ? EnglishStemmer.stem(word) : word)
                total += 1
                if let slot = slots[key] {
                    counts[slot] += 1
                } else {
                    slots[key] = terms.count
                    terms.append(key)
                    counts.append(1)
                    surfaces.append(word)
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
        var counts = Counts([], stem: false)
        var slots: [UTF8Key: Int] = [:]
        for term in terms {
            let key = UTF8Key(term)
            counts.total += 1
            if let slot = slots[key] { counts.counts[slot] += 1; continue }
            slots[key] = counts.terms.count
            counts.terms.append(key)
            counts.counts.append(1)
            counts.surfaces.append(term)
        }
        let inDocument = counts.terms.map { document.contains($0.string) }
        return extract(counts, idf: corpus.idf(counts.terms, inDocument: inDocument, documentCounts: !document.isEmpty), byTerm: true)
    }

    /// Keywords of an interaction's own terms (each counted as part of the corpus), shown as first written.
    func extract(_ counts: Counts, corpus: CorpusFrequencies) -> [(term: String, weight: Double)] {
        guard counts.total > 0 else { return [] }
        let idf = corpus.idf(counts.terms, inDocument: Array(repeating: true, count: counts.terms.count), documentCounts: true)
        return extract(counts, idf: idf, byTerm: false)
    }

    private func extract(_ counts: Counts, idf: [Double], byTerm: Bool) -> [(term: String, weight: Double)] {
        guard counts.total > 0 else { return [] }
        let total = Double(counts.total)
        let weights = counts.terms.indices.map { Double(counts.counts[$0]) / total * idf[$0] }
        let ranked = counts.terms.indices.sorted { a, b in
            weights[a] != weights[b] ? weights[a] > weights[b] : counts.terms[a] < counts.terms[b]
        }.prefix(limit)
        guard let first = ranked.first, weights[first] > 0 else { return [] }
        let top = weights[first]
        return ranked.map { index in
            (byTerm ? counts.terms[index].string : counts.surfaces[index], ((weights[index] / top) * 1000).rounded() / 1000)
        }
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
