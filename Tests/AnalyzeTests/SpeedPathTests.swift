@testable import Analyze
import Foundation
import Testing
import VOCSchema

/// The shortcuts that make analyze fast must not change what it finds.
@Suite("Fast paths give the same results")
struct SpeedPathTests {
    static func labelledTexts() throws -> [String] {
        var texts: [String] = []
        for name in ["labelled.jsonl", "heldout.jsonl"] {
            let url = try #require(Bundle.module.url(forResource: "Labelled", withExtension: nil)?.appendingPathComponent(name))
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let item = try JSONCoding.decoder().decode(Evaluation.Item.self, from: Data(line.utf8))
                texts += item.input.utterances.map(\.text)
            }
        }
        return texts
    }

    @Test("clause by clause through the cache, jieba gives the words it gives for the whole text")
    func clauseCache() throws {
        _ = Fixture.shared
        let texts = try Self.labelledTexts() + ["年费扣了两次，，再不处理！！我就投诉。", "，开头是标点", "结尾是标点。", "", "A型号，B超？OK"]
        for text in texts {
            let whole = Fixture.segmenter.segmentWhole(text)
            #expect(Fixture.segmenter.segment(text) == whole, "\(text)")
            #expect(Fixture.segmenter.segment(text) == whole, "cached: \(text)")
        }
    }

    @Test("a regex runs only when a character every alternative needs is in the text")
    func regexPrefilter() throws {
        let elderly = #"我(今年)?(已经)?[6789]\d(多)?岁|我(今年)?(已经)?[六七八九]十(多|几)?岁|i'?m ([6789]\d) (years old)?|i am ([6789]\d)"#
        let filter = try #require(RegexPrefilter(pattern: elderly))
        #expect(Set(filter.required) == ["岁", "m", "M"])
        #expect(!filter.mayMatch("我的信用卡年费扣了两次 "))
        #expect(filter.mayMatch("我今年七十多岁了"))
        #expect(filter.mayMatch("I'M 72"))
        // An alternative with no required literal, or a cased non-ASCII letter, means no filter.
        #expect(RegexPrefilter(pattern: "abc|[0-9]+") == nil)
        #expect(RegexPrefilter(pattern: "(abc)?") == nil)
        #expect(RegexPrefilter(pattern: "straße") != nil)
        #expect(RegexPrefilter(pattern: "ÉÉ") == nil)
        #expect(RegexPrefilter(pattern: #"a\|b"#)?.required == ["b", "B"])
        // A counted quantifier is not literal text: 我\d{2,3}岁 needs 岁, not "3"; 我\d{2} needs 我.
        #expect(RegexPrefilter(pattern: #"我\d{2,3}岁"#)?.required == ["岁"])
        #expect(RegexPrefilter(pattern: #"我\d{2}"#)?.required == ["我"])
        #expect(RegexPrefilter(pattern: #"我\d{2}"#)?.mayMatch("我78") == true)
    }

    @Test("byte order of UTF8Key is String order")
    func keyOrder() {
        let words = ["年费", "信用卡", "refund", "Refund", "a", "ab", "利息", "利率", "é", "z", "中"]
        for a in words {
            for b in words {
                #expect((UTF8Key(a) < UTF8Key(b)) == (a < b), "\(a) \(b)")
                #expect((UTF8Key(a) == UTF8Key(b)) == (a == b))
            }
        }
    }

    @Test("the term table numbers each word once, with its stem; a restored corpus keeps the numbers")
    func termTable() {
        let corpus = CorpusFrequencies()
        let (refunds, refund, fee) = corpus.withTable { table in
            (table.terms.id("refunds"), table.terms.id("refund"), table.terms.id("年费"))
        }
        corpus.withTable { table in
            #expect(table.terms.stems[Int(refunds)] == refund)
            #expect(table.terms.stems[Int(fee)] == fee)
            #expect(table.terms.isCandidate[Int(fee)])
            let stopWord = table.terms.id("的")
            #expect(!table.terms.isCandidate[Int(stopWord)])
            #expect(table.terms.id("年费") == fee)
        }
        corpus.observe(["年费", "refund"])
        #expect(corpus.snapshot == CorpusFrequencies.Snapshot(documents: 1, frequencies: ["年费": 1, "refund": 1]))
        corpus.restore(CorpusFrequencies.Snapshot(documents: 5, frequencies: ["年费": 3]))
        #expect(corpus.snapshot == CorpusFrequencies.Snapshot(documents: 5, frequencies: ["年费": 3]))
        corpus.withTable { table in #expect(table.terms.id("年费") == fee) }
    }

    @Test("text without a digit or @ holds no PII; full-width digits count")
    func piiPrecheck() {
        #expect(!PIIDetector.mayHoldPII("我的信用卡年费扣了两次"))
        #expect(PIIDetector.mayHoldPII("手机１３８"))
        #expect(PIIDetector.mayHoldPII("mail me: a＠b.cn"))
        #expect(PIIDetector.mayHoldPII("138"))
        #expect(PIIDetector().find(in: "手机１３８１２３４５６７８").map(\.type) == ["mobile"])
    }
}
