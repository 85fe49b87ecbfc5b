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

    private let state: Mutex<Snapshot>

    public init(_ snapshot: Snapshot = Snapshot()) {
        state = Mutex(snapshot)
    }

    public var snapshot: Snapshot { state.withLock { $0 } }

    /// Replaces the table (with what PostgreSQL kept).
    public func restore(_ snapshot: Snapshot) {
        state.withLock { $0 = snapshot }
    }

    /// Adds one document's distinct terms.
    public func observe(_ terms: Set<String>) {
        state.withLock { table in
            table.documents += 1
            for term in terms { table.frequencies[term, default: 0] += 1 }
        }
    }

    /// Smoothed inverse document frequency, `ln((1 + N) / (1 + df)) + 1`, for each term,
    /// counting the document being analysed (`including`) as part of the corpus.
    public func idf(_ terms: some Sequence<String>, including document: Set<String> = []) -> [String: Double] {
        state.withLock { table in
            let extra = document.isEmpty ? 0 : 1
            var result: [String: Double] = [:]
            for term in terms {
                let df = table.frequencies[term, default: 0] + (document.contains(term) ? 1 : 0)
                result[term] = log(Double(1 + table.documents + extra) / Double(1 + df)) + 1
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

    /// Terms that can be keywords: no stop words, clause marks, single Chinese
    /// characters, numbers or anything with a digit or `@` (PII never becomes a keyword).
    public static func candidates(_ terms: [String]) -> [String] {
        terms.filter { term in
            guard term != "|", !Stopwords.all.contains(term) else { return false }
            let scalars = term.unicodeScalars
            if scalars.contains(where: { PIIDetector.isDigit($0) || $0 == "@" }) { return false }
            if scalars.count == 1 { return false }
            if scalars.allSatisfy({ $0.isASCII }) { return scalars.count >= 3 }
            return true
        }
    }

    /// The top terms by TF-IDF with their weights, scaled so the first is 1.
    public func extract(_ terms: [String], corpus: CorpusFrequencies, including document: Set<String> = []) -> [(term: String, weight: Double)] {
        guard !terms.isEmpty else { return [] }
        var counts: [String: Int] = [:]
        for term in terms { counts[term, default: 0] += 1 }
        let idf = corpus.idf(counts.keys, including: document)
        let total = Double(terms.count)
        let scored = counts.map { (term: $0.key, weight: Double($0.value) / total * (idf[$0.key] ?? 1)) }
            .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.term < $1.term }
            .prefix(limit)
        guard let top = scored.first?.weight, top > 0 else { return [] }
        return scored.map { ($0.term, (($0.weight / top) * 1000).rounded() / 1000) }
    }
}

/// Words too common to say anything about an interaction.
enum Stopwords {
    static let all: Set<String> = Set(chinese + english.map(EnglishStemmer.stem) + english)

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
