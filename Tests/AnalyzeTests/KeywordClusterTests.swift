@testable import Analyze
import Testing

@Suite("Keywords and clusters")
struct KeywordClusterTests {
    @Test("TF-IDF: a term every document has falls below a rarer one as the corpus grows")
    func tfidf() {
        let corpus = CorpusFrequencies()
        let extractor = KeywordExtractor(limit: 5)
        let document = ["年费", "年费", "信用卡", "信用卡"]
        let before = extractor.extract(document, corpus: corpus)
        #expect(before.count == 2 && before[0].weight == 1 && before[1].weight == 1)
        for _ in 0..<20 { corpus.observe(["信用卡"]) }
        let after = extractor.extract(document, corpus: corpus)
        #expect(after.first?.term == "年费")
        #expect((after.last?.weight ?? 1) < 1)
        #expect(corpus.snapshot.documents == 20)
    }

    @Test("keyword candidates drop stop words, single characters, numbers and anything with @")
    func candidates() {
        #expect(KeywordExtractor.candidates(["的", "年费", "扣", "2026", "a@b", "fee", "the", "refund", "|"]) == ["年费", "fee", "refund"])
    }

    @Test("similar complaints share a cluster; another topic or another month starts a new one; labels are top terms")
    func clusters() throws {
        let book = ClusterBook(threshold: 0.3)
        let first = try #require(book.propose(businessLine: "cc", month: "2026-11", vector: ["年费": 1, "重复": 0.5], seed: "a"))
        book.apply(first)
        let second = try #require(book.propose(businessLine: "cc", month: "2026-11", vector: ["年费": 1, "扣费": 0.6], seed: "b"))
        #expect(second.cluster.id == first.cluster.id)
        #expect(second.cluster.size == 2)
        #expect(second.cluster.label.hasPrefix("年费"))
        book.apply(second)
        let other = try #require(book.propose(businessLine: "cc", month: "2026-11", vector: ["催收": 1, "家人": 1], seed: "c"))
        #expect(other.cluster.id != first.cluster.id && other.cluster.size == 1)
        let nextMonth = try #require(book.propose(businessLine: "cc", month: "2026-12", vector: ["年费": 1], seed: "d"))
        #expect(nextMonth.cluster.id.hasPrefix("cc-2026-12-") && nextMonth.cluster.size == 1)
        #expect(book.snapshot.groups["cc|2026-11"]?.count == 1)
    }
}
